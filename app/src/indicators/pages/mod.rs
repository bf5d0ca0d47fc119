//! The indicators' page.

pub mod dashboard;
pub mod drill_down;
