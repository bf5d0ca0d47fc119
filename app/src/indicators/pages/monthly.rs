//! `/equipo/indicadores/informe?mes=AAAA-MM`: the monthly report (seed 001 act. 5; seed 002
//! §5.2.23–27) as a printable page — A4, the organization's name and NIT, tables per section
//! and the trend chart — with the XLSX workbook and the Bitácora de PQR to download.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::indicators::api::load_monthly_report;
use crate::indicators::model::{Breakdown, MonthlyReport};
use crate::ui::charts::Bars;
use crate::ui::feedback::ErrorNotice;

#[component]
pub fn MonthlyReportPage() -> impl IntoView {
    let query = use_query_map();
    let report = Resource::new(
        move || query.read().get("mes").unwrap_or_default(),
        |month| load_monthly_report(Some(month)),
    );
    view! {
        <section class="monthly-report">
            <p class="no-print"><a href="/equipo/indicadores">"← Indicadores"</a></p>
            <Transition fallback=|| view! { <p class="loading">"Preparando el informe…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(report) => view! { <Report report /> }.into_any(),
                        Err(error) => view! {
                            <h1>"Informe mensual"</h1>
                            <MonthForm month=String::new() />
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
fn MonthForm(month: String) -> impl IntoView {
    view! {
        <form class="form inline no-print" method="get" action="/equipo/indicadores/informe">
            <label>"Mes" <input type="month" name="mes" value=month required /></label>
            <button type="submit">"Ver informe"</button>
        </form>
    }
}

/// "93,5 %", "sin datos", or the count.
fn value_text(value: Option<f64>, count: bool) -> String {
    match value {
        None => "sin datos".to_string(),
        Some(v) if count => format!("{v:.0}"),
        Some(v) => format!("{v:.1} %").replace('.', ","),
    }
}

#[component]
fn Report(report: MonthlyReport) -> impl IntoView {
    let xlsx = format!("/equipo/indicadores/informe/{}.xlsx", report.month);
    let csv = format!("/equipo/indicadores/informe/{}/bitacora.csv", report.month);
    let trend: Vec<(String, f64)> = report
        .trend
        .iter()
        .map(|m| (m.month[5..].to_string(), m.received as f64))
        .collect();
    let trend_max = trend.iter().map(|(_, v)| *v).fold(1.0, f64::max);
    view! {
        <header class="report-header">
            <p class="meta">{format!("{} · NIT {}", report.organization, report.nit)}</p>
            <h1>{format!("Informe mensual de PQRS: {}", report.month_label)}</h1>
            <p class="meta">{format!("Generado el {} (hora de Colombia).", report.generated_at)}</p>
        </header>
        <MonthForm month=report.month.clone() />
        <p class="report-downloads no-print">
            <a class="button" href=xlsx download="">"Descargar XLSX"</a>
            " "
            <a href=csv download="">"Bitácora de PQR (CSV)"</a>
        </p>
        <h2>"Indicadores"</h2>
        <div class="table-wrap">
            <table class="queue report-table">
                <thead><tr><th>"Indicador"</th><th>"Resultado"</th><th>"Base"</th><th>"Meta"</th><th>"Cumple"</th></tr></thead>
                <tbody>
                    {report.indicators.into_iter().map(|i| {
                        let count = i.denominator.is_none();
                        let status = match i.meets {
                            Some(true) => "Sí",
                            Some(false) => "No",
                            None => "—",
                        };
                        view! {
                            <tr class={match i.meets { Some(false) => "misses", _ => "" }}>
                                <td>{i.name}</td>
                                <td>{value_text(i.value, count)}</td>
                                <td>{i.denominator.map(|d| format!("{} de {d}", i.numerator)).unwrap_or_default()}</td>
                                <td>{i.goal.map(|g| format!("{g:.0} %")).unwrap_or_else(|| "—".to_string())}</td>
                                <td>{status}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"Tiempo de primera respuesta (horas hábiles)"</h2>
        {if report.first_response_times.is_empty() {
            view! { <p class="meta">"Sin primeras respuestas en el mes."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="queue report-table">
                        <thead><tr><th>"Segmento"</th><th>"Prioridad"</th><th>"Respuestas"</th><th>"Promedio"</th><th>"Mediana"</th></tr></thead>
                        <tbody>
                            {report.first_response_times.into_iter().map(|t| view! {
                                <tr><td>{t.tier}</td><td>{t.priority}</td><td>{t.responses}</td><td>{t.mean}</td><td>{t.median}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2>"Solicitudes recibidas en los últimos meses"</h2>
        <Bars title="Solicitudes recibidas por mes".to_string() values=trend min=0.0 max=trend_max
            format=|v| format!("{v:.0}") />
        <div class="table-wrap">
            <table class="queue report-table">
                <thead><tr><th>"Mes"</th><th>"Recibidas"</th><th>"Respondidas"</th><th>"Cerradas"</th></tr></thead>
                <tbody>
                    {report.trend.into_iter().map(|m| view! {
                        <tr><td>{m.label}</td><td>{m.received}</td><td>{m.answered}</td><td>{m.closed}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {report.breakdowns.into_iter().map(|b| view! { <BreakdownTable breakdown=b /> }).collect_view()}
        <h2>"Escalamientos a las áreas"</h2>
        {if report.escalations.is_empty() {
            view! { <p class="meta">"Ninguna solicitud se escaló en el mes."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="queue report-table">
                        <thead><tr>
                            <th>"Área"</th><th>"Escaladas"</th><th>"Respondidas por el área"</th>
                            <th>"Tiempo en el área (promedio)"</th><th>"Mediana"</th><th>"Sin respuesta y vencidas"</th>
                        </tr></thead>
                        <tbody>
                            {report.escalations.into_iter().map(|e| view! {
                                <tr>
                                    <td>{e.area}</td><td>{e.escalated}</td><td>{e.answered}</td>
                                    <td>{e.mean}</td><td>{e.median}</td><td>{e.overdue_unanswered}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
fn BreakdownTable(breakdown: Breakdown) -> impl IntoView {
    view! {
        <h2>{breakdown.title}</h2>
        {if breakdown.rows.is_empty() {
            view! { <p class="meta">"Sin solicitudes en el mes."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="queue report-table">
                        <thead><tr><th>"Grupo"</th><th>"Recibidas"</th><th>"Respondidas"</th><th>"Abiertas al cierre"</th></tr></thead>
                        <tbody>
                            {breakdown.rows.into_iter().map(|r| view! {
                                <tr><td>{r.label}</td><td>{r.received}</td><td>{r.answered}</td><td>{r.open_at_end}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
