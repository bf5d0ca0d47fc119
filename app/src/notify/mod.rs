//! Notifications (seed 000 §6): the delivery of the outbox by e-mail and WhatsApp, and the
//! admin page of failed deliveries with their retry.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
