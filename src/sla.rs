//! The first-response ANS (seed 000 §4) and the readings of request clocks.
//!
//! A clock is a start, a due instant and the pauses in between; its reading at an instant says
//! how much business time is left and whether it is on track, at risk, breached, paused or met.
//! The same reading serves the first-response clock (business hours) and the legal-term clock
//! (business days, see [`crate::legal::LegalTerm::clock`]).

use chrono::{DateTime, Utc};

use crate::calendar::{BusinessCalendar, Pause};
use crate::tier::Tier;

coded_enum! {
    /// How urgent a request is; the allowed set depends on the tier (seed 000 §4).
    pub enum Priority {
        /// Only VIP customers may choose it.
        Alta => ("alta", "Alta"),
        /// Media.
        Media => ("media", "Media"),
        /// Baja.
        Baja => ("baja", "Baja"),
    }
}

/// First-response time in business hours by tier and priority; `None` where the tier may not
/// use the priority.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SlaMatrix {
    /// `hours[tier][priority]`, in [`Tier::ALL`] and [`Priority::ALL`] order.
    hours: [[Option<u32>; 3]; 3],
}

impl Default for SlaMatrix {
    /// Seed 000 §4: VIP 1 / 3 / 6 h, Regular – / 2 / 8 h, Flotante – / 4 / 12 h (Alta / Media /
    /// Baja); Regular and Flotante may choose only Media and Baja.
    fn default() -> Self {
        Self {
            hours: [
                [Some(1), Some(3), Some(6)],
                [None, Some(2), Some(8)],
                [None, Some(4), Some(12)],
            ],
        }
    }
}

impl SlaMatrix {
    /// A matrix from `hours[tier][priority]`, in [`Tier::ALL`] and [`Priority::ALL`] order
    /// (`None` forbids the pair). Check it with [`crate::ans::AnsSettings::check`] before use.
    pub fn from_hours(hours: [[Option<u32>; 3]; 3]) -> Self {
        Self { hours }
    }

    /// The hours as [`SlaMatrix::from_hours`] takes them.
    pub fn hours(&self) -> [[Option<u32>; 3]; 3] {
        self.hours
    }

    /// Business hours to the first response, `None` when `tier` may not use `priority`.
    pub fn first_response_hours(&self, tier: Tier, priority: Priority) -> Option<u32> {
        self.hours[tier_index(tier)][priority_index(priority)]
    }

    /// The priorities a customer of `tier` may choose, most urgent first.
    pub fn allowed_priorities(&self, tier: Tier) -> Vec<Priority> {
        Priority::ALL
            .into_iter()
            .filter(|&priority| self.first_response_hours(tier, priority).is_some())
            .collect()
    }

    /// The same matrix with `hours` for `tier` and `priority` (`None` forbids the pair).
    pub fn with_hours(mut self, tier: Tier, priority: Priority, hours: Option<u32>) -> Self {
        self.hours[tier_index(tier)][priority_index(priority)] = hours;
        self
    }

    /// When the first response is due for a request received at `received`, counted in
    /// business hours from the next opening; `None` when the pair is not allowed.
    pub fn first_response_due(
        &self,
        calendar: &BusinessCalendar,
        tier: Tier,
        priority: Priority,
        received: DateTime<Utc>,
        pauses: &[Pause],
    ) -> Option<DateTime<Utc>> {
        self.first_response_hours(tier, priority)
            .map(|hours| calendar.add_business_minutes(received, i64::from(hours) * 60, pauses))
    }
}

fn tier_index(tier: Tier) -> usize {
    match tier {
        Tier::Vip => 0,
        Tier::Regular => 1,
        Tier::Flotante => 2,
    }
}

fn priority_index(priority: Priority) -> usize {
    match priority {
        Priority::Alta => 0,
        Priority::Media => 1,
        Priority::Baja => 2,
    }
}

coded_enum! {
    /// Where a clock stands at an instant.
    pub enum ClockStatus {
        /// Running with enough time left.
        OnTrack => ("on_track", "En tiempo"),
        /// Running with less than the at-risk share left (DESIGN.md §3: 25 % by default).
        AtRisk => ("at_risk", "En riesgo"),
        /// The due instant has passed without the clock being met.
        Breached => ("breached", "Vencido"),
        /// Stopped while waiting on the customer (`pendiente_cliente`).
        Paused => ("paused", "En pausa"),
        /// Met: the response was given (on time or not: compare the met instant with `due`).
        Met => ("met", "Cumplido"),
    }
}

/// A clock's reading at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ClockReading {
    /// Where the clock stands.
    pub status: ClockStatus,
    /// Business minutes from the instant read (or from when it was met) to `due`, rounded
    /// down: negative once past due, and 0 just after a due that fell on closing time.
    pub remaining_minutes: i64,
    /// The same, to the second: what a ticking timer shows.
    pub remaining_seconds: i64,
    /// When the clock is due.
    pub due: DateTime<Utc>,
}

/// A running or finished clock: what a reading needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock<'a> {
    /// When counting started (the receipt; counting itself begins at the next opening).
    pub start: DateTime<Utc>,
    /// When it is due, already pushed by `pauses`.
    pub due: DateTime<Utc>,
    /// Pauses so far; an ongoing pause is passed as ending at the instant being read.
    pub pauses: &'a [Pause],
    /// Whether the clock is paused right now.
    pub paused: bool,
    /// When it was met, if it was.
    pub met_at: Option<DateTime<Utc>>,
}

impl Clock<'_> {
    /// Whether it was met by its due instant; `None` while not met.
    pub fn met_on_time(&self) -> Option<bool> {
        self.met_at.map(|met_at| met_at <= self.due)
    }
}

/// How readings classify the time left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ClockPolicy {
    /// A running clock is at risk when less than this percentage of its business time is left
    /// (DESIGN.md §3: 25).
    pub at_risk_below_percent: u8,
}

impl Default for ClockPolicy {
    fn default() -> Self {
        Self {
            at_risk_below_percent: 25,
        }
    }
}

impl ClockPolicy {
    /// The reading of `clock` at `now`.
    ///
    /// Precedence: met, then breached (a breach stays visible even if the request is now
    /// waiting on the customer), then paused, then at risk or on track. The at-risk share is of
    /// the business time from `start` to `due`.
    pub fn read(
        &self,
        calendar: &BusinessCalendar,
        clock: &Clock<'_>,
        now: DateTime<Utc>,
    ) -> ClockReading {
        self.read_by(clock, now, clock.paused, |at| {
            calendar.signed_business_seconds(at, clock.due, clock.pauses)
        })
    }

    /// The reading of a clock counted in calendar time, every hour of every day: the first
    /// contact of seed 002 §4 ("dentro de las 24 horas"). Pauses do not apply to it: a request
    /// waits on the customer only after someone wrote to them, which is the contact itself.
    pub fn read_calendar_time(&self, clock: &Clock<'_>, now: DateTime<Utc>) -> ClockReading {
        self.read_by(clock, now, false, |at| (clock.due - at).num_seconds())
    }

    /// The reading with `seconds_to_due(at)`, the time counted from `at` to the due.
    fn read_by(
        &self,
        clock: &Clock<'_>,
        now: DateTime<Utc>,
        paused: bool,
        seconds_to_due: impl Fn(DateTime<Utc>) -> i64,
    ) -> ClockReading {
        let reading = |status, seconds: i64| ClockReading {
            status,
            remaining_minutes: seconds.div_euclid(60),
            remaining_seconds: seconds,
            due: clock.due,
        };
        if let Some(met_at) = clock.met_at {
            return reading(ClockStatus::Met, seconds_to_due(met_at));
        }
        let remaining = seconds_to_due(now);
        let status = if now > clock.due {
            ClockStatus::Breached
        } else if paused {
            ClockStatus::Paused
        } else {
            let total = seconds_to_due(clock.start);
            if i128::from(remaining) * 100
                < i128::from(total) * i128::from(self.at_risk_below_percent)
            {
                ClockStatus::AtRisk
            } else {
                ClockStatus::OnTrack
            }
        };
        reading(status, remaining)
    }
}

/// The reading of `clock` at `now` with the default policy (at risk below 25 %).
pub fn read_clock(
    calendar: &BusinessCalendar,
    clock: &Clock<'_>,
    now: DateTime<Utc>,
) -> ClockReading {
    ClockPolicy::default().read(calendar, clock, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::bogota;
    use chrono::TimeZone;

    fn bog(d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        bogota()
            .with_ymd_and_hms(2026, 7, d, h, mi, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn seed_000_matrix() {
        let matrix = SlaMatrix::default();
        let table = [
            (Tier::Vip, [Some(1), Some(3), Some(6)]),
            (Tier::Regular, [None, Some(2), Some(8)]),
            (Tier::Flotante, [None, Some(4), Some(12)]),
        ];
        for (tier, hours) in table {
            for (priority, expected) in Priority::ALL.into_iter().zip(hours) {
                assert_eq!(matrix.first_response_hours(tier, priority), expected);
            }
        }
        assert_eq!(
            matrix.allowed_priorities(Tier::Vip),
            vec![Priority::Alta, Priority::Media, Priority::Baja]
        );
        assert_eq!(
            matrix.allowed_priorities(Tier::Flotante),
            vec![Priority::Media, Priority::Baja]
        );
    }

    #[test]
    fn matrix_is_configurable() {
        let matrix = SlaMatrix::default().with_hours(Tier::Regular, Priority::Alta, Some(2));
        assert_eq!(
            matrix.first_response_hours(Tier::Regular, Priority::Alta),
            Some(2)
        );
        assert_eq!(matrix.allowed_priorities(Tier::Regular).len(), 3);
    }

    #[test]
    fn first_response_due_counts_business_hours() {
        let calendar = BusinessCalendar::default();
        let matrix = SlaMatrix::default();
        let friday_evening = bog(10, 17, 0);
        assert_eq!(
            matrix.first_response_due(
                &calendar,
                Tier::Flotante,
                Priority::Baja,
                friday_evening,
                &[]
            ),
            Some(bog(15, 9, 0)),
            "1 h on Friday, Monday 13 is Chiquinquirá, 10 h on Tuesday, 1 h on Wednesday"
        );
        assert_eq!(
            matrix.first_response_due(
                &calendar,
                Tier::Regular,
                Priority::Alta,
                friday_evening,
                &[]
            ),
            None
        );
    }

    #[test]
    fn readings() {
        let calendar = BusinessCalendar::default();
        let start = bog(6, 8, 0);
        let due = bog(6, 16, 0);
        let clock = Clock {
            start,
            due,
            pauses: &[],
            paused: false,
            met_at: None,
        };
        let at = |h, m| read_clock(&calendar, &clock, bog(6, h, m));
        assert_eq!(at(9, 0).status, ClockStatus::OnTrack);
        assert_eq!(at(9, 0).remaining_minutes, 420);
        assert_eq!(at(14, 0).status, ClockStatus::OnTrack, "exactly 25 % left");
        assert_eq!(at(14, 1).status, ClockStatus::AtRisk);
        assert_eq!(at(16, 0).status, ClockStatus::AtRisk);
        assert_eq!(at(16, 0).remaining_minutes, 0);
        assert_eq!(at(16, 1).status, ClockStatus::Breached);
        assert_eq!(at(17, 0).remaining_minutes, -60);
        let late_evening = read_clock(&calendar, &clock, bog(6, 20, 0));
        assert_eq!(late_evening.status, ClockStatus::Breached);
        assert_eq!(late_evening.remaining_minutes, -120);

        let met = Clock {
            met_at: Some(bog(6, 15, 0)),
            ..clock
        };
        let reading = read_clock(&calendar, &met, bog(7, 9, 0));
        assert_eq!(
            (reading.status, reading.remaining_minutes),
            (ClockStatus::Met, 60)
        );
        assert_eq!(met.met_on_time(), Some(true));
        let late = Clock {
            met_at: Some(bog(6, 16, 0) + chrono::Duration::seconds(30)),
            ..clock
        };
        assert_eq!(
            read_clock(&calendar, &late, bog(7, 9, 0)).remaining_minutes,
            -1
        );
        assert_eq!(late.met_on_time(), Some(false));
    }

    #[test]
    fn a_paused_clock_keeps_its_remaining_time() {
        let calendar = BusinessCalendar::default();
        let start = bog(6, 8, 0);
        let read_at = |now: DateTime<Utc>| {
            let pauses = [Pause::new(bog(6, 10, 0), now)];
            let due = calendar.add_business_minutes(start, 240, &pauses);
            let clock = Clock {
                start,
                due,
                pauses: &pauses,
                paused: true,
                met_at: None,
            };
            read_clock(&calendar, &clock, now)
        };
        for now in [bog(6, 11, 0), bog(7, 15, 0), bog(14, 9, 30)] {
            let reading = read_at(now);
            assert_eq!(reading.status, ClockStatus::Paused);
            assert_eq!(reading.remaining_minutes, 120);
        }
    }

    #[test]
    fn a_calendar_time_clock_counts_nights_and_holidays() {
        // Seed 002 §4: received Friday 17 July 2026 at 17:00, first contact due 24 h later,
        // Saturday 17:00, although Monday 20 July is a holiday and the desk is closed.
        let start = bog(17, 17, 0);
        let due = start + chrono::Duration::hours(24);
        let clock = Clock {
            start,
            due,
            pauses: &[],
            paused: false,
            met_at: None,
        };
        let policy = ClockPolicy::default();
        let night = policy.read_calendar_time(&clock, bog(17, 23, 0));
        assert_eq!(night.status, ClockStatus::OnTrack);
        assert_eq!(night.remaining_minutes, 18 * 60);
        // Less than a quarter (6 h) left at 11:01 on Saturday.
        assert_eq!(
            policy.read_calendar_time(&clock, bog(18, 11, 1)).status,
            ClockStatus::AtRisk
        );
        assert_eq!(
            policy.read_calendar_time(&clock, bog(18, 17, 1)).status,
            ClockStatus::Breached
        );
        let met = Clock {
            met_at: Some(bog(18, 9, 0)),
            ..clock
        };
        let reading = policy.read_calendar_time(&met, bog(19, 9, 0));
        assert_eq!(
            (reading.status, reading.remaining_minutes),
            (ClockStatus::Met, 8 * 60)
        );
        assert_eq!(met.met_on_time(), Some(true));
    }
}
