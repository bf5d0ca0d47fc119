//! The state every handler and server function can reach.

use std::sync::Arc;

use leptos::prelude::LeptosOptions;
use sqlx::AnyPool;

use crate::platform::config::Config;

/// Given to Axum as router state and to server functions as context
/// (leptos `projects/session_auth_axum`).
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: AnyPool,
    pub config: Arc<Config>,
    pub live: crate::live::server::bus::LiveBus,
    /// Who has which request open right now (collision warning); in memory only.
    pub presence: crate::live::server::presence::PresenceBoard,
    /// On a SQLite file, the thread that writes filings in one hand-off
    /// (`ssr::sqlite_writer`); `None` on PostgreSQL.
    pub sqlite_writer: Option<Arc<crate::platform::db::sqlite_writer::SqliteWriter>>,
    /// The ANS version in force, kept a few seconds (`platform::ans_cache`).
    pub ans: crate::platform::ans_cache::AnsCache,
}

/// The state, from inside a server function or a component rendered on the server.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        crate::error::AppError::Internal
    })
}
