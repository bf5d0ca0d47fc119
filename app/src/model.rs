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
    /// The newest customer message the page shows: sent back with a reply so the server can
    /// tell whether the customer wrote again meanwhile (collision warning).
    pub last_customer_message: Option<String>,
    /// The active plantillas that fit this request's type (id, name).
    pub canned_answers: Vec<Choice>,
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
    /// Catalogue, areas and agents to filter by; their codes are ids.
    pub categories: Vec<Choice>,
    pub subcategories: Vec<Choice>,
    pub areas: Vec<Choice>,
    pub agents: Vec<Choice>,
    /// The calendar the timers count on, so the browser uses the server's.
    pub calendar: crate::timers::CalendarSettings,
}

/// What the survey page shows for a link (issue 6). Expired, answered and unknown links are
/// data, not errors: the page says which in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SurveyStatus {
    /// `about_call`: the second survey, about a detractor recovery call (seed 003); then
    /// `subject` is when the call's survey was sent and `radicado` is empty.
    Open {
        radicado: String,
        subject: String,
        about_call: bool,
    },
    Answered,
    Expired,
    Unknown,
}

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

/// One field of the desk that an imported column can fill (seed 003 §4 step 1: the base the
/// client's BI tool exports).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportField {
    pub code: String,
    pub label: String,
    pub required: bool,
}

/// Which column of the file fills which field: `column` is the header text as it appears in
/// the file's first row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportMapping {
    pub field: String,
    pub column: String,
}

/// What the mapping step shows: the header row, the first rows, a suggested mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// "CSV" or "XLSX", from the content.
    pub format: String,
    pub headers: Vec<String>,
    /// Up to ten data rows, as text.
    pub rows: Vec<Vec<String>>,
    /// Data rows in the file (the header row not counted).
    pub total_rows: usize,
    pub fields: Vec<ImportField>,
    /// Fields whose column was recognized by its header.
    pub suggested: Vec<ImportMapping>,
}

/// Why one row was refused. `row` is the row number as a spreadsheet shows it (the header is
/// row 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

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
    /// The errors as a CSV the operator downloads, fixes the base with, and imports again:
    /// `;`-separated, the way Spanish-locale Excel opens it, UTF-8 with a BOM so accents
    /// survive.
    pub fn error_csv(&self) -> String {
        fn cell(text: &str) -> String {
            if text.contains([';', '"', '\n', '\r']) {
                format!("\"{}\"", text.replace('"', "\"\""))
            } else {
                text.to_string()
            }
        }
        let mut csv = String::from("\u{feff}Fila;Columna;Error\n");
        for error in &self.errors {
            csv.push_str(&format!(
                "{};{};{}\n",
                error.row,
                cell(&error.column),
                cell(&error.message)
            ));
        }
        csv
    }
}

/// An uploaded base at its mapping step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportUpload {
    pub file_name: String,
    pub preview: ImportPreview,
}

/// One group of survey answers (an agent, an area, a category, a tier, or a month).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyGroup {
    pub label: String,
    pub answers: u64,
    /// CSAT top-two-box %, `None` without answers.
    pub csat: Option<f64>,
    pub nps: Option<ventanilla::survey::NpsSummary>,
    /// Share of "sí, se resolvió" answers: first-contact resolution as customers tell it.
    pub resolved: Option<f64>,
}

/// A comment left in a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyComment {
    pub at: String,
    pub radicado: String,
    pub nps: i64,
    pub csat: i64,
    pub comment: String,
}

/// The detractor desk's indicators (seed 003 §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetractorIndicators {
    pub cases: u64,
    pub contacted: u64,
    /// Contacted ÷ all cases × 100 (goal ≥ 80 %); `None` without cases.
    pub effective_contact: Option<f64>,
    /// Second surveys answered, and how many of those are promoters (9–10).
    pub second_surveys: u64,
    pub promoters_after: u64,
    /// Detractor → promoter conversion %, `None` without second surveys.
    pub conversion: Option<f64>,
    /// Cases handled after their 24 hours, or still open past them.
    pub past_24h: u64,
}

/// The survey results page: a period, its totals, its splits and the desk's indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResults {
    /// The period, `YYYY-MM-DD` both ends included (Bogotá days).
    pub from: String,
    pub to: String,
    pub invited: u64,
    pub total: SurveyGroup,
    /// Answers ÷ invitations sent in the period × 100.
    pub response_rate: Option<f64>,
    pub by_month: Vec<SurveyGroup>,
    pub by_agent: Vec<SurveyGroup>,
    pub by_area: Vec<SurveyGroup>,
    pub by_category: Vec<SurveyGroup>,
    pub by_tier: Vec<SurveyGroup>,
    pub comments: Vec<SurveyComment>,
    pub detractors: DetractorIndicators,
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

/// Someone else on the same request page: what the collision warning shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Presence {
    pub user_id: String,
    pub full_name: String,
    pub typing: bool,
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

/// What the page of a set-password link shows: the form, or why the link does not work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasswordLinkView {
    pub valid: bool,
    /// The account was created on the customer's behalf (first password), not a reset.
    pub creating: bool,
    /// The holder's name, to greet them; empty for an unknown link.
    pub name: String,
    /// Why the link does not work, in Spanish; empty when it works.
    pub problem: String,
}

/// The scopes an API key can have, with what each allows (issue 7).
pub const API_SCOPES: [(&str, &str); 4] = [
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
    (
        "surveys:import",
        "Importar bases de encuestas al escritorio de detractores (a nombre de quien crea la llave)",
    ),
];

/// An API key just created: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub name: String,
    pub secret: String,
}

/// One entry of the typification catalogue (a subcategory or a cause) on the management
/// page. Inactive entries stay listed there so they can be reactivated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub id: String,
    pub name: String,
    pub active: bool,
}

/// A category with the area it escalates to and its subcategories, in catalogue order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryEntry {
    pub id: String,
    pub name: String,
    pub description: String,
    pub area_id: Option<String>,
    pub area_name: Option<String>,
    pub active: bool,
    pub subcategories: Vec<CatalogueEntry>,
}

/// An area of the escalation matrix and the staff who answer for it (its especialistas).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaEntry {
    pub id: String,
    pub name: String,
    /// (user id, "Name — Role").
    pub members: Vec<Choice>,
}

/// Everything the catalogue page (`/equipo/catalogo`) shows and edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueAdmin {
    pub categories: Vec<CategoryEntry>,
    pub causes: Vec<CatalogueEntry>,
    pub areas: Vec<AreaEntry>,
    /// Active staff who can be made members of an area.
    pub staff: Vec<Choice>,
}

/// A relationship survey campaign as the campaigns list shows it (seed 001 §5.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub id: String,
    pub name: String,
    /// "Borrador" or "Lanzada".
    pub state: String,
    pub launched: bool,
    /// "15/12/2026 – 31/01/2027".
    pub period: String,
    pub questions: String,
    pub sample_size: u64,
    pub invited: u64,
    pub answered: u64,
}

/// One stratum (customer tier) of a campaign: its accounts and its part of the sample; after
/// the launch, also what it answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignStratum {
    pub tier: String,
    pub population: u64,
    pub sample: u64,
    pub answered: u64,
    pub csat: Option<f64>,
    pub nps: Option<ventanilla::survey::NpsSummary>,
}

/// A comment left in a campaign answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignComment {
    pub at: String,
    pub tier: String,
    pub nps: Option<i64>,
    pub csat: Option<i64>,
    pub comment: String,
}

/// The campaign page: its design, the population and sample before the launch, and the
/// results as they arrive after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignView {
    pub id: String,
    pub name: String,
    pub launched: bool,
    pub state: String,
    pub period: String,
    pub questions: String,
    pub ask_nps: bool,
    pub ask_csat: bool,
    /// "95 %".
    pub confidence: String,
    pub margin_percent: u8,
    pub stratified: bool,
    /// Active customer accounts: now for a draft, at the launch for a launched campaign.
    pub population: u64,
    pub sample_size: u64,
    /// Per tier; the allocation a stratified draft will draw, or the invitations sent.
    pub strata: Vec<CampaignStratum>,
    pub launched_at: Option<String>,
    /// Whether the period still lets a draft be launched today, and if not, why.
    pub launch_blocked: Option<String>,
    pub invited: u64,
    pub answered: u64,
    /// Answered ÷ invited × 100; `None` before the launch.
    pub response_rate: Option<f64>,
    pub csat: Option<f64>,
    pub nps: Option<ventanilla::survey::NpsSummary>,
    pub comments: Vec<CampaignComment>,
}

/// What a campaign survey link (or a pending survey in the portal) leads to now. Like
/// [`SurveyStatus`], each case is data the page puts in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CampaignSurveyStatus {
    Open {
        campaign: String,
        ask_nps: bool,
        ask_csat: bool,
        ask_comment: bool,
        /// The last day answers are taken, "31/01/2027".
        closes: String,
    },
    Answered,
    Expired,
    Unknown,
}

/// A campaign survey the signed-in customer has not answered yet, offered in the portal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingCampaignSurvey {
    pub invitation_id: String,
    pub campaign: String,
    pub closes: String,
}

/// The campaigns page: the population a new campaign would sample today, the form's default
/// period, and the campaigns so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignsOverview {
    /// Active customer accounts that can be invited (at least one customer user).
    pub population: u64,
    /// The sample at the default design (95 %, 5 %).
    pub default_sample: u64,
    /// `YYYY-MM-DD`, Bogotá: today and thirty days later.
    pub today: String,
    pub default_end: String,
    pub campaigns: Vec<CampaignSummary>,
}
