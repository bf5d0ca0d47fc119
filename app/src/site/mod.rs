//! The site's own pages, which belong to no capability: the landing page and "not found".

pub mod home;
pub mod portal;
