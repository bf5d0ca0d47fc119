//! Survey results for supervisors (survey requirement; seed 001 §5.3 satisfaction goal 90 %, seed 003 §5
//! effective contact goal 80 %): a period filter, the headline figures against their goals,
//! the NPS split and the NPS per month as SVG charts, the splits by agent, area, category and
//! tier, the desk's indicators and the comments.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::surveys::api::results::load_survey_results;
use crate::surveys::model::{SurveyGroup, SurveyResults};
use crate::ui::charts::{Bars, NpsSplitBar};
use crate::ui::feedback::ErrorNotice;

fn pct(value: Option<f64>) -> String {
    value
        .map(|v| format!("{v:.1} %"))
        .unwrap_or_else(|| "—".to_string())
}

fn nps_text(group: &SurveyGroup) -> String {
    group
        .nps
        .map(|n| format!("{:+.0}", n.score))
        .unwrap_or_else(|| "—".to_string())
}

#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let query = use_query_map();
    let period = move || {
        let q = query.read();
        (
            q.get("desde").unwrap_or_default(),
            q.get("hasta").unwrap_or_default(),
        )
    };
    let results = Resource::new(period, |(desde, hasta)| load_survey_results(desde, hasta));
    view! {
        <section class="survey-results">
            <h1>"Resultados de encuestas"</h1>
            <Transition fallback=|| view! { <p class="loading">"Calculando…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(results) => view! { <Results results /> }.into_any(),
                        Err(error) => view! {
                            <PeriodForm from=period().0 to=period().1 />
                            <ErrorNotice error />
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A plain GET form: the period lives in the address, so a result can be bookmarked or sent.
#[component]
fn PeriodForm(from: String, to: String) -> impl IntoView {
    view! {
        <form method="get" action="/equipo/resultados" class="form filters">
            <label>"Desde" <input type="date" name="desde" value=from /></label>
            <label>"Hasta" <input type="date" name="hasta" value=to /></label>
            <button type="submit">"Ver periodo"</button>
        </form>
    }
}

#[component]
fn Figure(
    label: &'static str,
    value: String,
    #[prop(optional)] goal: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="figure">
            <span class="figure-label">{label}</span>
            <strong class="figure-value">{value}</strong>
            {goal.map(|g| view! { <small>{g}</small> })}
        </div>
    }
}

#[component]
fn Results(results: SurveyResults) -> impl IntoView {
    let total = results.total.clone();
    let desk = results.detractors.clone();
    let months: Vec<(String, f64)> = results
        .by_month
        .iter()
        .filter_map(|m| m.nps.map(|n| (m.label.clone(), n.score)))
        .collect();
    view! {
        <PeriodForm from=results.from.clone() to=results.to.clone() />
        <p class="meta">
            {format!(
                "Del {} al {}: {} respuestas de {} encuestas enviadas.",
                results.from, results.to, total.answers, results.invited
            )}
        </p>
        <div class="figures">
            <Figure label="CSAT" value=pct(total.csat) goal="meta 90 %" />
            <Figure label="NPS" value=nps_text(&total) />
            <Figure label="Tasa de respuesta" value=pct(results.response_rate) />
            <Figure label="Resolución en primer contacto" value=pct(total.resolved) />
        </div>
        {total.nps.map(|nps| view! {
            <h2>"Promotores, neutros y detractores"</h2>
            <p class="meta">
                {format!("Promotores {} · Neutros {} · Detractores {}", nps.promoters, nps.passives, nps.detractors)}
            </p>
            <NpsSplitBar nps />
        })}
        {(!months.is_empty()).then(|| view! {
            <h2>"NPS por mes"</h2>
            <Bars title="NPS por mes".to_string() values=months min=-100.0 max=100.0
                format=|v: f64| format!("{v:+.0}") />
        })}
        <h2>"Gestión de detractores"</h2>
        <div class="figures">
            <Figure label="Contacto efectivo" value=pct(desk.effective_contact) goal="meta 80 %" />
            <Figure label="Detractor → promotor" value=pct(desk.conversion) />
            <Figure label="Casos fuera de 24 h" value=desk.past_24h.to_string() />
        </div>
        <p class="meta">
            {format!(
                "{} casos, {} con contacto efectivo; {} segundas encuestas respondidas, {} de promotores.",
                desk.cases, desk.contacted, desk.second_surveys, desk.promoters_after
            )}
        </p>
        <GroupTable title="Por asesor" groups=results.by_agent.clone() />
        <GroupTable title="Por área" groups=results.by_area.clone() />
        <GroupTable title="Por categoría" groups=results.by_category.clone() />
        <GroupTable title="Por segmento de cliente" groups=results.by_tier.clone() />
        <h2>"Comentarios"</h2>
        {if results.comments.is_empty() {
            view! { <p class="empty">"No hay comentarios en el periodo."</p> }.into_any()
        } else {
            view! {
                <ul class="comments">
                    {results.comments.iter().map(|c| view! {
                        <li>
                            <span class="meta">{format!("{} · {} · NPS {} · CSAT {}", c.at, c.radicado, c.nps, c.csat)}</span>
                            <blockquote>{c.comment.clone()}</blockquote>
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

#[component]
fn GroupTable(title: &'static str, groups: Vec<SurveyGroup>) -> impl IntoView {
    (!groups.is_empty()).then(|| view! {
        <h2>{title}</h2>
        <div class="table-wrap">
            <table class="queue results-table">
                <thead>
                    <tr><th>""</th><th>"Respuestas"</th><th>"CSAT"</th><th>"NPS"</th><th>"Resuelto"</th></tr>
                </thead>
                <tbody>
                    {groups.iter().map(|g| view! {
                        <tr>
                            <td>{g.label.clone()}</td>
                            <td>{g.answers}</td>
                            <td>{pct(g.csat)}</td>
                            <td>{nps_text(g)}</td>
                            <td>{pct(g.resolved)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}
