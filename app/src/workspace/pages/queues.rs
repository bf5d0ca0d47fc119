//! The agent workspace (agent-workspace requirement): the queues with their counts, filters and search, and the
//! requests of the chosen queue by priority and order of receipt, each with its first-response
//! and legal-term timers ticking. It refetches whenever a live event arrives, so rows appear,
//! move and leave without reload; the queue and filters live in the address, so they survive.
//!
//! Keyboard (agent-workspace requirement): `j`/`k` or the arrow keys move a visible selection through the rows
//! (focus goes to the row's link, so a screen reader follows), `Enter` opens the request. The
//! selection is the radicado, held outside the refetching part of the page: a live update
//! that adds or reorders rows keeps the same request selected and focused, without scrolling.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::ui::feedback::ErrorNotice;
use crate::ui::sla_timer::SlaTimer;
use crate::workspace::api::staff::load_queue;
use crate::{ui::choice::Choice, workspace::model::QueueView};

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let query = use_query_map();
    let live = crate::live::client::use_live();
    let selection = Selection {
        current: RwSignal::new(None),
        order: RwSignal::new(Vec::new()),
    };
    #[cfg(feature = "hydrate")]
    keyboard::listen(selection);
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
            <p class="meta keyboard-hint">"Teclado: j/k o flechas para moverse por la cola, Enter para abrir."</p>
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <Queues view selection /> }.into_any(),
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

/// The row the keyboard is on, by radicado, and the rows' order as shown.
#[derive(Clone, Copy)]
struct Selection {
    current: RwSignal<Option<String>>,
    order: RwSignal<Vec<String>>,
}

#[component]
fn Queues(view: QueueView, selection: Selection) -> impl IntoView {
    selection
        .order
        .set(view.rows.iter().map(|r| r.radicado.clone()).collect());
    // After a live refresh the old row is gone from the page; its replacement takes the focus
    // back if the keyboard was on it, without moving the scroll.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        // After the swap: the old rows leave the page once the new ones are in place.
        set_timeout(
            move || keyboard::refocus(selection),
            std::time::Duration::ZERO,
        )
    });
    let query = use_query_map();
    let param = move |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let current = view.current.clone();
    view! {
        <nav class="queues" aria-label="Colas">
            {view.queues.iter().map(|q| {
                let selected = q.code == current;
                view! {
                    <a href=format!("/equipo?cola={}", q.code) class:current=selected aria-current=selected.then_some("page")>
                        {q.label.clone()}
                        {q.count.map(|count| view! { " " <span class="count">{count}</span> })}
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
                            {view.rows.into_iter().map(|r| {
                                let radicado = r.radicado.clone();
                                let is_selected = move || selection.current.get().as_deref() == Some(radicado.as_str());
                                view! {
                                <tr data-radicado=r.radicado.clone() class:selected=is_selected.clone()
                                    aria-current=move || is_selected().then_some("true")>
                                    <td class="radicado"><a href=format!("/equipo/solicitudes/{}", r.radicado)>{r.radicado.clone()}</a></td>
                                    <td>{r.customer} <small>{r.tier}</small></td>
                                    <td>{r.request_type}</td>
                                    <td>{r.subject}</td>
                                    <td>{r.priority}</td>
                                    <td><span class=format!("state state-{}", r.state_code)>{r.state}</span></td>
                                    <td>{r.assignee.unwrap_or_else(|| "—".to_string())}</td>
                                    <td>
                                        {r.first_contact.map(|timer| view! { <SlaTimer timer /> })}
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
                            }}).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(view.more > 0).then(|| view! { <p class="meta">{format!("Y {} más: afine los filtros para verlas.", view.more)}</p> })}
            }.into_any()
        }}
    }
}

/// The queue's keys. Browser only: the server renders no selection.
#[cfg(feature = "hydrate")]
mod keyboard {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    use super::Selection;

    pub fn listen(selection: Selection) {
        let navigate = leptos_router::hooks::use_navigate();
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || typing_somewhere(&ev) {
                return;
            }
            let step = match ev.key().as_str() {
                "j" | "ArrowDown" => 1,
                "k" | "ArrowUp" => -1,
                "Enter" => {
                    // A focused link opens itself; Enter elsewhere opens the selected row.
                    if target_tag(&ev).as_deref() == Some("A") {
                        return;
                    }
                    if let Some(radicado) = selection.current.get_untracked() {
                        ev.prevent_default();
                        navigate(
                            &format!("/equipo/solicitudes/{radicado}"),
                            Default::default(),
                        );
                    }
                    return;
                }
                _ => return,
            };
            let order = selection.order.get_untracked();
            if order.is_empty() {
                return;
            }
            ev.prevent_default();
            let at = selection
                .current
                .get_untracked()
                .and_then(|r| order.iter().position(|o| *o == r));
            let next = match at {
                None if step > 0 => 0,
                None => order.len() - 1,
                Some(i) if step > 0 => (i + 1).min(order.len() - 1),
                Some(i) => i.saturating_sub(1),
            };
            selection.current.set(Some(order[next].clone()));
            focus_row(&order[next], false);
        });
        on_cleanup(move || handle.remove());
    }

    /// Gives the focus back to the selected row's link when a refresh took it away or moved
    /// it onto another row.
    pub fn refocus(selection: Selection) {
        // Runs from a timer: the page may have been left (and its signals disposed) by then.
        let Some(Some(radicado)) = selection.current.try_get_untracked() else {
            return;
        };
        // The rows are rebuilt in place, so the focused link may now show another request;
        // focus elsewhere on the page (the search box, say) is left alone.
        let lost = document().active_element().is_none_or(|e| {
            e.tag_name() == "BODY"
                || !e.is_connected()
                || e.closest("table.queue").ok().flatten().is_some()
        });
        if lost {
            focus_row(&radicado, true);
        }
    }

    fn focus_row(radicado: &str, keep_scroll: bool) {
        let selector = format!("tr[data-radicado=\"{radicado}\"] td.radicado a");
        let Some(link) = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(keep_scroll);
        let _ = link.focus_with_options(&options);
    }

    fn target_tag(ev: &web_sys::KeyboardEvent) -> Option<String> {
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|e| e.tag_name())
    }

    /// Keys typed into the search box or a filter are text, not navigation.
    fn typing_somewhere(ev: &web_sys::KeyboardEvent) -> bool {
        matches!(
            target_tag(ev).as_deref(),
            Some("INPUT" | "TEXTAREA" | "SELECT")
        )
    }
}
