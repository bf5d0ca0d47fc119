//! What the live connection carries to pages besides change events: who else is on a request.

use serde::{Deserialize, Serialize};

/// Someone else on the same request page: what the collision warning shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Presence {
    pub user_id: String,
    pub full_name: String,
    pub typing: bool,
}
