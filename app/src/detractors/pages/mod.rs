//! The recovery desk's pages: the desk and one case, the import of a survey base, and the
//! asesores' attention profiles.

pub mod desk;
pub mod import;
pub mod profiles;
