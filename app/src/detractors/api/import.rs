//! Server functions of the detractor base import (seed 003 §4 steps 1–2): the mapping step of
//! an uploaded file and the import itself. The upload is a plain multipart form handled by
//! the server crate; everything here goes through [`crate::detractors::server::import`].

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::detractors::model::{ImportReport, ImportUpload};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{accounts::server::session, detractors::server::import};

/// The header, first rows and suggested mapping of an uploaded base; `None` when the upload
/// is not the caller's. Supervisors and admins only.
#[server(endpoint = "equipo/detractores/importacion")]
pub async fn load_import_upload(id: String) -> Result<Option<ImportUpload>, AppError> {
    session::signed_in(|state, user| async move {
        Ok(import::staged_preview(&state, &user, &id)
            .await?
            .map(|(file_name, preview)| ImportUpload { file_name, preview }))
    })
    .await
}

/// Imports an uploaded base with the chosen mapping (`mapping[field]=column`). A file with
/// bad rows imports nothing unless `skip_bad_rows` is `si`. Supervisors and admins only.
#[server(endpoint = "equipo/detractores/importar-base")]
pub async fn run_detractor_import(
    id: String,
    mapping: Option<BTreeMap<String, String>>,
    skip_bad_rows: Option<String>,
) -> Result<ImportReport, AppError> {
    session::signed_in(|state, user| async move {
        let mapping: Vec<crate::detractors::model::ImportMapping> = mapping
            .unwrap_or_default()
            .into_iter()
            .map(|(field, column)| crate::detractors::model::ImportMapping { field, column })
            .collect();
        import::import_staged(
            &state,
            &user,
            &id,
            &mapping,
            skip_bad_rows.as_deref() == Some("si"),
        )
        .await
    })
    .await
}
