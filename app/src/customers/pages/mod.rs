//! The customers' pages: the search and the customer's 360 view.

pub mod customer;
pub mod directory;
