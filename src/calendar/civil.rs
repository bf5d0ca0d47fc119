//! Day numbers: whole local days counted from 1970-01-01, with integer-only conversions.
//!
//! The calendar's hot paths work on plain integers (a day number and a second of the day in
//! Bogotá) instead of building `chrono` dates day after day; that is what keeps a 30-business-day
//! term as cheap as an 8-hour one. The formulas are Howard Hinnant's `days_from_civil` and
//! `civil_from_days` (proleptic Gregorian calendar).

use chrono::{Datelike, NaiveDate};

pub(crate) const SECONDS_PER_DAY: i64 = 86_400;

/// `num_days_from_ce()` of 1970-01-01, to move between day numbers and `chrono` dates.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// Day number of a calendar date.
pub(crate) fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The year that contains a day number.
pub(crate) fn year_of_day(day: i64) -> i32 {
    let shifted = day + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let year = year_of_era + era * 400 + i64::from(shifted_month >= 10);
    i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX })
}

/// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
pub(crate) fn weekday_index(day: i64) -> usize {
    // rem_euclid(7) is in 0..7, so the cast cannot truncate.
    (day + 3).rem_euclid(7) as usize
}

pub(crate) fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn day_of_date(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE
}

/// The date of a day number; `None` outside `chrono`'s range.
pub(crate) fn date_of_day(day: i64) -> Option<NaiveDate> {
    i32::try_from(day + UNIX_EPOCH_DAYS_FROM_CE)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    #[test]
    fn agrees_with_chrono_over_three_centuries() {
        let mut date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2200, 12, 31).unwrap();
        while date <= end {
            let day = day_of_date(date);
            assert_eq!(days_from_civil(date.year(), date.month(), date.day()), day);
            assert_eq!(year_of_day(day), date.year());
            assert_eq!(
                weekday_index(day),
                date.weekday().num_days_from_monday() as usize
            );
            assert_eq!(date_of_day(day), Some(date));
            assert_eq!(is_leap_year(date.year()), date.leap_year());
            date = date.succ_opt().unwrap();
        }
    }

    #[test]
    fn epoch_is_a_thursday() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            weekday_index(0),
            Weekday::Thu.num_days_from_monday() as usize
        );
        assert_eq!(year_of_day(-1), 1969);
    }
}
