//! The detractor recovery desk (seed 003): cases opened by bad survey answers or imported
//! from a survey base, assigned by load and profile, contact attempts within 24 hours, the
//! reason and solution, and the second survey about the call. One name everywhere:
//! "detractors" in modules, routes and tests.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
