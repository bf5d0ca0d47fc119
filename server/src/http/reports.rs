//! The monthly report's downloads from the indicators page (issue 20): the XLSX workbook at
//! `/equipo/indicadores/informe/{AAAA-MM}.xlsx` and the Bitácora de PQR at
//! `/equipo/indicadores/informe/{AAAA-MM}/bitacora.csv`, for signed-in supervisors and admins.
//! Plain links, so they work before the WebAssembly loads; a refusal is a short Spanish text.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use http::{HeaderMap, StatusCode};
use ventanilla::role::Role;
use ventanilla_app::error::AppError;
use ventanilla_app::indicators::server::exports::{self, Export, XLSX};
use ventanilla_app::indicators::server::monthly::Month;
use ventanilla_app::platform::audit::Actor;
use ventanilla_app::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/equipo/indicadores/informe/{file}", get(workbook))
        .route(
            "/equipo/indicadores/informe/{month}/bitacora.csv",
            get(bitacora),
        )
}

fn refusal(err: AppError) -> Response {
    (err.status_code(), err.to_string()).into_response()
}

/// `export` as an attachment of `content_type`, never cached (it names customers).
pub(crate) fn attachment(export: Export, content_type: &str) -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, content_type)
        .header(
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", export.file_name),
        )
        .header("x-content-type-options", "nosniff")
        .header(CACHE_CONTROL, "private, no-store")
        .body(Body::from(export.bytes))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// The supervisor or admin asking, and the month they asked for.
async fn asked(
    state: &AppState,
    headers: &HeaderMap,
    month: &str,
) -> Result<(ventanilla_app::accounts::model::SessionUser, Month), AppError> {
    let user = crate::http::portal::signed_in(state, headers).await?;
    if !matches!(user.role, Role::Supervisor | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok((user, Month::parse(month)?))
}

async fn workbook(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(month) = file.strip_suffix(".xlsx") else {
        return (StatusCode::NOT_FOUND, "No existe ese informe.").into_response();
    };
    let outcome = async {
        let (user, month) = asked(&state, &headers, month).await?;
        exports::workbook(&state, &Actor::user(&user.id, &user.full_name), month).await
    }
    .await;
    match outcome {
        Ok(export) => attachment(export, XLSX),
        Err(err) => refusal(err),
    }
}

async fn bitacora(
    State(state): State<AppState>,
    Path(month): Path<String>,
    headers: HeaderMap,
) -> Response {
    let outcome = async {
        let (user, month) = asked(&state, &headers, &month).await?;
        exports::bitacora_csv(&state, &Actor::user(&user.id, &user.full_name), month).await
    }
    .await;
    match outcome {
        Ok(export) => attachment(export, "text/csv; charset=utf-8"),
        Err(err) => refusal(err),
    }
}
