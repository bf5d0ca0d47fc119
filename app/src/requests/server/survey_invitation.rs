//! The satisfaction survey of a closed request, as the request itself keeps it (seed 000 §7,
//! seed 004 "voz del cliente"): closing writes the invitation and its e-mail in the closing
//! transaction, and the request page offers the open link. Answering is the surveys
//! capability's business; writing the invitation here keeps requests free of it.

use serde_json::json;
use sqlx::Row;

use crate::error::AppError;
use crate::platform::config::SurveyPolicy;
use crate::platform::db::{new_id, now};
use crate::platform::outbox;
use crate::state::AppState;

/// Creates the invitation of a request that is closing and the e-mail that carries its link,
/// inside the closing transaction: the request, its invitation and its e-mail commit together.
pub async fn invite(
    tx: &mut crate::platform::db::Tx,
    policy: &SurveyPolicy,
    request_id: &str,
    recipient: &str,
) -> Result<(), AppError> {
    let row = sqlx::query("SELECT radicado, subject, account_id FROM requests WHERE id = $1")
        .bind(request_id)
        .fetch_one(&mut **tx)
        .await?;
    let token = new_id();
    let at = now();
    sqlx::query(
        "INSERT INTO survey_invitations (id, token, request_id, account_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(&token)
    .bind(request_id)
    .bind(row.get::<String, _>("account_id"))
    .bind(at)
    .bind(at + policy.days * 86_400)
    .execute(&mut **tx)
    .await?;
    outbox::enqueue(
        tx,
        "email",
        recipient,
        "encuesta",
        json!({
            "radicado": row.get::<String, _>("radicado"),
            "subject": row.get::<String, _>("subject"),
            "url": format!("{}/encuesta/{token}", policy.public_url),
        }),
    )
    .await
}

/// The in-app link to the survey of a closed request, while it can still be answered: the
/// request's own survey, or else the survey about the recovery call it led to.
pub async fn open_link(state: &AppState, request_id: &str) -> Result<Option<String>, AppError> {
    Ok(sqlx::query(
        "SELECT token FROM survey_invitations \
         WHERE request_id = $1 AND answered_at IS NULL AND expires_at > $2 \
         UNION ALL SELECT v.token FROM recovery_surveys v JOIN recovery_cases c ON c.id = v.case_id \
         WHERE c.request_id = $1 AND v.answered_at IS NULL AND v.expires_at > $2",
    )
    .bind(request_id)
    .bind(now())
    .fetch_optional(&state.pool)
    .await?
    .map(|row| format!("/encuesta/{}", row.get::<String, _>("token"))))
}
