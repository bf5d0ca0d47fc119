//! An account's standing read from its stored row: the one place the app turns the columns
//! `monthly_contract_cop`, `service_status` and `payments_up_to_date` into a tier and an ANS
//! guarantee (the rule itself is `ventanilla::tier::TierPolicy::standing`, seed 000 §3, §9).

use sqlx::Row;
use ventanilla::tier::{Standing, TierPolicy};

/// The standing of the account in `row` (which must select the three columns) in `year`,
/// with the configured tiers (`VENTANILLA_VIP_THRESHOLD_SMLMV`).
pub fn of_row(tiers: &TierPolicy, row: &sqlx::any::AnyRow, year: i32) -> Standing {
    tiers.standing(
        row.get("monthly_contract_cop"),
        &row.get::<String, _>("service_status"),
        row.get::<i64, _>("payments_up_to_date") == 1,
        year,
    )
}
