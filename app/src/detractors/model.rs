//! What travels between the recovery desk's server functions and pages (seed 003): cases,
//! contact attempts, asesor profiles and the import of survey bases.

use serde::{Deserialize, Serialize};

use crate::ui::choice::Choice;

/// An asesor of the detractor desk and the segments they attend (seed 003 §4 step 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentProfile {
    pub id: String,
    pub name: String,
    /// Empty: attends every segment.
    pub segments: Vec<String>,
    pub open_cases: i64,
}

/// The profiles page: the desk's segments and every active asesor's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryProfiles {
    pub segments: Vec<String>,
    pub agents: Vec<AgentProfile>,
}

/// One open or closed detractor recovery case (seed 003) as a row of the desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryCaseRow {
    pub id: String,
    pub customer: String,
    pub segment: String,
    pub radicado: String,
    /// A campaign answer may carry only CSAT.
    pub nps: Option<i64>,
    /// Imported bases may carry no CSAT.
    pub csat: Option<i64>,
    pub comment: String,
    /// Who to call (seed 003: the ANI).
    pub phone: String,
    /// From an imported base rather than our own survey.
    pub imported: bool,
    pub assignee: Option<String>,
    /// When the case opened and its 24-hour limit, Unix seconds: the ticking timer's inputs.
    pub opened_at: i64,
    pub due_at: i64,
    /// The 24-hour limit, Bogotá time.
    pub due: String,
    /// "quedan 5 h 20 min" or "vencido".
    pub time_left: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryAttemptView {
    pub at: String,
    pub by: String,
    pub result: String,
}

/// A recovery case with its attempts and what the signed-in agent may record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryCaseView {
    pub row: RecoveryCaseRow,
    pub resolved: bool,
    pub open: bool,
    /// "Abierto", or how it was closed ("No contactado", …).
    pub status: String,
    pub reason: Option<String>,
    pub solution: Option<String>,
    pub attempts: Vec<RecoveryAttemptView>,
    pub can_act: bool,
    pub results: Vec<Choice>,
    pub solutions: Vec<Choice>,
    /// Where an "escalado" solution can file its request.
    pub areas: Vec<Choice>,
    /// The request the "escalado" solution filed.
    pub escalated_radicado: Option<String>,
    /// The second survey about the call: "NPS 9 · CSAT 5", or that it awaits an answer.
    pub call_survey: Option<String>,
    /// The second survey awaits an answer and this agent may record the one the customer
    /// gives on the call (seed 003 §4 step 4).
    pub can_record_call_survey: bool,
    /// The attempt form's submission token: sending the same form twice logs one attempt.
    pub attempt_token: String,
}

pub use crate::tabular::{ImportField, ImportMapping, ImportPreview, ImportRowError, ImportUpload};

/// What an import did. When `imported` is false nothing was written: there were bad rows and
/// skipping them was not asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: bool,
    pub created: u64,
    /// Rows already in the desk (an earlier cut) or repeated within this file.
    pub duplicates: u64,
    /// Bad rows left out because the import was asked to skip them.
    pub skipped: u64,
    pub errors: Vec<ImportRowError>,
}

impl ImportReport {
    /// The errors as the CSV the UI offers for download (see [`crate::tabular::error_csv`]).
    pub fn error_csv(&self) -> String {
        crate::tabular::error_csv(&self.errors)
    }
}
