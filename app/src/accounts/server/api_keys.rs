//! API keys for the public REST API (REST API requirement): created and revoked by admins, shown once,
//! kept only as a SHA-256 of the secret, each with scopes and a rate limit. Every call made
//! with a key is attributed to it in the audit history ([`ApiKey::actor`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, now};
use crate::timers::local_time;
use crate::{
    accounts::model::{ApiKeySummary, SessionUser},
    ui::choice::Choice,
};
use ventanilla::role::Role;

/// Read requests, their threads, the catalogue, the areas and the calendar helpers.
pub const REQUESTS_READ: &str = "requests:read";
/// File requests, add public follow-ups, close requests.
pub const REQUESTS_WRITE: &str = "requests:write";
/// Create the customer's account when filing for a document that has none, and change a
/// customer's commercial data (issue 19).
pub const CUSTOMERS_WRITE: &str = "customers:write";
/// Read a customer's data with the tier and ANS guarantee it gives (issue 19).
pub const CUSTOMERS_READ: &str = "customers:read";
/// Import survey bases into the detractor desk (seed 003 §4 steps 1–2), the BI tool's
/// nightly export. Imports are a supervisor's or admin's act in the UI, so a key with this
/// scope needs one who answers for it: the admin who creates it in the UI, or the one named
/// with `--responsable` on the command line.
pub const SURVEYS_IMPORT: &str = "surveys:import";

/// Read the indicators of a period (issue 20).
pub const REPORTS_READ: &str = "reports:read";

/// Record the service line's calls from the switchboard (issue 20, call records).
pub const CALLS_WRITE: &str = "calls:write";

/// Every scope with what it allows, in the order the admin form lists them.
pub fn scopes() -> Vec<Choice> {
    crate::accounts::model::API_SCOPES
        .iter()
        .map(|(code, label)| Choice::new(*code, *label))
        .collect()
}

/// A key that authenticated a call.
#[derive(Debug, Clone)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub rate_limit_per_minute: u32,
    /// The staff member who created the key and answers for it; none for a key made on the
    /// command line without `--responsable`.
    pub created_by: Option<String>,
    label: String,
}

impl ApiKey {
    pub fn allows(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// The key as the author of what it does, in the audit history.
    pub fn actor(&self) -> Actor<'_> {
        Actor::api_key(&self.id, &self.label)
    }

    pub fn label(&self) -> &str {
        &self.label
    }
}

/// A key just created: the only moment its secret exists outside the caller's hands.
pub struct CreatedKey {
    pub id: String,
    pub secret: String,
}

/// The visible start of a secret (`vnt_` and 8 hex digits), to tell keys apart.
const PREFIX_LEN: usize = 12;

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Creates a key; the secret is returned once and never stored.
pub async fn create(
    pool: &sqlx::AnyPool,
    actor: &Actor<'_>,
    name: &str,
    scopes: &[String],
    rate_limit_per_minute: i64,
) -> Result<CreatedKey, AppError> {
    let name = name.trim();
    if !(3..=80).contains(&name.chars().count()) {
        return Err(AppError::validation(
            "Nombre: escriba entre 3 y 80 caracteres (para qué sistema es la llave).",
        ));
    }
    let known = self::scopes();
    let mut chosen: Vec<&str> = Vec::new();
    for scope in scopes {
        let scope = scope.trim();
        if !known.iter().any(|c| c.code == scope) {
            return Err(AppError::validation(format!(
                "Permisos: «{scope}» no es un permiso conocido."
            )));
        }
        if !chosen.contains(&scope) {
            chosen.push(scope);
        }
    }
    if chosen.is_empty() {
        return Err(AppError::validation("Permisos: elija al menos uno."));
    }
    if chosen.contains(&SURVEYS_IMPORT) && actor.user_id.is_none() {
        return Err(AppError::validation(
            "Permisos: surveys:import necesita un supervisor o administrador responsable de la llave (--responsable CORREO en la línea de comandos).",
        ));
    }
    if !(1..=1_000_000).contains(&rate_limit_per_minute) {
        return Err(AppError::validation(
            "Límite: escriba un número de llamadas por minuto entre 1 y 1000000.",
        ));
    }
    let mut random = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut random);
    let secret = format!("vnt_{}", hex::encode(random));
    let id = new_id();
    let mut tx = crate::platform::db::begin(pool).await?;
    sqlx::query(
        "INSERT INTO api_keys (id, name, prefix, secret_sha256, scopes, rate_limit_per_minute, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(name)
    .bind(&secret[..PREFIX_LEN])
    .bind(digest(&secret))
    .bind(chosen.join(" "))
    .bind(rate_limit_per_minute)
    .bind(actor.user_id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        "llave_api_creada",
        "api_key",
        &id,
        json!({ "name": name, "prefix": &secret[..PREFIX_LEN], "scopes": chosen, "rate_limit_per_minute": rate_limit_per_minute }),
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedKey { id, secret })
}

/// Revokes a key at once: the next call made with it is refused.
pub async fn revoke(pool: &sqlx::AnyPool, actor: &Actor<'_>, id: &str) -> Result<(), AppError> {
    let mut tx = crate::platform::db::begin(pool).await?;
    let done =
        sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        "llave_api_revocada",
        "api_key",
        id,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    forget_remembered_keys();
    Ok(())
}

/// Every key, newest first, without secrets (there are none to show).
pub async fn list(pool: &sqlx::AnyPool) -> Result<Vec<ApiKeySummary>, AppError> {
    Ok(sqlx::query(
        "SELECT k.id, k.name, k.prefix, k.scopes, k.rate_limit_per_minute, k.created_at, k.revoked_at, \
         COALESCE(u.full_name, 'Consola') AS created_by FROM api_keys k LEFT JOIN users u ON u.id = k.created_by \
         ORDER BY k.created_at DESC, k.id DESC",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| ApiKeySummary {
        id: row.get("id"),
        name: row.get("name"),
        prefix: row.get("prefix"),
        scopes: row
            .get::<String, _>("scopes")
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        rate_limit_per_minute: row.get("rate_limit_per_minute"),
        created_at: local_time(row.get("created_at")),
        created_by: row.get("created_by"),
        revoked_at: row.get::<Option<i64>, _>("revoked_at").map(local_time),
    })
    .collect())
}

/// The live key a secret belongs to; `None` for an unknown or revoked one.
pub async fn authenticate(pool: &sqlx::AnyPool, secret: &str) -> Result<Option<ApiKey>, AppError> {
    if !secret.starts_with("vnt_") || secret.len() > 100 {
        return Ok(None);
    }
    let digest = digest(secret);
    let generation = match recently_authenticated(&digest) {
        Ok(key) => return Ok(Some(key)),
        Err(generation) => generation,
    };
    let row = sqlx::query(
        "SELECT id, name, prefix, scopes, rate_limit_per_minute, created_by FROM api_keys \
         WHERE secret_sha256 = $1 AND revoked_at IS NULL",
    )
    .bind(&digest)
    .fetch_optional(pool)
    .await?;
    let key = row.map(|row| {
        let name: String = row.get("name");
        let prefix: String = row.get("prefix");
        ApiKey {
            id: row.get("id"),
            label: format!("API: {name} ({prefix}…)"),
            name,
            prefix,
            scopes: row
                .get::<String, _>("scopes")
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            rate_limit_per_minute: u32::try_from(row.get::<i64, _>("rate_limit_per_minute"))
                .unwrap_or(u32::MAX),
            created_by: row.get("created_by"),
        }
    });
    if let Some(key) = &key {
        remember(generation, digest, key.clone());
    }
    Ok(key)
}

/// How long a key that authenticated is believed without asking the database again.
///
/// An integration calls in bursts (the REST API load test files hundreds of requests a second with
/// one key), and reading the key was one of the few queries left on each call. A key never
/// changes once created, only its revocation: [`revoke`] forgets every remembered key of
/// this process at once, so here the next call after it is refused, as the admin page
/// promises. Another server on the same PostgreSQL database refuses it within this time.
const REMEMBERED_FOR: Duration = Duration::from_secs(10);

/// The keys that authenticated lately, by the digest of their secret (never the secret).
/// Only keys that exist are kept: a wrong secret is asked about every time, so there is
/// nothing for a caller trying secrets to fill this with.
struct Remembered {
    /// Counts revocations: a key read before one is not remembered after it, or a call
    /// racing the revocation could put the revoked key back.
    generation: u64,
    keys: BTreeMap<String, (Instant, ApiKey)>,
}

static RECENT: Mutex<Remembered> = Mutex::new(Remembered {
    generation: 0,
    keys: BTreeMap::new(),
});

fn remembered() -> std::sync::MutexGuard<'static, Remembered> {
    RECENT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The key remembered for `digest`, or the generation to remember one read now under.
fn recently_authenticated(digest: &str) -> Result<ApiKey, u64> {
    let recent = remembered();
    recent
        .keys
        .get(digest)
        .filter(|(at, _)| at.elapsed() < REMEMBERED_FOR)
        .map(|(_, key)| key.clone())
        .ok_or(recent.generation)
}

fn remember(generation: u64, digest: String, key: ApiKey) {
    let mut recent = remembered();
    if recent.generation != generation {
        return;
    }
    // Keys are few; dropping the stale ones here keeps the map that size.
    recent
        .keys
        .retain(|_, (at, _)| at.elapsed() < REMEMBERED_FOR);
    recent.keys.insert(digest, (Instant::now(), key));
}

fn forget_remembered_keys() {
    let mut recent = remembered();
    recent.generation += 1;
    recent.keys.clear();
}

/// The active staff member who answers for a key (see [`SURVEYS_IMPORT`]); `None` when the
/// key has none or that person was deactivated.
pub async fn responsible(
    pool: &sqlx::AnyPool,
    key: &ApiKey,
) -> Result<Option<SessionUser>, AppError> {
    let Some(user_id) = &key.created_by else {
        return Ok(None);
    };
    let row = sqlx::query(
        "SELECT id, full_name, email, role FROM users WHERE id = $1 AND active = 1 AND account_id IS NULL",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|row| {
        Some(SessionUser {
            role: Role::from_code(&row.get::<String, _>("role"))?,
            id: row.get("id"),
            full_name: row.get("full_name"),
            email: row.get("email"),
        })
    }))
}

/// Calls per key in the current minute. Kept in memory: a limit is a guard against a runaway
/// client, not an accounting record, so each instance counting on its own is good enough
/// (with N instances a key gets at most N times its limit).
static WINDOWS: Mutex<Option<HashMap<String, (i64, u32)>>> = Mutex::new(None);

/// Counts a call; `Err(seconds)` says how long to wait when the key is over its limit.
pub fn take_call(key: &ApiKey) -> Result<(), u64> {
    let now = now();
    let minute = now / 60;
    let mut guard = WINDOWS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let windows = guard.get_or_insert_with(HashMap::new);
    let entry = windows.entry(key.id.clone()).or_insert((minute, 0));
    if entry.0 != minute {
        *entry = (minute, 0);
    }
    if entry.1 >= key.rate_limit_per_minute {
        return Err(u64::try_from(60 - now % 60).unwrap_or(60));
    }
    entry.1 += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str) -> ApiKey {
        ApiKey {
            id: id.into(),
            name: "prueba".into(),
            prefix: "vnt_00000000".into(),
            scopes: vec![REQUESTS_READ.into()],
            rate_limit_per_minute: 10,
            created_by: None,
            label: "API: prueba".into(),
        }
    }

    #[test]
    fn a_key_read_before_a_revocation_is_not_remembered_after_it() {
        let digest = digest(&format!("vnt_{}", new_id()));
        let Err(generation) = recently_authenticated(&digest) else {
            panic!("nothing remembered yet");
        };
        // Revoked while the call that read the key was still on its way back.
        forget_remembered_keys();
        remember(generation, digest.clone(), key("k1"));
        let Err(now) = recently_authenticated(&digest) else {
            panic!("a key read before the revocation came back");
        };
        remember(now, digest.clone(), key("k1"));
        assert_eq!(
            recently_authenticated(&digest).map(|k| k.id),
            Ok("k1".into())
        );
        forget_remembered_keys();
        assert!(recently_authenticated(&digest).is_err());
    }
}
