//! Pieces shared by several pages.

pub mod charts;
pub mod feedback;
pub mod live;
pub mod nav;
pub mod sla_timer;
pub mod upload_form;
