//! The calls' server functions (supervisors and admins).

use leptos::prelude::*;

use crate::calls::model::{CallImportReport, CallsView};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::accounts::server::session;

/// The calls of `desde`–`hasta` (`YYYY-MM-DD`, both included; empty: this month so far).
#[server(endpoint = "equipo/llamadas")]
pub async fn load_calls(
    desde: Option<String>,
    hasta: Option<String>,
) -> Result<CallsView, AppError> {
    use ventanilla::role::Role;
    session::as_role(&Role::MANAGERS, |state, _user| async move {
        let period = crate::indicators::server::compute::period(
            desde.as_deref().unwrap_or_default(),
            hasta.as_deref().unwrap_or_default(),
        )?;
        crate::calls::server::list::view(&state.pool, period).await
    })
    .await
}

/// The header, first rows and suggested mapping of an uploaded call file; `None` when the
/// upload is not the caller's.
#[server(endpoint = "equipo/llamadas/importacion")]
pub async fn load_call_upload(
    id: String,
) -> Result<Option<crate::tabular::ImportUpload>, AppError> {
    session::signed_in(|state, user| async move {
        Ok(
            crate::calls::server::import::staged_preview(&state, &user, &id)
                .await?
                .map(|(file_name, preview)| crate::tabular::ImportUpload { file_name, preview }),
        )
    })
    .await
}

/// Imports an uploaded call file with the chosen mapping (`mapping[field]=column`). A file
/// with bad rows imports nothing unless `skip_bad_rows` is `si`; `dry_run` = `si` checks and
/// counts without writing.
#[server(endpoint = "equipo/llamadas/importar-registros")]
pub async fn run_call_import(
    id: String,
    mapping: Option<std::collections::BTreeMap<String, String>>,
    skip_bad_rows: Option<String>,
    dry_run: Option<String>,
) -> Result<CallImportReport, AppError> {
    use crate::calls::server::import;
    session::signed_in(|state, user| async move {
        let mapping: Vec<crate::tabular::ImportMapping> = mapping
            .unwrap_or_default()
            .into_iter()
            .map(|(field, column)| crate::tabular::ImportMapping { field, column })
            .collect();
        let options = import::ImportOptions {
            skip_bad_rows: skip_bad_rows.as_deref() == Some("si"),
            dry_run: dry_run.as_deref() == Some("si"),
        };
        import::import_staged(&state, &user, &id, &mapping, options).await
    })
    .await
}
