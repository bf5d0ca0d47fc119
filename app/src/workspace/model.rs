//! What travels between the agent desk's server functions and pages: queues, the request as
//! staff see it, typification, prórroga, canned answers and on-behalf filing.

use serde::{Deserialize, Serialize};

use crate::requests::model::{ExtensionOffer, RequestDetail};
use crate::timers::TimerData;
use crate::ui::choice::Choice;

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
    /// The newest customer message the page shows: sent back with a reply so the server can
    /// tell whether the customer wrote again meanwhile (collision warning).
    pub last_customer_message: Option<String>,
    /// The active plantillas that fit this request's type (id, name).
    pub canned_answers: Vec<Choice>,
    /// Why this agent may read but not act (an asesor on a colleague's request); the page
    /// then offers no action.
    pub read_only: Option<String>,
    /// Who among staff opened the request or downloaded its files (Ley 1581 art. 17); shown
    /// to supervisors and admins only, `None` for everyone else.
    pub access_log: Option<Vec<crate::requests::model::AccessEntry>>,
    /// The customer's page (seed 002 §5.2.8: the agent "consulta la información del usuario"
    /// before answering), for the roles that read customers; `None` for the others.
    pub customer_page: Option<String>,
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
    /// First contact in calendar hours (seed 002 §4), while it is still owed.
    pub first_contact: Option<TimerData>,
}

/// A queue's name, label and how many requests it holds now (`None` for the closed
/// requests: a history, not work waiting, and not worth counting on every page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueCount {
    pub code: String,
    pub label: String,
    pub count: Option<usize>,
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
    /// Catalogue, areas and agents to filter by; their codes are ids.
    pub categories: Vec<Choice>,
    pub subcategories: Vec<Choice>,
    pub areas: Vec<Choice>,
    pub agents: Vec<Choice>,
}

/// The placeholders a canned answer may use and what each becomes; the server fills them for
/// one request (`ssr::canned_answers`), the management page lists them.
pub const CANNED_ANSWER_PLACEHOLDERS: [(&str, &str); 6] = [
    ("cliente", "nombre del cliente"),
    ("radicado", "número de radicado"),
    ("fecha_radicacion", "fecha en que se radicó"),
    ("fecha_limite", "fecha límite legal de respuesta"),
    ("agente", "nombre de quien responde"),
    ("area", "área a cargo"),
];

/// A canned answer (plantilla) as the management page and the request page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CannedAnswer {
    pub id: String,
    pub name: String,
    pub body: String,
    /// The request type it is restricted to (code), or `None` for every type.
    pub request_type: Option<String>,
    pub request_type_label: String,
    pub active: bool,
}
