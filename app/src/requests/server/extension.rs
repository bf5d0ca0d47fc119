//! The prórroga: the one extension of the legal term Ley 1755 de 2015 art. 14 parágrafo
//! allows — declared before the term expires, with the reasons for the delay and a new date
//! at most twice the initial term, and told to the customer. The rule itself lives in the
//! domain ([`LegalTerm::declare_extension`]); this module stores it, and rebuilds the legal
//! term of a stored request with its extension so every clock reads the due date in force.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::Row;
use ventanilla::calendar::Pause;
use ventanilla::legal::{Extension, ExtensionBasis, LegalTerm, RequestType};
use ventanilla::lifecycle::RequestState;
use ventanilla::role::Role;

use crate::error::AppError;
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::platform::db::new_id;
use crate::platform::outbox;
use crate::requests::server::lifecycle;
use crate::state::AppState;
use crate::{accounts::model::SessionUser, requests::model::ExtensionOffer};

/// The columns a query must select (as `r.*` or by name) for [`stored_term`].
pub const COLUMNS: &str =
    "r.extension_declared_at, r.extension_reason, r.extension_days, r.extension_basis";

/// The legal term of a stored request, with its prórroga when one was declared; `None` for
/// types without a legal term (felicitación).
pub fn stored_term(
    row: &sqlx::any::AnyRow,
    request_type: RequestType,
    received: DateTime<Utc>,
) -> Option<LegalTerm> {
    term_with(request_type, received, stored_extension(row))
}

/// The legal term of a request received at `received`, with `extension` when it has one.
pub fn term_with(
    request_type: RequestType,
    received: DateTime<Utc>,
    extension: Option<Extension>,
) -> Option<LegalTerm> {
    let mut term = LegalTerm::for_request(request_type, received)?;
    term.extension = extension;
    Some(term)
}

/// The prórroga stored with a request row ([`COLUMNS`]), when one was declared.
pub fn stored_extension(row: &sqlx::any::AnyRow) -> Option<Extension> {
    let declared_at: Option<i64> = row.try_get("extension_declared_at").ok().flatten();
    let days: Option<i64> = row.try_get("extension_days").ok().flatten();
    let basis: Option<String> = row.try_get("extension_basis").ok().flatten();
    let (Some(declared_at), Some(days), Some(basis)) = (declared_at, days, basis) else {
        return None;
    };
    Some(Extension {
        declared_at: DateTime::from_timestamp(declared_at, 0).unwrap_or_default(),
        reason: row
            .try_get::<Option<String>, _>("extension_reason")
            .ok()
            .flatten()
            .unwrap_or_default(),
        business_days: u32::try_from(days).unwrap_or(0),
        basis: ExtensionBasis::from_code(&basis).unwrap_or(ExtensionBasis::FromReceipt),
    })
}

/// Who may declare it: the agent who has the request, or a supervisor. The prórroga speaks
/// for the organization to the customer, so nobody else's signature goes on it.
fn may_declare(user: &SessionUser, assignee_id: Option<&str>) -> bool {
    match user.role {
        Role::Supervisor => true,
        Role::Asesor => assignee_id == Some(user.id.as_str()),
        _ => false,
    }
}

/// What the request page offers for a prórroga; `None` when `user` may not declare one now.
pub fn offer(
    user: &SessionUser,
    assignee_id: Option<&str>,
    current: RequestState,
    term: Option<&LegalTerm>,
    policy: ventanilla::legal::ExtensionPolicy,
) -> Option<ExtensionOffer> {
    let term = term?;
    let open = current.is_open() && current != RequestState::Respondida;
    if !open || term.extension.is_some() || !may_declare(user, assignee_id) {
        return None;
    }
    let (min_days, hint) = match policy.basis {
        ExtensionBasis::FromReceipt => (
            term.initial_days + 1,
            "días hábiles en total, contados desde la radicación",
        ),
        ExtensionBasis::FromFirstDue => {
            (1, "días hábiles más, contados desde el primer vencimiento")
        }
    };
    Some(ExtensionOffer {
        min_days,
        max_days: term.initial_days * 2,
        hint: hint.to_string(),
    })
}

async fn pauses(
    tx: &mut crate::platform::db::Tx,
    request_id: &str,
) -> Result<Vec<Pause>, AppError> {
    let at = |epoch: i64| DateTime::from_timestamp(epoch, 0).unwrap_or_default();
    Ok(
        sqlx::query("SELECT started_at, ended_at FROM request_pauses WHERE request_id = $1")
            .bind(request_id)
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|p| Pause {
                start: at(p.get("started_at")),
                end: p
                    .get::<Option<i64>, _>("ended_at")
                    .map(at)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC),
            })
            .collect(),
    )
}

/// Declares the prórroga of the request at `now` and returns the new due date. The customer
/// is told in the thread, by e-mail and by WhatsApp, with the new date and the reasons; on any
/// refusal nothing changes.
pub async fn declare(
    state: &AppState,
    user: &SessionUser,
    radicado: &str,
    reason: &str,
    business_days: &str,
    now: DateTime<Utc>,
) -> Result<NaiveDate, AppError> {
    if !matches!(user.role, Role::Asesor | Role::Supervisor) {
        return Err(AppError::Forbidden);
    }
    let found = sqlx::query(
        "SELECT r.id, r.account_id, r.assignee_id, r.subject, u.email, u.phone FROM requests r \
         JOIN users u ON u.account_id = r.account_id WHERE r.radicado = $1 ORDER BY u.created_at LIMIT 1",
    )
    .bind(radicado)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if !may_declare(
        user,
        found.get::<Option<String>, _>("assignee_id").as_deref(),
    ) {
        return Err(AppError::Forbidden);
    }
    let reason =
        ventanilla::text::free_text("Motivos", reason, 1000).map_err(AppError::validation)?;
    let reason = reason.as_str();
    let days: u32 = business_days
        .trim()
        .parse()
        .map_err(|_| AppError::validation("Indique el nuevo plazo en días hábiles (un número)."))?;
    let request_id: String = found.get("id");

    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let current = lifecycle::load(&mut tx, &request_id).await?;
    if !current.state.is_open() || current.state == RequestState::Respondida {
        return Err(AppError::Conflict(
            "La solicitud ya fue respondida; la prórroga solo procede antes de responder.".into(),
        ));
    }
    let row = sqlx::query(&format!(
        "SELECT r.received_at, r.legal_due_date, r.ans_version, {COLUMNS} FROM requests r WHERE r.id = $1"
    ))
    .bind(&request_id)
    .fetch_one(&mut *tx)
    .await?;
    let received = DateTime::from_timestamp(row.get("received_at"), 0).unwrap_or_default();
    let mut term = stored_term(&row, current.request_type, received).ok_or_else(|| {
        AppError::validation("Una felicitación no tiene término legal que prorrogar.")
    })?;
    let pauses = pauses(&mut tx, &request_id).await?;
    // Counted on the business hours of the request's ANS version, like its other clocks.
    let hours = crate::requests::server::clocks::hours_of_versions(
        &mut *tx,
        [row.get::<i64, _>("ans_version")],
    )
    .await?
    .into_values()
    .next()
    .unwrap_or_default();
    let calendar = &*crate::timers::calendar_of(&hours);
    let before = term.due(calendar, &pauses);
    let due = term
        .declare_extension(calendar, &pauses, state.config.extension, now, reason, days)
        .map_err(|e| AppError::validation(e.to_string()))?;
    let extension = term.extension.as_ref().ok_or(AppError::Internal)?;
    let at = now.timestamp();
    sqlx::query(
        "UPDATE requests SET extension_declared_at = $1, extension_reason = $2, extension_days = $3, \
         extension_basis = $4, legal_due_date = $5, updated_at = $1 WHERE id = $6",
    )
    .bind(at)
    .bind(&extension.reason)
    .bind(i64::from(extension.business_days))
    .bind(extension.basis.code())
    .bind(due.format("%Y-%m-%d").to_string())
    .bind(&request_id)
    .execute(&mut *tx)
    .await?;
    // The legal due moved, and with it when the request turns "por vencer" and "vencida".
    crate::requests::server::clocks::refresh(&mut tx, &request_id).await?;
    let new_date = due.format("%d/%m/%Y").to_string();
    let body = format!(
        "Prórroga del término de respuesta (Ley 1755 de 2015, art. 14 parágrafo). \
         No nos es posible responder su solicitud dentro del término inicial, que vencía el {}. \
         Motivos: {}. Le daremos respuesta a más tardar el {new_date}.",
        before.format("%d/%m/%Y"),
        extension.reason
    );
    sqlx::query(
        "INSERT INTO request_messages (id, request_id, author_user_id, author_label, from_customer, visibility, kind, body, created_at) \
         VALUES ($1, $2, $3, $4, 0, 'publica', 'prorroga', $5, $6)",
    )
    .bind(new_id())
    .bind(&request_id)
    .bind(&user.id)
    .bind(&user.full_name)
    .bind(&body)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "prorroga_declarada",
        "request",
        &request_id,
        json!({
            "from": before.format("%Y-%m-%d").to_string(),
            "to": due.format("%Y-%m-%d").to_string(),
            "days": extension.business_days,
            "basis": extension.basis.code(),
            "reason": extension.reason,
        }),
    )
    .await?;
    let payload = json!({
        "radicado": radicado,
        "subject": found.get::<String, _>("subject"),
        "due": new_date,
        "reason": extension.reason,
    });
    outbox::enqueue(
        &mut tx,
        "email",
        &found.get::<String, _>("email"),
        "prorroga",
        payload.clone(),
    )
    .await?;
    let phone: String = found.get("phone");
    if !phone.is_empty() {
        outbox::enqueue(&mut tx, "whatsapp", &phone, "prorroga", payload).await?;
    }
    tx.commit().await?;
    state
        .live
        .publish(
            Scope::request(radicado, &found.get::<String, _>("account_id")),
            LiveChange::Prorroga,
        )
        .await;
    Ok(due)
}
