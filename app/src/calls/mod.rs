//! The service line's calls (issue 20; seed 001 §5.3 "Atención oportuna de llamadas"): the
//! switchboard's call detail records brought in by a CSV/XLSX import or sent one by one to
//! `POST /api/v1/calls`, listed for supervisors, linked to the request they were about, and
//! counted by the indicators.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
