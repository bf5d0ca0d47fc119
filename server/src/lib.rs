//! The `ventanilla` server: configuration, database, the Axum router with the Leptos app and
//! its server functions, and the operator subcommands. `main.rs` only dispatches.

pub mod api;
pub mod cli;
pub mod detractor_import_http;
pub mod guard;
pub mod live_http;
pub mod portal_http;
pub mod presence_http;
pub mod router;
pub mod shutdown;
pub mod staff_http;

pub use router::{app_state, build_router, leptos_options, router};
