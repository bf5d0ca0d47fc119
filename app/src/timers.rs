//! Reading a request's clocks, the same way on the server and in the browser. The agent's
//! timers tick with this code in WebAssembly (DESIGN.md §2): what they show is exactly what
//! the server computes, not an approximation in JavaScript.

use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use ventanilla::calendar::{BusinessCalendar, Pause};
use ventanilla::sla::{Clock, ClockPolicy, ClockReading};

/// What an organization changes of the Colombian default calendar (Monday–Friday
/// 08:00–18:00, national holidays): local holidays and días cívicos, and Saturday hours.
/// The server reads it from the environment and hands it to the browser with the timers, so
/// both count business time on the same calendar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarSettings {
    pub extra_non_working_days: Vec<NaiveDate>,
    pub saturday: Option<(NaiveTime, NaiveTime)>,
}

impl CalendarSettings {
    /// `VENTANILLA_NON_WORKING_DAYS` (comma-separated `YYYY-MM-DD`) and
    /// `VENTANILLA_SATURDAY_HOURS` (`HH:MM-HH:MM`); anything unreadable is an error in words.
    pub fn parse(non_working_days: &str, saturday_hours: &str) -> Result<Self, String> {
        let extra_non_working_days = non_working_days
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| format!("día no hábil inválido: «{d}» (use AAAA-MM-DD)"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let saturday = match saturday_hours.trim() {
            "" => None,
            hours => {
                let (open, close) = hours.split_once('-').ok_or_else(|| {
                    format!("horario del sábado inválido: «{hours}» (use HH:MM-HH:MM)")
                })?;
                let time = |t: &str| {
                    NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| {
                        format!("horario del sábado inválido: «{hours}» (use HH:MM-HH:MM)")
                    })
                };
                Some((time(open)?, time(close)?))
            }
        };
        Ok(Self {
            extra_non_working_days,
            saturday,
        })
    }

    pub fn calendar(&self) -> BusinessCalendar {
        let calendar = BusinessCalendar::default()
            .with_extra_non_working_days(self.extra_non_working_days.clone());
        match self.saturday {
            Some((open, close)) => calendar.with_saturday(open, close),
            None => calendar,
        }
    }
}

static CALENDAR: OnceLock<BusinessCalendar> = OnceLock::new();

/// Sets the calendar once, at start-up on the server and from the first timers the browser
/// receives. Later calls change nothing: one process, one calendar.
pub fn configure(settings: &CalendarSettings) {
    let _ = CALENDAR.set(settings.calendar());
}

/// The business calendar, built once: it precomputes its business days.
pub fn calendar() -> &'static BusinessCalendar {
    CALENDAR.get_or_init(BusinessCalendar::default)
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
    ClockPolicy::default().read(calendar(), &clock, instant(now))
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
        };
        // Saturday noon: 6 business hours left (all of Monday morning), whatever the wall clock says.
        let saturday = DateTime::parse_from_rfc3339("2026-03-07T12:00:00-05:00")
            .unwrap()
            .timestamp();
        assert_eq!(read(&timer, saturday).remaining_minutes, 6 * 60);
    }
}
