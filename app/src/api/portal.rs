//! Server functions of the customer portal. Filing and replying carry files and go through
//! the multipart endpoints in the server crate; these read and close.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use ventanilla::role::Role;

use crate::error::AppError;
use crate::model::{FilingOptions, RequestDetail};

#[cfg(feature = "ssr")]
use crate::ssr::{portal, respond::respond, session, state::app_state};

/// What the filing form offers the signed-in customer. Customers only.
#[server(endpoint = "portal/opciones")]
pub async fn load_filing_options(related: Option<String>) -> Result<FilingOptions, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(&state, &[Role::Cliente]).await?;
            portal::filing_options(&state, &user, related).await
        }
        .await,
    )
}

/// One of the customer's requests; `None` (a "not found" page) for anyone else's.
#[server(endpoint = "portal/solicitud")]
pub async fn load_request_detail(radicado: String) -> Result<Option<RequestDetail>, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(&state, &[Role::Cliente]).await?;
            portal::detail(&state, &user, &radicado).await
        }
        .await,
    )
}

/// The customer's *Cerrar* (seed 000 §5 e). Final: a closed request never reopens.
#[server(endpoint = "portal/cerrar")]
pub async fn close_request(radicado: String) -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(&state, &[Role::Cliente]).await?;
            portal::close(&state, &user, &radicado).await
        }
        .await,
    )
}
