//! The customers on the server: the search and the 360 view, the commercial data and its
//! audited changes, blocking web access, and staff notes.

pub mod commercial;
pub mod directory;
pub mod import;
pub mod notes;
pub mod web_access;
