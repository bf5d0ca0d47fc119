//! The recovery desk on the server: cases and attempts, the asesores' profiles, the import.

pub mod call_survey;
pub mod cases;
pub mod import;
pub mod profiles;
