//! The accounts' server functions.

pub mod account;
pub mod api_keys;
pub mod staff_users;
