//! The customer's pages of requests: the list, the filing form and one request.

pub mod new_request;
pub mod request_page;
