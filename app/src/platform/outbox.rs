//! The notification outbox (seed 000 §6: e-mail on registration, follow-ups and close).
//! Rows are written in the same transaction as the change that causes them; a delivery
//! worker sends them later, so a crash between commit and send loses nothing.

use crate::error::AppError;
use crate::platform::db::{new_id, now, Batch};

pub async fn enqueue(
    tx: &mut crate::platform::db::Tx,
    channel: &str,
    recipient: &str,
    template: &str,
    payload: serde_json::Value,
) -> Result<(), AppError> {
    let mut batch = Batch::new();
    add(&mut batch, channel, recipient, template, payload);
    batch.run(tx).await?;
    Ok(())
}

/// [`enqueue`] as part of a [`Batch`] of writes that go to the database together.
pub fn add(
    batch: &mut Batch,
    channel: &str,
    recipient: &str,
    template: &str,
    payload: serde_json::Value,
) {
    batch.push(
        "INSERT INTO notification_outbox (id, created_at, channel, recipient, template, payload, status, attempts, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pendiente', 0, $2)",
        vec![
            new_id().into(),
            now().into(),
            channel.into(),
            recipient.into(),
            template.into(),
            payload.to_string().into(),
        ],
    );
}
