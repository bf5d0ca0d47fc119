//! The monthly report through the API (issue 20): `GET /api/v1/reports/monthly/{AAAA-MM}` is
//! the XLSX workbook, or its figures as JSON with `Accept: application/json`;
//! `…/{AAAA-MM}/bitacora` is the Bitácora de PQR as CSV. Scope `reports:read`; each file
//! handed out is audited like a download from the page.

use axum::extract::{RawPathParams, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::HeaderMap;
use serde::Serialize;
use utoipa::ToSchema;
use ventanilla_app::accounts::server::api_keys::REPORTS_READ;
use ventanilla_app::indicators::model::MonthlyReport;
use ventanilla_app::indicators::server::exports::{self, XLSX};
use ventanilla_app::indicators::server::monthly::Month;
use ventanilla_app::platform::audit::Actor;
use ventanilla_app::state::AppState;

use super::auth::authorize;
use super::indicators::{IndicatorOut, ResponseTimeOut};
use super::problem::{ProblemBody, PROBLEM_JSON};
use super::requests::path_param;
use super::Problem;

const PROBLEMS: &str = PROBLEM_JSON;

/// Received, answered and open at the end of the month for one group.
#[derive(Serialize, ToSchema)]
pub struct BreakdownRowOut {
    pub label: String,
    pub received: i64,
    pub answered: i64,
    pub open_at_end: i64,
}

/// The volumes by one dimension (type, channel, category, tier, area).
#[derive(Serialize, ToSchema)]
pub struct BreakdownOut {
    pub title: String,
    pub rows: Vec<BreakdownRowOut>,
}

/// One month of the trend.
#[derive(Serialize, ToSchema)]
pub struct MonthFiguresOut {
    /// `AAAA-MM`.
    pub month: String,
    pub received: i64,
    pub answered: i64,
    pub closed: i64,
}

/// The escalations to one area in the month.
#[derive(Serialize, ToSchema)]
pub struct AreaEscalationsOut {
    pub area: String,
    pub escalated: i64,
    pub answered: i64,
    /// Calendar seconds from the escalation to the area's answer; null when none answered.
    pub mean_seconds: Option<i64>,
    pub median_seconds: Option<i64>,
    pub overdue_unanswered: i64,
}

/// The monthly report's figures.
#[derive(Serialize, ToSchema)]
pub struct MonthlyReportOut {
    /// `AAAA-MM`.
    pub month: String,
    pub organization: String,
    pub nit: String,
    pub indicators: Vec<IndicatorOut>,
    pub first_response_times: Vec<ResponseTimeOut>,
    pub breakdowns: Vec<BreakdownOut>,
    /// The last six months, the report's last.
    pub trend: Vec<MonthFiguresOut>,
    pub escalations: Vec<AreaEscalationsOut>,
}

fn out(report: MonthlyReport) -> MonthlyReportOut {
    MonthlyReportOut {
        month: report.month,
        organization: report.organization,
        nit: report.nit,
        indicators: report
            .indicators
            .into_iter()
            .map(IndicatorOut::from)
            .collect(),
        first_response_times: report
            .first_response_times
            .into_iter()
            .map(ResponseTimeOut::from)
            .collect(),
        breakdowns: report
            .breakdowns
            .into_iter()
            .map(|b| BreakdownOut {
                title: b.title,
                rows: b
                    .rows
                    .into_iter()
                    .map(|r| BreakdownRowOut {
                        label: r.label,
                        received: r.received,
                        answered: r.answered,
                        open_at_end: r.open_at_end,
                    })
                    .collect(),
            })
            .collect(),
        trend: report
            .trend
            .into_iter()
            .map(|m| MonthFiguresOut {
                month: m.month,
                received: m.received,
                answered: m.answered,
                closed: m.closed,
            })
            .collect(),
        escalations: report
            .escalations
            .into_iter()
            .map(|e| AreaEscalationsOut {
                area: e.area,
                escalated: e.escalated,
                answered: e.answered,
                mean_seconds: e.mean_seconds,
                median_seconds: e.median_seconds,
                overdue_unanswered: e.overdue_unanswered,
            })
            .collect(),
    }
}

/// The monthly report: XLSX, or JSON when asked.
#[utoipa::path(get, path = "/api/v1/reports/monthly/{month}", tag = "Indicadores",
    security(("llave" = [])),
    params(("month" = String, Path, description = "Mes AAAA-MM (hora de Colombia), no posterior al mes en curso")),
    responses(
        (status = 200, description = "El informe: libro XLSX (una hoja por sección y la bitácora), o sus cifras en JSON con Accept: application/json",
            content((MonthlyReportOut = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "La llave no tiene reports:read", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Mes inválido o aún no empezado", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn monthly(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: RawPathParams,
) -> Result<Response, Problem> {
    let key = authorize(&state, &headers, REPORTS_READ).await?;
    let month = Month::parse(&path_param(&params, "month"))?;
    if crate::http::portal::wants_json(&headers) {
        let report = exports::report(&state, month).await?;
        return Ok(Json(out(report)).into_response());
    }
    let export = exports::workbook(&state, &Actor::api_key(&key.id, &key.name), month).await?;
    Ok(crate::http::reports::attachment(export, XLSX))
}

/// The Bitácora de PQR of a month as CSV (`;`, UTF-8 with BOM).
#[utoipa::path(get, path = "/api/v1/reports/monthly/{month}/bitacora", tag = "Indicadores",
    security(("llave" = [])),
    params(("month" = String, Path, description = "Mes AAAA-MM (hora de Colombia), no posterior al mes en curso")),
    responses(
        (status = 200, description = "Una fila por solicitud recibida en el mes", content_type = "text/csv"),
        (status = 403, description = "La llave no tiene reports:read", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Mes inválido o aún no empezado", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn bitacora(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: RawPathParams,
) -> Result<Response, Problem> {
    let key = authorize(&state, &headers, REPORTS_READ).await?;
    let month = Month::parse(&path_param(&params, "month"))?;
    let export = exports::bitacora_csv(&state, &Actor::api_key(&key.id, &key.name), month).await?;
    Ok(crate::http::reports::attachment(
        export,
        "text/csv; charset=utf-8",
    ))
}
