//! The second survey of seed 003 §4 step 4: after an effective recovery call "ejecutará una
//! segunda encuesta de satisfacción, pero esta va más enfocada a la atención del asesor
//! outbound". It belongs to the recovery desk that sends it; the survey page answers it
//! through the same link machinery as a request's survey (`surveys::server::transactional`).

use serde_json::json;
use sqlx::Row;
use ventanilla::{survey::score, text::free_text};

use crate::accounts::model::SessionUser;
use crate::detractors::server::cases;
use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::config::SurveyPolicy;
use crate::platform::db::{new_id, now};
use crate::platform::outbox;
use crate::state::AppState;

/// The longest comment the call survey keeps, as the request's survey.
const COMMENT_MAX: usize = 2000;

/// A survey link, or the call survey recorded by phone, that was already answered.
pub fn already_answered() -> AppError {
    AppError::Conflict("Esta encuesta ya fue respondida. Gracias por su opinión.".into())
}

/// A survey link past its expiry.
pub fn expired() -> AppError {
    AppError::Conflict("El enlace de esta encuesta venció y ya no admite respuestas.".into())
}

/// The call survey's answer, checked: satisfaction with the call 1–5, NPS 0–10, a comment.
fn checked(
    csat: Option<&str>,
    nps: Option<&str>,
    comment: &str,
) -> Result<(u8, u8, String), AppError> {
    Ok((
        score(csat, 1..=5, "Satisfacción con la llamada").map_err(AppError::validation)?,
        score(nps, 0..=10, "Recomendación").map_err(AppError::validation)?,
        free_text("Comentario", comment, COMMENT_MAX).map_err(AppError::validation)?,
    ))
}

/// Invites the customer of an effective call to the second survey. Same link
/// machinery as the transactional survey (token, explicit submit, one answer, expiry), sent
/// by e-mail when the case has an address, offered in the app on the request the case came
/// from. Inside the attempt's transaction.
pub async fn invite_about_call(
    tx: &mut crate::platform::db::Tx,
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
    .await?;
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

/// Whether `token` is the link of a call survey rather than of a request's survey.
pub async fn is_call_survey(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(
        sqlx::query("SELECT 1 FROM recovery_surveys WHERE token = $1")
            .bind(token)
            .fetch_optional(&state.pool)
            .await?
            .is_some(),
    )
}

/// Records the second survey's answer given through its link, once (the same conditional
/// update as the request's survey). `false` when it was answered or expired meanwhile: the
/// caller says which, and nothing was written.
pub async fn submit_by_link(
    state: &AppState,
    token: &str,
    csat: Option<&str>,
    nps: Option<&str>,
    comment: &str,
) -> Result<bool, AppError> {
    let (csat, nps, comment) = checked(csat, nps, comment)?;
    let answered_at = now();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
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
    .await?;
    let Some(row) = row else {
        tx.rollback().await?;
        return Ok(false);
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
    tx.commit().await?;
    Ok(true)
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
    let (csat, nps, comment) = checked(csat, nps, comment)?;
    let answered_at = now();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let case = sqlx::query(
        "SELECT c.assignee_id, v.answered_at, v.expires_at FROM recovery_cases c \
         LEFT JOIN recovery_surveys v ON v.case_id = c.id WHERE c.id = $1",
    )
    .bind(case_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if !cases::may_act(
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
    if case.get::<Option<i64>, _>("answered_at").is_some() {
        return Err(already_answered());
    }
    if expires_at <= answered_at {
        return Err(expired());
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
    .await?
    .rows_affected();
    if updated == 0 {
        // The customer's link answered between the read and the update (PostgreSQL).
        return Err(already_answered());
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
    tx.commit().await?;
    Ok(())
}
