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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: String,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
}

/// One option of a select: stored code and what people read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub label: String,
    /// A one-line explanation (request types), empty when there is none.
    pub hint: String,
}

impl Choice {
    /// An option without an explanation line.
    pub fn new(code: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            label: label.into(),
            hint: String::new(),
        }
    }
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

/// A request as staff see it: the customer's view plus internal notes, who the customer is,
/// who has it, and what the signed-in agent may do now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffRequestView {
    pub detail: RequestDetail,
    pub customer: String,
    pub document: String,
    pub tier: String,
    pub assignee: Option<String>,
    /// Actions offered to this agent in this state (code = the form's `action` value).
    pub actions: Vec<Choice>,
    /// Where it can be escalated (seed 002 escalation matrix).
    pub areas: Vec<Choice>,
    /// Who a supervisor can assign it to.
    pub agents: Vec<Choice>,
    /// Priorities this agent may switch to (the customer's tier allows them); empty when the
    /// agent may not change it.
    pub priorities: Vec<Choice>,
    /// The area it is (or was last) escalated to.
    pub area: Option<String>,
    /// Category › subcategory · cause, once typified.
    pub typification: Option<String>,
    /// The catalogue to typify with; empty when this agent may not typify.
    pub typify: Option<TypificationOptions>,
    /// The prórroga this agent may declare now, if any.
    pub extension_offer: Option<ExtensionOffer>,
}

/// The catalogue an agent typifies with: categories, their subcategories, and the causes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypificationOptions {
    pub categories: Vec<Choice>,
    /// (category id, subcategory) pairs, in the catalogue's order.
    pub subcategories: Vec<(String, Choice)>,
    pub causes: Vec<Choice>,
    /// The current values (ids), to preselect.
    pub category_id: Option<String>,
    pub subcategory_id: Option<String>,
    pub cause_id: Option<String>,
}

/// The bounds of the prórroga an agent may declare (Ley 1755 art. 14 parágrafo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtensionOffer {
    pub min_days: u32,
    pub max_days: u32,
    /// What the number of days counts, in words.
    pub hint: String,
}

/// What the browser needs to tick a clock with the domain's own arithmetic: the same inputs
/// the server used, so the countdown the agent sees is the one the server enforces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimerData {
    pub label: String,
    /// Unix seconds.
    pub start: i64,
    pub due: i64,
    /// Closed pauses and, while waiting on the customer, the open one (end = `None`).
    pub pauses: Vec<(i64, Option<i64>)>,
    pub paused: bool,
    pub met_at: Option<i64>,
}

/// One row of an agent queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub radicado: String,
    pub customer: String,
    pub tier: String,
    pub request_type: String,
    pub subject: String,
    pub priority: String,
    pub state: String,
    pub state_code: String,
    pub assignee: Option<String>,
    pub received_at: String,
    pub ans_guaranteed: bool,
    pub first_response: Option<TimerData>,
    pub legal_term: Option<TimerData>,
}

/// A queue's name, label and how many requests it holds now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueCount {
    pub code: String,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueView {
    pub queues: Vec<QueueCount>,
    pub current: String,
    pub rows: Vec<QueueRow>,
    /// Rows matching beyond the ones shown.
    pub more: usize,
    pub types: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub tiers: Vec<Choice>,
    /// The calendar the timers count on, so the browser uses the server's.
    pub calendar: crate::timers::CalendarSettings,
}

/// What the survey page shows for a link (issue 6). Expired, answered and unknown links are
/// data, not errors: the page says which in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SurveyStatus {
    Open { radicado: String, subject: String },
    Answered,
    Expired,
    Unknown,
}

/// One open or closed detractor recovery case (seed 003) as a row of the desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryCaseRow {
    pub id: String,
    pub customer: String,
    pub segment: String,
    pub radicado: String,
    pub nps: i64,
    pub csat: i64,
    pub comment: String,
    pub assignee: Option<String>,
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
}

/// An API key as the admin list shows it; the secret is never part of it (issue 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeySummary {
    pub id: String,
    pub name: String,
    /// The visible start of the secret, to tell keys apart.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub rate_limit_per_minute: i64,
    pub created_at: String,
    pub created_by: String,
    pub revoked_at: Option<String>,
}

/// The customer an agent is about to file for (issue 5: registering on their behalf).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerCard {
    pub name: String,
    pub email: String,
    pub tier: String,
    pub ans_guaranteed: bool,
    /// Priorities their tier allows (seed 000 §4).
    pub priorities: Vec<Choice>,
}

/// The scopes an API key can have, with what each allows (issue 7).
pub const API_SCOPES: [(&str, &str); 3] = [
    (
        "requests:read",
        "Consultar solicitudes, catálogo, áreas y calendario",
    ),
    (
        "requests:write",
        "Radicar solicitudes, agregar seguimientos y cerrar",
    ),
    (
        "customers:write",
        "Crear la cuenta del cliente al radicar (con su autorización de datos)",
    ),
];

/// An API key just created: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub name: String,
    pub secret: String,
}
