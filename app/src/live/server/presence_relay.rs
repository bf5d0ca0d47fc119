//! Presence across instances (agent-workspace requirement, collision warning; PostgreSQL only). Several
//! instances behind a load balancer each hold the presence streams of the pages connected
//! to them; two agents on the same request may well be on different ones. Instances tell
//! each other their seats through `LISTEN/NOTIFY` on [`CHANNEL`], as the live events do
//! (`live.rs`), but nothing is written to a table: presence is only true while pages are open.
//!
//! What is sent is *state*, not deltas: "my seats on 2026-000123 are now [Ana (writing)]".
//! It is sent when this instance's seats on a request change, and again for every request
//! every [`HEARTBEAT`]. So a lost notification (the listener reconnecting) heals by the next
//! heartbeat, an instance that starts late learns everything within one, and an instance that
//! dies stops refreshing its seats, which expire on the others
//! (`presence::REMOTE_TTL_SECONDS`). One that stops cleanly says so, and its seats go at once.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;

use crate::live::server::presence::{Change, PresenceBoard, SharedSeat};

pub const CHANNEL: &str = "ventanilla_presencia";
/// How often every instance repeats its seats.
pub const HEARTBEAT: Duration = Duration::from_secs(3);
/// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a request with so many people
/// on it that its list would not fit is sent with the first ones only.
const MAX_PAYLOAD: usize = 7900;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Message {
    /// `origin`'s seats on `radicado` are exactly these (empty: nobody there any more).
    Seats {
        origin: String,
        radicado: String,
        seats: Vec<SharedSeat>,
    },
    /// Someone marked typing through `origin`; whichever instance holds their page marks it.
    Typing {
        origin: String,
        radicado: String,
        user_id: String,
    },
    /// `origin` is stopping: forget its seats now rather than when they expire.
    Gone { origin: String },
}

impl Message {
    fn origin(&self) -> &str {
        match self {
            Message::Seats { origin, .. }
            | Message::Typing { origin, .. }
            | Message::Gone { origin } => origin,
        }
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The JSON of a seats message, with the list shortened until it fits a NOTIFY.
fn seats_payload(origin: &str, radicado: &str, mut seats: Vec<SharedSeat>) -> String {
    loop {
        let message = Message::Seats {
            origin: origin.to_string(),
            radicado: radicado.to_string(),
            seats: seats.clone(),
        };
        let json = serde_json::to_string(&message).unwrap_or_default();
        if json.len() < MAX_PAYLOAD || seats.is_empty() {
            return json;
        }
        seats.pop();
    }
}

async fn notify(pool: &sqlx::AnyPool, payload: String) {
    if let Err(err) = sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
        .execute(pool)
        .await
    {
        tracing::warn!(error = %err, "could not relay presence");
    }
}

async fn send_seats(board: &PresenceBoard, pool: &sqlx::AnyPool, radicado: &str) {
    let seats = board.local_seats(radicado, now());
    notify(pool, seats_payload(board.instance(), radicado, seats)).await;
}

async fn send_all(board: &PresenceBoard, pool: &sqlx::AnyPool) {
    for radicado in board.local_radicados() {
        send_seats(board, pool, &radicado).await;
    }
}

/// What another instance said, applied to this board.
fn receive(board: &PresenceBoard, payload: &str) {
    let Ok(message) = serde_json::from_str::<Message>(payload) else {
        return;
    };
    if message.origin() == board.instance() {
        return;
    }
    match message {
        Message::Seats {
            origin,
            radicado,
            seats,
        } => board.apply_remote(&origin, &radicado, seats, now()),
        Message::Typing {
            radicado, user_id, ..
        } => board.typing_from_elsewhere(&radicado, &user_id, now()),
        Message::Gone { origin } => board.forget_instance(&origin),
    }
}

/// Relays this instance's presence to the others and theirs to this board until `stop`
/// fires; then tells them it is gone. Reconnects after a lost connection (the heartbeat
/// resends everything, so nothing needs catching up).
pub async fn run(
    board: PresenceBoard,
    pool: sqlx::AnyPool,
    database_url: String,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut changes = board.subscribe();
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect(&database_url).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => Some(listener),
                Err(err) => {
                    tracing::warn!(error = %err, "presence LISTEN failed; retrying");
                    None
                }
            },
            Err(err) => {
                tracing::warn!(error = %err, "presence relay could not connect; retrying");
                None
            }
        };
        if let Some(listener) = listener.as_mut() {
            send_all(&board, &pool).await;
            loop {
                tokio::select! {
                    received = listener.try_recv() => match received {
                        Ok(Some(notification)) => receive(&board, notification.payload()),
                        // Reconnected underneath: the next heartbeat (ours and theirs)
                        // brings back whatever was said meanwhile.
                        Ok(None) => {}
                        Err(err) => {
                            tracing::warn!(error = %err, "presence relay lost its connection");
                            break;
                        }
                    },
                    change = changes.recv() => match change {
                        Ok(Change::Local(radicado)) => send_seats(&board, &pool, &radicado).await,
                        Ok(Change::Typing { radicado, user_id }) => {
                            let message = Message::Typing {
                                origin: board.instance().to_string(),
                                radicado,
                                user_id,
                            };
                            notify(&pool, serde_json::to_string(&message).unwrap_or_default()).await;
                        }
                        Ok(Change::Remote(_)) => {}
                        Err(RecvError::Lagged(_)) => send_all(&board, &pool).await,
                        Err(RecvError::Closed) => return,
                    },
                    _ = heartbeat.tick() => {
                        send_all(&board, &pool).await;
                        board.expire(now());
                    }
                    _ = stop.changed() => {
                        let gone = Message::Gone { origin: board.instance().to_string() };
                        notify(&pool, serde_json::to_string(&gone).unwrap_or_default()).await;
                        return;
                    }
                }
            }
        }
        // Without a connection the others' seats still expire here.
        board.expire(now());
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = stop.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_a_long_list_is_cut_to_fit() {
        let seat = |n: usize| SharedSeat {
            user_id: format!("u{n}"),
            full_name: "x".repeat(200),
            typing_for: 0,
        };
        let payload = seats_payload("a", "2026-000001", (0..100).map(seat).collect());
        assert!(payload.len() < MAX_PAYLOAD);
        let Ok(Message::Seats { seats, .. }) = serde_json::from_str::<Message>(&payload) else {
            panic!("{payload}");
        };
        assert!(!seats.is_empty() && seats.len() < 100);
    }

    #[test]
    fn another_instance_is_heard_and_its_own_echo_is_not() {
        let board = PresenceBoard::default();
        receive(
            &board,
            &seats_payload(
                "otra",
                "r",
                vec![SharedSeat {
                    user_id: "b".into(),
                    full_name: "Beto".into(),
                    typing_for: 0,
                }],
            ),
        );
        assert_eq!(board.others("r", "a", now())[0].full_name, "Beto");
        receive(
            &board,
            &serde_json::to_string(&Message::Gone {
                origin: "otra".into(),
            })
            .unwrap(),
        );
        assert!(board.others("r", "a", now()).is_empty());
        receive(&board, "no es JSON");
    }
}
