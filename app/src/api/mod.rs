//! Server functions: thin wrappers that check who is calling and hand over to a service in
//! `crate::ssr`. Each has a fixed endpoint under `/api/` so that tests and the HTML forms
//! that work before the WebAssembly loads can name it.

pub mod account;
pub mod api_keys;
pub mod campaigns;
pub mod canned_answers;
pub mod catalogue;
pub mod detractor_import;
pub mod notifications;
pub mod on_behalf;
pub mod portal;
pub mod presence;
pub mod staff;
pub mod survey_results;
pub mod surveys;
