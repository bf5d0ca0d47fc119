//! SLA and legal-term timers that tick every second in the browser (agent-workspace requirement), computed by the
//! domain crate from the same inputs the server used. One shared clock signal drives every
//! timer on the page. During the server render and hydration the timers show the absolute due
//! time, so both renders agree; the ticking starts once the page is interactive.

use leptos::prelude::*;

use crate::timers::TimerData;
use crate::timers::{read, remaining_text};

/// Now, in Unix seconds; `None` until the page has hydrated.
#[derive(Clone, Copy)]
pub struct Ticker(pub RwSignal<Option<i64>>);

pub fn provide_ticker() {
    let now = RwSignal::new(None::<i64>);
    provide_context(Ticker(now));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let tick = move || now.set(Some((js_sys::Date::now() / 1000.0) as i64));
        tick();
        gloo_timers::callback::Interval::new(1_000, tick).forget();
    });
}

#[component]
pub fn SlaTimer(timer: TimerData) -> impl IntoView {
    let Ticker(now) = expect_context::<Ticker>();
    let due = crate::timers::local_time(timer.due);
    let label = timer.label.clone();
    let reading = Memo::new(move |_| now.get().map(|now| read(&timer, now)));
    let class = move || {
        format!(
            "timer timer-{}",
            reading.get().map(|r| r.status.code()).unwrap_or("pending")
        )
    };
    let text = move || match reading.get() {
        None => format!("vence {due}"),
        Some(r) => match r.status {
            ventanilla::sla::ClockStatus::Met => "Cumplido".to_string(),
            ventanilla::sla::ClockStatus::Paused => {
                format!("En pausa · quedan {}", remaining_text(r.remaining_seconds))
            }
            _ => remaining_text(r.remaining_seconds),
        },
    };
    view! {
        <span class=class>
            <small>{label}</small>
            <span class="left">{text}</span>
        </span>
    }
}

/// What a deadline counted in clock hours reads at `now`: the detractor desk's 24 hours (seed
/// 003 §4 step 5, "no puede superar las 24 horas de vigencia") run day and night, unlike the
/// business-hour clocks, but are at risk and breached by the same rule (less than 25 % left,
/// past due) so the desk and the queues colour alike.
pub fn read_deadline(start: i64, due: i64, now: i64) -> (ventanilla::sla::ClockStatus, i64) {
    let instant = crate::timers::instant;
    let clock = ventanilla::sla::Clock {
        start: instant(start),
        due: instant(due),
        pauses: &[],
        paused: false,
        met_at: None,
    };
    let reading = ventanilla::sla::ClockPolicy::default().read_calendar_time(&clock, instant(now));
    (reading.status, reading.remaining_seconds)
}

/// A deadline in clock hours, ticking on the same shared clock, with the same colours and
/// words as [`SlaTimer`].
#[component]
pub fn DeadlineTimer(label: &'static str, start: i64, due: i64) -> impl IntoView {
    let Ticker(now) = expect_context::<Ticker>();
    let due_text = crate::timers::local_time(due);
    let title = format!("Límite: {due_text}");
    let reading = Memo::new(move |_| now.get().map(|now| read_deadline(start, due, now)));
    let class = move || {
        format!(
            "timer timer-{}",
            reading.get().map(|(s, _)| s.code()).unwrap_or("pending")
        )
    };
    let text = move || match reading.get() {
        None => format!("vence {due_text}"),
        Some((_, left)) if left >= 0 => format!("quedan {}", remaining_text(left)),
        Some((_, left)) => remaining_text(left),
    };
    view! {
        <span class=class title=title>
            <small>{label}</small>
            <span class="left">{text}</span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::read_deadline;
    use ventanilla::sla::ClockStatus;

    #[test]
    fn the_24_hours_colour_like_the_business_clocks() {
        let day = 24 * 3600;
        assert_eq!(read_deadline(0, day, 0), (ClockStatus::OnTrack, day));
        // 25 % of 24 h is 6 h: at risk just below it, on track at it.
        assert_eq!(read_deadline(0, day, 18 * 3600).0, ClockStatus::OnTrack);
        assert_eq!(read_deadline(0, day, 18 * 3600 + 1).0, ClockStatus::AtRisk);
        assert_eq!(read_deadline(0, day, day).0, ClockStatus::AtRisk);
        assert_eq!(read_deadline(0, day, day + 5), (ClockStatus::Breached, -5));
    }
}
