//! The embedded SQLite is configured as promised: WAL, foreign keys, migrations applied.

use crate::support::TestDb;
use sqlx::Row;

#[tokio::test]
async fn sqlite_uses_wal_and_enforces_foreign_keys() {
    let db = TestDb::sqlite().await;
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode.to_lowercase(), "wal");
    let orphan = sqlx::query(
        "INSERT INTO users (id, account_id, role, email, full_name, password_hash, created_at, updated_at) \
         VALUES ('u1', 'no-such-account', 'cliente', 'x@y.co', 'X', 'h', 0, 0)",
    )
    .execute(&db.pool)
    .await;
    assert!(
        orphan.is_err(),
        "a user pointing at a missing account is refused"
    );
}

#[tokio::test]
async fn a_broken_database_url_is_a_clear_error() {
    let err = ventanilla_app::startup::open_database("postgres://nadie@127.0.0.1:1/nada")
        .await
        .expect_err("nothing listens on port 1");
    assert!(err.to_string().contains("no se pudo conectar"), "{err}");
}

#[tokio::test]
async fn a_failing_migration_stops_with_the_reason() {
    let db = TestDb::sqlite().await;
    // Break the recorded history: the migrator refuses a changed, already-applied migration.
    sqlx::query("UPDATE _sqlx_migrations SET checksum = X'00'")
        .execute(&db.pool)
        .await
        .unwrap();
    let err = ventanilla_app::startup::open_database(&db.url)
        .await
        .expect_err("a modified migration must stop the start-up");
    assert!(err.to_string().starts_with("falló una migración"), "{err}");
}
