//! Live events: what changed, pushed to every open page that may see it (issue 4: "new
//! follow-ups and state changes appear without reload"; issue 5: push, never poll).
//!
//! Inside one server the bus is a `tokio::sync::broadcast` channel. Its capacity bounds how
//! far a slow subscriber may fall behind before it is told it lagged (its page then reloads
//! its data), so a stalled browser cannot make the server hold events without limit. With
//! PostgreSQL and several instances, each event is also sent with `pg_notify` and every
//! instance relays what the others sent, so a change made through one instance reaches the
//! browsers connected to all of them.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// How many events a subscriber may be behind before it lags; a few seconds of a busy desk.
const CAPACITY: usize = 1024;
pub const CHANNEL: &str = "ventanilla_eventos";

/// Something changed on a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    /// The instance that published it, so an instance ignores its own echo from PostgreSQL.
    pub origin: String,
    pub radicado: String,
    /// The customer account the request belongs to: customers only receive their own.
    pub account_id: String,
    /// What happened, e.g. "seguimiento", "estado", "radicada".
    pub change: String,
}

#[derive(Clone)]
pub struct LiveBus {
    sender: broadcast::Sender<LiveEvent>,
    instance: String,
    /// Set when the database is PostgreSQL: events also go out through `pg_notify`.
    postgres: Option<sqlx::AnyPool>,
}

impl LiveBus {
    pub fn new(pool: &sqlx::AnyPool) -> Self {
        let is_postgres = pool
            .connect_options()
            .database_url
            .scheme()
            .starts_with("postgres");
        Self {
            sender: broadcast::channel(CAPACITY).0,
            instance: super::db::new_id(),
            postgres: is_postgres.then(|| pool.clone()),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }

    /// Publishes after the change committed. Best effort by design: the data is already
    /// safe in the database, and a page that misses an event shows it on its next load.
    pub async fn publish(&self, radicado: &str, account_id: &str, change: &str) {
        let event = LiveEvent {
            origin: self.instance.clone(),
            radicado: radicado.to_string(),
            account_id: account_id.to_string(),
            change: change.to_string(),
        };
        let _ = self.sender.send(event.clone());
        if let Some(pool) = &self.postgres {
            let payload = serde_json::to_string(&event).unwrap_or_default();
            if let Err(err) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload)
                .execute(pool)
                .await
            {
                tracing::warn!(error = %err, "could not relay a live event to other instances");
            }
        }
    }

    /// Relays events published by other instances (PostgreSQL only); returns when `stop`
    /// fires. Reconnects after a lost connection.
    pub async fn relay_from_postgres(
        self,
        database_url: String,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            match sqlx::postgres::PgListener::connect(&database_url).await {
                Ok(mut listener) => {
                    if let Err(err) = listener.listen(CHANNEL).await {
                        tracing::warn!(error = %err, "LISTEN failed; retrying");
                    } else {
                        loop {
                            tokio::select! {
                                received = listener.recv() => match received {
                                    Ok(notification) => {
                                        if let Ok(event) = serde_json::from_str::<LiveEvent>(notification.payload()) {
                                            if event.origin != self.instance {
                                                let _ = self.sender.send(event);
                                            }
                                        }
                                    }
                                    Err(err) => {
                                        tracing::warn!(error = %err, "live event relay lost its connection");
                                        break;
                                    }
                                },
                                _ = stop.changed() => return,
                            }
                        }
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "live event relay could not connect; retrying")
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
                _ = stop.changed() => return,
            }
        }
    }
}
