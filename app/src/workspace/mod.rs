//! The agent desk (`/equipo`): live queues, the request as staff work it (take, follow up,
//! ask, escalate, answer, review, close, typify, prórroga), canned answers, and filing on a
//! customer's behalf.

pub mod api;
pub mod canned_answer_picker;
pub mod model;
pub mod pages;
pub mod presence_view;
#[cfg(feature = "ssr")]
pub mod server;
