//! Who else has a request open, and who is writing to it (agent-workspace requirement, "aviso de colisión": two
//! agents must not answer the same customer at the same time without knowing it).
//!
//! Presence is ephemeral: it lives in memory, never in the database and never in the durable
//! event stream, because it is only true while a page is open. A staff member is present on
//! a request for as long as their page holds its presence stream open
//! (`GET /equipo/presencia/{radicado}`): closing the tab, navigating away or losing the
//! network drops the stream and takes them off the board. Typing is a short-lived mark the
//! page refreshes while the person writes; it fades by itself a few seconds after they stop.
//!
//! Each instance knows the pages connected to it (its *seats*). With PostgreSQL and several
//! instances, [`crate::live::server::presence_relay`] tells the others what this instance's seats are, and
//! the board keeps what it hears from them as *remote* seats that expire unless heard of
//! again ([`REMOTE_TTL_SECONDS`]): an instance that dies without a word stops refreshing them,
//! so its people leave every other board within seconds instead of staying as ghosts. With
//! SQLite there is one instance and the remote part stays empty.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::live::model::Presence;

/// How long one typing mark lasts; the page sends a new one every few seconds while typing.
pub const TYPING_SECONDS: i64 = 6;
/// How long another instance's seats count without news of them. Instances repeat their
/// seats every `presence_relay::HEARTBEAT` (3 s), so this survives two lost heartbeats and
/// still clears a dead instance's people in about ten seconds.
pub const REMOTE_TTL_SECONDS: i64 = 10;

#[derive(Clone)]
struct Viewer {
    connection: u64,
    user_id: String,
    full_name: String,
    typing_until: i64,
}

/// One person on a request as instances tell each other. Typing is sent as the seconds it
/// has left, not as an instant, so clocks that differ between machines do not matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedSeat {
    pub user_id: String,
    pub full_name: String,
    pub typing_for: i64,
}

/// Another instance's seats on one request, and when they stop counting.
#[derive(Clone)]
struct RemoteSeats {
    viewers: Vec<Viewer>,
    expires_at: i64,
}

/// What changed on the board.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// This instance's seats on the request changed: the relay tells the other instances.
    Local(String),
    /// A person marked typing through this instance; their page may be connected to
    /// another one, so the relay passes the mark on.
    Typing { radicado: String, user_id: String },
    /// What another instance said changed the board here.
    Remote(String),
}

impl Change {
    pub fn radicado(&self) -> &str {
        match self {
            Change::Local(radicado) | Change::Remote(radicado) => radicado,
            Change::Typing { radicado, .. } => radicado,
        }
    }
}

/// The board of who is on which request, shared by every presence stream of this instance.
#[derive(Clone)]
pub struct PresenceBoard {
    viewers: Arc<Mutex<HashMap<String, Vec<Viewer>>>>,
    /// radicado → origin instance → its seats there.
    remote: Arc<Mutex<HashMap<String, HashMap<String, RemoteSeats>>>>,
    /// Streams recompute on any change of their request; the relay forwards local ones.
    /// Small: a stream that lags simply recomputes on its next tick, and a relay that lags
    /// sends all its seats again.
    changed: broadcast::Sender<Change>,
    next_connection: Arc<AtomicU64>,
    /// Names this instance to the others, so it ignores its own messages.
    instance: String,
}

impl Default for PresenceBoard {
    fn default() -> Self {
        Self {
            viewers: Arc::default(),
            remote: Arc::default(),
            changed: broadcast::channel(256).0,
            next_connection: Arc::new(AtomicU64::new(1)),
            instance: crate::platform::db::new_id(),
        }
    }
}

/// One open page on the board; leaving (drop) takes it off.
pub struct Seat {
    board: PresenceBoard,
    radicado: String,
    connection: u64,
}

impl Drop for Seat {
    fn drop(&mut self) {
        if let Ok(mut viewers) = self.board.viewers.lock() {
            if let Some(list) = viewers.get_mut(&self.radicado) {
                list.retain(|v| v.connection != self.connection);
                if list.is_empty() {
                    viewers.remove(&self.radicado);
                }
            }
        }
        let _ = self
            .board
            .changed
            .send(Change::Local(self.radicado.clone()));
    }
}

impl PresenceBoard {
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// The staff member `user_id` (shown as `full_name`) opened the page of `radicado`.
    pub fn join(&self, radicado: &str, user_id: &str, full_name: &str) -> Seat {
        let connection = self.next_connection.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut viewers) = self.viewers.lock() {
            viewers
                .entry(radicado.to_string())
                .or_default()
                .push(Viewer {
                    connection,
                    user_id: user_id.to_string(),
                    full_name: full_name.to_string(),
                    typing_until: 0,
                });
        }
        let _ = self.changed.send(Change::Local(radicado.to_string()));
        Seat {
            board: self.clone(),
            radicado: radicado.to_string(),
            connection,
        }
    }

    /// `user_id` is writing on `radicado` right now (`now` in Unix seconds). Their page may
    /// hold its presence stream on another instance: the mark goes out to all of them.
    pub fn typing(&self, radicado: &str, user_id: &str, now: i64) {
        self.mark_typing(radicado, user_id, now);
        let _ = self.changed.send(Change::Typing {
            radicado: radicado.to_string(),
            user_id: user_id.to_string(),
        });
    }

    /// A typing mark another instance passed on: only this instance's seats take it.
    pub fn typing_from_elsewhere(&self, radicado: &str, user_id: &str, now: i64) {
        self.mark_typing(radicado, user_id, now);
    }

    fn mark_typing(&self, radicado: &str, user_id: &str, now: i64) {
        let mut found = false;
        if let Ok(mut viewers) = self.viewers.lock() {
            for viewer in viewers.get_mut(radicado).into_iter().flatten() {
                if viewer.user_id == user_id {
                    viewer.typing_until = now + TYPING_SECONDS;
                    found = true;
                }
            }
        }
        if found {
            let _ = self.changed.send(Change::Local(radicado.to_string()));
        }
    }

    /// This instance's seats on `radicado`, as the other instances are told of them.
    pub fn local_seats(&self, radicado: &str, now: i64) -> Vec<SharedSeat> {
        let Ok(viewers) = self.viewers.lock() else {
            return Vec::new();
        };
        viewers
            .get(radicado)
            .into_iter()
            .flatten()
            .map(|v| SharedSeat {
                user_id: v.user_id.clone(),
                full_name: v.full_name.clone(),
                typing_for: (v.typing_until - now).max(0),
            })
            .collect()
    }

    /// The requests this instance has seats on.
    pub fn local_radicados(&self) -> Vec<String> {
        self.viewers
            .lock()
            .map(|viewers| viewers.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Instance `origin` says its seats on `radicado` are `seats` (none: nobody left).
    pub fn apply_remote(&self, origin: &str, radicado: &str, seats: Vec<SharedSeat>, now: i64) {
        if origin == self.instance {
            return;
        }
        if let Ok(mut remote) = self.remote.lock() {
            let origins = remote.entry(radicado.to_string()).or_default();
            if seats.is_empty() {
                origins.remove(origin);
            } else {
                let viewers = seats
                    .into_iter()
                    .map(|s| Viewer {
                        connection: 0,
                        user_id: s.user_id,
                        full_name: s.full_name,
                        typing_until: now + s.typing_for.clamp(0, TYPING_SECONDS),
                    })
                    .collect();
                origins.insert(
                    origin.to_string(),
                    RemoteSeats {
                        viewers,
                        expires_at: now + REMOTE_TTL_SECONDS,
                    },
                );
            }
            if origins.is_empty() {
                remote.remove(radicado);
            }
        }
        let _ = self.changed.send(Change::Remote(radicado.to_string()));
    }

    /// Drops every seat heard from `origin` (it said it is stopping).
    pub fn forget_instance(&self, origin: &str) {
        self.drop_remote(|from, _| from == origin);
    }

    /// Drops the remote seats not heard of for [`REMOTE_TTL_SECONDS`]: their instance died
    /// or lost its database connection. `others` already ignores them; this frees memory
    /// and wakes the streams that showed them.
    pub fn expire(&self, now: i64) {
        self.drop_remote(|_, seats| seats.expires_at <= now);
    }

    fn drop_remote(&self, gone: impl Fn(&str, &RemoteSeats) -> bool) {
        let mut touched = Vec::new();
        if let Ok(mut remote) = self.remote.lock() {
            remote.retain(|radicado, origins| {
                let before = origins.len();
                origins.retain(|origin, seats| !gone(origin, seats));
                if origins.len() != before {
                    touched.push(radicado.clone());
                }
                !origins.is_empty()
            });
        }
        for radicado in touched {
            let _ = self.changed.send(Change::Remote(radicado));
        }
    }

    /// The other people on `radicado` as `user_id` should see them: one line per person,
    /// writing if any of their pages is, in order of arrival (this instance's first, then
    /// the others').
    pub fn others(&self, radicado: &str, user_id: &str, now: i64) -> Vec<Presence> {
        let mut people: Vec<Presence> = Vec::new();
        let mut add = |viewer: &Viewer| {
            if viewer.user_id == user_id {
                return;
            }
            let typing = viewer.typing_until > now;
            match people.iter_mut().find(|p| p.user_id == viewer.user_id) {
                Some(person) => person.typing |= typing,
                None => people.push(Presence {
                    user_id: viewer.user_id.clone(),
                    full_name: viewer.full_name.clone(),
                    typing,
                }),
            }
        };
        if let Ok(viewers) = self.viewers.lock() {
            viewers
                .get(radicado)
                .into_iter()
                .flatten()
                .for_each(&mut add);
        }
        if let Ok(remote) = self.remote.lock() {
            let mut origins: Vec<(&String, &RemoteSeats)> = remote
                .get(radicado)
                .into_iter()
                .flatten()
                .filter(|(_, seats)| seats.expires_at > now)
                .collect();
            // A stable order, so a stream does not see the list "change" between ticks.
            origins.sort_by(|a, b| a.0.cmp(b.0));
            for (_, seats) in origins {
                seats.viewers.iter().for_each(&mut add);
            }
        }
        people
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.changed.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn others_see_each_other_typing_fades_and_leaving_clears() {
        let board = PresenceBoard::default();
        let ana = board.join("2026-000001", "a", "Ana");
        let beto = board.join("2026-000001", "b", "Beto");
        let _elsewhere = board.join("2026-000002", "c", "Carla");
        assert_eq!(board.others("2026-000001", "a", 100)[0].full_name, "Beto");
        assert_eq!(board.others("2026-000001", "b", 100)[0].full_name, "Ana");
        board.typing("2026-000001", "b", 100);
        assert!(board.others("2026-000001", "a", 101)[0].typing);
        assert!(!board.others("2026-000001", "a", 100 + TYPING_SECONDS)[0].typing);
        drop(beto);
        assert!(board.others("2026-000001", "a", 100).is_empty());
        drop(ana);
        assert_eq!(board.others("2026-000002", "a", 100).len(), 1);
    }

    #[test]
    fn seats_heard_from_another_instance_show_until_they_expire_or_leave() {
        let board = PresenceBoard::default();
        let _ana = board.join("r", "a", "Ana");
        let beto = SharedSeat {
            user_id: "b".into(),
            full_name: "Beto".into(),
            typing_for: 3,
        };
        board.apply_remote("otra", "r", vec![beto.clone()], 100);
        let seen = board.others("r", "a", 101);
        assert_eq!((seen[0].full_name.as_str(), seen[0].typing), ("Beto", true));
        assert!(!board.others("r", "a", 103)[0].typing, "typing fades");
        // Silence past the TTL: gone, even before `expire` runs.
        assert!(board.others("r", "a", 100 + REMOTE_TTL_SECONDS).is_empty());
        board.expire(100 + REMOTE_TTL_SECONDS);
        assert!(board.remote.lock().unwrap().is_empty());
        // Heard again, then told that nobody is left.
        board.apply_remote("otra", "r", vec![beto.clone()], 200);
        assert_eq!(board.others("r", "a", 200).len(), 1);
        board.apply_remote("otra", "r", Vec::new(), 201);
        assert!(board.others("r", "a", 201).is_empty());
        // An instance that says goodbye takes its seats with it.
        board.apply_remote("otra", "r", vec![beto], 300);
        board.forget_instance("otra");
        assert!(board.others("r", "a", 300).is_empty());
        // Its own messages (echoed by PostgreSQL) are ignored.
        let own = board.instance().to_string();
        board.apply_remote(&own, "r", board.local_seats("r", 300), 300);
        assert!(board.remote.lock().unwrap().is_empty());
    }

    #[test]
    fn local_seats_are_what_the_others_are_told() {
        let board = PresenceBoard::default();
        let ana = board.join("r", "a", "Ana");
        board.typing("r", "a", 100);
        assert_eq!(
            board.local_seats("r", 102),
            vec![SharedSeat {
                user_id: "a".into(),
                full_name: "Ana".into(),
                typing_for: TYPING_SECONDS - 2
            }]
        );
        assert_eq!(board.local_radicados(), vec!["r".to_string()]);
        drop(ana);
        assert!(board.local_seats("r", 102).is_empty());
        assert!(board.local_radicados().is_empty());
    }

    #[test]
    fn two_tabs_of_one_person_are_one_line() {
        let board = PresenceBoard::default();
        let _one = board.join("r", "b", "Beto");
        let _two = board.join("r", "b", "Beto");
        assert_eq!(board.others("r", "a", 0).len(), 1);
    }
}
