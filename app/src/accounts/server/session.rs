//! Server-side sessions: a random token in an HttpOnly, SameSite=Lax cookie; the database
//! keeps only its SHA-256, so a leaked table cannot be replayed as cookies.
//!
//! Kept in our own table rather than a session crate's store because one `AnyPool` serves
//! both SQLite and PostgreSQL, and the session stores of tower-sessions and axum_session are
//! per engine.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;
use ventanilla::role::Role;

use crate::accounts::model::SessionUser;
use crate::error::AppError;
use crate::platform::db::now;
use crate::state::AppState;

pub const COOKIE_NAME: &str = "vt_sesion";

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session token of the current request, if its cookie is there.
fn request_token() -> Option<String> {
    let parts = use_context::<Parts>()?;
    token_from_headers(&parts.headers)
}

pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// The client address, for the per-IP sign-in limit and the consent record: the one the
/// server resolved behind trusted proxies (`platform::client_address`), else the peer's.
pub fn client_ip() -> String {
    use crate::platform::client_address::ClientAddress;
    use_context::<Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<ClientAddress>()
                .map(|client| client.0)
                .or_else(|| {
                    parts
                        .extensions
                        .get::<ConnectInfo<SocketAddr>>()
                        .map(|info| info.0.ip())
                })
                .map(|ip| ip.to_string())
        })
        .unwrap_or_else(|| "desconocida".to_string())
}

/// Looks up the user behind a session token, ignoring expired or idle sessions and inactive
/// users. A session stays alive while used: its last use is written at most once a minute,
/// so reading pages does not turn into a write per page.
pub async fn user_for_token(
    state: &AppState,
    token: &str,
) -> Result<Option<SessionUser>, AppError> {
    let at = now();
    let token_hash = hash_token(token);
    let row = sqlx::query(
        "SELECT u.id, u.full_name, u.email, u.role, s.last_seen_at FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active = 1",
    )
    .bind(&token_hash)
    .bind(at)
    .bind(at - state.config.session_idle_minutes * 60)
    .fetch_optional(&state.pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    if row.get::<i64, _>("last_seen_at") < at - SEEN_EVERY_SECONDS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(at)
            .bind(&token_hash)
            .execute(&state.pool)
            .await?;
    }
    let role: String = row.get("role");
    Ok(Role::from_code(&role).map(|role| SessionUser {
        id: row.get("id"),
        full_name: row.get("full_name"),
        email: row.get("email"),
        role,
    }))
}

/// How stale a session's last use may be before a request writes it again.
const SEEN_EVERY_SECONDS: i64 = 60;

/// The signed-in user of the current request, or `None`.
pub async fn current_user(state: &AppState) -> Result<Option<SessionUser>, AppError> {
    match request_token() {
        Some(token) => user_for_token(state, &token).await,
        None => Ok(None),
    }
}

/// The signed-in user, or a refusal.
pub async fn require_user(state: &AppState) -> Result<SessionUser, AppError> {
    current_user(state).await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in user if they hold one of `roles`; every server function that returns data
/// goes through this or [`require_user`] (access-control requirement: every server function checks the role).
pub async fn require_role(state: &AppState, roles: &[Role]) -> Result<SessionUser, AppError> {
    let user = require_user(state).await?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Opens a session inside the caller's transaction and sets the cookie on the response.
pub async fn start(
    tx: &mut crate::platform::db::Tx,
    state: &AppState,
    user_id: &str,
) -> Result<(), AppError> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let max_age = state.config.session_hours * 3600;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(now())
    .bind(now() + max_age)
    .execute(&mut **tx)
    .await?;
    set_cookie(state, &token, max_age);
    Ok(())
}

/// Deletes the current session and clears the cookie.
pub async fn end(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = request_token() {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash_token(&token))
            .execute(&state.pool)
            .await?;
    }
    set_cookie(state, "", 0);
    Ok(())
}

/// Whether the browser reached us over TLS: configured explicitly, or told by the reverse
/// proxy that terminates TLS in front of the binary.
fn served_over_tls(state: &AppState) -> bool {
    state.config.secure_cookies
        || use_context::<Parts>().is_some_and(|parts| {
            parts
                .headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
        })
}

fn set_cookie(state: &AppState, value: &str, max_age: i64) {
    let secure = if served_over_tls(state) {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    if let (Some(options), Ok(header)) = (
        use_context::<ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        options.append_header(SET_COOKIE, header);
    }
}

/// The preamble of a server function for signed-in users in one of `roles`: the state, the
/// user (401 when not signed in, 403 in another role), then `work`; the outcome answered by
/// [`respond`](crate::platform::respond::respond) so a plain form post gets its redirect.
pub async fn as_role<T, F, Fut>(roles: &[Role], work: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, SessionUser) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    crate::platform::respond::respond(
        async {
            let state = crate::state::app_state()?;
            let user = require_role(&state, roles).await?;
            work(state, user).await
        }
        .await,
    )
}

/// [`as_role`] for any signed-in user; the service decides what their role allows.
pub async fn signed_in<T, F, Fut>(work: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, SessionUser) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    crate::platform::respond::respond(
        async {
            let state = crate::state::app_state()?;
            let user = require_user(&state).await?;
            work(state, user).await
        }
        .await,
    )
}
