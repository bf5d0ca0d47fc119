//! The agent's action form as a plain multipart HTTP endpoint, so a public reply or an
//! internal note can carry files (agent-workspace requirement) and the form still works before the WebAssembly
//! loads. It shares the customer's form reading, size limit and answers (`http::portal`):
//! a redirect back to the request page for a plain post, JSON for the hydrated page. The
//! agent's filing on a customer's behalf, with the customer's files, works the same way.

use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use http::HeaderMap;
use ventanilla_app::accounts::server::accounts::CustomerOnBehalf;
use ventanilla_app::requests::server::form::Filing;
use ventanilla_app::requests::server::on_behalf;
use ventanilla_app::state::AppState;
use ventanilla_app::workspace::server::act;

use crate::http::portal::{answer, failure, field, read_form, signed_in, wants_json};

pub async fn act(
    State(state): State<AppState>,
    Path(radicado): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let json_wanted = wants_json(&headers);
    let page = format!("/equipo/solicitudes/{radicado}");
    let outcome = async {
        let user = signed_in(&state, &headers).await.map_err(failure)?;
        let (fields, files) = read_form(multipart).await?;
        // Collision warning: the newest customer message the page had when the agent began
        // writing; checking "enviar de todos modos" sends over a newer one on purpose.
        let seen = fields
            .iter()
            .any(|(k, _)| k == "seen_customer_message")
            .then(|| field(&fields, "seen_customer_message"))
            .filter(|_| field(&fields, "send_anyway") != "si");
        let (area_id, assignee_id) = (field(&fields, "area_id"), field(&fields, "assignee_id"));
        let outcome = field(&fields, "outcome");
        act::act(
            &state,
            &user,
            act::ActRequest {
                radicado: &radicado,
                action: &field(&fields, "action"),
                message: &field(&fields, "message"),
                area_id: Some(area_id.as_str()).filter(|id| !id.is_empty()),
                assignee_id: Some(assignee_id.as_str()).filter(|id| !id.is_empty()),
                uploads: files,
                seen_customer_message: seen.as_deref(),
                outcome: Some(outcome.as_str()).filter(|o| !o.is_empty()),
            },
        )
        .await
        .map_err(failure)?;
        Ok(page.clone())
    }
    .await;
    answer(json_wanted, outcome, &page)
}

/// Where the agent's "register on the customer's behalf" form posts (agent-workspace requirement): the same
/// multipart reading and size limit as the customer's filing form, and the same service
/// checks on each file. A plain post comes back to the page with the radicado in the query.
pub const ON_BEHALF: &str = "/equipo/nueva/radicar";

pub async fn file_on_behalf(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let json_wanted = wants_json(&headers);
    let outcome = async {
        let agent = signed_in(&state, &headers).await.map_err(failure)?;
        let (fields, files) = read_form(multipart).await?;
        let new_account = Some(field(&fields, "full_name"))
            .filter(|name| !name.trim().is_empty())
            .map(|full_name| CustomerOnBehalf {
                full_name,
                email: field(&fields, "email"),
                phone: field(&fields, "phone"),
                consent: !field(&fields, "consent").is_empty(),
                ..CustomerOnBehalf::default()
            });
        let radicado = on_behalf::file_by_agent(
            &state,
            &agent,
            on_behalf::AgentFiling {
                document_type: field(&fields, "document_type"),
                document_number: field(&fields, "document_number"),
                channel: field(&fields, "channel"),
                new_account,
                filing: Filing {
                    request_type: field(&fields, "request_type"),
                    category_id: field(&fields, "category_id"),
                    subject: field(&fields, "subject"),
                    description: field(&fields, "description"),
                    priority: field(&fields, "priority"),
                    links: String::new(),
                    submission_token: field(&fields, "submission_token"),
                    related: String::new(),
                },
            },
            files,
        )
        .await
        .map_err(failure)?;
        Ok(format!("/equipo/nueva?radicada={radicado}"))
    }
    .await;
    answer(json_wanted, outcome, "/equipo/nueva")
}
