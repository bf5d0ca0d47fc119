//! The ANS settings an organization publishes (issue 19): the first-response matrix by tier
//! and priority (seed 000 §4), the VIP threshold in SMLMV (seed 000 §3: "1.5 SMLMV" in its
//! definitions, "1.1" in its table — the organization decides), the SMLMV of years this crate
//! does not know yet, the automatic-close days (seed 000 §10) and the share of answers sent to
//! quality review (seed 002 §4).
//!
//! Seed 000 §11: "El ANS se revisa … y los cambios se informan a los clientes con
//! anticipación". So settings are published as numbered versions with an effective date; a
//! request keeps the version it was filed under, and its clocks never change afterwards.
//! [`AnsSettings::check`] is the one gate a version passes before it is stored.

use chrono::{NaiveDate, NaiveTime};

use crate::calendar::{BusinessCalendar, OpeningHours, WeeklySchedule};
use crate::sla::{Priority, SlaMatrix};
use crate::tier::{Tier, TierPolicy};

/// Longest first-response time accepted, in business hours: a month of working days. More is
/// a typing error, not a service level.
pub const MAX_HOURS: u32 = 240;

/// One version's settings.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AnsSettings {
    pub matrix: SlaMatrix,
    /// The VIP threshold and the SMLMV of years beyond the built-in table.
    pub tiers: TierPolicy,
    /// Days without a customer reply before an answered request closes itself.
    pub auto_close_days: u32,
    /// Percentage of answers an asesor sends that go to quality review first.
    pub review_sample_percent: u32,
    /// When the desk works: the business hours and days every clock of a request filed under
    /// this version counts. Versions stored before it existed read the default and are
    /// completed with the installation's hours when the database opens.
    #[serde(default)]
    pub business_hours: BusinessHours,
    /// Seed 002 §4: "primer contacto … dentro de las 24 horas". When set, every request filed
    /// under this version has a clock of its own: a first public contact within this many
    /// calendar hours of receipt, whatever its type, tier or guarantee.
    #[serde(default)]
    pub first_contact_hours: Option<u32>,
}

/// Longest first-contact time accepted, in calendar hours: a month.
pub const MAX_FIRST_CONTACT_HOURS: u32 = 720;

/// The desk's working time in Bogotá: Monday to Friday from one hour to another, Saturday
/// optionally, and the local non-working days (días cívicos, a local holiday) on top of the
/// national holidays, which are always closed (Ley 51 de 1983; REFERENCE.md §2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct BusinessHours {
    /// Opening and closing time, Monday to Friday.
    pub weekdays: (NaiveTime, NaiveTime),
    /// Opening and closing time on Saturday; `None` when closed.
    pub saturday: Option<(NaiveTime, NaiveTime)>,
    /// Extra closed days, ascending.
    pub extra_non_working_days: Vec<NaiveDate>,
}

impl Default for BusinessHours {
    /// DESIGN.md §3: Monday to Friday, 08:00–18:00.
    fn default() -> Self {
        Self {
            weekdays: (
                NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
                NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN),
            ),
            saturday: None,
            extra_non_working_days: Vec::new(),
        }
    }
}

impl BusinessHours {
    /// Whether these are the default hours (what a timer need not carry).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The calendar these hours describe. Hours that fail [`AnsSettings::check`] fall back to
    /// the default for that day range; a checked version never does.
    pub fn calendar(&self) -> BusinessCalendar {
        let weekdays = OpeningHours::new(self.weekdays.0, self.weekdays.1)
            .ok()
            .or_else(|| WeeklySchedule::default().hours(chrono::Weekday::Mon));
        let saturday = self
            .saturday
            .and_then(|(open, close)| OpeningHours::new(open, close).ok());
        let mut days = [None; 7];
        for day in days.iter_mut().take(5) {
            *day = weekdays;
        }
        days[5] = saturday;
        let schedule = WeeklySchedule::new(days).unwrap_or_default();
        BusinessCalendar::new(schedule)
            .with_extra_non_working_days(self.extra_non_working_days.clone())
    }

    fn check(&self) -> Result<(), AnsError> {
        if OpeningHours::new(self.weekdays.0, self.weekdays.1).is_err() {
            return Err(AnsError::WeekdayHoursEmpty);
        }
        if let Some((open, close)) = self.saturday {
            if OpeningHours::new(open, close).is_err() {
                return Err(AnsError::SaturdayHoursEmpty);
            }
        }
        let mut seen: Vec<NaiveDate> = Vec::new();
        for &day in &self.extra_non_working_days {
            if !(2000..=2100).contains(&chrono::Datelike::year(&day)) {
                return Err(AnsError::NonWorkingDayOutOfRange(day));
            }
            if seen.contains(&day) {
                return Err(AnsError::NonWorkingDayTwice(day));
            }
            seen.push(day);
        }
        Ok(())
    }
}

impl Default for AnsSettings {
    fn default() -> Self {
        Self {
            matrix: SlaMatrix::default(),
            tiers: TierPolicy::default(),
            auto_close_days: 3,
            review_sample_percent: 50,
            business_hours: BusinessHours::default(),
            first_contact_hours: None,
        }
    }
}

/// A published version: its number, the instant it takes effect (Unix seconds) and its
/// settings. A request keeps its number.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AnsVersion {
    pub number: i64,
    pub effective_at: i64,
    pub settings: AnsSettings,
}

/// Why a version was refused; `Display` is the message the admin reads.
#[derive(Debug, Clone, PartialEq)]
pub enum AnsError {
    /// A time of 0 or beyond [`MAX_HOURS`].
    HoursOutOfRange {
        tier: Tier,
        priority: Priority,
    },
    /// A tier that may use no priority at all could not file.
    TierWithoutPriority(Tier),
    /// A less urgent priority answered sooner than a more urgent one of the same tier.
    LowerPriorityFaster {
        tier: Tier,
        faster: Priority,
        slower: Priority,
    },
    VipThresholdOutOfRange,
    SmlmvYearOutOfRange(i32),
    SmlmvOutOfRange(i32),
    SmlmvYearTwice(i32),
    AutoCloseDaysOutOfRange,
    ReviewSampleOutOfRange,
    /// Monday to Friday closes at or before it opens.
    WeekdayHoursEmpty,
    /// Saturday closes at or before it opens.
    SaturdayHoursEmpty,
    NonWorkingDayOutOfRange(NaiveDate),
    NonWorkingDayTwice(NaiveDate),
    FirstContactHoursOutOfRange,
}

impl core::fmt::Display for AnsError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::HoursOutOfRange { tier, priority } => write!(
                f,
                "{} · prioridad {}: escriba de 1 a {MAX_HOURS} horas hábiles, o déjela vacía si ese segmento no puede usarla.",
                tier.label_es(),
                priority.label_es().to_lowercase()
            ),
            Self::TierWithoutPriority(tier) => write!(
                f,
                "{}: debe poder usar al menos una prioridad, o sus clientes no podrían radicar.",
                tier.label_es()
            ),
            Self::LowerPriorityFaster {
                tier,
                faster,
                slower,
            } => write!(
                f,
                "{}: la prioridad {} no puede tener menos horas que la prioridad {}; una prioridad más baja no se atiende antes que una más alta.",
                tier.label_es(),
                slower.label_es().to_lowercase(),
                faster.label_es().to_lowercase()
            ),
            Self::VipThresholdOutOfRange => f.write_str(
                "El umbral VIP debe estar entre 0,1 y 100 SMLMV (el seed 000 habla de 1,1 o 1,5).",
            ),
            Self::SmlmvYearOutOfRange(year) => write!(
                f,
                "SMLMV: el año {year} no es válido; escriba un año entre 2000 y 2100."
            ),
            Self::SmlmvOutOfRange(year) => write!(
                f,
                "SMLMV {year}: escriba el valor mensual en pesos, entre $ 100.000 y $ 100.000.000."
            ),
            Self::SmlmvYearTwice(year) => {
                write!(f, "SMLMV: el año {year} está dos veces.")
            }
            Self::AutoCloseDaysOutOfRange => f.write_str(
                "Los días para el cierre automático deben estar entre 1 y 30.",
            ),
            Self::ReviewSampleOutOfRange => f.write_str(
                "La muestra para revisión de calidad es un porcentaje entre 0 y 100.",
            ),
            Self::WeekdayHoursEmpty => f.write_str(
                "Horario de lunes a viernes: la hora de cierre debe ser posterior a la de apertura (un solo tramo por día, sin cruces).",
            ),
            Self::SaturdayHoursEmpty => f.write_str(
                "Horario del sábado: la hora de cierre debe ser posterior a la de apertura, o deje el sábado cerrado.",
            ),
            Self::NonWorkingDayOutOfRange(day) => write!(
                f,
                "Día no hábil {}: escriba una fecha entre 2000 y 2100.",
                day.format("%Y-%m-%d")
            ),
            Self::NonWorkingDayTwice(day) => write!(
                f,
                "Días no hábiles: el {} está dos veces.",
                day.format("%Y-%m-%d")
            ),
            Self::FirstContactHoursOutOfRange => write!(
                f,
                "El primer contacto debe estar entre 1 y {MAX_FIRST_CONTACT_HOURS} horas calendario, o déjelo vacío si no se mide."
            ),
        }
    }
}

impl AnsSettings {
    /// Every rule a version must meet, the first broken one as the error.
    pub fn check(&self) -> Result<(), AnsError> {
        for tier in Tier::ALL {
            let hours: Vec<(Priority, u32)> = Priority::ALL
                .into_iter()
                .filter_map(|p| self.matrix.first_response_hours(tier, p).map(|h| (p, h)))
                .collect();
            if hours.is_empty() {
                return Err(AnsError::TierWithoutPriority(tier));
            }
            if let Some(&(priority, _)) = hours.iter().find(|(_, h)| !(1..=MAX_HOURS).contains(h)) {
                return Err(AnsError::HoursOutOfRange { tier, priority });
            }
            // Priority::ALL is most urgent first: the hours must not go down along it.
            for pair in hours.windows(2) {
                let ((faster, urgent_hours), (slower, lax_hours)) = (pair[0], pair[1]);
                if lax_hours < urgent_hours {
                    return Err(AnsError::LowerPriorityFaster {
                        tier,
                        faster,
                        slower,
                    });
                }
            }
        }
        let threshold = self.tiers.vip_threshold_smlmv;
        if !(threshold.is_finite() && (0.1..=100.0).contains(&threshold)) {
            return Err(AnsError::VipThresholdOutOfRange);
        }
        let mut years = Vec::new();
        for &(year, value) in &self.tiers.smlmv_overrides {
            if !(2000..=2100).contains(&year) {
                return Err(AnsError::SmlmvYearOutOfRange(year));
            }
            if !(100_000..=100_000_000).contains(&value) {
                return Err(AnsError::SmlmvOutOfRange(year));
            }
            if years.contains(&year) {
                return Err(AnsError::SmlmvYearTwice(year));
            }
            years.push(year);
        }
        if !(1..=30).contains(&self.auto_close_days) {
            return Err(AnsError::AutoCloseDaysOutOfRange);
        }
        if self.review_sample_percent > 100 {
            return Err(AnsError::ReviewSampleOutOfRange);
        }
        self.business_hours.check()?;
        if self
            .first_contact_hours
            .is_some_and(|hours| !(1..=MAX_FIRST_CONTACT_HOURS).contains(&hours))
        {
            return Err(AnsError::FirstContactHoursOutOfRange);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_defaults_pass() {
        assert_eq!(AnsSettings::default().check(), Ok(()));
    }

    #[test]
    fn a_lower_priority_may_not_be_faster() {
        let mut settings = AnsSettings::default();
        settings.matrix = settings
            .matrix
            .with_hours(Tier::Vip, Priority::Baja, Some(2));
        assert_eq!(
            settings.check(),
            Err(AnsError::LowerPriorityFaster {
                tier: Tier::Vip,
                faster: Priority::Media,
                slower: Priority::Baja
            })
        );
        let message = settings.check().unwrap_err().to_string();
        assert!(
            message.contains(
                "VIP: la prioridad baja no puede tener menos horas que la prioridad media"
            ),
            "{message}"
        );
        // Equal times are allowed: the organization may not distinguish two priorities.
        settings.matrix = settings
            .matrix
            .with_hours(Tier::Vip, Priority::Baja, Some(3));
        assert_eq!(settings.check(), Ok(()));
    }

    #[test]
    fn every_number_has_its_bounds() {
        let base = AnsSettings::default();
        let cases: Vec<(AnsSettings, AnsError)> = vec![
            (
                AnsSettings {
                    matrix: base
                        .matrix
                        .clone()
                        .with_hours(Tier::Regular, Priority::Media, Some(0)),
                    ..base.clone()
                },
                AnsError::HoursOutOfRange {
                    tier: Tier::Regular,
                    priority: Priority::Media,
                },
            ),
            (
                AnsSettings {
                    matrix: base
                        .matrix
                        .clone()
                        .with_hours(Tier::Flotante, Priority::Media, None)
                        .with_hours(Tier::Flotante, Priority::Baja, None),
                    ..base.clone()
                },
                AnsError::TierWithoutPriority(Tier::Flotante),
            ),
            (
                AnsSettings {
                    tiers: TierPolicy {
                        vip_threshold_smlmv: 0.0,
                        ..TierPolicy::default()
                    },
                    ..base.clone()
                },
                AnsError::VipThresholdOutOfRange,
            ),
            (
                AnsSettings {
                    tiers: TierPolicy {
                        smlmv_overrides: vec![(2027, 50_000)],
                        ..TierPolicy::default()
                    },
                    ..base.clone()
                },
                AnsError::SmlmvOutOfRange(2027),
            ),
            (
                AnsSettings {
                    tiers: TierPolicy {
                        smlmv_overrides: vec![(2027, 1_900_000), (2027, 1_950_000)],
                        ..TierPolicy::default()
                    },
                    ..base.clone()
                },
                AnsError::SmlmvYearTwice(2027),
            ),
            (
                AnsSettings {
                    auto_close_days: 0,
                    ..base.clone()
                },
                AnsError::AutoCloseDaysOutOfRange,
            ),
            (
                AnsSettings {
                    review_sample_percent: 101,
                    ..base.clone()
                },
                AnsError::ReviewSampleOutOfRange,
            ),
        ];
        for (settings, error) in cases {
            assert_eq!(settings.check(), Err(error));
        }
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn business_hours_refuse_crossed_hours_and_repeated_days() {
        let with = |business_hours| AnsSettings {
            business_hours,
            ..AnsSettings::default()
        };
        let crossed = BusinessHours {
            weekdays: (t(18, 0), t(8, 0)),
            ..BusinessHours::default()
        };
        assert_eq!(with(crossed).check(), Err(AnsError::WeekdayHoursEmpty));
        let saturday = BusinessHours {
            saturday: Some((t(12, 0), t(12, 0))),
            ..BusinessHours::default()
        };
        assert_eq!(with(saturday).check(), Err(AnsError::SaturdayHoursEmpty));
        let twice = BusinessHours {
            extra_non_working_days: vec![d(2027, 7, 15), d(2027, 7, 15)],
            ..BusinessHours::default()
        };
        let message = with(twice.clone()).check().unwrap_err().to_string();
        assert_eq!(message, "Días no hábiles: el 2027-07-15 está dos veces.");
        let far = BusinessHours {
            extra_non_working_days: vec![d(2200, 1, 2)],
            ..BusinessHours::default()
        };
        assert_eq!(
            with(far).check(),
            Err(AnsError::NonWorkingDayOutOfRange(d(2200, 1, 2)))
        );
        let first_contact = AnsSettings {
            first_contact_hours: Some(0),
            ..AnsSettings::default()
        };
        assert_eq!(
            first_contact.check(),
            Err(AnsError::FirstContactHoursOutOfRange)
        );
    }

    #[test]
    fn business_hours_make_the_calendar_clocks_count_on() {
        let hours = BusinessHours {
            weekdays: (t(7, 0), t(17, 0)),
            saturday: Some((t(8, 0), t(12, 0))),
            extra_non_working_days: vec![d(2027, 7, 15)],
        };
        assert_eq!(with_hours_check(&hours), Ok(()));
        let calendar = hours.calendar();
        // Thursday 15 July 2027 is the extra day; Saturday 17 opens 08:00–12:00.
        assert!(!calendar.is_business_day(d(2027, 7, 15)));
        assert!(calendar.is_business_day(d(2027, 7, 17)));
        let opening = calendar.opening_instant(d(2027, 7, 16)).unwrap();
        assert_eq!(
            opening.with_timezone(&crate::calendar::bogota()).time(),
            t(7, 0)
        );
        assert!(BusinessHours::default().is_default());
        assert_eq!(
            BusinessHours::default().calendar(),
            BusinessCalendar::default()
        );
    }

    fn with_hours_check(hours: &BusinessHours) -> Result<(), AnsError> {
        AnsSettings {
            business_hours: hours.clone(),
            ..AnsSettings::default()
        }
        .check()
    }

    #[test]
    fn versions_stored_before_business_hours_still_read() {
        let stored = serde_json::to_value(AnsSettings::default()).unwrap();
        let mut legacy = stored.as_object().unwrap().clone();
        legacy.remove("business_hours");
        legacy.remove("first_contact_hours");
        let read: AnsSettings = serde_json::from_value(legacy.into()).unwrap();
        assert_eq!(read, AnsSettings::default());
    }
}
