//! The notifications' admin page.

pub mod notifications;
