//! Changing a customer's commercial data (issue 19): the contract value that sets the tier,
//! the service state and payments that set the ANS guarantee (seed 000 §3, §9), the account
//! kind and segment the detractor desk reads (seed 003 §4).
//!
//! Each change is audited with the old and the new values and its reason, in the
//! transaction that makes it. Requests already filed keep the tier and guarantee they were
//! filed with (they are stored on the request); the next filing reads the new data. Two
//! people saving the same account at once: the second is told, nothing is overwritten.

use serde_json::json;
use sqlx::Row;
use ventanilla::customer::{self as rules, AccountKind, CommercialData, CommercialError};
use ventanilla::tier::{ServiceStatus, Standing, TierPolicy};

use crate::error::AppError;
use crate::platform::audit::{self, Actor};

/// The fields a change names; `None` leaves a field as it is. The contract is doubly
/// optional: `Some(None)` removes it (the customer becomes Flotante).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommercialPatch {
    pub monthly_contract_cop: Option<Option<i64>>,
    pub service_status: Option<String>,
    pub payments_up_to_date: Option<bool>,
    pub kind: Option<String>,
    pub segment: Option<String>,
}

impl CommercialPatch {
    /// Whether the patch names no field at all.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

fn invalid(error: CommercialError) -> AppError {
    AppError::validation(error.to_string())
}

/// What a patch makes of `current`, each field checked; nothing is stored here.
pub fn patched(
    current: &CommercialData,
    patch: &CommercialPatch,
) -> Result<CommercialData, AppError> {
    Ok(CommercialData {
        monthly_contract_cop: match patch.monthly_contract_cop {
            Some(value) => rules::check_contract(value).map_err(invalid)?,
            None => current.monthly_contract_cop,
        },
        service_status: match &patch.service_status {
            Some(code) => rules::service_status(code).map_err(invalid)?,
            None => current.service_status,
        },
        payments_up_to_date: patch
            .payments_up_to_date
            .unwrap_or(current.payments_up_to_date),
        kind: match &patch.kind {
            Some(code) => rules::account_kind(code).map_err(invalid)?,
            None => current.kind,
        },
        segment: match &patch.segment {
            Some(raw) => rules::segment(raw).map_err(invalid)?,
            None => current.segment.clone(),
        },
    })
}

/// The account's commercial data and revision, as stored.
pub async fn load(
    conn: &mut sqlx::AnyConnection,
    account_id: &str,
) -> Result<(CommercialData, i64), AppError> {
    let row = sqlx::query(
        "SELECT monthly_contract_cop, service_status, payments_up_to_date, kind, segment, revision \
         FROM accounts WHERE id = $1",
    )
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((of_row(&row), row.get("revision")))
}

/// The commercial data in a row that selects its five columns.
pub fn of_row(row: &sqlx::any::AnyRow) -> CommercialData {
    CommercialData {
        monthly_contract_cop: row.get("monthly_contract_cop"),
        // Values stored before these rules (or by an older import) read as the closest
        // known one rather than failing the whole page.
        service_status: ServiceStatus::from_code(&row.get::<String, _>("service_status"))
            .unwrap_or(ServiceStatus::Cancelado),
        payments_up_to_date: row.get::<i64, _>("payments_up_to_date") == 1,
        kind: rules::account_kind(&row.get::<String, _>("kind")).unwrap_or(AccountKind::Normal),
        segment: row.get("segment"),
    }
}

pub fn as_json(data: &CommercialData) -> serde_json::Value {
    json!({
        "monthly_contract_cop": data.monthly_contract_cop,
        "service_status": data.service_status.code(),
        "payments_up_to_date": data.payments_up_to_date,
        "kind": data.kind.code(),
        "segment": data.segment,
    })
}

/// What a saved change left: the account's data, its standing this year and its revision.
#[derive(Debug, Clone)]
pub struct Saved {
    pub data: CommercialData,
    pub standing: Standing,
    pub revision: i64,
    /// False when the patch matched what was stored: nothing was written.
    pub changed: bool,
}

/// Applies `patch` to the account `account_id`. `read_revision` is the revision the person
/// saw (the form's); a different stored revision is a conflict. The API, which has no form,
/// passes `None` and its change applies over whatever is stored, still atomically.
pub async fn change(
    pool: &sqlx::AnyPool,
    tiers: &TierPolicy,
    actor: &Actor<'_>,
    account_id: &str,
    patch: &CommercialPatch,
    read_revision: Option<i64>,
    reason: &str,
) -> Result<Saved, AppError> {
    let reason = reason.trim();
    if !(5..=500).contains(&reason.chars().count()) {
        return Err(AppError::validation(
            "Escriba el motivo del cambio (entre 5 y 500 caracteres): queda en el historial del cliente.",
        ));
    }
    let mut tx = crate::platform::db::begin(pool).await?;
    let (before, revision) = load(&mut tx, account_id.trim()).await?;
    if read_revision.is_some_and(|read| read != revision) {
        return Err(AppError::Conflict(
            "Otra persona cambió los datos de este cliente mientras usted editaba. Recargue la página y vuelva a aplicar su cambio.".into(),
        ));
    }
    let after = patched(&before, patch)?;
    if after == before {
        return Ok(Saved {
            standing: standing_of(tiers, &after),
            data: after,
            revision,
            changed: false,
        });
    }
    let is = store_change(
        &mut tx,
        tiers,
        actor,
        account_id.trim(),
        (&before, &after),
        revision,
        json!({ "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(Saved {
        data: after,
        standing: is,
        revision: revision + 1,
        changed: true,
    })
}

/// Writes `change.1` over `change.0` on the account read at `revision`, with its audit event
/// (`cliente_datos_comerciales`: both values, the tiers they give, and `context` — the
/// reason, the import), in the caller's transaction. Returns the standing the new data gives.
/// A revision moved meanwhile is a conflict: nothing is overwritten.
pub async fn store_change(
    tx: &mut crate::platform::db::Tx,
    tiers: &TierPolicy,
    actor: &Actor<'_>,
    account_id: &str,
    change: (&CommercialData, &CommercialData),
    revision: i64,
    context: serde_json::Value,
) -> Result<Standing, AppError> {
    let (before, after) = change;
    let updated = sqlx::query(
        "UPDATE accounts SET monthly_contract_cop = $1, service_status = $2, payments_up_to_date = $3, \
         kind = $4, segment = $5, revision = revision + 1 WHERE id = $6 AND revision = $7",
    )
    .bind(after.monthly_contract_cop)
    .bind(after.service_status.code())
    .bind(i64::from(after.payments_up_to_date))
    .bind(after.kind.code())
    .bind(&after.segment)
    .bind(account_id)
    .bind(revision)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "Otra persona cambió los datos de este cliente en este momento. Recargue la página."
                .into(),
        ));
    }
    let (was, is) = (standing_of(tiers, before), standing_of(tiers, after));
    let mut details = json!({
        "before": as_json(before),
        "after": as_json(after),
        "tier_before": was.tier.code(),
        "tier_after": is.tier.code(),
        "ans_guaranteed_after": is.ans_guaranteed,
    });
    if let (Some(details), Some(context)) = (details.as_object_mut(), context.as_object()) {
        details.extend(context.clone());
    }
    audit::record(
        tx,
        actor,
        "cliente_datos_comerciales",
        "account",
        account_id,
        details,
    )
    .await?;
    Ok(is)
}

/// Where `data` puts the account this year.
pub fn standing_of(tiers: &TierPolicy, data: &CommercialData) -> Standing {
    tiers.standing(
        data.monthly_contract_cop,
        data.service_status.code(),
        data.payments_up_to_date,
        crate::customers::server::directory::this_year(),
    )
}

/// The commercial data of a new account: no contract (Flotante), active, paying, normal, in
/// the first segment.
pub fn for_new_account() -> CommercialData {
    CommercialData {
        monthly_contract_cop: None,
        service_status: ServiceStatus::Activo,
        payments_up_to_date: true,
        kind: AccountKind::Normal,
        segment: "hogar".to_string(),
    }
}
