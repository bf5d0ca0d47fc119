//! A thread of its own that writes a whole filing to the SQLite file in one hand-off.
//!
//! Why it exists (issue 7: "at least 1,400 creations per second on SQLite"): sqlx runs every
//! SQLite connection on a thread of its own, and every statement is a round trip to it — a
//! message over a channel, a wake-up of that thread, the answer back, a wake-up of the
//! task. A filing holds SQLite's one write lock for four of those trips (`BEGIN IMMEDIATE`,
//! the radicado, the script of its rows, `COMMIT`), and with eight filings queueing for the
//! lock those trips, not SQLite, set the pace: the machine sat a quarter idle while filings
//! waited (BENCHMARKS.md). Here the job — take the number, write the rows, commit — runs on
//! the thread that owns the connection, so the lock is held for the statements alone and
//! a filing costs one hand-off.
//!
//! It is one more connection to the same file, opened after the migrations, with the same
//! settings as the pool's (`db::open`): WAL, `synchronous = NORMAL`, foreign keys on. Its
//! jobs take their turn on the same per-file queue as every other writer of the process
//! ([`db::write_numbered`](super::db::write_numbered)), so it never fights them for the lock;
//! its busy timeout is for other processes (the CLI) holding the file, as the pool's is.
//!
//! Only SQLite files get one: PostgreSQL has no such hand-off, and `:memory:` would be a
//! second, empty database.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

use rusqlite::Connection;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// The thread and the way to it. Dropping the last clone of the state that holds it ends
/// the thread once the jobs already sent are done.
pub struct SqliteWriter {
    jobs: mpsc::Sender<Job>,
}

/// Why the writer could not start; the server then writes through the pool, as before.
#[derive(Debug, thiserror::Error)]
pub enum OpenWriterError {
    #[error("no se pudo abrir el archivo de SQLite para escribir: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("no se pudo iniciar el hilo de escritura de SQLite: {0}")]
    Thread(#[from] std::io::Error),
}

/// The writer's thread stopped (it cannot open the file, or the process is going down).
#[derive(Debug)]
pub struct WriterGone;

impl SqliteWriter {
    /// Opens the writer's connection to the file of a `sqlite:` URL; `None` for any other
    /// database and for an in-memory one.
    pub fn open(url: &str) -> Result<Option<Self>, OpenWriterError> {
        let Some(path) = super::db::sqlite_path(url).filter(|path| *path != ":memory:") else {
            return Ok(None);
        };
        let connection = Connection::open(path)?;
        // The pool's settings (`db::open`); WAL is the file's own, set there once.
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(super::db::WRITE_WAIT)?;
        connection.set_prepared_statement_cache_capacity(64);
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut connection = connection;
                for job in queue {
                    // A job that panics loses its own answer (its caller sees `WriterGone`
                    // and answers 500); its transaction rolls back as it unwinds, and the
                    // thread goes on with the next one.
                    if catch_unwind(AssertUnwindSafe(|| job(&mut connection))).is_err() {
                        tracing::error!("a write job panicked on the SQLite writer");
                    }
                }
            })?;
        Ok(Some(Self { jobs }))
    }

    /// Runs `job` on the writer's connection and waits for its result without blocking the
    /// runtime. The caller holds the process's write turn (see the module comment).
    pub async fn run<T, F>(&self, job: F) -> Result<T, WriterGone>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> T + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move |connection: &mut Connection| {
                let _ = answer.send(job(connection));
            }))
            .map_err(|_| WriterGone)?;
        answered.await.map_err(|_| WriterGone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_in_order_and_a_panic_does_not_stop_the_thread() {
        let dir = std::env::temp_dir().join(format!("vt-writer-{}", super::super::db::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/w.db?mode=rwc", dir.display());
        let writer = SqliteWriter::open(&url)
            .unwrap()
            .expect("a file URL gets a writer");
        writer
            .run(|c| c.execute_batch("CREATE TABLE t (n INTEGER)").unwrap())
            .await
            .unwrap();
        let panicked = writer
            .run(|_: &mut Connection| -> () { panic!("a bug in one job") })
            .await;
        assert!(panicked.is_err(), "the panicking job has no answer");
        for n in 1..=3 {
            writer
                .run(move |c| c.execute("INSERT INTO t VALUES (?1)", [n]).unwrap())
                .await
                .unwrap();
        }
        let sum: i64 = writer
            .run(|c| {
                c.query_row("SELECT SUM(n) FROM t", [], |row| row.get(0))
                    .unwrap()
            })
            .await
            .unwrap();
        assert_eq!(sum, 6);
        drop(writer);
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
