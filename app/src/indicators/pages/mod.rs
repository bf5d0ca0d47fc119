//! The indicators' page.

pub mod dashboard;
