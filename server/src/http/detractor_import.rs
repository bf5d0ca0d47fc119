//! The upload step of the detractor base import (seed 003 §4 step 1: the operator downloads
//! the base from the client's BI tool and brings it here). A plain multipart form, so it
//! works before the WebAssembly loads; it keeps the file and sends the browser on to the
//! mapping step, or back with the reason in `?error=`.

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use http::{HeaderMap, StatusCode};
use ventanilla_app::error::AppError;
use ventanilla_app::state::AppState;
use ventanilla_app::{accounts::server::session, detractors::server::import};

const PAGE: &str = "/equipo/detractores/importar";
/// Where the page's upload form posts.
pub const UPLOAD: &str = "/equipo/detractores/importar/archivo";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(UPLOAD, post(upload))
        // Room for the largest base plus the form's boundaries; bigger bodies are cut off
        // and answered with the size message.
        .layer(DefaultBodyLimit::max(import::MAX_BYTES + 64 * 1024))
}

fn back_with(message: &str) -> Response {
    let sealed = ventanilla_app::platform::flash::seal(message);
    Redirect::to(&format!("{PAGE}?{sealed}")).into_response()
}

async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let Some(token) = session::token_from_headers(&headers) else {
        return Redirect::to("/ingresar").into_response();
    };
    let user = match session::user_for_token(&state, &token).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/ingresar").into_response(),
        Err(err) => return back_with(&err.to_string()),
    };
    let file = match read_file(multipart).await {
        Ok(Some(file)) => file,
        Ok(None) => return back_with("Elija el archivo de la base (.xlsx o .csv)."),
        Err(status) if status == StatusCode::PAYLOAD_TOO_LARGE => {
            return back_with(&format!(
                "El archivo pesa más de {} MB. Divida la base en cortes más pequeños.",
                import::MAX_BYTES / (1024 * 1024)
            ))
        }
        Err(_) => return back_with("No se pudo leer el formulario enviado. Intente de nuevo."),
    };
    match import::stage(&state, &user, &file.1, &file.0).await {
        Ok(id) => Redirect::to(&format!("{PAGE}?archivo={id}")).into_response(),
        Err(AppError::Forbidden) => {
            (StatusCode::FORBIDDEN, AppError::Forbidden.to_string()).into_response()
        }
        Err(err) => back_with(&err.to_string()),
    }
}

/// The form's file part (`archivo`): its name and bytes; `None` when no file was chosen.
async fn read_file(mut multipart: Multipart) -> Result<Option<(String, Vec<u8>)>, StatusCode> {
    let mut found = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return Err(err.status()),
        };
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(|err| err.status())?;
        // A file input left empty still sends a part with no name and no bytes.
        if let Some(file_name) = file_name.filter(|n| !n.is_empty() || !bytes.is_empty()) {
            found.get_or_insert((file_name, bytes.to_vec()));
        }
    }
    Ok(found)
}
