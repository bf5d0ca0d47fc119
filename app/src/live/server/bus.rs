//! Live events: what changed, pushed to every open page that may see it (customer-portal requirement: "new
//! follow-ups and state changes appear without reload"; agent-workspace requirement: push, never poll, and
//! "resumable with `Last-Event-ID` so that a dropped connection loses no event").
//!
//! Every event is written to the `live_events` log under a number that grows by one per
//! event (see the migration for why a counter row and not a sequence), then handed to the
//! streams of this instance through a `tokio::sync::broadcast` channel and, with PostgreSQL,
//! to the other instances through `pg_notify`. A stream that reconnects names the last number
//! it saw and is sent what came after, from the log.
//!
//! **Logged right after the change commits, not inside its transaction.** `publish` keeps
//! the one-line call every service already makes after `tx.commit()`, so no service had to
//! change, and an event is never logged for a change that rolled back. Why that loses no
//! event a stream could have seen: a stream only ever learns of an event through the log's
//! number, and numbers are handed out in the order the log rows commit (the counter row
//! lock), so "everything after N" read from the log is complete — nothing can later appear
//! below a number a stream already has. The one window left is a crash of the process
//! between the change's commit and the log's: then no stream anywhere was told of the change
//! (it never had a number), which is the same as a page that was not open — it shows the
//! change on its next load, because the data itself is committed. Writing the log row inside
//! each service's transaction would close that window at the cost of touching every write
//! path; the counter lock would then also be held across each whole write.
//!
//! The exception is the busiest write, filing a request: on SQLite it logs its event inside
//! its own transaction ([`LiveBus::stage`]), where writers already take turns and the counter
//! lock costs nothing, saving a transaction per filing (the REST API's throughput target). Both ways give
//! numbers in commit order, so the two mix freely.
//!
//! Inside one instance, delivery to the broadcast channel goes through one lock that keeps
//! the ids strictly increasing and without holes (a hole is filled from the log), so a
//! stream can subscribe, replay from the log up to a watermark, and then take the live
//! events above it: no gap and no duplicate between replay and live. The channel's capacity
//! bounds how far a slow stream may fall behind; one that lags re-reads the log instead.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use tokio::sync::broadcast;

use crate::error::AppError;

/// How many events a subscriber may be behind before it lags; a few seconds of a busy desk.
/// A lagging stream is not lost: it catches up from the log.
const CAPACITY: usize = 1024;
pub const CHANNEL: &str = "ventanilla_eventos";
/// More missed events than this and the page is told to reload its data instead of receiving
/// them one by one: after that many changes a fresh load is cheaper for both sides.
pub const REPLAY_LIMIT: i64 = 1000;
/// The log is pruned once every this many events, not on every write.
const PRUNE_EVERY: i64 = 256;

/// Whose pages an event concerns. The stream decides from this alone who receives it — staff
/// always, a customer only for their own account — so it is a security rule and is typed: a
/// request event cannot be published without its account, and "nobody's" is [`Scope::Staff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// A request: its customer's pages and the staff's.
    Request {
        radicado: &'a str,
        account_id: &'a str,
    },
    /// A customer account with no request involved (a campaign survey for them).
    Account(&'a str),
    /// Staff pages only: the catalogue, campaigns, the detractor desk.
    Staff,
}

impl<'a> Scope<'a> {
    /// A request's scope.
    pub fn request(radicado: &'a str, account_id: &'a str) -> Self {
        Scope::Request {
            radicado,
            account_id,
        }
    }

    /// The narrowest scope of what is known: a request with its account, an account, or
    /// staff only (a recovery case from an imported base may have neither).
    pub fn of(radicado: Option<&'a str>, account_id: Option<&'a str>) -> Self {
        match (radicado, account_id) {
            (Some(radicado), Some(account_id)) => Scope::request(radicado, account_id),
            (None, Some(account_id)) => Scope::Account(account_id),
            (_, None) => Scope::Staff,
        }
    }

    /// The `(radicado, account_id)` the log and the wire carry, `""` for none.
    fn columns(self) -> (&'a str, &'a str) {
        match self {
            Scope::Request {
                radicado,
                account_id,
            } => (radicado, account_id),
            Scope::Account(account_id) => ("", account_id),
            Scope::Staff => ("", ""),
        }
    }
}

/// What changed; the page decides what to refetch from it. The code is what the log and the
/// SSE payload (`cambio`) carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveChange {
    /// A request was filed.
    Radicada,
    /// A message was added to the thread.
    Seguimiento,
    /// The request moved (taken, answered, closed…).
    Estado,
    Prioridad,
    Prorroga,
    Tipificacion,
    /// The recovery desk escalated its case into a request.
    Escalada,
    /// A recovery case opened or changed.
    Detractor,
    /// A relationship campaign or its answers changed.
    Campana,
    /// The catalogue (categories, areas) changed.
    Catalogo,
}

impl LiveChange {
    pub fn code(self) -> &'static str {
        match self {
            LiveChange::Radicada => "radicada",
            LiveChange::Seguimiento => "seguimiento",
            LiveChange::Estado => "estado",
            LiveChange::Prioridad => "prioridad",
            LiveChange::Prorroga => "prorroga",
            LiveChange::Tipificacion => "tipificacion",
            LiveChange::Escalada => "escalada",
            LiveChange::Detractor => "detractor",
            LiveChange::Campana => "campana",
            LiveChange::Catalogo => "catalogo",
        }
    }
}

/// Something changed on a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    /// Its number in the log, the SSE `id:`; 0 when it could not be logged (the database
    /// failed right after the change committed): it is still pushed to open pages, without
    /// a number to resume from.
    #[serde(default)]
    pub id: i64,
    /// The instance that published it, so an instance ignores its own echo from PostgreSQL.
    pub origin: String,
    pub radicado: String,
    /// The customer account the request belongs to: customers only receive their own.
    pub account_id: String,
    /// What happened, e.g. "seguimiento", "estado", "radicada".
    pub change: String,
}

/// What a reconnecting stream is owed.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// The missed events this user may see, oldest first.
    pub events: Vec<LiveEvent>,
    /// Every event up to this number is accounted for (sent above, or not for this user);
    /// live events at or below it are skipped.
    pub watermark: i64,
    /// The requested number is older than the log keeps (or unknown to this database), or
    /// too much was missed: the page must reload its data.
    pub reload: bool,
}

/// An event written in a change's transaction, to push once that transaction commits; see
/// [`LiveBus::stage`]. Dropped with a transaction that rolled back, it was never logged.
#[must_use = "publish it with LiveBus::publish_staged after the commit"]
pub struct Staged {
    event: LiveEvent,
    /// Logged in the transaction (SQLite); otherwise it is logged when published.
    logged: bool,
}

impl Staged {
    /// Takes the event's number from what the batch returned: the only `RETURNING` in a
    /// batch that stages an event is its number.
    pub fn numbered(mut self, returned: &[i64]) -> Result<Staged, AppError> {
        if self.logged {
            self.event.id = returned.first().copied().ok_or_else(|| {
                tracing::error!("the live event's number did not come back from its batch");
                AppError::Internal
            })?;
        }
        Ok(self)
    }
}

#[derive(Clone)]
pub struct LiveBus {
    sender: broadcast::Sender<LiveEvent>,
    instance: String,
    pool: sqlx::AnyPool,
    /// PostgreSQL: events also go out through `pg_notify` to the other instances.
    is_postgres: bool,
    /// How long the log keeps an event (`VENTANILLA_EVENT_RETENTION_HOURS`).
    retention_seconds: i64,
    /// The number of the last event handed to `sender`. `None` until the first one.
    delivered: Arc<tokio::sync::Mutex<Option<i64>>>,
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
            instance: crate::platform::db::new_id(),
            pool: pool.clone(),
            is_postgres,
            retention_seconds: 24 * 3600,
            delivered: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }

    /// Keeps logged events for `hours` (at least one).
    pub fn retaining_hours(mut self, hours: i64) -> Self {
        self.retention_seconds = hours.max(1) * 3600;
        self
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }

    /// An event of this instance, before the log gives it a number.
    fn unnumbered(&self, scope: Scope<'_>, change: LiveChange) -> LiveEvent {
        let (radicado, account_id) = scope.columns();
        LiveEvent {
            id: 0,
            origin: self.instance.clone(),
            radicado: radicado.to_string(),
            account_id: account_id.to_string(),
            change: change.code().to_string(),
        }
    }

    /// Logs the event and pushes it; call after the change committed. A failure to log is
    /// reported and the event still reaches the pages open on this instance.
    pub async fn publish(&self, scope: Scope<'_>, change: LiveChange) {
        self.log_and_deliver(self.unnumbered(scope, change)).await;
    }

    async fn log_and_deliver(&self, mut event: LiveEvent) {
        match self.log(&event).await {
            Ok(id) => event.id = id,
            Err(err) => tracing::warn!(error = %err, "could not log a live event"),
        }
        self.prune_now_and_then(event.id).await;
        self.deliver(event).await;
    }

    /// Logs the event with the change's own writes where that costs nothing: on SQLite,
    /// whose writers take turns anyway (`db::begin`), so holding the counter row until the
    /// change commits delays nobody, and the change and its event commit together — one
    /// transaction fewer per change, and no window where the change is committed without its
    /// number. The two statements join `writes` (one trip with the rest, `db::Batch`); the
    /// number comes back with what the batch returns ([`Staged::numbered`]), so a batch stages
    /// one event at most and has no other `RETURNING`. On PostgreSQL nothing
    /// is added: there the counter lock would order every write on the whole desk behind
    /// each other, so [`publish_staged`] logs it after the commit, as [`publish`] does.
    ///
    /// [`publish_staged`]: Self::publish_staged
    /// [`publish`]: Self::publish
    pub fn stage(
        &self,
        writes: &mut crate::platform::db::Batch,
        scope: Scope<'_>,
        change: LiveChange,
    ) -> Staged {
        let event = self.unnumbered(scope, change);
        let logged = !self.is_postgres;
        if logged {
            writes.push(
                "UPDATE live_event_counter SET last_id = last_id + 1 WHERE singleton = 1",
                Vec::new(),
            );
            writes.push(
                "INSERT INTO live_events (id, radicado, account_id, change, created_at) \
                 SELECT last_id, $1, $2, $3, $4 FROM live_event_counter WHERE singleton = 1 \
                 RETURNING id AS live_event_id",
                vec![
                    event.radicado.clone().into(),
                    event.account_id.clone().into(),
                    event.change.clone().into(),
                    crate::platform::db::now().into(),
                ],
            );
        }
        Staged { event, logged }
    }

    /// Pushes an event [`stage`](Self::stage)d in a transaction that has since committed.
    pub async fn publish_staged(&self, staged: Staged) {
        let Staged { event, logged } = staged;
        if !logged {
            return self.log_and_deliver(event).await;
        }
        self.prune_now_and_then(event.id).await;
        self.deliver(event).await;
    }

    async fn prune_now_and_then(&self, id: i64) {
        if id > 0 && id % PRUNE_EVERY == 0 {
            if let Err(err) = self.prune().await {
                tracing::warn!(error = %err, "could not prune the live event log");
            }
        }
    }

    /// Takes the next number and writes the row, in `tx`.
    async fn append(tx: &mut sqlx::AnyConnection, event: &LiveEvent) -> Result<i64, sqlx::Error> {
        let id: i64 = sqlx::query(
            "UPDATE live_event_counter SET last_id = last_id + 1 WHERE singleton = 1 RETURNING last_id",
        )
        .fetch_one(&mut *tx)
        .await?
        .get("last_id");
        sqlx::query(
            "INSERT INTO live_events (id, radicado, account_id, change, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(&event.radicado)
        .bind(&event.account_id)
        .bind(&event.change)
        .bind(crate::platform::db::now())
        .execute(&mut *tx)
        .await?;
        Ok(id)
    }

    /// One short transaction: take the next number (the counter row stays locked until
    /// commit, so numbers commit in order), write the row, and on PostgreSQL notify the
    /// other instances — `pg_notify` is transactional, so they hear of it exactly when it is
    /// readable, and in commit order.
    async fn log(&self, event: &LiveEvent) -> Result<i64, sqlx::Error> {
        // A write like any other: on SQLite it queues with the filings for the one writer.
        let mut tx = crate::platform::db::begin_write(&self.pool).await?;
        let id = Self::append(&mut tx, event).await?;
        if self.is_postgres {
            let logged = LiveEvent {
                id,
                ..event.clone()
            };
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(serde_json::to_string(&logged).unwrap_or_default())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Hands events to this instance's streams in number order without holes: an event
    /// ahead of the next expected number first brings the ones before it from the log
    /// (they are committed: the counter lock orders commits), and one already handed on
    /// (an echo, or brought from the log earlier) is dropped.
    async fn deliver(&self, event: LiveEvent) {
        if event.id == 0 {
            let _ = self.sender.send(event);
            return;
        }
        let mut delivered = self.delivered.lock().await;
        let last = delivered.unwrap_or(event.id - 1);
        if event.id <= last {
            return;
        }
        if event.id > last + 1 {
            match self.read_log(last, event.id - 1, None).await {
                Ok(missing) => {
                    for earlier in missing {
                        let _ = self.sender.send(earlier);
                    }
                }
                Err(err) => tracing::warn!(error = %err, "could not fill live events from the log"),
            }
        }
        *delivered = Some(event.id);
        let _ = self.sender.send(event);
    }

    /// After the relay lost its connection: whatever the other instances logged meanwhile.
    async fn catch_up(&self) {
        let mut delivered = self.delivered.lock().await;
        let Some(last) = *delivered else {
            return;
        };
        match self.read_log(last, i64::MAX, None).await {
            Ok(missed) => {
                for event in missed {
                    *delivered = Some(event.id);
                    let _ = self.sender.send(event);
                }
            }
            Err(err) => tracing::warn!(error = %err, "could not catch up on live events"),
        }
    }

    /// The number of the last logged event.
    pub async fn last_id(&self) -> Result<i64, sqlx::Error> {
        Ok(
            sqlx::query("SELECT last_id FROM live_event_counter WHERE singleton = 1")
                .fetch_one(&self.pool)
                .await?
                .get("last_id"),
        )
    }

    /// What a stream that saw everything up to `after` has missed; `account` limits it to
    /// one customer's requests (`None`: staff, who see all).
    ///
    /// The watermark is read first: every number up to it is committed (counter lock), so
    /// the rows read next are complete up to it, and anything above it is still to come
    /// through the broadcast channel the caller subscribed to before calling this.
    pub async fn replay(&self, after: i64, account: Option<&str>) -> Result<Replay, sqlx::Error> {
        let watermark = self.last_id().await?;
        let reload = |watermark| Replay {
            events: Vec::new(),
            watermark,
            reload: true,
        };
        if after > watermark || after < 0 {
            return Ok(reload(watermark));
        }
        if after == watermark {
            return Ok(Replay {
                events: Vec::new(),
                watermark,
                reload: false,
            });
        }
        // The log is pruned from its oldest end only, so it always holds a contiguous run
        // of numbers: if the first one kept is past `after + 1`, something was pruned.
        let oldest: Option<i64> = sqlx::query("SELECT MIN(id) AS oldest FROM live_events")
            .fetch_one(&self.pool)
            .await?
            .get("oldest");
        if oldest.is_none_or(|oldest| oldest > after + 1) {
            return Ok(reload(watermark));
        }
        let events = self.read_log(after, watermark, account).await?;
        if events.len() as i64 > REPLAY_LIMIT {
            return Ok(reload(watermark));
        }
        Ok(Replay {
            events,
            watermark,
            reload: false,
        })
    }

    /// Logged events numbered `after < id <= up_to`, oldest first; at most one more than
    /// `REPLAY_LIMIT` so a caller can tell "too many".
    async fn read_log(
        &self,
        after: i64,
        up_to: i64,
        account: Option<&str>,
    ) -> Result<Vec<LiveEvent>, sqlx::Error> {
        let rows = match account {
            Some(account) => sqlx::query(
                "SELECT id, radicado, account_id, change FROM live_events \
                 WHERE account_id = $1 AND id > $2 AND id <= $3 ORDER BY id LIMIT $4",
            )
            .bind(account)
            .bind(after)
            .bind(up_to)
            .bind(REPLAY_LIMIT + 1),
            None => sqlx::query(
                "SELECT id, radicado, account_id, change FROM live_events \
                 WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3",
            )
            .bind(after)
            .bind(up_to)
            .bind(REPLAY_LIMIT + 1),
        }
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| LiveEvent {
                id: row.get("id"),
                origin: String::new(),
                radicado: row.get("radicado"),
                account_id: row.get("account_id"),
                change: row.get("change"),
            })
            .collect())
    }

    /// Deletes the events older than the retention, always a run from the oldest end (by
    /// number, not by time, so clock skew between instances cannot leave holes). Returns how
    /// many went.
    pub async fn prune(&self) -> Result<u64, sqlx::Error> {
        let cutoff = crate::platform::db::now() - self.retention_seconds;
        let mut tx = crate::platform::db::begin_write(&self.pool).await?;
        let pruned = sqlx::query(
            "DELETE FROM live_events WHERE id <= \
             (SELECT MAX(id) FROM live_events WHERE created_at < $1)",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(pruned)
    }

    /// Relays events published by other instances (PostgreSQL only); returns when `stop`
    /// fires. Reconnects after a lost connection, and then catches up from the log on what
    /// it did not hear meanwhile.
    pub async fn relay_from_postgres(
        self,
        database_url: String,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        // Start counting from the log as it is now, so that what other instances commit
        // before LISTEN is up is caught up on below instead of waiting for a later event.
        {
            let mut delivered = self.delivered.lock().await;
            if delivered.is_none() {
                *delivered = self.last_id().await.ok();
            }
        }
        loop {
            match sqlx::postgres::PgListener::connect(&database_url).await {
                Ok(mut listener) => {
                    if let Err(err) = listener.listen(CHANNEL).await {
                        tracing::warn!(error = %err, "LISTEN failed; retrying");
                    } else {
                        self.catch_up().await;
                        loop {
                            tokio::select! {
                                received = listener.try_recv() => match received {
                                    Ok(Some(notification)) => {
                                        if let Ok(event) = serde_json::from_str::<LiveEvent>(notification.payload()) {
                                            if event.origin != self.instance {
                                                self.deliver(event).await;
                                            }
                                        }
                                    }
                                    // The connection dropped and the listener reconnects on
                                    // the next call; what was sent meanwhile is in the log.
                                    Ok(None) => self.catch_up().await,
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

#[cfg(test)]
mod tests {
    use super::{LiveChange, Scope};

    #[test]
    fn a_scope_is_as_narrow_as_what_is_known() {
        assert_eq!(
            Scope::of(Some("2026-000001"), Some("acc")),
            Scope::request("2026-000001", "acc")
        );
        assert_eq!(Scope::of(None, Some("acc")), Scope::Account("acc"));
        // An imported recovery case may have no account: only staff hear of it.
        assert_eq!(Scope::of(Some("2026-000001"), None), Scope::Staff);
        assert_eq!(Scope::of(None, None).columns(), ("", ""));
        assert_eq!(Scope::Account("acc").columns(), ("", "acc"));
        assert_eq!(LiveChange::Radicada.code(), "radicada");
    }
}
