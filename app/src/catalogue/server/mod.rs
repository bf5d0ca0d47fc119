//! The catalogue on the server: reading it, managing it, and the areas.

pub mod admin;
pub mod areas;
pub mod read;
