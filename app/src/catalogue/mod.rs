//! The catalogue requests are filed and typified with (seed 001 §5): categories with the area
//! each escalates to, their subcategories and causes, and the areas of the escalation matrix
//! with their members (seed 002 §5.2.9).

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
