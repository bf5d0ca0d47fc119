//! The indicators' page.

pub mod dashboard;
pub mod drill_down;
pub mod goals;
pub mod monthly;
