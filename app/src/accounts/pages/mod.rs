//! The accounts' pages: registration, sign-in, passwords, profile, the data policy, staff
//! users and API keys.

pub mod api_keys;
pub mod password;
pub mod policy;
pub mod profile;
pub mod register;
pub mod sign_in;
pub mod staff_users;
