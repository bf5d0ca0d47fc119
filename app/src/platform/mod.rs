//! The plumbing every capability stands on, and that knows none of them: the
//! configuration, the client's address, the database (open, migrate, transactions, the SQLite writer),
//! the audit trail, the notification outbox, the attachment store, idempotency keys, and the
//! helper that turns a service's result into a server function's answer.
//!
//! Nothing here imports a capability folder (`requests`, `surveys`, …); the check in
//! `scripts/module-graph.py` keeps it so. A rule that needs the business belongs one level up.

pub mod ans_cache;
pub mod audit;
pub mod client_address;
pub mod config;
pub mod db;
pub mod files;
pub mod flash;
pub mod idempotency;
pub mod outbox;
pub mod quota;
pub mod respond;
pub mod spreadsheet;
