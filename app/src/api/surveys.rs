//! Server functions of the transactional survey (public, by link) and of the detractor
//! recovery desk (staff).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{RecoveryCaseRow, RecoveryCaseView, SurveyStatus};

#[cfg(feature = "ssr")]
use crate::ssr::{detractors, respond::respond, session, state::app_state, surveys};

/// What a survey link leads to. Public: the link's token is the credential. Records nothing.
#[server(endpoint = "encuesta/estado")]
pub async fn load_survey(token: String) -> Result<SurveyStatus, AppError> {
    respond(
        async {
            let state = app_state()?;
            surveys::status(&state, &token).await
        }
        .await,
    )
}

/// The customer's explicit submit of the survey: the only way an answer is recorded. Fields
/// left unchosen arrive as `None` and are reported in words.
#[server(endpoint = "encuesta/responder")]
pub async fn submit_survey(
    token: String,
    csat: Option<String>,
    nps: Option<String>,
    resolved: Option<String>,
    comment: Option<String>,
) -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            surveys::submit(
                &state,
                &token,
                csat.as_deref(),
                nps.as_deref(),
                resolved.as_deref(),
                comment.as_deref().unwrap_or_default(),
            )
            .await?;
            crate::ssr::respond::navigate_after(&format!("/encuesta/{token}?gracias=1"));
            Ok(())
        }
        .await,
    )
}

/// The open detractor cases. Staff only.
#[server(endpoint = "equipo/detractores")]
pub async fn load_recovery_cases() -> Result<Vec<RecoveryCaseRow>, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_user(&state).await?;
            detractors::open_cases(&state, &user).await
        }
        .await,
    )
}

/// One detractor case with its attempts. Staff only.
#[server(endpoint = "equipo/detractores/caso")]
pub async fn load_recovery_case(id: String) -> Result<Option<RecoveryCaseView>, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_user(&state).await?;
            detractors::case(&state, &user, &id).await
        }
        .await,
    )
}

/// An agent logs a contact attempt on a case (seed 003 §4 step 4). Staff only.
#[server(endpoint = "equipo/detractores/intento")]
pub async fn log_contact_attempt(
    id: String,
    result: String,
    reason: Option<String>,
    solution: Option<String>,
    area_id: Option<String>,
) -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = session::require_user(&state).await?;
            detractors::log_attempt(
                &state,
                &user,
                &id,
                &result,
                reason.as_deref().unwrap_or_default(),
                solution.as_deref().unwrap_or_default(),
                area_id.as_deref().unwrap_or_default(),
            )
            .await
        }
        .await,
    )
}
