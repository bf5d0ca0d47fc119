//! The calls' pages: the list of a period and the CDR import.

pub mod import;
pub mod list;
