//! Server functions for canned answers (plantillas, agent-workspace requirement): supervisors and admins keep
//! them; every staff member can fill one in for a request.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use ventanilla::role::Role;

use crate::error::AppError;
use crate::workspace::model::CannedAnswer;

#[cfg(feature = "ssr")]
use crate::{accounts::server::session, workspace::server::canned_answers};

/// Every plantilla, active or not. Supervisors and admins.
#[server(endpoint = "equipo/plantillas")]
pub async fn canned_answers() -> Result<Vec<CannedAnswer>, AppError> {
    session::as_role(&Role::MANAGERS, |state, _| async move {
        canned_answers::list_all(&state.pool).await
    })
    .await
}

/// Creates a plantilla (no `id`) or edits one. Supervisors and admins.
#[server(endpoint = "equipo/plantillas/guardar")]
pub async fn save_canned_answer(
    id: Option<String>,
    name: String,
    body: String,
    request_type: Option<String>,
) -> Result<CannedAnswer, AppError> {
    session::as_role(&Role::MANAGERS, |state, user| async move {
        canned_answers::save(
            &state.pool,
            &user,
            id.as_deref().unwrap_or_default(),
            &name,
            &body,
            request_type.as_deref().unwrap_or_default(),
        )
        .await
    })
    .await
}

/// Deactivates (`active` = "no") or reactivates a plantilla. Supervisors and admins.
#[server(endpoint = "equipo/plantillas/estado")]
pub async fn set_canned_answer_active(id: String, active: String) -> Result<(), AppError> {
    session::as_role(&Role::MANAGERS, |state, user| async move {
        canned_answers::set_active(&state.pool, &user, &id, active == "si").await
    })
    .await
}

/// Plantilla `id` filled in for request `radicado` by the signed-in staff member. Staff.
#[server(endpoint = "equipo/plantillas/llenar")]
pub async fn fill_canned_answer(id: String, radicado: String) -> Result<String, AppError> {
    session::as_role(&Role::STAFF, |state, user| async move {
        // Filling in shows the customer's name: only for a request this person may open.
        crate::requests::server::reach::open(&state, &user, &radicado)
            .await?
            .ok_or(AppError::NotFound)?;
        canned_answers::render_for_request(&state.pool, &user, &id, &radicado).await
    })
    .await
}
