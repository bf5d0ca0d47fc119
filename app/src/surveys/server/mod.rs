//! Surveys on the server: the transactional survey, campaigns and results.

pub mod campaigns;
pub mod results;
pub mod transactional;
