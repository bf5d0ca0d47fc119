//! The surveys' pages: the survey link, campaign surveys, campaigns and results.

pub mod campaign_survey;
pub mod campaigns;
pub mod results;
pub mod survey;
