//! Survey bases through the API: the client's BI tool sends its nightly export of negative
//! survey answers (seed 003 §4 steps 1–2, "la descarga de los registros existentes de
//! clientes con encuestas de satisfacción negativas … en un archivo Excel") straight into the
//! detractor desk. The import is the UI's own service ([`import::import_as`]): the same
//! reading by content, row checks and deduplication across cuts; only the way the file
//! arrives differs.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use ventanilla_app::accounts::server::api_keys::{self, ApiKey, SURVEYS_IMPORT};
use ventanilla_app::detractors::server::import::{self, Importer};
use ventanilla_app::error::AppError;
use ventanilla_app::state::AppState;

use super::auth::authorize;
use super::imports::{
    answered, bad_rows, checked_file, chosen, errors_out, file_problem, mapping_out, read_form,
    ColumnOut, Form, RowErrorOut,
};
use super::problem::{ProblemBody, PROBLEM_JSON};
use super::requests::once;
use super::Problem;

/// Room for the largest base plus the form's other parts and boundaries; a bigger body is
/// cut off and answered 413.
pub const BODY_LIMIT: usize = import::MAX_BYTES + 256 * 1024;

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

async fn run(
    state: &AppState,
    key: &ApiKey,
    form: Form,
) -> Result<(StatusCode, serde_json::Value), Problem> {
    let (file_name, bytes) = checked_file(form.file, "de la base")?;
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
    let mapping = chosen(form.mapping, &preview.suggested);
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
        return Err(bad_rows(&report.errors));
    }
    let out = SurveyImportOut {
        dry_run: form.dry_run,
        format: preview.format,
        total_rows: preview.total_rows as u64,
        mapping: mapping_out(mapping),
        created: report.created,
        duplicates: report.duplicates,
        skipped: report.skipped,
        errors: errors_out(report.errors),
    };
    answered(form.dry_run, out)
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
    let codes: Vec<String> = import::fields().into_iter().map(|f| f.code).collect();
    let form = match read_form(request, &codes, "POST /api/v1/survey-imports").await {
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
