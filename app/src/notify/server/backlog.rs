//! What admins see of the outbox: notifications not yet delivered, the ones given up on
//! with their last error, and sending one again after fixing the cause (a wrong address,
//! the SMTP relay down for longer than the retries lasted).

use serde_json::{json, Value};
use sqlx::{AnyPool, Row};

use crate::error::AppError;
use crate::notify::api::UndeliveredNotification;
use crate::notify::server::render::template_label;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{begin, now};
use crate::timers::local_time;

/// The page lists at most this many; failed ones first, then the newest.
const LIMIT: i64 = 200;

pub async fn undelivered(pool: &AnyPool) -> Result<Vec<UndeliveredNotification>, AppError> {
    let rows = sqlx::query(
        "SELECT id, created_at, channel, recipient, template, payload, status, attempts, \
                next_attempt_at, last_error \
         FROM notification_outbox WHERE status IN ('fallida', 'pendiente', 'enviando') \
         ORDER BY CASE status WHEN 'fallida' THEN 0 ELSE 1 END, created_at DESC LIMIT $1",
    )
    .bind(LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|row| {
            let status: String = row.get("status");
            let channel: String = row.get("channel");
            let payload: String = row.get("payload");
            UndeliveredNotification {
                id: row.get("id"),
                status: match status.as_str() {
                    "fallida" => "Fallida",
                    "enviando" => "Enviando",
                    _ => "Pendiente",
                }
                .to_string(),
                status_code: status,
                channel: if channel == "whatsapp" {
                    "WhatsApp".to_string()
                } else {
                    "Correo".to_string()
                },
                recipient: row.get("recipient"),
                template: template_label(&row.get::<String, _>("template")),
                radicado: serde_json::from_str::<Value>(&payload)
                    .ok()
                    .and_then(|p| p.get("radicado")?.as_str().map(str::to_string)),
                attempts: row.get("attempts"),
                last_error: row.get("last_error"),
                created_at: local_time(row.get("created_at")),
                next_attempt_at: local_time(row.get("next_attempt_at")),
            }
        })
        .collect())
}

/// Puts a failed or waiting notification back in line for delivery now, with a fresh set
/// of attempts. A notification being sent or already sent is left alone.
pub async fn retry(pool: &AnyPool, actor: &Actor<'_>, id: &str) -> Result<(), AppError> {
    let mut tx = begin(pool).await?;
    let changed = sqlx::query(
        "UPDATE notification_outbox \
         SET status = 'pendiente', attempts = 0, next_attempt_at = $1, failed_at = NULL \
         WHERE id = $2 AND status IN ('fallida', 'pendiente')",
    )
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::Conflict(
            "Esa notificación ya se envió o se está enviando.".to_string(),
        ));
    }
    audit::record(
        &mut tx,
        actor,
        "notificacion_reintentada",
        "notification",
        id,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
