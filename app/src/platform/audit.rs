//! The append-only history. Every write calls [`record`] inside its own transaction, so a
//! change and its audit event are committed together or not at all.

use crate::error::AppError;
use crate::platform::db::{new_id, now, Batch};

/// Who did it: a person, the system itself (workers, the CLI), or another system through an
/// API key (REST API requirement: every API call is attributed to its key).
pub struct Actor<'a> {
    pub user_id: Option<&'a str>,
    pub api_key_id: Option<&'a str>,
    pub label: &'a str,
}

impl<'a> Actor<'a> {
    pub fn user(id: &'a str, label: &'a str) -> Self {
        Actor {
            user_id: Some(id),
            api_key_id: None,
            label,
        }
    }

    pub fn system(label: &'a str) -> Self {
        Actor {
            user_id: None,
            api_key_id: None,
            label,
        }
    }

    pub fn api_key(id: &'a str, label: &'a str) -> Self {
        Actor {
            user_id: None,
            api_key_id: Some(id),
            label,
        }
    }
}

pub async fn record(
    tx: &mut crate::platform::db::Tx,
    actor: &Actor<'_>,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let mut batch = Batch::new();
    add(&mut batch, actor, action, entity, entity_id, detail);
    batch.run(tx).await?;
    Ok(())
}

/// [`record`] as part of a [`Batch`] of writes that go to the database together.
pub fn add(
    batch: &mut Batch,
    actor: &Actor<'_>,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: serde_json::Value,
) {
    batch.push(
        "INSERT INTO audit_events (id, occurred_at, actor_user_id, actor_label, action, entity, entity_id, detail, actor_api_key_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            new_id().into(),
            now().into(),
            actor.user_id.into(),
            actor.label.into(),
            action.into(),
            entity.into(),
            entity_id.into(),
            detail.to_string().into(),
            actor.api_key_id.into(),
        ],
    );
}

/// One event of [`record_all`].
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub detail: serde_json::Value,
}

/// Several events by one actor in one statement: a worker that records a batch of outcomes
/// pays one round trip to the database for their history, not one per event.
pub async fn record_all(
    tx: &mut crate::platform::db::Tx,
    actor: &Actor<'_>,
    entries: &[Entry<'_>],
) -> Result<(), AppError> {
    if entries.is_empty() {
        return Ok(());
    }
    const COLUMNS: usize = 9;
    let rows: Vec<String> = (0..entries.len())
        .map(|row| {
            let params: Vec<String> = (1..=COLUMNS)
                .map(|column| format!("${}", row * COLUMNS + column))
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO audit_events (id, occurred_at, actor_user_id, actor_label, action, entity, entity_id, detail, actor_api_key_id) \
         VALUES {}",
        rows.join(", ")
    );
    let at = now();
    let mut query = sqlx::query(&sql);
    for entry in entries {
        query = query
            .bind(new_id())
            .bind(at)
            .bind(actor.user_id)
            .bind(actor.label)
            .bind(entry.action)
            .bind(entry.entity)
            .bind(entry.entity_id)
            .bind(entry.detail.to_string())
            .bind(actor.api_key_id);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}
