//! The indicators the head of customer service lives in (issue 20; seed 001 §5.3 gives the
//! shape: formula, source, goal): received, answered, closed and pending volumes, the
//! first-response ANS, the first contact within 24 hours, the legal term, the quality-review
//! rate, CSAT and NPS — for any period, on a page and through the REST API.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
