//! The indicators on the server: the period and the sums behind each figure.

pub mod compute;
