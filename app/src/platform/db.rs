//! Opening the database, applying migrations, and the small helpers every query uses.
//!
//! One `AnyPool` serves SQLite and PostgreSQL with the same SQL (DESIGN.md §2): `$n`
//! placeholders, BIGINT instants in Unix seconds, TEXT ids made here.

pub mod sqlite_writer;

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rand::RngCore;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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
    #[error("no se pudieron calcular los vencimientos de las solicitudes abiertas: {0}")]
    Clocks(AppError),
    #[error("no se pudo indexar los nombres de las cuentas: {0}")]
    NameWords(AppError),
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Connects, turns on WAL for SQLite and applies every pending migration. The server opens
/// through [`crate::startup::open_database`], which also fills what a migration cannot
/// compute; this is the plumbing half of it.
pub async fn open(url: &str) -> Result<AnyPool, OpenError> {
    sqlx::any::install_default_drivers();
    let is_sqlite = url.starts_with("sqlite:");
    let url = if is_sqlite {
        prepare_sqlite_file(url)?
    } else {
        url.to_string()
    };
    let pool = AnyPoolOptions::new()
        // SQLite runs each connection on its own thread and writes one at a time (see
        // [`begin`]), so more connections than concurrent readers only cost memory, cold
        // statement caches and page caches that every commit makes stale; eight serve the
        // API's eight-connection load and the pages. `VENTANILLA_DB_CONNECTIONS` changes it.
        .max_connections(connections(is_sqlite))
        // Fail start-up within seconds when the server is down, instead of sqlx's 30 s.
        .acquire_timeout(std::time::Duration::from_secs(10))
        // sqlx pings every connection it hands out. For SQLite the ping is one more round
        // trip to the connection's thread before every query and transaction (about a
        // quarter of a filing's), and it checks nothing: the file cannot hang up on us.
        // PostgreSQL keeps it, since a server can drop idle connections.
        .test_before_acquire(!is_sqlite)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if is_sqlite {
                    // Per connection, once: with WAL, NORMAL syncs the log at checkpoints
                    // instead of at every commit. A committed change survives the process
                    // crashing or being killed (the WAL is in the OS's page cache); only a
                    // power loss or kernel crash can take back the last commits before the
                    // next checkpoint, never corrupt the file. FULL's fsync per commit
                    // capped filing at the disk's flush rate (BENCHMARKS.md, REST API requirement).
                    sqlx::Executor::execute(&mut *conn, "PRAGMA synchronous = NORMAL").await?;
                    // The server's checkpoints run on a thread of their own
                    // (`sqlite_writer::Checkpointer`) and keep the WAL far below this; the
                    // pool's connections checkpoint only should it fall behind or not run
                    // (the CLI, a server whose writer did not start). At SQLite's default of
                    // 1,000 pages the outbox worker's commits would checkpoint, with the
                    // write turn held, before the checkpointer's next pass.
                    sqlx::Executor::execute(&mut *conn, "PRAGMA wal_autocheckpoint = 10000")
                        .await?;
                }
                Ok(())
            })
        })
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
    if let Err(err) = analyze_requests(&pool, is_sqlite).await {
        // Slower queue pages, not wrong ones: worth a warning, not a refusal to start.
        tracing::warn!(error = %err, "could not gather planner statistics of requests");
    }
    Ok(pool)
}

/// Gives the query planner statistics of `requests`. Without any, SQLite looks the open
/// requests up by state and sorts all of them on every queue page; with them it walks
/// `requests_queue_idx` in queue order and stops at the 200 rows shown (at 100,000
/// requests: under a millisecond instead of tens, BENCHMARKS.md). Any statistics will do, so
/// SQLite samples (`analysis_limit`, on the same connection) and start-up stays fast on a large
/// file. PostgreSQL's autovacuum keeps them afterwards; this covers a freshly loaded database.
async fn analyze_requests(pool: &AnyPool, is_sqlite: bool) -> Result<(), sqlx::Error> {
    let mut connection = pool.acquire().await?;
    if is_sqlite {
        sqlx::query("PRAGMA analysis_limit = 1000")
            .execute(&mut *connection)
            .await?;
    }
    sqlx::query("ANALYZE requests")
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// The file of a `sqlite:` URL (`:memory:` for an in-memory database); `None` for any other.
pub fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    rest.split('?').next().filter(|path| !path.is_empty())
}

/// Makes sure the folder exists and the file is created on first use (`mode=rwc`).
fn prepare_sqlite_file(url: &str) -> Result<String, OpenError> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = sqlite_path(url).unwrap_or_default();
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

/// The pool's size: `VENTANILLA_DB_CONNECTIONS`, else 8 for SQLite and 16 for PostgreSQL.
fn connections(is_sqlite: bool) -> u32 {
    std::env::var("VENTANILLA_DB_CONNECTIONS")
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(if is_sqlite { 8 } else { 16 })
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

/// How long a write waits for its turn before the caller is told to retry (503). The same as
/// SQLite's busy timeout: a turn that waits longer means something else holds the file.
pub(crate) const WRITE_WAIT: Duration = Duration::from_secs(5);

/// A write transaction: the connection in `BEGIN`, and on SQLite this process's turn to
/// write. Deref gives the connection, so queries run on `&mut *tx` (or `&mut **tx` through
/// a `&mut Tx`); the turn is handed on when the transaction commits, rolls back or is
/// dropped.
pub struct Tx {
    inner: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<OwnedSemaphorePermit>,
}

impl Tx {
    /// SQLite, where this process's writers take turns.
    pub fn is_sqlite(&self) -> bool {
        self._turn.is_some()
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.inner.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.inner.rollback().await
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &sqlx::AnyConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.inner
    }
}

/// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken
/// up front, so concurrent writers wait their turn instead of failing when a read-then-write
/// transaction tries to upgrade its lock. PostgreSQL uses a plain `BEGIN`; conflicting
/// writers there are ordered by row locks (see `transitions::load`).
///
/// SQLite has one writer per file. Left to themselves, eight filings at once all run
/// `BEGIN IMMEDIATE` and all but one sleep in SQLite's busy handler, which polls with
/// growing naps (up to 100 ms) — the lock sits idle between naps, and a writer unlucky for
/// 5 s got "database is locked" and a 500 (a debug run of the REST API load test). So the writers of this
/// process queue in order on a semaphore of one and take the lock the moment it is free;
/// the busy timeout is left for other processes (the CLI) holding the file.
pub async fn begin(pool: &AnyPool) -> Result<Tx, AppError> {
    begin_write(pool).await.map_err(internal)
}

/// [`begin`] for callers that keep sqlx's error; a turn not given within [`WRITE_WAIT`] is
/// `PoolTimedOut`, which [`internal`] reports as [`AppError::Busy`].
pub async fn begin_write(pool: &AnyPool) -> Result<Tx, sqlx::Error> {
    let options = pool.connect_options();
    let url = &options.database_url;
    if url.scheme() != "sqlite" {
        let inner = pool.begin_with("BEGIN").await?;
        return Ok(Tx { inner, _turn: None });
    }
    let turns = write_turns(url.as_str());
    let turn = tokio::time::timeout(WRITE_WAIT, turns.acquire_owned())
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)?
        .map_err(|_| sqlx::Error::PoolClosed)?;
    let inner = pool.begin_with("BEGIN IMMEDIATE").await?;
    Ok(Tx {
        inner,
        _turn: Some(turn),
    })
}

/// Why a write made with [`write_numbered`] did not happen, in the terms its callers act on.
/// Nothing of it was written.
#[derive(Debug, Clone)]
pub enum WriteFailure {
    /// The write lock was not given in time ([`WRITE_WAIT`]): answered 503, retry.
    Busy,
    /// A unique constraint, named as [`violated_constraint`] names it.
    Unique(String),
    /// The statements' builder refused (a validation, an exhausted counter).
    App(AppError),
    /// Anything else, already logged.
    Internal,
}

impl WriteFailure {
    /// The answer for a caller that expects no unique violation.
    pub fn into_app(self) -> AppError {
        match self {
            WriteFailure::Busy => AppError::Busy,
            WriteFailure::App(err) => err,
            WriteFailure::Unique(name) => {
                tracing::error!(constraint = %name, "unexpected unique violation");
                AppError::Internal
            }
            WriteFailure::Internal => AppError::Internal,
        }
    }
}

impl From<sqlx::Error> for WriteFailure {
    fn from(err: sqlx::Error) -> Self {
        if let Some(name) = violated_constraint(&err) {
            return WriteFailure::Unique(name);
        }
        match internal(err) {
            AppError::Busy => WriteFailure::Busy,
            _ => WriteFailure::Internal,
        }
    }
}

impl From<rusqlite::Error> for WriteFailure {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match err.sqlite_error() {
            Some(e) if matches!(e.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                tracing::warn!(error = %err, "database busy; answered 503");
                WriteFailure::Busy
            }
            // SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY; the message names the columns, as
            // sqlx's SQLite errors do ("UNIQUE constraint failed: requests.account_id, …").
            Some(e) if matches!(e.extended_code, 2067 | 1555) => {
                WriteFailure::Unique(err.to_string())
            }
            _ => {
                tracing::error!(error = %err, "database error");
                WriteFailure::Internal
            }
        }
    }
}

/// One transaction that takes the next value of a counter and then writes rows that depend
/// on it — a filing and its radicado. `counter` is one statement returning the new value as
/// its only column; `build` makes the rest of the writes from it, with a result for the
/// caller. Returns that result and the values the batch's `RETURNING` statements gave.
///
/// On SQLite, with the file's [`SqliteWriter`](crate::platform::db::sqlite_writer::SqliteWriter), it runs on
/// the writer's thread in one hand-off, committed together with the other writes queued
/// meanwhile (see that module for why); without one (PostgreSQL, an in-memory database) it
/// runs here through the pool, statement by statement, in a transaction of its own.
pub async fn write_numbered<T, F>(
    pool: &AnyPool,
    writer: Option<&crate::platform::db::sqlite_writer::SqliteWriter>,
    counter: (&'static str, Vec<Param>),
    build: F,
) -> Result<(T, Vec<i64>), WriteFailure>
where
    T: Send + 'static,
    F: FnOnce(i64) -> Result<(Batch, T), AppError> + Send + 'static,
{
    let Some(writer) = writer else {
        let mut tx = begin_write(pool).await?;
        let (sql, params) = counter;
        let number: i64 = bind_all(sqlx::query(sql), params)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let (writes, value) = build(number).map_err(WriteFailure::App)?;
        let returned = writes.run(&mut tx).await?;
        tx.commit().await?;
        return Ok((value, returned));
    };
    writer
        .write(move |connection| {
            let (sql, params) = counter;
            let number = *Batch {
                statements: vec![(sql, params)],
            }
            .run_on(connection)?
            .first()
            .ok_or(WriteFailure::Internal)?;
            let (writes, value) = build(number).map_err(WriteFailure::App)?;
            let returned = writes.run_on(connection)?;
            Ok((value, returned))
        })
        .await
}

/// A value bound in a [`Batch`].
#[derive(Debug, Clone)]
pub enum Param {
    Text(Option<String>),
    Int(Option<i64>),
}

impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Param::Text(Some(value.to_string()))
    }
}

impl From<String> for Param {
    fn from(value: String) -> Self {
        Param::Text(Some(value))
    }
}

impl From<Option<&str>> for Param {
    fn from(value: Option<&str>) -> Self {
        Param::Text(value.map(str::to_string))
    }
}

impl From<Option<String>> for Param {
    fn from(value: Option<String>) -> Self {
        Param::Text(value)
    }
}

impl From<i64> for Param {
    fn from(value: i64) -> Self {
        Param::Int(Some(value))
    }
}

impl From<Option<i64>> for Param {
    fn from(value: Option<i64>) -> Self {
        Param::Int(value)
    }
}

/// Writes whose results nobody reads, sent together. On SQLite every statement is a round
/// trip to the connection's own thread — two context switches or more — and a filing's
/// inserts (the request, its first message, its audit event, its e-mail) all happen under
/// the one write lock, so they go as one multi-statement script: one round trip instead of
/// four (the REST API's throughput target, BENCHMARKS.md). PostgreSQL does not take several commands in
/// one prepared statement; there they run one after another.
///
/// Each statement numbers its own parameters from `$1`, as everywhere else; the script
/// renumbers them (SQLite's `$N` are absolute across a script).
///
/// This relies on sqlx's SQLite driver running every statement of one prepared query, which
/// sqlx 0.8 does but has deprecated (launchbadge/sqlx#3108; `raw_sql` takes no parameters).
/// An upgrade that drops it shows at once in the tests — a filing's message, history and
/// e-mail rows would be missing — and the way back is running SQLite's batches one
/// statement at a time, as PostgreSQL's are.
#[derive(Debug, Default)]
pub struct Batch {
    statements: Vec<(&'static str, Vec<Param>)>,
}

impl Batch {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, sql: &'static str, params: Vec<Param>) {
        self.statements.push((sql, params));
    }

    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// Adds `other`'s statements after these.
    pub fn append(&mut self, other: Batch) {
        self.statements.extend(other.statements);
    }

    /// Runs every statement in `tx`, in order; the first failure stops it and is returned
    /// (the caller's transaction then rolls back, so nothing of it stays). Returns what the
    /// statements with `RETURNING` gave — one integer column — in order; most batches have
    /// none.
    pub async fn run(self, tx: &mut Tx) -> Result<Vec<i64>, sqlx::Error> {
        let rows = if !tx.is_sqlite() || self.statements.len() <= 1 {
            let mut rows = Vec::new();
            for (sql, params) in self.statements {
                rows.extend(
                    bind_all(sqlx::query(sql), params)
                        .fetch_all(&mut **tx)
                        .await?,
                );
            }
            rows
        } else {
            let mut script = String::new();
            let mut all = Vec::new();
            for (sql, params) in self.statements {
                script.push_str(&renumber(sql, all.len()));
                script.push_str(";\n");
                all.extend(params);
            }
            bind_all(sqlx::query(&script), all)
                .fetch_all(&mut **tx)
                .await?
        };
        rows.iter().map(|row| row.try_get(0)).collect()
    }

    /// [`run`](Self::run) on the SQLite writer's connection: each statement prepared once
    /// and kept in the connection's cache, `$n` bound by number as sqlx binds them.
    fn run_on(self, tx: &rusqlite::Connection) -> Result<Vec<i64>, rusqlite::Error> {
        let mut returned = Vec::new();
        for (sql, params) in self.statements {
            let mut statement = tx.prepare_cached(sql)?;
            for index in 1..=statement.parameter_count() {
                let position = statement
                    .parameter_name(index)
                    .and_then(|name| name.strip_prefix('$'))
                    .and_then(|n| n.parse::<usize>().ok())
                    .and_then(|n| n.checked_sub(1))
                    .ok_or(rusqlite::Error::InvalidParameterCount(index, params.len()))?;
                match params.get(position) {
                    Some(Param::Text(value)) => {
                        statement.raw_bind_parameter(index, value.as_deref())?
                    }
                    Some(Param::Int(value)) => statement.raw_bind_parameter(index, value)?,
                    None => {
                        return Err(rusqlite::Error::InvalidParameterCount(
                            position + 1,
                            params.len(),
                        ))
                    }
                }
            }
            let columns = statement.column_count();
            let mut rows = statement.raw_query();
            while let Some(row) = rows.next()? {
                if columns > 0 {
                    returned.push(row.get(0)?);
                }
            }
        }
        Ok(returned)
    }
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    params: Vec<Param>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for param in params {
        query = match param {
            Param::Text(value) => query.bind(value),
            Param::Int(value) => query.bind(value),
        };
    }
    query
}

/// `sql` with every `$n` turned into `$(n + offset)`. Our statements never carry a `$` in a
/// literal, so every `$` followed by digits is a parameter.
fn renumber(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        match digits.parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&digits),
        }
    }
    out
}

/// The queue of writers for one SQLite file (by URL), shared by every pool on it.
pub(crate) fn write_turns(url: &str) -> Arc<Semaphore> {
    static TURNS: OnceLock<Mutex<HashMap<String, Arc<Semaphore>>>> = OnceLock::new();
    let mut turns = TURNS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match turns.get(url) {
        Some(turn) => turn.clone(),
        None => {
            let turn = Arc::new(Semaphore::new(1));
            turns.insert(url.to_string(), turn.clone());
            turn
        }
    }
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
/// Contention is not a fault: a write that found the database busy past the wait (SQLite's
/// lock, PostgreSQL's lock or serialization conflicts, no free connection) changed nothing
/// and is [`AppError::Busy`], a 503 the caller may retry.
pub fn internal(err: sqlx::Error) -> AppError {
    if is_busy(&err) {
        tracing::warn!(error = %err, "database busy; answered 503");
        return AppError::Busy;
    }
    tracing::error!(error = %err, "database error");
    AppError::Internal
}

/// `?` on a database call gives the same answer as [`internal`]: logged, busy → 503, the
/// cause never shown to the user.
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        internal(err)
    }
}

/// SQLite's `SQLITE_BUSY` / `SQLITE_LOCKED` (with their extended codes), PostgreSQL's
/// serialization failure, deadlock and lock timeout, and a pool that gave no connection.
pub fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => {
            if let Some(sqlite) = db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                let code = sqlx::error::DatabaseError::code(sqlite)
                    .and_then(|c| c.parse::<i32>().ok())
                    .unwrap_or_default();
                matches!(code & 0xff, 5 | 6)
            } else {
                matches!(db.code().as_deref(), Some("40001" | "40P01" | "55P03"))
            }
        }
        _ => false,
    }
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

/// The answer to a failed write when it broke a unique constraint: `answer` is asked with the
/// constraint's name (PostgreSQL) or columns (SQLite) and may turn the race into the same
/// refusal a pre-check gives; any other failure, or `None`, is [`internal`].
pub fn on_constraint(err: sqlx::Error, answer: impl FnOnce(&str) -> Option<AppError>) -> AppError {
    match violated_constraint(&err).and_then(|name| answer(&name)) {
        Some(refusal) => refusal,
        None => internal(err),
    }
}

#[cfg(test)]
mod batch_tests {
    use super::renumber;

    #[test]
    fn parameters_are_shifted_past_the_statements_before() {
        assert_eq!(
            renumber("INSERT INTO t (a, b, c) VALUES ($1, $2, $1)", 4),
            "INSERT INTO t (a, b, c) VALUES ($5, $6, $5)"
        );
        assert_eq!(
            renumber("UPDATE t SET a = $10 WHERE b = $9", 0),
            "UPDATE t SET a = $10 WHERE b = $9"
        );
        assert_eq!(renumber("SELECT 1", 3), "SELECT 1");
    }
}
