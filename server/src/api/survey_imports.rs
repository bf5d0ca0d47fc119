//! Survey bases through the API: the client's BI tool sends its nightly export of negative
//! survey answers (seed 003 §4 steps 1–2, "la descarga de los registros existentes de
//! clientes con encuestas de satisfacción negativas … en un archivo Excel") straight into the
//! detractor desk. The import is the UI's own service ([`import::import_as`]): the same
//! reading by content, row checks and deduplication across cuts; only the way the file
//! arrives differs.

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;
use http::StatusCode;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use ventanilla_app::accounts::server::api_keys::{self, ApiKey, SURVEYS_IMPORT};
use ventanilla_app::detractors::model::{ImportMapping, ImportReport};
use ventanilla_app::detractors::server::import::{self, FileRefusal, Importer};
use ventanilla_app::error::AppError;
use ventanilla_app::state::AppState;

use super::auth::authorize;
use super::problem::{FieldError, ProblemBody, PROBLEM_JSON};
use super::requests::once;
use super::Problem;

/// Room for the largest base plus the form's other parts and boundaries; a bigger body is
/// cut off and answered 413.
pub const BODY_LIMIT: usize = import::MAX_BYTES + 256 * 1024;

const COLUMN_PREFIX: &str = "column_";

/// The multipart form of an import. Only `file` is required.
///
/// The column mapping says which header of the file's first row fills each field
/// (`column_<campo>` = header text). Send none to use the columns recognized by their
/// headers (see the `mapping` of a `dry_run` answer); send some and exactly those are used.
// Never built: the handler reads the parts itself, to tell a missing file, an unknown part and
// a bad flag apart in its answers; this type only describes the form in the OpenAPI document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SurveyImportIn {
    /// The base: CSV (comma, semicolon or tab; UTF-8) or XLSX, decided by the content. At
    /// most 5 MB and 5000 rows; the first row holds the column names.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// true: import the good rows and leave out the bad ones (counted in `skipped`). false or
    /// absent: a file with any bad row imports nothing (422 with the rows at fault).
    pub skip_bad_rows: Option<bool>,
    /// true: check every row and look up every duplicate, write nothing, answer 200 with what
    /// the import would do.
    pub dry_run: Option<bool>,
    /// Header of the account code column (custcode). Required field.
    pub column_cuenta: Option<String>,
    /// Header of the customer name column. Required field.
    pub column_nombre: Option<String>,
    /// Header of the phone (ANI) column. Required field.
    pub column_telefono: Option<String>,
    /// Header of the NPS (0 to 10) column. Required field.
    pub column_nps: Option<String>,
    pub column_csat: Option<String>,
    pub column_comentario: Option<String>,
    pub column_segmento: Option<String>,
    pub column_correo: Option<String>,
    pub column_documento: Option<String>,
    pub column_tipo_cuenta: Option<String>,
    pub column_estado_servicio: Option<String>,
    pub column_fecha_encuesta: Option<String>,
    /// Header of the survey id column: with it, duplicates are recognized by id; without
    /// it, by account, survey date and NPS.
    pub column_id_encuesta: Option<String>,
}

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

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyImportOut {
    /// True when nothing was written.
    pub dry_run: bool,
    /// CSV or XLSX, from the content.
    pub format: String,
    /// Data rows in the file (the header row not counted).
    pub total_rows: u64,
    /// The mapping used: the one sent, or the one recognized from the headers.
    pub mapping: Vec<ColumnOut>,
    /// Recovery cases opened in the detractor desk.
    pub created: u64,
    /// Rows already in the desk from an earlier cut, or repeated in this file: not created
    /// again (seed 003 §4 step 4).
    pub duplicates: u64,
    /// Bad rows left out because `skip_bad_rows` was true.
    pub skipped: u64,
    pub errors: Vec<RowErrorOut>,
}

/// The parts of the form, as received.
struct Form {
    file: Option<(String, Vec<u8>)>,
    skip_bad_rows: bool,
    dry_run: bool,
    mapping: Vec<ImportMapping>,
    fingerprint: String,
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

fn too_large() -> Problem {
    Problem::new(
        "demasiado-grande",
        format!(
            "El archivo pesa más de {} MB. Divida la base en cortes más pequeños.",
            import::MAX_BYTES / (1024 * 1024)
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

async fn read_form(request: Request) -> Result<Form, Problem> {
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
    let codes: Vec<String> = import::fields().into_iter().map(|f| f.code).collect();
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
    hasher.update(b"POST /api/v1/survey-imports");
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
fn bad_rows(report: &ImportReport) -> Problem {
    let rows = report
        .errors
        .iter()
        .map(|e| e.row)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let mut problem = Problem::new(
        "filas-invalidas",
        format!(
            "{rows} fila(s) tienen errores y no se importó nada. Corrija la base, o envíe skip_bad_rows=true para importar solo las filas buenas."
        ),
    );
    problem.errors = report
        .errors
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

async fn run(
    state: &AppState,
    key: &ApiKey,
    form: Form,
) -> Result<(StatusCode, serde_json::Value), Problem> {
    let (file_name, bytes) = form.file.ok_or_else(|| {
        Problem::field("file", "file: falta el archivo de la base (.xlsx o .csv).")
    })?;
    if let Err((refusal, message)) = import::check_file(&bytes, &file_name) {
        return Err(match refusal {
            FileRefusal::TooLarge => Problem::new("demasiado-grande", message),
            FileRefusal::NotASpreadsheet => Problem::new("tipo-no-soportado", message),
            FileRefusal::Empty => Problem::field("file", message),
        });
    }
    let responsible = api_keys::responsible(&state.pool, key).await?.ok_or_else(|| {
        Problem::new(
            "sin-permiso",
            format!(
                "La llave «{}» no tiene un supervisor o administrador activo que responda por ella; las bases las importa un supervisor o administrador.",
                key.name
            ),
        )
    })?;
    let preview = import::preview(&bytes, &file_name).map_err(file_problem)?;
    let mapping = if form.mapping.is_empty() {
        preview.suggested.clone()
    } else {
        form.mapping
    };
    let importer = Importer {
        user: &responsible,
        api_key: Some((&key.id, key.label())),
    };
    let report = import::import_as(
        state,
        importer,
        &bytes,
        &file_name,
        &mapping,
        form.skip_bad_rows,
        form.dry_run,
    )
    .await
    .map_err(|err| match err {
        AppError::Forbidden => Problem::new(
            "sin-permiso",
            format!(
                "{} ya no es supervisor ni administrador: la llave «{}» no puede importar bases.",
                responsible.full_name, key.name
            ),
        ),
        other => file_problem(other),
    })?;
    if !report.errors.is_empty() && !form.skip_bad_rows {
        return Err(bad_rows(&report));
    }
    let out = SurveyImportOut {
        dry_run: form.dry_run,
        format: preview.format,
        total_rows: preview.total_rows as u64,
        mapping: mapping
            .into_iter()
            .map(|m| ColumnOut {
                field: m.field,
                column: m.column,
            })
            .collect(),
        created: report.created,
        duplicates: report.duplicates,
        skipped: report.skipped,
        errors: report
            .errors
            .into_iter()
            .map(|e| RowErrorOut {
                row: e.row as u64,
                column: e.column,
                message: e.message,
            })
            .collect(),
    };
    let status = if form.dry_run {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let body =
        serde_json::to_value(out).map_err(|_| Problem::new("error-interno", "Error interno."))?;
    Ok((status, body))
}

/// A whole-file problem of the service (unreadable, no rows, mapping) names the part `file`.
fn file_problem(err: AppError) -> Problem {
    match err {
        AppError::Validation(message) | AppError::Invalid { message, .. } => {
            Problem::field("file", message)
        }
        other => Problem::from(other),
    }
}

const PROBLEMS: &str = PROBLEM_JSON;

/// Imports a survey base (detractors) into the recovery desk.
///
/// Same validation and deduplication as Equipo → Detractores → Importar: a record already in
/// the desk, from an earlier cut or earlier in the file, is counted in `duplicates` and not
/// created again. The import is recorded as made by the key, under the permission of the
/// supervisor or admin who created it. A retry with the same `Idempotency-Key` returns the
/// first answer and imports nothing new.
#[utoipa::path(post, path = "/api/v1/survey-imports", tag = "Encuestas",
    security(("llave" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Hace la llamada segura de reintentar")),
    request_body(content((SurveyImportIn = "multipart/form-data"))),
    responses(
        (status = 200, description = "Simulación (dry_run): lo que haría la importación; no se escribió nada", body = SurveyImportOut),
        (status = 201, description = "Importada: casos creados, duplicados y filas omitidas", body = SurveyImportOut),
        (status = 400, description = "Formulario ilegible", body = ProblemBody, content_type = PROBLEMS),
        (status = 403, description = "La llave no tiene surveys:import, o nadie del equipo responde por ella", body = ProblemBody, content_type = PROBLEMS),
        (status = 409, description = "Idempotency-Key en curso", body = ProblemBody, content_type = PROBLEMS),
        (status = 413, description = "Archivo de más de 5 MB", body = ProblemBody, content_type = PROBLEMS),
        (status = 415, description = "No es multipart, o el archivo no es CSV ni XLSX por su contenido", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Filas con errores (no se importó nada), asignación de columnas o datos inválidos", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn create(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers().clone();
    let key = match authorize(&state, &headers, SURVEYS_IMPORT).await {
        Ok(key) => key,
        Err(problem) => return problem.into_response(),
    };
    let form = match read_form(request).await {
        Ok(form) => form,
        Err(problem) => return problem.into_response(),
    };
    let fingerprint = form.fingerprint.clone();
    once(
        &state,
        &key,
        &headers,
        &fingerprint,
        run(&state, &key, form),
    )
    .await
}
