//! The agent workspace (issue 5): the queues with their counts, filters and search, and the
//! requests of the chosen queue by priority and order of receipt, each with its first-response
//! and legal-term timers ticking. It refetches whenever a live event arrives, so rows appear,
//! move and leave without reload; the queue and filters live in the address, so they survive.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::staff::load_queue;
use crate::components::feedback::ErrorNotice;
use crate::components::sla_timer::SlaTimer;
use crate::model::{Choice, QueueView};

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let query = use_query_map();
    let live = crate::components::live::use_live();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let data = Resource::new(
        move || {
            (
                param("cola"),
                param("tipo"),
                param("prioridad"),
                param("segmento"),
                param("categoria"),
                param("subcategoria"),
                param("area"),
                param("asesor"),
                param("q"),
                live.version.get(),
            )
        },
        |(queue, kind, priority, tier, category, subcategory, area, agent, search, _)| {
            let given = |v: String| Some(v).filter(|v| !v.is_empty());
            load_queue(
                given(queue),
                given(kind),
                given(priority),
                given(tier),
                given(category),
                given(subcategory),
                given(area),
                given(agent),
                given(search),
            )
        },
    );
    view! {
        <section>
            <h1>"Espacio de trabajo"</h1>
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <Queues view /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn options(choices: &[Choice], selected: &str) -> impl IntoView {
    choices
        .iter()
        .map(|c| view! { <option value=c.code.clone() selected=c.code == selected>{c.label.clone()}</option> })
        .collect_view()
}

#[component]
fn Queues(view: QueueView) -> impl IntoView {
    // The browser's timers count on the organization's calendar, set once per page.
    crate::timers::configure(&view.calendar);
    let query = use_query_map();
    let param = move |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let current = view.current.clone();
    view! {
        <nav class="queues" aria-label="Colas">
            {view.queues.iter().map(|q| {
                let selected = q.code == current;
                view! {
                    <a href=format!("/equipo?cola={}", q.code) class:current=selected aria-current=selected.then_some("page")>
                        {q.label.clone()} " " <span class="count">{q.count}</span>
                    </a>
                }
            }).collect_view()}
        </nav>
        <form method="get" action="/equipo" class="filters">
            <input type="hidden" name="cola" value=current.clone() />
            <label>"Tipo" <select name="tipo"><option value="">"Todos"</option>{options(&view.types, &param("tipo"))}</select></label>
            <label>"Prioridad" <select name="prioridad"><option value="">"Todas"</option>{options(&view.priorities, &param("prioridad"))}</select></label>
            <label>"Segmento" <select name="segmento"><option value="">"Todos"</option>{options(&view.tiers, &param("segmento"))}</select></label>
            <label>"Categoría" <select name="categoria"><option value="">"Todas"</option>{options(&view.categories, &param("categoria"))}</select></label>
            <label>"Subcategoría" <select name="subcategoria"><option value="">"Todas"</option>{options(&view.subcategories, &param("subcategoria"))}</select></label>
            <label>"Área" <select name="area"><option value="">"Todas"</option>{options(&view.areas, &param("area"))}</select></label>
            <label>"Asignada a" <select name="asesor"><option value="">"Cualquiera"</option>{options(&view.agents, &param("asesor"))}</select></label>
            <label>"Buscar" <input type="search" name="q" value=param("q") placeholder="Radicado, documento, cliente o texto" /></label>
            <button type="submit">"Filtrar"</button>
        </form>
        {if view.rows.is_empty() {
            view! { <p class="empty">"No hay solicitudes en esta cola."</p> }.into_any()
        } else {
            view! {
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
                                <th>"Asignada a"</th>
                                <th>"Primera respuesta"</th>
                                <th>"Término legal"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {view.rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="radicado"><a href=format!("/equipo/solicitudes/{}", r.radicado)>{r.radicado.clone()}</a></td>
                                    <td>{r.customer} <small>{r.tier}</small></td>
                                    <td>{r.request_type}</td>
                                    <td>{r.subject}</td>
                                    <td>{r.priority}</td>
                                    <td><span class=format!("state state-{}", r.state_code)>{r.state}</span></td>
                                    <td>{r.assignee.unwrap_or_else(|| "—".to_string())}</td>
                                    <td>
                                        {match r.first_response {
                                            Some(timer) => view! { <SlaTimer timer /> }.into_any(),
                                            None => view! { <span class="timer timer-none">"Sin garantía de ANS"</span> }.into_any(),
                                        }}
                                    </td>
                                    <td>
                                        {match r.legal_term {
                                            Some(timer) => view! { <SlaTimer timer /> }.into_any(),
                                            None => view! { <span class="timer timer-none">"No aplica"</span> }.into_any(),
                                        }}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(view.more > 0).then(|| view! { <p class="meta">{format!("Y {} más: afine los filtros para verlas.", view.more)}</p> })}
            }.into_any()
        }}
    }
}
