//! The switchboard's call detail records, imported from its CSV/XLSX export (issue 20: "CSV
//! import of the PBX's call detail records"). The flow is every import's: upload, say which
//! column is which, preview, import ([`crate::platform::spreadsheet`]); each row is checked
//! by the same rule as `POST /api/v1/calls` ([`record`]).
//!
//! **A file with bad rows imports nothing** unless the bad rows are explicitly skipped; a
//! dry run does every check and look-up and writes nothing. A record whose switchboard id is
//! already stored is left as it is and counted apart, so the day's export can be imported
//! again after a correction without counting a call twice. The whole import is one
//! transaction with its audit event (`llamadas_importadas`).

use std::collections::HashMap;

use serde_json::json;
use ventanilla::role::Role;

use crate::accounts::model::SessionUser;
use crate::calls::model::CallImportReport;
use crate::calls::server::record::{self, CallCells, CallField, CallProblem};
use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, now};
use crate::platform::spreadsheet::{self as sheet, read, FieldSpec, RowCheck};
use crate::state::AppState;
use crate::tabular::{bad_row_count, ImportMapping, ImportPreview, ImportRowError};

/// The fields a column can fill: (code, label, required, header words that suggest it,
/// folded as `normalize` folds headers). The English words are Asterisk's CDR columns.
const FIELDS: [FieldSpec; 8] = [
    (
        "fecha_hora",
        "Fecha y hora de la llamada",
        true,
        &[
            "fecha",
            "fecha hora",
            "fecha y hora",
            "hora",
            "inicio",
            "fecha inicio",
            "start",
            "calldate",
        ],
    ),
    (
        "resultado",
        "Resultado (atendida o abandonada)",
        true,
        &["resultado", "estado", "disposition", "estado llamada"],
    ),
    (
        "espera",
        "Espera (segundos o HH:MM:SS)",
        false,
        &[
            "espera",
            "tiempo espera",
            "tiempo de espera",
            "wait",
            "ring",
        ],
    ),
    (
        "duracion",
        "Duración (segundos o HH:MM:SS)",
        false,
        &["duracion", "tiempo conversacion", "billsec", "duration"],
    ),
    (
        "telefono",
        "Teléfono de quien llama",
        false,
        &[
            "telefono", "numero", "origen", "llamante", "src", "caller", "callerid",
        ],
    ),
    (
        "agente",
        "Agente (correo o extensión)",
        false,
        &["agente", "asesor", "extension", "dst", "agent"],
    ),
    (
        "radicado",
        "Radicado de la solicitud",
        false,
        &["radicado", "solicitud", "caso"],
    ),
    (
        "id_llamada",
        "Id de la llamada en la central",
        false,
        &["id", "id llamada", "uniqueid", "identificador"],
    ),
];

/// The header row, the first rows and a suggested mapping. Writes nothing.
pub fn preview(bytes: &[u8], file_name: &str) -> Result<ImportPreview, AppError> {
    sheet::preview(bytes, file_name, &FIELDS)
}

/// The cells of one row, by field.
fn cells_of(check: &RowCheck<'_>) -> CallCells {
    CallCells {
        external_id: check.get(CallField::ExternalId.code()),
        started_at: check.get(CallField::StartedAt.code()),
        outcome: check.get(CallField::Outcome.code()),
        wait_seconds: check.get(CallField::WaitSeconds.code()),
        duration_seconds: check.get(CallField::DurationSeconds.code()),
        caller: check.get(CallField::Caller.code()),
        agent: check.get(CallField::Agent.code()),
        radicado: check.get(CallField::Radicado.code()),
    }
}

/// Whether `user` may import calls: the ones who read the indicators.
fn may_import(user: &SessionUser) -> Result<(), AppError> {
    if Role::MANAGERS.contains(&user.role) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// What to do with a file: the options of the form.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    pub skip_bad_rows: bool,
    pub dry_run: bool,
}

fn row_errors(
    problems: Vec<CallProblem>,
    number: usize,
    headers: &[String],
    columns: &HashMap<&'static str, usize>,
) -> Vec<ImportRowError> {
    problems
        .into_iter()
        .map(|(field, message)| ImportRowError {
            row: number,
            column: columns
                .get(field.code())
                .and_then(|&i| headers.get(i))
                .cloned()
                .unwrap_or_default(),
            message,
        })
        .collect()
}

/// Imports a call file; see the module documentation. `Err` only for what makes the whole
/// file unusable (permission, size, format, mapping, no rows); row problems come back inside
/// the report.
pub async fn import(
    state: &AppState,
    user: &SessionUser,
    bytes: &[u8],
    file_name: &str,
    mapping: &[ImportMapping],
    options: ImportOptions,
) -> Result<CallImportReport, AppError> {
    may_import(user)?;
    let shown_name: String = file_name.trim().chars().take(200).collect();
    let table = read(bytes, file_name)?;
    let columns = sheet::resolve(&table.headers, mapping, &FIELDS, "de llamadas")?;
    let at = now();
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    let mut first_row_of: HashMap<String, usize> = HashMap::new();
    for (index, row) in table.rows.iter().enumerate() {
        if row.iter().all(String::is_empty) {
            continue;
        }
        let number = index + 2;
        let check = RowCheck {
            row,
            columns: &columns,
            headers: &table.headers,
            number,
            errors: Vec::new(),
        };
        match record::check(&cells_of(&check), at) {
            Ok(call) => {
                if let Some(id) = &call.external_id {
                    if let Some(first) = first_row_of.get(id) {
                        errors.extend(row_errors(
                            vec![(
                                CallField::ExternalId,
                                format!(
                                    "Id de la llamada: «{id}» ya está en la fila {first}; cada llamada va una sola vez."
                                ),
                            )],
                            number,
                            &table.headers,
                            &columns,
                        ));
                        continue;
                    }
                    first_row_of.insert(id.clone(), number);
                }
                checked.push((number, call));
            }
            Err(problems) => errors.extend(row_errors(problems, number, &table.headers, &columns)),
        }
    }

    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let mut resolved = Vec::with_capacity(checked.len());
    for (number, call) in checked {
        match record::resolve(&mut tx, call).await? {
            Ok(call) => resolved.push(call),
            Err(problems) => errors.extend(row_errors(problems, number, &table.headers, &columns)),
        }
    }
    errors.sort_by_key(|e| e.row);
    let skipped = bad_row_count(&errors);
    let mut report = CallImportReport {
        imported: false,
        dry_run: options.dry_run,
        created: 0,
        already_recorded: 0,
        skipped,
        errors,
    };
    if !report.errors.is_empty() && !options.skip_bad_rows {
        tx.rollback().await?;
        report.skipped = 0;
        return Ok(report);
    }
    if resolved.is_empty() {
        tx.rollback().await?;
        return Err(AppError::validation(if skipped > 0 {
            "Ninguna fila del archivo es válida: no hay nada que importar."
        } else {
            "El archivo no tiene llamadas para importar."
        }));
    }
    let actor = Actor::user(&user.id, &user.full_name);
    let import_id = new_id();
    for call in &resolved {
        if call.existing_id.is_some() {
            report.already_recorded += 1;
        } else {
            record::insert(&mut tx, &actor, call, Some(&import_id)).await?;
            report.created += 1;
        }
    }
    if options.dry_run {
        tx.rollback().await?;
        return Ok(report);
    }
    audit::record(
        &mut tx,
        &actor,
        "llamadas_importadas",
        "call_import",
        &import_id,
        json!({
            "file_name": shown_name,
            "created": report.created,
            "already_recorded": report.already_recorded,
            "skipped": report.skipped,
        }),
    )
    .await?;
    tx.commit().await?;
    report.imported = true;
    Ok(report)
}

const STAGING: sheet::Staging = sheet::Staging {
    table: "call_uploads",
    uploaded_action: "llamadas_cargadas",
    entity: "call_upload",
};

/// The UI's first step: checks the file and keeps it for the mapping step. Returns its id.
pub async fn stage(
    state: &AppState,
    user: &SessionUser,
    bytes: &[u8],
    file_name: &str,
) -> Result<String, AppError> {
    may_import(user)?;
    sheet::stage(
        &state.pool,
        &state.config.attachments_dir,
        STAGING,
        (&user.id, &user.full_name),
        bytes,
        file_name,
    )
    .await
}

/// The mapping step of an upload of `user`: its name and preview; `None` when it is not
/// theirs.
pub async fn staged_preview(
    state: &AppState,
    user: &SessionUser,
    upload_id: &str,
) -> Result<Option<(String, ImportPreview)>, AppError> {
    may_import(user)?;
    let staged = sheet::staged(
        &state.pool,
        &state.config.attachments_dir,
        STAGING,
        &user.id,
        upload_id,
    )
    .await?;
    match staged {
        Some((bytes, name)) => Ok(Some((name.clone(), preview(&bytes, &name)?))),
        None => Ok(None),
    }
}

/// [`import`] of a staged upload of `user`.
pub async fn import_staged(
    state: &AppState,
    user: &SessionUser,
    upload_id: &str,
    mapping: &[ImportMapping],
    options: ImportOptions,
) -> Result<CallImportReport, AppError> {
    may_import(user)?;
    let (bytes, name) = sheet::staged(
        &state.pool,
        &state.config.attachments_dir,
        STAGING,
        &user.id,
        upload_id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    import(state, user, &bytes, &name, mapping, options).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_asterisk_export_is_recognized_by_its_headers() {
        let csv = "uniqueid,calldate,src,dst,disposition,billsec\n\
                   1764771300.42,2026-11-03 08:15:00,3001234567,201,ANSWERED,240\n";
        let preview = preview(csv.as_bytes(), "cdr.csv").unwrap();
        let mapped: HashMap<String, String> = preview
            .suggested
            .into_iter()
            .map(|m| (m.field, m.column))
            .collect();
        assert_eq!(mapped["fecha_hora"], "calldate");
        assert_eq!(mapped["resultado"], "disposition");
        assert_eq!(mapped["duracion"], "billsec");
        assert_eq!(mapped["telefono"], "src");
        assert_eq!(mapped["agente"], "dst");
        assert_eq!(mapped["id_llamada"], "uniqueid");
    }
}
