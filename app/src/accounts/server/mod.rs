//! The accounts on the server: storage, sessions, password hashing and links, input rules
//! for people's data, API keys, switching staff access off and on.

pub mod accounts;
pub mod api_keys;
pub mod data_export;
pub mod email_change;
pub mod name_words;
pub mod password;
pub mod password_links;
pub mod session;
pub mod staff_access;
pub mod standing;
pub mod validate;
