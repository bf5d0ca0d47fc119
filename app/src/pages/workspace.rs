//! The staff workspace home: how many requests are in each state, and the open ones in
//! order of receipt with their clocks.

use leptos::prelude::*;

use crate::api::staff::get_workspace_overview;
use crate::components::feedback::ErrorNotice;
use crate::model::WorkspaceOverview;

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let live = crate::components::live::use_live();
    let overview = Resource::new(move || live.version.get(), |_| get_workspace_overview());
    view! {
        <section>
            <h1>"Espacio de trabajo"</h1>
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(data) => view! { <Overview data /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Overview(data: WorkspaceOverview) -> impl IntoView {
    view! {
        <ul class="counts" aria-label="Solicitudes por estado">
            {data
                .counts
                .into_iter()
                .map(|c| view! { <li><span class="count">{c.count}</span> <span>{c.state}</span></li> })
                .collect_view()}
        </ul>
        <h2>"Solicitudes abiertas por orden de llegada"</h2>
        <div class="table-wrap">
            <table class="queue">
                <thead>
                    <tr>
                        <th>"Radicado"</th>
                        <th>"Cliente"</th>
                        <th>"Tipo"</th>
                        <th>"Asunto"</th>
                        <th>"Prioridad"</th>
                        <th>"Estado"</th>
                        <th>"Primera respuesta"</th>
                        <th>"Término legal"</th>
                    </tr>
                </thead>
                <tbody>
                    {data
                        .recent
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td class="radicado"><a href=format!("/equipo/solicitudes/{}", r.radicado)>{r.radicado.clone()}</a></td>
                                    <td>{r.customer} <small>{r.tier}</small></td>
                                    <td>{r.request_type}</td>
                                    <td>{r.subject}</td>
                                    <td>{r.priority}</td>
                                    <td><span class=format!("state state-{}", r.state_code)>{r.state}</span></td>
                                    <td>
                                        {match (r.ans_guaranteed, r.first_response_due) {
                                            (true, Some(due)) => due,
                                            _ => "Sin garantía de ANS".to_string(),
                                        }}
                                    </td>
                                    <td>{r.legal_due_date.unwrap_or_else(|| "No aplica".to_string())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
