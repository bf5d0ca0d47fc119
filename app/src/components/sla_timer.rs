//! SLA and legal-term timers that tick every second in the browser (issue 5), computed by the
//! domain crate from the same inputs the server used. One shared clock signal drives every
//! timer on the page. During the server render and hydration the timers show the absolute due
//! time, so both renders agree; the ticking starts once the page is interactive.

use leptos::prelude::*;

use crate::model::TimerData;
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
    let due = crate::local_time(timer.due);
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
