//! The delivery worker: claims due rows of the outbox one at a time, sends them, and
//! records the outcome with its audit event in one transaction. See the module above for
//! the delivery guarantee.

use std::time::Duration;

use serde_json::json;
use sqlx::{AnyPool, Row};
use tokio::sync::watch;

use super::render::render;
use super::Notifier;
use crate::error::AppError;
use crate::ssr::audit::{self, Actor};
use crate::ssr::db::{begin, internal, new_id, now};

/// Rows looked at per pass; a full pass is followed at once by another.
const BATCH: i64 = 20;

/// Waits after a failure grow from `first_retry_seconds` by doubling up to this ceiling.
const LONGEST_WAIT_SECONDS: i64 = 6 * 3600;

/// How long the worker rests when there is nothing due. Polling a small indexed table every
/// second costs little and needs no engine-specific notification mechanism.
const IDLE: Duration = Duration::from_secs(1);

/// Kept on the admins' page; longer SMTP or API answers are cut.
const MAX_ERROR_CHARS: usize = 500;

/// Delivers due notifications until `shutdown` turns true (or its sender is dropped). The
/// notification in hand is finished and recorded before it returns.
pub async fn run_delivery(
    pool: AnyPool,
    config: super::config::NotificationConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let notifier = match Notifier::new(&config) {
        Ok(notifier) => notifier,
        Err(err) => {
            tracing::error!(error = %err, "notifications are not delivered: bad configuration");
            return;
        }
    };
    loop {
        let stop = shutdown.clone();
        let pass = deliver_due(&pool, &notifier, now, move || *stop.borrow()).await;
        let rest = match pass {
            Ok(pass) if pass.looked_at == BATCH as usize => Duration::ZERO,
            Ok(_) => IDLE,
            Err(_) => IDLE * 5,
        };
        if *shutdown.borrow() {
            return;
        }
        tokio::select! {
            changed = shutdown.changed() => if changed.is_err() || *shutdown.borrow() { return },
            _ = tokio::time::sleep(rest) => {}
        }
    }
}

/// One pass over the notifications due at `clock()`; returns how many were sent. Tests call
/// it with a clock of their own instead of waiting for real time to pass.
pub async fn deliver_due_once<C>(
    pool: &AnyPool,
    notifier: &Notifier,
    clock: C,
) -> Result<usize, AppError>
where
    C: Fn() -> i64 + Send + Sync,
{
    Ok(deliver_due(pool, notifier, clock, || false).await?.sent)
}

struct Pass {
    looked_at: usize,
    sent: usize,
}

async fn deliver_due<C, S>(
    pool: &AnyPool,
    notifier: &Notifier,
    clock: C,
    stopping: S,
) -> Result<Pass, AppError>
where
    C: Fn() -> i64 + Send + Sync,
    S: Fn() -> bool + Send + Sync,
{
    // A row is due when it waits for its next attempt, or when the worker that claimed it
    // stopped answering (its lease ran out).
    let due: Vec<String> = sqlx::query(
        "SELECT id FROM notification_outbox \
         WHERE (status = 'pendiente' AND next_attempt_at <= $1) \
            OR (status = 'enviando' AND claimed_until <= $1) \
         ORDER BY next_attempt_at, created_at LIMIT $2",
    )
    .bind(clock())
    .bind(BATCH)
    .fetch_all(pool)
    .await
    .map_err(internal)?
    .iter()
    .map(|row| row.get("id"))
    .collect();
    let mut pass = Pass {
        looked_at: due.len(),
        sent: 0,
    };
    for id in due {
        if stopping() {
            break;
        }
        if deliver_one(pool, notifier, &clock, &id).await? {
            pass.sent += 1;
        }
    }
    Ok(pass)
}

/// Claims, sends and records one notification; `true` when this call sent it.
async fn deliver_one<C>(
    pool: &AnyPool,
    notifier: &Notifier,
    clock: &C,
    id: &str,
) -> Result<bool, AppError>
where
    C: Fn() -> i64 + Send + Sync,
{
    let settings = notifier.config();
    let token = new_id();
    let at = clock();
    // The claim: only one worker's UPDATE matches, on SQLite and on PostgreSQL alike
    // (PostgreSQL re-checks the WHERE on a row another transaction just changed). The
    // attempt is counted here, so a notification that kills its worker still runs out of
    // attempts. It is a write, so it queues for SQLite's writer like the filings do
    // (`db::begin`) instead of polling the lock from outside the queue, which kept a filing
    // that held the turn asleep in SQLite's busy handler.
    let mut claim = begin(pool).await?;
    let claimed = sqlx::query(
        "UPDATE notification_outbox \
         SET status = 'enviando', claim_token = $1, claimed_until = $2, attempts = attempts + 1 \
         WHERE id = $3 AND ((status = 'pendiente' AND next_attempt_at <= $4) \
                         OR (status = 'enviando' AND claimed_until <= $4)) \
         RETURNING channel, recipient, template, payload, attempts",
    )
    .bind(&token)
    .bind(at + settings.lease_seconds)
    .bind(id)
    .bind(at)
    .fetch_optional(&mut *claim)
    .await
    .map_err(internal)?;
    claim.commit().await.map_err(internal)?;
    let Some(row) = claimed else {
        return Ok(false);
    };
    let channel: String = row.get("channel");
    let recipient: String = row.get("recipient");
    let template: String = row.get("template");
    let payload: String = row.get("payload");
    let attempts: i64 = row.get("attempts");
    let rendered = render(&template, &payload);
    let outcome = match &rendered {
        Ok(rendered) => notifier.send(id, &channel, &recipient, rendered).await,
        Err(err) => Err(err.clone()),
    };
    let radicado = rendered.ok().and_then(|r| r.radicado);
    let detail = json!({
        "channel": channel,
        "template": template,
        "recipient": recipient,
        "radicado": radicado,
        "attempts": attempts,
    });
    let actor = Actor::system("notificaciones");
    let at = clock();
    let mut tx = begin(pool).await?;
    let sent = outcome.is_ok();
    let (recorded, audit_action) = match outcome {
        Ok(()) => (
            sqlx::query(
                "UPDATE notification_outbox \
                 SET status = 'enviada', sent_at = $1, last_error = NULL, \
                     claim_token = NULL, claimed_until = NULL \
                 WHERE id = $2 AND claim_token = $3",
            )
            .bind(at)
            .bind(id)
            .bind(&token)
            .execute(&mut *tx)
            .await,
            Some("notificacion_enviada"),
        ),
        Err(error) => {
            let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
            tracing::warn!(%id, %channel, attempts, %error, "notification not delivered");
            if attempts >= settings.max_attempts {
                (
                    sqlx::query(
                        "UPDATE notification_outbox \
                         SET status = 'fallida', failed_at = $1, last_error = $2, \
                             claim_token = NULL, claimed_until = NULL \
                         WHERE id = $3 AND claim_token = $4",
                    )
                    .bind(at)
                    .bind(error)
                    .bind(id)
                    .bind(&token)
                    .execute(&mut *tx)
                    .await,
                    Some("notificacion_fallida"),
                )
            } else {
                (
                    sqlx::query(
                        "UPDATE notification_outbox \
                         SET status = 'pendiente', next_attempt_at = $1, last_error = $2, \
                             claim_token = NULL, claimed_until = NULL \
                         WHERE id = $3 AND claim_token = $4",
                    )
                    .bind(at + retry_wait(settings.first_retry_seconds, attempts))
                    .bind(error)
                    .bind(id)
                    .bind(&token)
                    .execute(&mut *tx)
                    .await,
                    None,
                )
            }
        }
    };
    if recorded.map_err(internal)?.rows_affected() == 0 {
        // The lease ran out while this worker was sending and another worker claimed the
        // row; its outcome is the one that counts.
        tracing::warn!(%id, "notification claim lost before its outcome was recorded");
        return Ok(false);
    }
    if let Some(action) = audit_action {
        audit::record(&mut tx, &actor, action, "notification", id, detail).await?;
    }
    tx.commit().await.map_err(internal)?;
    Ok(sent)
}

/// Exponential backoff: `first`, then twice as long after each further failed attempt, up to
/// [`LONGEST_WAIT_SECONDS`].
pub fn retry_wait(first: i64, attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 30) as u32;
    first
        .saturating_mul(1_i64 << doublings)
        .min(LONGEST_WAIT_SECONDS)
}

#[cfg(test)]
mod tests {
    use super::retry_wait;

    #[test]
    fn waits_double_up_to_the_ceiling() {
        assert_eq!(retry_wait(60, 1), 60);
        assert_eq!(retry_wait(60, 2), 120);
        assert_eq!(retry_wait(60, 4), 480);
        assert_eq!(retry_wait(60, 40), 6 * 3600);
    }
}
