//! Limits that keep one busy or hostile client from taking the server down (OWASP ASVS
//! 11.1.4, 12.1.1): who the client is behind a reverse proxy, how many requests run at once,
//! and how long one may take. Each answer past a limit is a 503 in Spanish with
//! `Retry-After`; nothing is half-written, because a cut-off request drops its transaction,
//! which rolls back.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};
use tokio::sync::Semaphore;
use ventanilla_app::platform::client_address::{self, ClientAddress};

/// The limits of one server, shared by every request.
#[derive(Clone)]
pub struct Limits {
    permits: Arc<Semaphore>,
    timeout: Duration,
    trusted_proxies: Arc<Vec<std::net::IpAddr>>,
}

impl Limits {
    pub fn new(
        max_concurrent: usize,
        timeout: Duration,
        trusted_proxies: Vec<std::net::IpAddr>,
    ) -> Self {
        Limits {
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            timeout,
            trusted_proxies: Arc::new(trusted_proxies),
        }
    }
}

/// Streams that stay open by design: bounded per user where they are served, and not cut by
/// the timeout (which would end every open page's live updates).
fn is_long_lived(path: &str) -> bool {
    path == "/eventos" || path.starts_with("/equipo/presencia/")
}

/// Resolves the client's address, then runs the request within the concurrency and time
/// limits. `/healthz` answers within the limits too: a saturated server is not healthy.
pub async fn within_limits(
    State(limits): State<Limits>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let forwarded = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        let client = client_address::resolve(peer.ip(), forwarded, &limits.trusted_proxies);
        request.extensions_mut().insert(ClientAddress(client));
    }
    if is_long_lived(request.uri().path()) {
        return next.run(request).await;
    }
    let Ok(_permit) = limits.permits.clone().try_acquire_owned() else {
        tracing::warn!(path = %request.uri().path(), "too many requests at once: refused");
        return busy(
            "Estamos atendiendo muchas solicitudes en este momento. Intente de nuevo en unos segundos.",
        );
    };
    match tokio::time::timeout(limits.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("request cut off at the time limit");
            busy("La operación tardó demasiado y no se completó; no se guardó nada. Intente de nuevo.")
        }
    }
}

fn busy(message: &'static str) -> Response {
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, message).into_response();
    response
        .headers_mut()
        .insert(http::header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    fn app(limits: Limits) -> Router {
        Router::new()
            .route(
                "/lento",
                get(|| async {
                    tokio::time::sleep(Duration::from_millis(400)).await;
                    "listo"
                }),
            )
            .route(
                "/eventos",
                get(|| async {
                    tokio::time::sleep(Duration::from_millis(400)).await;
                    "flujo"
                }),
            )
            .route(
                "/quien",
                get(|request: Request<Body>| async move {
                    request
                        .extensions()
                        .get::<ClientAddress>()
                        .map(|c| c.0.to_string())
                        .unwrap_or_default()
                }),
            )
            .layer(axum::middleware::from_fn_with_state(limits, within_limits))
    }

    fn get_from(path: &str, peer: &str, forwarded: Option<&str>) -> Request<Body> {
        let mut request = Request::get(path);
        if let Some(value) = forwarded {
            request = request.header("x-forwarded-for", value);
        }
        let mut request = request.body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        request
    }

    async fn text(response: Response) -> String {
        String::from_utf8(
            axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap()
                .to_vec(),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn a_slow_request_is_cut_off_with_a_clear_answer() {
        let app = app(Limits::new(8, Duration::from_millis(100), vec![]));
        let cut = app
            .oneshot(get_from("/lento", "10.0.0.9:4000", None))
            .await
            .unwrap();
        assert_eq!(cut.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(cut.headers()[http::header::RETRY_AFTER], "5");
        assert!(text(cut).await.contains("tardó demasiado"));
    }

    #[tokio::test]
    async fn past_the_concurrency_limit_the_answer_is_immediate() {
        let app = app(Limits::new(1, Duration::from_secs(5), vec![]));
        let first = tokio::spawn(
            app.clone()
                .oneshot(get_from("/lento", "10.0.0.9:4000", None)),
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = std::time::Instant::now();
        let second = app
            .clone()
            .oneshot(get_from("/lento", "10.0.0.9:4001", None))
            .await
            .unwrap();
        assert_eq!(second.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(started.elapsed() < Duration::from_millis(300), "not queued");
        assert!(text(second).await.contains("muchas solicitudes"));
        // Live streams are not counted: they stay open by design.
        let stream = app
            .clone()
            .oneshot(get_from("/eventos", "10.0.0.9:4002", None))
            .await
            .unwrap();
        assert_eq!(stream.status(), StatusCode::OK);
        assert_eq!(first.await.unwrap().unwrap().status(), StatusCode::OK);
        // The permit came back.
        let again = app
            .oneshot(get_from("/lento", "10.0.0.9:4003", None))
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn the_client_behind_a_trusted_proxy_is_the_one_it_names() {
        let proxy = "10.0.0.2".parse().unwrap();
        let app = app(Limits::new(8, Duration::from_secs(5), vec![proxy]));
        let behind = app
            .clone()
            .oneshot(get_from(
                "/quien",
                "10.0.0.2:5000",
                Some("6.6.6.6, 198.51.100.7"),
            ))
            .await
            .unwrap();
        assert_eq!(text(behind).await, "198.51.100.7");
        let direct = app
            .oneshot(get_from("/quien", "203.0.113.9:5000", Some("198.51.100.7")))
            .await
            .unwrap();
        assert_eq!(text(direct).await, "203.0.113.9");
    }
}
