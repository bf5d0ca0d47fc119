//! Everything that only exists on the server: the database, sessions, passwords, and the
//! services that server functions call. Server functions stay thin wrappers over these
//! (leptos `examples/todo_app_sqlite_axum`).

pub mod accounts;
pub mod api_keys;
pub mod attachment_store;
pub mod audit;
pub mod auto_close;
pub mod canned_answers;
pub mod catalogue;
pub mod config;
pub mod db;
pub mod demo;
pub mod detractors;
pub mod idempotency;
pub mod live;
pub mod notify;
pub mod on_behalf;
pub mod outbox;
pub mod password;
pub mod portal;
pub mod presence;
pub mod prorroga;
pub mod queues;
pub mod recovery_profiles;
pub mod requests;
pub mod respond;
pub mod session;
pub mod stale_reply;
pub mod state;
pub mod survey_import;
pub mod survey_results;
pub mod surveys;
pub mod transitions;
pub mod typification;
pub mod validate;
pub mod workspace;
