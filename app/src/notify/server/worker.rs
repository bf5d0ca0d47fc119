//! The delivery worker: claims a batch of due rows of the outbox in one statement, sends
//! them one after another, and records every outcome with its audit events in one
//! transaction. Two transactions per batch instead of two per message let it keep up with a
//! desk filing hundreds of requests a second (the REST API load test, BENCHMARKS.md). See the module
//! above for the delivery guarantee.

use std::time::Duration;

use serde_json::json;
use sqlx::{AnyPool, Row};
use tokio::sync::watch;

use crate::error::AppError;
use crate::notify::server::render::render;
use crate::notify::server::Notifier;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{begin, new_id, now};

/// Rows claimed per pass; a full pass is followed at once by another.
const BATCH: i64 = 50;

/// Waits after a failure grow from `first_retry_seconds` by doubling up to this ceiling.
const LONGEST_WAIT_SECONDS: i64 = 6 * 3600;

/// How long the worker rests when there is nothing due. Polling a small indexed table every
/// second costs little and needs no engine-specific notification mechanism.
const IDLE: Duration = Duration::from_secs(1);

/// Kept on the admins' page; longer SMTP or API answers are cut.
const MAX_ERROR_CHARS: usize = 500;

/// Delivers due notifications until `shutdown` turns true (or its sender is dropped). The
/// notification in hand is finished, and the batch's outcomes recorded, before it returns;
/// claimed rows not yet sent go back to the queue.
pub async fn run_delivery(
    pool: AnyPool,
    config: crate::platform::config::notifications::NotificationConfig,
    organization: crate::organization::Organization,
    mut shutdown: watch::Receiver<bool>,
) {
    let notifier = match Notifier::new(&config) {
        Ok(notifier) => notifier.for_organization(organization),
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
    let settings = notifier.config();
    let token = new_id();
    let claimed_at = clock();
    let claimed = claim(
        pool,
        &token,
        claimed_at,
        claimed_at + settings.lease_seconds,
    )
    .await?;
    let looked_at = claimed.len();
    let mut deliveries = Vec::with_capacity(claimed.len());
    let mut unsent = Vec::new();
    for row in claimed {
        // A stop request, or half the lease spent (slow transports): the rest goes back to
        // the queue unsent, so no claim can run out while its message is still in hand.
        if stopping() || clock() - claimed_at > settings.lease_seconds / 2 {
            unsent.push(row.id);
            continue;
        }
        let rendered = render(&row.template, &row.payload);
        let outcome = match &rendered {
            Ok(rendered) => match file_for(pool, notifier, &row).await {
                Ok(file) => {
                    notifier
                        .send(
                            &row.id,
                            &row.channel,
                            &row.recipient,
                            rendered,
                            file.as_ref(),
                        )
                        .await
                }
                Err(err) => Err(err),
            },
            Err(err) => Err(err.clone()),
        };
        let radicado = rendered.ok().and_then(|r| r.radicado);
        deliveries.push(Delivery {
            row,
            radicado,
            outcome,
        });
    }
    let sent = record(pool, settings, &token, clock(), &deliveries, &unsent).await?;
    Ok(Pass { looked_at, sent })
}

/// The file the e-mail of `row` carries, built now: the monthly report's workbook
/// (`indicators::server::schedule`). A failure to build it fails this attempt, which the
/// outbox retries like a transport failure.
async fn file_for(
    pool: &AnyPool,
    notifier: &Notifier,
    row: &Claimed,
) -> Result<Option<super::email::MailFile>, String> {
    if row.channel != "email" {
        return Ok(None);
    }
    crate::indicators::server::schedule::attachment_for(
        pool,
        notifier.organization(),
        &row.template,
        &row.payload,
    )
    .await
    .map(|file| {
        file.map(|(name, bytes)| super::email::MailFile {
            name,
            content_type: crate::indicators::server::exports::XLSX.to_string(),
            bytes,
        })
    })
    .map_err(|err| format!("no se pudo preparar el archivo adjunto: {err}"))
}

/// A notification this worker claimed.
struct Claimed {
    id: String,
    channel: String,
    recipient: String,
    template: String,
    payload: String,
    attempts: i64,
    next_attempt_at: i64,
    created_at: i64,
}

/// A claimed notification after the attempt to send it.
struct Delivery {
    row: Claimed,
    radicado: Option<String>,
    outcome: Result<(), String>,
}

/// Claims up to [`BATCH`] due rows in one statement, oldest due first. Only one worker's
/// UPDATE changes a row, on SQLite and on PostgreSQL alike (PostgreSQL re-checks the WHERE on
/// a row another transaction just changed, so a racing worker gets the rows left). The
/// attempt is counted here, so a notification that kills its worker still runs out of
/// attempts. It is a write, so it queues for SQLite's writer like the filings do
/// (`db::begin`) instead of polling the lock from outside the queue.
async fn claim(
    pool: &AnyPool,
    token: &str,
    at: i64,
    lease_until: i64,
) -> Result<Vec<Claimed>, AppError> {
    // A row is due when it waits for its next attempt, or when the worker that claimed it
    // stopped answering (its lease ran out).
    const DUE: &str = "((status = 'pendiente' AND next_attempt_at <= $3) \
                        OR (status = 'enviando' AND claimed_until <= $3))";
    let mut tx = begin(pool).await?;
    let rows = sqlx::query(&format!(
        "UPDATE notification_outbox \
         SET status = 'enviando', claim_token = $1, claimed_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM notification_outbox WHERE {DUE} \
                      ORDER BY next_attempt_at, created_at LIMIT $4) \
           AND {DUE} \
         RETURNING id, channel, recipient, template, payload, attempts, next_attempt_at, created_at"
    ))
    .bind(token)
    .bind(lease_until)
    .bind(at)
    .bind(BATCH)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut claimed: Vec<Claimed> = rows
        .iter()
        .map(|row| Claimed {
            id: row.get("id"),
            channel: row.get("channel"),
            recipient: row.get("recipient"),
            template: row.get("template"),
            payload: row.get("payload"),
            attempts: row.get("attempts"),
            next_attempt_at: row.get("next_attempt_at"),
            created_at: row.get("created_at"),
        })
        .collect();
    // RETURNING promises no order; send in the order they became due.
    claimed.sort_by(|a, b| {
        (a.next_attempt_at, a.created_at, &a.id).cmp(&(b.next_attempt_at, b.created_at, &b.id))
    });
    Ok(claimed)
}

/// Records every outcome of one pass, with its audit events, in one transaction, and hands
/// the rows it did not get to back to the queue; returns how many were sent. Each outcome
/// counts only under this pass's claim token: a row whose lease ran out while it was being
/// sent was claimed again by another worker, whose outcome is the one that counts.
async fn record(
    pool: &AnyPool,
    settings: &crate::platform::config::notifications::NotificationConfig,
    token: &str,
    at: i64,
    deliveries: &[Delivery],
    unsent: &[String],
) -> Result<usize, AppError> {
    if deliveries.is_empty() && unsent.is_empty() {
        return Ok(0);
    }
    let actor = Actor::system("notificaciones");
    let detail = |delivery: &Delivery| {
        json!({
            "channel": delivery.row.channel,
            "template": delivery.row.template,
            "recipient": delivery.row.recipient,
            "radicado": delivery.radicado,
            "attempts": delivery.row.attempts,
        })
    };
    let mut tx = begin(pool).await?;
    let sent_ids: Vec<&str> = deliveries
        .iter()
        .filter(|d| d.outcome.is_ok())
        .map(|d| d.row.id.as_str())
        .collect();
    let recorded: Vec<String> = if sent_ids.is_empty() {
        Vec::new()
    } else {
        let mut query_text = String::from(
            "UPDATE notification_outbox \
             SET status = 'enviada', sent_at = $1, last_error = NULL, \
                 claim_token = NULL, claimed_until = NULL \
             WHERE claim_token = $2 AND id IN (",
        );
        query_text.push_str(&placeholders(3, sent_ids.len()));
        query_text.push_str(") RETURNING id");
        let mut query = sqlx::query(&query_text).bind(at).bind(token);
        for id in &sent_ids {
            query = query.bind(*id);
        }
        query
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| row.get("id"))
            .collect()
    };
    let mut events = Vec::new();
    for delivery in deliveries {
        let id = delivery.row.id.as_str();
        match &delivery.outcome {
            Ok(()) if recorded.iter().any(|r| r == id) => events.push(audit::Entry {
                action: "notificacion_enviada",
                entity: "notification",
                entity_id: id,
                detail: detail(delivery),
            }),
            Ok(()) => {
                tracing::warn!(%id, "notification claim lost before its outcome was recorded")
            }
            Err(error) => {
                if failed(&mut tx, settings, token, at, delivery, error).await? {
                    events.push(audit::Entry {
                        action: "notificacion_fallida",
                        entity: "notification",
                        entity_id: id,
                        detail: detail(delivery),
                    });
                }
            }
        }
    }
    audit::record_all(&mut tx, &actor, &events).await?;
    if !unsent.is_empty() {
        // Not attempted: the attempt counted by the claim is given back.
        let mut query_text = String::from(
            "UPDATE notification_outbox \
             SET status = 'pendiente', attempts = attempts - 1, \
                 claim_token = NULL, claimed_until = NULL \
             WHERE claim_token = $1 AND id IN (",
        );
        query_text.push_str(&placeholders(2, unsent.len()));
        query_text.push(')');
        let mut query = sqlx::query(&query_text).bind(token);
        for id in unsent {
            query = query.bind(id.as_str());
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(recorded.len())
}

/// Records a failed attempt: another try after a growing wait, or given up after the last
/// allowed one. `true` when it was recorded and gave up (an event for the history).
async fn failed(
    tx: &mut crate::platform::db::Tx,
    settings: &crate::platform::config::notifications::NotificationConfig,
    token: &str,
    at: i64,
    delivery: &Delivery,
    error: &str,
) -> Result<bool, AppError> {
    let row = &delivery.row;
    let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
    tracing::warn!(id = %row.id, channel = %row.channel, attempts = row.attempts, %error, "notification not delivered");
    let give_up = row.attempts >= settings.max_attempts;
    let query = if give_up {
        sqlx::query(
            "UPDATE notification_outbox \
             SET status = 'fallida', failed_at = $1, last_error = $2, \
                 claim_token = NULL, claimed_until = NULL \
             WHERE id = $3 AND claim_token = $4",
        )
        .bind(at)
    } else {
        sqlx::query(
            "UPDATE notification_outbox \
             SET status = 'pendiente', next_attempt_at = $1, last_error = $2, \
                 claim_token = NULL, claimed_until = NULL \
             WHERE id = $3 AND claim_token = $4",
        )
        .bind(at + retry_wait(settings.first_retry_seconds, row.attempts))
    };
    let changed = query
        .bind(error)
        .bind(&row.id)
        .bind(token)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if changed == 0 {
        tracing::warn!(id = %row.id, "notification claim lost before its outcome was recorded");
    }
    Ok(changed > 0 && give_up)
}

/// `$first, $first+1, …` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
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
