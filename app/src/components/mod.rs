//! Pieces shared by several pages.

pub mod canned_answer_picker;
pub mod charts;
pub mod feedback;
pub mod live;
pub mod nav;
pub mod presence;
pub mod sla_timer;
pub mod survey;
pub mod upload_form;
