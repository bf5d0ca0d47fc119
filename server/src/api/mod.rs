//! The public REST API, `/api/v1` (REST API requirement): other systems (a web form on the organization's
//! site, a call-centre tool, a BI export, a nightly report) file, read, follow and close
//! requests, read the catalogue and the calendar, and import survey bases and customer accounts. It calls the same services as the portal
//! and the agent pages: one code path per business action.
//!
//! Authentication is an API key only (`Authorization: Bearer vnt_…`); session cookies are
//! never looked at here, so a browser cannot be tricked into calling the API with a customer's
//! session (the cross-site guard leaves `/api/v1` alone for the same reason).

mod auth;
mod calendar;
mod calls;
mod catalogue;
mod customer_imports;
mod customers;
pub mod docs;
mod imports;
mod indicators;
mod problem;
mod reports;
mod requests;
mod survey_imports;

use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use ventanilla_app::state::AppState;

pub use problem::Problem;

pub fn routes(state: &AppState) -> Router<AppState> {
    // Room for the largest allowed message plus the JSON part and the boundaries.
    let limit = usize::try_from(state.config.attachments.max_message_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(1024 * 1024);
    let api = Router::new()
        .route("/requests", post(requests::create).get(requests::list))
        .route("/requests/{radicado}", get(requests::read))
        .route("/requests/{radicado}/follow-ups", post(requests::follow_up))
        .route("/requests/{radicado}/close", post(requests::close))
        .route("/attachments/{id}", get(requests::attachment))
        .route(
            "/survey-imports",
            post(survey_imports::create).layer(DefaultBodyLimit::max(survey_imports::BODY_LIMIT)),
        )
        .route(
            "/customers/imports",
            post(customer_imports::create)
                .layer(DefaultBodyLimit::max(customer_imports::BODY_LIMIT)),
        )
        .route(
            "/customers/{document_type}/{document_number}",
            get(customers::read).patch(customers::update),
        )
        .route("/calls", post(calls::create))
        .route("/indicators", get(indicators::read))
        .route("/reports/monthly/{month}", get(reports::monthly))
        .route("/reports/monthly/{month}/bitacora", get(reports::bitacora))
        .route("/categories", get(catalogue::categories))
        .route("/areas", get(catalogue::areas))
        .route("/calendar/holidays/{year}", get(calendar::holidays))
        .route("/calendar/due", get(calendar::due))
        .route("/openapi.json", get(docs::openapi_json))
        .route("/referencia", get(docs::reference))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit));
    Router::new().nest("/api/v1", api)
}

async fn not_found() -> impl IntoResponse {
    Problem::new(
        "no-encontrado",
        "No existe esa ruta en la API. Consulte /api/v1/referencia.",
    )
}
