//! `/equipo/llamadas` (supervisors and admins): the service line's calls of a period, with
//! the counts *Atención oportuna de llamadas* is made of (seed 001 §5.3), the newest calls,
//! and the way in for the switchboard's records. The period lives in the address
//! (`?desde=&hasta=`), like the indicators'.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::calls::api::load_calls;
use crate::calls::model::{CallsView, CALLS_SHOWN};
use crate::ui::feedback::ErrorNotice;

#[component]
pub fn CallsPage() -> impl IntoView {
    let query = use_query_map();
    let from = move || query.read().get("desde").unwrap_or_default();
    let to = move || query.read().get("hasta").unwrap_or_default();
    let calls = Resource::new(
        move || (from(), to()),
        |(from, to)| load_calls(Some(from), Some(to)),
    );
    view! {
        <section class="calls">
            <p><a href="/equipo/indicadores">"← Indicadores"</a></p>
            <h1>"Llamadas"</h1>
            <p>
                <a class="button" href="/equipo/llamadas/importar">"Importar registros de la central"</a>
            </p>
            <Transition fallback=|| view! { <p class="loading">"Cargando llamadas…"</p> }>
                {move || Suspend::new(async move {
                    match calls.await {
                        Ok(view) => view! { <Calls view /> }.into_any(),
                        Err(error) => view! {
                            <PeriodForm from=from() to=to() />
                            <ErrorNotice error />
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PeriodForm(from: String, to: String) -> impl IntoView {
    view! {
        <form method="get" action="/equipo/llamadas" class="filters">
            <label>"Desde" <input type="date" name="desde" value=from required /></label>
            <label>"Hasta" <input type="date" name="hasta" value=to required /></label>
            <button type="submit">"Ver periodo"</button>
        </form>
    }
}

#[component]
fn Calls(view: CallsView) -> impl IntoView {
    let summary = format!(
        "{} recibidas · {} atendidas · {} abandonadas · atención oportuna {} · espera promedio de las atendidas {}",
        view.received, view.attended, view.abandoned, view.attended_share, view.mean_wait
    );
    let rows = view.rows;
    view! {
        <PeriodForm from=view.from.clone() to=view.to.clone() />
        <p class="meta">{format!("Periodo del {} al {} (hora de Colombia).", view.from, view.to)}</p>
        <p class="calls-summary" role="status">{summary}</p>
        {if rows.is_empty() {
            view! { <p class="meta">"No hay llamadas registradas en el periodo."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="queue calls-list">
                        <thead>
                            <tr>
                                <th>"Fecha y hora"</th><th>"Resultado"</th><th>"Espera"</th><th>"Duración"</th>
                                <th>"Teléfono"</th><th>"Agente"</th><th>"Solicitud"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|call| {
                                let row_class = if call.attended { "attended" } else { "abandoned" };
                                view! {
                                <tr class=row_class>
                                    <td>{call.started}</td>
                                    <td>{call.outcome}</td>
                                    <td>{call.wait}</td>
                                    <td>{call.duration}</td>
                                    <td>{call.caller}</td>
                                    <td>{call.agent}</td>
                                    <td>{call.radicado.map(|r| view! {
                                        <a href=format!("/equipo/solicitudes/{r}")>{r.clone()}</a>
                                    })}</td>
                                </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {view.truncated.then(|| view! {
            <p class="meta">{format!("Se muestran las {CALLS_SHOWN} llamadas más recientes del periodo.")}</p>
        })}
    }
}
