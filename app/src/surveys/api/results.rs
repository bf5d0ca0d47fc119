//! Server function of the survey results page. Supervisors and admins only.

use leptos::prelude::*;

use crate::error::AppError;
use crate::surveys::model::SurveyResults;

#[cfg(feature = "ssr")]
use crate::{accounts::server::session, surveys::server::results};

/// The results of the period `desde`–`hasta` (`YYYY-MM-DD`; empty: the last six months).
#[server(endpoint = "equipo/resultados")]
pub async fn load_survey_results(desde: String, hasta: String) -> Result<SurveyResults, AppError> {
    session::signed_in(|state, user| async move {
        results::results(&state, &user, &desde, &hasta).await
    })
    .await
}
