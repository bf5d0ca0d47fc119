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
}

impl Default for AnsSettings {
    fn default() -> Self {
        Self {
            matrix: SlaMatrix::default(),
            tiers: TierPolicy::default(),
            auto_close_days: 3,
            review_sample_percent: 50,
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
}
