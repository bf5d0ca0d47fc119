//! The indicators' server function (supervisors and admins).

use leptos::prelude::*;

use crate::error::AppError;
use std::collections::BTreeMap;

use crate::indicators::model::{
    DrillDown, GoalLine, IndicatorFilters, IndicatorReport, MonthlyReport,
};

#[cfg(feature = "ssr")]
use crate::{accounts::server::session, indicators::server::compute};

/// The indicators of `desde`–`hasta` (`YYYY-MM-DD`, both included; empty: this month so far),
/// narrowed by `filtros` (empty: all requests).
#[server(endpoint = "equipo/indicadores")]
pub async fn load_indicators(
    desde: Option<String>,
    hasta: Option<String>,
    filtros: Option<IndicatorFilters>,
) -> Result<IndicatorReport, AppError> {
    use ventanilla::role::Role;
    session::as_role(&[Role::Supervisor, Role::Admin], |state, user| async move {
        let period = compute::period(
            desde.as_deref().unwrap_or_default(),
            hasta.as_deref().unwrap_or_default(),
        )?;
        let filters = filtros.unwrap_or_default();
        let mut report =
            compute::report_filtered(&state.pool, period, crate::platform::db::now(), &filters)
                .await?;
        report.can_edit_goals = user.role == Role::Admin;
        report.options = crate::indicators::server::filters::options(&state).await?;
        Ok(report)
    })
    .await
}

/// The requests behind one figure: `clave` the indicator's key, `parte` `numerador` (the
/// requests that meet it, or the count) or `base` (the denominator).
#[server(endpoint = "equipo/indicadores/detalle")]
pub async fn load_drill_down(
    clave: String,
    parte: Option<String>,
    desde: Option<String>,
    hasta: Option<String>,
    filtros: Option<IndicatorFilters>,
) -> Result<DrillDown, AppError> {
    use ventanilla::role::Role;
    session::as_role(&[Role::Supervisor, Role::Admin], |state, _| async move {
        let period = compute::period(
            desde.as_deref().unwrap_or_default(),
            hasta.as_deref().unwrap_or_default(),
        )?;
        let numerator = parte.as_deref() != Some("base");
        compute::requests_behind(
            &state.pool,
            period,
            crate::platform::db::now(),
            clave.trim(),
            numerator,
            &filtros.unwrap_or_default(),
        )
        .await
    })
    .await
}

/// The monthly report of `mes` (`AAAA-MM`; empty: the previous month). Supervisors and admins.
#[server(endpoint = "equipo/indicadores/informe")]
pub async fn load_monthly_report(mes: Option<String>) -> Result<MonthlyReport, AppError> {
    use ventanilla::role::Role;
    session::as_role(&[Role::Supervisor, Role::Admin], |state, _| async move {
        let month =
            crate::indicators::server::monthly::Month::parse(mes.as_deref().unwrap_or_default())?;
        crate::indicators::server::exports::report(&state, month).await
    })
    .await
}

/// The goals and owners of the ratios, as the admin's form shows them. Admins only.
#[server(endpoint = "equipo/indicadores/metas")]
pub async fn load_goals() -> Result<Vec<GoalLine>, AppError> {
    session::as_role(&[ventanilla::role::Role::Admin], |state, _| async move {
        crate::indicators::server::goals::lines(&state.pool).await
    })
    .await
}

/// Saves the goals (`goal[clave]`) and owners (`owner[clave]`); answers the sentence the admin
/// reads. Admins only.
#[server(endpoint = "equipo/indicadores/metas/guardar")]
pub async fn save_goals(
    goal: Option<BTreeMap<String, String>>,
    owner: Option<BTreeMap<String, String>>,
) -> Result<String, AppError> {
    session::as_role(
        &[ventanilla::role::Role::Admin],
        |state, admin| async move {
            let changed = crate::indicators::server::goals::save(
                &state.pool,
                &admin,
                &goal.unwrap_or_default(),
                &owner.unwrap_or_default(),
            )
            .await?;
            Ok(match changed {
                0 => "No había cambios que guardar.".to_string(),
                1 => "Se guardó el cambio de 1 indicador.".to_string(),
                n => format!("Se guardaron los cambios de {n} indicadores."),
            })
        },
    )
    .await
}
