//! Rejects cross-site writes (server functions and the portal's upload forms) (access-control requirement: "server functions reject
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
        && !is_rest_api(request.uri().path())
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

/// The REST API authenticates with API keys only, never with the session cookie, so a
/// cross-site page gains nothing by calling it, and other systems' calls must pass.
fn is_rest_api(path: &str) -> bool {
    path.starts_with("/api/v1/")
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

/// A server function whose arguments cannot be read (missing or malformed fields) fails
/// before our code runs, and server_fn answers that with a 500. It is the caller's mistake,
/// so it becomes a 400 with the same Spanish message; real internal errors stay 500.
pub async fn bad_arguments_are_client_errors(request: Request<Body>, next: Next) -> Response {
    let is_server_fn =
        request.uri().path().starts_with("/api/") && !is_rest_api(request.uri().path());
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Ocurrió un error interno.",
        )
            .into_response();
    };
    if bytes.starts_with(b"{\"Transport\"") {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}
