//! Server functions of the relationship survey campaigns (seed 001 §5.2): the supervisors'
//! pages, the public link and the customer's pending survey in the portal.

// The create form has one field per argument, and server_fn generates code around the
// function that a function-level allow does not reach.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::error::AppError;
use crate::surveys::model::{
    CampaignSurveyStatus, CampaignView, CampaignsOverview, PendingCampaignSurvey,
};

#[cfg(feature = "ssr")]
use crate::{
    accounts::server::session,
    platform::respond::{navigate_after, respond},
    state::app_state,
    surveys::server::campaigns::{self, CampaignForm, Credential},
};

/// A checkbox sends its value when ticked and nothing otherwise.
#[cfg(feature = "ssr")]
fn ticked(value: &Option<String>) -> bool {
    matches!(value.as_deref().map(str::trim), Some("si" | "on" | "true"))
}

/// The population today, the form's defaults and the campaigns. Supervisors and admins.
#[server(endpoint = "equipo/campanas")]
pub async fn load_campaigns() -> Result<CampaignsOverview, AppError> {
    session::signed_in(|state, user| async move { campaigns::overview(&state, &user).await }).await
}

/// Creates a draft campaign and goes to its page, where the sample is shown before launching.
#[server(endpoint = "equipo/campanas/crear")]
pub async fn create_campaign(
    name: String,
    nps: Option<String>,
    csat: Option<String>,
    texto: Option<String>,
    desde: String,
    hasta: String,
    confianza: String,
    margen: String,
    estratificar: Option<String>,
) -> Result<String, AppError> {
    session::signed_in(|state, user| async move {
        let id = campaigns::create(
            &state,
            &user,
            &CampaignForm {
                name: &name,
                ask_nps: ticked(&nps),
                ask_csat: ticked(&csat),
                ask_comment: ticked(&texto),
                starts_on: &desde,
                ends_on: &hasta,
                confidence: &confianza,
                margin_percent: &margen,
                stratified: ticked(&estratificar),
            },
        )
        .await?;
        navigate_after(&format!("/equipo/campanas/{id}"));
        Ok(id)
    })
    .await
}

/// One campaign: design, sample and results. Supervisors and admins.
#[server(endpoint = "equipo/campanas/detalle")]
pub async fn load_campaign(id: String) -> Result<Option<CampaignView>, AppError> {
    session::signed_in(|state, user| async move { campaigns::detail(&state, &user, &id).await })
        .await
}

/// Draws the sample and sends the invitations, once; returns how many were sent.
#[server(endpoint = "equipo/campanas/lanzar")]
pub async fn launch_campaign(id: String) -> Result<u64, AppError> {
    session::signed_in(|state, user| async move {
        let sent = campaigns::launch(&state, &user, &id).await?;
        navigate_after(&format!("/equipo/campanas/{id}"));
        Ok(sent)
    })
    .await
}

/// What a campaign survey link leads to. Public: the token is the credential. Records nothing.
#[server(endpoint = "campana/estado")]
pub async fn load_campaign_survey(token: String) -> Result<CampaignSurveyStatus, AppError> {
    respond(
        async {
            let state = app_state()?;
            campaigns::status(&state, &Credential::Token(&token)).await
        }
        .await,
    )
}

/// The customer's explicit submit through the link: the only way an answer is recorded.
#[server(endpoint = "campana/responder")]
pub async fn submit_campaign_survey(
    token: String,
    nps: Option<String>,
    csat: Option<String>,
    comment: Option<String>,
) -> Result<(), AppError> {
    respond(
        answer(
            &Credential::Token(&token),
            [nps, csat, comment],
            &format!("/campana/{token}?gracias=1"),
        )
        .await,
    )
}

/// Records one campaign answer (`[nps, csat, comment]` as the form sent them) under
/// `credential`, and sends a plain form post on to `thanks`.
#[cfg(feature = "ssr")]
async fn answer(
    credential: &Credential<'_>,
    [nps, csat, comment]: [Option<String>; 3],
    thanks: &str,
) -> Result<(), AppError> {
    let state = app_state()?;
    campaigns::submit(
        &state,
        credential,
        nps.as_deref(),
        csat.as_deref(),
        comment.as_deref().unwrap_or_default(),
    )
    .await?;
    navigate_after(thanks);
    Ok(())
}

/// The campaign surveys the signed-in customer has pending.
#[server(endpoint = "portal/campanas")]
pub async fn my_campaign_surveys() -> Result<Vec<PendingCampaignSurvey>, AppError> {
    session::signed_in(|state, user| async move { campaigns::pending(&state, &user).await }).await
}

/// One of the signed-in customer's campaign surveys. Customers only, their own account.
#[server(endpoint = "portal/campana/estado")]
pub async fn load_my_campaign_survey(id: String) -> Result<CampaignSurveyStatus, AppError> {
    session::signed_in(|state, user| async move {
        campaigns::status(
            &state,
            &Credential::Portal {
                invitation_id: &id,
                user: &user,
            },
        )
        .await
    })
    .await
}

/// The signed-in customer answers one of their campaign surveys.
#[server(endpoint = "portal/campana/responder")]
pub async fn submit_my_campaign_survey(
    id: String,
    nps: Option<String>,
    csat: Option<String>,
    comment: Option<String>,
) -> Result<(), AppError> {
    session::signed_in(|_state, user| async move {
        answer(
            &Credential::Portal {
                invitation_id: &id,
                user: &user,
            },
            [nps, csat, comment],
            &format!("/portal/campanas/{id}?gracias=1"),
        )
        .await
    })
    .await
}
