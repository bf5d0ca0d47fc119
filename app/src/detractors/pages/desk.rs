//! The detractor recovery desk (seed 003): the open cases, most urgent first, refreshed live
//! when a bad survey answer opens one; and the case page where the agent logs each contact
//! attempt until the case is closed.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::detractors::api::cases::{
    load_recovery_case, load_recovery_cases, LogContactAttempt, RecordCallSurvey,
};
use crate::detractors::model::{RecoveryCaseRow, RecoveryCaseView};
use crate::ui::feedback::{action_error, ErrorNotice};
use crate::ui::not_found::NotFound;
use crate::ui::sla_timer::DeadlineTimer;
use crate::ui::survey_questions::{RecommendationScale, SatisfactionScale};

#[component]
pub fn DetractorsPage() -> impl IntoView {
    let live = crate::live::client::use_live();
    let cases = Resource::new(move || live.version.get(), |_| load_recovery_cases());
    view! {
        <section>
            <h1>"Detractores"</h1>
            <p class="meta">"Clientes que calificaron mal la atención. Cada caso se gestiona en 24 horas (procedimiento de detractores)."</p>
            <ImportLink />
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(rows) if rows.is_empty() => {
                            view! { <p class="empty">"No hay casos abiertos."</p> }.into_any()
                        }
                        Ok(rows) => view! { <CaseTable rows /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Supervisors and admins bring external bases (seed 003 §4 step 1) and set who attends
/// which segment (step 2).
#[component]
fn ImportLink() -> impl IntoView {
    let user = crate::accounts::nav::use_current_user();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let may_import = matches!(
                    user.await,
                    Ok(Some(u)) if matches!(u.role, ventanilla::role::Role::Supervisor | ventanilla::role::Role::Admin)
                );
                may_import.then(|| view! {
                    <p class="actions">
                        <a class="button" href="/equipo/detractores/importar">"Importar base"</a>
                        " "
                        <a class="button secondary" href="/equipo/detractores/perfiles">"Perfiles de atención"</a>
                    </p>
                })
            })}
        </Suspense>
    }
}

/// The case's 24 hours (seed 003 §4 step 5), ticking like the workspace's timers.
fn time_left(row: &RecoveryCaseRow) -> AnyView {
    view! { <DeadlineTimer label="24 h" start=row.opened_at due=row.due_at /> }.into_any()
}

#[component]
fn CaseTable(rows: Vec<RecoveryCaseRow>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="queue detractors">
                <thead>
                    <tr>
                        <th>"Cliente"</th>
                        <th>"Solicitud"</th>
                        <th>"NPS"</th>
                        <th>"CSAT"</th>
                        <th>"Comentario"</th>
                        <th>"Asignado a"</th>
                        <th>"Tiempo"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let left = time_left(&r);
                            view! {
                                <tr>
                                    <td><a href=format!("/equipo/detractores/{}", r.id)>{r.customer.clone()}</a> <small>{r.segment.clone()}</small></td>
                                    <td class="radicado">{r.radicado.clone()}</td>
                                    <td>{r.nps.map(|n| n.to_string()).unwrap_or_else(|| "—".to_string())}</td>
                                    <td>{r.csat.map(|c| c.to_string()).unwrap_or_else(|| "—".to_string())}</td>
                                    <td>{r.comment.clone()}</td>
                                    <td>{r.assignee.clone().unwrap_or_else(|| "Sin asignar".to_string())}</td>
                                    <td>{left}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn RecoveryCasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let log = ServerAction::<LogContactAttempt>::new();
    let survey = ServerAction::<RecordCallSurvey>::new();
    let live = crate::live::client::use_live();
    let case = Resource::new(
        move || {
            (
                id(),
                log.version().get(),
                survey.version().get(),
                live.version.get(),
            )
        },
        |(id, _, _, _)| load_recovery_case(id),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Cargando el caso…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(Some(data)) => view! { <Case data log survey /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Case(
    data: RecoveryCaseView,
    log: ServerAction<LogContactAttempt>,
    survey: ServerAction<RecordCallSurvey>,
) -> impl IntoView {
    let row = data.row.clone();
    let left = time_left(&row);
    view! {
        <section class="request recovery-case">
            <p><a href="/equipo/detractores">"← Detractores"</a></p>
            <h1>{row.customer.clone()} " · " <span class="radicado">{row.radicado.clone()}</span></h1>
            <p class="meta">
                "Segmento " {row.segment.clone()} " · NPS " {row.nps.map(|n| n.to_string()).unwrap_or_else(|| "—".to_string())} " · CSAT " {row.csat.map(|c| c.to_string()).unwrap_or_else(|| "—".to_string())} " · Teléfono " {row.phone.clone()}
                {(!row.imported).then_some(if data.resolved { " · dijo que se resolvió" } else { " · dijo que no se resolvió" })}
                {row.imported.then_some(" · de una base importada")}
            </p>
            {(!row.comment.is_empty()).then(|| view! { <blockquote class="body">{row.comment.clone()}</blockquote> })}
            <p>
                <span class=if data.open { "state state-abierto" } else { "state state-cerrada" }>{data.status.clone()}</span>
                " Asignado a: " {row.assignee.clone().unwrap_or_else(|| "nadie".to_string())}
                " · " {if data.open { left.into_any() } else { ().into_any() }}
            </p>
            {data.reason.clone().map(|r| view! { <p><strong>"Motivo: "</strong> {r}</p> })}
            {data.solution.clone().map(|s| view! { <p><strong>"Solución: "</strong> {s}</p> })}
            {data.escalated_radicado.clone().map(|r| view! {
                <p><strong>"Solicitud escalada: "</strong> <a class="radicado" href=format!("/equipo/solicitudes/{r}")>{r.clone()}</a></p>
            })}
            {data.call_survey.clone().map(|v| view! { <p><strong>"Encuesta sobre la llamada: "</strong> {v}</p> })}
            {data.can_record_call_survey.then(|| view! { <CallSurveyForm id=row.id.clone() survey /> })}
            <h2>"Intentos de contacto"</h2>
            <ol class="attempts history">
                {data.attempts.iter().map(|a| view! {
                    <li><span class="meta">{a.at.clone()}</span> " " {a.result.clone()} <small>{format!(" — {}", a.by)}</small></li>
                }).collect_view()}
            </ol>
            {data.can_act.then(|| view! {
                <h2>"Registrar intento"</h2>
                <ActionForm action=log attr:class="form">
                    <input type="hidden" name="id" value=row.id.clone() />
                    <input type="hidden" name="submission_token" value=data.attempt_token.clone() />
                    <label>
                        "Resultado del intento"
                        <select name="result" required>
                            <option value="">"Elija…"</option>
                            {data.results.iter().map(|c| view! { <option value=c.code.clone()>{c.label.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>
                        "Motivo de la mala calificación (si hubo contacto efectivo)"
                        <textarea name="reason" rows="3" maxlength="2000"></textarea>
                    </label>
                    <label>
                        "Solución (si hubo contacto efectivo)"
                        <select name="solution">
                            <option value="">"—"</option>
                            {data.solutions.iter().map(|c| view! { <option value=c.code.clone()>{c.label.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>
                        "Área (si la solución es escalar)"
                        <select name="area_id">
                            <option value="">"—"</option>
                            {data.areas.iter().map(|c| view! { <option value=c.code.clone()>{c.label.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    {action_error(log.value())}
                    <button type="submit" disabled=move || log.pending().get()>"Registrar intento"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// Seed 003 §4 step 4: after an effective contact the asesor "ejecutará una segunda encuesta
/// de satisfacción … enfocada a la atención del asesor outbound" — asked on the call and
/// recorded here, or answered later by the customer through the e-mailed link.
#[component]
fn CallSurveyForm(id: String, survey: ServerAction<RecordCallSurvey>) -> impl IntoView {
    view! {
        <h2>"Segunda encuesta (en la llamada)"</h2>
        <p class="meta">"Haga estas preguntas al cliente antes de colgar y registre lo que responda. Si prefiere no responder ahora, puede hacerlo con el enlace que le llegó por correo."</p>
        <ActionForm action=survey attr:class="form survey-form call-survey">
            <input type="hidden" name="id" value=id />
            <SatisfactionScale legend="¿Qué tan satisfecho quedó con la atención en esta llamada? (1 nada, 5 muy satisfecho)" />
            <RecommendationScale />
            <label>
                "Comentario del cliente (opcional)"
                <textarea name="comment" rows="2" maxlength="2000"></textarea>
            </label>
            {action_error(survey.value())}
            <button type="submit" disabled=move || survey.pending().get()>"Registrar la encuesta"</button>
        </ActionForm>
    }
}
