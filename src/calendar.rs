//! The business calendar: when the service desk works, and time arithmetic over it.
//!
//! # Time zone
//!
//! Every rule here is about Bogotá wall-clock time. America/Bogota has been a constant
//! UTC−05:00 with no daylight saving time since the 1992–1993 energy-rationing DST ended
//! (4 Apr 1993), so a fixed [`chrono::FixedOffset`] of −5 h is exact for every instant this
//! system handles. A full time-zone database (`chrono-tz`) would add hundreds of kilobytes to the
//! WebAssembly client for no change in any result.
//!
//! # Semantics
//!
//! - Business time is `[open, close)` on a business day: a business day is a day open in the
//!   [`WeeklySchedule`] that is neither a Colombian holiday ([`colombian_holidays`]) nor one of
//!   the configured extra non-working days (local holidays, días cívicos).
//! - Counting that starts outside business hours starts at the next opening.
//! - A due time that lands exactly on closing time stays on that day (18:00, not 08:00 the next
//!   business day): counting consumes `[open, close)` and the due is the end of the last
//!   consumed second.
//! - A **pause** is a `[start, end)` interval that does not count (time waiting on the customer,
//!   Ley 1755 de 2015 art. 17). Pauses may overlap, come in any order or lie outside business
//!   hours; a pause whose end is not after its start is ignored. An ongoing pause is passed as
//!   ending at the instant being evaluated.
//! - A request received outside business hours or on a non-working day is deemed received at
//!   the next opening ([`BusinessCalendar::deemed_receipt`]).
//! - Legal terms are counted in business days from the business day after the (deemed) receipt,
//!   and the due date is the last of those days (Ley 1755 de 2015 art. 14; Ley 4 de 1913
//!   art. 62: "se entienden suprimidos los feriados y de vacantes").
//! - Instants are handled to the second; sub-second parts are dropped.
//! - Results that would fall after the year 9999 saturate to the largest representable value.

mod business_days;
mod civil;
mod holidays;
mod schedule;
#[cfg(test)]
mod tests;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc, Weekday};

use business_days::{BusinessDays, YearCache};
use civil::{date_of_day, day_of_date, weekday_index, SECONDS_PER_DAY};

pub use holidays::{colombian_holidays, HOLIDAY_RULES_FROM};
pub use schedule::{OpeningHours, ScheduleError, WeeklySchedule};

/// Bogotá's offset from UTC, in seconds (UTC−05:00, no DST since 1993).
pub const BOGOTA_OFFSET_SECS: i32 = -5 * 3600;

const OFFSET: i64 = BOGOTA_OFFSET_SECS as i64;

/// America/Bogota as a fixed offset; see the module docs for why no time-zone database is used.
pub fn bogota() -> FixedOffset {
    FixedOffset::east_opt(BOGOTA_OFFSET_SECS).expect("−05:00 is a valid offset")
}

/// An interval `[start, end)` during which a clock does not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Pause {
    /// When the clock stopped.
    pub start: DateTime<Utc>,
    /// When it started again.
    pub end: DateTime<Utc>,
}

impl Pause {
    /// A pause from `start` to `end`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self { start, end }
    }
}

/// Working hours, holidays and extra non-working days of a service desk, in Bogotá time.
///
/// Holds the business days of 1984–2100 precomputed (about 6 KB, built in microseconds when
/// configured): build it once and share it. Every operation is a pure function of the calendar
/// and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    schedule: WeeklySchedule,
    /// `week_patterns[r]` has bit `i` set when weekday `(r + i) % 7` (Monday = 0) is open, so a
    /// year's bit set is six lookups.
    week_patterns: [u64; 7],
    /// Extra non-working days as day numbers, ascending, no repeats.
    extra_days: Vec<i64>,
    /// Business days of the years 1984–2100, derived from the fields above.
    years: YearCache,
}

impl Default for BusinessCalendar {
    /// Colombia, Monday–Friday 08:00–18:00, national holidays, no extra days.
    fn default() -> Self {
        Self::new(WeeklySchedule::default())
    }
}

impl BusinessCalendar {
    /// A calendar with `schedule`, the Colombian national holidays and no extra days.
    pub fn new(schedule: WeeklySchedule) -> Self {
        Self::build(schedule, Vec::new())
    }

    fn build(schedule: WeeklySchedule, extra_days: Vec<i64>) -> Self {
        let mut week_patterns = [0; 7];
        for (start, pattern) in week_patterns.iter_mut().enumerate() {
            for bit in 0..64 {
                if schedule.hours_by_index((start + bit) % 7).is_some() {
                    *pattern |= 1 << bit;
                }
            }
        }
        let years = YearCache::build(&week_patterns, &extra_days);
        Self {
            schedule,
            week_patterns,
            extra_days,
            years,
        }
    }

    /// The same calendar with another weekly schedule (extra days are kept).
    pub fn with_schedule(self, schedule: WeeklySchedule) -> Self {
        Self::build(schedule, self.extra_days)
    }

    /// The same calendar open on Saturdays from `open` to `close`. When `close` is not after
    /// `open` the interval is empty and Saturday stays closed.
    pub fn with_saturday(self, open: NaiveTime, close: NaiveTime) -> Self {
        let hours = OpeningHours::new(open, close).ok();
        let schedule = self
            .schedule
            .with_day(Weekday::Sat, hours)
            .unwrap_or(self.schedule);
        self.with_schedule(schedule)
    }

    /// The same calendar with `days` also closed (local holidays, días cívicos such as
    /// 15 Jul 2024 in Bogotá). Adds to the days already configured.
    pub fn with_extra_non_working_days(self, days: Vec<NaiveDate>) -> Self {
        let mut extra_days = self.extra_days;
        extra_days.extend(days.into_iter().map(day_of_date));
        extra_days.sort_unstable();
        extra_days.dedup();
        Self::build(self.schedule, extra_days)
    }

    /// The weekly schedule.
    pub fn schedule(&self) -> &WeeklySchedule {
        &self.schedule
    }

    /// The configured extra non-working days, ascending.
    pub fn extra_non_working_days(&self) -> Vec<NaiveDate> {
        self.extra_days
            .iter()
            .filter_map(|&day| date_of_day(day))
            .collect()
    }

    /// Whether `d` is a business day: open in the schedule, not a holiday, not an extra day.
    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        let day = day_of_date(d);
        BusinessDays::new(self, day).is_business_day(day)
    }

    /// Whether `at` falls within `[open, close)` of a business day.
    pub fn is_business_time(&self, at: DateTime<Utc>) -> bool {
        let local = local_seconds(at);
        let day = local.div_euclid(SECONDS_PER_DAY);
        BusinessDays::new(self, day).is_business_day(day)
            && self.hours_of(day).is_some_and(|(open, close)| {
                let second = local - day * SECONDS_PER_DAY;
                open <= second && second < close
            })
    }

    /// The opening instant of `date`, if it is a business day.
    pub fn opening_instant(&self, date: NaiveDate) -> Option<DateTime<Utc>> {
        let day = day_of_date(date);
        self.business_hours_of(day)
            .map(|(open, _)| instant(day * SECONDS_PER_DAY + open))
    }

    /// The closing instant of `date`, if it is a business day.
    pub fn closing_instant(&self, date: NaiveDate) -> Option<DateTime<Utc>> {
        let day = day_of_date(date);
        self.business_hours_of(day)
            .map(|(_, close)| instant(day * SECONDS_PER_DAY + close))
    }

    /// When a request received at `received` is deemed received: `received` itself during
    /// business time, otherwise the next opening. Closing time is already outside business time.
    pub fn deemed_receipt(&self, received: DateTime<Utc>) -> DateTime<Utc> {
        let local = local_seconds(received);
        let mut days = BusinessDays::new(self, local.div_euclid(SECONDS_PER_DAY));
        self.next_business_second(&mut days, local)
            .map_or(DateTime::<Utc>::MAX_UTC, instant)
    }

    /// The instant `minutes` business minutes after `start`, not counting `pauses`.
    ///
    /// Counting starts at the next opening when `start` is outside business hours. A due that
    /// lands exactly on closing time (or at the start of a pause) stays there. A non-positive
    /// `minutes` gives the instant counting would start.
    ///
    /// Whole days are consumed at once: the cost grows with the number of business days
    /// spanned, never with the number of minutes.
    pub fn add_business_minutes(
        &self,
        start: DateTime<Utc>,
        minutes: i64,
        pauses: &[Pause],
    ) -> DateTime<Utc> {
        let pauses = local_pauses(pauses);
        self.add_business_seconds(
            local_seconds(start),
            minutes.max(0).saturating_mul(60),
            &pauses,
        )
        .map_or(DateTime::<Utc>::MAX_UTC, instant)
    }

    /// Business minutes from `from` to `to`, not counting `pauses`, rounded down.
    ///
    /// When `to` is before `from` the result is minus the business minutes from `to` to
    /// `from`, so `between(a, b) == -between(b, a)`.
    pub fn business_minutes_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        pauses: &[Pause],
    ) -> i64 {
        let seconds = self.signed_business_seconds(from, to, pauses);
        seconds.signum() * (seconds.abs() / 60)
    }

    /// Business seconds from `from` to `to` minus `pauses`; negative when `to` is earlier.
    pub fn signed_business_seconds(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        pauses: &[Pause],
    ) -> i64 {
        let pauses = local_pauses(pauses);
        let (from, to) = (local_seconds(from), local_seconds(to));
        if to >= from {
            self.business_seconds(from, to, &pauses)
        } else {
            -self.business_seconds(to, from, &pauses)
        }
    }

    /// The due date of a legal term of `business_days` días hábiles for a request received at
    /// `received` (Ley 1755 de 2015 art. 14).
    ///
    /// The request is deemed received at the next opening when it arrives outside business
    /// hours; the count starts the business day after that day, and the due date is the last of
    /// the `business_days` counted days (0 gives the deemed receipt day).
    ///
    /// Pauses suspend the term (Ley 1755 art. 17: "se reactivará el término ... a partir del día
    /// siguiente"): any day touched by a pause is not counted, including the day the customer
    /// answers. This only ever moves the due date later.
    pub fn legal_due_date(
        &self,
        received: DateTime<Utc>,
        business_days: u32,
        pauses: &[Pause],
    ) -> NaiveDate {
        let local = local_seconds(received);
        let mut days = BusinessDays::new(self, local.div_euclid(SECONDS_PER_DAY));
        self.next_business_second(&mut days, local)
            .and_then(|second| {
                let receipt_day = second.div_euclid(SECONDS_PER_DAY);
                self.counted_day_after(&mut days, receipt_day, business_days, pauses)
            })
            .and_then(date_of_day)
            .unwrap_or(NaiveDate::MAX)
    }

    /// The `business_days`-th business day after `date`, skipping days touched by `pauses`
    /// (the same counting as [`legal_due_date`](Self::legal_due_date), from a given day).
    pub fn add_business_days(
        &self,
        date: NaiveDate,
        business_days: u32,
        pauses: &[Pause],
    ) -> NaiveDate {
        let day = day_of_date(date);
        let mut days = BusinessDays::new(self, day);
        self.counted_day_after(&mut days, day, business_days, pauses)
            .and_then(date_of_day)
            .unwrap_or(NaiveDate::MAX)
    }

    /// Business days in `[from, to)`, whole days.
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (from, to) = (day_of_date(from), day_of_date(to));
        BusinessDays::new(self, from).count(from, to)
    }

    /// Opening and closing second of the day's weekday, whether or not the day is a holiday.
    fn hours_of(&self, day: i64) -> Option<(i64, i64)> {
        self.schedule
            .hours_by_index(weekday_index(day))
            .map(|hours| (hours.open_seconds(), hours.close_seconds()))
    }

    fn business_hours_of(&self, day: i64) -> Option<(i64, i64)> {
        if BusinessDays::new(self, day).is_business_day(day) {
            self.hours_of(day)
        } else {
            None
        }
    }

    /// `local` if it is business time, otherwise the next opening (local seconds).
    fn next_business_second(&self, days: &mut BusinessDays<'_>, local: i64) -> Option<i64> {
        let day = local.div_euclid(SECONDS_PER_DAY);
        let mut candidate = days.next(day)?;
        loop {
            let (open, close) = self.hours_of(candidate)?;
            let start = local.max(candidate * SECONDS_PER_DAY + open);
            if start < candidate * SECONDS_PER_DAY + close {
                return Some(start);
            }
            candidate = days.next(candidate + 1)?;
        }
    }

    fn add_business_seconds(&self, start: i64, amount: i64, pauses: &[(i64, i64)]) -> Option<i64> {
        let mut remaining = amount;
        let mut day = start.div_euclid(SECONDS_PER_DAY);
        let mut days = BusinessDays::new(self, day);
        let mut next_pause = 0;
        loop {
            day = days.next(day)?;
            let (open, close) = self.hours_of(day)?;
            let day_start = day * SECONDS_PER_DAY;
            let end = day_start + close;
            let mut second = start.max(day_start + open);
            while second < end {
                while next_pause < pauses.len() && pauses[next_pause].1 <= second {
                    next_pause += 1;
                }
                let pause = pauses.get(next_pause);
                if let Some(&(_, pause_end)) = pause.filter(|p| p.0 <= second) {
                    second = pause_end;
                    continue;
                }
                let stretch_end = pause.map_or(end, |&(pause_start, _)| pause_start.min(end));
                let available = stretch_end - second;
                if remaining <= available {
                    return Some(second + remaining);
                }
                remaining -= available;
                second = stretch_end;
            }
            // A pause that outlasts the day ends the counting there: resume on the day the
            // pause ends, not the next one. Walking day by day through a pause that has not
            // ended (it counts as lasting forever) took every business day up to the year
            // 9999, about three million, before giving "never".
            day = (day + 1).max(second.div_euclid(SECONDS_PER_DAY));
        }
    }

    fn business_seconds(&self, from: i64, to: i64, pauses: &[(i64, i64)]) -> i64 {
        let mut total = 0;
        let mut day = from.div_euclid(SECONDS_PER_DAY);
        let mut days = BusinessDays::new(self, day);
        let mut next_pause = 0;
        while let Some(business_day) = days.next(day) {
            let Some((open, close)) = self.hours_of(business_day) else {
                break;
            };
            let day_start = business_day * SECONDS_PER_DAY;
            if day_start + open >= to {
                break;
            }
            let start = from.max(day_start + open);
            let end = to.min(day_start + close);
            if start < end {
                total += end - start - paused_within(pauses, &mut next_pause, start, end);
            }
            day = business_day + 1;
        }
        total
    }

    /// The `n`-th business day after `day` that no pause touches.
    fn counted_day_after(
        &self,
        days: &mut BusinessDays<'_>,
        day: i64,
        n: u32,
        pauses: &[Pause],
    ) -> Option<i64> {
        let mut need = i64::from(n);
        if need == 0 || pauses.is_empty() {
            return days.nth_after(day, need);
        }
        let mut cursor = day;
        for (first_paused, last_paused) in paused_days(pauses) {
            if last_paused <= cursor {
                continue;
            }
            let counted = days.count(cursor + 1, first_paused);
            if counted >= need {
                break;
            }
            need -= counted;
            cursor = last_paused;
        }
        days.nth_after(cursor, need)
    }
}

/// Seconds since 1970-01-01 00:00 Bogotá time.
fn local_seconds(at: DateTime<Utc>) -> i64 {
    at.timestamp() + OFFSET
}

fn instant(local: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(local - OFFSET, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Pauses in local seconds, sorted, merged, empty ones dropped.
fn local_pauses(pauses: &[Pause]) -> Vec<(i64, i64)> {
    let mut intervals: Vec<(i64, i64)> = pauses
        .iter()
        .map(|pause| (local_seconds(pause.start), local_seconds(pause.end)))
        .filter(|(start, end)| start < end)
        .collect();
    merge(&mut intervals, 0);
    intervals
}

/// Inclusive ranges of local days touched by a pause, sorted and merged.
fn paused_days(pauses: &[Pause]) -> Vec<(i64, i64)> {
    let mut ranges: Vec<(i64, i64)> = local_pauses(pauses)
        .into_iter()
        .map(|(start, end)| {
            (
                start.div_euclid(SECONDS_PER_DAY),
                (end - 1).div_euclid(SECONDS_PER_DAY),
            )
        })
        .collect();
    merge(&mut ranges, 1);
    ranges
}

/// Sorts intervals and merges those that overlap or are within `gap` of each other.
fn merge(intervals: &mut Vec<(i64, i64)>, gap: i64) {
    intervals.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(intervals.len());
    for &(start, end) in intervals.iter() {
        match merged.last_mut() {
            Some(last) if start <= last.1 + gap => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    *intervals = merged;
}

/// Seconds of `[start, end)` covered by the sorted, disjoint `pauses`; `next_pause` skips the
/// pauses that ended before `start` and is kept between calls.
fn paused_within(pauses: &[(i64, i64)], next_pause: &mut usize, start: i64, end: i64) -> i64 {
    while *next_pause < pauses.len() && pauses[*next_pause].1 <= start {
        *next_pause += 1;
    }
    pauses[*next_pause..]
        .iter()
        .take_while(|(pause_start, _)| *pause_start < end)
        .map(|&(pause_start, pause_end)| pause_end.min(end) - pause_start.max(start))
        .sum()
}
