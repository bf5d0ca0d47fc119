//! The monthly report's files as people take them away: the XLSX workbook and the Bitácora de
//! PQR as CSV, for supervisors and admins (the page's download links) and for keys with
//! `reports:read` (the REST API). The bitácora names every customer of the month, so each
//! download is audited (Ley 1581 art. 17: the responsible knows who accessed the data).

use serde_json::json;

use crate::error::AppError;
use crate::indicators::model::MonthlyReport;
use crate::indicators::server::monthly::{self, Month};
use crate::indicators::server::workbook;
use crate::platform::audit::{self, Actor};
use crate::state::AppState;

/// A file to download: its name and bytes.
pub struct Export {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The XLSX content type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn audited(
    state: &AppState,
    actor: &Actor<'_>,
    month: Month,
    format: &str,
) -> Result<(), AppError> {
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    audit::record(
        &mut tx,
        actor,
        "informe_descargado",
        "informe_mensual",
        &month.code(),
        json!({ "formato": format }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The report of `month` as data (the page and the API's JSON).
pub async fn report(state: &AppState, month: Month) -> Result<MonthlyReport, AppError> {
    monthly::report(
        &state.pool,
        &state.config.organization,
        month,
        crate::platform::db::now(),
    )
    .await
}

/// The workbook of `month`, bitácora included.
pub async fn workbook(
    state: &AppState,
    actor: &Actor<'_>,
    month: Month,
) -> Result<Export, AppError> {
    let report = report(state, month).await?;
    let bitacora = workbook::bitacora(&state.pool, month).await?;
    let bytes = workbook::workbook(&report, &bitacora)?;
    audited(state, actor, month, "xlsx").await?;
    Ok(Export {
        file_name: format!("informe-pqrs-{}.xlsx", month.code()),
        bytes,
    })
}

/// The bitácora of `month` as CSV.
pub async fn bitacora_csv(
    state: &AppState,
    actor: &Actor<'_>,
    month: Month,
) -> Result<Export, AppError> {
    let rows = workbook::bitacora(&state.pool, month).await?;
    audited(state, actor, month, "csv").await?;
    Ok(Export {
        file_name: format!("bitacora-pqr-{}.csv", month.code()),
        bytes: workbook::bitacora_csv(&rows),
    })
}
