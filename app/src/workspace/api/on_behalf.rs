//! Server functions of the agent's "register on the customer's behalf" page (agent-workspace requirement). The
//! filing itself carries files, so it is a multipart HTTP endpoint of the server
//! (`/equipo/nueva/radicar`), like the customer's own filing form.

use leptos::prelude::*;

use crate::error::AppError;
use crate::requests::model::{CustomerCard, OnBehalfFormOptions};

#[cfg(feature = "ssr")]
use crate::{accounts::server::session, requests::server::on_behalf};

/// The categories to choose from, a fresh submission token and the attachment limits.
#[server(endpoint = "equipo/radicar/opciones")]
pub async fn on_behalf_options() -> Result<OnBehalfFormOptions, AppError> {
    session::signed_in(|state, agent| async move { on_behalf::options(&state, &agent).await }).await
}

/// Who has this document, before filing; `None` when nobody has an account with it.
#[server(endpoint = "equipo/cliente")]
pub async fn find_customer(
    document_type: String,
    document_number: String,
) -> Result<Option<CustomerCard>, AppError> {
    session::signed_in(|state, agent| async move {
        on_behalf::lookup(&state, &agent, &document_type, &document_number).await
    })
    .await
}
