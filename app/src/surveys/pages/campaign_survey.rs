//! The relationship survey as the customer answers it (seed 001 §5.2), from the e-mail link
//! (`/campana/:token`) or from the portal when signed in (`/portal/campanas/:id`): only the
//! questions the campaign asks, one screen on a phone, a plain form that works before the
//! WebAssembly loads. Opening the page records nothing; only the submit does.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::error::AppError;
use crate::surveys::api::campaigns::{
    load_campaign_survey, load_my_campaign_survey, SubmitCampaignSurvey, SubmitMyCampaignSurvey,
};
use crate::surveys::model::CampaignSurveyStatus;
use crate::ui::feedback::{action_error, ErrorNotice, QueryError};
use crate::ui::survey_questions::{Answered, RecommendationScale, SatisfactionScale};

/// From the e-mail link: the token is the credential.
#[component]
pub fn CampaignSurveyPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let submit = ServerAction::<SubmitCampaignSurvey>::new();
    let status = Resource::new(
        move || (token(), submit.version().get()),
        |(token, _)| load_campaign_survey(token),
    );
    let thanked = Signal::derive(move || matches!(submit.value().get(), Some(Ok(()))));
    view! {
        <section class="narrow survey">
            <h1>"Encuesta de percepción y satisfacción"</h1>
            <Transition fallback=|| view! { <p class="loading">"Cargando la encuesta…"</p> }>
                {move || Suspend::new(async move {
                    let form = move |status: CampaignSurveyStatus| view! {
                        <ActionForm action=submit attr:class="form survey-form">
                            <input type="hidden" name="token" value=token() />
                            <Questions status />
                            {action_error(submit.value())}
                            <button type="submit" disabled=move || submit.pending().get()>"Enviar respuestas"</button>
                        </ActionForm>
                    };
                    outcome(status.await, form, thanked)
                })}
            </Transition>
        </section>
    }
}

/// From the portal: the signed-in customer's own invitation.
#[component]
pub fn MyCampaignSurveyPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let submit = ServerAction::<SubmitMyCampaignSurvey>::new();
    let status = Resource::new(
        move || (id(), submit.version().get()),
        |(id, _)| load_my_campaign_survey(id),
    );
    let thanked = Signal::derive(move || matches!(submit.value().get(), Some(Ok(()))));
    view! {
        <section class="narrow survey">
            <p><a href="/portal">"← Mis solicitudes"</a></p>
            <h1>"Encuesta de percepción y satisfacción"</h1>
            <Transition fallback=|| view! { <p class="loading">"Cargando la encuesta…"</p> }>
                {move || Suspend::new(async move {
                    let form = move |status: CampaignSurveyStatus| view! {
                        <ActionForm action=submit attr:class="form survey-form">
                            <input type="hidden" name="id" value=id() />
                            <Questions status />
                            {action_error(submit.value())}
                            <button type="submit" disabled=move || submit.pending().get()>"Enviar respuestas"</button>
                        </ActionForm>
                    };
                    outcome(status.await, form, thanked)
                })}
            </Transition>
        </section>
    }
}

/// The form while the survey is open, otherwise what happened to it, in words.
fn outcome<F, V>(
    status: Result<CampaignSurveyStatus, AppError>,
    form: F,
    thanked: Signal<bool>,
) -> AnyView
where
    F: FnOnce(CampaignSurveyStatus) -> V,
    V: IntoView + 'static,
{
    match status {
        Ok(open @ CampaignSurveyStatus::Open { .. }) => form(open).into_any(),
        Ok(CampaignSurveyStatus::Answered) => view! { <Answered thanked /> }.into_any(),
        Ok(CampaignSurveyStatus::Expired) => view! {
            <p class="notice" role="status">
                "El periodo de esta encuesta terminó y ya no admite respuestas. Gracias de todos modos."
            </p>
        }
        .into_any(),
        Ok(CampaignSurveyStatus::Unknown) => view! {
            <p class="alert" role="alert">
                "Este enlace de encuesta no es válido. Revise que lo copió completo del correo."
            </p>
        }
        .into_any(),
        Err(error) => view! { <ErrorNotice error /> }.into_any(),
    }
}

/// The questions the campaign asks, and nothing else.
#[component]
fn Questions(status: CampaignSurveyStatus) -> impl IntoView {
    let CampaignSurveyStatus::Open {
        campaign,
        ask_nps,
        ask_csat,
        ask_comment,
        closes,
    } = status
    else {
        return ().into_any();
    };
    view! {
        <p class="meta"><strong>{campaign}</strong> " · puede responder hasta el " {closes}</p>
        <QueryError />
        {ask_csat.then(|| view! {
            <SatisfactionScale legend="En general, ¿qué tan satisfecho está con nuestro servicio? (1 nada, 5 muy satisfecho)" />
        })}
        {ask_nps.then(|| view! { <RecommendationScale /> })}
        {ask_comment.then(|| {
            let only = !ask_nps && !ask_csat;
            view! {
                <label>
                    {if only { "Cuéntenos su opinión sobre nuestro servicio" } else { "Comentario (opcional)" }}
                    <textarea name="comment" rows="3" maxlength="2000" required=only></textarea>
                </label>
            }
        })}
    }
    .into_any()
}
