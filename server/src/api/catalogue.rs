//! The category catalogue and the areas, for forms and reports in other systems.

use axum::extract::State;
use axum::Json;
use http::HeaderMap;
use serde::Serialize;
use utoipa::ToSchema;
use ventanilla_app::accounts::server::api_keys::REQUESTS_READ;
use ventanilla_app::catalogue::server::read;
use ventanilla_app::state::AppState;

use super::auth::authorize;
use super::problem::ProblemBody;
use super::Problem;

/// A category of the catalogue (seed 001).
#[derive(Serialize, ToSchema)]
pub struct CategoryOut {
    pub id: String,
    pub name: String,
    pub description: String,
    /// The area that usually handles it.
    pub area_id: Option<String>,
    /// Whether new requests may be filed under it; inactive ones are listed because older
    /// requests still name them.
    pub active: bool,
}

/// An area of the escalation matrix.
#[derive(Serialize, ToSchema)]
pub struct AreaOut {
    pub id: String,
    pub name: String,
}

/// The category catalogue, in the order forms show it; only active ones accept new requests.
#[utoipa::path(get, path = "/api/v1/categories", tag = "Catálogo",
    security(("llave" = [])),
    responses(
        (status = 200, description = "Las categorías", body = Vec<CategoryOut>),
        (status = 403, description = "La llave no tiene requests:read", body = ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn categories(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<CategoryOut>>, Problem> {
    authorize(&state, &headers, REQUESTS_READ).await?;
    Ok(Json(
        read::categories(&state.pool)
            .await?
            .into_iter()
            .map(|c| CategoryOut {
                id: c.id,
                name: c.name,
                description: c.description,
                area_id: c.area_id,
                active: c.active,
            })
            .collect(),
    ))
}

/// The areas requests are escalated to.
#[utoipa::path(get, path = "/api/v1/areas", tag = "Catálogo",
    security(("llave" = [])),
    responses(
        (status = 200, description = "Las áreas", body = Vec<AreaOut>),
        (status = 403, description = "La llave no tiene requests:read", body = ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn areas(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<AreaOut>>, Problem> {
    authorize(&state, &headers, REQUESTS_READ).await?;
    Ok(Json(
        read::areas(&state.pool)
            .await?
            .into_iter()
            .map(|a| AreaOut {
                id: a.id,
                name: a.name,
            })
            .collect(),
    ))
}
