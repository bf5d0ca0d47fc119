//! Colombian national holidays, computed from the law rather than typed in as a list.
//!
//! - Ley 51 de 1983 ("Ley Emiliani"), art. 1 num. 1: the rest days; num. 2: which of them move
//!   to the following Monday when they do not fall on a Monday.
//! - Ley 2578 de 2026, art. 6: 9 July (Nuestra Señora del Rosario de Chiquinquirá) from 2026,
//!   moved to Monday like the Ley 51 ones.
//! - Jueves Santo and Viernes Santo never move; Ascensión, Corpus Christi and Sagrado Corazón
//!   are observed on Easter + 43, + 64 and + 71 (the Mondays after E + 39, E + 60, E + 68).
//!
//! A fixed holiday on a Saturday or Sunday is not moved (20 Jul 2025 was a Sunday with no
//! substitute). Two holidays can land on the same Monday (30 Jun 2025): the list is deduplicated
//! because a day is either a rest day or not.

use chrono::NaiveDate;

use super::civil::{days_from_civil, is_leap_year, weekday_index};

/// First year under Ley 51 de 1983 (enacted 6 Dec 1983). Earlier years get no holidays from
/// this crate: the older rules are out of scope, and no request can be that old.
pub const HOLIDAY_RULES_FROM: i32 = 1984;

/// First year of the 9 July holiday (Ley 2578 de 2026).
const CHIQUINQUIRA_FROM: i32 = 2026;

/// Never moved (Ley 51 de 1983 art. 1 num. 1, not listed in num. 2): month, day.
const FIXED: [(u32, u32); 6] = [(1, 1), (5, 1), (7, 20), (8, 7), (12, 8), (12, 25)];

/// Moved to the following Monday (Ley 51 de 1983 art. 1 num. 2): month, day.
const MOVED_TO_MONDAY: [(u32, u32); 7] = [
    (1, 6),
    (3, 19),
    (6, 29),
    (8, 15),
    (10, 12),
    (11, 1),
    (11, 11),
];

/// Offsets from Easter Sunday of the observed Easter-based rest days: Jueves Santo, Viernes
/// Santo, and the Mondays of Ascensión, Corpus Christi and Sagrado Corazón.
const EASTER_OFFSETS: [i64; 5] = [-3, -2, 43, 64, 71];

/// At most 6 fixed + 8 moved + 5 Easter-based rest days.
const MAX_HOLIDAYS: usize = FIXED.len() + MOVED_TO_MONDAY.len() + 1 + EASTER_OFFSETS.len();

/// The rest days of one year as 0-based days of the year, in rule order; two may coincide.
///
/// Integer-only and unsorted so that the business calendar can rebuild a year in a few dozen
/// operations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct YearHolidays {
    ordinals: [u16; MAX_HOLIDAYS],
    len: usize,
}

impl YearHolidays {
    pub(crate) fn of(year: i32) -> Self {
        let mut holidays = Self {
            ordinals: [0; MAX_HOLIDAYS],
            len: 0,
        };
        if year < HOLIDAY_RULES_FROM {
            return holidays;
        }
        let first_day = days_from_civil(year, 1, 1);
        let leap = is_leap_year(year);
        let next_monday = |ordinal: i64| {
            let weekday = weekday_index(first_day + ordinal) as i64;
            ordinal + (7 - weekday) % 7
        };
        for (month, day) in FIXED {
            holidays.push(ordinal(month, day, leap));
        }
        for (month, day) in MOVED_TO_MONDAY {
            holidays.push(next_monday(ordinal(month, day, leap)));
        }
        if year >= CHIQUINQUIRA_FROM {
            holidays.push(next_monday(ordinal(7, 9, leap)));
        }
        let (easter_month, easter_day) = easter_sunday(year);
        let easter = ordinal(easter_month, easter_day, leap);
        for offset in EASTER_OFFSETS {
            holidays.push(easter + offset);
        }
        holidays
    }

    pub(crate) fn ordinals(&self) -> &[u16] {
        &self.ordinals[..self.len]
    }

    fn push(&mut self, ordinal: i64) {
        // Every rule lands between 1 Jan and 25 Dec of the same year.
        self.ordinals[self.len] = ordinal as u16;
        self.len += 1;
    }
}

/// 0-based day of the year of a month and day.
fn ordinal(month: u32, day: u32, leap: bool) -> i64 {
    const DAYS_BEFORE_MONTH: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let month_index = (month - 1) as usize;
    DAYS_BEFORE_MONTH[month_index] + i64::from(day) - 1 + i64::from(leap && month > 2)
}

/// Easter Sunday (month, day) by the anonymous Gregorian algorithm (Meeus/Jones/Butcher): a
/// handful of integer operations, valid for every Gregorian year.
pub(crate) fn easter_sunday(year: i32) -> (u32, u32) {
    let y = i64::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    // n / 31 is 3 or 4 and n % 31 + 1 is a day of the month, so the casts cannot truncate.
    ((n / 31) as u32, (n % 31 + 1) as u32)
}

/// The national rest days of `year`, ascending and deduplicated; empty before 1984.
///
/// Only the observed rest day is listed: when a holiday moves to Monday, its nominal date is an
/// ordinary working day (Tue 6 Jan 2026 is worked, Mon 12 Jan 2026 is the holiday).
pub fn colombian_holidays(year: i32) -> Vec<NaiveDate> {
    let mut ordinals = YearHolidays::of(year).ordinals().to_vec();
    ordinals.sort_unstable();
    ordinals.dedup();
    ordinals
        .into_iter()
        .filter_map(|ordinal| NaiveDate::from_yo_opt(year, u32::from(ordinal) + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};

    fn dates(year: i32, month_days: &[(u32, u32)]) -> Vec<NaiveDate> {
        month_days
            .iter()
            .map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d).unwrap())
            .collect()
    }

    /// REFERENCE.md §2.2, 2025: 18 holidays on 17 distinct dates.
    #[test]
    fn holidays_2025_match_the_reference_table() {
        let expected = dates(
            2025,
            &[
                (1, 1),
                (1, 6),
                (3, 24),
                (4, 17),
                (4, 18),
                (5, 1),
                (6, 2),
                (6, 23),
                (6, 30),
                (7, 20),
                (8, 7),
                (8, 18),
                (10, 13),
                (11, 3),
                (11, 17),
                (12, 8),
                (12, 25),
            ],
        );
        assert_eq!(colombian_holidays(2025), expected);
    }

    /// REFERENCE.md §2.2, 2026: 19 holidays, Chiquinquirá on Mon 13 Jul (Ley 2578 de 2026).
    #[test]
    fn holidays_2026_match_the_reference_table() {
        let expected = dates(
            2026,
            &[
                (1, 1),
                (1, 12),
                (3, 23),
                (4, 2),
                (4, 3),
                (5, 1),
                (5, 18),
                (6, 8),
                (6, 15),
                (6, 29),
                (7, 13),
                (7, 20),
                (8, 7),
                (8, 17),
                (10, 12),
                (11, 2),
                (11, 16),
                (12, 8),
                (12, 25),
            ],
        );
        assert_eq!(colombian_holidays(2026), expected);
    }

    /// REFERENCE.md §2.2, 2027: 19 holidays, three of them on Saturdays and not moved.
    #[test]
    fn holidays_2027_match_the_reference_table() {
        let expected = dates(
            2027,
            &[
                (1, 1),
                (1, 11),
                (3, 22),
                (3, 25),
                (3, 26),
                (5, 1),
                (5, 10),
                (5, 31),
                (6, 7),
                (7, 5),
                (7, 12),
                (7, 20),
                (8, 7),
                (8, 16),
                (10, 18),
                (11, 1),
                (11, 15),
                (12, 8),
                (12, 25),
            ],
        );
        assert_eq!(colombian_holidays(2027), expected);
    }

    /// REFERENCE.md §2.2 "Counts for oracles": distinct dates and dates on Monday–Friday.
    #[test]
    fn counts_match_the_reference() {
        for (year, distinct, weekdays) in [(2025, 17, 16), (2026, 19, 19), (2027, 19, 16)] {
            let holidays = colombian_holidays(year);
            assert_eq!(holidays.len(), distinct, "{year}");
            let on_weekdays = holidays
                .iter()
                .filter(|d| d.weekday().num_days_from_monday() < 5)
                .count();
            assert_eq!(on_weekdays, weekdays, "{year}");
        }
    }

    #[test]
    fn chiquinquira_starts_in_2026() {
        let july = |year| {
            colombian_holidays(year)
                .into_iter()
                .filter(|d| d.month() == 7)
                .collect::<Vec<_>>()
        };
        assert_eq!(july(2025), dates(2025, &[(7, 20)]));
        assert_eq!(july(2029), dates(2029, &[(7, 2), (7, 9), (7, 20)]));
    }

    #[test]
    fn easter_sundays() {
        for (year, month, day) in [
            (1984, 4, 22),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2100, 3, 28),
        ] {
            assert_eq!(easter_sunday(year), (month, day), "{year}");
        }
    }

    #[test]
    fn every_year_has_its_rules_in_shape() {
        for year in HOLIDAY_RULES_FROM..=2100 {
            let holidays = colombian_holidays(year);
            assert!((17..=19).contains(&holidays.len()), "{year}");
            assert!(holidays.windows(2).all(|w| w[0] < w[1]), "{year}");
            let (month, day) = easter_sunday(year);
            let easter = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            assert_eq!(easter.weekday(), Weekday::Sun);
            for offset in [43, 64, 71] {
                let observed = easter + chrono::Duration::days(offset);
                assert_eq!(observed.weekday(), Weekday::Mon);
                assert!(holidays.contains(&observed), "{year} E+{offset}");
            }
        }
    }

    #[test]
    fn no_holidays_before_ley_51() {
        assert!(colombian_holidays(1983).is_empty());
        assert_eq!(colombian_holidays(1984).len(), 17);
    }
}
