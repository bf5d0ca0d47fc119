//! One request as its reader sees it — the customer's page, the agent's, the API's answer —
//! composed from the stored row, the pauses and the thread by one pure function,
//! [`compose`]. Reading is [`portal::load_detail_listed`](crate::requests::server::service::load_detail_listed);
//! a filing through the API answers 201 with this same view, and composing it from what the
//! filing has just written ([`Written`]) spares two reads per filing (REST API requirement: "Target
//! on SQLite: at least 1,400 creations per second"). The API's integration test holds that
//! answer equal to a later GET, so the two sources cannot drift.

use chrono::{DateTime, Utc};
use sqlx::Row;
use ventanilla::attachment::AttachmentKind;
use ventanilla::calendar::{BusinessCalendar, Pause};
use ventanilla::legal::{Extension, LegalTerm, RequestType};
use ventanilla::lifecycle::RequestState;
use ventanilla::sla::{Clock, ClockPolicy};

use crate::error::AppError;
use crate::requests::model::{AttachmentView, ClockView, MessageView, RequestDetail};
use crate::requests::server::filing::Listed;
use crate::timers::instant;
use crate::timers::local_time;

/// What of a request row its views show, besides the codes and instants of [`Listed`].
#[derive(Debug, Clone)]
pub struct StoredRequest {
    pub listed: Listed,
    pub category_name: Option<String>,
    pub related_radicado: Option<String>,
    /// One link per line.
    pub links: String,
    /// The request's ANS version's first-response hours (`requests.first_response_hours`).
    pub first_response_hours: Option<u32>,
    pub first_response_at: Option<i64>,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub extension: Option<Extension>,
    /// How many times the clocks waited on the customer; the pauses are read only if any.
    pub pause_count: i64,
    /// The business hours of the request's ANS version, which its clocks count on.
    pub business_hours: ventanilla::ans::BusinessHours,
    /// Its version's first-contact hours (seed 002 §4), when measured.
    pub first_contact_hours: Option<u32>,
}

impl StoredRequest {
    /// From a row with `r.*` of `requests`, the category's name as `category_name`, the
    /// related request's radicado as `related_radicado`, the account's document and
    /// `pause_count` and its ANS version's settings as `ans_settings` (the query of
    /// `portal::load_detail_listed`).
    pub fn from_row(row: &sqlx::any::AnyRow) -> Self {
        Self {
            listed: crate::requests::server::filing::listed(row),
            category_name: row.get("category_name"),
            related_radicado: row.get("related_radicado"),
            links: row.get("links"),
            first_response_hours: row
                .get::<Option<i64>, _>("first_response_hours")
                .and_then(|hours| u32::try_from(hours).ok()),
            first_response_at: row.get("first_response_at"),
            answered_at: row.get("answered_at"),
            closed_at: row.get("closed_at"),
            extension: crate::requests::server::extension::stored_extension(row),
            pause_count: row.get("pause_count"),
            business_hours: crate::requests::server::clocks::business_hours_in(
                row.get::<Option<String>, _>("ans_settings").as_deref(),
            ),
            first_contact_hours: row
                .get::<Option<i64>, _>("first_contact_hours")
                .and_then(|hours| u32::try_from(hours).ok()),
        }
    }
}

/// A request as its filing wrote it: the columns, and the thread of its one message.
pub struct Written {
    pub stored: StoredRequest,
    pub thread: Vec<MessageView>,
}

impl Written {
    /// The request's view at `now`, as reading it back would compose it.
    pub fn compose(self, now: DateTime<Utc>) -> Result<(RequestDetail, Listed), AppError> {
        compose(self.stored, &[], self.thread, now)
    }
}

/// The detail and the list entry of `stored` at `now`, with `pauses` (all of them; empty
/// when `pause_count` is 0) and `messages` (the thread as the reader may see it). History and
/// the survey link depend on who reads and are left empty for the caller.
pub fn compose(
    stored: StoredRequest,
    pauses: &[Pause],
    messages: Vec<MessageView>,
    now: DateTime<Utc>,
) -> Result<(RequestDetail, Listed), AppError> {
    let sla_hours = stored.first_response_hours;
    let listed = stored.listed;
    let current = RequestState::from_code(&listed.state).ok_or(AppError::Internal)?;
    let request_type = RequestType::from_code(&listed.request_type).ok_or(AppError::Internal)?;
    let calendar = &*crate::timers::calendar_of(&stored.business_hours);
    let received = instant(listed.received_at);
    let paused = current.clocks_paused();
    let view = |label: &str, clock: Clock<'_>| {
        let reading = ClockPolicy::default().read(calendar, &clock, now);
        clock_view(label, reading)
    };
    // The stored due ignores pauses; time waiting on the customer pushes it later.
    let sla_hours = sla_hours.filter(|_| listed.ans_guaranteed);
    let first_response = sla_hours.map(|hours| {
        view(
            "Primera respuesta",
            Clock {
                start: calendar.deemed_receipt(received),
                due: calendar.add_business_minutes(received, i64::from(hours) * 60, pauses),
                pauses,
                paused,
                met_at: stored.first_response_at.map(instant),
            },
        )
    });
    let term =
        crate::requests::server::extension::term_with(request_type, received, stored.extension);
    let extension = term.as_ref().and_then(|t| t.extension.as_ref()).map(|e| {
        format!(
            "Término prorrogado el {} hasta el {}. Motivos: {}",
            local_time(e.declared_at.timestamp()),
            legal_due_text(term.as_ref(), calendar, pauses),
            e.reason
        )
    });
    let legal_term = term.map(|term| {
        let met_at = stored.answered_at.or(stored.closed_at).map(instant);
        view(
            "Respuesta de fondo (término legal)",
            term.clock(calendar, pauses, paused, met_at),
        )
    });
    // Seed 002 §4: counted in calendar hours from receipt, met by the first public contact.
    let first_contact = stored.first_contact_hours.map(|hours| {
        let clock = Clock {
            start: received,
            due: received + chrono::Duration::hours(i64::from(hours)),
            pauses: &[],
            paused: false,
            met_at: stored.first_response_at.map(instant),
        };
        clock_view(
            "Primer contacto",
            ClockPolicy::default().read_calendar_time(&clock, now),
        )
    });
    let pending_question = (current == RequestState::PendienteCliente)
        .then(|| {
            messages
                .iter()
                .rev()
                .find(|m| m.kind == "solicitud_informacion")
                .map(|m| m.body.clone())
        })
        .flatten();
    let detail = RequestDetail {
        radicado: listed.radicado.clone(),
        request_type: request_type.label_es().into(),
        category: stored.category_name,
        subject: listed.subject.clone(),
        priority: ventanilla::sla::Priority::from_code(&listed.priority)
            .map(|p| p.label_es().to_string())
            .unwrap_or_default(),
        state: current.label_es().into(),
        state_code: current.code().into(),
        ans_guaranteed: listed.ans_guaranteed,
        received_at: local_time(listed.received_at),
        first_response,
        legal_term,
        first_contact,
        links: stored.links.lines().map(str::to_string).collect(),
        messages,
        history: Vec::new(),
        can_reply: current.is_open(),
        can_close: current.is_open(),
        pending_question,
        related: stored.related_radicado,
        next_step: crate::requests::server::filing::next_step(current).to_string(),
        survey_url: None,
        extension,
    };
    Ok((detail, listed))
}

fn clock_view(label: &str, reading: ventanilla::sla::ClockReading) -> ClockView {
    ClockView {
        label: label.to_string(),
        due: local_time(reading.due.timestamp()),
        due_rfc3339: reading
            .due
            .with_timezone(&ventanilla::calendar::bogota())
            .to_rfc3339(),
        status_code: reading.status.code().to_string(),
        status: reading.status.label_es().to_string(),
    }
}

/// The thread from rows of messages left-joined to their files, ordered by message and then
/// file id (`portal::load_detail_listed`): a message with no file comes once with empty
/// attachment columns, one with several comes once per file.
pub fn thread(rows: &[sqlx::any::AnyRow]) -> Vec<MessageView> {
    let mut messages: Vec<MessageView> = Vec::new();
    let mut last_id = None::<String>;
    for m in rows {
        let id: String = m.get("id");
        if last_id.as_deref() != Some(id.as_str()) {
            messages.push(MessageView {
                author: m.get("author_label"),
                from_customer: m.get::<i64, _>("from_customer") == 1,
                internal: m.get::<String, _>("visibility") == "interna",
                kind: m.get("kind"),
                body: m.get("body"),
                created_at: local_time(m.get("created_at")),
                attachments: Vec::new(),
            });
            last_id = Some(id);
        }
        if let (Some(attachment_id), Some(message)) = (
            m.get::<Option<String>, _>("attachment_id"),
            messages.last_mut(),
        ) {
            message.attachments.push(attachment(
                attachment_id,
                m.get("file_name"),
                &m.get::<String, _>("attachment_kind"),
                m.get("size_bytes"),
            ));
        }
    }
    messages
}

/// A file of the thread as it is listed under its message.
pub fn attachment(id: String, file_name: String, kind: &str, size_bytes: i64) -> AttachmentView {
    AttachmentView {
        id,
        file_name,
        kind: AttachmentKind::from_code(kind)
            .map(|k| k.label_es().to_string())
            .unwrap_or_default(),
        size: human_size(size_bytes),
    }
}

/// The legal due date in force, as the customer reads it.
fn legal_due_text(
    term: Option<&LegalTerm>,
    calendar: &BusinessCalendar,
    pauses: &[Pause],
) -> String {
    term.map(|t| t.due(calendar, pauses).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn human_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}
