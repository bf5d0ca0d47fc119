//! Customer accounts through the API (issue 19): the ERP sends its export of customers and
//! their commercial data — contract, service state, payments, kind, segment — and Ventanilla
//! upserts them by document. The import is the UI's own service
//! ([`import::import`]): the same reading by content, row checks and audit; only the way the
//! file arrives differs.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use ventanilla_app::accounts::server::api_keys::{ApiKey, CUSTOMERS_WRITE};
use ventanilla_app::customers::server::import::{self, ImportOptions, Importer};
use ventanilla_app::state::AppState;

use super::auth::authorize;
use super::imports::{
    answered, bad_rows, checked_file, chosen, errors_out, file_problem, mapping_out, read_form,
    ColumnOut, Form, RowErrorOut,
};
use super::problem::{ProblemBody, PROBLEM_JSON};
use super::requests::once;
use super::Problem;

/// Room for the largest file plus the form's other parts and boundaries; a bigger body is
/// cut off and answered 413.
pub const BODY_LIMIT: usize = import::MAX_BYTES + 256 * 1024;

/// The multipart form of a customer import. Only `file` is required.
///
/// The column mapping says which header of the file's first row fills each field
/// (`column_<campo>` = header text). Send none to use the columns recognized by their
/// headers (see the `mapping` of a `dry_run` answer); send some and exactly those are used.
// Never built: the handler reads the parts itself; this type only describes the form.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CustomerImportIn {
    /// The accounts: CSV (comma, semicolon or tab; UTF-8) or XLSX, decided by the content. At
    /// most 5 MB and 5000 rows; the first row holds the column names.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// true: import the good rows and leave out the bad ones (counted in `skipped`). false or
    /// absent: a file with any bad row imports nothing (422 with the rows at fault).
    pub skip_bad_rows: Option<bool>,
    /// true: check every row and look up every account, write nothing, answer 200 with what
    /// the import would do.
    pub dry_run: Option<bool>,
    /// Header of the document type column (CC, CE, NIT, TI, PP or their names). Required.
    pub column_tipo_documento: Option<String>,
    /// Header of the document number column (a NIT with its check digit). Required.
    pub column_documento: Option<String>,
    /// Header of the name column; used only for accounts new to Ventanilla. Required.
    pub column_nombre: Option<String>,
    /// Monthly contract in COP; 0 removes it, empty leaves it.
    pub column_contrato: Option<String>,
    /// activo, suspendido, cancelado, cancelación pendiente.
    pub column_estado_servicio: Option<String>,
    /// Sí or No.
    pub column_pagos_al_dia: Option<String>,
    /// normal, cortesía or pyme.
    pub column_tipo_cuenta: Option<String>,
    pub column_segmento: Option<String>,
}

/// What a customer import did (or, with `dry_run`, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerImportOut {
    /// True when nothing was written.
    pub dry_run: bool,
    /// CSV or XLSX, from the content.
    pub format: String,
    /// Data rows in the file (the header row not counted).
    pub total_rows: u64,
    /// The mapping used: the one sent, or the one recognized from the headers.
    pub mapping: Vec<ColumnOut>,
    /// Accounts new to Ventanilla (without portal access until the customer registers).
    pub created: u64,
    /// Known accounts whose commercial data changed.
    pub updated: u64,
    /// Known accounts the file left as they were.
    pub unchanged: u64,
    /// Bad rows left out because `skip_bad_rows` was true.
    pub skipped: u64,
    pub errors: Vec<RowErrorOut>,
}

async fn run(
    state: &AppState,
    key: &ApiKey,
    form: Form,
) -> Result<(StatusCode, serde_json::Value), Problem> {
    let (file_name, bytes) = checked_file(form.file, "de clientes")?;
    let preview = import::preview(&bytes, &file_name).map_err(file_problem)?;
    let mapping = chosen(form.mapping, &preview.suggested);
    let options = ImportOptions {
        skip_bad_rows: form.skip_bad_rows,
        dry_run: form.dry_run,
    };
    let importer = Importer::ApiKey {
        id: &key.id,
        label: key.label(),
    };
    let report = import::import(state, importer, &bytes, &file_name, &mapping, options)
        .await
        .map_err(file_problem)?;
    if !report.errors.is_empty() && !form.skip_bad_rows {
        return Err(bad_rows(&report.errors));
    }
    let out = CustomerImportOut {
        dry_run: form.dry_run,
        format: preview.format,
        total_rows: preview.total_rows as u64,
        mapping: mapping_out(mapping),
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        skipped: report.skipped,
        errors: errors_out(report.errors),
    };
    answered(form.dry_run, out)
}

const PROBLEMS: &str = PROBLEM_JSON;

/// Imports customer accounts from the ERP, upserted by document.
///
/// Same validation as Equipo → Clientes → Importar: a known document gets the commercial
/// fields its row fills (an empty cell leaves the field, a contract of 0 removes it), an
/// unknown one becomes an account the customer takes when they register. Every change is
/// audited and attributed to the key. Requests already filed keep their tier and guarantee.
/// A retry with the same `Idempotency-Key` returns the first answer and imports nothing new.
#[utoipa::path(post, path = "/api/v1/customers/imports", tag = "Clientes",
    security(("llave" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Hace la llamada segura de reintentar")),
    request_body(content((CustomerImportIn = "multipart/form-data"))),
    responses(
        (status = 200, description = "Simulación (dry_run): lo que haría la importación; no se escribió nada", body = CustomerImportOut),
        (status = 201, description = "Importada: cuentas creadas, actualizadas, sin cambios y filas omitidas", body = CustomerImportOut),
        (status = 400, description = "Formulario ilegible", body = ProblemBody, content_type = PROBLEMS),
        (status = 403, description = "La llave no tiene customers:write", body = ProblemBody, content_type = PROBLEMS),
        (status = 409, description = "Idempotency-Key en curso, u otro cambio del mismo cliente al mismo tiempo", body = ProblemBody, content_type = PROBLEMS),
        (status = 413, description = "Archivo de más de 5 MB", body = ProblemBody, content_type = PROBLEMS),
        (status = 415, description = "No es multipart, o el archivo no es CSV ni XLSX por su contenido", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Filas con errores (no se importó nada), asignación de columnas o datos inválidos", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn create(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers().clone();
    let key = match authorize(&state, &headers, CUSTOMERS_WRITE).await {
        Ok(key) => key,
        Err(problem) => return problem.into_response(),
    };
    let codes: Vec<String> = import::fields().into_iter().map(|f| f.code).collect();
    let form = match read_form(request, &codes, "POST /api/v1/customers/imports").await {
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
