//! `/equipo/indicadores` (supervisors and admins): one card per indicator for the chosen
//! period — the figure, its goal, whether it is met, the formula in words and where the rule
//! comes from. The period lives in the address (`?desde=&hasta=`), so it can be shared.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::indicators::api::load_indicators;
use crate::indicators::model::{
    FilterOptions, Indicator, IndicatorFilters, IndicatorReport, ResponseTime,
};
use crate::ui::choice::Choice;
use crate::ui::feedback::ErrorNotice;

#[component]
pub fn IndicatorsPage() -> impl IntoView {
    let query = use_query_map();
    let from = move || query.read().get("desde").unwrap_or_default();
    let to = move || query.read().get("hasta").unwrap_or_default();
    let filters = move || IndicatorFilters::from_query(|name| query.read().get(name));
    let live = crate::live::client::use_live();
    let report = Resource::new(
        move || (from(), to(), filters(), live.version.get()),
        |(from, to, filters, _)| load_indicators(Some(from), Some(to), Some(filters)),
    );
    view! {
        <section class="indicators">
            <h1>"Indicadores"</h1>
            <Transition fallback=|| view! { <p class="loading">"Calculando…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(report) => view! { <Report report /> }.into_any(),
                        Err(error) => view! {
                            <PeriodForm
                                from=from()
                                to=to()
                                filters=IndicatorFilters::default()
                                options=FilterOptions::default()
                            />
                            <ErrorNotice error />
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One filter's select: "Todos" and the options, the current one chosen.
#[component]
fn FilterSelect(
    label: &'static str,
    name: &'static str,
    options: Vec<Choice>,
    current: String,
) -> impl IntoView {
    view! {
        <label>
            {label}
            <select name=name>
                <option value="" selected=current.is_empty()>"Todos"</option>
                {options.into_iter().map(|o| {
                    let selected = o.code == current;
                    view! { <option value=o.code selected=selected>{o.label}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn PeriodForm(
    from: String,
    to: String,
    filters: IndicatorFilters,
    options: FilterOptions,
) -> impl IntoView {
    let f = filters;
    let o = options;
    view! {
        <form method="get" action="/equipo/indicadores" class="filters">
            <label>"Desde" <input type="date" name="desde" value=from required /></label>
            <label>"Hasta" <input type="date" name="hasta" value=to required /></label>
            <FilterSelect label="Tipo" name="tipo" options=o.request_types current=f.request_type />
            <FilterSelect label="Categoría" name="categoria" options=o.categories current=f.category />
            <FilterSelect label="Área" name="area" options=o.areas current=f.area />
            <FilterSelect label="Agente" name="agente" options=o.agents current=f.agent />
            <FilterSelect label="Nivel del cliente" name="nivel" options=o.tiers current=f.tier />
            <FilterSelect label="Canal" name="canal" options=o.channels current=f.channel />
            <FilterSelect label="Segmento" name="segmento" options=o.segments current=f.segment />
            <button type="submit">"Ver periodo"</button>
        </form>
    }
}

#[component]
fn Report(report: IndicatorReport) -> impl IntoView {
    let narrowed = report.filters.query();
    view! {
        <PeriodForm
            from=report.from.clone()
            to=report.to.clone()
            filters=report.filters.clone()
            options=report.options.clone()
        />
        <nav class="period-presets" aria-label="Periodos">
            {report.presets.iter().map(|p| {
                let current = p.from == report.from && p.to == report.to;
                view! {
                    <a href=format!("/equipo/indicadores?desde={}&hasta={}{narrowed}", p.from, p.to)
                        aria-current=current.then_some("page")>{p.label.clone()}</a>
                }
            }).collect_view()}
        </nav>
        {(!report.filters.is_empty()).then(|| view! {
            <p class="meta filtered" role="status">
                "Cifras filtradas: solo las solicitudes que cumplen los filtros elegidos (y sus encuestas). "
                <a href=format!("/equipo/indicadores?desde={}&hasta={}", report.from, report.to)>"Quitar los filtros"</a>
            </p>
        })}
        <p class="meta">
            {format!("Periodo del {} al {} (hora de Colombia). ", report.from, report.to)}
            <a href="/equipo/indicadores/informe">"Informe mensual"</a>
            {report.can_edit_goals.then(|| view! {
                " · " <a href="/equipo/indicadores/metas">"Metas y responsables"</a>
            })}
        </p>
        <div class="indicator-cards">
            {report.indicators.into_iter().map(|indicator| {
                let period = (report.from.clone(), report.to.clone());
                let narrowed = narrowed.clone();
                view! { <Card indicator period narrowed /> }
            }).collect_view()}
        </div>
        <ResponseTimes lines=report.first_response_times />
    }
}

/// Tiempo de primera respuesta (seed 000 §7) by tier and priority.
#[component]
fn ResponseTimes(lines: Vec<ResponseTime>) -> impl IntoView {
    view! {
        <section class="response-times" aria-labelledby="response-times-title">
            <h2 id="response-times-title">"Tiempo de primera respuesta"</h2>
            <p class="meta">
                "Horas hábiles desde la radicación hasta la primera respuesta pública, sin el tiempo en espera del cliente, "
                "de las primeras respuestas dadas en el periodo (seed 000 §7)."
            </p>
            {if lines.is_empty() {
                view! { <p class="meta">"Sin primeras respuestas en el periodo."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="queue">
                            <thead>
                                <tr><th>"Segmento"</th><th>"Prioridad"</th><th>"Respuestas"</th><th>"Promedio"</th><th>"Mediana"</th></tr>
                            </thead>
                            <tbody>
                                {lines.into_iter().map(|line| view! {
                                    <tr>
                                        <td>{line.tier}</td>
                                        <td>{line.priority}</td>
                                        <td>{line.responses}</td>
                                        <td>{line.mean}</td>
                                        <td>{line.median}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// "93,5 %" or "1.204".
fn figure(indicator: &Indicator) -> String {
    match (indicator.value, indicator.denominator) {
        (None, _) => "Sin datos".to_string(),
        (Some(value), Some(_)) => format!("{value:.1} %").replace('.', ","),
        (Some(value), None) => format!("{value:.0}"),
    }
}

/// The address of the requests behind a figure, with the filters (`narrowed`) it was cut by.
fn drill_href(key: &str, part: &str, (from, to): &(String, String), narrowed: &str) -> String {
    format!(
        "/equipo/indicadores/detalle?clave={key}&parte={part}&desde={from}&hasta={to}{narrowed}"
    )
}

#[component]
fn Card(indicator: Indicator, period: (String, String), narrowed: String) -> impl IntoView {
    let top = indicator.drills_down.then(|| {
        let label = if indicator.denominator.is_some() {
            format!("Ver las {} que cumplen", indicator.numerator)
        } else {
            format!("Ver las {} solicitudes", indicator.numerator)
        };
        (
            drill_href(&indicator.key, "numerador", &period, &narrowed),
            label,
        )
    });
    let base = indicator
        .denominator
        .filter(|_| indicator.base_drills_down)
        .map(|d| (drill_href(&indicator.key, "base", &period, &narrowed), d));
    let links = (top.is_some() || base.is_some()).then(|| {
        let both = top.is_some() && base.is_some();
        view! {
            <p class="indicator-links">
                {top.map(|(href, label)| view! { <a href=href>{label}</a> })}
                {both.then_some(" · ")}
                {base.map(|(href, d)| view! { <a href=href>{format!("Ver la base ({d})")}</a> })}
            </p>
        }
    });
    // The calls behind the call indicator are on their own page.
    let calls = (indicator.key == "calls_attended").then(|| {
        let href = format!("/equipo/llamadas?desde={}&hasta={}", period.0, period.1);
        view! { <p class="indicator-links"><a href=href>"Ver las llamadas"</a></p> }
    });
    let status = match indicator.meets {
        Some(true) => ("meets", "Cumple la meta"),
        Some(false) => ("misses", "No cumple la meta"),
        None => ("neutral", ""),
    };
    let detail = indicator
        .denominator
        .map(|d| format!("{} de {}", indicator.numerator, d));
    let goal = indicator
        .goal
        .map(|g| format!("Meta: {} %", format!("{g}").replace('.', ",")));
    view! {
        <article class=format!("indicator-card {}", status.0) aria-label=indicator.name.clone()>
            <h2>{indicator.name.clone()}</h2>
            <p class="indicator-value">{figure(&indicator)}</p>
            {detail.map(|d| view! { <p class="meta">{d}</p> })}
            {goal.map(|g| view! { <p class="indicator-goal">{g} {(!status.1.is_empty()).then(|| format!(" · {}", status.1))}</p> })}
            {(!indicator.owner.is_empty()).then(|| view! { <p class="meta">{format!("Responsable: {}", indicator.owner)}</p> })}
            {links}
            {calls}
            <details>
                <summary>"Cómo se calcula"</summary>
                <p>{indicator.formula.clone()}</p>
                <p class="meta">{format!("Fuente: {}", indicator.source)}</p>
            </details>
        </article>
    }
}
