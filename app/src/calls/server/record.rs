//! One call record, checked and stored: the rule both ways in share (the CDR import and
//! `POST /api/v1/calls`), so a record refused by one is refused by the other with the same
//! words.
//!
//! A record names when the call started and what became of it (seed 001 §5.3 counts
//! received and attended calls); the wait, the duration, the caller's number, the agent and
//! the request it was about are optional. An agent given by e-mail must be a staff member of
//! Ventanilla (the call then counts as theirs); any other text is kept as the PBX wrote it (an
//! extension, a name). A radicado must exist. The switchboard's own id makes the record
//! idempotent: the same call sent twice is stored once.

use serde_json::json;
use sqlx::Row;
use ventanilla::calls::{parse_seconds, parse_start, CallOutcome};
use ventanilla::role::Role;

use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, now, Tx};

/// A record as it arrives, every field as text: a CSV cell, or a JSON value written out.
/// Empty means absent.
#[derive(Debug, Clone, Default)]
pub struct CallCells {
    pub external_id: String,
    pub started_at: String,
    pub outcome: String,
    pub wait_seconds: String,
    pub duration_seconds: String,
    pub caller: String,
    pub agent: String,
    pub radicado: String,
}

/// Which field of a record a problem is in: the import's field codes, the API's JSON names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallField {
    ExternalId,
    StartedAt,
    Outcome,
    WaitSeconds,
    DurationSeconds,
    Caller,
    Agent,
    Radicado,
}

impl CallField {
    /// The import's field code.
    pub fn code(self) -> &'static str {
        match self {
            CallField::ExternalId => "id_llamada",
            CallField::StartedAt => "fecha_hora",
            CallField::Outcome => "resultado",
            CallField::WaitSeconds => "espera",
            CallField::DurationSeconds => "duracion",
            CallField::Caller => "telefono",
            CallField::Agent => "agente",
            CallField::Radicado => "radicado",
        }
    }

    /// The API body's field.
    pub fn json_name(self) -> &'static str {
        match self {
            CallField::ExternalId => "external_id",
            CallField::StartedAt => "started_at",
            CallField::Outcome => "outcome",
            CallField::WaitSeconds => "wait_seconds",
            CallField::DurationSeconds => "duration_seconds",
            CallField::Caller => "caller",
            CallField::Agent => "agent",
            CallField::Radicado => "radicado",
        }
    }
}

/// A problem with one field of a record, in Spanish.
pub type CallProblem = (CallField, String);

/// Who the record says took the call.
#[derive(Debug, Clone, PartialEq)]
enum AgentRef {
    None,
    /// An e-mail: a staff member of Ventanilla.
    Staff(String),
    /// What the PBX wrote: an extension, a name.
    Named(String),
}

/// A record whose fields read right; the agent and the radicado are looked up when stored.
#[derive(Debug, Clone)]
pub struct CheckedCall {
    pub external_id: Option<String>,
    pub started_at: i64,
    pub outcome: CallOutcome,
    pub wait_seconds: Option<i64>,
    pub duration_seconds: Option<i64>,
    pub caller: String,
    agent: AgentRef,
    pub radicado: Option<String>,
}

/// Checks every field of `cells` as of `now`; all the problems at once.
pub fn check(cells: &CallCells, now: i64) -> Result<CheckedCall, Vec<CallProblem>> {
    let mut problems: Vec<CallProblem> = Vec::new();
    let mut text = |field: CallField, label: &str, value: &str, max: usize| -> String {
        match ventanilla::text::free_text(label, value, max) {
            Ok(value) => value,
            Err(message) => {
                problems.push((field, message));
                String::new()
            }
        }
    };
    let external_id = text(
        CallField::ExternalId,
        "Id de la llamada",
        &cells.external_id,
        100,
    );
    let caller = text(CallField::Caller, "Teléfono", &cells.caller, 30);
    let agent_text = text(CallField::Agent, "Agente", &cells.agent, 120);
    let radicado = text(CallField::Radicado, "Radicado", &cells.radicado, 20);
    let started_at = match parse_start(&cells.started_at, now) {
        Ok(at) => Some(at),
        Err(message) => {
            problems.push((CallField::StartedAt, message));
            None
        }
    };
    let outcome_text = cells.outcome.trim();
    let outcome = if outcome_text.is_empty() {
        problems.push((
            CallField::Outcome,
            "Resultado: está vacío; escriba Atendida o Abandonada.".into(),
        ));
        None
    } else {
        let outcome = CallOutcome::parse(outcome_text);
        if outcome.is_none() {
            problems.push((
                CallField::Outcome,
                format!("Resultado: «{outcome_text}» no es Atendida ni Abandonada."),
            ));
        }
        outcome
    };
    let mut seconds = |field: CallField, label: &str, value: &str| -> Option<i64> {
        if value.trim().is_empty() {
            return None;
        }
        match parse_seconds(label, value) {
            Ok(seconds) => Some(seconds),
            Err(message) => {
                problems.push((field, message));
                None
            }
        }
    };
    let wait_seconds = seconds(CallField::WaitSeconds, "Espera", &cells.wait_seconds);
    let duration_seconds = seconds(
        CallField::DurationSeconds,
        "Duración",
        &cells.duration_seconds,
    );
    let agent = if agent_text.is_empty() {
        AgentRef::None
    } else if agent_text.contains('@') {
        AgentRef::Staff(agent_text.to_lowercase())
    } else {
        AgentRef::Named(agent_text)
    };
    match (started_at, outcome) {
        (Some(started_at), Some(outcome)) if problems.is_empty() => Ok(CheckedCall {
            external_id: (!external_id.is_empty()).then_some(external_id),
            started_at,
            outcome,
            wait_seconds,
            duration_seconds,
            caller,
            agent,
            radicado: (!radicado.is_empty()).then_some(radicado),
        }),
        _ => Err(problems),
    }
}

/// A checked record with its agent and request found: ready to insert.
#[derive(Debug, Clone)]
pub struct ResolvedCall {
    pub call: CheckedCall,
    agent_id: Option<String>,
    agent_name: String,
    request_id: Option<String>,
    /// The id of the call already stored under the same switchboard id.
    pub existing_id: Option<String>,
}

/// Looks up the agent, the request and an earlier record of the same call, inside `tx`.
/// The outer `Err` is the database failing; the inner one, the record's problems.
pub async fn resolve(
    tx: &mut Tx,
    call: CheckedCall,
) -> Result<Result<ResolvedCall, Vec<CallProblem>>, sqlx::Error> {
    let mut problems: Vec<CallProblem> = Vec::new();
    let (agent_id, agent_name) = match &call.agent {
        AgentRef::None => (None, String::new()),
        AgentRef::Named(name) => (None, name.clone()),
        AgentRef::Staff(email) => {
            let row = sqlx::query("SELECT id, role FROM users WHERE email = $1")
                .bind(email)
                .fetch_optional(&mut **tx)
                .await?;
            let staff = row.filter(|row| {
                Role::from_code(&row.get::<String, _>("role")).is_some_and(|r| r.is_staff())
            });
            match staff {
                Some(row) => (Some(row.get::<String, _>("id")), email.clone()),
                None => {
                    problems.push((
                        CallField::Agent,
                        format!("Agente: ningún miembro del equipo tiene el correo «{email}»."),
                    ));
                    (None, String::new())
                }
            }
        }
    };
    let request_id = match &call.radicado {
        None => None,
        Some(radicado) => {
            let row = sqlx::query("SELECT id FROM requests WHERE radicado = $1")
                .bind(radicado)
                .fetch_optional(&mut **tx)
                .await?;
            if row.is_none() {
                problems.push((
                    CallField::Radicado,
                    format!("Radicado: no existe la solicitud «{radicado}»."),
                ));
            }
            row.map(|row| row.get::<String, _>("id"))
        }
    };
    let existing_id = match &call.external_id {
        None => None,
        Some(external_id) => sqlx::query("SELECT id FROM calls WHERE external_id = $1")
            .bind(external_id)
            .fetch_optional(&mut **tx)
            .await?
            .map(|row| row.get::<String, _>("id")),
    };
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    Ok(Ok(ResolvedCall {
        call,
        agent_id,
        agent_name,
        request_id,
        existing_id,
    }))
}

/// Stores a resolved record that is not already stored; returns its id.
pub async fn insert(
    tx: &mut Tx,
    actor: &Actor<'_>,
    resolved: &ResolvedCall,
    import_id: Option<&str>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let call = &resolved.call;
    sqlx::query(
        "INSERT INTO calls (id, external_id, started_at, outcome, wait_seconds, duration_seconds, caller, \
         agent_id, agent_name, request_id, import_id, recorded_at, recorded_by, recorded_by_api_key_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&id)
    .bind(&call.external_id)
    .bind(call.started_at)
    .bind(call.outcome.code())
    .bind(call.wait_seconds)
    .bind(call.duration_seconds)
    .bind(&call.caller)
    .bind(&resolved.agent_id)
    .bind(&resolved.agent_name)
    .bind(&resolved.request_id)
    .bind(import_id)
    .bind(now())
    .bind(actor.user_id)
    .bind(actor.api_key_id)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// What recording one call did.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    /// Stored now, with this id.
    New(String),
    /// The switchboard sent this call before; nothing changed.
    Already(String),
}

/// Records one call sent through the API, in one transaction with its audit event
/// (`llamada_registrada`). Problems come back all at once, and nothing is written.
pub async fn record_one(
    pool: &sqlx::AnyPool,
    actor: &Actor<'_>,
    cells: &CallCells,
) -> Result<Result<Recorded, Vec<CallProblem>>, AppError> {
    let checked = match check(cells, now()) {
        Ok(checked) => checked,
        Err(problems) => return Ok(Err(problems)),
    };
    let mut tx = crate::platform::db::begin(pool).await?;
    let resolved = match resolve(&mut tx, checked).await? {
        Ok(resolved) => resolved,
        Err(problems) => {
            tx.rollback().await?;
            return Ok(Err(problems));
        }
    };
    if let Some(existing) = &resolved.existing_id {
        tx.rollback().await?;
        return Ok(Ok(Recorded::Already(existing.clone())));
    }
    let id = match insert(&mut tx, actor, &resolved, None).await {
        Ok(id) => id,
        // The same call sent twice at once: the other one stored it.
        Err(err) if crate::platform::db::violated_constraint(&err).is_some() => {
            tx.rollback().await?;
            return already_stored(pool, &resolved).await;
        }
        Err(err) => return Err(crate::platform::db::internal(err)),
    };
    let call = &resolved.call;
    audit::record(
        &mut tx,
        actor,
        "llamada_registrada",
        "call",
        &id,
        json!({
            "external_id": call.external_id,
            "outcome": call.outcome.code(),
            "started_at": call.started_at,
            "radicado": call.radicado,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(Recorded::New(id)))
}

async fn already_stored(
    pool: &sqlx::AnyPool,
    resolved: &ResolvedCall,
) -> Result<Result<Recorded, Vec<CallProblem>>, AppError> {
    let row = sqlx::query("SELECT id FROM calls WHERE external_id = $1")
        .bind(&resolved.call.external_id)
        .fetch_one(pool)
        .await?;
    Ok(Ok(Recorded::Already(row.get("id"))))
}

/// A call as stored, for the API's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCall {
    pub id: String,
    pub external_id: Option<String>,
    pub started_at: i64,
    pub outcome: CallOutcome,
    pub wait_seconds: Option<i64>,
    pub duration_seconds: Option<i64>,
    pub caller: String,
    /// The staff member's e-mail, or what the PBX wrote.
    pub agent: String,
    pub radicado: Option<String>,
}

/// The call stored under `id`.
pub async fn stored(pool: &sqlx::AnyPool, id: &str) -> Result<StoredCall, AppError> {
    let row = sqlx::query(
        "SELECT c.id, c.external_id, c.started_at, c.outcome, c.wait_seconds, c.duration_seconds, \
         c.caller, c.agent_name, u.email AS agent_email, r.radicado \
         FROM calls c LEFT JOIN users u ON u.id = c.agent_id LEFT JOIN requests r ON r.id = c.request_id \
         WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let agent_email: Option<String> = row.get("agent_email");
    Ok(StoredCall {
        id: row.get("id"),
        external_id: row.get("external_id"),
        started_at: row.get("started_at"),
        outcome: CallOutcome::from_code(&row.get::<String, _>("outcome"))
            .unwrap_or(CallOutcome::Abandoned),
        wait_seconds: row.get("wait_seconds"),
        duration_seconds: row.get("duration_seconds"),
        caller: row.get("caller"),
        agent: agent_email.unwrap_or_else(|| row.get("agent_name")),
        radicado: row.get("radicado"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells() -> CallCells {
        CallCells {
            external_id: "1764771300.42".into(),
            started_at: "2026-11-03 08:15".into(),
            outcome: "ANSWERED".into(),
            wait_seconds: "0:35".into(),
            duration_seconds: "240".into(),
            caller: "3001234567".into(),
            agent: "Ana.Asesora@Equipo.co".into(),
            radicado: String::new(),
        }
    }

    #[test]
    fn a_good_record_reads_every_field() {
        let call = check(&cells(), 1_800_000_000).unwrap();
        assert_eq!(call.outcome, CallOutcome::Attended);
        assert_eq!(call.wait_seconds, Some(35));
        assert_eq!(call.duration_seconds, Some(240));
        assert_eq!(call.agent, AgentRef::Staff("ana.asesora@equipo.co".into()));
        assert_eq!(call.radicado, None);
        let named = CallCells {
            agent: "Ext 201".into(),
            ..cells()
        };
        assert_eq!(
            check(&named, 1_800_000_000).unwrap().agent,
            AgentRef::Named("Ext 201".into())
        );
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = CallCells {
            started_at: "mañana".into(),
            outcome: "transferida".into(),
            wait_seconds: "-3".into(),
            caller: "3".repeat(31),
            ..cells()
        };
        let problems = check(&bad, 1_800_000_000).unwrap_err();
        let fields: Vec<CallField> = problems.iter().map(|p| p.0).collect();
        assert_eq!(
            fields,
            [
                CallField::Caller,
                CallField::StartedAt,
                CallField::Outcome,
                CallField::WaitSeconds
            ]
        );
        assert!(problems[2].1.contains("no es Atendida ni Abandonada"));
        let empty = check(&CallCells::default(), 1_800_000_000).unwrap_err();
        assert_eq!(empty.len(), 2, "{empty:?}");
    }
}
