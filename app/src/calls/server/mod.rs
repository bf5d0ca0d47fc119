//! The calls' services: one record's rule, the CDR import, the list.

pub mod import;
pub mod list;
pub mod record;
