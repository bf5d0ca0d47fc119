//! One request as its customer sees it: state, clocks, the public thread with attachments,
//! the history of state changes, and what they can do now — reply, close, or file a related
//! request once it is closed (seed 000 §5 e: a closed request never reopens).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::requests::api::{load_request_detail, CloseRequest};
use crate::requests::model::{ClockView, RequestDetail};
use crate::ui::feedback::{action_error, ErrorNotice};
use crate::ui::not_found::NotFound;
use crate::ui::upload_form::UploadForm;

#[component]
pub fn RequestPage() -> impl IntoView {
    let params = use_params_map();
    let radicado = move || params.read().get("radicado").unwrap_or_default();
    let close = ServerAction::<CloseRequest>::new();
    // The reply being written lives here, outside what live updates re-render, so a new
    // message arriving while the customer types does not erase their text (agent-workspace requirement).
    let draft = RwSignal::new(String::new());
    let live = crate::live::client::use_live();
    let detail = Resource::new(
        move || (radicado(), close.version().get(), live.version.get()),
        |(r, _, _)| load_request_detail(r),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Cargando la solicitud…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(Some(detail)) => view! { <Detail detail close draft /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Detail(
    detail: RequestDetail,
    close: ServerAction<CloseRequest>,
    draft: RwSignal<String>,
) -> impl IntoView {
    let query = use_query_map();
    let just_filed = move || query.read().get("radicada").is_some();
    let radicado = detail.radicado.clone();
    let filed_radicado = detail.radicado.clone();
    let close_radicado = detail.radicado.clone();
    view! {
        <section class="request">
            <Show when=just_filed>
                <p class="success" role="status">
                    "Su solicitud quedó radicada con el número " <strong>{filed_radicado.clone()}</strong> "."
                </p>
            </Show>
            <h1><span class="radicado">{detail.radicado.clone()}</span> " · " {detail.subject.clone()}</h1>
            <p class="meta">
                {detail.request_type.clone()}
                {detail.category.clone().map(|c| format!(" · {c}"))}
                " · prioridad " {detail.priority.clone()} " · radicada el " {detail.received_at.clone()}
            </p>
            <p>
                <span class=format!("state state-{}", detail.state_code)>{detail.state.clone()}</span>
                " " {detail.next_step.clone()}
            </p>
            <div class="clocks">
                {detail.first_contact.clone().map(|c| view! { <ClockLine clock=c /> })}
                {detail.first_response.clone().map(|c| view! { <ClockLine clock=c /> })}
                {(!detail.ans_guaranteed).then(|| view! {
                    <p class="meta warn">"Sin garantía de ANS: su cuenta no está activa o tiene pagos pendientes."</p>
                })}
                {detail.legal_term.clone().map(|c| view! { <ClockLine clock=c /> })}
                {detail.extension.clone().map(|e| view! { <p class="meta extension">{e}</p> })}
            </div>
            {detail.related.clone().map(|r| view! { <p class="meta">"Relacionada con la solicitud " {r}</p> })}
            {detail.pending_question.clone().map(|q| view! {
                <div class="notice" role="note">
                    <strong>"Le pedimos esta información:"</strong>
                    <p class="body">{q}</p>
                </div>
            })}
            <h2>"Conversación"</h2>
            <ol class="thread">
                {detail
                    .messages
                    .iter()
                    .map(|m| {
                        view! {
                            <li class=if m.from_customer { "message mine" } else { "message staff" }>
                                <p class="meta"><strong>{m.author.clone()}</strong> " · " {m.created_at.clone()}</p>
                                <p class="body">{m.body.clone()}</p>
                                {(!m.attachments.is_empty()).then(|| view! {
                                    <ul class="attachments">
                                        {m.attachments.iter().map(|a| view! {
                                            <li>
                                                <a href=format!("/adjuntos/{}", a.id) download=a.file_name.clone()>{a.file_name.clone()}</a>
                                                <small>{format!(" {} · {}", a.kind, a.size)}</small>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {(!detail.links.is_empty()).then(|| view! {
                <h3>"Enlaces"</h3>
                <ul>{detail.links.iter().map(|l| view! { <li><a href=l.clone() rel="noopener noreferrer nofollow" target="_blank">{l.clone()}</a></li> }).collect_view()}</ul>
            })}
            {detail.can_reply.then(|| view! {
                <h2>"Responder"</h2>
                <UploadForm action=format!("/portal/solicitudes/{radicado}/responder") submit_label="Enviar respuesta">
                    <label>
                        "Mensaje"
                        <textarea name="message" rows="4" required maxlength="5000"
                            prop:value=move || draft.get_untracked()
                            on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    </label>
                    <label>
                        "Adjuntos (opcional)"
                        <input name="attachments" type="file" multiple accept=ventanilla::attachment::AttachmentKind::accept_attribute() />
                    </label>
                </UploadForm>
            })}
            {detail.can_close.then(|| view! {
                <details class="close-request">
                    <summary>"Cerrar solicitud"</summary>
                    <p>"Cierre la solicitud si ya quedó satisfecho. Una solicitud cerrada no se puede reabrir."</p>
                    <ActionForm action=close>
                        <input type="hidden" name="radicado" value=close_radicado.clone() />
                        {action_error(close.value())}
                        <button type="submit" class="danger" disabled=move || close.pending().get()>"Sí, cerrar definitivamente"</button>
                    </ActionForm>
                </details>
            })}
            {detail.survey_url.clone().map(|url| view! {
                <p class="notice survey-invite">
                    "¿Cómo lo atendimos? Toma menos de un minuto. "
                    <a class="button" href=url>"Responder la encuesta"</a>
                </p>
            })}
            {(!detail.can_reply).then(|| view! {
                <a class="button" href=format!("/portal/nueva?relacionada={}", detail.radicado)>"Nueva solicitud relacionada"</a>
            })}
            <h2>"Historial"</h2>
            <ol class="history">
                {detail.history.iter().map(|h| view! {
                    <li><span class="meta">{h.at.clone()}</span> " " {h.text.clone()} <small>{format!(" — {}", h.actor)}</small></li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn ClockLine(clock: ClockView) -> impl IntoView {
    view! {
        <p class=format!("clock clock-{}", clock.status_code)>
            <strong>{clock.label}</strong> ": a más tardar " {clock.due} " · " {clock.status}
        </p>
    }
}
