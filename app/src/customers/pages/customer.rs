//! `/equipo/clientes/:id`: everything about one customer in one page (seed 002 §5.2.8;
//! seed 004 PQRS 7–8) — who they are and how to reach them, the contract and the tier it
//! gives this year, every request with its state and clocks, survey answers, detractor
//! cases, campaign invitations and the staff's notes. Supervisors and admins edit the
//! commercial data and block web access here.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use ventanilla::customer::AccountKind;
use ventanilla::tier::ServiceStatus;

use crate::customers::api::{
    load_customer, AddCustomerContact, AddCustomerNote, SaveCommercialData, SetCustomerWebAccess,
};
use crate::customers::model::{CommercialForm, CustomerView};
use crate::ui::feedback::{action_error, action_outcome, ErrorNotice};

#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let save = ServerAction::<SaveCommercialData>::new();
    let access = ServerAction::<SetCustomerWebAccess>::new();
    let note = ServerAction::<AddCustomerNote>::new();
    let contact = ServerAction::<AddCustomerContact>::new();
    // Reloaded after a change that succeeded only: a refused form stays open with what the
    // person typed, next to the reason it was refused.
    let changes = RwSignal::new(0u32);
    let bump = move |succeeded: bool| {
        if succeeded {
            changes.update(|n| *n += 1);
        }
    };
    Effect::new(move |_| bump(matches!(save.value().get(), Some(Ok(_)))));
    Effect::new(move |_| bump(matches!(access.value().get(), Some(Ok(_)))));
    Effect::new(move |_| bump(matches!(note.value().get(), Some(Ok(())))));
    Effect::new(move |_| bump(matches!(contact.value().get(), Some(Ok(_)))));
    let customer = Resource::new(move || (id(), changes.get()), |(id, _)| load_customer(id));
    view! {
        <section>
            <p><a href="/equipo/clientes">"← Clientes"</a></p>
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match customer.await {
                        Ok(view) => view! { <Customer view save access note contact /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Customer(
    view: CustomerView,
    save: ServerAction<SaveCommercialData>,
    access: ServerAction<SetCustomerWebAccess>,
    note: ServerAction<AddCustomerNote>,
    contact: ServerAction<AddCustomerContact>,
) -> impl IntoView {
    let manage = view.may_manage.then(|| {
        view! {
            <AddContact id=view.id.clone() contact />
            <Commercial id=view.id.clone() form=view.commercial.clone() save />
            {view.registered.then(|| view! { <WebAccess id=view.id.clone() blocked=view.blocked access /> })}
        }
    });
    view! {
        <h1>{view.name.clone()}</h1>
        <p class="meta">{format!("{} · cliente desde {}", view.document, view.since)}
            {view.blocked.then(|| view! { " " <span class="badge-blocked">"Portal bloqueado"</span> })}
            {(!view.registered).then(|| view! { " " <span class="badge-pending">"Aún sin registro en el portal"</span> })}
        </p>
        <dl class="facts">
            <dt>"Segmento"</dt><dd>{view.tier.clone()}</dd>
            <dt>"Contrato mensual"</dt><dd>{view.contract.clone()}</dd>
            <dt>"Garantía de ANS"</dt>
            <dd>{if view.ans_guaranteed { "Con garantía" } else { "Sin garantía de ANS" }}</dd>
            <dt>"Servicio"</dt><dd>{view.service_status.clone()}</dd>
            <dt>"Pagos"</dt><dd>{if view.payments_up_to_date { "Al día" } else { "En mora" }}</dd>
            <dt>"Tipo de cuenta"</dt><dd>{view.kind.clone()}</dd>
            <dt>"Segmento comercial"</dt><dd>{view.segment.clone()}</dd>
            <dt>"Contactos con nosotros"</dt>
            <dd>{format!("{} (solicitudes radicadas y mensajes del cliente)", view.contacts_count)}</dd>
        </dl>
        <h2>"Personas de contacto"</h2>
        <ul>
            {view.contacts.iter().map(|c| view! {
                <li>
                    <strong>{c.full_name.clone()}</strong>
                    {format!(" · {} · {}", c.email, if c.phone.is_empty() { "sin celular" } else { &c.phone })}
                    {(!c.address.is_empty()).then(|| format!(" · {}", c.address))}
                    {(!c.active).then_some(" · acceso bloqueado")}
                </li>
            }).collect_view()}
        </ul>
        {manage}
        <h2>{format!("Solicitudes ({})", view.requests.len())}</h2>
        {if view.requests.is_empty() {
            view! { <p class="empty">"No ha radicado solicitudes."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th scope="col">"Radicado"</th><th scope="col">"Tipo"</th><th scope="col">"Asunto"</th>
                            <th scope="col">"Estado"</th><th scope="col">"Segmento"</th><th scope="col">"Recibida"</th>
                            <th scope="col">"Término legal"</th>
                        </tr></thead>
                        <tbody>
                            {view.requests.iter().map(|r| view! {
                                <tr>
                                    <td class="radicado"><a href=format!("/equipo/solicitudes/{}", r.radicado)>{r.radicado.clone()}</a></td>
                                    <td>{r.request_type.clone()}</td>
                                    <td>{r.subject.clone()}</td>
                                    <td><span class=format!("state state-{}", r.state_code)>{r.state.clone()}</span></td>
                                    <td>{r.tier.clone()}{(!r.ans_guaranteed).then_some(" · sin garantía")}</td>
                                    <td>{r.received_at.clone()}</td>
                                    <td>{r.legal_due_date.clone().unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2>"Encuestas respondidas"</h2>
        {if view.surveys.is_empty() {
            view! { <p class="empty">"Sin respuestas de encuesta."</p> }.into_any()
        } else {
            view! {
                <ul>
                    {view.surveys.iter().map(|s| view! {
                        <li>
                            {format!(
                                "{} · {} · NPS {} · satisfacción {}{}",
                                s.answered_at,
                                s.radicado,
                                s.nps.map_or("—".to_string(), |n| n.to_string()),
                                s.csat.map_or("—".to_string(), |n| format!("{n}/5")),
                                match s.resolved { Some(true) => " · resuelta", Some(false) => " · no resuelta", None => "" },
                            )}
                            {(!s.comment.is_empty()).then(|| view! { <br /><q>{s.comment.clone()}</q> })}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"Casos de detractores"</h2>
        {if view.recovery_cases.is_empty() {
            view! { <p class="empty">"Sin casos."</p> }.into_any()
        } else {
            view! {
                <ul>
                    {view.recovery_cases.iter().map(|c| view! {
                        <li>
                            <a href=format!("/equipo/detractores/{}", c.id)>{format!("Caso del {}", c.opened_at)}</a>
                            {format!(" · {}{}", c.status, if c.outcome.is_empty() { String::new() } else { format!(" · {}", c.outcome) })}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"Campañas de encuesta"</h2>
        {if view.campaigns.is_empty() {
            view! { <p class="empty">"No ha sido invitado a campañas."</p> }.into_any()
        } else {
            view! {
                <ul>
                    {view.campaigns.iter().map(|c| view! {
                        <li>{format!("{} · invitado el {} · {}", c.campaign, c.sent_at, if c.answered { "respondió" } else { "sin respuesta" })}</li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"Información relevante"</h2>
        <ActionForm action=note attr:class="form narrow">
            <input type="hidden" name="account_id" value=view.id.clone() />
            <label>
                "Nueva nota (contactos, cambios de titular, información de mercado)"
                <textarea name="body" required minlength="3" maxlength="2000" rows="3"></textarea>
            </label>
            {action_error(note.value())}
            <button type="submit" disabled=move || note.pending().get()>"Guardar nota"</button>
        </ActionForm>
        {if view.notes.is_empty() {
            view! { <p class="empty">"Sin notas."</p> }.into_any()
        } else {
            view! {
                <ul class="customer-notes">
                    {view.notes.iter().map(|n| view! {
                        <li class="message">
                            <p class="meta">{format!("{} · {}", n.author, n.at)}</p>
                            <p class="body">{n.body.clone()}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// The commercial data form (supervisors and admins).
#[component]
fn Commercial(
    id: String,
    form: CommercialForm,
    save: ServerAction<SaveCommercialData>,
) -> impl IntoView {
    let contract = form
        .monthly_contract_cop
        .map(|v| v.to_string())
        .unwrap_or_default();
    view! {
        <details class="notice">
            <summary>"Editar datos comerciales"</summary>
            <ActionForm action=save attr:class="form narrow">
                <input type="hidden" name="account_id" value=id />
                <input type="hidden" name="revision" value=form.revision.to_string() />
                <label>
                    "Valor del contrato mensual (pesos; vacío si no tiene)"
                    <input name="monthly_contract_cop" type="text" inputmode="numeric" value=contract maxlength="20" />
                </label>
                <label>
                    "Estado del servicio"
                    <select name="service_status">
                        {ServiceStatus::ALL.iter().map(|s| view! {
                            <option value=s.code() selected=s.code() == form.service_status>{s.label_es()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    "Pagos"
                    <select name="payments_up_to_date">
                        <option value="si" selected=form.payments_up_to_date>"Al día"</option>
                        <option value="no" selected=!form.payments_up_to_date>"En mora"</option>
                    </select>
                </label>
                <label>
                    "Tipo de cuenta"
                    <select name="kind">
                        {AccountKind::ALL.iter().map(|k| view! {
                            <option value=k.code() selected=k.code() == form.kind>{k.label_es()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    "Segmento comercial"
                    <input name="segment" type="text" required maxlength="60" value=form.segment.clone() />
                </label>
                <label>
                    "Motivo del cambio"
                    <input name="reason" type="text" required minlength="5" maxlength="500" />
                </label>
                <button type="submit" disabled=move || save.pending().get()>"Guardar datos comerciales"</button>
            </ActionForm>
        </details>
        {action_outcome(save.value())}
    }
}

/// Adding a person who may sign in and file for the account (supervisors and admins): a
/// company's several contacts, or the first one of an account imported from the ERP.
#[component]
fn AddContact(id: String, contact: ServerAction<AddCustomerContact>) -> impl IntoView {
    view! {
        <details class="notice">
            <summary>"Añadir persona de contacto"</summary>
            <ActionForm action=contact attr:class="form narrow">
                <input type="hidden" name="account_id" value=id />
                <label>
                    "Nombre completo"
                    <input name="full_name" type="text" required maxlength="150" autocomplete="off" />
                </label>
                <label>
                    "Correo electrónico del contacto"
                    <input name="email" type="email" required maxlength="254" autocomplete="off" />
                </label>
                <label>
                    "Celular del contacto (opcional)"
                    <input name="phone" type="tel" maxlength="20" autocomplete="off" />
                </label>
                <label>
                    "Medio por el que autorizó el tratamiento de sus datos"
                    <select name="channel">
                        {ventanilla::channel::Channel::ON_BEHALF.iter().map(|c| view! {
                            <option value=c.code()>{c.label_es()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" name="consent" value="si" />
                    "La persona autorizó el tratamiento de sus datos personales (Ley 1581 de 2012)"
                </label>
                <button type="submit" disabled=move || contact.pending().get()>"Añadir contacto"</button>
            </ActionForm>
        </details>
        {action_outcome(contact.value())}
    }
}

/// Blocking and unblocking the customer's web access (supervisors and admins).
#[component]
fn WebAccess(
    id: String,
    blocked: bool,
    access: ServerAction<SetCustomerWebAccess>,
) -> impl IntoView {
    view! {
        <details class="notice">
            <summary>{if blocked { "Desbloquear acceso al portal" } else { "Bloquear acceso al portal" }}</summary>
            <ActionForm action=access attr:class="form narrow">
                <input type="hidden" name="account_id" value=id />
                <input type="hidden" name="blocked" value=if blocked { "no" } else { "si" } />
                <label>
                    {if blocked { "Motivo del desbloqueo" } else { "Motivo del bloqueo" }}
                    <input name="reason" type="text" required minlength="5" maxlength="500" />
                </label>
                <button type="submit" class=if blocked { "secondary" } else { "danger" }>
                    {if blocked { "Desbloquear acceso" } else { "Bloquear acceso" }}
                </button>
            </ActionForm>
        </details>
        {action_outcome(access.value())}
    }
}
