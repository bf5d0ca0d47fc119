//! Server functions of the survey link (public: the link's token is the credential).

use leptos::prelude::*;

use crate::error::AppError;
use crate::surveys::model::SurveyStatus;

#[cfg(feature = "ssr")]
use crate::{platform::respond::respond, state::app_state, surveys::server::transactional};

/// What a survey link leads to. Public: the link's token is the credential. Records nothing.
#[server(endpoint = "encuesta/estado")]
pub async fn load_survey(token: String) -> Result<SurveyStatus, AppError> {
    respond(
        async {
            let state = app_state()?;
            transactional::status(&state, &token).await
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
            transactional::submit(
                &state,
                &token,
                csat.as_deref(),
                nps.as_deref(),
                resolved.as_deref(),
                comment.as_deref().unwrap_or_default(),
            )
            .await?;
            crate::platform::respond::navigate_after(&format!("/encuesta/{token}?gracias=1"));
            Ok(())
        }
        .await,
    )
}
