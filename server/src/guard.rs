//! Rejects writes that do not come from this site: server functions and every multipart form
//! (filing, replies, staff actions, imports). SameSite=Lax keeps the session cookie off
//! cross-site POSTs but not off a sibling subdomain's ("same-site"); this is the second lock,
//! for every browser, since all send `Sec-Fetch-Site` or `Origin` on a POST.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{HOST, ORIGIN};
use http::{HeaderValue, Method, StatusCode};

pub async fn same_site_only(request: Request<Body>, next: Next) -> Response {
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !reads && !is_rest_api(request.uri().path()) && is_cross_site(&request) {
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

/// Whether a browser says the call comes from another origin. `Sec-Fetch-Site` is trusted
/// when present (only `same-origin`, or `none` for what the person typed, pass: a sibling
/// subdomain is `same-site` and is refused); else `Origin` must name this host. A client that
/// sends neither is not a browser acting for someone else's page.
fn is_cross_site(request: &Request<Body>) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
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

/// Headers every answer carries: no MIME sniffing (an uploaded file is never run as a page),
/// no framing by other sites (clickjacking), no full URLs (with radicados) in the `Referer`
/// sent to other sites, HSTS when the site is served over https, and on pages a
/// Content-Security-Policy under which only this site's scripts and the page's own inline
/// scripts run (OWASP ASVS 14.4.3): an injected `<script>` or `onerror=` has no nonce.
///
/// The nonce is made here, before the page renders, and handed to Leptos through the request
/// (`provide_script_nonce`), so the hydration and streaming scripts carry the one the header
/// names. `'wasm-unsafe-eval'` lets the page compile its WebAssembly and nothing else;
/// styles are not restricted (the pages set none inline from input).
pub async fn security_headers(mut request: Request<Body>, next: Next) -> Response {
    let nonce = leptos::nonce::Nonce::new();
    request.extensions_mut().insert(ScriptNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert(
        "referrer-policy",
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if !headers.contains_key("content-security-policy") {
        let policy = if is_page {
            HeaderValue::from_str(&format!(
                "script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; object-src 'none'; {FRAMING}"
            ))
            .unwrap_or_else(|_| HeaderValue::from_static(FRAMING))
        } else {
            HeaderValue::from_static(FRAMING)
        };
        headers.insert("content-security-policy", policy);
    }
    if HTTPS.get().copied().unwrap_or(false) {
        headers.insert(
            "strict-transport-security",
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// The policy every response carries: never framed, no `<base>` or form pointing elsewhere.
const FRAMING: &str = "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// The script nonce of one response, carried from `security_headers` to the page's render.
#[derive(Clone)]
pub struct ScriptNonce(leptos::nonce::Nonce);

/// Gives the page being rendered the nonce its response's policy names: called in the render
/// context, after leptos_axum has provided its own, which this one replaces.
pub fn provide_script_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(ScriptNonce(nonce)) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ScriptNonce>().cloned())
    {
        provide_context(nonce);
    }
}

/// Whether the public address is https (`VENTANILLA_PUBLIC_URL`), set once at start.
static HTTPS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Records whether the site is served over https, for HSTS.
pub fn serve_over_https(public_url: &str) {
    let _ = HTTPS.set(public_url.starts_with("https://"));
}
