//! Server functions of the admin's API keys page (REST API requirement). Admins only.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use ventanilla::role::Role;

use crate::accounts::model::{ApiKeySummary, NewApiKey};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    accounts::server::{api_keys, session},
    platform::audit::Actor,
};

/// Every key, revoked ones included.
#[server(endpoint = "equipo/llaves")]
pub async fn list_api_keys() -> Result<Vec<ApiKeySummary>, AppError> {
    session::as_role(&[Role::Admin], |state, _| async move {
        api_keys::list(&state.pool).await
    })
    .await
}

/// Creates a key; the answer carries its secret, shown once. Each scope is a checkbox.
#[server(endpoint = "equipo/llaves/crear")]
pub async fn create_api_key(
    name: String,
    rate_limit_per_minute: String,
    requests_read: Option<String>,
    requests_write: Option<String>,
    customers_write: Option<String>,
    surveys_import: Option<String>,
) -> Result<NewApiKey, AppError> {
    session::as_role(&[Role::Admin], |state, admin| async move {
        let scopes: Vec<String> = [
            (requests_read, api_keys::REQUESTS_READ),
            (requests_write, api_keys::REQUESTS_WRITE),
            (customers_write, api_keys::CUSTOMERS_WRITE),
            (surveys_import, api_keys::SURVEYS_IMPORT),
        ]
        .into_iter()
        .filter(|(checked, _)| checked.is_some())
        .map(|(_, scope)| scope.to_string())
        .collect();
        let limit = rate_limit_per_minute.trim().parse::<i64>().map_err(|_| {
            AppError::validation("Límite: escriba un número de llamadas por minuto.")
        })?;
        let created = api_keys::create(
            &state.pool,
            &Actor::user(&admin.id, &admin.full_name),
            &name,
            &scopes,
            limit,
        )
        .await?;
        Ok(NewApiKey {
            name: name.trim().to_string(),
            secret: created.secret,
        })
    })
    .await
}

/// Revokes a key at once.
#[server(endpoint = "equipo/llaves/revocar")]
pub async fn revoke_api_key(id: String) -> Result<(), AppError> {
    session::as_role(&[Role::Admin], |state, admin| async move {
        api_keys::revoke(&state.pool, &Actor::user(&admin.id, &admin.full_name), &id).await
    })
    .await
}
