//! Widgets used by several capabilities: feedback messages, the upload form, charts, the SLA
//! timer, survey questions and select options. Nothing here knows a capability.

pub mod charts;
pub mod choice;
pub mod feedback;
pub mod not_found;
pub mod sla_timer;
pub mod spreadsheet;
pub mod survey_questions;
pub mod upload_form;
