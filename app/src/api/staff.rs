//! Server functions for the staff workspace and the customer's request list.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use ventanilla::role::Role;

use crate::error::AppError;
use crate::model::{RequestPage, StaffMember};

#[cfg(feature = "ssr")]
use crate::ssr::{accounts, audit::Actor, requests, respond::respond, session, state::app_state};

#[cfg(feature = "ssr")]
const STAFF: [Role; 5] = [
    Role::Asesor,
    Role::Especialista,
    Role::Calidad,
    Role::Supervisor,
    Role::Admin,
];

/// The requests of the signed-in customer's account. Customers only.
#[server(endpoint = "mis-solicitudes")]
pub async fn my_requests(page: Option<i64>) -> Result<RequestPage, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(&state, &[Role::Cliente]).await?;
            requests::for_customer(&state.pool, &user.id, page.unwrap_or(1)).await
        }
        .await,
    )
}

/// Staff users. Admins only.
#[server(endpoint = "equipo/usuarios")]
pub async fn staff_members() -> Result<Vec<StaffMember>, AppError> {
    respond(
        async {
            let state = app_state()?;
            session::require_role(&state, &[Role::Admin]).await?;
            accounts::list_staff(&state.pool).await
        }
        .await,
    )
}

/// An admin creates a staff user with a role and an initial password.
#[server(endpoint = "equipo/usuarios/crear")]
pub async fn create_staff_member(
    full_name: String,
    email: String,
    role: String,
    password: String,
) -> Result<StaffMember, AppError> {
    respond(
        async {
            let state = app_state()?;
            let admin = session::require_role(&state, &[Role::Admin]).await?;
            let role = Role::from_code(&role)
                .ok_or_else(|| AppError::validation("Elija un rol de la lista."))?;
            accounts::create_staff(
                &state.pool,
                &Actor::user(&admin.id, &admin.full_name),
                role,
                &full_name,
                &email,
                &password,
            )
            .await
        }
        .await,
    )
}

/// A request as staff see it, with the actions the signed-in agent may take now.
#[server(endpoint = "equipo/solicitud")]
pub async fn load_staff_request(
    radicado: String,
) -> Result<Option<crate::model::StaffRequestView>, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(&state, &STAFF).await?;
            crate::ssr::workspace::view(&state, &user, &radicado).await
        }
        .await,
    )
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
) -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(&state, &STAFF).await?;
            crate::ssr::workspace::act(
                &state,
                &user,
                &radicado,
                &action,
                &message,
                area_id.as_deref().unwrap_or_default(),
                assignee_id.as_deref().unwrap_or_default(),
                Vec::new(),
                seen_customer_message.as_deref(),
            )
            .await
        }
        .await,
    )
}

/// An agent queue with counts, filters and search (issue 5). Staff only.
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
) -> Result<crate::model::QueueView, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(&state, &STAFF).await?;
            let filters = crate::ssr::queues::Filters {
                request_type: request_type.unwrap_or_default(),
                priority: priority.unwrap_or_default(),
                tier: tier.unwrap_or_default(),
                category: category.unwrap_or_default(),
                subcategory: subcategory.unwrap_or_default(),
                area: area.unwrap_or_default(),
                agent: agent.unwrap_or_default(),
                search: search.unwrap_or_default(),
            };
            crate::ssr::queues::view(&state, &user, &queue.unwrap_or_default(), &filters).await
        }
        .await,
    )
}

/// Changes the priority of an open request, with the reason. Agents and supervisors.
#[server(endpoint = "equipo/prioridad")]
pub async fn change_priority(
    radicado: String,
    priority: String,
    reason: String,
) -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(&state, &STAFF).await?;
            crate::ssr::workspace::change_priority(&state, &user, &radicado, &priority, &reason)
                .await
        }
        .await,
    )
}

/// Typifies a request: category, subcategory and cause (issue 5). Agents and supervisors.
#[server(endpoint = "equipo/tipificar")]
pub async fn typify_request(
    radicado: String,
    category_id: String,
    subcategory_id: String,
    cause_id: String,
) -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(&state, &STAFF).await?;
            crate::ssr::typification::typify(
                &state,
                &user,
                &radicado,
                &category_id,
                &subcategory_id,
                &cause_id,
            )
            .await
        }
        .await,
    )
}

/// Declares the prórroga of the legal term (Ley 1755 art. 14 parágrafo): the assigned agent
/// or a supervisor, before the term expires, with the reasons; returns the new due date.
#[server(endpoint = "equipo/prorroga")]
pub async fn declare_extension(
    radicado: String,
    reason: String,
    business_days: String,
) -> Result<String, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_role(&state, &STAFF).await?;
            crate::ssr::prorroga::declare(
                &state,
                &user,
                &radicado,
                &reason,
                &business_days,
                chrono::Utc::now(),
            )
            .await
            .map(|due| due.format("%d/%m/%Y").to_string())
        }
        .await,
    )
}
