//! The collision warning's one write: "I am typing on this request" (agent-workspace requirement). Who is
//! viewing comes from the presence stream itself (`server/src/http/presence.rs`).

use leptos::prelude::*;

use crate::error::AppError;

/// Marks the signed-in staff member as writing on `radicado` for a few seconds. The page
/// calls it at most every few seconds while its reply box changes. Staff only.
#[server(endpoint = "equipo/presencia/escribiendo")]
pub async fn mark_typing(radicado: String) -> Result<(), AppError> {
    use crate::accounts::server::session;
    use ventanilla::role::Role;
    session::as_role(&Role::STAFF, |state, user| async move {
        crate::requests::server::reach::open(&state, &user, &radicado)
            .await?
            .ok_or(AppError::NotFound)?;
        state
            .presence
            .typing(&radicado, &user.id, chrono::Utc::now().timestamp());
        Ok(())
    })
    .await
}
