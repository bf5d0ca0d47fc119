//! The indicators on the server: the period and the sums behind each figure, and the
//! monthly report with its workbook and bitácora, and the reports that go out by themselves.

pub mod compute;
pub mod exports;
pub mod filters;
pub mod goals;
pub mod monthly;
pub mod schedule;
pub mod workbook;
