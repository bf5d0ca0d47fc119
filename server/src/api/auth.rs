//! Who is calling: the API key in `Authorization: Bearer …` (or `X-Api-Key`), its scope for
//! this operation, and its rate limit. Cookies are ignored on purpose (see the module above).

use http::header::AUTHORIZATION;
use http::HeaderMap;
use ventanilla_app::accounts::server::api_keys::{self, ApiKey};
use ventanilla_app::state::AppState;

use super::Problem;

pub async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    scope: &str,
) -> Result<ApiKey, Problem> {
    let secret = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
        .map(str::trim)
        .ok_or_else(|| {
            Problem::new(
                "no-autenticado",
                "Envíe su llave de API en el encabezado Authorization: Bearer <llave>.",
            )
        })?;
    let key = api_keys::authenticate(&state.pool, secret)
        .await?
        .ok_or_else(|| {
            Problem::new(
                "no-autenticado",
                "La llave de API no existe o fue revocada.",
            )
        })?;
    if !key.allows(scope) {
        return Err(Problem::new(
            "sin-permiso",
            format!("La llave «{}» no tiene el permiso {scope}.", key.name),
        ));
    }
    if let Err(seconds) = api_keys::take_call(&key) {
        let mut problem = Problem::new(
            "demasiadas-llamadas",
            format!(
                "La llave admite {} llamadas por minuto. Intente de nuevo en {seconds} s.",
                key.rate_limit_per_minute
            ),
        );
        problem.retry_after = Some(seconds);
        return Err(problem);
    }
    Ok(key)
}
