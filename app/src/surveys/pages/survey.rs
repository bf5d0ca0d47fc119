//! The satisfaction survey a customer reaches from the e-mail link or from their closed request
//! (survey requirement): one screen on a phone, a plain form that works before the WebAssembly loads.
//! Opening the page records nothing; only the submit does.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::surveys::api::transactional::{load_survey, SubmitSurvey};
use crate::surveys::model::SurveyStatus;
use crate::ui::feedback::{action_error, ErrorNotice, QueryError};
use crate::ui::survey_questions::{Answered, RecommendationScale, SatisfactionScale};

#[component]
pub fn SurveyPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let submit = ServerAction::<SubmitSurvey>::new();
    let status = Resource::new(
        move || (token(), submit.version().get()),
        |(token, _)| load_survey(token),
    );
    view! {
        <section class="narrow survey">
            <h1>"Encuesta de satisfacción"</h1>
            <Transition fallback=|| view! { <p class="loading">"Cargando la encuesta…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(SurveyStatus::Open { radicado, subject, about_call }) => {
                            view! { <SurveyForm token=token() radicado subject about_call submit /> }.into_any()
                        }
                        Ok(SurveyStatus::Answered) => {
                            let thanked = Signal::derive(move || matches!(submit.value().get(), Some(Ok(()))));
                            view! { <Answered thanked /> }.into_any()
                        }
                        Ok(SurveyStatus::Expired) => view! {
                            <p class="notice" role="status">
                                "El enlace de esta encuesta venció y ya no admite respuestas. Gracias de todos modos."
                            </p>
                        }
                        .into_any(),
                        Ok(SurveyStatus::Unknown) => view! {
                            <p class="alert" role="alert">
                                "Este enlace de encuesta no es válido. Revise que lo copió completo del correo."
                            </p>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SurveyForm(
    token: String,
    radicado: String,
    subject: String,
    about_call: bool,
    submit: ServerAction<SubmitSurvey>,
) -> impl IntoView {
    view! {
        {if about_call {
            view! { <p class="meta">"Sobre la llamada que le hicimos · encuesta enviada el " {subject}</p> }.into_any()
        } else {
            view! { <p class="meta">"Solicitud " <strong>{radicado}</strong> " · " {subject}</p> }.into_any()
        }}
        <QueryError />
        <ActionForm action=submit attr:class="form survey-form">
            <input type="hidden" name="token" value=token />
            <SatisfactionScale legend=if about_call {
                "¿Qué tan satisfecho quedó con la atención del asesor que lo llamó? (1 nada, 5 muy satisfecho)"
            } else {
                "¿Qué tan satisfecho quedó con la atención? (1 nada, 5 muy satisfecho)"
            } />
            <RecommendationScale />
            {(!about_call).then(|| view! {
                <fieldset class="scale">
                    <legend>"¿Se resolvió su solicitud?"</legend>
                    <div class="picks">
                        <label class="pick"><input type="radio" name="resolved" value="si" required /><span>"Sí"</span></label>
                        <label class="pick"><input type="radio" name="resolved" value="no" /><span>"No"</span></label>
                    </div>
                </fieldset>
            })}
            <label>
                "Comentario (opcional)"
                <textarea name="comment" rows="3" maxlength="2000"></textarea>
            </label>
            {action_error(submit.value())}
            <button type="submit" disabled=move || submit.pending().get()>"Enviar respuestas"</button>
        </ActionForm>
    }
}
