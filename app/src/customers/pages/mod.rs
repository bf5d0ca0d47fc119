//! The customers' pages: the search, the customer's 360 view, and the import from the ERP.

pub mod customer;
pub mod directory;
pub mod import;
