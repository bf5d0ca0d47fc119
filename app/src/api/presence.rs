//! The collision warning's one write: "I am typing on this request" (issue 5). Who is
//! viewing comes from the presence stream itself (`server/src/presence_http.rs`).

use leptos::prelude::*;

use crate::error::AppError;

/// Marks the signed-in staff member as writing on `radicado` for a few seconds. The page
/// calls it at most every few seconds while its reply box changes. Staff only.
#[server(endpoint = "equipo/presencia/escribiendo")]
pub async fn mark_typing(radicado: String) -> Result<(), AppError> {
    use crate::ssr::{respond::respond, session, state::app_state};
    use ventanilla::role::Role;
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(
                &state,
                &[
                    Role::Asesor,
                    Role::Especialista,
                    Role::Calidad,
                    Role::Supervisor,
                    Role::Admin,
                ],
            )
            .await?;
            state
                .presence
                .typing(&radicado, &user.id, chrono::Utc::now().timestamp());
            Ok(())
        }
        .await,
    )
}
