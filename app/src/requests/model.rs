//! What travels between the requests' server functions and pages: lists, the filing form's
//! options, and one request with its clocks, thread and history.

use serde::{Deserialize, Serialize};

use crate::ui::choice::Choice;

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
    /// What comes next, in plain Spanish.
    pub next_step: String,
    /// RFC 3339 in America/Bogota, rendered as text so SSR and hydration agree.
    pub received_at: String,
    /// The last activity on the request, Bogotá time.
    pub updated_at: String,
    pub first_response_due: Option<String>,
    pub legal_due_date: Option<String>,
}

/// One page of a request list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestPage {
    pub items: Vec<RequestSummary>,
    /// From 1.
    pub page: i64,
    pub pages: i64,
}

/// What the filing form offers this customer (seed 000 §4: priorities depend on the tier).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilingOptions {
    pub types: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub tier: String,
    pub ans_guaranteed: bool,
    /// The file picker's `accept` attribute.
    pub accept: String,
    pub max_file_mb: u64,
    pub max_message_mb: u64,
    /// A fresh token for this form: submitting it twice files one request.
    pub submission_token: String,
    /// The closed request a new one continues, when filed from its page.
    pub related: Option<String>,
}

/// A clock as the customer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockView {
    pub label: String,
    /// When it is due, Bogotá time.
    pub due: String,
    /// The same instant as RFC 3339, for machines (the REST API).
    pub due_rfc3339: String,
    pub status_code: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: String,
    pub file_name: String,
    pub kind: String,
    pub size: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub author: String,
    pub from_customer: bool,
    /// An internal staff note; only staff ever receive these.
    pub internal: bool,
    /// What the message is: "descripcion", "seguimiento", "solicitud_informacion", "respuesta".
    pub kind: String,
    pub body: String,
    pub created_at: String,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    pub text: String,
}

/// One line of a request's access log (Ley 1581 art. 17): who among staff reached its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessEntry {
    pub at: String,
    pub who: String,
    /// The role's label, as the person had it then.
    pub role: String,
    /// "Abrió la solicitud" or "Descargó «archivo»".
    pub what: String,
}

/// A request's page for its customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub radicado: String,
    pub request_type: String,
    pub category: Option<String>,
    pub subject: String,
    pub priority: String,
    pub state: String,
    pub state_code: String,
    pub ans_guaranteed: bool,
    pub received_at: String,
    pub first_response: Option<ClockView>,
    pub legal_term: Option<ClockView>,
    /// First contact in calendar hours (seed 002 §4), when the request's ANS version measures it.
    pub first_contact: Option<ClockView>,
    pub links: Vec<String>,
    pub messages: Vec<MessageView>,
    pub history: Vec<HistoryEntry>,
    pub can_reply: bool,
    pub can_close: bool,
    /// What staff asked for, while the request waits on the customer.
    pub pending_question: Option<String>,
    /// The closed request this one continues.
    pub related: Option<String>,
    /// What the customer should expect next, in plain Spanish.
    pub next_step: String,
    /// The satisfaction survey of this closed request, while it can still be answered.
    pub survey_url: Option<String>,
    /// The prórroga of the legal term, in words, when one was declared (Ley 1755 art. 14
    /// parágrafo): the customer sees it too.
    pub extension: Option<String>,
}

/// The bounds of the prórroga an agent may declare (Ley 1755 art. 14 parágrafo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtensionOffer {
    pub min_days: u32,
    pub max_days: u32,
    /// What the number of days counts, in words.
    pub hint: String,
}

/// The customer an agent is about to file for (agent-workspace requirement: registering on their behalf).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerCard {
    pub name: String,
    pub email: String,
    pub tier: String,
    pub ans_guaranteed: bool,
    /// Priorities their tier allows (seed 000 §4).
    pub priorities: Vec<Choice>,
}

/// What the agent's "register on the customer's behalf" form needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnBehalfFormOptions {
    pub categories: Vec<Choice>,
    /// A fresh submission token: a double submit files once.
    pub submission_token: String,
    /// The same attachment limits as the customer's own filing form.
    pub max_file_mb: u64,
    pub max_message_mb: u64,
}
