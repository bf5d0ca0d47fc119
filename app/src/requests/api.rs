//! Server functions of the customer portal. Filing and replying carry files and go through
//! the multipart endpoints in the server crate; these read and close.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use ventanilla::role::Role;

use crate::error::AppError;
use crate::requests::model::{FilingOptions, RequestDetail, RequestPage};

#[cfg(feature = "ssr")]
use crate::{
    accounts::server::session,
    requests::server::{filing, service},
};

/// What the filing form offers the signed-in customer. Customers only.
#[server(endpoint = "portal/opciones")]
pub async fn load_filing_options(related: Option<String>) -> Result<FilingOptions, AppError> {
    session::as_role(&[Role::Cliente], |state, user| async move {
        service::filing_options(&state, &user, related).await
    })
    .await
}

/// One of the customer's requests; `None` (a "not found" page) for anyone else's.
#[server(endpoint = "portal/solicitud")]
pub async fn load_request_detail(radicado: String) -> Result<Option<RequestDetail>, AppError> {
    session::as_role(&[Role::Cliente], |state, user| async move {
        service::detail(&state, &user, &radicado).await
    })
    .await
}

/// The customer's *Cerrar* (seed 000 §5 e). Final: a closed request never reopens.
#[server(endpoint = "portal/cerrar")]
pub async fn close_request(radicado: String) -> Result<(), AppError> {
    session::as_role(&[Role::Cliente], |state, user| async move {
        service::close(&state, &user, &radicado).await
    })
    .await
}

/// The requests of the signed-in customer's account. Customers only.
#[server(endpoint = "mis-solicitudes")]
pub async fn my_requests(page: Option<i64>) -> Result<RequestPage, AppError> {
    session::as_role(&[Role::Cliente], |state, user| async move {
        filing::for_customer(&state.pool, &user.id, page.unwrap_or(1)).await
    })
    .await
}
