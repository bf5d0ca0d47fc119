//! `/equipo/indicadores/detalle`: the requests behind one figure of the indicators (issue 20:
//! "every number drills down"), each linking to the request.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::indicators::api::load_drill_down;
use crate::indicators::model::{DrillDown, IndicatorFilters, DRILL_LIMIT};
use crate::ui::feedback::ErrorNotice;

#[component]
pub fn DrillDownPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let list = Resource::new(
        move || {
            (
                param("clave"),
                param("parte"),
                param("desde"),
                param("hasta"),
                IndicatorFilters::from_query(|name| query.read().get(name)),
            )
        },
        |(key, part, from, to, filters)| {
            load_drill_down(key, Some(part), Some(from), Some(to), Some(filters))
        },
    );
    view! {
        <section class="indicator-detail">
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <Detail list /> }.into_any(),
                        Err(error) => view! {
                            <p><a href="/equipo/indicadores">"← Indicadores"</a></p>
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
fn Detail(list: DrillDown) -> impl IntoView {
    let back = format!("/equipo/indicadores?desde={}&hasta={}", list.from, list.to);
    view! {
        <p><a href=back>"← Indicadores"</a></p>
        <h1>{format!("{}: {}", list.name, list.part.to_lowercase())}</h1>
        <p class="meta">{format!("Periodo del {} al {} · {} solicitudes", list.from, list.to, list.rows.len())}</p>
        {list.truncated.then(|| view! {
            <p class="meta">{format!("Se muestran las {DRILL_LIMIT} más recientes; acorte el periodo para verlas todas.")}</p>
        })}
        {if list.rows.is_empty() {
            view! { <p class="empty">"Ninguna solicitud en esta cifra."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="queue indicator-requests">
                        <thead><tr><th>"Radicado"</th><th>"Asunto"</th><th>"Estado"</th><th>"Recibida"</th></tr></thead>
                        <tbody>
                            {list.rows.into_iter().map(|row| view! {
                                <tr>
                                    <td><a href=format!("/equipo/solicitudes/{}", row.radicado)>{row.radicado.clone()}</a></td>
                                    <td>{row.subject}</td>
                                    <td>{row.state}</td>
                                    <td>{row.received}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
