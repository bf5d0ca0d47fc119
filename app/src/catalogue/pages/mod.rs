//! The catalogue's management page.

pub mod catalogue;
