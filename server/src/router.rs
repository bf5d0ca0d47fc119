//! The Axum router: the Leptos app, its server functions, static files, `/healthz`.

use std::sync::{Arc, OnceLock};

use axum::extract::State;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use http::StatusCode;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use ventanilla_app::platform::config::Config;
use ventanilla_app::platform::db::sqlite_writer::SqliteWriter;
use ventanilla_app::state::AppState;
use ventanilla_app::{shell, App};

use crate::guard::same_site_only;

/// Options for Leptos built from our own environment variables, so the binary runs the same
/// under `cargo leptos` and on its own (where cargo-leptos' variables are absent).
pub fn leptos_options() -> LeptosOptions {
    let addr: std::net::SocketAddr = std::env::var("LEPTOS_SITE_ADDR")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| ([127, 0, 0, 1], 3000).into());
    LeptosOptions::builder()
        .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "ventanilla".into()))
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir(std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into()))
        .site_addr(addr)
        .env(if std::env::var("LEPTOS_WATCH").is_ok() {
            Env::DEV
        } else {
            Env::PROD
        })
        .build()
}

/// The state shared by the router and the background workers.
pub fn app_state(pool: sqlx::AnyPool, config: Config, options: LeptosOptions) -> AppState {
    AppState {
        leptos_options: options,
        live: ventanilla_app::live::server::bus::LiveBus::new(&pool)
            .retaining_hours(config.event_retention_hours),
        presence: Default::default(),
        sqlite_writer: sqlite_writer(&pool),
        ans: ventanilla_app::platform::ans_cache::AnsCache::new(config.ans_defaults()),
        pool,
        config: Arc::new(config),
    }
}

/// The SQLite file's writer thread. Should it not start, filings go through the pool as
/// every other write does: slower, not wrong.
fn sqlite_writer(pool: &sqlx::AnyPool) -> Option<Arc<SqliteWriter>> {
    match SqliteWriter::open(pool.connect_options().database_url.as_str()) {
        Ok(writer) => writer.map(Arc::new),
        Err(err) => {
            tracing::error!(error = %err, "the SQLite writer did not start; filing through the pool");
            None
        }
    }
}

pub fn build_router(pool: sqlx::AnyPool, config: Config, options: LeptosOptions) -> Router {
    router(app_state(pool, config, options))
}

/// The app's routes, listed once per process. Listing them renders the whole app with
/// resource loading switched off through a flag that is global to the process
/// (`leptos_server`'s `SuppressResourceLoad`): a page rendering on another thread meanwhile
/// gets resources that never load, and its response never ends (leptos-rs/leptos#4773). A
/// server builds one router, but the integration tests build one per test, in parallel:
/// that was the rare hang of a test reading an SSR page (`portal::markup_is_stored_as_inert_text`,
/// `campaigns::the_link_answers_once_and_bad_links_change_nothing`). Once per process, no
/// page can be rendering while it happens: every router waits here for the list first.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    crate::guard::serve_over_https(&state.config.surveys.public_url);
    let routes = routes();
    let context_state = state.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/eventos", get(crate::http::live::stream))
        .route(
            "/equipo/presencia/{radicado}",
            get(crate::http::presence::stream),
        )
        .merge(crate::http::portal::routes(&state))
        .merge(crate::http::spreadsheet_upload::routes())
        .merge(crate::http::reports::routes())
        .merge(crate::api::routes(&state))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
                crate::guard::provide_script_nonce();
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(crate::guard::provide_script_nonce, shell))
        .layer(middleware::from_fn(
            crate::guard::bad_arguments_are_client_errors,
        ))
        .layer(middleware::from_fn(same_site_only))
        .layer(middleware::from_fn(crate::guard::security_headers))
        .layer(middleware::from_fn_with_state(
            crate::limits::Limits::new(
                state.config.max_concurrent_requests,
                std::time::Duration::from_secs(state.config.request_timeout_seconds),
                state.config.trusted_proxies.clone(),
            ),
            crate::limits::within_limits,
        ))
        .layer(TraceLayer::new_for_http())
        // Brotli when the client takes it, else gzip; never for the event streams, images or
        // tiny bodies (tower-http's default predicate). Pages, JSON and static files are text
        // that shrinks several times, and customers on mobile data pay for every byte.
        .layer(CompressionLayer::new().br(true).gzip(true))
        .with_state(state)
}

/// Liveness and readiness in one: answers 200 only when the database answers.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query("SELECT 1").execute(&state.pool).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "base de datos no disponible",
            )
        }
    }
}

/// The listener the server accepts on: every connection with `TCP_NODELAY`. Leptos streams a
/// page in several small writes; with Nagle's algorithm each one after the first waits for
/// the client's delayed ACK (about 40 ms on Linux) — a stall on every page that a phone or
/// any plain HTTP client sees (nginx sets `tcp_nodelay` by default for the same reason).
pub async fn listen(
    addr: std::net::SocketAddr,
) -> std::io::Result<axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)>> {
    use axum::serve::ListenerExt;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    Ok(listener.tap_io(no_delay as fn(&mut tokio::net::TcpStream)))
}

fn no_delay(tcp: &mut tokio::net::TcpStream) {
    if let Err(err) = tcp.set_nodelay(true) {
        tracing::warn!(error = %err, "could not set TCP_NODELAY on a connection");
    }
}
