//! The surveys' server functions.

pub mod campaigns;
pub mod results;
pub mod transactional;
