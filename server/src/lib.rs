//! The `ventanilla` server: configuration, database, the Axum router with the Leptos app and
//! its server functions, and the operator subcommands. `main.rs` only dispatches.

pub mod api;
pub mod cli;
pub mod guard;
pub mod http;
pub mod limits;
pub mod router;
pub mod shutdown;

pub use router::{app_state, build_router, leptos_options, listen, router};
