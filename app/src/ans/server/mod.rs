//! The ANS settings on the server: the published versions, the one in force (kept a few
//! seconds by `platform::ans_cache`), and the customers' notice.

pub mod notice;
pub mod screen;
pub mod versions;
