//! The transactional survey (seed 000 §7 satisfaction as an indicator, seed 004
//! "voz del cliente"): when a request closes, its customer is invited by e-mail to rate it —
//! CSAT 1–5, NPS 0–10, whether it was resolved, and a comment.
//!
//! The link carries a 128-bit random token and is the customer's only credential, so the page
//! it opens records nothing by itself (mail scanners follow links): only the explicit submit
//! writes. The answer is one conditional update on the invitation row, so a second submit, an
//! expired link or a forged token change nothing. A detractor answer opens its recovery case
//! in the same transaction (seed 003, see [`crate::detractors::server::cases`]).

use serde_json::json;
use sqlx::Row;

use ventanilla::{survey::score, text::free_text};

use crate::detractors::server::call_survey;
use crate::error::AppError;
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::platform::db::now;
use crate::state::AppState;
use crate::surveys::model::SurveyStatus;

/// What the customer answered, checked.
struct Answer {
    csat: u8,
    nps: u8,
    resolved: bool,
    comment: String,
}

/// The longest comment a survey answer keeps (also the campaigns' comment).
pub const COMMENT_MAX: usize = 2000;

/// Tokens are 32 lower-case hex characters; anything else is not worth a query.
pub fn well_formed(token: &str) -> bool {
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
    .await?;
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
    .await?;
    Ok(match call {
        None => SurveyStatus::Unknown,
        Some(row) if row.get::<Option<i64>, _>("answered_at").is_some() => SurveyStatus::Answered,
        Some(row) if row.get::<i64, _>("expires_at") <= now() => SurveyStatus::Expired,
        Some(row) => SurveyStatus::Open {
            radicado: String::new(),
            subject: crate::timers::local_time(row.get("created_at")),
            about_call: true,
        },
    })
}

fn check(
    csat: Option<&str>,
    nps: Option<&str>,
    resolved: Option<&str>,
    comment: &str,
) -> Result<Answer, AppError> {
    let csat = score(csat, 1..=5, "Satisfacción").map_err(AppError::validation)?;
    let nps = score(nps, 0..=10, "Recomendación").map_err(AppError::validation)?;
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
        comment: free_text("Comentario", comment, COMMENT_MAX).map_err(AppError::validation)?,
    })
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
    if call_survey::is_call_survey(state, token).await? {
        return match call_survey::submit_by_link(state, token, csat, nps, comment).await? {
            true => Ok(()),
            // Answered or expired between the check and the update: say which.
            false => Err(refused(status(state, token).await?)),
        };
    }
    let answer = check(csat, nps, resolved, comment)?;
    let answered_at = now();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
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
    .await?;
    let Some(row) = row else {
        // Answered or expired between the check and the update: say which, write nothing.
        tx.rollback().await?;
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
            crate::detractors::server::cases::open_case(
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
    tx.commit().await?;
    if let Some(radicado) = opened {
        state
            .live
            .publish(
                Scope::request(&radicado, &account_id),
                LiveChange::Detractor,
            )
            .await;
    }
    Ok(())
}

fn refused(status: SurveyStatus) -> AppError {
    match status {
        SurveyStatus::Answered => call_survey::already_answered(),
        SurveyStatus::Expired => call_survey::expired(),
        SurveyStatus::Unknown | SurveyStatus::Open { .. } => AppError::validation(
            "Este enlace de encuesta no es válido. Revise que lo copió completo del correo.",
        ),
    }
}
