//! Who else has a request open, and who is writing to it (issue 5, "aviso de colisión": two
//! agents must not answer the same customer at the same time without knowing it).
//!
//! Presence is ephemeral: it lives in memory, never in the database and never in the durable
//! event stream, because it is only true while a page is open. A staff member is present on
//! a request for as long as their page holds its presence stream open
//! (`GET /equipo/presencia/{radicado}`): closing the tab, navigating away or losing the
//! network drops the stream and takes them off the board. Typing is a short-lived mark the
//! page refreshes while the person writes; it fades by itself a few seconds after they stop.
//! With several instances each one knows the pages connected to it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::model::{Presence, SessionUser};

/// How long one typing mark lasts; the page sends a new one every few seconds while typing.
pub const TYPING_SECONDS: i64 = 6;

#[derive(Clone)]
struct Viewer {
    connection: u64,
    user_id: String,
    full_name: String,
    typing_until: i64,
}

/// The board of who is on which request, shared by every presence stream of this instance.
#[derive(Clone)]
pub struct PresenceBoard {
    viewers: Arc<Mutex<HashMap<String, Vec<Viewer>>>>,
    /// The radicado whose presence changed; streams of other requests ignore it. Small: a
    /// stream that lags simply recomputes on its next tick.
    changed: broadcast::Sender<String>,
    next_connection: Arc<AtomicU64>,
}

impl Default for PresenceBoard {
    fn default() -> Self {
        Self {
            viewers: Arc::default(),
            changed: broadcast::channel(256).0,
            next_connection: Arc::new(AtomicU64::new(1)),
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
        let _ = self.board.changed.send(self.radicado.clone());
    }
}

impl PresenceBoard {
    /// `user` opened the page of `radicado`.
    pub fn join(&self, radicado: &str, user: &SessionUser) -> Seat {
        let connection = self.next_connection.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut viewers) = self.viewers.lock() {
            viewers
                .entry(radicado.to_string())
                .or_default()
                .push(Viewer {
                    connection,
                    user_id: user.id.clone(),
                    full_name: user.full_name.clone(),
                    typing_until: 0,
                });
        }
        let _ = self.changed.send(radicado.to_string());
        Seat {
            board: self.clone(),
            radicado: radicado.to_string(),
            connection,
        }
    }

    /// `user_id` is writing on `radicado` right now (`now` in Unix seconds).
    pub fn typing(&self, radicado: &str, user_id: &str, now: i64) {
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
            let _ = self.changed.send(radicado.to_string());
        }
    }

    /// The other people on `radicado` as `user_id` should see them: one line per person,
    /// writing if any of their pages is, in order of arrival.
    pub fn others(&self, radicado: &str, user_id: &str, now: i64) -> Vec<Presence> {
        let mut people: Vec<Presence> = Vec::new();
        let Ok(viewers) = self.viewers.lock() else {
            return people;
        };
        for viewer in viewers.get(radicado).into_iter().flatten() {
            if viewer.user_id == user_id {
                continue;
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
        }
        people
    }

    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.changed.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ventanilla::role::Role;

    fn user(id: &str, name: &str) -> SessionUser {
        SessionUser {
            id: id.into(),
            full_name: name.into(),
            email: format!("{id}@equipo.co"),
            role: Role::Asesor,
        }
    }

    #[test]
    fn others_see_each_other_typing_fades_and_leaving_clears() {
        let board = PresenceBoard::default();
        let ana = board.join("2026-000001", &user("a", "Ana"));
        let beto = board.join("2026-000001", &user("b", "Beto"));
        let _elsewhere = board.join("2026-000002", &user("c", "Carla"));
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
    fn two_tabs_of_one_person_are_one_line() {
        let board = PresenceBoard::default();
        let _one = board.join("r", &user("b", "Beto"));
        let _two = board.join("r", &user("b", "Beto"));
        assert_eq!(board.others("r", "a", 0).len(), 1);
    }
}
