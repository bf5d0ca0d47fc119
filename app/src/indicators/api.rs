//! The indicators' server function (supervisors and admins).

use leptos::prelude::*;

use crate::error::AppError;
use crate::indicators::model::{DrillDown, IndicatorReport};

#[cfg(feature = "ssr")]
use crate::{accounts::server::session, indicators::server::compute};

/// The indicators of `desde`–`hasta` (`YYYY-MM-DD`, both included; empty: this month so far).
#[server(endpoint = "equipo/indicadores")]
pub async fn load_indicators(
    desde: Option<String>,
    hasta: Option<String>,
) -> Result<IndicatorReport, AppError> {
    use ventanilla::role::Role;
    session::as_role(&[Role::Supervisor, Role::Admin], |state, _| async move {
        let period = compute::period(
            desde.as_deref().unwrap_or_default(),
            hasta.as_deref().unwrap_or_default(),
        )?;
        compute::report(&state.pool, period, crate::platform::db::now()).await
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
        )
        .await
    })
    .await
}
