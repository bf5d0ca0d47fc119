//! People and their access: customer accounts and self-registration with the Ley 1581
//! consent, sign-in and sessions, passwords and set-password links, profiles, staff users,
//! API keys, and the site header that shows who is signed in.

pub mod api;
pub mod model;
pub mod nav;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod server;
