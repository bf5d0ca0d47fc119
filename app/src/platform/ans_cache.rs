//! The ANS version in force, kept by each server process so that filing does not read it
//! from the database every time (creation through the API runs at thousands per second).
//! Reading and publishing versions is the `ans` capability's; this only keeps one.
//!
//! Kept at most [`FRESH_FOR`]: a version published on another instance sharing the database
//! is in force here within that time; one published here is in force at once ([`forget`]).
//! A scheduled version takes over at its effective instant, not up to [`FRESH_FOR`] later:
//! what is kept knows when the next one starts.
//!
//! [`forget`]: AnsCache::forget

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use ventanilla::ans::{AnsSettings, AnsVersion};

/// How long a read version is trusted without asking the database again.
pub const FRESH_FOR: Duration = Duration::from_secs(5);

struct Kept {
    version: Arc<AnsVersion>,
    read: Instant,
    /// When the next scheduled version takes effect (Unix seconds).
    next_change: Option<i64>,
}

/// One per `AppState`.
#[derive(Clone)]
pub struct AnsCache {
    kept: Arc<RwLock<Option<Kept>>>,
    /// Version 1 when the database has none yet (a fresh install).
    pub defaults: Arc<AnsSettings>,
}

impl AnsCache {
    pub fn new(defaults: AnsSettings) -> Self {
        Self {
            kept: Arc::default(),
            defaults: Arc::new(defaults),
        }
    }

    /// The kept version when it is still the one in force at `now`.
    pub fn kept(&self, now: i64) -> Option<Arc<AnsVersion>> {
        let guard = self.kept.read().ok()?;
        let kept = guard.as_ref()?;
        let fresh = kept.read.elapsed() < FRESH_FOR;
        let not_yet_changed = kept.next_change.is_none_or(|next| now < next);
        (fresh && not_yet_changed).then(|| kept.version.clone())
    }

    /// Keeps `version`, read just now, with when the next one takes effect.
    pub fn keep(&self, version: Arc<AnsVersion>, next_change: Option<i64>) {
        if let Ok(mut guard) = self.kept.write() {
            *guard = Some(Kept {
                version,
                read: Instant::now(),
                next_change,
            });
        }
    }

    /// Drops the kept version: the next reader asks the database.
    pub fn forget(&self) {
        if let Ok(mut guard) = self.kept.write() {
            *guard = None;
        }
    }
}
