//! The organization that runs this desk, as customers read it in the data policy and in
//! e-mail: the Responsable del tratamiento of Ley 1581 (art. 12 d). The server reads it from
//! the environment (`platform::config`); pages show it.

use serde::{Deserialize, Serialize};

/// The organization that acts as Responsable del tratamiento (Ley 1581 art. 12 d).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub name: String,
    pub nit: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}
