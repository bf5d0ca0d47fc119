//! Customer tier (seed 000 §3–§4) and the ANS guarantee (seed 000 §9).
//!
//! Seed 000 defines VIP as a monthly contract "cuyo valor supera 1.5 SMLMV" in its definitions
//! but "superior a 1.1 SMLMV" in its table, so the threshold is configuration
//! ([`TierPolicy::vip_threshold_smlmv`], default 1.5 from the definitions).
//!
//! Regular versus Flotante is decided by whether there is a monthly contract, not by its value:
//! the seed defines Regulares as clients *with* a monthly contract that does not exceed the
//! threshold, and Flotante as clients "que no tienen un contrato mensual específico" (its table
//! gives Flotante no contract value at all). So any monthly contract up to the threshold is
//! Regular, and no contract (or a contract of value zero) is Flotante.

coded_enum! {
    /// The customer's level of service, which sets first-response times and allowed priorities.
    pub enum Tier {
        /// Monthly contract above the VIP threshold.
        Vip => ("vip", "VIP"),
        /// Monthly contract up to the VIP threshold.
        Regular => ("regular", "Regular"),
        /// No monthly contract: occasional requests.
        Flotante => ("flotante", "Flotante"),
    }
}

coded_enum! {
    /// Whether the customer's service is running (seed 000 §9; seed 003 account kinds).
    pub enum ServiceStatus {
        /// The service is active.
        Activo => ("activo", "Activo"),
        /// Suspended (for instance for non-payment): not active, so no ANS guarantee.
        Suspendido => ("suspendido", "Suspendido"),
        /// Cancellation requested but not yet effective.
        CancelacionPendiente => ("cancelacion_pendiente", "Cancelación pendiente"),
        /// The service was cancelled.
        Cancelado => ("cancelado", "Cancelado"),
    }
}

coded_enum! {
    /// Whether the customer's invoices are paid (seed 000 §9).
    pub enum PaymentStatus {
        /// Every invoice is paid.
        AlDia => ("al_dia", "Al día"),
        /// At least one invoice is overdue.
        EnMora => ("en_mora", "En mora"),
    }
}

/// Salario mínimo legal mensual vigente of `year`, in COP, when this crate knows it.
///
/// 2023: 1.160.000 (base of the 2024 increase); 2024: Decreto 2292 de 2023; 2025: Decreto 1572
/// de 2024; 2026: Decreto 1469 de 2025, kept by the transitional Decreto 0159 de 2026 after the
/// Consejo de Estado suspended the first one (REFERENCE.md §3).
pub fn smlmv(year: i32) -> Option<i64> {
    KNOWN_SMLMV
        .iter()
        .find(|(known_year, _)| *known_year == year)
        .map(|&(_, value)| value)
}

const KNOWN_SMLMV: [(i32, i64); 4] = [
    (2023, 1_160_000),
    (2024, 1_300_000),
    (2025, 1_423_500),
    (2026, 1_750_905),
];
const LATEST_SMLMV: (i32, i64) = KNOWN_SMLMV[KNOWN_SMLMV.len() - 1];

/// How contract values map to tiers.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TierPolicy {
    /// A monthly contract strictly above this many SMLMV is VIP ("supera"). Default 1.5 (seed
    /// 000 §3); the seed's table says 1.1. Precision: thousandths of an SMLMV.
    pub vip_threshold_smlmv: f64,
    /// SMLMV values for years this crate does not know yet (or corrections), `(year, COP)`;
    /// they take precedence over [`smlmv`].
    pub smlmv_overrides: Vec<(i32, i64)>,
}

impl Default for TierPolicy {
    fn default() -> Self {
        Self {
            vip_threshold_smlmv: 1.5,
            smlmv_overrides: Vec::new(),
        }
    }
}

impl TierPolicy {
    /// The tier of a customer whose monthly contract is worth `monthly_contract_cop` in `year`.
    ///
    /// No contract, or a value of zero or less, is Flotante. A year with no known SMLMV uses the
    /// nearest known year (the last decreed value until the next decree is configured).
    pub fn tier_for(&self, monthly_contract_cop: Option<i64>, year: i32) -> Tier {
        let Some(value) = monthly_contract_cop.filter(|&value| value > 0) else {
            return Tier::Flotante;
        };
        let minimum_wage = self.smlmv_for(year);
        let threshold_thousandths = (self.vip_threshold_smlmv * 1000.0).round() as i128;
        if i128::from(value) * 1000 > threshold_thousandths * i128::from(minimum_wage) {
            Tier::Vip
        } else {
            Tier::Regular
        }
    }

    /// The SMLMV used for `year`: an override, the known value, or the nearest known year's.
    pub fn smlmv_for(&self, year: i32) -> i64 {
        if let Some(&(_, value)) = self.smlmv_overrides.iter().find(|(y, _)| *y == year) {
            return value;
        }
        self.smlmv_overrides
            .iter()
            .chain(KNOWN_SMLMV.iter())
            .min_by_key(|(known_year, _)| {
                let distance = (i64::from(*known_year) - i64::from(year)).abs();
                (distance, -i64::from(*known_year))
            })
            .map_or(LATEST_SMLMV.1, |&(_, value)| value)
    }
}

/// Where an account stands for the desk: the tier that sets its first-response times and
/// priorities (seed 000 §3–§4), and whether its requests carry the ANS guarantee (§9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub tier: Tier,
    pub ans_guaranteed: bool,
}

impl TierPolicy {
    /// The standing of an account from what is stored of it: the monthly contract in COP,
    /// the service state's code and whether payments are up to date, in `year`. A service
    /// state this crate does not know counts as not active, so it never earns a guarantee.
    pub fn standing(
        &self,
        monthly_contract_cop: Option<i64>,
        service_status: &str,
        payments_up_to_date: bool,
        year: i32,
    ) -> Standing {
        Standing {
            tier: self.tier_for(monthly_contract_cop, year),
            ans_guaranteed: ans_guaranteed(
                ServiceStatus::from_code(service_status) == Some(ServiceStatus::Activo),
                payments_up_to_date,
            ),
        }
    }
}

/// Whether requests from an account carry the first-response guarantee: only while the service
/// is active and payments are up to date (seed 000 §9). Other accounts still get their requests
/// registered, marked "sin garantía de ANS" (DESIGN.md §3).
pub fn ans_guaranteed(service_active: bool, payments_up_to_date: bool) -> bool {
    service_active && payments_up_to_date
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_joins_tier_and_guarantee() {
        let policy = TierPolicy::default();
        let vip = policy.standing(Some(3_000_000), "activo", true, 2026);
        assert_eq!(
            vip,
            Standing {
                tier: Tier::Vip,
                ans_guaranteed: true
            }
        );
        let in_arrears = policy.standing(Some(1_000_000), "activo", false, 2026);
        assert_eq!(in_arrears.tier, Tier::Regular);
        assert!(!in_arrears.ans_guaranteed);
        assert!(
            !policy
                .standing(None, "cancelado", true, 2026)
                .ans_guaranteed
        );
        assert!(
            !policy
                .standing(None, "cancelacion_pendiente", true, 2026)
                .ans_guaranteed
        );
        assert!(
            !policy
                .standing(None, "desconocido", true, 2026)
                .ans_guaranteed
        );
        assert_eq!(
            policy.standing(None, "activo", true, 2026).tier,
            Tier::Flotante
        );
    }

    #[test]
    fn minimum_wages() {
        assert_eq!(smlmv(2024), Some(1_300_000));
        assert_eq!(smlmv(2025), Some(1_423_500));
        assert_eq!(smlmv(2026), Some(1_750_905));
        assert_eq!(smlmv(2019), None);
    }

    #[test]
    fn vip_is_strictly_above_the_threshold() {
        let policy = TierPolicy::default();
        // 1.5 × 1.423.500 = 2.135.250
        assert_eq!(policy.tier_for(Some(2_135_250), 2025), Tier::Regular);
        assert_eq!(policy.tier_for(Some(2_135_251), 2025), Tier::Vip);
        // 1.5 × 1.750.905 = 2.626.357,5
        assert_eq!(policy.tier_for(Some(2_626_357), 2026), Tier::Regular);
        assert_eq!(policy.tier_for(Some(2_626_358), 2026), Tier::Vip);
    }

    #[test]
    fn the_table_threshold_is_configurable() {
        let policy = TierPolicy {
            vip_threshold_smlmv: 1.1,
            ..TierPolicy::default()
        };
        // 1.1 × 1.423.500 = 1.565.850, exactly, despite 1.1 not being exact in binary.
        assert_eq!(policy.tier_for(Some(1_565_850), 2025), Tier::Regular);
        assert_eq!(policy.tier_for(Some(1_565_851), 2025), Tier::Vip);
    }

    #[test]
    fn no_contract_is_flotante_and_any_contract_is_at_least_regular() {
        let policy = TierPolicy::default();
        assert_eq!(policy.tier_for(None, 2026), Tier::Flotante);
        assert_eq!(policy.tier_for(Some(0), 2026), Tier::Flotante);
        assert_eq!(policy.tier_for(Some(1), 2026), Tier::Regular);
    }

    #[test]
    fn unknown_years_use_the_nearest_known_value_or_an_override() {
        let policy = TierPolicy::default();
        assert_eq!(policy.smlmv_for(2030), 1_750_905);
        assert_eq!(policy.smlmv_for(2010), 1_160_000);
        let policy = TierPolicy {
            smlmv_overrides: vec![(2027, 2_000_000)],
            ..TierPolicy::default()
        };
        assert_eq!(policy.smlmv_for(2027), 2_000_000);
        assert_eq!(policy.smlmv_for(2028), 2_000_000);
        assert_eq!(policy.tier_for(Some(2_700_000), 2027), Tier::Regular);
    }

    #[test]
    fn ans_needs_active_service_and_payments_up_to_date() {
        assert!(ans_guaranteed(true, true));
        assert!(!ans_guaranteed(false, true));
        assert!(!ans_guaranteed(true, false));
        assert!(!ans_guaranteed(false, false));
    }
}
