//! Data shapes that travel between server functions and components.

use serde::{Deserialize, Serialize};
use ventanilla::role::Role;

/// The signed-in person as the UI needs to know them. Never carries the password hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: String,
    pub full_name: String,
    pub email: String,
    pub role: Role,
}

impl SessionUser {
    /// Where this person lands after signing in.
    pub fn home_path(&self) -> &'static str {
        if self.role.is_staff() {
            "/equipo"
        } else {
            "/portal"
        }
    }
}

/// What the profile page shows and edits (seed 002 §5.2.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub document: Option<String>,
    pub account_name: Option<String>,
}

/// The organization that acts as Responsable del tratamiento (Ley 1581 art. 12 d).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub name: String,
    pub nit: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

/// One row of a request list, in the customer's or the agent's view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub radicado: String,
    pub request_type: String,
    pub subject: String,
    pub state: String,
    pub state_code: String,
    pub priority: String,
    pub customer: String,
    pub tier: String,
    pub ans_guaranteed: bool,
    /// RFC 3339 in America/Bogota, rendered as text so SSR and hydration agree.
    pub received_at: String,
    pub first_response_due: Option<String>,
    pub legal_due_date: Option<String>,
}

/// A count of requests in one state, for the workspace overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateCount {
    pub state: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceOverview {
    pub counts: Vec<StateCount>,
    pub recent: Vec<RequestSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: String,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
}
