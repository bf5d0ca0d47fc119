//! The stale-reply rule of the collision warning (agent-workspace requirement): a message to the customer must not
//! go out silently over a customer message the agent never saw. The page sends back the id of
//! the newest customer message it had when the agent began writing; if the customer wrote
//! since, the server refuses with [`AppError::NewerCustomerMessage`], quoting the new
//! message, and nothing is written. The agent reads it and sends again on purpose: the
//! request page's form with "enviar de todos modos" checked (`server/src/http/staff.rs`), or
//! an API caller with the `newest` id the refusal carried.

use sqlx::Row;
use ventanilla::lifecycle::Action;

use crate::error::AppError;

/// The actions whose message the customer reads.
pub fn goes_to_customer(action: Action) -> bool {
    matches!(
        action,
        Action::PublicReply
            | Action::AskCustomer
            | Action::Answer
            | Action::SubmitForReview
            | Action::AcknowledgeFelicitacion
    )
}

/// The id of the newest message the customer wrote on `radicado`, if any.
pub async fn last_customer_message(
    pool: &sqlx::AnyPool,
    radicado: &str,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query(
        "SELECT m.id FROM request_messages m JOIN requests r ON r.id = m.request_id \
         WHERE r.radicado = $1 AND m.from_customer = 1 ORDER BY m.created_at DESC, m.id DESC LIMIT 1",
    )
    .bind(radicado)
    .fetch_optional(pool)
    .await?
    .map(|row| row.get("id")))
}

/// Refuses when the newest customer message is not `seen` (empty: the agent saw none).
/// Runs inside the action's transaction, after the request row is locked, so a customer
/// message committed before the reply is always noticed.
pub async fn refuse_if_customer_wrote_since(
    tx: &mut crate::platform::db::Tx,
    request_id: &str,
    seen: &str,
) -> Result<(), AppError> {
    let newest = sqlx::query(
        "SELECT id, body FROM request_messages WHERE request_id = $1 AND from_customer = 1 \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(request_id)
    .fetch_optional(&mut **tx)
    .await?;
    match newest {
        Some(row) if row.get::<String, _>("id") != seen => {
            let body: String = row.get("body");
            let mut excerpt: String = body.chars().take(300).collect();
            if body.chars().count() > 300 {
                excerpt.push('…');
            }
            Err(AppError::NewerCustomerMessage {
                message: format!(
                    "El cliente escribió un mensaje nuevo mientras usted redactaba: «{excerpt}». \
                     Su mensaje no se envió. Léalo y, si su respuesta aún aplica, envíela de nuevo."
                ),
                newest: row.get("id"),
            })
        }
        _ => Ok(()),
    }
}
