//! The ANS pages: the admin's settings screen and the portal's announcement.

pub mod notice;
pub mod settings;
