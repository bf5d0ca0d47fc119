//! Voice of the customer: the transactional survey on close (CSAT and NPS), relationship
//! campaigns over a statistical sample (seed 001 §5.2), and the results page.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
