//! `GET /equipo/presencia/{radicado}`: the collision warning's stream (agent-workspace requirement). Opening it
//! puts the signed-in staff member on the request's presence board; it then receives a
//! `presencia` event with the other people on the same request whenever that list changes
//! (someone arrives, leaves, starts or stops writing). When the page goes away the stream
//! drops and the seat with it. Customers never get one: presence is for staff only, and only
//! on the requests they may open. With
//! PostgreSQL the board also holds the people whose page is on another instance
//! (`ventanilla_app::live::server::presence_relay`).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use ventanilla_app::accounts::server::session;
use ventanilla_app::state::AppState;

/// How often a stream re-reads the board even without a change: typing marks fade by time.
const TICK: Duration = Duration::from_secs(2);
/// A comment this often keeps proxies from closing the stream and lets the server notice a
/// vanished browser within seconds (the write fails), which frees its seat.
const KEEP_ALIVE: Duration = Duration::from_secs(5);

pub async fn stream(
    State(state): State<AppState>,
    Path(radicado): Path<String>,
    headers: HeaderMap,
) -> Response {
    let user = match session::token_from_headers(&headers) {
        Some(token) => session::user_for_token(&state, &token).await.ok().flatten(),
        None => None,
    };
    // 204 tells EventSource to stop reconnecting: signed out, or not staff.
    let Some(user) = user.filter(|u| u.role.is_staff()) else {
        return StatusCode::NO_CONTENT.into_response();
    };
    if radicado.is_empty() || radicado.len() > 32 {
        return StatusCode::NOT_FOUND.into_response();
    }
    // Who is on a request is about the request: only for staff who may open it (an area's
    // specialist, quality — `requests::server::reach`). 204 again: nothing to reconnect to.
    match ventanilla_app::requests::server::reach::open(&state, &user, &radicado).await {
        Ok(Some(_)) => {}
        Ok(None) => return StatusCode::NO_CONTENT.into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
    let Some(slot) = crate::http::live::Slot::take("presence", &user.id) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "Tiene demasiadas solicitudes abiertas en pestañas. Cierre alguna e intente de nuevo.",
        )
            .into_response();
    };
    let board = state.presence.clone();
    let (sender, receiver) = tokio::sync::mpsc::channel::<Event>(8);
    tokio::spawn(async move {
        // Held while the board is watched, given back when the page goes away.
        let _slot = slot;
        let _seat = board.join(&radicado, &user.id, &user.full_name);
        let mut changes = board.subscribe();
        let mut tick = tokio::time::interval(TICK);
        let mut shown = None;
        loop {
            tokio::select! {
                change = changes.recv() => {
                    // Another request's change; a lagged channel recomputes to be safe.
                    if matches!(&change, Ok(change) if change.radicado() != radicado) {
                        continue;
                    }
                }
                _ = tick.tick() => {}
                _ = sender.closed() => return,
                _ = crate::shutdown::requested() => return,
            }
            let people = board.others(&radicado, &user.id, chrono::Utc::now().timestamp());
            if shown.as_ref() == Some(&people) {
                continue;
            }
            let data = serde_json::to_string(&people).unwrap_or_else(|_| "[]".into());
            if sender
                .send(Event::default().event("presencia").data(data))
                .await
                .is_err()
            {
                return;
            }
            shown = Some(people);
        }
    });
    Sse::new(PresenceStream(receiver))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

struct PresenceStream(tokio::sync::mpsc::Receiver<Event>);

impl futures_core::Stream for PresenceStream {
    type Item = Result<Event, Infallible>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|event| event.map(Ok))
    }
}
