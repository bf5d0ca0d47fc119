//! The agent desk's server functions.

pub mod canned_answers;
pub mod on_behalf;
pub mod presence;
pub mod staff;
