//! Which days are business days, one year at a time, as a bit set.
//!
//! A year is built in a few dozen integer operations: six words from the weekly pattern, then
//! the holidays and the configured extra days cleared. The calendar builds the years 1984–2100
//! once, when it is configured (about 6 KB, a few microseconds); other years are built on
//! demand. Counting or finding the n-th business day is then a `count_ones` per 64 days, so a
//! 30-business-day term costs about what an 8-hour one does. The cache is plain data filled at
//! construction: no interior mutability, nothing that behaves differently on `wasm32`.

use super::civil::{days_from_civil, is_leap_year, weekday_index, year_of_day};
use super::holidays::{YearHolidays, HOLIDAY_RULES_FROM};
use super::BusinessCalendar;

const WORDS: usize = 6;

/// Beyond this year the arithmetic saturates instead of walking on: nothing real is due then,
/// and it bounds every loop.
const LAST_YEAR: i32 = 9999;

/// Years built when the calendar is configured.
const CACHED_YEARS: core::ops::RangeInclusive<i32> = HOLIDAY_RULES_FROM..=2100;

/// The business days of one year: bit `i` is set when day `first_day + i` is a business day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct YearDays {
    year: i32,
    first_day: i64,
    len: i64,
    bits: [u64; WORDS],
}

impl YearDays {
    fn build(week_patterns: &[u64; 7], extra_days: &[i64], year: i32) -> Self {
        let first_day = days_from_civil(year, 1, 1);
        let len = if is_leap_year(year) { 366 } else { 365 };
        let first_weekday = weekday_index(first_day);
        let mut bits = [0; WORDS];
        for (word_index, word) in bits.iter_mut().enumerate() {
            *word = week_patterns[(first_weekday + 64 * word_index) % 7];
        }
        bits[WORDS - 1] &= (1u64 << (len - 64 * (WORDS as i64 - 1))) - 1;
        for &ordinal in YearHolidays::of(year).ordinals() {
            clear(&mut bits, i64::from(ordinal));
        }
        let start = extra_days.partition_point(|&day| day < first_day);
        for &day in extra_days[start..]
            .iter()
            .take_while(|&&day| day < first_day + len)
        {
            clear(&mut bits, day - first_day);
        }
        Self {
            year,
            first_day,
            len,
            bits,
        }
    }

    fn contains(&self, day: i64) -> bool {
        day >= self.first_day && day < self.end()
    }

    fn end(&self) -> i64 {
        self.first_day + self.len
    }

    fn is_set(&self, index: i64) -> bool {
        self.bits[(index / 64) as usize] & (1 << (index % 64)) != 0
    }

    /// Set bits from `index` (inclusive) to the end of the year, word by word.
    fn words_from(&self, index: i64) -> impl Iterator<Item = (i64, u64)> + '_ {
        let first_word = (index / 64) as usize;
        let first_mask = !0u64 << (index % 64);
        (first_word..WORDS).map(move |word_index| {
            let mask = if word_index == first_word {
                first_mask
            } else {
                !0
            };
            (64 * word_index as i64, self.bits[word_index] & mask)
        })
    }

    /// The `n`-th (1-based) set bit at or after `index`, or how many were found before the end.
    fn select(&self, index: i64, n: i64) -> Result<i64, i64> {
        let mut remaining = n;
        for (base, word) in self.words_from(index) {
            let count = i64::from(word.count_ones());
            if count >= remaining {
                return Ok(base + i64::from(select_in_word(word, (remaining - 1) as u32)));
            }
            remaining -= count;
        }
        Err(n - remaining)
    }

    /// Set bits in `[from, to)`.
    fn count(&self, from: i64, to: i64) -> i64 {
        let upper = |index: i64| -> i64 {
            self.words_from(0)
                .map(|(base, word)| {
                    let bits_below = (index - base).clamp(0, 64);
                    let mask = if bits_below == 64 {
                        !0
                    } else {
                        (1u64 << bits_below) - 1
                    };
                    i64::from((word & mask).count_ones())
                })
                .sum()
        };
        upper(to) - upper(from)
    }
}

/// The business days of the years 1984–2100, built once per calendar configuration.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct YearCache(Vec<YearDays>);

impl YearCache {
    pub(super) fn build(week_patterns: &[u64; 7], extra_days: &[i64]) -> Self {
        Self(
            CACHED_YEARS
                .map(|year| YearDays::build(week_patterns, extra_days, year))
                .collect(),
        )
    }
}

impl core::fmt::Debug for YearCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "YearCache({CACHED_YEARS:?})")
    }
}

impl BusinessCalendar {
    fn year_days(&self, year: i32) -> YearDays {
        let cached = usize::try_from(year - CACHED_YEARS.start())
            .ok()
            .and_then(|index| self.years.0.get(index));
        match cached {
            Some(days) => *days,
            None => YearDays::build(&self.week_patterns, &self.extra_days, year),
        }
    }
}

/// Position of the set bit of `word` with `rank` set bits below it (`rank` < popcount):
/// halves the search window by popcount, then clears the last few low bits.
fn select_in_word(mut word: u64, mut rank: u32) -> u32 {
    let mut base = 0;
    for width in [32, 16, 8] {
        let low = (word & ((1u64 << width) - 1)).count_ones();
        if rank >= low {
            rank -= low;
            word >>= width;
            base += width;
        }
    }
    for _ in 0..rank {
        word &= word - 1;
    }
    base + word.trailing_zeros()
}

fn clear(bits: &mut [u64; WORDS], index: i64) {
    bits[(index / 64) as usize] &= !(1 << (index % 64));
}

/// A walker over business days that keeps the year it is in.
pub(super) struct BusinessDays<'a> {
    calendar: &'a BusinessCalendar,
    year: YearDays,
}

impl<'a> BusinessDays<'a> {
    pub(super) fn new(calendar: &'a BusinessCalendar, day: i64) -> Self {
        let year = calendar.year_days(year_of_day(day).min(LAST_YEAR));
        Self { calendar, year }
    }

    /// Makes the loaded year the one containing `day`; `None` past [`LAST_YEAR`].
    fn load(&mut self, day: i64) -> Option<&YearDays> {
        if !self.year.contains(day) {
            let year = if day == self.year.end() {
                self.year.year + 1
            } else {
                year_of_day(day)
            };
            if year > LAST_YEAR {
                return None;
            }
            self.year = self.calendar.year_days(year);
        }
        Some(&self.year)
    }

    pub(super) fn is_business_day(&mut self, day: i64) -> bool {
        self.load(day)
            .is_some_and(|year| year.is_set(day - year.first_day))
    }

    /// The first business day on or after `day`.
    pub(super) fn next(&mut self, day: i64) -> Option<i64> {
        self.nth_from(day, 1)
    }

    /// The `n`-th business day strictly after `day`; `day` itself when `n` is 0.
    pub(super) fn nth_after(&mut self, day: i64, n: i64) -> Option<i64> {
        if n <= 0 {
            return Some(day);
        }
        self.nth_from(day + 1, n)
    }

    /// The `n`-th (1-based) business day on or after `day`.
    fn nth_from(&mut self, day: i64, n: i64) -> Option<i64> {
        let (mut day, mut remaining) = (day, n);
        loop {
            let year = self.load(day)?;
            match year.select(day - year.first_day, remaining) {
                Ok(index) => return Some(year.first_day + index),
                Err(found) => {
                    remaining -= found;
                    day = year.end();
                }
            }
        }
    }

    /// Business days in `[from, to)`.
    pub(super) fn count(&mut self, from: i64, to: i64) -> i64 {
        let mut total = 0;
        let mut day = from;
        while day < to {
            let Some(year) = self.load(day) else {
                break;
            };
            let end = to.min(year.end());
            total += year.count(day - year.first_day, end - year.first_day);
            day = end;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn select_in_word_finds_the_ranked_bit(word in 1u64.., rank_seed in 0u32..64) {
            let rank = rank_seed % word.count_ones();
            let expected = (0..64).filter(|bit| word & (1 << bit) != 0).nth(rank as usize).unwrap();
            prop_assert_eq!(select_in_word(word, rank), expected);
        }
    }
}
