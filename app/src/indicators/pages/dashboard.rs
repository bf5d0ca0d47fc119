//! `/equipo/indicadores` (supervisors and admins): one card per indicator for the chosen
//! period — the figure, its goal, whether it is met, the formula in words and where the rule
//! comes from. The period lives in the address (`?desde=&hasta=`), so it can be shared.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::indicators::api::load_indicators;
use crate::indicators::model::{Indicator, IndicatorReport};
use crate::ui::feedback::ErrorNotice;

#[component]
pub fn IndicatorsPage() -> impl IntoView {
    let query = use_query_map();
    let from = move || query.read().get("desde").unwrap_or_default();
    let to = move || query.read().get("hasta").unwrap_or_default();
    let live = crate::live::client::use_live();
    let report = Resource::new(
        move || (from(), to(), live.version.get()),
        |(from, to, _)| load_indicators(Some(from), Some(to)),
    );
    view! {
        <section class="indicators">
            <h1>"Indicadores"</h1>
            <Transition fallback=|| view! { <p class="loading">"Calculando…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(report) => view! { <Report report /> }.into_any(),
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
        <form method="get" action="/equipo/indicadores" class="filters">
            <label>"Desde" <input type="date" name="desde" value=from required /></label>
            <label>"Hasta" <input type="date" name="hasta" value=to required /></label>
            <button type="submit">"Ver periodo"</button>
        </form>
    }
}

#[component]
fn Report(report: IndicatorReport) -> impl IntoView {
    view! {
        <PeriodForm from=report.from.clone() to=report.to.clone() />
        <nav class="period-presets" aria-label="Periodos">
            {report.presets.iter().map(|p| {
                let current = p.from == report.from && p.to == report.to;
                view! {
                    <a href=format!("/equipo/indicadores?desde={}&hasta={}", p.from, p.to)
                        aria-current=current.then_some("page")>{p.label.clone()}</a>
                }
            }).collect_view()}
        </nav>
        <p class="meta">{format!("Periodo del {} al {} (hora de Colombia).", report.from, report.to)}</p>
        <div class="indicator-cards">
            {report.indicators.into_iter().map(|indicator| {
                let period = (report.from.clone(), report.to.clone());
                view! { <Card indicator period /> }
            }).collect_view()}
        </div>
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

/// The address of the requests behind a figure.
fn drill_href(key: &str, part: &str, (from, to): &(String, String)) -> String {
    format!("/equipo/indicadores/detalle?clave={key}&parte={part}&desde={from}&hasta={to}")
}

#[component]
fn Card(indicator: Indicator, period: (String, String)) -> impl IntoView {
    let links = indicator.drills_down.then(|| {
        let top = drill_href(&indicator.key, "numerador", &period);
        let base = indicator
            .denominator
            .map(|d| (drill_href(&indicator.key, "base", &period), d));
        let top_label = if indicator.denominator.is_some() {
            format!("Ver las {} que cumplen", indicator.numerator)
        } else {
            format!("Ver las {} solicitudes", indicator.numerator)
        };
        view! {
            <p class="indicator-links">
                <a href=top>{top_label}</a>
                {base.map(|(href, d)| view! { " · " <a href=href>{format!("Ver la base ({d})")}</a> })}
            </p>
        }
    });
    let status = match indicator.meets {
        Some(true) => ("meets", "Cumple la meta"),
        Some(false) => ("misses", "No cumple la meta"),
        None => ("neutral", ""),
    };
    let detail = indicator
        .denominator
        .map(|d| format!("{} de {}", indicator.numerator, d));
    let goal = indicator.goal.map(|g| format!("Meta: {g:.0} %"));
    view! {
        <article class=format!("indicator-card {}", status.0) aria-label=indicator.name.clone()>
            <h2>{indicator.name.clone()}</h2>
            <p class="indicator-value">{figure(&indicator)}</p>
            {detail.map(|d| view! { <p class="meta">{d}</p> })}
            {goal.map(|g| view! { <p class="indicator-goal">{g} {(!status.1.is_empty()).then(|| format!(" · {}", status.1))}</p> })}
            {links}
            <details>
                <summary>"Cómo se calcula"</summary>
                <p>{indicator.formula.clone()}</p>
                <p class="meta">{format!("Fuente: {}", indicator.source)}</p>
            </details>
        </article>
    }
}
