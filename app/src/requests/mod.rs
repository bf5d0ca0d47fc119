//! The request (solicitud PQRS): filing with attachments, the thread, the one door for state
//! changes, escalation, both clocks, the prórroga, automatic close, and the views of one
//! request — used by the customer's portal, the agent desk, the recovery desk and the REST API.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
