//! Escalation to an area (seed 002 §5.2.9–10): the request moves to the area that must
//! answer, the reason stays internal, and the customer is told in the thread and by e-mail
//! by when they will have the answer. The agent desk (`workspace::server::act`) and the
//! recovery desk (a call whose solution is "escalado", seed 003 §4 step 4) both escalate
//! here, so the order of the steps and what the customer reads are the same for both.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;
use ventanilla::lifecycle::Action;
use ventanilla::role::Role;

use crate::error::AppError;
use crate::platform::audit::Actor;
use crate::platform::db::new_id;
use crate::platform::outbox;
use crate::requests::server::lifecycle::{self, Current};
use crate::state::AppState;

/// An area a request can be escalated to.
pub struct Area {
    pub id: String,
    pub name: String,
}

/// The area `area_id` of the escalation form, or the form's message when there is none.
pub async fn area(tx: &mut crate::platform::db::Tx, area_id: &str) -> Result<Area, AppError> {
    let row = sqlx::query("SELECT id, name FROM areas WHERE id = $1")
        .bind(area_id.trim())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::validation("Elija el área a la que se escala la solicitud."))?;
    Ok(Area {
        id: row.get("id"),
        name: row.get("name"),
    })
}

/// Escalates the open request `current` to `area`, inside the caller's transaction: the
/// lifecycle's transition (which checks the state and `role`, and keeps the legal clock
/// running), the request's area, then the customer's notice.
pub async fn escalate(
    tx: &mut crate::platform::db::Tx,
    state: &AppState,
    current: &Current,
    area: &Area,
    role: Role,
    actor: &Actor<'_>,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    lifecycle::apply(tx, state, current, Action::Escalate, role, actor, at).await?;
    sqlx::query("UPDATE requests SET area_id = $1 WHERE id = $2")
        .bind(&area.id)
        .bind(&current.id)
        .execute(&mut **tx)
        .await?;
    // The area's specialists keep reaching the request after it comes back
    // (`requests::server::reach`).
    sqlx::query(
        "INSERT INTO request_areas (request_id, area_id, first_at) VALUES ($1, $2, $3) \
         ON CONFLICT (request_id, area_id) DO NOTHING",
    )
    .bind(&current.id)
    .bind(&area.id)
    .bind(at.timestamp())
    .execute(&mut **tx)
    .await?;
    tell_customer(tx, &current.id, &area.name, at.timestamp()).await
}

/// Seed 002 §5.2.9: when a request is escalated the customer is told, with the date by which
/// they will have the answer (the legal term), in the thread and by e-mail.
async fn tell_customer(
    tx: &mut crate::platform::db::Tx,
    request_id: &str,
    area_name: &str,
    at: i64,
) -> Result<(), AppError> {
    let request = sqlx::query(
        "SELECT r.radicado, r.subject, u.email FROM requests r JOIN users u ON u.account_id = r.account_id \
         WHERE r.id = $1 ORDER BY u.created_at LIMIT 1",
    )
    .bind(request_id)
    .fetch_one(&mut **tx)
    .await?;
    let due: Option<String> = sqlx::query("SELECT legal_due_date FROM requests WHERE id = $1")
        .bind(request_id)
        .fetch_one(&mut **tx)
        .await?
        .get("legal_due_date");
    let body = match due {
        Some(date) => format!(
            "Su solicitud fue escalada al área de {area_name} para su análisis. Recibirá respuesta a más tardar el {date}."
        ),
        None => format!("Su solicitud fue escalada al área de {area_name} para su análisis."),
    };
    sqlx::query(
        "INSERT INTO request_messages (id, request_id, author_user_id, author_label, from_customer, visibility, kind, body, created_at) \
         VALUES ($1, $2, NULL, 'Servicio al cliente', 0, 'publica', 'aviso_escalamiento', $3, $4)",
    )
    .bind(new_id())
    .bind(request_id)
    .bind(&body)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    outbox::enqueue(
        tx,
        "email",
        &request.get::<String, _>("email"),
        "seguimiento_publico",
        json!({
            "radicado": request.get::<String, _>("radicado"),
            "subject": request.get::<String, _>("subject"),
            "author": "Servicio al cliente",
            "excerpt": body,
        }),
    )
    .await
}
