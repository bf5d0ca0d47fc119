//! Server functions of the agent's "register on the customer's behalf" page (issue 5).

// The filing form has one field per argument, and server_fn generates code around the
// function that a function-level allow does not reach.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Choice, CustomerCard};

#[cfg(feature = "ssr")]
use crate::ssr::{
    accounts::CustomerOnBehalf, on_behalf, portal::Filing, respond::respond, session,
    state::app_state,
};

/// The categories to choose from and a fresh submission token for the form.
#[server(endpoint = "equipo/radicar/opciones")]
pub async fn on_behalf_options() -> Result<(Vec<Choice>, String), AppError> {
    respond(
        async {
            let state = app_state()?;
            let agent = session::require_user(&state).await?;
            on_behalf::options(&state, &agent).await
        }
        .await,
    )
}

/// Who has this document, before filing; `None` when nobody has an account with it.
#[server(endpoint = "equipo/cliente")]
pub async fn find_customer(
    document_type: String,
    document_number: String,
) -> Result<Option<CustomerCard>, AppError> {
    respond(
        async {
            let state = app_state()?;
            let agent = session::require_user(&state).await?;
            on_behalf::lookup(&state, &agent, &document_type, &document_number).await
        }
        .await,
    )
}

/// Files the request for the customer (creating their account first when the form carries
/// their data and consent); returns the radicado to tell them.
#[server(endpoint = "equipo/radicar")]
pub async fn file_on_behalf(
    document_type: String,
    document_number: String,
    channel: String,
    request_type: String,
    category_id: String,
    subject: String,
    description: String,
    priority: String,
    submission_token: String,
    full_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    consent: Option<String>,
) -> Result<String, AppError> {
    respond(
        async {
            let state = app_state()?;
            let agent = session::require_user(&state).await?;
            let new_account = full_name
                .filter(|name| !name.trim().is_empty())
                .map(|full_name| CustomerOnBehalf {
                    full_name,
                    email: email.unwrap_or_default(),
                    phone: phone.unwrap_or_default(),
                    consent: consent.is_some(),
                    ..CustomerOnBehalf::default()
                });
            on_behalf::file_by_agent(
                &state,
                &agent,
                on_behalf::AgentFiling {
                    document_type,
                    document_number,
                    channel,
                    new_account,
                    filing: Filing {
                        request_type,
                        category_id,
                        subject,
                        description,
                        priority,
                        links: String::new(),
                        submission_token,
                        related: String::new(),
                    },
                },
                Vec::new(),
            )
            .await
        }
        .await,
    )
}
