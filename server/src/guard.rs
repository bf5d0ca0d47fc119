//! Rejects cross-site writes (server functions and the portal's upload forms) (issue 2: "server functions reject
//! cross-site requests"). SameSite=Lax already keeps the session cookie off cross-site POSTs;
//! this is the second lock, for browsers that send `Sec-Fetch-Site` or `Origin`.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{HOST, ORIGIN};
use http::{Method, StatusCode};

pub async fn same_site_only(request: Request<Body>, next: Next) -> Response {
    if request.method() != Method::GET
        && request.uri().path().starts_with("/api/")
        && is_cross_site(&request)
    {
        tracing::warn!(path = %request.uri().path(), "cross-site call refused");
        return (
            StatusCode::FORBIDDEN,
            "Solicitud rechazada: las acciones solo pueden enviarse desde este mismo sitio.",
        )
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request<Body>) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "cross-site";
    }
    match (
        headers.get(ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            origin == "null" || origin_host != host
        }
        _ => false,
    }
}
