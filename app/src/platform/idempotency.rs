//! `Idempotency-Key` for the REST API's POSTs (REST API requirement: "a retry with the same key returns
//! the first result and creates nothing new"). The first call reserves the key, runs, and
//! stores its answer; a retry gets that answer back. A retry while the first call still runs
//! is told so (409) instead of running twice; a key reused for a different call is refused
//! (422). Filing also carries the key into the request's submission token, so even a crash
//! between the filing commit and storing the answer cannot file twice.

use sqlx::Row;

use crate::error::AppError;
use crate::platform::db::{begin, internal, now};

/// What to do with a call that carries an idempotency key.
pub enum Start {
    /// First time: run it, then [`finish`].
    Run,
    /// Seen and finished: answer this.
    Replay { status: u16, body: String },
    /// The first call with this key has not finished yet.
    InProgress,
    /// The key was used for a different call.
    Mismatch,
}

pub async fn start(
    pool: &sqlx::AnyPool,
    api_key_id: &str,
    key: &str,
    fingerprint: &str,
) -> Result<Start, AppError> {
    // Every write queues for SQLite's one writer (`db::begin`), like the filing it guards.
    let mut tx = begin(pool).await?;
    let reserved = sqlx::query(
        "INSERT INTO api_idempotency (api_key_id, idempotency_key, fingerprint, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (api_key_id, idempotency_key) DO NOTHING",
    )
    .bind(api_key_id)
    .bind(key)
    .bind(fingerprint)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    if reserved.rows_affected() == 1 {
        return Ok(Start::Run);
    }
    let row = sqlx::query(
        "SELECT fingerprint, status, body FROM api_idempotency WHERE api_key_id = $1 AND idempotency_key = $2",
    )
    .bind(api_key_id)
    .bind(key)
    .fetch_one(pool)
    .await?;
    if row.get::<String, _>("fingerprint") != fingerprint {
        return Ok(Start::Mismatch);
    }
    Ok(
        match (
            row.get::<Option<i64>, _>("status"),
            row.get::<Option<String>, _>("body"),
        ) {
            (Some(status), Some(body)) => Start::Replay {
                status: u16::try_from(status).unwrap_or(500),
                body,
            },
            _ => Start::InProgress,
        },
    )
}

/// Stores the answer of the first call.
pub async fn finish(
    pool: &sqlx::AnyPool,
    api_key_id: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), AppError> {
    let mut tx = begin(pool).await?;
    sqlx::query(
        "UPDATE api_idempotency SET status = $1, body = $2 WHERE api_key_id = $3 AND idempotency_key = $4",
    )
    .bind(i64::from(status))
    .bind(body)
    .bind(api_key_id)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await.map_err(internal)
}

/// Forgets a reservation whose call failed on our side (5xx), so a retry runs again.
pub async fn abandon(pool: &sqlx::AnyPool, api_key_id: &str, key: &str) -> Result<(), AppError> {
    let mut tx = begin(pool).await?;
    sqlx::query("DELETE FROM api_idempotency WHERE api_key_id = $1 AND idempotency_key = $2")
        .bind(api_key_id)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await.map_err(internal)
}
