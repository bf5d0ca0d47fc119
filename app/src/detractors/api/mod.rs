//! The recovery desk's server functions.

pub mod cases;
pub mod import;
