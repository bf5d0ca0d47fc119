//! Filing (radicar) and listing requests. Filing computes both clocks with the domain crate
//! at the moment of receipt and stores the due instants, so every list can sort and colour
//! without recomputing, and the browser can tick them with the same code.

use chrono::{DateTime, Datelike, Utc};
use serde_json::json;
use sqlx::Row;
use ventanilla::calendar::bogota;
use ventanilla::legal::{LegalTerm, RequestType};
use ventanilla::lifecycle::RequestState;
use ventanilla::radicado::Radicado;
use ventanilla::sla::Priority;
use ventanilla::tier::Tier;

use ventanilla::ans::AnsVersion;

use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, now, Batch};
use crate::platform::outbox;
use crate::requests::model::{AttachmentView, MessageView, RequestPage, RequestSummary};
use crate::requests::server::clocks::ClockFacts;
use crate::timers::local_time;

/// What is needed to file a request for an account.
pub struct NewRequest<'a> {
    pub account_id: &'a str,
    pub created_by: &'a str,
    pub request_type: RequestType,
    pub category_id: Option<&'a str>,
    pub subject: &'a str,
    pub description: &'a str,
    pub priority: Priority,
    pub channel: &'a str,
    pub received_at: DateTime<Utc>,
    /// The filing form's hidden token: the same token never files twice.
    pub submission_token: Option<&'a str>,
    /// A closed request this one continues ("Nueva solicitud relacionada").
    pub related_request_id: Option<&'a str>,
    /// Links the customer gave instead of (or besides) attachments, one per line.
    pub links: &'a str,
    /// Who wrote the description, as shown in the thread.
    pub author_label: &'a str,
}

/// What filing needs of the account: its tier for the year of receipt, whether the ANS is
/// guaranteed, where the "radicada" e-mail goes, and the ANS version in force, whose number
/// and first-response hours the request keeps.
#[derive(Debug, Clone, Copy)]
pub struct KnownAccount<'a> {
    pub tier: Tier,
    pub guaranteed: bool,
    pub email: &'a str,
    pub ans: &'a AnsVersion,
}

/// A request just filed.
pub struct Filed {
    pub id: String,
    pub radicado: Radicado,
    /// The description, as the first message of the thread; attachments hang from it.
    pub message_id: String,
    /// The instants written with the row that [`Prepared`] did not know before.
    pub updated_at: i64,
    pub first_response_due: Option<i64>,
    pub legal_due_date: Option<String>,
}

/// Takes the next number of a year's radicado sequence: one statement, so two concurrent
/// filings can never get the same radicado on either engine. Its one column is the number.
pub const NEXT_RADICADO: &str = "INSERT INTO radicado_sequences (year, last_value) VALUES ($1, 1) \
     ON CONFLICT (year) DO UPDATE SET last_value = radicado_sequences.last_value + 1 \
     RETURNING last_value";

/// The radicado of number `sequence` in `year`, or an error when the year's six digits are
/// used up.
pub fn radicado_of(year: i32, sequence: i64) -> Result<Radicado, AppError> {
    u32::try_from(sequence)
        .ok()
        .and_then(|sequence| Radicado::new(year, sequence).ok())
        .ok_or_else(|| {
            tracing::error!(
                year,
                sequence,
                "the radicado sequence of the year is exhausted"
            );
            AppError::Internal
        })
}

async fn next_radicado(tx: &mut crate::platform::db::Tx, year: i32) -> Result<Radicado, AppError> {
    let row = sqlx::query(NEXT_RADICADO)
        .bind(i64::from(year))
        .fetch_one(&mut **tx)
        .await?;
    radicado_of(year, row.get("last_value"))
}

/// Files a request: radicado, tier and ANS guarantee of the account, both clocks, the
/// description as the first message, the audit event and the e-mail to the customer, all in
/// the caller's transaction.
pub async fn radicar(
    tx: &mut crate::platform::db::Tx,
    actor: &Actor<'_>,
    ans: &AnsVersion,
    new: NewRequest<'_>,
) -> Result<Filed, AppError> {
    let row = sqlx::query(
        "SELECT a.monthly_contract_cop, a.service_status, a.payments_up_to_date, u.email \
         FROM accounts a JOIN users u ON u.account_id = a.id WHERE a.id = $1 \
         ORDER BY u.created_at LIMIT 1",
    )
    .bind(new.account_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let email: String = row.get("email");
    let year = new.received_at.with_timezone(&bogota()).year();
    let standing = crate::accounts::server::standing::of_row(&ans.settings.tiers, &row, year);
    let account = KnownAccount {
        tier: standing.tier,
        guaranteed: standing.ans_guaranteed,
        email: &email,
        ans,
    };
    let prepared = Prepared::new(new, account);
    let radicado = next_radicado(tx, prepared.year()).await?;
    let mut writes = Batch::new();
    let filed = prepared.write(actor, radicado, &mut writes);
    writes
        .run(tx)
        .await
        .map_err(crate::requests::server::service::duplicate_submission_or_internal)?;
    Ok(filed)
}

/// A filing with everything decided but its radicado: what it owns can travel to the SQLite
/// writer's thread (`db::write_numbered`), which takes the number and writes the rows in one
/// hand-off. Its ids are made up front, so a caller can add rows that hang from the request
/// (attachments) before the number is known.
pub struct Prepared {
    pub id: String,
    pub message_id: String,
    account_id: String,
    created_by: String,
    request_type: RequestType,
    category_id: Option<String>,
    subject: String,
    description: String,
    priority: Priority,
    channel: String,
    received_at: DateTime<Utc>,
    submission_token: Option<String>,
    related_request_id: Option<String>,
    links: String,
    author_label: String,
    tier: Tier,
    guaranteed: bool,
    customer_email: String,
    ans_version: i64,
    /// The version's hours for this tier and priority; `None` where the pair is not allowed.
    first_response_hours: Option<u32>,
    /// The version's business hours, which every clock of the request counts on.
    business_hours: ventanilla::ans::BusinessHours,
    /// The version's first-contact hours (seed 002 §4), when it measures them.
    first_contact_hours: Option<u32>,
}

impl Prepared {
    pub fn new(new: NewRequest<'_>, account: KnownAccount<'_>) -> Self {
        Self {
            id: new_id(),
            message_id: new_id(),
            account_id: new.account_id.to_string(),
            created_by: new.created_by.to_string(),
            request_type: new.request_type,
            category_id: new.category_id.map(str::to_string),
            subject: new.subject.to_string(),
            description: new.description.to_string(),
            priority: new.priority,
            channel: new.channel.to_string(),
            received_at: new.received_at,
            submission_token: new.submission_token.map(str::to_string),
            related_request_id: new.related_request_id.map(str::to_string),
            links: new.links.to_string(),
            author_label: new.author_label.to_string(),
            tier: account.tier,
            guaranteed: account.guaranteed,
            customer_email: account.email.to_string(),
            ans_version: account.ans.number,
            first_response_hours: account
                .ans
                .settings
                .matrix
                .first_response_hours(account.tier, new.priority),
            business_hours: account.ans.settings.business_hours.clone(),
            first_contact_hours: account.ans.settings.first_contact_hours,
        }
    }

    /// The ANS version's first-response hours this request keeps.
    pub fn first_response_hours(&self) -> Option<u32> {
        self.first_response_hours
    }

    /// The ANS version's business hours its clocks count on.
    pub fn business_hours(&self) -> &ventanilla::ans::BusinessHours {
        &self.business_hours
    }

    /// The ANS version's first-contact hours, when measured.
    pub fn first_contact_hours(&self) -> Option<u32> {
        self.first_contact_hours
    }

    /// The year of receipt in Bogotá: whose radicado sequence numbers it.
    pub fn year(&self) -> i32 {
        self.received_at.with_timezone(&bogota()).year()
    }

    /// The request, its first message, its audit event and the "radicada" e-mail, into
    /// `writes`.
    pub fn write(&self, actor: &Actor<'_>, radicado: Radicado, writes: &mut Batch) -> Filed {
        let (id, message_id) = (&self.id, &self.message_id);
        let (tier, guaranteed, received_at) = (self.tier, self.guaranteed, self.received_at);
        let calendar = crate::timers::calendar_of(&self.business_hours);
        let first_response_due = self
            .first_response_hours
            .filter(|_| guaranteed)
            .map(|hours| calendar.add_business_minutes(received_at, i64::from(hours) * 60, &[]));
        let first_response_due = first_response_due.map(|d| d.timestamp());
        let legal_due_date = self.request_type.legal_term_days().map(|days| {
            calendar
                .legal_due_date(received_at, days, &[])
                .format("%Y-%m-%d")
                .to_string()
        });

        // The instants the queues compare with now ("Por vencer", "Vencidas"), stored with
        // the row: a new request has no pause, prórroga or answer yet, so everything they
        // depend on is known here and the row need not be read back (`clocks::refresh` does
        // that for the later writers).
        let instants = ClockFacts {
            first_response_hours: self.first_response_hours,
            guaranteed,
            received_at: received_at.timestamp(),
            legal_term: LegalTerm::for_request(self.request_type, received_at),
            pauses: Vec::new(),
            paused: false,
            first_response_at: None,
            answered_at: None,
            business_hours: self.business_hours.clone(),
            first_contact_hours: self.first_contact_hours,
        }
        .instants();

        let at = now();
        writes.push(
            "INSERT INTO requests (id, radicado, account_id, created_by, request_type, category_id, subject, description, \
             priority, channel, state, tier, ans_guaranteed, received_at, first_response_due, legal_due_date, created_at, updated_at, \
             submission_token, related_request_id, links, \
             clock_first_due, clock_first_risk, clock_legal_due, clock_legal_risk, clock_basis, ans_version, first_response_hours, \
             first_contact_hours, clock_contact_due, clock_contact_risk) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19, $20, \
             $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)",
            vec![
                id.as_str().into(),
                radicado.to_string().into(),
                self.account_id.as_str().into(),
                self.created_by.as_str().into(),
                self.request_type.code().into(),
                self.category_id.clone().into(),
                self.subject.as_str().into(),
                self.description.as_str().into(),
                self.priority.code().into(),
                self.channel.as_str().into(),
                RequestState::Radicada.code().into(),
                tier.code().into(),
                i64::from(guaranteed).into(),
                received_at.timestamp().into(),
                first_response_due.into(),
                legal_due_date.clone().into(),
                at.into(),
                self.submission_token.clone().into(),
                self.related_request_id.clone().into(),
                self.links.as_str().into(),
                instants.first_due.into(),
                instants.first_risk.into(),
                instants.legal_due.into(),
                instants.legal_risk.into(),
                crate::requests::server::clocks::basis().into(),
                self.ans_version.into(),
                self.first_response_hours.map(i64::from).into(),
                self.first_contact_hours.map(i64::from).into(),
                instants.contact_due.into(),
                instants.contact_risk.into(),
            ],
        );
        writes.push(
            "INSERT INTO request_messages (id, request_id, author_user_id, author_label, from_customer, visibility, kind, body, created_at) \
             VALUES ($1, $2, $3, $4, 1, 'publica', 'descripcion', $5, $6)",
            vec![
                message_id.as_str().into(),
                id.as_str().into(),
                self.created_by.as_str().into(),
                self.author_label.as_str().into(),
                self.description.as_str().into(),
                received_at.timestamp().into(),
            ],
        );
        audit::add(
            writes,
            actor,
            "solicitud_radicada",
            "request",
            id,
            json!({ "radicado": radicado.to_string(), "type": self.request_type.code(), "channel": self.channel }),
        );
        outbox::add(
            writes,
            "email",
            &self.customer_email,
            "solicitud_radicada",
            json!({
                "radicado": radicado.to_string(),
                "subject": self.subject,
                "first_response_due": first_response_due.map(local_time),
                "legal_due_date": legal_due_date,
            }),
        );
        Filed {
            id: id.clone(),
            radicado,
            message_id: message_id.clone(),
            updated_at: at,
            first_response_due,
            legal_due_date,
        }
    }

    /// The request [`write`](Self::write) wrote as `filed`, as the API's list shows it, for
    /// the account with this document.
    pub fn listed(&self, filed: &Filed, document_type: &str, document_number: &str) -> Listed {
        Listed {
            id: self.id.clone(),
            account_id: self.account_id.clone(),
            radicado: filed.radicado.to_string(),
            request_type: self.request_type.code().to_string(),
            category_id: self.category_id.clone(),
            state: RequestState::Radicada.code().to_string(),
            priority: self.priority.code().to_string(),
            tier: self.tier.code().to_string(),
            channel: self.channel.clone(),
            ans_guaranteed: self.guaranteed,
            area_id: None,
            assignee_id: None,
            subject: self.subject.clone(),
            document_type: document_type.to_string(),
            document_number: document_number.to_string(),
            received_at: self.received_at.timestamp(),
            updated_at: filed.updated_at,
            first_response_due: filed.first_response_due,
            legal_due_date: filed.legal_due_date.clone(),
        }
    }

    /// The thread of the request just written: its description, with `attachments`.
    pub fn first_message(&self, attachments: Vec<AttachmentView>) -> MessageView {
        MessageView {
            author: self.author_label.clone(),
            from_customer: true,
            internal: false,
            kind: "descripcion".to_string(),
            body: self.description.clone(),
            created_at: local_time(self.received_at.timestamp()),
            attachments,
        }
    }
}

/// What the customer should expect next, in plain Spanish.
pub fn next_step(state: RequestState) -> &'static str {
    match state {
        RequestState::Radicada => "Un asesor tomará su solicitud en orden de llegada.",
        RequestState::EnGestion => "Un asesor está trabajando en su solicitud.",
        RequestState::PendienteCliente => "Necesitamos información suya para continuar.",
        RequestState::Escalada => "Su solicitud está con el área responsable.",
        RequestState::EnRevision => "La respuesta está en revisión de calidad antes de enviarse.",
        RequestState::Respondida => "Revise la respuesta: ciérrela si quedó satisfecho o responda.",
        RequestState::Cerrada => {
            "Cerrada. Si necesita algo más, radique una solicitud relacionada."
        }
    }
}

pub const SUMMARY_COLUMNS: &str =
    "r.radicado, r.request_type, r.subject, r.state, r.priority, r.tier, \
     r.ans_guaranteed, r.received_at, r.updated_at, r.first_response_due, r.legal_due_date, a.name AS customer";

pub fn summary(row: &sqlx::any::AnyRow) -> RequestSummary {
    let code = |column: &str| row.get::<String, _>(column);
    let state_code = code("state");
    RequestSummary {
        radicado: code("radicado"),
        request_type: RequestType::from_code(&code("request_type"))
            .map(|t| t.label_es().to_string())
            .unwrap_or_else(|| code("request_type")),
        subject: code("subject"),
        state: RequestState::from_code(&state_code)
            .map(|s| s.label_es().to_string())
            .unwrap_or_else(|| state_code.clone()),
        state_code,
        priority: Priority::from_code(&code("priority"))
            .map(|p| p.label_es().to_string())
            .unwrap_or_else(|| code("priority")),
        customer: code("customer"),
        tier: Tier::from_code(&code("tier"))
            .map(|t| t.label_es().to_string())
            .unwrap_or_else(|| code("tier")),
        ans_guaranteed: row.get::<i64, _>("ans_guaranteed") == 1,
        next_step: RequestState::from_code(&row.get::<String, _>("state"))
            .map(|s| next_step(s).to_string())
            .unwrap_or_default(),
        received_at: local_time(row.get("received_at")),
        updated_at: local_time(row.get("updated_at")),
        first_response_due: row
            .get::<Option<i64>, _>("first_response_due")
            .map(local_time),
        legal_due_date: row.get("legal_due_date"),
    }
}

/// Requests per page of "Mis solicitudes".
pub const PAGE_SIZE: i64 = 20;

/// The customer's own requests (every user of the account sees the account's requests),
/// newest activity first, one page at a time (pages count from 1).
pub async fn for_customer(
    pool: &sqlx::AnyPool,
    user_id: &str,
    page: i64,
) -> Result<RequestPage, AppError> {
    let total: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM requests WHERE account_id = (SELECT account_id FROM users WHERE id = $1)",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await?
    .get("n");
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM requests r JOIN accounts a ON a.id = r.account_id \
         WHERE r.account_id = (SELECT account_id FROM users WHERE id = $1) \
         ORDER BY r.updated_at DESC, r.radicado DESC LIMIT $2 OFFSET $3"
    );
    let rows = sqlx::query(&sql)
        .bind(user_id)
        .bind(PAGE_SIZE)
        .bind((page - 1) * PAGE_SIZE)
        .fetch_all(pool)
        .await?;
    Ok(RequestPage {
        items: rows.iter().map(summary).collect(),
        page,
        pages,
    })
}

/// Filters of the request list other systems read (REST API requirement). Every field narrows the list;
/// instants are Unix seconds, bounds inclusive.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub radicado: Option<String>,
    pub state: Option<String>,
    pub request_type: Option<String>,
    pub category_id: Option<String>,
    pub area_id: Option<String>,
    pub assignee_id: Option<String>,
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    pub updated_from: Option<i64>,
    pub updated_to: Option<i64>,
    /// The cursor: only requests filed after the one with this id.
    pub after: Option<String>,
    pub limit: i64,
}

/// A request as codes and instants, for machines.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: String,
    pub account_id: String,
    pub radicado: String,
    pub request_type: String,
    pub category_id: Option<String>,
    pub state: String,
    pub priority: String,
    pub tier: String,
    pub channel: String,
    pub ans_guaranteed: bool,
    pub area_id: Option<String>,
    pub assignee_id: Option<String>,
    pub subject: String,
    pub document_type: String,
    pub document_number: String,
    pub received_at: i64,
    pub updated_at: i64,
    pub first_response_due: Option<i64>,
    pub legal_due_date: Option<String>,
}

/// Requests matching `filter` in order of receipt (ids are time-ordered), one page after the
/// cursor; the second value is the cursor of the next page, when there is one. Keyset
/// pagination: a page never repeats or skips a request when new ones arrive meanwhile.
pub async fn search(
    pool: &sqlx::AnyPool,
    filter: &RequestFilter,
) -> Result<(Vec<Listed>, Option<String>), AppError> {
    let mut clauses: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    for (column, value) in [
        ("r.radicado", &filter.radicado),
        ("r.state", &filter.state),
        ("r.request_type", &filter.request_type),
        ("r.category_id", &filter.category_id),
        ("r.area_id", &filter.area_id),
        ("r.assignee_id", &filter.assignee_id),
    ] {
        if let Some(value) = value {
            texts.push(value.clone());
            clauses.push(format!("{column} = ${}", texts.len()));
        }
    }
    if let Some(after) = &filter.after {
        texts.push(after.clone());
        clauses.push(format!("r.id > ${}", texts.len()));
    }
    let offset = texts.len();
    for (condition, value) in [
        ("r.created_at >=", filter.created_from),
        ("r.created_at <=", filter.created_to),
        ("r.updated_at >=", filter.updated_from),
        ("r.updated_at <=", filter.updated_to),
    ] {
        if let Some(value) = value {
            numbers.push(value);
            clauses.push(format!("{condition} ${}", offset + numbers.len()));
        }
    }
    let limit = filter.limit.clamp(1, 200);
    let sql = format!(
        "SELECT r.id, r.account_id, r.radicado, r.request_type, r.category_id, r.state, r.priority, r.tier, r.channel, \
         r.ans_guaranteed, r.area_id, r.assignee_id, r.subject, a.document_type, a.document_number, \
         r.received_at, r.updated_at, r.first_response_due, r.legal_due_date \
         FROM requests r JOIN accounts a ON a.id = r.account_id {} ORDER BY r.id LIMIT {}",
        if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        },
        limit + 1
    );
    let mut query = sqlx::query(&sql);
    for text in &texts {
        query = query.bind(text);
    }
    for number in numbers {
        query = query.bind(number);
    }
    let rows = query.fetch_all(pool).await?;
    let more = rows.len() as i64 > limit;
    let items: Vec<Listed> = rows.iter().take(limit as usize).map(listed).collect();
    let next = if more {
        items.last().map(|item| item.id.clone())
    } else {
        None
    };
    Ok((items, next))
}

/// A row with the columns of [`search`] as a [`Listed`]; the request's own view reads the
/// same columns (`portal::load_detail_listed`), so the API shows one request one way.
pub(crate) fn listed(row: &sqlx::any::AnyRow) -> Listed {
    Listed {
        id: row.get("id"),
        account_id: row.get("account_id"),
        radicado: row.get("radicado"),
        request_type: row.get("request_type"),
        category_id: row.get("category_id"),
        state: row.get("state"),
        priority: row.get("priority"),
        tier: row.get("tier"),
        channel: row.get("channel"),
        ans_guaranteed: row.get::<i64, _>("ans_guaranteed") == 1,
        area_id: row.get("area_id"),
        assignee_id: row.get("assignee_id"),
        subject: row.get("subject"),
        document_type: row.get("document_type"),
        document_number: row.get("document_number"),
        received_at: row.get("received_at"),
        updated_at: row.get("updated_at"),
        first_response_due: row.get("first_response_due"),
        legal_due_date: row.get("legal_due_date"),
    }
}
