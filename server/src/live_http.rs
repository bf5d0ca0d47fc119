//! `GET /eventos`: the signed-in user's live event stream (Server-Sent Events). A customer
//! receives only the events of their own account's requests; staff receive all.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use sqlx::Row;
use tokio::sync::broadcast::error::RecvError;
use ventanilla_app::ssr::session;
use ventanilla_app::ssr::state::AppState;

pub async fn stream(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match session::token_from_headers(&headers) {
        Some(token) => session::user_for_token(&state.pool, &token)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    // No session (signed out in another tab, or expired): 204 is how the SSE protocol tells
    // a browser's EventSource to stop reconnecting, without an error on the page.
    let Some(user) = user else {
        return StatusCode::NO_CONTENT.into_response();
    };
    // None = staff, who see every request's events.
    let account = if user.role.is_staff() {
        None
    } else {
        match sqlx::query("SELECT account_id FROM users WHERE id = $1")
            .bind(&user.id)
            .fetch_one(&state.pool)
            .await
        {
            Ok(row) => Some(row.get::<String, _>("account_id")),
            Err(_) => {
                return (StatusCode::SERVICE_UNAVAILABLE, "Intente de nuevo.").into_response()
            }
        }
    };
    let mut events = state.live.subscribe();
    let stream = async_stream(move |sender| async move {
        loop {
            let event = match events.recv().await {
                Ok(event) => event,
                // Fell behind: tell the page to reload its data rather than miss changes.
                Err(RecvError::Lagged(_)) => {
                    if sender
                        .send(Event::default().event("recargar").data("{}"))
                        .await
                        .is_err()
                    {
                        return;
                    }
                    continue;
                }
                Err(RecvError::Closed) => return,
            };
            if account
                .as_ref()
                .is_some_and(|mine| *mine != event.account_id)
            {
                continue;
            }
            let data = serde_json::json!({ "radicado": event.radicado, "cambio": event.change });
            if sender
                .send(Event::default().event("solicitud").data(data.to_string()))
                .await
                .is_err()
            {
                return;
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}

/// A stream fed by a task through a small channel; the task ends when the browser leaves.
fn async_stream<F, Fut>(produce: F) -> impl futures_core::Stream<Item = Result<Event, Infallible>>
where
    F: FnOnce(tokio::sync::mpsc::Sender<Event>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (sender, receiver) = tokio::sync::mpsc::channel(16);
    tokio::spawn(produce(sender));
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
