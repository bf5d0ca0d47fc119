//! Calendar helpers: the holidays of a year and a due-date computation, with the same
//! parsing, limits and domain code as `ventanilla calendar` on the command line.

use axum::extract::{RawPathParams, RawQuery, State};
use axum::Json;
use http::HeaderMap;
use serde::Serialize;
use utoipa::ToSchema;
use ventanilla_app::accounts::server::api_keys::REQUESTS_READ;
use ventanilla_app::state::AppState;

use super::auth::authorize;
use super::problem::ProblemBody;
use super::Problem;
use crate::cli::{self, Command};

#[derive(Serialize, ToSchema)]
pub struct HolidaysOut {
    pub year: i32,
    /// The national holidays (Ley 51 de 1983), `AAAA-MM-DD`.
    pub holidays: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DueOut {
    /// With `business_hours`: the instant (RFC 3339, Bogotá time); with `business_days`: the
    /// date of the legal term (`AAAA-MM-DD`).
    pub due: String,
}

/// Runs the CLI's own parser on the equivalent command line, so both refuse the same input
/// with the same message.
fn command(words: &[&str], pointer: &str) -> Result<Command, Problem> {
    let args: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    cli::parse(&args).map_err(|message| Problem::field(pointer, message))
}

fn single(output: Option<Vec<String>>) -> Result<String, Problem> {
    output
        .and_then(|lines| lines.into_iter().next())
        .ok_or_else(|| Problem::new("error-interno", "No se pudo calcular el vencimiento."))
}

/// Colombian national holidays of a year.
#[utoipa::path(get, path = "/api/v1/calendar/holidays/{year}", tag = "Calendario",
    security(("llave" = [])),
    params(("year" = i32, Path, description = "Año, entre 1984 y 2100", minimum = 1984, maximum = 2100)),
    responses(
        (status = 200, description = "Los festivos del año", body = HolidaysOut),
        (status = 403, description = "La llave no tiene requests:read", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Año inválido", body = ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn holidays(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: RawPathParams,
) -> Result<Json<HolidaysOut>, Problem> {
    authorize(&state, &headers, REQUESTS_READ).await?;
    let year = params
        .iter()
        .find(|(name, _)| *name == "year")
        .map(|(_, value)| value.to_string())
        .unwrap_or_default();
    let command = command(&["calendar", "holidays", &year], "year")?;
    let Command::Holidays { year } = command else {
        return Err(Problem::field("year", "Año inválido."));
    };
    Ok(Json(HolidaysOut {
        year,
        holidays: cli::calendar_output(&command, &Default::default()).unwrap_or_default(),
    }))
}

/// A due date on the business calendar: `start` + `business_hours` (the ANS clock), or
/// `received` + `business_days` (the legal term, Ley 1755 art. 14, counted from the next
/// business day).
#[utoipa::path(get, path = "/api/v1/calendar/due", tag = "Calendario",
    security(("llave" = [])),
    params(
        ("start" = Option<String>, Query, description = "Inicio (RFC 3339), con business_hours"),
        ("business_hours" = Option<i64>, Query, description = "Horas hábiles, 0 a 100000", minimum = 0, maximum = 100000),
        ("received" = Option<String>, Query, description = "Recibido (RFC 3339), con business_days"),
        ("business_days" = Option<i64>, Query, description = "Días hábiles, 0 a 100000", minimum = 0, maximum = 100000),
    ),
    responses(
        (status = 200, description = "El vencimiento", body = DueOut),
        (status = 403, description = "La llave no tiene requests:read", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Parámetros inválidos", body = ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn due(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Json<DueOut>, Problem> {
    authorize(&state, &headers, REQUESTS_READ).await?;
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let mut words = vec!["calendar".to_string(), "due".to_string()];
    for (name, flag) in [
        ("start", "--start"),
        ("business_hours", "--business-hours"),
        ("received", "--received"),
        ("business_days", "--business-days"),
    ] {
        if let Some((_, value)) = pairs.iter().find(|(k, _)| k == name) {
            words.push(flag.to_string());
            words.push(value.clone());
        }
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let command = command(&words, "query")?;
    // Counted on the business hours of the ANS version in force, like a request filed now.
    let in_force = ventanilla_app::ans::server::versions::current(&state.pool, &state.ans).await?;
    Ok(Json(DueOut {
        due: single(cli::calendar_output(
            &command,
            &in_force.settings.business_hours,
        ))?,
    }))
}
