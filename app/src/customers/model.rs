//! What the customer screens show, as the server sends it.

use serde::{Deserialize, Serialize};

use crate::requests::model::RequestSummary;

/// The most customers one search shows; with that many the page asks for more words.
pub const SEARCH_LIMIT: usize = 50;

/// One line of the customer search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: String,
    /// "CC 1020304050", "NIT 900123456-7".
    pub document: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// The tier the current contract gives this year, in words.
    pub tier: String,
    pub segment: String,
    pub kind: String,
    pub service_status: String,
    pub open_requests: i64,
    pub blocked: bool,
    /// Someone may sign in for the account; false for an account imported from the ERP
    /// whose customer has not registered yet.
    pub registered: bool,
}

/// A person who may sign in for the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerContact {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub active: bool,
}

/// The commercial data as stored, in codes, for the edit form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommercialForm {
    pub monthly_contract_cop: Option<i64>,
    pub service_status: String,
    pub payments_up_to_date: bool,
    pub kind: String,
    pub segment: String,
    /// The revision the form was read at: saving names it, so a concurrent edit is a conflict.
    pub revision: i64,
}

/// A survey answer of one of the customer's requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyAnswerRow {
    pub radicado: String,
    pub answered_at: String,
    pub nps: Option<i64>,
    pub csat: Option<i64>,
    pub resolved: Option<bool>,
    pub comment: String,
}

/// A detractor recovery case of the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryCaseLine {
    pub id: String,
    pub opened_at: String,
    pub status: String,
    pub outcome: String,
}

/// A relationship-campaign invitation sent to the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignLine {
    pub campaign: String,
    pub sent_at: String,
    pub answered: bool,
}

/// A note of relevant information (seed 004 §4) with its author and date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerNote {
    pub author: String,
    pub at: String,
    pub body: String,
}

/// Everything about one customer, the "360" page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    pub id: String,
    pub document: String,
    pub name: String,
    pub since: String,
    pub contacts: Vec<CustomerContact>,
    /// "$ 30.000.000" or "Sin contrato mensual".
    pub contract: String,
    pub tier: String,
    pub ans_guaranteed: bool,
    pub service_status: String,
    pub payments_up_to_date: bool,
    pub kind: String,
    pub segment: String,
    pub blocked: bool,
    /// See [`CustomerRow::registered`].
    pub registered: bool,
    pub commercial: CommercialForm,
    /// Requests filed plus replies written by the customer: how often they reached us.
    pub contacts_count: i64,
    pub requests: Vec<RequestSummary>,
    pub surveys: Vec<SurveyAnswerRow>,
    pub recovery_cases: Vec<RecoveryCaseLine>,
    pub campaigns: Vec<CampaignLine>,
    pub notes: Vec<CustomerNote>,
    /// Whether the reader may edit the commercial data and block access (supervisor, admin).
    pub may_manage: bool,
}

/// What a customer import did (or, in a dry run, would do). When `imported` is false and
/// `dry_run` is false nothing was written: there were bad rows and skipping them was not
/// asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerImportReport {
    pub imported: bool,
    pub dry_run: bool,
    /// Accounts new to Ventanilla.
    pub created: u64,
    /// Known accounts whose data changed.
    pub updated: u64,
    /// Known accounts the file left as they were.
    pub unchanged: u64,
    /// Bad rows left out because skipping them was asked for.
    pub skipped: u64,
    pub errors: Vec<crate::tabular::ImportRowError>,
}
