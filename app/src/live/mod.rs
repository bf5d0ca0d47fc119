//! Live updates: every change pushed to the pages that show it, and who else is on a request.
//!
//! The server keeps a numbered log of events and broadcasts them (relayed between instances
//! through PostgreSQL `LISTEN/NOTIFY`); the browser keeps one reconnecting `EventSource` in
//! context and bumps a version signal that makes the affected resources refetch.

pub mod client;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;
