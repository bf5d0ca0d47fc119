//! Plain HTTP endpoints of the customer portal that carry files: filing a request and
//! replying with attachments (multipart forms), and downloading attachments.
//!
//! They are ordinary HTML form targets so they work before the WebAssembly loads (customers
//! on slow mobile networks): a plain post is answered with a redirect, and the hydrated page,
//! which sends `Accept: application/json` to show upload progress, gets JSON instead.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http::header::{ACCEPT, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use http::{HeaderMap, StatusCode};
use serde_json::json;
use ventanilla_app::accounts::model::SessionUser;
use ventanilla_app::accounts::server::session;
use ventanilla_app::error::AppError;
use ventanilla_app::requests::server::{
    form::Filing,
    service::{self, Upload},
};
use ventanilla_app::state::AppState;

pub fn routes(state: &AppState) -> Router<AppState> {
    // Room for the largest allowed message plus the form's own fields and boundaries.
    let limit = usize::try_from(state.config.attachments.max_message_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(1024 * 1024);
    Router::new()
        .route("/portal/solicitudes", post(file_request))
        .route("/portal/solicitudes/{radicado}/responder", post(reply))
        .route(
            "/equipo/solicitudes/{radicado}/actuar",
            post(crate::http::staff::act),
        )
        .route(
            crate::http::staff::ON_BEHALF,
            post(crate::http::staff::file_on_behalf),
        )
        .layer(DefaultBodyLimit::max(limit))
        .route("/adjuntos/{id}", get(download))
        .route("/perfil/mis-datos.zip", get(my_data))
}

/// "Descargar mis datos" (Ley 1581 art. 14): the signed-in customer's data as a ZIP.
async fn my_data(State(state): State<AppState>, headers: HeaderMap) -> Response {
    use ventanilla_app::accounts::server::data_export;
    let user = match signed_in(&state, &headers).await {
        Ok(user) => user,
        Err(_) => return Redirect::to("/ingresar").into_response(),
    };
    match data_export::export(&state, &user).await {
        Ok(zip) => (
            [
                (http::header::CONTENT_TYPE, "application/zip".to_string()),
                (
                    http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", data_export::FILE_NAME),
                ),
                (http::header::CACHE_CONTROL, "no-store".to_string()),
            ],
            zip,
        )
            .into_response(),
        Err(err) => failure(err).into_response(),
    }
}

pub(crate) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<SessionUser, AppError> {
    let token = session::token_from_headers(headers).ok_or(AppError::Unauthenticated)?;
    session::user_for_token(state, &token)
        .await?
        .ok_or(AppError::Unauthenticated)
}

pub(crate) fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// Text fields and files of a multipart form. A body over the limit is refused with 413.
pub(crate) async fn read_form(
    mut multipart: Multipart,
) -> Result<(Vec<(String, String)>, Vec<Upload>), (StatusCode, String)> {
    let mut fields = Vec::new();
    let mut files = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return Err(multipart_error(err.status())),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|err| multipart_error(err.status()))?;
        match file_name {
            // A file input left empty still sends a part with no name and no bytes.
            Some(file_name) if file_name.is_empty() && bytes.is_empty() => {}
            Some(file_name) => files.push(Upload {
                name: file_name,
                bytes: bytes.to_vec(),
            }),
            None => fields.push((name, String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    Ok((fields, files))
}

fn multipart_error(status: StatusCode) -> (StatusCode, String) {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        (
            status,
            "Los adjuntos superan el tamaño máximo por mensaje. Envíe algunos en otro mensaje."
                .into(),
        )
    } else {
        (
            StatusCode::BAD_REQUEST,
            "No se pudo leer el formulario enviado. Intente de nuevo.".into(),
        )
    }
}

pub(crate) fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The answer for both kinds of caller: JSON with a status, or a redirect carrying the
/// message back to the form.
pub(crate) fn answer(
    json_wanted: bool,
    outcome: Result<String, (StatusCode, String)>,
    back: &str,
) -> Response {
    match (outcome, json_wanted) {
        (Ok(url), true) => Json(json!({ "url": url })).into_response(),
        (Ok(url), false) => Redirect::to(&url).into_response(),
        (Err((status, message)), true) => {
            let mut response = (status, Json(json!({ "error": message }))).into_response();
            if status == StatusCode::SERVICE_UNAVAILABLE {
                // AppError::Busy: nothing was saved, the same submission shortly will be.
                response.headers_mut().insert(
                    http::header::RETRY_AFTER,
                    ventanilla_app::error::BUSY_RETRY_AFTER_SECONDS.into(),
                );
            }
            response
        }
        (Err((StatusCode::UNAUTHORIZED, _)), false) => Redirect::to("/ingresar").into_response(),
        (Err((_, message)), false) => {
            let separator = if back.contains('?') { '&' } else { '?' };
            let sealed = ventanilla_app::platform::flash::seal(&message);
            Redirect::to(&format!("{back}{separator}{sealed}")).into_response()
        }
    }
}

pub(crate) fn failure(err: AppError) -> (StatusCode, String) {
    (err.status_code(), err.to_string())
}

async fn file_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let json_wanted = wants_json(&headers);
    let outcome = async {
        let user = signed_in(&state, &headers).await.map_err(failure)?;
        let (fields, files) = read_form(multipart).await?;
        let form = Filing {
            request_type: field(&fields, "request_type"),
            category_id: field(&fields, "category_id"),
            subject: field(&fields, "subject"),
            description: field(&fields, "description"),
            priority: field(&fields, "priority"),
            links: field(&fields, "links"),
            submission_token: field(&fields, "submission_token"),
            related: field(&fields, "related"),
        };
        let radicado = service::file_request(&state, &user, form, files)
            .await
            .map_err(failure)?;
        Ok(format!("/portal/solicitudes/{radicado}?radicada=1"))
    }
    .await;
    answer(json_wanted, outcome, "/portal/nueva")
}

async fn reply(
    State(state): State<AppState>,
    Path(radicado): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let json_wanted = wants_json(&headers);
    let page = format!("/portal/solicitudes/{radicado}");
    let outcome = async {
        let user = signed_in(&state, &headers).await.map_err(failure)?;
        let (fields, files) = read_form(multipart).await?;
        service::reply(&state, &user, &radicado, &field(&fields, "message"), files)
            .await
            .map_err(failure)?;
        Ok(page.clone())
    }
    .await;
    answer(json_wanted, outcome, &page)
}

/// Serves a file as a download, never inline: `Content-Disposition: attachment` and
/// `nosniff` keep a crafted file from running in the site's origin.
async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "Archivo no encontrado.").into_response();
    let user = match signed_in(&state, &headers).await {
        Ok(user) => user,
        Err(_) => {
            return (
                StatusCode::UNAUTHORIZED,
                "Debe iniciar sesión para descargar archivos.",
            )
                .into_response()
        }
    };
    let Ok(Some((file_name, kind, path))) = service::attachment_for(&state, &user, &id).await
    else {
        return not_found();
    };
    file_response(&file_name, kind, &path).await
}

/// A stored file as a download (shared with the REST API's attachment links).
pub(crate) async fn file_response(
    file_name: &str,
    kind: ventanilla::attachment::AttachmentKind,
    path: &std::path::Path,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "Archivo no encontrado.").into_response();
    let Ok(bytes) = tokio::fs::read(path).await else {
        tracing::error!(path = %path.display(), "attachment file missing on disk");
        return not_found();
    };
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(file_name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, kind.mime())
        .header(
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
        )
        .header("x-content-type-options", "nosniff")
        .header(CACHE_CONTROL, "private, no-store")
        .body(Body::from(bytes))
        .unwrap_or_else(|_| not_found())
}
