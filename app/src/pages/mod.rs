//! One module per page.

pub mod api_keys;
pub mod campaign_survey;
pub mod campaigns;
pub mod canned_answers;
pub mod catalogue;
pub mod detractor_import;
pub mod detractors;
pub mod home;
pub mod new_request;
pub mod not_found;
pub mod notifications;
pub mod on_behalf;
pub mod password;
pub mod policy;
pub mod portal;
pub mod profile;
pub mod recovery_profiles;
pub mod register;
pub mod request_page;
pub mod sign_in;
pub mod staff_request;
pub mod staff_users;
pub mod survey;
pub mod survey_results;
pub mod workspace;
