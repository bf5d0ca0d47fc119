//! Reading a request's clocks, the same way on the server and in the browser. The agent's
//! timers tick with this code in WebAssembly (DESIGN.md §2): what they show is exactly what
//! the server computes, not an approximation in JavaScript.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ventanilla::ans::BusinessHours;
use ventanilla::calendar::{BusinessCalendar, Pause};
use ventanilla::sla::{Clock, ClockPolicy, ClockReading};

/// How many distinct calendars are kept built: one per set of business hours in use (an ANS
/// version each, DESIGN.md §3), so a handful.
const KEPT_CALENDARS: usize = 16;

/// The calendar of `hours`, built once and shared: building one precomputes a century of
/// business days, and a ticking timer reads it every second. Keyed by the hours themselves
/// (not a version number), so two databases in one process cannot mix theirs up.
pub fn calendar_of(hours: &BusinessHours) -> Arc<BusinessCalendar> {
    static KEPT: Mutex<Vec<(BusinessHours, Arc<BusinessCalendar>)>> = Mutex::new(Vec::new());
    let mut kept = KEPT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, calendar)) = kept.iter().find(|(kept_hours, _)| kept_hours == hours) {
        return calendar.clone();
    }
    let calendar = Arc::new(hours.calendar());
    if kept.len() >= KEPT_CALENDARS {
        kept.remove(0);
    }
    kept.push((hours.clone(), calendar.clone()));
    calendar
}

/// A stored instant (Unix seconds) as a UTC date-time.
pub fn instant(epoch: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(epoch, 0).unwrap_or_default()
}

/// The clock's state at `now` (Unix seconds).
pub fn read(timer: &TimerData, now: i64) -> ClockReading {
    let pauses: Vec<Pause> = timer
        .pauses
        .iter()
        .map(|(start, end)| Pause {
            start: instant(*start),
            end: end.map(instant).unwrap_or(DateTime::<Utc>::MAX_UTC),
        })
        .collect();
    let clock = Clock {
        start: instant(timer.start),
        due: instant(timer.due),
        pauses: &pauses,
        paused: timer.paused,
        met_at: timer.met_at.map(instant),
    };
    if timer.calendar_time {
        ClockPolicy::default().read_calendar_time(&clock, instant(now))
    } else {
        ClockPolicy::default().read(&calendar_of(&timer.hours), &clock, instant(now))
    }
}

/// Business time left (or overdue) in words: "3 h 05 min 09 s", "vencido hace 2 h 10 min 00 s".
pub fn remaining_text(seconds: i64) -> String {
    let amount = |s: i64| {
        let (h, m, s) = (s / 3600, s % 3600 / 60, s % 60);
        if h > 0 {
            format!("{h} h {m:02} min {s:02} s")
        } else {
            format!("{m} min {s:02} s")
        }
    };
    if seconds >= 0 {
        amount(seconds)
    } else {
        format!("vencido hace {}", amount(-seconds))
    }
}

/// What the browser needs to tick a clock with the domain's own arithmetic: the same inputs
/// the server used, so the countdown the agent sees is the one the server enforces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimerData {
    pub label: String,
    /// Unix seconds.
    pub start: i64,
    pub due: i64,
    /// Closed pauses and, while waiting on the customer, the open one (end = `None`).
    pub pauses: Vec<(i64, Option<i64>)>,
    pub paused: bool,
    pub met_at: Option<i64>,
    /// The business hours of the request's ANS version: the browser counts on the same
    /// calendar as the server. Left out when they are the default, as most are.
    #[serde(default, skip_serializing_if = "BusinessHours::is_default")]
    pub hours: BusinessHours,
    /// Counted in calendar hours, nights and holidays included (the first contact, seed 002
    /// §4), instead of business time.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub calendar_time: bool,
}

/// The name of month `month` (1–12) in Spanish, as dates are written in letters and reports.
pub fn month_name(month: u32) -> &'static str {
    const MONTHS: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// An instant as people in Colombia read it, in the browser as on the server.
pub fn local_time(epoch: i64) -> String {
    chrono::DateTime::from_timestamp(epoch, 0)
        .map(|d| {
            d.with_timezone(&ventanilla::calendar::bogota())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_time_reads_in_spanish() {
        assert_eq!(remaining_text(185 * 60 + 9), "3 h 05 min 09 s");
        assert_eq!(remaining_text(7 * 60), "7 min 00 s");
        assert_eq!(remaining_text(-130 * 60), "vencido hace 2 h 10 min 00 s");
    }

    #[test]
    fn a_timer_counts_only_business_time() {
        // Friday 2026-03-06 16:00 Bogotá + 8 business hours = Monday 14:00.
        let start = DateTime::parse_from_rfc3339("2026-03-06T16:00:00-05:00")
            .unwrap()
            .timestamp();
        let due = DateTime::parse_from_rfc3339("2026-03-09T14:00:00-05:00")
            .unwrap()
            .timestamp();
        let timer = TimerData {
            label: "Primera respuesta".into(),
            start,
            due,
            pauses: vec![],
            paused: false,
            met_at: None,
            hours: BusinessHours::default(),
            calendar_time: false,
        };
        // Saturday noon: 6 business hours left (all of Monday morning), whatever the wall clock says.
        let saturday = DateTime::parse_from_rfc3339("2026-03-07T12:00:00-05:00")
            .unwrap()
            .timestamp();
        assert_eq!(read(&timer, saturday).remaining_minutes, 6 * 60);
    }

    #[test]
    fn a_timer_counts_on_the_business_hours_it_carries() {
        // Friday 2026-03-06 17:00 + 2 business hours: Monday 09:00 on the default calendar,
        // Saturday 09:00 where the version opens Saturdays 08:00–12:00.
        let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().timestamp();
        let saturday_hours = BusinessHours {
            saturday: Some((
                chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
                chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            )),
            ..BusinessHours::default()
        };
        let timer = TimerData {
            label: "Primera respuesta".into(),
            start: at("2026-03-06T17:00:00-05:00"),
            due: at("2026-03-07T09:00:00-05:00"),
            pauses: vec![],
            paused: false,
            met_at: None,
            hours: saturday_hours.clone(),
            calendar_time: false,
        };
        // Saturday 08:30: half an hour left, counted on Saturday's hours.
        let reading = read(&timer, at("2026-03-07T08:30:00-05:00"));
        assert_eq!(reading.remaining_minutes, 30);
        // What travels to the browser carries those hours, and only when they are not the
        // default ones.
        let sent: TimerData =
            serde_json::from_str(&serde_json::to_string(&timer).unwrap()).unwrap();
        assert_eq!(sent, timer);
        let plain = TimerData {
            hours: BusinessHours::default(),
            ..timer
        };
        let json = serde_json::to_string(&plain).unwrap();
        assert!(
            !json.contains("hours") && !json.contains("calendar_time"),
            "{json}"
        );
        assert!(Arc::ptr_eq(
            &calendar_of(&saturday_hours),
            &calendar_of(&saturday_hours)
        ));
    }

    #[test]
    fn a_first_contact_timer_runs_day_and_night() {
        let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().timestamp();
        let timer = TimerData {
            label: "Primer contacto".into(),
            start: at("2026-03-06T17:00:00-05:00"),
            due: at("2026-03-07T17:00:00-05:00"),
            pauses: vec![],
            paused: false,
            met_at: None,
            hours: BusinessHours::default(),
            calendar_time: true,
        };
        // Saturday 05:00, the desk closed: twelve hours left all the same.
        assert_eq!(
            read(&timer, at("2026-03-07T05:00:00-05:00")).remaining_minutes,
            12 * 60
        );
    }
}
