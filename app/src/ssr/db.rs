//! Opening the database, applying migrations, and the small helpers every query uses.
//!
//! One `AnyPool` serves SQLite and PostgreSQL with the same SQL (DESIGN.md §2): `$n`
//! placeholders, BIGINT instants in Unix seconds, TEXT ids made here.

use std::str::FromStr;

use rand::RngCore;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

use crate::error::AppError;

/// Why the database could not be made ready; the server prints it and stops.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("no se pudo crear la carpeta de la base de datos {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("no se pudo conectar a la base de datos ({url}): {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("falló una migración de la base de datos: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("no se pudo configurar SQLite: {0}")]
    Pragma(sqlx::Error),
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Connects, turns on WAL for SQLite, and applies every pending migration.
pub async fn open(url: &str) -> Result<AnyPool, OpenError> {
    sqlx::any::install_default_drivers();
    let is_sqlite = url.starts_with("sqlite:");
    let url = if is_sqlite {
        prepare_sqlite_file(url)?
    } else {
        url.to_string()
    };
    let pool = AnyPoolOptions::new()
        .max_connections(if is_sqlite { 8 } else { 16 })
        // Fail start-up within seconds when the server is down, instead of sqlx's 30 s.
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect(&url)
        .await
        .map_err(|source| OpenError::Connect {
            url: redact(&url),
            source,
        })?;
    if is_sqlite {
        // WAL lets readers proceed while one writer commits; it is a property of the file,
        // so setting it once per open is enough. sqlx turns foreign keys on per connection.
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&pool)
            .await
            .map_err(OpenError::Pragma)?;
    }
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Makes sure the folder exists and the file is created on first use (`mode=rwc`).
fn prepare_sqlite_file(url: &str) -> Result<String, OpenError> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    if path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|source| OpenError::Folder {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
        }
    }
    Ok(if rest.contains("mode=") {
        url.to_string()
    } else if rest.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// Hides a password in a connection string before it is printed.
fn redact(url: &str) -> String {
    match url::Url::from_str(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken
/// up front, so concurrent writers wait their turn (busy timeout) instead of failing when a
/// read-then-write transaction tries to upgrade its lock. PostgreSQL uses a plain `BEGIN`;
/// conflicting writers there are ordered by row locks (see `transitions::load`).
pub async fn begin(pool: &AnyPool) -> Result<sqlx::Transaction<'static, sqlx::Any>, AppError> {
    let statement = if pool.connect_options().database_url.scheme() == "sqlite" {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN"
    };
    pool.begin_with(statement).await.map_err(internal)
}

/// A 128-bit id as 32 hex characters: 64 bits of the current time in nanoseconds, then 64
/// random bits. Portable, needs no coordination, and sorts by creation time, so rows written
/// in the same second (seconds are all our instants keep) still list in the order they
/// happened when `id` breaks the tie.
pub fn new_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    let mut random = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut random);
    format!("{nanos:016x}{}", hex::encode(random))
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Logs a database error and turns it into the generic message; the cause stays here.
pub fn internal(err: sqlx::Error) -> AppError {
    tracing::error!(error = %err, "database error");
    AppError::Internal
}

/// The name of the unique constraint a write violated, if that is what failed, so callers
/// can turn a race into the same 409 a pre-check would have given.
pub fn violated_constraint(err: &sqlx::Error) -> Option<String> {
    let db = err.as_database_error()?;
    if !matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation) {
        return None;
    }
    // PostgreSQL names the constraint; SQLite names the columns ("users.email").
    Some(
        db.constraint()
            .map(str::to_string)
            .unwrap_or_else(|| db.message().to_string()),
    )
}
