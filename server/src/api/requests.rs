//! Requests through the API: file (on behalf of a customer identified by document), read,
//! list, follow up, close, download attachments. Each write is the portal's own service
//! ([`service::file_for`], [`service::reply_for`], [`service::close_for`]) with the key as the
//! actor, and every POST honours `Idempotency-Key`.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, RawPathParams, RawQuery, Request, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use ventanilla::calendar::bogota;
use ventanilla::channel::Channel;
use ventanilla::legal::RequestType;
use ventanilla::lifecycle::RequestState;
use ventanilla_app::accounts::server::accounts::CustomerOnBehalf;
use ventanilla_app::accounts::server::api_keys::{
    ApiKey, CUSTOMERS_WRITE, REQUESTS_READ, REQUESTS_WRITE,
};
use ventanilla_app::error::AppError;
use ventanilla_app::platform::idempotency::{self, Start};
use ventanilla_app::requests::model::RequestDetail;
use ventanilla_app::requests::server::filing::{self as request_list, Listed, RequestFilter};
use ventanilla_app::requests::server::on_behalf;
use ventanilla_app::requests::server::{
    form::Filing,
    service::{self, CustomerAccount, OnBehalf, Upload, Viewer},
};
use ventanilla_app::state::AppState;

use super::auth::authorize;
use super::problem::{ProblemBody, PROBLEM_JSON};
use super::Problem;

/// The customer the request is for, by document; `new_account` creates the account when
/// there is none (needs the `customers:write` scope and the customer's consent).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerRef {
    /// CC, CE, NIT, TI or PP.
    #[schema(example = "CC")]
    pub document_type: String,
    #[schema(example = "1020304050")]
    pub document_number: String,
    #[serde(default)]
    pub new_account: Option<NewAccount>,
}

/// Data of a customer without an account yet.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub full_name: String,
    pub email: String,
    /// Colombian mobile number; optional.
    #[serde(default)]
    pub phone: String,
    /// The customer authorized the processing of their personal data (Ley 1581 de 2012)
    /// through the channel of this request. Without it no account is created.
    pub consent: bool,
}

/// A request to file.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequestIn {
    pub customer: CustomerRef,
    /// peticion_general, peticion_documentos, consulta, queja, reclamo, sugerencia, denuncia
    /// or felicitacion.
    #[schema(example = "reclamo")]
    pub request_type: String,
    /// An id from `GET /api/v1/categories`.
    #[serde(default)]
    pub category_id: Option<String>,
    #[schema(example = "Cobro doble en la factura")]
    pub subject: String,
    #[schema(example = "Me cobraron dos veces el envío del 3 de noviembre.")]
    pub description: String,
    /// alta (VIP only), media or baja; media when absent.
    #[serde(default)]
    pub priority: Option<String>,
    /// web, telefono, correo or presencial; web when absent.
    #[serde(default)]
    pub channel: Option<String>,
    /// Links instead of (or besides) attachments.
    #[serde(default)]
    pub links: Vec<String>,
}

/// A public follow-up in the customer's name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpIn {
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOut {
    pub document_type: String,
    pub document_number: String,
}

/// One of the two clocks of a request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockOut {
    /// When it is due (RFC 3339), pauses while waiting on the customer included.
    pub due_at: String,
    /// on_track, at_risk, breached, paused or met.
    pub status: String,
    pub status_label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentOut {
    pub id: String,
    pub file_name: String,
    pub kind: String,
    pub size: String,
    /// Where to download it with the same key.
    pub url: String,
}

/// A message of the public thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageOut {
    pub author: String,
    pub from_customer: bool,
    /// descripcion, seguimiento, solicitud_informacion or respuesta.
    pub kind: String,
    pub body: String,
    pub created_at: String,
    pub attachments: Vec<AttachmentOut>,
}

/// A request in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestSummaryOut {
    #[schema(example = "2026-000123")]
    pub radicado: String,
    pub state: String,
    pub request_type: String,
    pub category_id: Option<String>,
    pub priority: String,
    /// vip, regular or flotante.
    pub tier: String,
    pub channel: String,
    /// False for accounts not active or in arrears: filed "sin garantía de ANS".
    pub ans_guaranteed: bool,
    pub subject: String,
    pub customer: CustomerOut,
    pub area_id: Option<String>,
    pub assignee_id: Option<String>,
    pub received_at: String,
    pub updated_at: String,
    /// The first-response due instant as filed (RFC 3339); none without ANS guarantee.
    pub first_response_due: Option<String>,
    /// The legal-term date as filed (`AAAA-MM-DD`); none for felicitaciones.
    pub legal_due_date: Option<String>,
}

/// A request with its clocks and public thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestOut {
    #[serde(flatten)]
    pub summary: RequestSummaryOut,
    pub state_label: String,
    pub request_type_label: String,
    pub category: Option<String>,
    pub first_response: Option<ClockOut>,
    pub legal_term: Option<ClockOut>,
    /// First public contact within the calendar hours of the request's ANS version (seed 002
    /// §4); absent when that version does not measure it.
    pub first_contact: Option<ClockOut>,
    pub links: Vec<String>,
    pub thread: Vec<MessageOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestPageOut {
    pub items: Vec<RequestSummaryOut>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

fn rfc3339(epoch: i64) -> String {
    DateTime::from_timestamp(epoch, 0)
        .map(|d| d.with_timezone(&bogota()).to_rfc3339())
        .unwrap_or_default()
}

/// The thread's times are Bogotá wall-clock minutes (`AAAA-MM-DD HH:MM`); Bogotá has no
/// daylight saving, so the offset is always -05:00.
fn local_to_rfc3339(local: &str) -> String {
    format!("{}:00-05:00", local.replacen(' ', "T", 1))
}

fn summary(item: Listed) -> RequestSummaryOut {
    RequestSummaryOut {
        radicado: item.radicado,
        state: item.state,
        request_type: item.request_type,
        category_id: item.category_id,
        priority: item.priority,
        tier: item.tier,
        channel: item.channel,
        ans_guaranteed: item.ans_guaranteed,
        subject: item.subject,
        customer: CustomerOut {
            document_type: item.document_type,
            document_number: item.document_number,
        },
        area_id: item.area_id,
        assignee_id: item.assignee_id,
        received_at: rfc3339(item.received_at),
        updated_at: rfc3339(item.updated_at),
        first_response_due: item.first_response_due.map(rfc3339),
        legal_due_date: item.legal_due_date,
    }
}

/// The request as the API shows it; `None` when there is no such radicado.
async fn view(state: &AppState, radicado: &str) -> Result<Option<RequestOut>, Problem> {
    let Some((detail, item)) =
        service::load_detail_listed(state, radicado, Viewer::Integration).await?
    else {
        return Ok(None);
    };
    Ok(Some(request_out(detail, item)))
}

/// The API's representation of a request's view (`service::load_detail_listed`).
fn request_out(detail: RequestDetail, item: Listed) -> RequestOut {
    let clock = |c: ventanilla_app::requests::model::ClockView| ClockOut {
        due_at: c.due_rfc3339,
        status: c.status_code,
        status_label: c.status,
    };
    RequestOut {
        state_label: detail.state,
        request_type_label: detail.request_type,
        category: detail.category,
        first_response: detail.first_response.map(clock),
        legal_term: detail.legal_term.map(clock),
        first_contact: detail.first_contact.map(clock),
        links: detail.links,
        thread: detail
            .messages
            .into_iter()
            .filter(|m| !m.internal)
            .map(|m| MessageOut {
                author: m.author,
                from_customer: m.from_customer,
                kind: m.kind,
                body: m.body,
                created_at: local_to_rfc3339(&m.created_at),
                attachments: m
                    .attachments
                    .into_iter()
                    .map(|a| AttachmentOut {
                        url: format!("/api/v1/attachments/{}", a.id),
                        id: a.id,
                        file_name: a.file_name,
                        kind: a.kind,
                        size: a.size,
                    })
                    .collect(),
            })
            .collect(),
        summary: summary(item),
    }
}

pub(super) fn path_param(params: &RawPathParams, name: &str) -> String {
    params
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

/// The body of a POST: JSON, or multipart with the JSON in a part named `request` and files
/// in any part with a file name.
struct Incoming {
    json: Bytes,
    files: Vec<Upload>,
    /// What identifies the call for `Idempotency-Key`: the JSON and the files, not the
    /// multipart boundary (clients pick a new one on every retry).
    fingerprint: String,
}

async fn incoming(request: Request, method_path: &str) -> Result<Incoming, Problem> {
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut hasher = Sha256::new();
    hasher.update(method_path.as_bytes());
    let (json, files) = if content_type.starts_with("application/json") {
        let bytes = Bytes::from_request(request, &())
            .await
            .map_err(|err| too_large_or_malformed(err.status()))?;
        (bytes, Vec::new())
    } else if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(|err| too_large_or_malformed(err.status()))?;
        let (fields, files) = crate::http::portal::read_form(multipart)
            .await
            .map_err(|(status, _)| too_large_or_malformed(status))?;
        let json = fields
            .into_iter()
            .find(|(name, _)| name == "request")
            .map(|(_, value)| Bytes::from(value))
            .ok_or_else(|| {
                Problem::field(
                    "/request",
                    "Falta la parte «request» con los datos en JSON.",
                )
            })?;
        (json, files)
    } else {
        return Err(Problem::new(
            "tipo-no-soportado",
            "Envíe application/json, o multipart/form-data con los datos en la parte «request» y los archivos aparte.",
        ));
    };
    hasher.update(&json);
    for file in &files {
        hasher.update(file.name.as_bytes());
        hasher.update(&file.bytes);
    }
    Ok(Incoming {
        json,
        files,
        fingerprint: hex::encode(hasher.finalize()),
    })
}

fn too_large_or_malformed(status: StatusCode) -> Problem {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Problem::new(
            "demasiado-grande",
            "Los adjuntos superan el tamaño máximo por mensaje.",
        )
    } else {
        Problem::new(
            "solicitud-malformada",
            "No se pudo leer el cuerpo de la solicitud.",
        )
    }
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<T, Problem> {
    serde_json::from_slice(json).map_err(|err| {
        if err.is_syntax() || err.is_eof() {
            Problem::new(
                "solicitud-malformada",
                format!("El JSON no es válido: {err}"),
            )
        } else {
            Problem::new(
                "datos-invalidos",
                format!("Los datos no tienen la forma esperada: {err}"),
            )
        }
    })
}

/// Runs a POST once per `Idempotency-Key`: the first call runs and its answer is kept; a
/// retry gets the same answer back (with `Idempotency-Replayed: true`).
pub(super) async fn once<F>(
    state: &AppState,
    key: &ApiKey,
    headers: &HeaderMap,
    fingerprint: &str,
    run: F,
) -> Response
where
    F: std::future::Future<Output = Result<(StatusCode, serde_json::Value), Problem>>,
{
    let idempotency_key = match idempotency_key(headers) {
        Ok(Some(value)) => value,
        Ok(None) => return answer(run.await),
        Err(problem) => return problem.into_response(),
    };
    match idempotency::start(&state.pool, &key.id, &idempotency_key, fingerprint).await {
        Err(err) => Problem::from(err).into_response(),
        Ok(Start::Mismatch) => Problem::new(
            "idempotencia-reutilizada",
            "Esta Idempotency-Key ya se usó para otra operación. Use una llave nueva para cada operación.",
        )
        .into_response(),
        Ok(Start::InProgress) => Problem::new(
            "idempotencia-en-curso",
            "La primera llamada con esta Idempotency-Key aún no termina. Reintente en unos segundos.",
        )
        .into_response(),
        Ok(Start::Replay { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = stored(status, body);
            response
                .headers_mut()
                .insert("idempotency-replayed", HeaderValue::from_static("true"));
            response
        }
        Ok(Start::Run) => {
            let (status, body) = match run.await {
                Ok((status, value)) => (status, value.to_string()),
                Err(problem) => (
                    problem.status,
                    serde_json::to_string(&problem.body()).unwrap_or_default(),
                ),
            };
            let kept = if status.is_server_error() {
                idempotency::abandon(&state.pool, &key.id, &idempotency_key).await
            } else {
                idempotency::finish(&state.pool, &key.id, &idempotency_key, status.as_u16(), &body)
                    .await
            };
            if let Err(err) = kept {
                tracing::error!(?err, "could not keep the idempotent answer");
            }
            stored(status, body)
        }
    }
}

pub(super) fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(text) if !text.trim().is_empty() && text.len() <= 200 => {
            Ok(Some(text.trim().to_string()))
        }
        _ => Err(Problem::field(
            "Idempotency-Key",
            "Idempotency-Key debe tener entre 1 y 200 caracteres visibles.",
        )),
    }
}

fn stored(status: StatusCode, body: String) -> Response {
    let content_type = if status.is_success() {
        "application/json"
    } else {
        PROBLEM_JSON
    };
    (status, [(CONTENT_TYPE, content_type)], body).into_response()
}

fn answer(outcome: Result<(StatusCode, serde_json::Value), Problem>) -> Response {
    match outcome {
        Ok((status, value)) => (status, Json(value)).into_response(),
        Err(problem) => problem.into_response(),
    }
}

fn created(view: Option<RequestOut>) -> Result<serde_json::Value, Problem> {
    let view =
        view.ok_or_else(|| Problem::new("error-interno", "La solicitud no se pudo leer."))?;
    serde_json::to_value(view).map_err(|_| Problem::new("error-interno", "Error interno."))
}

const PROBLEMS: &str = PROBLEM_JSON;

/// Files a request on behalf of a customer identified by document type and number.
///
/// Send `application/json` with the request, or `multipart/form-data` with the same JSON in
/// a part named `request` and the files in parts with a file name. A retry with the same
/// `Idempotency-Key` returns the first answer and files nothing new.
#[utoipa::path(post, path = "/api/v1/requests", tag = "Solicitudes",
    security(("llave" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Hace la llamada segura de reintentar")),
    request_body(content(
        (NewRequestIn = "application/json"),
        (NewRequestIn = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Radicada", body = RequestOut),
        (status = 400, description = "Cuerpo ilegible", body = ProblemBody, content_type = PROBLEMS),
        (status = 403, description = "La llave no tiene el permiso", body = ProblemBody, content_type = PROBLEMS),
        (status = 409, description = "Conflicto (cuenta existente, Idempotency-Key en curso)", body = ProblemBody, content_type = PROBLEMS),
        (status = 413, description = "Adjuntos demasiado grandes", body = ProblemBody, content_type = PROBLEMS),
        (status = 415, description = "Tipo de contenido no soportado", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Datos inválidos", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn create(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers().clone();
    let key = match authorize(&state, &headers, REQUESTS_WRITE).await {
        Ok(key) => key,
        Err(problem) => return problem.into_response(),
    };
    let incoming = match incoming(request, "POST /api/v1/requests").await {
        Ok(incoming) => incoming,
        Err(problem) => return problem.into_response(),
    };
    let token = idempotency_key(&headers)
        .ok()
        .flatten()
        .map(|idempotency_key| {
            hex::encode(Sha256::digest(format!("{}\n{idempotency_key}", key.id)))
        });
    let fingerprint = incoming.fingerprint.clone();
    once(&state, &key, &headers, &fingerprint, async {
        let body: NewRequestIn = parse(&incoming.json)?;
        let account = customer_for(&state, &key, &body).await?;
        let channel = match body.channel.as_deref().map(str::trim) {
            None | Some("") => Channel::Web,
            Some(code) => Channel::from_code(code)
                .filter(|c| *c != Channel::Portal)
                .ok_or_else(|| {
                    Problem::field("/channel", "Canal: use web, telefono, correo o presencial.")
                })?,
        };
        let form = Filing {
            request_type: body.request_type,
            category_id: body.category_id.unwrap_or_default(),
            subject: body.subject,
            description: body.description,
            priority: body.priority.unwrap_or_default(),
            links: body.links.join("\n"),
            // The idempotency key becomes the submission token: filing twice with it is
            // impossible even if the stored answer were lost.
            submission_token: token.unwrap_or_else(ventanilla_app::platform::db::new_id),
            related: String::new(),
        };
        let filed = service::file_for(
            &state,
            &account,
            OnBehalf {
                user_id: &account.holder_id,
                author_label: &account.holder_name,
                actor: key.actor(),
                channel,
            },
            form,
            incoming.files,
        )
        .await?;
        // Composed from what the filing wrote, as a GET would read it back (two reads fewer
        // per filing); a repeated token answers with the first filing, read.
        let view = match filed.written {
            Some(written) => {
                let (detail, item) = written.compose(Utc::now())?;
                Some(request_out(detail, item))
            }
            None => view(&state, &filed.radicado).await?,
        };
        Ok((StatusCode::CREATED, created(view)?))
    })
    .await
}

/// The customer's account by document, created first when the call asks for it and the key
/// may (the same service as the agent's page).
async fn customer_for(
    state: &AppState,
    key: &ApiKey,
    body: &NewRequestIn,
) -> Result<CustomerAccount, Problem> {
    let customer = &body.customer;
    let channel = body
        .channel
        .as_deref()
        .and_then(Channel::from_code)
        .unwrap_or(Channel::Web);
    let new_account = customer.new_account.as_ref().map(|new| CustomerOnBehalf {
        full_name: new.full_name.clone(),
        email: new.email.clone(),
        phone: new.phone.clone(),
        consent: new.consent,
        ..CustomerOnBehalf::default()
    });
    on_behalf::account_for_document(
        state,
        &key.actor(),
        channel,
        &customer.document_type,
        &customer.document_number,
        new_account,
        key.allows(CUSTOMERS_WRITE),
    )
    .await
    .map_err(|err| match err {
        AppError::Forbidden => Problem::new(
            "sin-permiso",
            format!(
                "No hay una cuenta con ese documento y la llave «{}» no tiene el permiso {CUSTOMERS_WRITE} para crearla.",
                key.name
            ),
        ),
        other => Problem::from(other),
    })
}

/// A request with its state, clocks and public thread.
#[utoipa::path(get, path = "/api/v1/requests/{radicado}", tag = "Solicitudes",
    security(("llave" = [])),
    params(("radicado" = String, Path, description = "Número de radicado, p. ej. 2026-000123", example = "2026-000001")),
    responses(
        (status = 200, description = "La solicitud", body = RequestOut),
        (status = 403, description = "La llave no tiene requests:read", body = ProblemBody, content_type = PROBLEMS),
        (status = 404, description = "No existe", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn read(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: RawPathParams,
) -> Result<Json<RequestOut>, Problem> {
    authorize(&state, &headers, REQUESTS_READ).await?;
    let radicado = path_param(&params, "radicado");
    view(&state, &radicado).await?.map(Json).ok_or_else(|| {
        Problem::new(
            "no-encontrado",
            format!("No existe la solicitud {radicado}."),
        )
    })
}

/// A date (`AAAA-MM-DD`, the whole day in Bogotá) or an instant (RFC 3339) as Unix seconds;
/// `end` picks the last second of a bare date.
fn bound(name: &str, value: &str, end: bool) -> Result<i64, Problem> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(value) {
        return Ok(instant.timestamp());
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|date| {
            let time = if end {
                NaiveTime::from_hms_opt(23, 59, 59)?
            } else {
                NaiveTime::MIN
            };
            date.and_time(time).and_local_timezone(bogota()).single()
        })
        .map(|d| d.timestamp())
        .ok_or_else(|| {
            Problem::field(
                name,
                format!("{name}: use una fecha AAAA-MM-DD o un instante RFC 3339."),
            )
        })
}

/// Requests in order of receipt, filtered, a page at a time.
#[utoipa::path(get, path = "/api/v1/requests", tag = "Solicitudes",
    security(("llave" = [])),
    params(
        ("state" = Option<String>, Query, description = "radicada, en_gestion, pendiente_cliente, escalada, en_revision, respondida o cerrada"),
        ("type" = Option<String>, Query, description = "Tipo de solicitud (código)"),
        ("category" = Option<String>, Query, description = "Id de categoría"),
        ("area" = Option<String>, Query, description = "Id de área"),
        ("assignee" = Option<String>, Query, description = "Correo del asesor asignado"),
        ("created_from" = Option<String>, Query, description = "AAAA-MM-DD o RFC 3339"),
        ("created_to" = Option<String>, Query, description = "AAAA-MM-DD o RFC 3339"),
        ("updated_from" = Option<String>, Query, description = "AAAA-MM-DD o RFC 3339"),
        ("updated_to" = Option<String>, Query, description = "AAAA-MM-DD o RFC 3339"),
        ("cursor" = Option<String>, Query, description = "next_cursor de la página anterior"),
        ("limit" = Option<i64>, Query, description = "Tamaño de página, 1 a 200 (50 por omisión)", minimum = 1, maximum = 200),
    ),
    responses(
        (status = 200, description = "Una página", body = RequestPageOut),
        (status = 403, description = "La llave no tiene requests:read", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Filtro inválido", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Json<RequestPageOut>, Problem> {
    authorize(&state, &headers, REQUESTS_READ).await?;
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut filter = RequestFilter {
        limit: 50,
        ..RequestFilter::default()
    };
    if let Some(code) = get("state") {
        RequestState::from_code(&code)
            .ok_or_else(|| Problem::field("state", format!("state: «{code}» no es un estado.")))?;
        filter.state = Some(code);
    }
    if let Some(code) = get("type") {
        RequestType::from_code(&code)
            .ok_or_else(|| Problem::field("type", format!("type: «{code}» no es un tipo.")))?;
        filter.request_type = Some(code);
    }
    filter.category_id = get("category");
    filter.area_id = get("area");
    if let Some(email) = get("assignee") {
        // An unknown e-mail matches nobody: an empty page, not an error.
        filter.assignee_id = Some(
            ventanilla_app::accounts::server::accounts::staff_id_by_email(&state.pool, &email)
                .await?
                .unwrap_or_default(),
        );
    }
    for (name, slot, end) in [
        ("created_from", &mut filter.created_from, false),
        ("created_to", &mut filter.created_to, true),
        ("updated_from", &mut filter.updated_from, false),
        ("updated_to", &mut filter.updated_to, true),
    ] {
        if let Some(value) = get(name) {
            *slot = Some(bound(name, &value, end)?);
        }
    }
    filter.after = get("cursor");
    if let Some(limit) = get("limit") {
        filter.limit = limit
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| Problem::field("limit", "limit: un entero entre 1 y 200."))?;
    }
    let (items, next_cursor) = request_list::search(&state.pool, &filter).await?;
    Ok(Json(RequestPageOut {
        items: items.into_iter().map(summary).collect(),
        next_cursor,
    }))
}

/// The customer account a request belongs to.
async fn owner(state: &AppState, radicado: &str) -> Result<CustomerAccount, Problem> {
    let filter = RequestFilter {
        radicado: Some(radicado.to_string()),
        limit: 1,
        ..RequestFilter::default()
    };
    let item = request_list::search(&state.pool, &filter)
        .await?
        .0
        .into_iter()
        .next()
        .ok_or_else(|| {
            Problem::new(
                "no-encontrado",
                format!("No existe la solicitud {radicado}."),
            )
        })?;
    service::account_by_id(state, &item.account_id)
        .await?
        .ok_or_else(|| Problem::new("error-interno", "La cuenta no tiene titular."))
}

/// Adds a public follow-up in the customer's name (as if the customer answered in the
/// portal: it answers a request for information or an answer). JSON, or multipart with the
/// JSON in `request` and files.
#[utoipa::path(post, path = "/api/v1/requests/{radicado}/follow-ups", tag = "Solicitudes",
    security(("llave" = [])),
    params(
        ("radicado" = String, Path, description = "Número de radicado", example = "2026-000001"),
        ("Idempotency-Key" = Option<String>, Header, description = "Hace la llamada segura de reintentar"),
    ),
    request_body(content(
        (FollowUpIn = "application/json"),
        (FollowUpIn = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Agregado; la solicitud como queda", body = RequestOut),
        (status = 400, description = "Cuerpo ilegible", body = ProblemBody, content_type = PROBLEMS),
        (status = 403, description = "La llave no tiene requests:write", body = ProblemBody, content_type = PROBLEMS),
        (status = 404, description = "No existe", body = ProblemBody, content_type = PROBLEMS),
        (status = 409, description = "La solicitud está cerrada", body = ProblemBody, content_type = PROBLEMS),
        (status = 413, description = "Adjuntos demasiado grandes", body = ProblemBody, content_type = PROBLEMS),
        (status = 415, description = "Tipo de contenido no soportado", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Datos inválidos", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn follow_up(
    State(state): State<AppState>,
    params: RawPathParams,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let radicado = path_param(&params, "radicado");
    let key = match authorize(&state, &headers, REQUESTS_WRITE).await {
        Ok(key) => key,
        Err(problem) => return problem.into_response(),
    };
    let incoming = match incoming(request, &format!("POST follow-up {radicado}")).await {
        Ok(incoming) => incoming,
        Err(problem) => return problem.into_response(),
    };
    let fingerprint = incoming.fingerprint.clone();
    once(&state, &key, &headers, &fingerprint, async {
        let body: FollowUpIn = parse(&incoming.json)?;
        let account = owner(&state, &radicado).await?;
        service::reply_for(
            &state,
            &account,
            OnBehalf {
                user_id: &account.holder_id,
                author_label: &account.holder_name,
                actor: key.actor(),
                channel: Channel::Web,
            },
            &radicado,
            &body.message,
            incoming.files,
        )
        .await?;
        Ok((
            StatusCode::CREATED,
            created(view(&state, &radicado).await?)?,
        ))
    })
    .await
}

/// Closes the request in the customer's name: satisfied after an answer, a withdrawal before
/// it (Ley 1755 art. 18). Final: a closed request never reopens.
#[utoipa::path(post, path = "/api/v1/requests/{radicado}/close", tag = "Solicitudes",
    security(("llave" = [])),
    params(
        ("radicado" = String, Path, description = "Número de radicado", example = "2026-000001"),
        ("Idempotency-Key" = Option<String>, Header, description = "Hace la llamada segura de reintentar"),
    ),
    responses(
        (status = 200, description = "Cerrada", body = RequestOut),
        (status = 403, description = "La llave no tiene requests:write", body = ProblemBody, content_type = PROBLEMS),
        (status = 404, description = "No existe", body = ProblemBody, content_type = PROBLEMS),
        (status = 409, description = "Ya estaba cerrada", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Idempotency-Key inválida o reutilizada", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn close(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: RawPathParams,
) -> Response {
    let radicado = path_param(&params, "radicado");
    let key = match authorize(&state, &headers, REQUESTS_WRITE).await {
        Ok(key) => key,
        Err(problem) => return problem.into_response(),
    };
    let fingerprint = hex::encode(Sha256::digest(format!("POST close {radicado}")));
    once(&state, &key, &headers, &fingerprint, async {
        let account = owner(&state, &radicado).await?;
        service::close_for(
            &state,
            &account,
            OnBehalf {
                user_id: &account.holder_id,
                author_label: &account.holder_name,
                actor: key.actor(),
                channel: Channel::Web,
            },
            &radicado,
        )
        .await?;
        Ok((StatusCode::OK, created(view(&state, &radicado).await?)?))
    })
    .await
}

/// Downloads an attachment of the public thread.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "Solicitudes",
    security(("llave" = [])),
    params(("id" = String, Path, description = "Id del adjunto, de la conversación de la solicitud")),
    responses(
        (status = 200, description = "El archivo", content_type = "application/octet-stream"),
        (status = 403, description = "La llave no tiene requests:read", body = ProblemBody, content_type = PROBLEMS),
        (status = 404, description = "No existe", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn attachment(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: RawPathParams,
) -> Result<Response, Problem> {
    authorize(&state, &headers, REQUESTS_READ).await?;
    let id = path_param(&params, "id");
    let (file_name, kind, path) = service::public_attachment(&state, &id)
        .await?
        .ok_or_else(|| Problem::new("no-encontrado", "No existe ese adjunto."))?;
    Ok(crate::http::portal::file_response(&file_name, kind, &path).await)
}
