//! The weekly opening hours of the service desk.

use chrono::{NaiveTime, Timelike, Weekday};

/// One day's opening hours, `[open, close)` in Bogotá local time, to the second.
///
/// A single interval per day: the seeds describe no lunch break, and one interval keeps the
/// arithmetic exact and fast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpeningHours {
    open: u32,
    close: u32,
}

impl OpeningHours {
    /// Hours from `open` to `close`; fails when `close` is not after `open`. Sub-second parts
    /// are dropped.
    pub fn new(open: NaiveTime, close: NaiveTime) -> Result<Self, ScheduleError> {
        let (open, close) = (
            open.num_seconds_from_midnight(),
            close.num_seconds_from_midnight(),
        );
        if close <= open {
            return Err(ScheduleError::EmptyHours);
        }
        Ok(Self { open, close })
    }

    /// Opening time.
    pub fn open(&self) -> NaiveTime {
        time_of(self.open)
    }

    /// Closing time: the first instant that is no longer business time.
    pub fn close(&self) -> NaiveTime {
        time_of(self.close)
    }

    pub(crate) fn open_seconds(&self) -> i64 {
        i64::from(self.open)
    }

    pub(crate) fn close_seconds(&self) -> i64 {
        i64::from(self.close)
    }
}

fn time_of(seconds: u32) -> NaiveTime {
    NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).unwrap_or(NaiveTime::MIN)
}

/// Opening hours for each day of the week, Monday first; `None` is a closed day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeeklySchedule {
    days: [Option<OpeningHours>; 7],
}

impl WeeklySchedule {
    /// A schedule from Monday's to Sunday's hours. At least one day must be open, otherwise no
    /// due date could ever be reached.
    pub fn new(days: [Option<OpeningHours>; 7]) -> Result<Self, ScheduleError> {
        if days.iter().all(Option::is_none) {
            return Err(ScheduleError::NoWorkingDay);
        }
        Ok(Self { days })
    }

    /// The hours of `weekday`, `None` when closed.
    pub fn hours(&self, weekday: Weekday) -> Option<OpeningHours> {
        self.days[weekday.num_days_from_monday() as usize]
    }

    /// The same schedule with `weekday` open at `hours` (or closed with `None`); fails if that
    /// would close every day.
    pub fn with_day(
        mut self,
        weekday: Weekday,
        hours: Option<OpeningHours>,
    ) -> Result<Self, ScheduleError> {
        self.days[weekday.num_days_from_monday() as usize] = hours;
        Self::new(self.days)
    }

    pub(crate) fn hours_by_index(&self, weekday_index: usize) -> Option<OpeningHours> {
        self.days[weekday_index]
    }
}

impl Default for WeeklySchedule {
    /// Monday to Friday, 08:00–18:00 (DESIGN.md §3).
    fn default() -> Self {
        let office = OpeningHours {
            open: 8 * 3600,
            close: 18 * 3600,
        };
        let mut days = [None; 7];
        for day in days.iter_mut().take(5) {
            *day = Some(office);
        }
        Self { days }
    }
}

/// Why a schedule was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleError {
    /// The closing time is not after the opening time.
    EmptyHours,
    /// Every day of the week is closed.
    NoWorkingDay,
}

impl core::fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::EmptyHours => "La hora de cierre debe ser posterior a la hora de apertura.",
            Self::NoWorkingDay => "El horario debe tener al menos un día hábil en la semana.",
        })
    }
}

impl std::error::Error for ScheduleError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn default_is_monday_to_friday_eight_to_six() {
        let schedule = WeeklySchedule::default();
        let office = OpeningHours::new(t(8, 0), t(18, 0)).unwrap();
        for weekday in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ] {
            assert_eq!(schedule.hours(weekday), Some(office));
        }
        assert_eq!(schedule.hours(Weekday::Sat), None);
        assert_eq!(schedule.hours(Weekday::Sun), None);
        assert_eq!(office.open(), t(8, 0));
        assert_eq!(office.close(), t(18, 0));
    }

    #[test]
    fn refuses_empty_hours_and_a_week_without_work() {
        assert_eq!(
            OpeningHours::new(t(9, 0), t(9, 0)),
            Err(ScheduleError::EmptyHours)
        );
        assert_eq!(
            WeeklySchedule::new([None; 7]),
            Err(ScheduleError::NoWorkingDay)
        );
        let saturday = OpeningHours::new(t(8, 0), t(12, 0)).unwrap();
        let only_saturday =
            WeeklySchedule::new([None, None, None, None, None, Some(saturday), None]).unwrap();
        assert_eq!(
            only_saturday.with_day(Weekday::Sat, None),
            Err(ScheduleError::NoWorkingDay)
        );
    }
}
