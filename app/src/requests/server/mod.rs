//! Requests on the server.

pub mod auto_close;
pub mod clocks;
pub mod escalation;
pub mod extension;
pub mod filing;
pub mod form;
pub mod lifecycle;
pub mod on_behalf;
pub mod reach;
pub mod service;
pub mod stale_reply;
pub mod survey_invitation;
pub mod view;
