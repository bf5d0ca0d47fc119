//! The recovery desk's server functions (seed 003 §4): the open cases, one case, logging a
//! contact attempt, recording the call survey by phone, and the asesores' attention profiles.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::detractors::model::{RecoveryCaseRow, RecoveryCaseView, RecoveryProfiles};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    accounts::server::session,
    detractors::server::{call_survey, cases, profiles},
};

/// The open detractor cases. Staff only.
#[server(endpoint = "equipo/detractores")]
pub async fn load_recovery_cases() -> Result<Vec<RecoveryCaseRow>, AppError> {
    session::signed_in(|state, user| async move { cases::open_cases(&state, &user).await }).await
}

/// One detractor case with its attempts. Staff only.
#[server(endpoint = "equipo/detractores/caso")]
pub async fn load_recovery_case(id: String) -> Result<Option<RecoveryCaseView>, AppError> {
    session::signed_in(|state, user| async move { cases::case(&state, &user, &id).await }).await
}

/// An agent logs a contact attempt on a case (seed 003 §4 step 4). Staff only.
#[server(endpoint = "equipo/detractores/intento")]
pub async fn log_contact_attempt(
    id: String,
    result: String,
    reason: Option<String>,
    solution: Option<String>,
    area_id: Option<String>,
    submission_token: Option<String>,
) -> Result<(), AppError> {
    session::signed_in(|state, user| async move {
        cases::log_attempt(
            &state,
            &user,
            &id,
            cases::Attempt {
                result: &result,
                reason: reason.as_deref().unwrap_or_default(),
                solution: solution.as_deref().unwrap_or_default(),
                area_id: area_id.as_deref().unwrap_or_default(),
                submission_token: submission_token.as_deref().unwrap_or_default(),
            },
        )
        .await
    })
    .await
}

/// The agent records the second survey as the customer answers it on the call (seed 003 §4
/// step 4). Staff who may work the case only.
#[server(endpoint = "equipo/detractores/encuesta-llamada")]
pub async fn record_call_survey(
    id: String,
    csat: Option<String>,
    nps: Option<String>,
    comment: Option<String>,
) -> Result<(), AppError> {
    session::signed_in(|state, user| async move {
        call_survey::record_call_answer(
            &state,
            &user,
            &id,
            csat.as_deref(),
            nps.as_deref(),
            comment.as_deref().unwrap_or_default(),
        )
        .await
    })
    .await
}

/// The asesores' attention profiles (seed 003 §4 step 2). Supervisors and admins.
#[server(endpoint = "equipo/detractores/perfiles")]
pub async fn load_recovery_profiles() -> Result<RecoveryProfiles, AppError> {
    session::signed_in(|state, user| async move { profiles::list(&state, &user).await }).await
}

/// Sets the segments one asesor attends: the form's checkboxes arrive as
/// `segments[hogar]=si`; none checked means every segment.
#[server(endpoint = "equipo/detractores/perfil")]
pub async fn set_recovery_profile(
    agent_id: String,
    segments: Option<BTreeMap<String, String>>,
) -> Result<(), AppError> {
    session::signed_in(|state, user| async move {
        let chosen: Vec<String> = segments.unwrap_or_default().into_keys().collect();
        profiles::set(&state, &user, &agent_id, &chosen).await
    })
    .await
}
