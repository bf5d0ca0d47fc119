//! The transactional survey (issue 6; seed 000 §7 satisfaction as an indicator, seed 004
//! "voz del cliente"): when a request closes, its customer is invited by e-mail to rate it —
//! CSAT 1–5, NPS 0–10, whether it was resolved, and a comment.
//!
//! The link carries a 128-bit random token and is the customer's only credential, so the page
//! it opens records nothing by itself (mail scanners follow links): only the explicit submit
//! writes. The answer is one conditional update on the invitation row, so a second submit, an
//! expired link or a forged token change nothing. A detractor answer opens its recovery case
//! in the same transaction (seed 003, see [`super::detractors`]).

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Actor};
use super::config::SurveyPolicy;
use super::db::{internal, new_id, now};
use super::outbox;
use super::state::AppState;
use crate::error::AppError;
use crate::model::{SessionUser, SurveyStatus};

/// What the customer answered, checked.
struct Answer {
    csat: u8,
    nps: u8,
    resolved: bool,
    comment: String,
}

const COMMENT_MAX: usize = 2000;

/// Creates the invitation of a request that is closing and the e-mail that carries its link,
/// inside the closing transaction: the request, its invitation and its e-mail commit together.
pub async fn invite(
    tx: &mut crate::ssr::db::Tx,
    policy: &SurveyPolicy,
    request_id: &str,
    recipient: &str,
) -> Result<(), AppError> {
    let row = sqlx::query("SELECT radicado, subject, account_id FROM requests WHERE id = $1")
        .bind(request_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(internal)?;
    let token = new_id();
    let at = now();
    sqlx::query(
        "INSERT INTO survey_invitations (id, token, request_id, account_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(&token)
    .bind(request_id)
    .bind(row.get::<String, _>("account_id"))
    .bind(at)
    .bind(at + policy.days * 86_400)
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    outbox::enqueue(
        tx,
        "email",
        recipient,
        "encuesta",
        json!({
            "radicado": row.get::<String, _>("radicado"),
            "subject": row.get::<String, _>("subject"),
            "url": format!("{}/encuesta/{token}", policy.public_url),
        }),
    )
    .await
}

/// Tokens are 32 lower-case hex characters; anything else is not worth a query.
pub(super) fn well_formed(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What the link `token` leads to now. Reading never writes.
pub async fn status(state: &AppState, token: &str) -> Result<SurveyStatus, AppError> {
    if !well_formed(token) {
        return Ok(SurveyStatus::Unknown);
    }
    let row = sqlx::query(
        "SELECT s.expires_at, s.answered_at, r.radicado, r.subject FROM survey_invitations s \
         JOIN requests r ON r.id = s.request_id WHERE s.token = $1",
    )
    .bind(token)
    .fetch_optional(&state.pool)
    .await
    .map_err(internal)?;
    if let Some(row) = row {
        return Ok(match row {
            row if row.get::<Option<i64>, _>("answered_at").is_some() => SurveyStatus::Answered,
            row if row.get::<i64, _>("expires_at") <= now() => SurveyStatus::Expired,
            row => SurveyStatus::Open {
                radicado: row.get("radicado"),
                subject: row.get("subject"),
                about_call: false,
            },
        });
    }
    let call = sqlx::query(
        "SELECT created_at, expires_at, answered_at FROM recovery_surveys WHERE token = $1",
    )
    .bind(token)
    .fetch_optional(&state.pool)
    .await
    .map_err(internal)?;
    Ok(match call {
        None => SurveyStatus::Unknown,
        Some(row) if row.get::<Option<i64>, _>("answered_at").is_some() => SurveyStatus::Answered,
        Some(row) if row.get::<i64, _>("expires_at") <= now() => SurveyStatus::Expired,
        Some(row) => SurveyStatus::Open {
            radicado: String::new(),
            subject: crate::local_time(row.get("created_at")),
            about_call: true,
        },
    })
}

/// Seed 003 §4 step 4: after an effective recovery call "ejecutará una segunda encuesta de
/// satisfacción, pero esta va más enfocada a la atención del asesor outbound". Same link
/// machinery as the transactional survey (token, explicit submit, one answer, expiry), sent
/// by e-mail when the case has an address, offered in the app on the request the case came
/// from. Inside the attempt's transaction.
pub async fn invite_about_call(
    tx: &mut crate::ssr::db::Tx,
    policy: &SurveyPolicy,
    case_id: &str,
    account_id: Option<&str>,
    name: &str,
    email: &str,
) -> Result<(), AppError> {
    let token = new_id();
    let at = now();
    sqlx::query(
        "INSERT INTO recovery_surveys (id, token, case_id, account_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(&token)
    .bind(case_id)
    .bind(account_id)
    .bind(at)
    .bind(at + policy.days * 86_400)
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    if email.is_empty() {
        return Ok(());
    }
    outbox::enqueue(
        tx,
        "email",
        email,
        "encuesta_llamada",
        json!({ "name": name, "url": format!("{}/encuesta/{token}", policy.public_url) }),
    )
    .await
}

/// The in-app link to the survey of a closed request, while it can still be answered: the
/// request's own survey, or else the survey about the recovery call it led to.
pub async fn open_link(state: &AppState, request_id: &str) -> Result<Option<String>, AppError> {
    Ok(sqlx::query(
        "SELECT token FROM survey_invitations \
         WHERE request_id = $1 AND answered_at IS NULL AND expires_at > $2 \
         UNION ALL SELECT v.token FROM recovery_surveys v JOIN recovery_cases c ON c.id = v.case_id \
         WHERE c.request_id = $1 AND v.answered_at IS NULL AND v.expires_at > $2",
    )
    .bind(request_id)
    .bind(now())
    .fetch_optional(&state.pool)
    .await
    .map_err(internal)?
    .map(|row| format!("/encuesta/{}", row.get::<String, _>("token"))))
}

pub(super) fn score(
    value: Option<&str>,
    range: std::ops::RangeInclusive<u8>,
    question: &str,
) -> Result<u8, AppError> {
    value
        .and_then(|v| v.trim().parse::<u8>().ok())
        .filter(|v| range.contains(v))
        .ok_or_else(|| {
            AppError::validation(format!(
                "{question}: elija un valor de {} a {}.",
                range.start(),
                range.end()
            ))
        })
}

fn check(
    csat: Option<&str>,
    nps: Option<&str>,
    resolved: Option<&str>,
    comment: &str,
) -> Result<Answer, AppError> {
    let csat = score(csat, 1..=5, "Satisfacción")?;
    let nps = score(nps, 0..=10, "Recomendación")?;
    let resolved = match resolved.map(str::trim) {
        Some("si") => true,
        Some("no") => false,
        _ => {
            return Err(AppError::validation(
                "¿Se resolvió su solicitud?: elija sí o no.",
            ))
        }
    };
    Ok(Answer {
        csat,
        nps,
        resolved,
        comment: checked_comment(comment)?,
    })
}

pub(super) fn checked_comment(comment: &str) -> Result<String, AppError> {
    let comment = comment.trim();
    if comment.chars().count() > COMMENT_MAX {
        return Err(AppError::validation(format!(
            "Comentario: admite como máximo {COMMENT_MAX} caracteres."
        )));
    }
    if comment
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(AppError::validation(
            "Comentario: contiene caracteres no permitidos.",
        ));
    }
    Ok(comment.to_string())
}

async fn is_call_survey(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(
        sqlx::query("SELECT 1 FROM recovery_surveys WHERE token = $1")
            .bind(token)
            .fetch_optional(&state.pool)
            .await
            .map_err(internal)?
            .is_some(),
    )
}

/// Records the second survey's answer, once (the same conditional update as the first).
async fn submit_about_call(
    state: &AppState,
    token: &str,
    csat: Option<&str>,
    nps: Option<&str>,
    comment: &str,
) -> Result<(), AppError> {
    let csat = score(csat, 1..=5, "Satisfacción con la llamada")?;
    let nps = score(nps, 0..=10, "Recomendación")?;
    let comment = checked_comment(comment)?;
    let answered_at = now();
    let mut tx = super::db::begin(&state.pool).await?;
    let row = sqlx::query(
        "UPDATE recovery_surveys SET answered_at = $1, csat = $2, nps = $3, comment = $4 \
         WHERE token = $5 AND answered_at IS NULL AND expires_at > $1 RETURNING case_id",
    )
    .bind(answered_at)
    .bind(i64::from(csat))
    .bind(i64::from(nps))
    .bind(&comment)
    .bind(token)
    .fetch_optional(&mut *tx)
    .await
    .map_err(internal)?;
    let Some(row) = row else {
        tx.rollback().await.map_err(internal)?;
        return Err(refused(status(state, token).await?));
    };
    audit::record(
        &mut tx,
        &Actor::system("cliente (encuesta de la llamada)"),
        "encuesta_llamada_respondida",
        "recovery_case",
        &row.get::<String, _>("case_id"),
        json!({ "csat": csat, "nps": nps }),
    )
    .await?;
    tx.commit().await.map_err(internal)?;
    Ok(())
}

/// The agent records the answers the customer gives on the recovery call itself: seed 003 §4
/// step 4, "adicional ejecutará una segunda encuesta de satisfacción … enfocada a la atención
/// del asesor outbound". It is how the second survey reaches customers of imported bases who
/// have no e-mail or no account here. The same invitation as the e-mailed link, so whichever
/// answers first counts and the other is told it was answered.
pub async fn record_call_answer(
    state: &AppState,
    user: &SessionUser,
    case_id: &str,
    csat: Option<&str>,
    nps: Option<&str>,
    comment: &str,
) -> Result<(), AppError> {
    if !user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let csat = score(csat, 1..=5, "Satisfacción con la llamada")?;
    let nps = score(nps, 0..=10, "Recomendación")?;
    let comment = checked_comment(comment)?;
    let answered_at = now();
    let mut tx = super::db::begin(&state.pool).await?;
    let case = sqlx::query(
        "SELECT c.assignee_id, v.answered_at, v.expires_at FROM recovery_cases c \
         LEFT JOIN recovery_surveys v ON v.case_id = c.id WHERE c.id = $1",
    )
    .bind(case_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(internal)?
    .ok_or(AppError::NotFound)?;
    if !super::detractors::may_act(
        user,
        case.get::<Option<String>, _>("assignee_id").as_deref(),
    ) {
        return Err(AppError::Forbidden);
    }
    let Some(expires_at) = case.get::<Option<i64>, _>("expires_at") else {
        return Err(AppError::Conflict(
            "Este caso no tiene segunda encuesta: solo la hay después de un contacto efectivo."
                .into(),
        ));
    };
    let refusal = if case.get::<Option<i64>, _>("answered_at").is_some() {
        Some(SurveyStatus::Answered)
    } else if expires_at <= answered_at {
        Some(SurveyStatus::Expired)
    } else {
        None
    };
    if let Some(refusal) = refusal {
        return Err(refused(refusal));
    }
    let updated = sqlx::query(
        "UPDATE recovery_surveys SET answered_at = $1, csat = $2, nps = $3, comment = $4, recorded_by = $5 \
         WHERE case_id = $6 AND answered_at IS NULL AND expires_at > $1",
    )
    .bind(answered_at)
    .bind(i64::from(csat))
    .bind(i64::from(nps))
    .bind(&comment)
    .bind(&user.id)
    .bind(case_id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?
    .rows_affected();
    if updated == 0 {
        // The customer's link answered between the read and the update (PostgreSQL).
        return Err(refused(SurveyStatus::Answered));
    }
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "encuesta_llamada_respondida",
        "recovery_case",
        case_id,
        json!({ "csat": csat, "nps": nps, "registrada_en_la_llamada": true }),
    )
    .await?;
    tx.commit().await.map_err(internal)?;
    Ok(())
}

/// Records the answer given through the link `token`, once. A detractor answer opens its
/// recovery case in the same transaction and tells the desk live after the commit.
pub async fn submit(
    state: &AppState,
    token: &str,
    csat: Option<&str>,
    nps: Option<&str>,
    resolved: Option<&str>,
    comment: &str,
) -> Result<(), AppError> {
    let refusal = match status(state, token).await? {
        SurveyStatus::Open { .. } => None,
        other => Some(other),
    };
    if let Some(refusal) = refusal {
        return Err(refused(refusal));
    }
    if is_call_survey(state, token).await? {
        return submit_about_call(state, token, csat, nps, comment).await;
    }
    let answer = check(csat, nps, resolved, comment)?;
    let answered_at = now();
    let mut tx = super::db::begin(&state.pool).await?;
    let row = sqlx::query(
        "UPDATE survey_invitations SET answered_at = $1, csat = $2, nps = $3, resolved = $4, comment = $5 \
         WHERE token = $6 AND answered_at IS NULL AND expires_at > $1 \
         RETURNING id, request_id, account_id",
    )
    .bind(answered_at)
    .bind(i64::from(answer.csat))
    .bind(i64::from(answer.nps))
    .bind(i64::from(answer.resolved))
    .bind(&answer.comment)
    .bind(token)
    .fetch_optional(&mut *tx)
    .await
    .map_err(internal)?;
    let Some(row) = row else {
        // Answered or expired between the check and the update: say which, write nothing.
        tx.rollback().await.map_err(internal)?;
        return Err(refused(status(state, token).await?));
    };
    let invitation_id: String = row.get("id");
    let request_id: String = row.get("request_id");
    let account_id: String = row.get("account_id");
    audit::record(
        &mut tx,
        &Actor::system("cliente (enlace de la encuesta)"),
        "encuesta_respondida",
        "request",
        &request_id,
        json!({ "csat": answer.csat, "nps": answer.nps, "resolved": answer.resolved }),
    )
    .await?;
    let opened = if ventanilla::survey::is_detractor(Some(answer.nps), Some(answer.csat)) {
        Some(
            super::detractors::open_case(
                &mut tx,
                &state.config.surveys,
                &invitation_id,
                &request_id,
                &account_id,
                answered_at,
            )
            .await?,
        )
    } else {
        None
    };
    tx.commit().await.map_err(internal)?;
    if let Some(radicado) = opened {
        state
            .live
            .publish(&radicado, &account_id, "detractor")
            .await;
    }
    Ok(())
}

fn refused(status: SurveyStatus) -> AppError {
    match status {
        SurveyStatus::Answered => {
            AppError::Conflict("Esta encuesta ya fue respondida. Gracias por su opinión.".into())
        }
        SurveyStatus::Expired => AppError::Conflict(
            "El enlace de esta encuesta venció y ya no admite respuestas.".into(),
        ),
        SurveyStatus::Unknown | SurveyStatus::Open { .. } => AppError::validation(
            "Este enlace de encuesta no es válido. Revise que lo copió completo del correo.",
        ),
    }
}
