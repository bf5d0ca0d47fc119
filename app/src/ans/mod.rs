//! The ANS settings as an organization maintains them (issue 19; seed 000 §3, §4, §10, §11;
//! seed 002 §4): the first-response matrix, the VIP threshold, the SMLMV of new years, the
//! automatic-close days and the review sample, published by an admin as versions with an
//! effective date, the history of who changed what, and the notice to customers. A request
//! keeps the version it was filed under (`requests.ans_version`, its first-response hours
//! stored with it), so its clocks never change afterwards.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
