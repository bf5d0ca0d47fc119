//! The agent's view of one request: the customer, the clocks, the whole thread including
//! internal notes, the history, and the actions the agent may take in this state.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::ui::feedback::{action_error, ErrorNotice, QueryError};
use crate::ui::not_found::NotFound;
use crate::ui::upload_form::UploadForm;
use crate::workspace::api::staff::{
    load_staff_request, ChangePriority, DeclareExtension, TypifyRequest,
};
use crate::workspace::canned_answer_picker::CannedAnswerPicker;
use crate::workspace::presence_view::{announce_typing, PresenceNotice};
use crate::{
    requests::model::ExtensionOffer,
    workspace::model::{StaffRequestView, TypificationOptions},
};

#[component]
pub fn StaffRequestPage() -> impl IntoView {
    let params = use_params_map();
    let radicado = move || params.read().get("radicado").unwrap_or_default();
    let reprioritize = ServerAction::<ChangePriority>::new();
    let typify = ServerAction::<TypifyRequest>::new();
    let extend = ServerAction::<DeclareExtension>::new();
    // The message being written survives live refreshes of the page (agent-workspace requirement); the action
    // form posts with its files and the page reloads once it succeeds.
    let draft = RwSignal::new(String::new());
    // Collision warning (agent-workspace requirement): the newest customer message this agent had when they began
    // writing goes with the reply; see `ssr::stale_reply`.
    let seen = RwSignal::new(None::<String>);
    announce_typing(radicado, draft);
    let live = crate::live::client::use_live();
    let view_data = Resource::new(
        move || {
            (
                radicado(),
                reprioritize.version().get(),
                typify.version().get(),
                extend.version().get(),
                live.version.get(),
            )
        },
        |(r, _, _, _, _)| load_staff_request(r),
    );
    view! {
        {move || view! { <PresenceNotice radicado=radicado() /> }}
        <Transition fallback=|| view! { <p class="loading">"Cargando la solicitud…"</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(Some(data)) => view! { <Workbench data draft seen reprioritize typify extend /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Workbench(
    data: StaffRequestView,
    draft: RwSignal<String>,
    seen: RwSignal<Option<String>>,
    reprioritize: ServerAction<ChangePriority>,
    typify: ServerAction<TypifyRequest>,
    extend: ServerAction<DeclareExtension>,
) -> impl IntoView {
    if draft.get_untracked().is_empty() {
        seen.set(data.last_customer_message.clone());
    }
    // The customer wrote after the agent began this draft: warn now, and let the agent send
    // anyway only on purpose (the server refuses otherwise).
    let latest = data.last_customer_message.clone();
    let stale = move || !draft.get().is_empty() && seen.get() != latest;
    let plantillas = data.canned_answers.clone();
    let priority_radicado = data.detail.radicado.clone();
    let detail = data.detail;
    let radicado = detail.radicado.clone();
    let clock = |c: Option<crate::requests::model::ClockView>| {
        c.map(|c| {
            view! {
                <p class=format!("clock clock-{}", c.status_code)>
                    <strong>{c.label}</strong> ": " {c.due} " · " {c.status}
                </p>
            }
        })
    };
    view! {
        <section class="request">
            <p><a href="/equipo">"← Espacio de trabajo"</a></p>
            <QueryError />
            <h1><span class="radicado">{detail.radicado.clone()}</span> " · " {detail.subject.clone()}</h1>
            <p class="meta">
                {match data.customer_page.clone() {
                    Some(href) => view! { <a href=href>{data.customer.clone()}</a> }.into_any(),
                    None => view! { <span>{data.customer.clone()}</span> }.into_any(),
                }}
                " · " {data.document.clone()} " · cliente " {data.tier.clone()}
            </p>
            <p class="meta">
                {detail.request_type.clone()} {detail.category.clone().map(|c| format!(" · {c}"))}
                " · prioridad " {detail.priority.clone()} " · radicada el " {detail.received_at.clone()}
            </p>
            <p>
                <span class=format!("state state-{}", detail.state_code)>{detail.state.clone()}</span>
                " Asignada a: " {data.assignee.clone().unwrap_or_else(|| "nadie".to_string())}
                {data.area.clone().map(|a| format!(" · Área: {a}"))}
            </p>
            <p class="meta typification">
                "Tipificación: " {data.typification.clone().unwrap_or_else(|| "sin tipificar".to_string())}
            </p>
            <div class="clocks">
                {clock(detail.first_contact.clone())}
                {clock(detail.first_response.clone())}
                {(!detail.ans_guaranteed).then(|| view! { <p class="meta warn">"Sin garantía de ANS"</p> })}
                {clock(detail.legal_term.clone())}
                {detail.extension.clone().map(|e| view! { <p class="meta extension">{e}</p> })}
            </div>
            <h2>"Conversación"</h2>
            <ol class="thread">
                {detail.messages.iter().map(|m| view! {
                    <li class=if m.internal { "message internal" } else if m.from_customer { "message mine" } else { "message staff" }>
                        <p class="meta">
                            <strong>{m.author.clone()}</strong> " · " {m.created_at.clone()}
                            {m.internal.then_some(" · nota interna")}
                        </p>
                        <p class="body">{m.body.clone()}</p>
                        {(!m.attachments.is_empty()).then(|| view! {
                            <ul class="attachments">
                                {m.attachments.iter().map(|a| view! {
                                    <li><a href=format!("/adjuntos/{}", a.id) download=a.file_name.clone()>{a.file_name.clone()}</a> <small>{a.size.clone()}</small></li>
                                }).collect_view()}
                            </ul>
                        })}
                    </li>
                }).collect_view()}
            </ol>
            {data.read_only.clone().map(|why| view! { <p class="notice read-only" role="note">{why}</p> })}
            {(!data.actions.is_empty()).then(|| view! {
                <h2>"Actuar"</h2>
                <CannedAnswerPicker radicado=radicado.clone() plantillas=plantillas.clone() draft />
                <UploadForm action=format!("/equipo/solicitudes/{radicado}/actuar") submit_label="Aplicar">
                    <input type="hidden" name="seen_customer_message" value=move || seen.get().unwrap_or_default() />
                    {move || stale().then(|| view! {
                        <p class="alert" role="status">
                            "El cliente escribió un mensaje nuevo mientras usted redactaba; ya aparece en la conversación. Léalo antes de enviar."
                        </p>
                        <label class="check">
                            <input type="checkbox" name="send_anyway" value="si" />
                            " Leí el mensaje nuevo; enviar de todos modos"
                        </label>
                    })}
                    <label>
                        "Acción"
                        <select name="action">
                            {data.actions.iter().map(|a| view! { <option value=a.code.clone()>{a.label.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    {data.actions.iter().any(|a| a.code == "answer").then(|| view! {
                        <label>
                            "Resultado (solo para la respuesta)"
                            <select name="outcome">
                                {ventanilla::lifecycle::AnswerOutcome::ALL.iter().map(|o| view! {
                                    <option value=o.code()>{o.label_es()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    })}
                    {data.actions.iter().any(|a| a.code == "assign").then(|| view! {
                        <label>
                            "Asesor (solo para asignar)"
                            <select name="assignee_id">
                                {data.agents.iter().map(|a| view! { <option value=a.code.clone()>{a.label.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                    })}
                    {(!data.areas.is_empty() && data.actions.iter().any(|a| a.code == "escalate")).then(|| view! {
                        <label>
                            "Área (solo para escalar)"
                            <select name="area_id">
                                {data.areas.iter().map(|a| view! { <option value=a.code.clone()>{a.label.clone()}</option> }).collect_view()}
                            </select>
                            {data.areas.iter().find(|a| !a.hint.is_empty()).map(|a| view! {
                                <small class="matrix-area">{format!("{}: {}", a.hint, a.label)}</small>
                            })}
                        </label>
                    })}
                    <label>
                        "Mensaje (el cliente lo ve, salvo en la nota interna, el escalamiento y la respuesta del área)"
                        <textarea name="message" rows="5" maxlength="5000"
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    </label>
                    <label>
                        "Adjuntos (opcional, con el mensaje)"
                        <input name="attachments" type="file" multiple accept=ventanilla::attachment::AttachmentKind::accept_attribute() />
                    </label>
                </UploadForm>
            })}
            {(!data.priorities.is_empty()).then(|| view! {
                <details class="change-priority">
                    <summary>"Cambiar prioridad"</summary>
                    <ActionForm action=reprioritize attr:class="form">
                        <input type="hidden" name="radicado" value=priority_radicado.clone() />
                        <label>
                            "Nueva prioridad"
                            <select name="priority">
                                {data.priorities.iter().map(|p| view! { <option value=p.code.clone()>{p.label.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>"Motivo" <input name="reason" type="text" required minlength="5" maxlength="500" /></label>
                        {action_error(reprioritize.value())}
                        <button type="submit" disabled=move || reprioritize.pending().get()>"Cambiar prioridad"</button>
                    </ActionForm>
                </details>
            })}
            {data.typify.clone().map(|options| view! { <TypifyForm options radicado=radicado.clone() typify /> })}
            {data.extension_offer.clone().map(|offer| view! { <ExtensionForm offer radicado=radicado.clone() extend /> })}
            <h2>"Historial"</h2>
            <ol class="history">
                {detail.history.iter().map(|h| view! {
                    <li><span class="meta">{h.at.clone()}</span> " " {h.text.clone()} <small>{format!(" — {}", h.actor)}</small></li>
                }).collect_view()}
            </ol>
            {data.access_log.clone().map(|log| view! { <AccessLog log /> })}
        </section>
    }
}

/// Who among staff opened the request or downloaded its files (Ley 1581 art. 17), for the
/// supervisor: folded, since it is looked at when something is asked, not every day.
#[component]
fn AccessLog(log: Vec<crate::requests::model::AccessEntry>) -> impl IntoView {
    view! {
        <details class="access-log">
            <summary>{format!("Registro de accesos ({})", log.len())}</summary>
            {if log.is_empty() {
                view! { <p class="meta">"Nadie del equipo ha abierto esta solicitud todavía."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr><th scope="col">"Fecha"</th><th scope="col">"Persona"</th><th scope="col">"Rol"</th><th scope="col">"Acceso"</th></tr></thead>
                        <tbody>
                            {log.into_iter().map(|entry| view! {
                                <tr><td>{entry.at}</td><td>{entry.who}</td><td>{entry.role}</td><td>{entry.what}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </details>
    }
}

/// Category, subcategory and cause (agent-workspace requirement). Every subcategory is listed under its category
/// so the form works before the WebAssembly loads; the server refuses a wrong pair in words.
#[component]
fn TypifyForm(
    options: TypificationOptions,
    radicado: String,
    typify: ServerAction<TypifyRequest>,
) -> impl IntoView {
    let chosen = |current: &Option<String>, code: &str| current.as_deref() == Some(code);
    view! {
        <details class="typify">
            <summary>"Tipificar"</summary>
            <ActionForm action=typify attr:class="form">
                <input type="hidden" name="radicado" value=radicado />
                <label>
                    "Categoría"
                    <select name="category_id" required>
                        {options.categories.iter().map(|c| view! {
                            <option value=c.code.clone() selected=chosen(&options.category_id, &c.code)>{c.label.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    "Subcategoría"
                    <select name="subcategory_id" required>
                        {options.categories.iter().map(|c| view! {
                            <optgroup label=c.label.clone()>
                                {options.subcategories.iter().filter(|(category, _)| *category == c.code).map(|(_, s)| view! {
                                    <option value=s.code.clone() selected=chosen(&options.subcategory_id, &s.code)>{s.label.clone()}</option>
                                }).collect_view()}
                            </optgroup>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    "Causa"
                    <select name="cause_id" required>
                        {options.causes.iter().map(|c| view! {
                            <option value=c.code.clone() selected=chosen(&options.cause_id, &c.code)>{c.label.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                {action_error(typify.value())}
                <button type="submit" disabled=move || typify.pending().get()>"Guardar tipificación"</button>
            </ActionForm>
        </details>
    }
}

/// The prórroga of the legal term (Ley 1755 de 2015 art. 14 parágrafo): the customer receives
/// the reasons and the new date, so both are asked for here.
#[component]
fn ExtensionForm(
    offer: ExtensionOffer,
    radicado: String,
    extend: ServerAction<DeclareExtension>,
) -> impl IntoView {
    view! {
        <details class="extension">
            <summary>"Prorrogar el término legal"</summary>
            <p class="meta">
                "Solo una vez y antes de que venza el término. El cliente recibe los motivos y la nueva fecha."
            </p>
            <ActionForm action=extend attr:class="form">
                <input type="hidden" name="radicado" value=radicado />
                <label>
                    "Razones de la demora (el cliente las recibe)"
                    <textarea name="reason" rows="3" required maxlength="1000"></textarea>
                </label>
                <label>
                    {format!("Nuevo plazo ({}, de {} a {})", offer.hint, offer.min_days, offer.max_days)}
                    <input name="business_days" type="number" required
                        min=offer.min_days.to_string() max=offer.max_days.to_string() value=offer.max_days.to_string() />
                </label>
                {action_error(extend.value())}
                <button type="submit" disabled=move || extend.pending().get()>"Declarar prórroga"</button>
            </ActionForm>
        </details>
    }
}
