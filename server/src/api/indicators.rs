//! The indicators through the API (issue 20): a BI tool or a spreadsheet reads the figures
//! of a period, computed by the same service as the staff's page.

use axum::extract::{Query, State};
use axum::Json;
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use ventanilla_app::accounts::server::api_keys::REPORTS_READ;
use ventanilla_app::indicators::server::compute;
use ventanilla_app::state::AppState;

use super::auth::authorize;
use super::problem::{ProblemBody, PROBLEM_JSON};
use super::Problem;

const PROBLEMS: &str = PROBLEM_JSON;

/// The period, days in Bogotá, both included, and the filters: each narrows the request
/// figures (and the survey figures) to the requests that match; the call figure is never
/// narrowed.
#[derive(Deserialize, IntoParams)]
pub struct PeriodIn {
    /// First day, `AAAA-MM-DD`; by default the first day of this month.
    pub from: Option<String>,
    /// Last day, `AAAA-MM-DD`, at most 366 days after `from`; by default today.
    pub to: Option<String>,
    /// Request type: peticion, queja, reclamo, sugerencia, denuncia, felicitacion.
    #[serde(rename = "type")]
    pub request_type: Option<String>,
    /// Category id (`GET /api/v1/categories`).
    pub category_id: Option<String>,
    /// Id of the area the request is escalated to (`GET /api/v1/areas`).
    pub area_id: Option<String>,
    /// Id of the staff member it is assigned to.
    pub agent_id: Option<String>,
    /// Customer tier: vip, regular or flotante.
    pub tier: Option<String>,
    /// Channel the request came in by.
    pub channel: Option<String>,
    /// The customer's segment (hogar, movil, empresa…).
    pub segment: Option<String>,
    /// Also give the indicators once per value of one dimension: type, category, area,
    /// agent, tier, channel or segment (groups with no request in the period are left out).
    pub group_by: Option<String>,
}

/// The indicators of one value of the `group_by` dimension.
#[derive(Serialize, ToSchema)]
pub struct GroupOut {
    /// The value: a code (`queja`, `vip`) or an id (category, area, agent).
    pub value: String,
    /// What people read for it.
    pub label: String,
    pub indicators: Vec<IndicatorOut>,
}

/// One indicator over the period.
#[derive(Serialize, ToSchema)]
pub struct IndicatorOut {
    /// received, answered, closed, open_at_end, first_response_within_ans,
    /// first_contact_24h, legal_term_compliance, first_contact_resolution, review_rate,
    /// calls_attended, csat or nps.
    pub key: String,
    pub name: String,
    pub formula: String,
    pub numerator: i64,
    /// Null for a count.
    pub denominator: Option<i64>,
    /// A percentage (or the count); null when there is nothing to count.
    pub value: Option<f64>,
    /// A percentage; null where the seeds set none.
    pub goal: Option<f64>,
    pub meets: Option<bool>,
    /// Who answers for the indicator; empty when nobody was named.
    pub owner: String,
}

/// Tiempo de primera respuesta of one tier and priority, in business seconds (seed 000 §7).
#[derive(Serialize, ToSchema)]
pub struct ResponseTimeOut {
    /// The tier's name, or "Todos" for the line of every first response.
    pub tier: String,
    /// The priority's name, or "Todas".
    pub priority: String,
    pub responses: i64,
    pub mean_seconds: i64,
    pub median_seconds: i64,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorsOut {
    pub from: String,
    pub to: String,
    pub indicators: Vec<IndicatorOut>,
    /// The first responses given in the period, by tier and priority, then all of them.
    pub first_response_times: Vec<ResponseTimeOut>,
    /// With `group_by`: the indicators per value of that dimension; otherwise empty.
    pub groups: Vec<GroupOut>,
}

/// The indicators of a period.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "Indicadores",
    security(("llave" = [])),
    params(PeriodIn),
    responses(
        (status = 200, description = "Los indicadores del periodo", body = IndicatorsOut),
        (status = 403, description = "La llave no tiene reports:read", body = ProblemBody, content_type = PROBLEMS),
        (status = 422, description = "Periodo inválido (fechas, orden o más de 366 días), un filtro que no existe o un group_by desconocido", body = ProblemBody, content_type = PROBLEMS),
    ))]
pub async fn read(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<PeriodIn>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<IndicatorsOut>, Problem> {
    authorize(&state, &headers, REPORTS_READ).await?;
    let Query(query) = query
        .map_err(|_| Problem::new("datos-invalidos", "Use from y to con fechas AAAA-MM-DD."))?;
    let period = compute::period(
        query.from.as_deref().unwrap_or_default(),
        query.to.as_deref().unwrap_or_default(),
    )?;
    let filters = ventanilla_app::indicators::model::IndicatorFilters {
        request_type: query.request_type.unwrap_or_default(),
        category: query.category_id.unwrap_or_default(),
        area: query.area_id.unwrap_or_default(),
        agent: query.agent_id.unwrap_or_default(),
        tier: query.tier.unwrap_or_default(),
        channel: query.channel.unwrap_or_default(),
        segment: query.segment.unwrap_or_default(),
    };
    let now = chrono::Utc::now().timestamp();
    let report = compute::report_filtered(&state.pool, period, now, &filters).await?;
    let groups = match query.group_by.as_deref().map(str::trim) {
        None | Some("") => Vec::new(),
        Some(dimension) => ventanilla_app::indicators::server::filters::grouped(
            &state, period, now, &filters, dimension,
        )
        .await?
        .into_iter()
        .map(|(value, group)| GroupOut {
            value: value.code,
            label: value.label,
            indicators: group
                .indicators
                .into_iter()
                .map(IndicatorOut::from)
                .collect(),
        })
        .collect(),
    };
    Ok(Json(IndicatorsOut {
        groups,
        from: report.from,
        to: report.to,
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
    }))
}

impl From<ventanilla_app::indicators::model::Indicator> for IndicatorOut {
    fn from(i: ventanilla_app::indicators::model::Indicator) -> Self {
        IndicatorOut {
            key: i.key,
            name: i.name,
            formula: i.formula,
            numerator: i.numerator,
            denominator: i.denominator,
            value: i.value,
            goal: i.goal,
            meets: i.meets,
            owner: i.owner,
        }
    }
}

impl From<ventanilla_app::indicators::model::ResponseTime> for ResponseTimeOut {
    fn from(line: ventanilla_app::indicators::model::ResponseTime) -> Self {
        ResponseTimeOut {
            tier: line.tier,
            priority: line.priority,
            responses: line.responses,
            mean_seconds: line.mean_seconds,
            median_seconds: line.median_seconds,
        }
    }
}
