//! The service line's calls through the API (issue 20): the switchboard or the call-centre
//! tool sends each call as it ends, `POST /api/v1/calls` with the scope `calls:write`. The
//! record is checked by the same rule as the CDR import of the staff pages
//! ([`record::check`]); the switchboard's id (`external_id`) makes the call safe to retry: a
//! call already stored answers 200 with the stored record and changes nothing.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use ventanilla_app::accounts::server::api_keys::CALLS_WRITE;
use ventanilla_app::calls::server::record::{self, CallCells, Recorded, StoredCall};
use ventanilla_app::state::AppState;

use super::auth::authorize;
use super::problem::{FieldError, ProblemBody, PROBLEM_JSON};
use super::requests::parse;
use super::Problem;

const PROBLEMS: &str = PROBLEM_JSON;

/// One call as the switchboard records it. `started_at` and `outcome` are required.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallIn {
    /// The switchboard's own id of the call (Asterisk's `uniqueid`). Recommended: a call sent
    /// again with the same id is not counted twice.
    #[schema(example = "1762175700.42")]
    pub external_id: Option<String>,
    /// When the call started: RFC 3339 with its offset, or Colombian wall-clock time as
    /// `AAAA-MM-DD HH:MM[:SS]`. Not in the future.
    #[schema(example = "2026-11-03T08:15:00-05:00")]
    pub started_at: Option<String>,
    /// `atendida` or `abandonada` (the switchboard's words are understood too: ANSWERED,
    /// NO ANSWER, BUSY, FAILED).
    #[schema(example = "atendida")]
    pub outcome: Option<String>,
    /// Seconds waiting before an agent took it, or before the caller hung up (at most a day).
    pub wait_seconds: Option<i64>,
    /// Seconds of conversation (at most a day).
    pub duration_seconds: Option<i64>,
    /// The caller's number.
    pub caller: Option<String>,
    /// The agent's e-mail in Ventanilla (the call counts as theirs), or the extension or name
    /// the switchboard knows.
    pub agent: Option<String>,
    /// The request the call was about.
    #[schema(example = "2026-000123")]
    pub radicado: Option<String>,
}

/// A stored call.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallOut {
    pub id: String,
    pub external_id: Option<String>,
    /// RFC 3339, Colombian time.
    pub started_at: String,
    /// `atendida` or `abandonada`.
    pub outcome: String,
    pub wait_seconds: Option<i64>,
    pub duration_seconds: Option<i64>,
    pub caller: String,
    /// The staff member's e-mail, or what the switchboard wrote.
    pub agent: String,
    pub radicado: Option<String>,
    /// True when this call was already stored (same `external_id`) and nothing changed.
    pub already_recorded: bool,
}

fn out(call: StoredCall, already_recorded: bool) -> CallOut {
    CallOut {
        id: call.id,
        external_id: call.external_id,
        started_at: chrono::DateTime::from_timestamp(call.started_at, 0)
            .map(|d| d.with_timezone(&ventanilla::bogota()).to_rfc3339())
            .unwrap_or_default(),
        outcome: call.outcome.code().to_string(),
        wait_seconds: call.wait_seconds,
        duration_seconds: call.duration_seconds,
        caller: call.caller,
        agent: call.agent,
        radicado: call.radicado,
        already_recorded,
    }
}

fn cells(input: CallIn) -> CallCells {
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    CallCells {
        external_id: input.external_id.unwrap_or_default(),
        started_at: input.started_at.unwrap_or_default(),
        outcome: input.outcome.unwrap_or_default(),
        wait_seconds: number(input.wait_seconds),
        duration_seconds: number(input.duration_seconds),
        caller: input.caller.unwrap_or_default(),
        agent: input.agent.unwrap_or_default(),
        radicado: input.radicado.unwrap_or_default(),
    }
}

/// Records one call of the service line. It counts in the indicator «Atención oportuna de
/// llamadas» (attended ÷ received) of the period it started in.
#[utoipa::path(post, path = "/api/v1/calls", tag = "Llamadas",
    security(("llave" = [])),
    request_body(content = CallIn, content_type = "application/json"),
    responses(
        (status = 201, description = "Registrada", body = CallOut),
        (status = 200, description = "Ya estaba registrada con el mismo external_id; no cambió nada", body = CallOut),
        (status = 400, description = "Cuerpo ilegible", body = ProblemBody, content_type = PROBLEMS),
        (status = 403, description = "La llave no tiene calls:write", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Datos inválidos: cada campo con su error", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    match run(&state, &headers, &body).await {
        Ok((status, call)) => (status, Json(call)).into_response(),
        Err(problem) => problem.into_response(),
    }
}

async fn run(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(StatusCode, CallOut), Problem> {
    let key = authorize(state, headers, CALLS_WRITE).await?;
    let input: CallIn = parse(body)?;
    let recorded = record::record_one(&state.pool, &key.actor(), &cells(input)).await?;
    match recorded {
        Ok(Recorded::New(id)) => Ok((
            StatusCode::CREATED,
            out(record::stored(&state.pool, &id).await?, false),
        )),
        Ok(Recorded::Already(id)) => Ok((
            StatusCode::OK,
            out(record::stored(&state.pool, &id).await?, true),
        )),
        Err(problems) => {
            let detail = problems
                .iter()
                .map(|(_, message)| message.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let mut problem = Problem::new("datos-invalidos", detail);
            problem.errors = problems
                .into_iter()
                .map(|(field, message)| FieldError {
                    pointer: format!("/{}", field.json_name()),
                    detail: message,
                    row: None,
                    column: None,
                })
                .collect();
            Err(problem)
        }
    }
}
