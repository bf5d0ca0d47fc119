//! `GET /eventos`: the signed-in user's live event stream (Server-Sent Events). A customer
//! receives only the events of their own account's requests; staff those of the requests in
//! their reach (`requests::server::reach`: all for the front line). Every event
//! carries its log number as the SSE `id`; a reconnect naming the last one it saw
//! (`Last-Event-ID`, or `?ultimo=`) is first sent what it missed, then the live events.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use sqlx::Row;
use tokio::sync::broadcast::error::RecvError;
use ventanilla::access::Reach;
use ventanilla_app::accounts::model::SessionUser;
use ventanilla_app::accounts::server::session;
use ventanilla_app::live::server::bus::{LiveEvent, Replay};
use ventanilla_app::requests::server::reach;
use ventanilla_app::state::AppState;

pub async fn stream(
    State(state): State<AppState>,
    Query(query): Query<Resume>,
    headers: HeaderMap,
) -> Response {
    let user = match session::token_from_headers(&headers) {
        Some(token) => session::user_for_token(&state, &token).await.ok().flatten(),
        None => None,
    };
    // No session (signed out in another tab, or expired): 204 is how the SSE protocol tells
    // a browser's EventSource to stop reconnecting, without an error on the page.
    let Some(user) = user else {
        return StatusCode::NO_CONTENT.into_response();
    };
    let Some(slot) = Slot::take("live", &user.id) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "Tiene demasiadas pestañas con actualizaciones en vivo abiertas. Cierre alguna e intente de nuevo.",
        )
            .into_response();
    };
    let audience = match Audience::of(&state, user).await {
        Ok(audience) => audience,
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "Intente de nuevo.").into_response(),
    };
    // None = staff, who are sent every request's events and filtered below.
    let account = match &audience {
        Audience::Customer(account) => Some(account.clone()),
        Audience::Everything | Audience::Reach(_) => None,
    };
    // Subscribe before reading the log, so nothing committed in between is missed; what
    // arrives twice (in the replay and live) is told apart by its number.
    let mut events = state.live.subscribe();
    let replay = match resume_from(&headers, &query) {
        Some(after) => state.live.replay(after, account.as_deref()).await,
        None => state.live.last_id().await.map(|watermark| Replay {
            events: Vec::new(),
            watermark,
            reload: false,
        }),
    };
    let Ok(replay) = replay else {
        return (StatusCode::SERVICE_UNAVAILABLE, "Intente de nuevo.").into_response();
    };
    let replay = audience.filter(&state, replay).await;
    let live = state.live.clone();
    let stream = async_stream(move |sender| async move {
        // The slot is held while the stream lives and given back when it ends.
        let _slot = slot;
        let mut seen = replay.watermark;
        if send_replay(&sender, replay).await.is_err() {
            return;
        }
        loop {
            let event = match events.recv().await {
                Ok(event) => event,
                // Fell behind the channel: what it dropped is still in the log.
                Err(RecvError::Lagged(_)) => {
                    let Ok(replay) = live.replay(seen, account.as_deref()).await else {
                        return;
                    };
                    let replay = audience.filter(&state, replay).await;
                    seen = replay.watermark;
                    if send_replay(&sender, replay).await.is_err() {
                        return;
                    }
                    continue;
                }
                Err(RecvError::Closed) => return,
            };
            if event.id != 0 {
                if event.id <= seen {
                    continue; // Already replayed.
                }
                seen = event.id;
            }
            if !audience.hears(&state, &event).await {
                continue;
            }
            if sender.send(solicitud(&event)).await.is_err() {
                return;
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}

/// Who a stream is for, which decides the events it is sent.
enum Audience {
    /// A customer: their account's events only.
    Customer(String),
    /// Staff who reach every request.
    Everything,
    /// Staff who reach some requests (an area's specialist, quality): each request's event
    /// only if they may open that request; events about no request (the catalogue, the
    /// detractor desk) carry no personal data and go to all staff.
    Reach(SessionUser),
}

impl Audience {
    async fn of(state: &AppState, user: SessionUser) -> Result<Audience, sqlx::Error> {
        match Reach::of(user.role) {
            Some(Reach::Every) => Ok(Audience::Everything),
            Some(_) => Ok(Audience::Reach(user)),
            None => Ok(Audience::Customer(
                sqlx::query("SELECT account_id FROM users WHERE id = $1")
                    .bind(&user.id)
                    .fetch_one(&state.pool)
                    .await?
                    .get("account_id"),
            )),
        }
    }

    async fn hears(&self, state: &AppState, event: &LiveEvent) -> bool {
        match self {
            Audience::Customer(account) => *account == event.account_id,
            Audience::Everything => true,
            Audience::Reach(user) => {
                event.radicado.is_empty()
                    || matches!(reach::open(state, user, &event.radicado).await, Ok(Some(_)))
            }
        }
    }

    /// The replay with only what this audience hears.
    async fn filter(&self, state: &AppState, mut replay: Replay) -> Replay {
        if let Audience::Reach(_) = self {
            let mut kept = Vec::with_capacity(replay.events.len());
            for event in replay.events {
                if self.hears(state, &event).await {
                    kept.push(event);
                }
            }
            replay.events = kept;
        }
        replay
    }
}

/// `?ultimo=` on the page's own reconnects (a new `EventSource` cannot set headers).
#[derive(Deserialize)]
pub struct Resume {
    ultimo: Option<String>,
}

/// The number a reconnecting stream last saw: the `Last-Event-ID` header the browser's
/// `EventSource` sends by itself, else `?ultimo=`. Anything unreadable is a fresh start.
fn resume_from(headers: &HeaderMap, query: &Resume) -> Option<i64> {
    headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .or(query.ultimo.as_deref())
        .and_then(|value| value.trim().parse().ok())
}

/// The missed events, then `conectado` carrying the watermark as its id: the browser keeps
/// it as its last event id, so even a stream that received nothing resumes from here.
async fn send_replay(
    sender: &tokio::sync::mpsc::Sender<Event>,
    replay: Replay,
) -> Result<(), tokio::sync::mpsc::error::SendError<Event>> {
    if replay.reload {
        sender
            .send(Event::default().event("recargar").data("{}"))
            .await?;
    }
    for event in &replay.events {
        sender.send(solicitud(event)).await?;
    }
    sender
        .send(
            Event::default()
                .event("conectado")
                .id(replay.watermark.to_string())
                .data("{}"),
        )
        .await
}

fn solicitud(event: &LiveEvent) -> Event {
    let data = serde_json::json!({ "radicado": event.radicado, "cambio": event.change });
    let frame = Event::default().event("solicitud").data(data.to_string());
    if event.id > 0 {
        frame.id(event.id.to_string())
    } else {
        frame
    }
}

/// A stream fed by a task through a small channel; the task ends when the browser leaves.
fn async_stream<F, Fut>(produce: F) -> impl futures_core::Stream<Item = Result<Event, Infallible>>
where
    F: FnOnce(tokio::sync::mpsc::Sender<Event>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (sender, receiver) = tokio::sync::mpsc::channel(16);
    let watch = sender.clone();
    let producing = produce(sender);
    // Dropping the producer drops the sender, which ends the response: see `shutdown`. A
    // browser that left drops the response, and with it the receiver: the producer stops at
    // once, not at the next event, so a quiet stream does not hold its slot.
    tokio::spawn(async move {
        tokio::select! {
            _ = producing => {}
            _ = crate::shutdown::requested() => {}
            _ = watch.closed() => {}
        }
    });
    ReceiverStream(receiver)
}

struct ReceiverStream(tokio::sync::mpsc::Receiver<Event>);

impl futures_core::Stream for ReceiverStream {
    type Item = Result<Event, Infallible>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|event| event.map(Ok))
    }
}

/// Open streams of each kind one user may hold on this instance: a tab each, with room to
/// spare. Each holds a task and a subscription; without a bound, one account could open
/// thousands (issue 17: live-event connections per user).
pub const STREAMS_PER_USER: usize = 8;

/// One of a user's stream slots of one kind (`live` events, `presence` boards); dropping it
/// gives it back.
pub(crate) struct Slot {
    key: String,
}

impl Slot {
    fn open() -> &'static std::sync::Mutex<std::collections::HashMap<String, usize>> {
        static OPEN: std::sync::OnceLock<
            std::sync::Mutex<std::collections::HashMap<String, usize>>,
        > = std::sync::OnceLock::new();
        OPEN.get_or_init(Default::default)
    }

    /// A slot of `kind` for `user_id`, `None` when they hold [`STREAMS_PER_USER`] already.
    pub(crate) fn take(kind: &str, user_id: &str) -> Option<Slot> {
        let key = format!("{kind}:{user_id}");
        let mut open = Self::open().lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key.clone()).or_default();
        if *count >= STREAMS_PER_USER {
            return None;
        }
        *count += 1;
        Some(Slot { key })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = Self::open().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}
