//! The detractor recovery desk (seed 003, "Gestión de detractores"): every bad survey answer
//! becomes a case, assigned by load, worked by outbound contact within 24 hours.
//!
//! Seed 003 §4 gives the rules this module keeps:
//! - step 2: cases are segmented (the account's segment) and assigned to agents by load — here
//!   the asesor with the fewest open cases, the longest-serving one on a tie;
//! - step 4: effective contact records why the score was bad and the solution (solved in the
//!   first contact, technical visit, escalated); "más de 2 intentos" without answer closes the
//!   case typified *no contactado* so it is not replicated; a third party who does not know
//!   the rating counts as *no contesta*; cortesía and pyme accounts, and cancelled or
//!   cancellation-pending services, are typified but not called;
//! - step 5: "no puede superar las 24 horas de vigencia".

use chrono::Utc;
use serde_json::json;
use sqlx::Row;
use ventanilla::recovery;
use ventanilla::role::Role;

use crate::error::AppError;
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::platform::config::SurveyPolicy;
use crate::platform::db::{new_id, now};
use crate::requests::server::escalation;
use crate::state::AppState;
use crate::{
    accounts::model::SessionUser,
    detractors::model::{RecoveryAttemptView, RecoveryCaseRow, RecoveryCaseView},
    ui::choice::Choice,
};

const EFFECTIVE: &str = "contacto_efectivo";

/// The solution that files a request to an area (seed 003 §4 step 4).
const ESCALATED: &str = "escalado";

/// What an attempt can end in; every one but the first is a failed attempt.
const RESULTS: [(&str, &str); 4] = [
    (EFFECTIVE, "Contacto efectivo"),
    ("no_contesta", "No contesta"),
    ("tercero", "Tercero que no conoce la calificación"),
    ("numero_errado", "Número errado"),
];

/// What the agent did after an effective contact (seed 003 §4 step 4).
const SOLUTIONS: [(&str, &str); 3] = [
    (
        "solucionado_primer_contacto",
        "Solucionado en primer contacto",
    ),
    ("visita_tecnica", "Visita técnica"),
    ("escalado", "Escalado al área"),
];

/// How a closed case was typified.
const OUTCOMES: [(&str, &str); 3] = [
    ("contactado", "Contacto efectivo"),
    ("no_contactado", "No contactado"),
    ("excluido", "Excluido — no se llama"),
];

fn label(table: &[(&'static str, &'static str)], code: &str) -> String {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| code.to_string())
}

fn choices(table: &[(&str, &str)]) -> Vec<Choice> {
    table
        .iter()
        .map(|(code, label)| Choice::new(*code, *label))
        .collect()
}

/// A case about to be opened, from our survey or from an imported base.
pub struct NewCase<'a> {
    /// "encuesta", "campana" or "importacion".
    pub source: &'a str,
    pub invitation_id: Option<&'a str>,
    /// The relationship survey answer the case comes from (source "campana").
    pub campaign_answer_id: Option<&'a str>,
    pub request_id: Option<&'a str>,
    pub account_id: Option<&'a str>,
    pub import_id: Option<&'a str>,
    /// What identifies an imported record across cuts (unique).
    pub external_key: Option<&'a str>,
    pub customer_name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub account_code: &'a str,
    pub nps: Option<u8>,
    pub csat: Option<u8>,
    pub comment: &'a str,
    pub segment: &'a str,
    /// Typified but never called (seed 003 §4 step 4).
    pub excluded: bool,
    pub opened_at: i64,
}

/// Inserts a case inside the caller's transaction: excluded ones are closed as typified
/// right away (the desk's totals still count them), the others are assigned "de acuerdo con
/// el número de registros y el perfil de atención con el que cuentan" (seed 003 §4 step 2):
/// among the asesores whose profile covers the case's segment — an asesor without a profile
/// covers every segment — the one with the fewest open cases, the longest-serving one on a
/// tie. When no asesor covers the segment the case still goes to the least loaded asesor:
/// a case waiting unassigned would lose its 24 hours. Returns the case id.
pub async fn insert_case(
    tx: &mut crate::platform::db::Tx,
    actor: &Actor<'_>,
    case: NewCase<'_>,
) -> Result<String, AppError> {
    let assignee: Option<String> = if case.excluded {
        None
    } else {
        sqlx::query(
            "SELECT u.id FROM users u WHERE u.role = $1 AND u.active = 1 \
             ORDER BY CASE WHEN EXISTS (SELECT 1 FROM agent_segments g WHERE g.user_id = u.id AND g.segment = $2) \
             OR NOT EXISTS (SELECT 1 FROM agent_segments g WHERE g.user_id = u.id) THEN 0 ELSE 1 END, \
             (SELECT COUNT(*) FROM recovery_cases c WHERE c.assignee_id = u.id AND c.status = 'abierto'), \
             u.created_at, u.id LIMIT 1",
        )
        .bind(Role::Asesor.code())
        .bind(case.segment)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| row.get("id"))
    };
    let case_id = new_id();
    sqlx::query(
        "INSERT INTO recovery_cases (id, source, invitation_id, request_id, account_id, import_id, external_key, \
         customer_name, phone, email, account_code, nps, csat, comment, segment, assignee_id, status, outcome, \
         opened_at, due_at, closed_at, campaign_answer_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
    )
    .bind(&case_id)
    .bind(case.source)
    .bind(case.invitation_id)
    .bind(case.request_id)
    .bind(case.account_id)
    .bind(case.import_id)
    .bind(case.external_key)
    .bind(case.customer_name)
    .bind(case.phone)
    .bind(case.email)
    .bind(case.account_code)
    .bind(case.nps.map(i64::from))
    .bind(case.csat.map(i64::from))
    .bind(case.comment)
    .bind(case.segment)
    .bind(&assignee)
    .bind(if case.excluded { "cerrado" } else { "abierto" })
    .bind(case.excluded.then_some(recovery::Outcome::Excluido.code()))
    .bind(case.opened_at)
    .bind(case.opened_at + recovery::HANDLING_SECONDS)
    .bind(case.excluded.then_some(case.opened_at))
    .bind(case.campaign_answer_id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        actor,
        "caso_detractor_abierto",
        "recovery_case",
        &case_id,
        json!({
            "source": case.source,
            "request_id": case.request_id,
            "assignee_id": assignee,
            "excluded": case.excluded,
        }),
    )
    .await?;
    Ok(case_id)
}

/// Opens the case of a detractor answer inside the answer's transaction; returns the
/// request's radicado for the live event.
pub async fn open_case(
    tx: &mut crate::platform::db::Tx,
    policy: &SurveyPolicy,
    invitation_id: &str,
    request_id: &str,
    account_id: &str,
    answered_at: i64,
) -> Result<String, AppError> {
    let row = sqlx::query(
        "SELECT a.kind, a.segment, a.service_status, a.name, r.radicado, s.nps, s.csat, s.comment, \
         COALESCE((SELECT MIN(u.phone) FROM users u WHERE u.account_id = a.id), '') AS phone, \
         COALESCE((SELECT MIN(u.email) FROM users u WHERE u.account_id = a.id), '') AS email \
         FROM requests r JOIN accounts a ON a.id = r.account_id \
         JOIN survey_invitations s ON s.request_id = r.id WHERE r.id = $1",
    )
    .bind(request_id)
    .fetch_one(&mut **tx)
    .await?;
    let excluded = recovery::not_called(
        &row.get::<String, _>("kind"),
        &row.get::<String, _>("service_status"),
        &policy.excluded_kinds,
    );
    let score = |column: &str| {
        row.get::<Option<i64>, _>(column)
            .and_then(|v| u8::try_from(v).ok())
    };
    insert_case(
        tx,
        &Actor::system("encuesta de satisfacción"),
        NewCase {
            source: "encuesta",
            invitation_id: Some(invitation_id),
            campaign_answer_id: None,
            request_id: Some(request_id),
            account_id: Some(account_id),
            import_id: None,
            external_key: None,
            customer_name: &row.get::<String, _>("name"),
            phone: &row.get::<String, _>("phone"),
            email: &row.get::<String, _>("email"),
            account_code: "",
            nps: score("nps"),
            csat: score("csat"),
            comment: &row.get::<Option<String>, _>("comment").unwrap_or_default(),
            segment: &row.get::<String, _>("segment"),
            excluded,
            opened_at: answered_at,
        },
    )
    .await?;
    Ok(row.get("radicado"))
}

/// Opens the case of a detractor answer to a relationship survey campaign, inside the
/// answer's transaction: the same rules as [`open_case`] (segment, exclusions, assignment by
/// load), linked to the customer's account and to the answer — there is no request. The
/// unique index on `campaign_answer_id` keeps it to one case per answer.
pub async fn open_campaign_case(
    tx: &mut crate::platform::db::Tx,
    policy: &SurveyPolicy,
    answer_id: &str,
    account_id: &str,
    nps: Option<u8>,
    csat: Option<u8>,
    comment: &str,
    answered_at: i64,
) -> Result<String, AppError> {
    let row = sqlx::query(
        "SELECT a.kind, a.segment, a.service_status, a.name, a.document_number, \
         COALESCE((SELECT MIN(u.phone) FROM users u WHERE u.account_id = a.id), '') AS phone, \
         COALESCE((SELECT MIN(u.email) FROM users u WHERE u.account_id = a.id), '') AS email \
         FROM accounts a WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_one(&mut **tx)
    .await?;
    let excluded = recovery::not_called(
        &row.get::<String, _>("kind"),
        &row.get::<String, _>("service_status"),
        &policy.excluded_kinds,
    );
    insert_case(
        tx,
        &Actor::system("encuesta de relación"),
        NewCase {
            source: "campana",
            invitation_id: None,
            campaign_answer_id: Some(answer_id),
            request_id: None,
            account_id: Some(account_id),
            import_id: None,
            external_key: None,
            customer_name: &row.get::<String, _>("name"),
            phone: &row.get::<String, _>("phone"),
            email: &row.get::<String, _>("email"),
            account_code: &row.get::<String, _>("document_number"),
            nps,
            csat,
            comment,
            segment: &row.get::<String, _>("segment"),
            excluded,
            opened_at: answered_at,
        },
    )
    .await
}

/// Imported cases have no request: they show the account code where a radicado would be;
/// cases from a relationship survey campaign say so instead.
const CASE_COLUMNS: &str = "SELECT c.id, c.segment, c.assignee_id, c.status, c.outcome, c.reason, c.solution, c.opened_at, c.due_at, \
     c.customer_name AS customer, COALESCE(r.radicado, CASE WHEN c.source = 'campana' \
     THEN 'Encuesta de relación' ELSE 'Cuenta ' || c.account_code END) AS radicado, \
     c.nps, c.csat, s.resolved, c.comment, c.phone, c.source, u.full_name AS assignee";

const CASE_SOURCES: &str = "FROM recovery_cases c LEFT JOIN requests r ON r.id = c.request_id \
     LEFT JOIN survey_invitations s ON s.id = c.invitation_id LEFT JOIN users u ON u.id = c.assignee_id";

fn time_left(due_at: i64, at: i64) -> (String, bool) {
    let left = due_at - at;
    if left <= 0 {
        ("vencido".to_string(), true)
    } else {
        (
            format!("quedan {} h {} min", left / 3600, (left % 3600) / 60),
            false,
        )
    }
}

fn case_row(row: &sqlx::any::AnyRow, at: i64) -> RecoveryCaseRow {
    let due_at: i64 = row.get("due_at");
    let (time_left, overdue) = time_left(due_at, at);
    RecoveryCaseRow {
        opened_at: row.get("opened_at"),
        due_at,
        id: row.get("id"),
        customer: row.get("customer"),
        segment: row.get("segment"),
        radicado: row.get("radicado"),
        nps: row.get("nps"),
        csat: row.get("csat"),
        comment: row.get("comment"),
        phone: row.get("phone"),
        imported: row.get::<String, _>("source") == "importacion",
        assignee: row.get("assignee"),
        due: crate::timers::local_time(due_at),
        time_left,
        overdue,
    }
}

fn require_staff(user: &SessionUser) -> Result<(), AppError> {
    if user.role.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The open cases, the most urgent first. Staff only.
pub async fn open_cases(
    state: &AppState,
    user: &SessionUser,
) -> Result<Vec<RecoveryCaseRow>, AppError> {
    require_staff(user)?;
    let at = now();
    Ok(sqlx::query(&format!(
        "{CASE_COLUMNS} {CASE_SOURCES} WHERE c.status = 'abierto' ORDER BY c.due_at, c.id LIMIT 500"
    ))
    .fetch_all(&state.pool)
    .await?
    .iter()
    .map(|row| case_row(row, at))
    .collect())
}

/// The assignee works the case; a supervisor or an admin may step in, and anyone on the team
/// may take an unassigned one (no asesor existed when it opened).
pub(crate) fn may_act(user: &SessionUser, assignee_id: Option<&str>) -> bool {
    matches!(user.role, Role::Supervisor | Role::Admin)
        || assignee_id.is_none_or(|id| id == user.id)
}

/// One case with its attempts; `None` when it does not exist. Staff only.
pub async fn case(
    state: &AppState,
    user: &SessionUser,
    case_id: &str,
) -> Result<Option<RecoveryCaseView>, AppError> {
    require_staff(user)?;
    // With the request it escalated to and the second survey (one per case), in one read.
    let Some(row) = sqlx::query(&format!(
        "{CASE_COLUMNS}, er.radicado AS escalated_radicado, v.id AS survey_id, \
         v.expires_at AS survey_expires_at, v.answered_at AS survey_answered_at, \
         v.nps AS survey_nps, v.csat AS survey_csat, v.recorded_by AS survey_recorded_by \
         {CASE_SOURCES} LEFT JOIN requests er ON er.id = c.escalated_request_id \
         LEFT JOIN recovery_surveys v ON v.case_id = c.id WHERE c.id = $1"
    ))
    .bind(case_id)
    .fetch_optional(&state.pool)
    .await?
    else {
        return Ok(None);
    };
    let attempts = sqlx::query(
        "SELECT t.result, t.attempted_at, u.full_name FROM recovery_attempts t \
         JOIN users u ON u.id = t.user_id WHERE t.case_id = $1 ORDER BY t.attempted_at, t.id",
    )
    .bind(case_id)
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|t| RecoveryAttemptView {
        at: crate::timers::local_time(t.get("attempted_at")),
        by: t.get("full_name"),
        result: label(&RESULTS, &t.get::<String, _>("result")),
    })
    .collect();
    let open = row.get::<String, _>("status") == "abierto";
    let assignee_id: Option<String> = row.get("assignee_id");
    let areas = sqlx::query("SELECT id, name FROM areas ORDER BY name")
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|a| Choice::new(a.get::<String, _>("id"), a.get::<String, _>("name")))
        .collect();
    let at = now();
    let survey_sent = row.get::<Option<String>, _>("survey_id").is_some();
    let survey_open = survey_sent
        && row.get::<Option<i64>, _>("survey_answered_at").is_none()
        && row
            .get::<Option<i64>, _>("survey_expires_at")
            .is_some_and(|e| e > at);
    let call_survey = match (
        row.get::<Option<i64>, _>("survey_answered_at"),
        row.get::<Option<i64>, _>("survey_nps"),
        row.get::<Option<i64>, _>("survey_csat"),
    ) {
        (Some(_), Some(nps), Some(csat)) => Some(format!(
            "NPS {nps} · CSAT {csat}{}",
            if row.get::<Option<String>, _>("survey_recorded_by").is_some() {
                " (respondida en la llamada)"
            } else {
                " (respondida por el cliente)"
            }
        )),
        _ if survey_open => Some("Enviada, sin respuesta todavía".to_string()),
        _ if survey_sent => Some("Venció sin respuesta".to_string()),
        _ => None,
    };
    Ok(Some(RecoveryCaseView {
        row: case_row(&row, at),
        resolved: row.get::<Option<i64>, _>("resolved") == Some(1),
        open,
        status: match row.get::<Option<String>, _>("outcome") {
            Some(outcome) if !open => label(&OUTCOMES, &outcome),
            _ => "Abierto".to_string(),
        },
        reason: row.get("reason"),
        solution: row
            .get::<Option<String>, _>("solution")
            .map(|s| label(&SOLUTIONS, &s)),
        attempts,
        can_act: open && may_act(user, assignee_id.as_deref()),
        results: choices(&RESULTS),
        solutions: choices(&SOLUTIONS),
        areas,
        escalated_radicado: row.get("escalated_radicado"),
        call_survey,
        can_record_call_survey: survey_open && may_act(user, assignee_id.as_deref()),
        attempt_token: new_id(),
    }))
}

/// What the agent's attempt form sends.
#[derive(Debug, Default, Clone, Copy)]
pub struct Attempt<'a> {
    pub result: &'a str,
    /// Why the customer rated badly and what was done: effective contact only.
    pub reason: &'a str,
    pub solution: &'a str,
    /// Where an "escalado" solution files its request.
    pub area_id: &'a str,
    /// The token of the form shown once: the same token again logs nothing new. Empty when
    /// the caller has no form (tests, scripts).
    pub submission_token: &'a str,
}

/// Records a contact attempt. An effective contact needs the reason and the solution and
/// closes the case; the third failed attempt closes it as *no contactado*. A form sent twice
/// (double click, resent after a dropped connection) is recorded once: two "no contesta" from
/// one click would otherwise close the case a call early.
pub async fn log_attempt(
    state: &AppState,
    user: &SessionUser,
    case_id: &str,
    attempt: Attempt<'_>,
) -> Result<(), AppError> {
    require_staff(user)?;
    let Attempt {
        result,
        reason,
        solution,
        area_id,
        submission_token,
    } = attempt;
    let submission_token = submission_token.trim();
    if submission_token.len() > 64 {
        return Err(AppError::validation(
            "El formulario no es válido. Recargue la página e intente de nuevo.",
        ));
    }
    let result = RESULTS
        .iter()
        .map(|(code, _)| *code)
        .find(|code| *code == result.trim())
        .ok_or_else(|| AppError::validation("Elija el resultado del intento."))?;
    let effective = result == EFFECTIVE;
    let reason = reason.trim();
    let solution = solution.trim();
    if effective {
        let count = reason.chars().count();
        if !(3..=2000).contains(&count) {
            return Err(AppError::validation(
                "Motivo de la calificación: escriba entre 3 y 2000 caracteres.",
            ));
        }
        if !SOLUTIONS.iter().any(|(code, _)| *code == solution) {
            return Err(AppError::validation("Elija la solución dada al cliente."));
        }
        if solution == ESCALATED && area_id.trim().is_empty() {
            return Err(AppError::validation(
                "Elija el área a la que se escala el caso.",
            ));
        }
    }
    let at = Utc::now().timestamp();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    // Touching the row first locks it on PostgreSQL (SQLite's BEGIN IMMEDIATE already
    // serializes writers), so two agents cannot both log the attempt that closes the case.
    let locked = sqlx::query(
        "UPDATE recovery_cases SET status = status WHERE id = $1 AND status = 'abierto'",
    )
    .bind(case_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // After the lock: a concurrent twin of this form has committed by now, and is seen.
    if !submission_token.is_empty()
        && sqlx::query(
            "SELECT 1 FROM recovery_attempts WHERE case_id = $1 AND submission_token = $2",
        )
        .bind(case_id)
        .bind(submission_token)
        .fetch_optional(&mut *tx)
        .await?
        .is_some()
    {
        tx.rollback().await?;
        return Ok(());
    }
    let row = sqlx::query(
        "SELECT c.assignee_id, c.account_id, c.customer_name, c.email, r.radicado FROM recovery_cases c \
         LEFT JOIN requests r ON r.id = c.request_id WHERE c.id = $1",
    )
    .bind(case_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if locked == 0 {
        return Err(AppError::Conflict(
            "El caso ya está cerrado y no admite más intentos.".into(),
        ));
    }
    if !may_act(user, row.get::<Option<String>, _>("assignee_id").as_deref()) {
        return Err(AppError::Forbidden);
    }
    sqlx::query(
        "INSERT INTO recovery_attempts (id, case_id, user_id, result, attempted_at, submission_token) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(case_id)
    .bind(&user.id)
    .bind(result)
    .bind(at)
    .bind((!submission_token.is_empty()).then_some(submission_token))
    .execute(&mut *tx)
    .await?;
    let failed: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM recovery_attempts WHERE case_id = $1 AND result <> $2",
    )
    .bind(case_id)
    .bind(EFFECTIVE)
    .fetch_one(&mut *tx)
    .await?
    .get("n");
    let outcome = recovery::after_attempt(effective, u32::try_from(failed).unwrap_or(u32::MAX))
        .map(recovery::Outcome::code);
    let account_id: Option<String> = row.get("account_id");
    let escalated = if effective && solution == ESCALATED {
        Some(
            file_escalated_request(
                &mut tx,
                state,
                user,
                case_id,
                account_id.as_deref(),
                reason,
                area_id,
            )
            .await?,
        )
    } else {
        None
    };
    if effective {
        crate::detractors::server::call_survey::invite_about_call(
            &mut tx,
            &state.config.surveys,
            case_id,
            account_id.as_deref(),
            &row.get::<String, _>("customer_name"),
            &row.get::<String, _>("email"),
        )
        .await?;
    }
    if let Some(outcome) = outcome {
        sqlx::query(
            "UPDATE recovery_cases SET status = 'cerrado', outcome = $1, reason = $2, solution = $3, closed_at = $4 \
             WHERE id = $5",
        )
        .bind(outcome)
        .bind(effective.then_some(reason))
        .bind(effective.then_some(solution))
        .bind(at)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "intento_contacto",
        "recovery_case",
        case_id,
        json!({ "result": result, "outcome": outcome }),
    )
    .await?;
    tx.commit().await?;
    let radicado: Option<String> = row.get("radicado");
    state
        .live
        .publish(
            Scope::of(radicado.as_deref(), account_id.as_deref()),
            LiveChange::Detractor,
        )
        .await;
    if let Some(radicado) = escalated {
        state
            .live
            .publish(
                Scope::of(Some(&radicado), account_id.as_deref()),
                LiveChange::Escalada,
            )
            .await;
    }
    Ok(())
}

/// Seed 003 §4 step 4: "escalará el caso al área correspondiente". The call files a normal
/// request for the customer — the same filing the portal uses, so it gets its radicado, both
/// clocks and the customer's e-mail — taken by the agent and escalated to the chosen area,
/// which answers it from *Mi área*; the case keeps the link. All inside the attempt's
/// transaction. Returns the new radicado.
async fn file_escalated_request(
    tx: &mut crate::platform::db::Tx,
    state: &AppState,
    user: &SessionUser,
    case_id: &str,
    account_id: Option<&str>,
    reason: &str,
    area_id: &str,
) -> Result<String, AppError> {
    use ventanilla::legal::RequestType;
    use ventanilla::lifecycle::Action;
    use ventanilla::sla::Priority;

    let Some(account_id) = account_id else {
        return Err(AppError::validation(
            "Este registro importado no está vinculado a una cuenta de cliente, así que no se puede radicar la solicitud escalada. Registre la solicitud desde la cuenta del cliente o elija otra solución.",
        ));
    };
    let area = escalation::area(tx, area_id).await?;
    let actor = Actor::user(&user.id, &user.full_name);
    let received_at = Utc::now();
    let filed = crate::requests::server::filing::radicar(
        tx,
        &actor,
        &*crate::ans::server::versions::current(&state.pool, &state.ans).await?,
        crate::requests::server::filing::NewRequest {
            account_id,
            created_by: &user.id,
            request_type: RequestType::Queja,
            category_id: None,
            subject: "Caso detractor: solución escalada desde la llamada de recuperación",
            description: reason,
            priority: Priority::Media,
            channel: "telefono",
            received_at,
            submission_token: None,
            related_request_id: None,
            links: "",
            author_label: &user.full_name,
        },
    )
    .await?;
    let current = crate::requests::server::lifecycle::load(tx, &filed.id).await?;
    crate::requests::server::lifecycle::apply(
        tx,
        state,
        &current,
        Action::Take,
        user.role,
        &actor,
        received_at,
    )
    .await?;
    sqlx::query("UPDATE requests SET assignee_id = $1 WHERE id = $2")
        .bind(&user.id)
        .bind(&filed.id)
        .execute(&mut **tx)
        .await?;
    let current = crate::requests::server::lifecycle::load(tx, &filed.id).await?;
    escalation::escalate(tx, state, &current, &area, user.role, &actor, received_at).await?;
    let radicado = filed.radicado.to_string();
    sqlx::query("UPDATE recovery_cases SET escalated_request_id = $1 WHERE id = $2")
        .bind(&filed.id)
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        &actor,
        "caso_detractor_escalado",
        "recovery_case",
        case_id,
        json!({ "radicado": radicado, "area": area.name }),
    )
    .await?;
    Ok(radicado)
}
