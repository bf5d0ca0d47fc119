//! Which requests a staff member may open and act on, as the database asks it
//! (`ventanilla::access` is the rule in words), and the access log of who opened what.
//!
//! Every staff path to a request goes through here: the queues filter with [`condition`],
//! the request page, its files, the live events and every action check [`open`], and the
//! actions check [`require_actor`]. A request out of reach is "not found", exactly as
//! another customer's request is for a customer: radicados are sequential, so a 403 would
//! confirm that the number exists.

use sqlx::Row;
use ventanilla::access::{may_act, Reach};

use crate::accounts::model::SessionUser;
use crate::error::AppError;
use crate::platform::db::new_id;
use crate::state::AppState;

/// The message kinds that show a request went through quality review.
const REVIEW_TRAIL: &str = "('borrador', 'borrador_devuelto', 'borrador_aprobado')";

/// The SQL condition on `requests r` a staff member's reach sets; `me` is the placeholder
/// bound to their user id, referenced by every variant so that the caller binds it whatever
/// the role. A customer's (no reach) is always false.
pub fn condition(user: &SessionUser, me: &str) -> String {
    match Reach::of(user.role) {
        Some(Reach::Every) => format!("{me} IS NOT NULL"),
        Some(Reach::OwnAreas) => format!(
            "(r.area_id IN (SELECT m.area_id FROM area_members m WHERE m.user_id = {me}) \
             OR r.id IN (SELECT ra.request_id FROM request_areas ra \
             JOIN area_members m ON m.area_id = ra.area_id WHERE m.user_id = {me}))"
        ),
        Some(Reach::Reviewed) => format!(
            "(r.state = 'en_revision' OR r.id IN (SELECT rm.request_id FROM request_messages rm \
             WHERE rm.kind IN {REVIEW_TRAIL})) AND {me} IS NOT NULL"
        ),
        None => format!("{me} IS NULL"),
    }
}

/// A request the staff member may open: its id and who holds it.
pub struct Reached {
    pub id: String,
    pub account_id: String,
    pub assignee_id: Option<String>,
    pub assignee: Option<String>,
}

/// The request `radicado` if `user` may open it; `None` when it does not exist or is out of
/// their reach, which the caller shows as "not found".
pub async fn open(
    state: &AppState,
    user: &SessionUser,
    radicado: &str,
) -> Result<Option<Reached>, AppError> {
    let text = format!(
        "SELECT r.id, r.account_id, r.assignee_id, u.full_name FROM requests r \
         LEFT JOIN users u ON u.id = r.assignee_id WHERE r.radicado = $1 AND {}",
        condition(user, "$2")
    );
    Ok(sqlx::query(&text)
        .bind(radicado)
        .bind(&user.id)
        .fetch_optional(&state.pool)
        .await?
        .map(|row| Reached {
            id: row.get("id"),
            account_id: row.get("account_id"),
            assignee_id: row.get("assignee_id"),
            assignee: row.get("full_name"),
        }))
}

/// The request `radicado` if `user` may both open it and act on it: out of reach is "not
/// found"; an asesor on a colleague's request is told to ask the supervisor.
pub async fn require_actor(
    state: &AppState,
    user: &SessionUser,
    radicado: &str,
) -> Result<Reached, AppError> {
    let reached = open(state, user, radicado)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_act(user.role, &user.id, reached.assignee_id.as_deref()) {
        return Err(AppError::Conflict(colleagues_request(
            reached.assignee.as_deref(),
        )));
    }
    Ok(reached)
}

/// Why an asesor cannot act on a request assigned to someone else.
pub fn colleagues_request(assignee: Option<&str>) -> String {
    format!(
        "La solicitud está asignada a {}. Para actuar en ella, pida al supervisor que se la reasigne.",
        assignee.unwrap_or("otro asesor")
    )
}

/// What a staff member did with a request's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access<'a> {
    /// Opened the request's page (thread, internal notes, customer data).
    Opened,
    /// Downloaded one of its files (id, file name).
    Downloaded(&'a str, &'a str),
}

/// Opening the same request again within this many seconds is one access: the live page
/// reloads its data on every change, which is not a new look at it.
const SAME_VISIT_SECS: i64 = 600;

/// Records that `user` reached the data of request `request_id` (Ley 1581 art. 17). Customers
/// reading their own requests are not logged: the log is about who else reached the data.
pub async fn record(
    state: &AppState,
    user: &SessionUser,
    request_id: &str,
    access: Access<'_>,
) -> Result<(), AppError> {
    if !user.role.is_staff() {
        return Ok(());
    }
    let now = chrono::Utc::now().timestamp();
    let (attachment, what) = match access {
        Access::Opened => {
            let recent = sqlx::query(
                "SELECT 1 FROM access_log WHERE request_id = $1 AND user_id = $2 \
                 AND what = 'abrio' AND occurred_at > $3 LIMIT 1",
            )
            .bind(request_id)
            .bind(&user.id)
            .bind(now - SAME_VISIT_SECS)
            .fetch_optional(&state.pool)
            .await?;
            if recent.is_some() {
                return Ok(());
            }
            (None, "abrio".to_string())
        }
        Access::Downloaded(id, name) => (Some(id), format!("descargo:{name}")),
    };
    sqlx::query(
        "INSERT INTO access_log (id, occurred_at, user_id, user_label, role, request_id, attachment_id, what) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(now)
    .bind(&user.id)
    .bind(&user.full_name)
    .bind(user.role.code())
    .bind(request_id)
    .bind(attachment)
    .bind(what)
    .execute(&state.pool)
    .await?;
    Ok(())
}

/// One line of a request's access log, newest first.
pub async fn log_of(
    state: &AppState,
    request_id: &str,
) -> Result<Vec<crate::requests::model::AccessEntry>, AppError> {
    Ok(sqlx::query(
        "SELECT occurred_at, user_label, role, what FROM access_log WHERE request_id = $1 \
         ORDER BY occurred_at DESC, id DESC LIMIT 200",
    )
    .bind(request_id)
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|row| {
        let what: String = row.get("what");
        let role: String = row.get("role");
        crate::requests::model::AccessEntry {
            at: crate::timers::local_time(row.get("occurred_at")),
            who: row.get("user_label"),
            role: ventanilla::role::Role::from_code(&role)
                .map(|r| r.label_es().to_string())
                .unwrap_or(role),
            what: match what.strip_prefix("descargo:") {
                Some(file) => format!("Descargó «{file}»"),
                None => "Abrió la solicitud".into(),
            },
        }
    })
    .collect())
}
