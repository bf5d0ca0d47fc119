//! The upload step of the spreadsheet imports: the detractor base (seed 003 §4 step 1: the
//! operator downloads the base from the client's BI tool and brings it here) and the customer
//! accounts from the ERP (issue 19), and the switchboard's call records (issue 20). A plain multipart form, so it works before the
//! WebAssembly loads; it keeps the file and sends the browser on to the mapping step, or back
//! with the reason in a sealed `?error=`.

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use http::{HeaderMap, StatusCode};
use ventanilla_app::accounts::model::SessionUser;
use ventanilla_app::accounts::server::session;
use ventanilla_app::error::AppError;
use ventanilla_app::platform::spreadsheet::MAX_BYTES;
use ventanilla_app::state::AppState;

/// Which import a file is for: its mapping page, where that page posts the file.
#[derive(Clone, Copy)]
enum Import {
    Detractors,
    Customers,
    Calls,
}

impl Import {
    fn page(self) -> &'static str {
        match self {
            Import::Detractors => "/equipo/detractores/importar",
            Import::Customers => "/equipo/clientes/importar",
            Import::Calls => "/equipo/llamadas/importar",
        }
    }

    async fn stage(
        self,
        state: &AppState,
        user: &SessionUser,
        file: &(String, Vec<u8>),
    ) -> Result<String, AppError> {
        match self {
            Import::Detractors => {
                ventanilla_app::detractors::server::import::stage(state, user, &file.1, &file.0)
                    .await
            }
            Import::Customers => {
                ventanilla_app::customers::server::import::stage(state, user, &file.1, &file.0)
                    .await
            }
            Import::Calls => {
                ventanilla_app::calls::server::import::stage(state, user, &file.1, &file.0).await
            }
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/equipo/detractores/importar/archivo",
            post(
                |state: State<AppState>, headers: HeaderMap, multipart: Multipart| {
                    upload(Import::Detractors, state, headers, multipart)
                },
            ),
        )
        .route(
            ventanilla_app::customers::pages::import::UPLOAD,
            post(
                |state: State<AppState>, headers: HeaderMap, multipart: Multipart| {
                    upload(Import::Customers, state, headers, multipart)
                },
            ),
        )
        .route(
            ventanilla_app::calls::pages::import::UPLOAD,
            post(
                |state: State<AppState>, headers: HeaderMap, multipart: Multipart| {
                    upload(Import::Calls, state, headers, multipart)
                },
            ),
        )
        // Room for the largest base plus the form's boundaries; bigger bodies are cut off
        // and answered with the size message.
        .layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024))
}

fn back_with(import: Import, message: &str) -> Response {
    let sealed = ventanilla_app::platform::flash::seal(message);
    Redirect::to(&format!("{}?{sealed}", import.page())).into_response()
}

async fn upload(
    import: Import,
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
        Err(err) => return back_with(import, &err.to_string()),
    };
    let file = match read_file(multipart).await {
        Ok(Some(file)) => file,
        Ok(None) => return back_with(import, "Elija el archivo (.xlsx o .csv)."),
        Err(status) if status == StatusCode::PAYLOAD_TOO_LARGE => {
            return back_with(
                import,
                &format!(
                    "El archivo pesa más de {} MB. Divida la base en cortes más pequeños.",
                    MAX_BYTES / (1024 * 1024)
                ),
            )
        }
        Err(_) => {
            return back_with(
                import,
                "No se pudo leer el formulario enviado. Intente de nuevo.",
            )
        }
    };
    match import.stage(&state, &user, &file).await {
        Ok(id) => Redirect::to(&format!("{}?archivo={id}", import.page())).into_response(),
        Err(AppError::Forbidden) => {
            (StatusCode::FORBIDDEN, AppError::Forbidden.to_string()).into_response()
        }
        Err(err) => back_with(import, &err.to_string()),
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
