//! The agent desk's pages: queues, one request, canned answers, on-behalf filing.

pub mod canned_answers;
pub mod on_behalf;
pub mod queues;
pub mod staff_request;
