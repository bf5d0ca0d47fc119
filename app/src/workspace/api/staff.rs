//! Server functions of the staff workspace: queues, a request as staff see it, and acting on it.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use ventanilla::role::Role;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::accounts::server::session;

/// A request as staff see it, with the actions the signed-in agent may take now.
#[server(endpoint = "equipo/solicitud")]
pub async fn load_staff_request(
    radicado: String,
) -> Result<Option<crate::workspace::model::StaffRequestView>, AppError> {
    session::as_role(&Role::STAFF, |state, user| async move {
        crate::workspace::server::act::view(&state, &user, &radicado).await
    })
    .await
}

/// An agent acts on a request: take, write to the customer, note, ask, answer, close.
#[server(endpoint = "equipo/actuar")]
pub async fn act_on_request(
    radicado: String,
    action: String,
    message: String,
    area_id: Option<String>,
    assignee_id: Option<String>,
    seen_customer_message: Option<String>,
    outcome: Option<String>,
) -> Result<(), AppError> {
    session::as_role(&Role::STAFF, |state, user| async move {
        crate::workspace::server::act::act(
            &state,
            &user,
            crate::workspace::server::act::ActRequest {
                radicado: &radicado,
                action: &action,
                message: &message,
                area_id: area_id.as_deref(),
                assignee_id: assignee_id.as_deref(),
                uploads: Vec::new(),
                seen_customer_message: seen_customer_message.as_deref(),
                outcome: outcome.as_deref(),
            },
        )
        .await
    })
    .await
}

/// An agent queue with counts, filters and search (agent-workspace requirement). Staff only.
#[server(endpoint = "equipo/cola")]
pub async fn load_queue(
    queue: Option<String>,
    request_type: Option<String>,
    priority: Option<String>,
    tier: Option<String>,
    category: Option<String>,
    subcategory: Option<String>,
    area: Option<String>,
    agent: Option<String>,
    search: Option<String>,
) -> Result<crate::workspace::model::QueueView, AppError> {
    session::as_role(&Role::STAFF, |state, user| async move {
        let filters = crate::workspace::server::queues::Filters {
            request_type: request_type.unwrap_or_default(),
            priority: priority.unwrap_or_default(),
            tier: tier.unwrap_or_default(),
            category: category.unwrap_or_default(),
            subcategory: subcategory.unwrap_or_default(),
            area: area.unwrap_or_default(),
            agent: agent.unwrap_or_default(),
            search: search.unwrap_or_default(),
        };
        crate::workspace::server::queues::view(&state, &user, &queue.unwrap_or_default(), &filters)
            .await
    })
    .await
}

/// Changes the priority of an open request, with the reason. Agents and supervisors.
#[server(endpoint = "equipo/prioridad")]
pub async fn change_priority(
    radicado: String,
    priority: String,
    reason: String,
) -> Result<(), AppError> {
    session::as_role(&Role::STAFF, |state, user| async move {
        crate::workspace::server::act::change_priority(&state, &user, &radicado, &priority, &reason)
            .await
    })
    .await
}

/// Typifies a request: category, subcategory and cause (agent-workspace requirement). Agents and supervisors.
#[server(endpoint = "equipo/tipificar")]
pub async fn typify_request(
    radicado: String,
    category_id: String,
    subcategory_id: String,
    cause_id: String,
) -> Result<(), AppError> {
    session::as_role(&Role::STAFF, |state, user| async move {
        crate::workspace::server::typification::typify(
            &state,
            &user,
            &radicado,
            &category_id,
            &subcategory_id,
            &cause_id,
        )
        .await
    })
    .await
}

/// Declares the prórroga of the legal term (Ley 1755 art. 14 parágrafo): the assigned agent
/// or a supervisor, before the term expires, with the reasons; returns the new due date.
#[server(endpoint = "equipo/prorroga")]
pub async fn declare_extension(
    radicado: String,
    reason: String,
    business_days: String,
) -> Result<String, AppError> {
    session::as_role(&Role::STAFF, |state, user| async move {
        crate::requests::server::extension::declare(
            &state,
            &user,
            &radicado,
            &reason,
            &business_days,
            chrono::Utc::now(),
        )
        .await
        .map(|due| due.format("%d/%m/%Y").to_string())
    })
    .await
}
