//! Writers queuing for the database (REST API requirement): SQLite has one writer per file, and a filing
//! that could not get it in time once came back as a 500 "database is locked". Here another
//! connection really holds the write lock while many filings arrive at once — through the
//! API and the portal — and nothing may answer 500 or leave half a filing behind: a lock held
//! briefly is waited for, one held past the timeout is a 503 with `Retry-After` and nothing
//! written, and the same call retried afterwards files. On SQLite and PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;
use serde_json::{json, Value};
use sqlx::{AnyConnection, Connection, Row};

use crate::api::{assert_problem, customer, filing, key, parsed, post_json, ALL};
use crate::support::{pairs, registration, App, Reply, TestDb};

/// Another connection (as the CLI or a second process would be) holding the write lock:
/// SQLite's `BEGIN IMMEDIATE`, or on PostgreSQL a lock on the radicado counter every filing
/// must update.
async fn hold_write_lock(db: &TestDb) -> AnyConnection {
    let mut holder = AnyConnection::connect(&db.url).await.unwrap();
    if db.url.starts_with("sqlite:") {
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut holder)
            .await
            .unwrap();
    } else {
        sqlx::query("BEGIN").execute(&mut holder).await.unwrap();
        sqlx::query("LOCK TABLE radicado_sequences IN EXCLUSIVE MODE")
            .execute(&mut holder)
            .await
            .unwrap();
    }
    holder
}

async fn release(mut holder: AnyConnection) {
    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    holder.close().await.unwrap();
}

/// Filing `n`: every other one for a customer without an account yet, so creating accounts
/// queues for the writer too.
fn body(n: usize) -> Value {
    if n.is_multiple_of(2) {
        filing(&format!("Cobro doble número {n}"))
    } else {
        json!({
            "customer": {
                "document_type": "CC",
                "document_number": format!("{}", 70_000_000 + n),
                "new_account": {
                    "full_name": format!("Cliente en cola {n}"),
                    "email": format!("cola{n}@correo.co"),
                    "consent": true,
                },
            },
            "request_type": "consulta",
            "subject": format!("Consulta en cola {n}"),
            "description": "Quiero saber el estado de mi servicio de internet.",
            "channel": "web",
        })
    }
}

/// Files `bodies` all at once and returns each answer with its body.
async fn file_at_once(app: &Arc<App>, key: &str, bodies: Vec<Value>) -> Vec<(Value, Reply)> {
    let mut calls = Vec::new();
    for body in bodies {
        let (app, key) = (app.clone(), key.to_string());
        calls.push(tokio::spawn(async move {
            let reply = post_json(&app, "/api/v1/requests", &key, &body, &[]).await;
            (body, reply)
        }));
    }
    let mut answers = Vec::new();
    for call in calls {
        answers.push(call.await.unwrap());
    }
    answers
}

/// A 503 that tells the client to come back, never a 500.
fn assert_busy(reply: &Reply) {
    let problem = assert_problem(reply, StatusCode::SERVICE_UNAVAILABLE, "ocupado");
    assert_eq!(reply.headers["retry-after"], "2");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("no se guardó nada"));
}

/// Every filing is whole: its request, its description message, its audit event and its
/// e-mail in the outbox — as many of each as there are requests — and every account has
/// its holder.
async fn assert_whole(db: &TestDb, filed: i64) {
    assert_eq!(db.count("requests").await, filed);
    let one = |sql: &'static str| async move {
        sqlx::query(sql)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get::<i64, _>("n")
    };
    assert_eq!(
        one("SELECT COUNT(*) AS n FROM request_messages WHERE kind = 'descripcion'").await,
        filed
    );
    assert_eq!(
        one("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'solicitud_radicada'").await,
        filed
    );
    assert_eq!(
        one("SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'solicitud_radicada'")
            .await,
        filed
    );
    assert_eq!(
        one("SELECT COUNT(*) AS n FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.account_id = a.id)")
            .await,
        0
    );
    assert_eq!(
        one("SELECT COUNT(DISTINCT radicado) AS n FROM requests").await,
        filed
    );
}

/// A lock held for a moment: every filing waits its turn and files.
async fn filings_wait_for_a_briefly_held_lock(db: TestDb) {
    let app = Arc::new(App::new(&db));
    customer(&app).await;
    let key = key(&db, ALL, 100_000).await;

    let holder = hold_write_lock(&db).await;
    let bodies: Vec<Value> = (0..8).map(body).collect();
    let calls = tokio::spawn({
        let (app, key) = (app.clone(), key.clone());
        async move { file_at_once(&app, &key, bodies).await }
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    release(holder).await;
    for (body, reply) in calls.await.unwrap() {
        assert_eq!(reply.status, StatusCode::CREATED, "{body}: {}", reply.body);
    }
    assert_whole(&db, 8).await;
}

/// SQLite only (PostgreSQL has no busy timeout: its writers wait on row locks, as above): a
/// lock held past the busy timeout (5 s). The portal filing and the API filings caught
/// behind it answer 503 with `Retry-After` and write nothing; after the lock goes, the same
/// calls file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_held_past_the_timeout_is_a_503_and_nothing_written() {
    let db = TestDb::sqlite().await;
    let app = Arc::new(App::new(&db));
    let cookie = app
        .call(
            "registro",
            &pairs(&registration("1020304050", "ana@correo.co")),
            None,
        )
        .await
        .session_cookie()
        .expect("Ana registered and signed in");
    let key = key(&db, ALL, 100_000).await;

    let holder = hold_write_lock(&db).await;
    // The portal form, alone: it gets the writer's turn and waits out the busy timeout.
    let form = [
        ("request_type", "reclamo"),
        ("subject", "Cobro doble en la factura"),
        (
            "description",
            "Me cobraron dos veces el envío del 3 de noviembre.",
        ),
        ("priority", "media"),
        ("links", ""),
        ("category_id", ""),
        ("related", ""),
        ("submission_token", "token-de-la-cola-0001"),
    ];
    let reply = app
        .multipart("/portal/solicitudes", &form, &[], &cookie)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    assert_eq!(reply.headers["retry-after"], "2");
    assert!(parsed(&reply)["error"]
        .as_str()
        .unwrap()
        .starts_with("Estamos atendiendo muchas solicitudes"));

    // Many API filings at once, while the lock stays held for longer than the timeout.
    let bodies: Vec<Value> = (0..12).map(body).collect();
    let answers = file_at_once(&app, &key, bodies).await;
    release(holder).await;
    let mut retries = Vec::new();
    for (body, reply) in &answers {
        match reply.status {
            StatusCode::CREATED => {}
            _ => {
                assert_busy(reply);
                retries.push(body.clone());
            }
        }
    }
    assert!(!retries.is_empty(), "the lock outlasted the timeout");
    assert_whole(&db, (answers.len() - retries.len()) as i64).await;

    // The same calls again: now they file, and the portal form too.
    for (body, reply) in file_at_once(&app, &key, retries).await {
        assert_eq!(reply.status, StatusCode::CREATED, "{body}: {}", reply.body);
    }
    let reply = app
        .multipart("/portal/solicitudes", &form, &[], &cookie)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_whole(&db, 13).await;
}

on_both_databases!(filings_wait_for_a_briefly_held_lock);
