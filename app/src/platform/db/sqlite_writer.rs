//! A thread of its own that writes filings to the SQLite file, several per commit.
//!
//! Why it exists (REST API requirement: "at least 1,400 creations per second on SQLite"): sqlx runs every
//! SQLite connection on a thread of its own, and every statement is a round trip to it — a
//! message over a channel, a wake-up of that thread, the answer back, a wake-up of the
//! task. A filing held SQLite's one write lock for four of those trips (`BEGIN IMMEDIATE`,
//! the radicado, the script of its rows, `COMMIT`), and with eight filings queueing for the
//! lock those trips, not SQLite, set the pace: the machine sat a quarter idle while filings
//! waited (BENCHMARKS.md). Here a filing is one job handed to the thread that owns the
//! connection, which runs its statements itself.
//!
//! **Group commit.** The jobs that queued while the previous commit ran are written in one
//! transaction, each inside a savepoint of its own: a job that fails (a resubmitted form's
//! unique token) is rolled back to its savepoint and answered at once, and the others go on.
//! Every job is answered only after the commit that holds it, so a caller never hears "done"
//! for a write that could still be lost; if that commit fails, every job in it is answered
//! with the failure and nothing of any of them is written. One commit for many filings
//! writes the pages they share (the counters, the tails of the tables and their indexes) to
//! the WAL once instead of once each, and the thread goes from one job to the next without
//! waiting for a task to wake up and hand over its turn.
//!
//! It is one more connection to the same file, opened after the migrations, with the same
//! settings as the pool's (`db::open`): WAL, `synchronous = NORMAL`, foreign keys on. It takes
//! the process's write turn (`db::begin`) for each group, so it never fights the pool's
//! writers for the lock, and a job that waited longer than they would ([`WRITE_WAIT`]) is
//! answered "busy" without being run — as with them, a 503 means nothing was written. Its
//! busy timeout is for other processes (the CLI) holding the file, as the pool's is.
//!
//! Only SQLite files get one: PostgreSQL has no such hand-off, and `:memory:` would be a
//! second, empty database.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc};
use std::time::Instant;

use rusqlite::Connection;
use tokio::sync::Semaphore;

use crate::platform::db::{WriteFailure, WRITE_WAIT};

/// The most jobs one commit holds: enough for every filing a busy server has waiting, few
/// enough that the first of them is not kept long.
const GROUP: usize = 64;

/// Answers a job whose writes succeeded, once their commit is known.
type Finish = Box<dyn FnOnce(Result<(), WriteFailure>) + Send>;

/// Runs a job's writes on the connection, or answers the failure it is given instead. On
/// success returns how to answer after the commit; on failure it has answered already.
type Run = Box<dyn FnOnce(Result<&Connection, WriteFailure>) -> Option<Finish> + Send>;

struct Job {
    queued_at: Instant,
    run: Run,
}

/// The thread and the way to it. Dropping the last clone of the state that holds it ends
/// the thread once the jobs already sent are done.
pub struct SqliteWriter {
    jobs: mpsc::Sender<Job>,
}

/// Why the writer could not start; the server then writes through the pool, as on PostgreSQL.
#[derive(Debug, thiserror::Error)]
pub enum OpenWriterError {
    #[error("no se pudo abrir el archivo de SQLite para escribir: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("no se pudo iniciar el hilo de escritura de SQLite: {0}")]
    Thread(#[from] std::io::Error),
}

impl SqliteWriter {
    /// Opens the writer's connection to the file of a `sqlite:` URL; `None` for any other
    /// database and for an in-memory one.
    pub fn open(url: &str) -> Result<Option<Self>, OpenWriterError> {
        let Some(path) = crate::platform::db::sqlite_path(url).filter(|path| *path != ":memory:")
        else {
            return Ok(None);
        };
        let connection = Connection::open(path)?;
        // The pool's settings (`db::open`); WAL is the file's own, set there once.
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(WRITE_WAIT)?;
        connection.set_prepared_statement_cache_capacity(64);
        // Checkpoints are the checkpointer's (below), not this thread's.
        connection.pragma_update(None, "wal_autocheckpoint", 0)?;
        let turns = crate::platform::db::write_turns(url);
        let checkpoints = Checkpointer::start(path, turns.clone())?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                while let Ok(first) = queue.recv() {
                    let mut group = vec![first];
                    group.extend(queue.try_iter().take(GROUP - 1));
                    commit_group(&connection, &turns, group);
                    checkpoints.due();
                }
            })?;
        Ok(Some(Self { jobs }))
    }

    /// Runs `work` on the writer's connection, inside the transaction of its group, and
    /// answers once that transaction committed; `work`'s error, or the commit's, means none of
    /// its writes stayed. Waits without blocking the runtime.
    pub async fn write<T, F>(&self, work: F) -> Result<T, WriteFailure>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, WriteFailure> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel::<Result<T, WriteFailure>>();
        let run = move |connection: Result<&Connection, WriteFailure>| -> Option<Finish> {
            match connection.and_then(work) {
                Ok(value) => Some(Box::new(move |committed: Result<(), WriteFailure>| {
                    let _ = answer.send(committed.map(|()| value));
                })),
                Err(failure) => {
                    let _ = answer.send(Err(failure));
                    None
                }
            }
        };
        let job = Job {
            queued_at: Instant::now(),
            run: Box::new(run),
        };
        self.jobs.send(job).map_err(|_| gone())?;
        // A job whose work panicked is dropped unanswered.
        answered.await.map_err(|_| gone())?
    }
}

/// Copies the WAL back into the database file on a thread of its own.
///
/// SQLite checkpoints on the connection whose commit makes the WAL pass 1,000 pages, inside
/// that commit. For the writer that meant a few times a second under the REST API load test: the
/// pages written to the file and two `fsync`s, some 20 ms on this machine's disk, with the
/// write turn held and every filing of the group, and every one queued behind it, waiting.
/// Here the writer only says that it committed, and at most every [`CHECKPOINT_EVERY`] this
/// thread runs a PASSIVE checkpoint, which copies what no reader still needs without taking
/// the write lock: the writer goes on appending meanwhile.
///
/// The WAL starts over from its beginning only when a writer finds all of it copied, which a
/// writer that never pauses rarely does. When it has grown past [`RESTART_AT`] anyway, this
/// thread takes the write turn and runs a RESTART checkpoint: it copies the little the
/// passive one left and waits for the readers, so the writer's next transaction starts the
/// WAL over. That holds filings for one short checkpoint every several seconds of full load
/// instead of one long one every fraction of a second.
///
/// The pool's connections keep SQLite's own checkpoint as a fallback (`db::open`), at a size
/// this thread keeps the WAL under.
struct Checkpointer {
    wake: mpsc::SyncSender<()>,
}

/// How long commits accumulate before a checkpoint: a page rewritten by many commits
/// meanwhile reaches the file once.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// WAL pages (16 MB) past which the WAL is made to start over.
const RESTART_AT: i64 = 4_000;

/// How long the RESTART checkpoint waits for readers, with filings held. A long read (a
/// manager's monthly report) must not hold them for seconds: past this the checkpoint gives
/// up, the turn goes back, and the next pass tries again. A PASSIVE checkpoint never waits.
const RESTART_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

impl Checkpointer {
    fn start(path: &str, turns: Arc<Semaphore>) -> Result<Self, OpenWriterError> {
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.busy_timeout(RESTART_WAIT)?;
        let (wake, woken) = mpsc::sync_channel::<()>(1);
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                // Ends when the writer does, after the last checkpoint.
                while woken.recv().is_ok() {
                    std::thread::sleep(CHECKPOINT_EVERY);
                    let _ = woken.try_recv();
                    let pages = checkpoint(&connection, "PASSIVE");
                    if pages.is_some_and(|pages| pages > RESTART_AT) {
                        let turn = futures_executor::block_on(turns.clone().acquire_owned());
                        checkpoint(&connection, "RESTART");
                        drop(turn);
                    }
                }
            })?;
        Ok(Self { wake })
    }

    /// Something was committed; a checkpoint follows within [`CHECKPOINT_EVERY`].
    fn due(&self) {
        // Full means one is already due.
        let _ = self.wake.try_send(());
    }
}

/// Runs a checkpoint of `mode`; the pages the WAL holds, when it ran.
fn checkpoint(connection: &Connection, mode: &str) -> Option<i64> {
    // Its row: whether it was kept from finishing, the WAL's pages, the pages copied.
    match connection.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |row| {
        row.get::<_, i64>(1)
    }) {
        Ok(pages) => Some(pages),
        Err(err) => {
            tracing::warn!(error = %err, mode, "WAL checkpoint failed; the next one retries");
            None
        }
    }
}

fn gone() -> WriteFailure {
    tracing::error!("the SQLite writer did not answer");
    WriteFailure::Internal
}

/// One transaction for `group`, under the process's write turn; see the module comment.
fn commit_group(connection: &Connection, turns: &Arc<Semaphore>, group: Vec<Job>) {
    // The pool's writers hand the turn on as soon as they commit; the jobs waited for it as
    // long as they would have.
    let turn = futures_executor::block_on(turns.clone().acquire_owned());
    let (late, group): (Vec<Job>, Vec<Job>) = group
        .into_iter()
        .partition(|job| job.queued_at.elapsed() > WRITE_WAIT);
    for job in late {
        tracing::warn!("a write waited too long for its turn; answered 503");
        (job.run)(Err(WriteFailure::Busy));
    }
    if group.is_empty() {
        return;
    }
    if let Err(err) = connection.execute_batch("BEGIN IMMEDIATE") {
        let failure = WriteFailure::from(err);
        for job in group {
            (job.run)(Err(failure.clone()));
        }
        return;
    }
    let mut written = Vec::with_capacity(group.len());
    let mut broken = None;
    let mut group = group.into_iter();
    for job in group.by_ref() {
        match savepoint(connection, job) {
            Ok(finish) => written.extend(finish),
            Err((failure, finish)) => {
                written.extend(finish);
                broken = Some(failure);
                break;
            }
        }
    }
    let committed = match broken {
        None => connection
            .execute_batch("COMMIT")
            .map_err(WriteFailure::from),
        Some(failure) => Err(failure),
    };
    if committed.is_err() {
        let _ = connection.execute_batch("ROLLBACK");
        // The jobs after the break were never run.
        for job in group {
            (job.run)(Err(WriteFailure::Busy));
        }
    }
    drop(turn);
    for finish in written {
        finish(committed.clone());
    }
}

/// Runs one job inside a savepoint: kept if it succeeded, undone if it failed or panicked.
/// `Err` when the savepoint itself could not be closed: the transaction then holds writes
/// nobody can account for, and the whole group must roll back (the job has its answer
/// ready in the error's `Finish`, if it had succeeded).
fn savepoint(
    connection: &Connection,
    job: Job,
) -> Result<Option<Finish>, (WriteFailure, Option<Finish>)> {
    if let Err(err) = connection.execute_batch("SAVEPOINT job") {
        let failure = WriteFailure::from(err);
        (job.run)(Err(failure.clone()));
        return Err((failure, None));
    }
    let run = job.run;
    let finish = catch_unwind(AssertUnwindSafe(|| run(Ok(connection)))).unwrap_or_else(|_| {
        tracing::error!("a write job panicked on the SQLite writer");
        None
    });
    let closed = if finish.is_some() {
        connection.execute_batch("RELEASE job")
    } else {
        connection.execute_batch("ROLLBACK TO job; RELEASE job")
    };
    match closed {
        Ok(()) => Ok(finish),
        Err(err) => Err((WriteFailure::from(err), finish)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insert(n: i64) -> impl FnOnce(&Connection) -> Result<i64, WriteFailure> + Send {
        move |c: &Connection| {
            c.execute("INSERT INTO t (n) VALUES (?1)", [n])?;
            Ok(n)
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_or_panicking_job_leaves_nothing_and_its_group_commits_the_rest() {
        let dir = std::env::temp_dir().join(format!("vt-writer-{}", crate::platform::db::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/w.db?mode=rwc", dir.display());
        let writer = Arc::new(
            SqliteWriter::open(&url)
                .unwrap()
                .expect("a file gets a writer"),
        );
        writer
            .write(|c| Ok(c.execute_batch("CREATE TABLE t (n INTEGER UNIQUE)")?))
            .await
            .unwrap();

        // Hold the turn, as a pool writer would, so the jobs below queue up and the writer
        // takes them together.
        let turns = crate::platform::db::write_turns(&url);
        let turn = turns.clone().acquire_owned().await.unwrap();
        let mut answers = Vec::new();
        for job in 0..5 {
            let writer = writer.clone();
            answers.push(tokio::spawn(async move {
                match job {
                    // The same value twice: the second breaks the unique index.
                    0 | 1 => writer.write(insert(7)).await,
                    2 => {
                        writer
                            .write(|c: &Connection| -> Result<i64, WriteFailure> {
                                c.execute("INSERT INTO t (n) VALUES (99)", [])?;
                                panic!("a bug in one job")
                            })
                            .await
                    }
                    n => writer.write(insert(n)).await,
                }
            }));
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        drop(turn);
        let mut results = Vec::new();
        for answer in answers {
            results.push(answer.await.unwrap());
        }
        assert!(matches!(results[0], Ok(7)), "{results:?}");
        assert!(
            matches!(&results[1], Err(WriteFailure::Unique(message)) if message.contains("t.n")),
            "{results:?}"
        );
        assert!(
            matches!(results[2], Err(WriteFailure::Internal)),
            "{results:?}"
        );
        assert!(matches!(results[3], Ok(3)), "{results:?}");
        assert!(matches!(results[4], Ok(4)), "{results:?}");
        let stored: Vec<i64> = writer
            .write(|c| {
                let mut statement = c.prepare("SELECT n FROM t ORDER BY n")?;
                let rows = statement.query_map([], |row| row.get(0))?;
                Ok(rows.collect::<Result<Vec<i64>, _>>()?)
            })
            .await
            .unwrap();
        assert_eq!(
            stored,
            vec![3, 4, 7],
            "the failed and the panicked jobs left nothing"
        );
        drop(writer);
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A database file as `db::open` leaves it (WAL mode) with a table `t (b BLOB)`, a
    /// connection of the test's own to it, and its writer.
    fn file_in_wal_mode() -> (
        std::path::PathBuf,
        std::path::PathBuf,
        Connection,
        SqliteWriter,
    ) {
        let dir = std::env::temp_dir().join(format!("vt-wal-{}", crate::platform::db::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("w.db");
        let reader = Connection::open(&path).unwrap();
        reader.pragma_update(None, "journal_mode", "WAL").unwrap();
        reader.execute_batch("CREATE TABLE t (b BLOB)").unwrap();
        let writer = SqliteWriter::open(&format!("sqlite://{}", path.display()))
            .unwrap()
            .expect("a file gets a writer");
        (dir, path, reader, writer)
    }

    /// Some 5,000 pages through the writer: more than SQLite's own checkpoint would have let
    /// the WAL hold, more than [`RESTART_AT`].
    async fn fill_wal(writer: &SqliteWriter) {
        for _ in 0..20 {
            writer
                .write(|c| Ok(c.execute("INSERT INTO t (b) VALUES (zeroblob(1000000))", [])?))
                .await
                .unwrap();
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn commits_reach_the_file_without_the_writer_checkpointing_and_the_wal_starts_over() {
        let (dir, path, reader, writer) = file_in_wal_mode();
        let file_size = || std::fs::metadata(&path).unwrap().len();
        let before = file_size();
        fill_wal(&writer).await;
        // The writer never checkpoints (`wal_autocheckpoint = 0`); the checkpointer copies the
        // WAL into the file shortly after.
        let mut waited = 0;
        while file_size() < before + 20_000_000 && waited < 50 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            waited += 1;
        }
        assert!(file_size() >= before + 20_000_000, "{}", file_size());
        // Everything copied, the writer's next transaction starts the WAL over: it holds
        // that one commit's pages, not the 5,000 before it.
        writer
            .write(|c| Ok(c.execute("INSERT INTO t (b) VALUES (x'00')", [])?))
            .await
            .unwrap();
        let pages: i64 = reader
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
            .unwrap();
        assert!(pages < 20, "the WAL was not started over: {pages} pages");
        drop(writer);
        drop(reader);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_long_read_does_not_hold_writes_behind_the_checkpoint_that_waits_for_it() {
        let (dir, _, reader, writer) = file_in_wal_mode();
        // A report that keeps reading the database as it was: the WAL cannot start over
        // while it runs, so every checkpoint pass past `RESTART_AT` takes the write turn
        // and waits for it.
        reader
            .execute_batch("BEGIN; SELECT COUNT(*) FROM t;")
            .unwrap();
        fill_wal(&writer).await;
        // Several passes, each waiting for the reader: writes go on between them, none held
        // for anything like the pool's five-second wait.
        let mut slowest = std::time::Duration::ZERO;
        for _ in 0..12 {
            let started = Instant::now();
            writer
                .write(|c| Ok(c.execute("INSERT INTO t (b) VALUES (x'00')", [])?))
                .await
                .unwrap();
            slowest = slowest.max(started.elapsed());
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(slowest < std::time::Duration::from_secs(2), "{slowest:?}");
        reader.execute_batch("COMMIT").unwrap();
        drop(writer);
        drop(reader);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn only_sqlite_files_get_a_writer() {
        assert!(SqliteWriter::open("postgres://x@127.0.0.1/db")
            .unwrap()
            .is_none());
        assert!(SqliteWriter::open("sqlite::memory:").unwrap().is_none());
    }
}
