//! Applies a lifecycle transition from the domain to a stored request: the state, the pauses
//! of both clocks, the first-response and answer instants, the automatic-close instant, and
//! the audit event — inside the caller's transaction. Every action on a request (customer,
//! agent or worker) goes through here, so the clocks cannot drift from the state.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;
use ventanilla::legal::RequestType;
use ventanilla::lifecycle::{transition, Action, ClockEffect, RequestState};
use ventanilla::role::Role;

use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::new_id;
use crate::state::AppState;

/// The stored facts a transition needs.
pub struct Current {
    pub id: String,
    pub state: RequestState,
    pub request_type: RequestType,
    /// The ANS version it was filed under: its automatic-close days apply.
    pub ans_version: i64,
}

/// Reads the request for a change, locking it first: the no-op update takes the row lock on
/// PostgreSQL, so a second instance acting on the same request waits and then reads the state
/// the first one committed.
pub async fn load(tx: &mut crate::platform::db::Tx, request_id: &str) -> Result<Current, AppError> {
    sqlx::query("UPDATE requests SET updated_at = updated_at WHERE id = $1")
        .bind(request_id)
        .execute(&mut **tx)
        .await?;
    let row =
        sqlx::query("SELECT id, state, request_type, ans_version FROM requests WHERE id = $1")
            .bind(request_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let state =
        RequestState::from_code(&row.get::<String, _>("state")).ok_or(AppError::Internal)?;
    let request_type =
        RequestType::from_code(&row.get::<String, _>("request_type")).ok_or(AppError::Internal)?;
    Ok(Current {
        id: row.get("id"),
        state,
        request_type,
        ans_version: row.get("ans_version"),
    })
}

/// Moves the request and writes what the move means. The update is conditional on the state
/// read, so two people (or two server instances) acting at once cannot both win: the loser
/// gets a clear message and nothing is written.
pub async fn apply(
    tx: &mut crate::platform::db::Tx,
    state: &AppState,
    current: &Current,
    action: Action,
    role: Role,
    actor: &Actor<'_>,
    at: DateTime<Utc>,
) -> Result<RequestState, AppError> {
    let moved = transition(current.state, action, role, current.request_type)
        .map_err(|e| AppError::Conflict(e.to_string()))?;
    let now = at.timestamp();
    let auto_close_at = if moved.to == RequestState::Respondida {
        let version =
            crate::ans::server::versions::by_number(tx, &state.ans, current.ans_version).await?;
        let policy = ventanilla::lifecycle::AutoClosePolicy {
            days: version.settings.auto_close_days,
            ..state.config.auto_close
        };
        let calendar = crate::timers::calendar_of(&version.settings.business_hours);
        Some(policy.closes_at(&calendar, at).timestamp())
    } else {
        None
    };
    let changed = sqlx::query(
        "UPDATE requests SET state = $1, updated_at = $2, \
         answered_at = CASE WHEN $3 = 1 THEN $2 ELSE answered_at END, \
         auto_close_at = $4, \
         closed_at = CASE WHEN $5 = 1 THEN $2 ELSE closed_at END, \
         first_response_at = CASE WHEN $6 = 1 AND first_response_at IS NULL THEN $2 ELSE first_response_at END \
         WHERE id = $7 AND state = $8",
    )
    .bind(moved.to.code())
    .bind(now)
    .bind(i64::from(moved.to == RequestState::Respondida))
    .bind(auto_close_at)
    .bind(i64::from(moved.to == RequestState::Cerrada))
    .bind(i64::from(moved.first_response == ClockEffect::Stop))
    .bind(&current.id)
    .bind(current.state.code())
    .execute(&mut **tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "La solicitud cambió mientras usted actuaba. Recargue la página e intente de nuevo."
                .into(),
        ));
    }
    // Both clocks pause and resume together (Ley 1755 art. 17): one pause row serves both.
    if moved.legal_term == ClockEffect::Pause || moved.first_response == ClockEffect::Pause {
        sqlx::query("INSERT INTO request_pauses (id, request_id, started_at) VALUES ($1, $2, $3)")
            .bind(new_id())
            .bind(&current.id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    if moved.legal_term == ClockEffect::Resume
        || moved.first_response == ClockEffect::Resume
        || moved.to == RequestState::Cerrada
    {
        sqlx::query(
            "UPDATE request_pauses SET ended_at = $1 WHERE request_id = $2 AND ended_at IS NULL",
        )
        .bind(now)
        .bind(&current.id)
        .execute(&mut **tx)
        .await?;
    }
    // Pauses, resumes, the first response and the answer all move the queues' instants.
    crate::requests::server::clocks::refresh(tx, &current.id).await?;
    audit::record(
        tx,
        actor,
        "estado_cambiado",
        "request",
        &current.id,
        json!({ "from": current.state.code(), "to": moved.to.code(), "action": action.code() }),
    )
    .await?;
    Ok(moved.to)
}
