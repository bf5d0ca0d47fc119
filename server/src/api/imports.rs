//! What the two spreadsheet imports of the API share (survey bases, customer accounts): the
//! multipart form, the refusals of a whole file, the rows at fault, the mapping used.

use axum::extract::{FromRequest, Multipart, Request};
use http::header::CONTENT_TYPE;
use http::StatusCode;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use ventanilla_app::error::AppError;
use ventanilla_app::platform::spreadsheet::{FileRefusal, MAX_BYTES};
use ventanilla_app::tabular::{ImportMapping, ImportRowError};

use super::problem::FieldError;
use super::Problem;

const COLUMN_PREFIX: &str = "column_";

/// Which column fed which field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnOut {
    #[schema(example = "nps")]
    pub field: String,
    #[schema(example = "Calificación NPS")]
    pub column: String,
}

/// A row left out.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowErrorOut {
    /// The row as a spreadsheet numbers it (the header row is row 1).
    pub row: u64,
    pub column: String,
    pub message: String,
}

/// The parts of the form, as received.
pub struct Form {
    pub file: Option<(String, Vec<u8>)>,
    pub skip_bad_rows: bool,
    pub dry_run: bool,
    pub mapping: Vec<ImportMapping>,
    /// What identifies the call for Idempotency-Key.
    pub fingerprint: String,
}

fn flag(name: &str, value: &str) -> Result<bool, Problem> {
    match value.trim().to_lowercase().as_str() {
        "true" | "1" | "si" | "sí" => Ok(true),
        "false" | "0" | "no" | "" => Ok(false),
        _ => Err(Problem::field(
            name,
            format!("{name}: escriba true o false."),
        )),
    }
}

pub fn too_large() -> Problem {
    Problem::new(
        "demasiado-grande",
        format!(
            "El archivo pesa más de {} MB. Divida la base en cortes más pequeños.",
            MAX_BYTES / (1024 * 1024)
        ),
    )
}

fn unreadable(status: StatusCode) -> Problem {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        Problem::new(
            "solicitud-malformada",
            "No se pudo leer el formulario multipart enviado.",
        )
    }
}

/// Reads an import's multipart form: `file`, `skip_bad_rows`, `dry_run` and one
/// `column_<code>` per field of `codes`. `route` names the call in its fingerprint.
pub async fn read_form(request: Request, codes: &[String], route: &str) -> Result<Form, Problem> {
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !content_type.starts_with("multipart/form-data") {
        return Err(Problem::new(
            "tipo-no-soportado",
            "Envíe multipart/form-data con el archivo en la parte «file».",
        ));
    }
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|err| unreadable(err.status()))?;
    let mut form = Form {
        file: None,
        skip_bad_rows: false,
        dry_run: false,
        mapping: Vec::new(),
        fingerprint: String::new(),
    };
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|err| unreadable(err.status()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|err| unreadable(err.status()))?;
        if name == "file" {
            if form.file.is_some() {
                return Err(Problem::field("file", "file: envíe un solo archivo."));
            }
            let file_name = file_name.unwrap_or_default();
            parts.push((format!("file:{file_name}"), Sha256::digest(&bytes).to_vec()));
            form.file = Some((file_name, bytes.to_vec()));
            continue;
        }
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| Problem::field(&name, format!("{name}: debe ser texto en UTF-8.")))?;
        parts.push((name.clone(), text.clone().into_bytes()));
        match name.as_str() {
            "skip_bad_rows" => form.skip_bad_rows = flag(&name, &text)?,
            "dry_run" => form.dry_run = flag(&name, &text)?,
            _ => match name.strip_prefix(COLUMN_PREFIX) {
                Some(code) if codes.iter().any(|c| c == code) => {
                    if !text.trim().is_empty() {
                        form.mapping.push(ImportMapping {
                            field: code.to_string(),
                            column: text.trim().to_string(),
                        });
                    }
                }
                _ => {
                    return Err(Problem::field(
                        &name,
                        format!(
                            "«{name}» no es una parte del formulario: use file, skip_bad_rows, dry_run o column_<campo> ({}).",
                            codes.join(", ")
                        ),
                    ))
                }
            },
        }
    }
    // The parts, in a fixed order, identify the call for Idempotency-Key (the multipart
    // boundary changes on every retry).
    parts.sort();
    let mut hasher = Sha256::new();
    hasher.update(route.as_bytes());
    for (name, bytes) in &parts {
        hasher.update((name.len() as u64).to_be_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(bytes);
    }
    form.fingerprint = hex::encode(hasher.finalize());
    Ok(form)
}

/// The rows at fault as a 422 problem: nothing was imported.
pub fn bad_rows(errors: &[ImportRowError]) -> Problem {
    let rows = ventanilla_app::tabular::bad_row_count(errors);
    let mut problem = Problem::new(
        "filas-invalidas",
        format!(
            "{rows} fila(s) tienen errores y no se importó nada. Corrija la base, o envíe skip_bad_rows=true para importar solo las filas buenas."
        ),
    );
    problem.errors = errors
        .iter()
        .map(|e| FieldError {
            pointer: "file".to_string(),
            detail: e.message.clone(),
            row: Some(e.row as u64),
            column: Some(e.column.clone()),
        })
        .collect();
    problem
}

/// A whole-file problem of the service (unreadable, no rows, mapping) names the part `file`.
pub fn file_problem(err: AppError) -> Problem {
    match err {
        AppError::Validation(message) | AppError::Invalid { message, .. } => {
            Problem::field("file", message)
        }
        other => Problem::from(other),
    }
}

/// The first refusal of a file, by what it is: too large (413), not a spreadsheet (415),
/// empty (422 on `file`).
pub fn refused_file(refusal: FileRefusal, message: String) -> Problem {
    match refusal {
        FileRefusal::TooLarge => Problem::new("demasiado-grande", message),
        FileRefusal::NotASpreadsheet => Problem::new("tipo-no-soportado", message),
        FileRefusal::Empty => Problem::field("file", message),
    }
}

/// The mapping as the answer lists it.
pub fn mapping_out(mapping: Vec<ImportMapping>) -> Vec<ColumnOut> {
    mapping
        .into_iter()
        .map(|m| ColumnOut {
            field: m.field,
            column: m.column,
        })
        .collect()
}

/// The rows left out, as the answer lists them.
pub fn errors_out(errors: Vec<ImportRowError>) -> Vec<RowErrorOut> {
    errors
        .into_iter()
        .map(|e| RowErrorOut {
            row: e.row as u64,
            column: e.column,
            message: e.message,
        })
        .collect()
}

/// The answer of an import: 200 for a dry run (nothing written), 201 otherwise.
pub fn answered(
    dry_run: bool,
    out: impl Serialize,
) -> Result<(StatusCode, serde_json::Value), Problem> {
    let status = if dry_run {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let body =
        serde_json::to_value(out).map_err(|_| Problem::new("error-interno", "Error interno."))?;
    Ok((status, body))
}

/// The form's file, refused as [`refused_file`] says when it is missing, empty, too large or
/// not a spreadsheet.
pub fn checked_file(
    file: Option<(String, Vec<u8>)>,
    what: &str,
) -> Result<(String, Vec<u8>), Problem> {
    let (name, bytes) = file.ok_or_else(|| {
        Problem::field(
            "file",
            format!("file: falta el archivo {what} (.xlsx o .csv)."),
        )
    })?;
    ventanilla_app::platform::spreadsheet::check_file(&bytes, &name)
        .map_err(|(refusal, message)| refused_file(refusal, message))?;
    Ok((name, bytes))
}

/// The mapping sent, or the one recognized from the headers when none was.
pub fn chosen(sent: Vec<ImportMapping>, suggested: &[ImportMapping]) -> Vec<ImportMapping> {
    if sent.is_empty() {
        suggested.to_vec()
    } else {
        sent
    }
}
