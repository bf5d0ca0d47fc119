//! Notification delivery (seed 000 §6) against real components: an SMTP server speaking the
//! protocol on loopback, a local HTTP server standing in for the WhatsApp Cloud API, files
//! on disk, and both databases. The worker's clock is injected, so backoff is tested
//! without waiting.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::extract::{Path as UrlPath, State};
use axum::http::HeaderMap;
use axum::Json;
use http::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use ventanilla::role::Role;
use ventanilla_app::notify::server::worker::{deliver_due_once, run_delivery};
use ventanilla_app::notify::server::{backlog, Notifier};
use ventanilla_app::platform::audit::Actor;
use ventanilla_app::platform::config::notifications::{
    NotificationConfig, SmtpConfig, SmtpSecurity, WhatsAppCloud, WhatsAppConfig,
};
use ventanilla_app::{
    accounts::server::accounts,
    platform::{db, outbox},
};

use crate::support::{App, TempDir, TestDb};

on_both_databases!(
    smtp_delivers_a_real_conversation_once,
    whatsapp_goes_to_the_cloud_api_as_a_template,
    whatsapp_failure_does_not_hold_back_email,
    failing_smtp_is_retried_with_backoff_then_marked_failed,
    an_interrupted_delivery_is_sent_once_after_its_lease_runs_out,
    two_workers_racing_send_each_notification_once,
    file_transport_writes_readable_files_once,
    the_worker_stops_after_finishing_what_it_holds,
    admins_see_failed_notifications_and_retry_them,
);

const FROM: &str = "Ventanilla <avisos@ventanilla.test>";

pub(crate) fn settings(dir: &Path) -> NotificationConfig {
    NotificationConfig {
        smtp: None,
        from: FROM.to_string(),
        whatsapp: WhatsAppConfig {
            template: "seguimiento_pqrs".to_string(),
            language: "es".to_string(),
            cloud: None,
        },
        outbox_dir: dir.to_path_buf(),
        max_attempts: 8,
        first_retry_seconds: 60,
        lease_seconds: 300,
    }
}

pub(crate) fn with_smtp(dir: &Path, smtp: &SmtpServer) -> NotificationConfig {
    NotificationConfig {
        smtp: Some(SmtpConfig {
            host: "127.0.0.1".to_string(),
            port: smtp.addr.port(),
            credentials: None,
            security: SmtpSecurity::Plain,
        }),
        ..settings(dir)
    }
}

/// Writes an outbox row the way services do, in a transaction, and returns its id.
async fn enqueue(
    db: &TestDb,
    channel: &str,
    recipient: &str,
    template: &str,
    payload: Value,
) -> String {
    let mut tx = ventanilla_app::platform::db::begin(&db.pool).await.unwrap();
    outbox::enqueue(&mut tx, channel, recipient, template, payload)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sqlx::query(
        "SELECT id FROM notification_outbox WHERE channel = $1 AND recipient = $2 AND template = $3",
    )
    .bind(channel)
    .bind(recipient)
    .bind(template)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("id")
}

fn radicada(radicado: &str) -> Value {
    json!({
        "radicado": radicado,
        "subject": "Cobro doble de la factura de marzo",
        "first_response_due": "2026-03-03 11:00",
        "legal_due_date": "2026-03-24",
    })
}

struct Outbox {
    status: String,
    attempts: i64,
    next_attempt_at: i64,
    last_error: Option<String>,
    failed_at: Option<i64>,
    sent_at: Option<i64>,
}

async fn outbox_row(db: &TestDb, id: &str) -> Outbox {
    let row = sqlx::query(
        "SELECT status, attempts, next_attempt_at, last_error, failed_at, sent_at \
         FROM notification_outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    Outbox {
        status: row.get("status"),
        attempts: row.get("attempts"),
        next_attempt_at: row.get("next_attempt_at"),
        last_error: row.get("last_error"),
        failed_at: row.get("failed_at"),
        sent_at: row.get("sent_at"),
    }
}

async fn audit_actions(db: &TestDb, id: &str) -> Vec<String> {
    sqlx::query(
        "SELECT action FROM audit_events WHERE entity = 'notification' AND entity_id = $1 \
         ORDER BY occurred_at, action",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .iter()
    .map(|row| row.get("action"))
    .collect()
}

/// One message as the SMTP server received it.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    pub rcpt: Vec<String>,
    pub data: String,
    pub accepted: bool,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}: ", name.to_ascii_lowercase());
        self.data
            .split("\r\n\r\n")
            .next()?
            .split("\r\n")
            .find(|line| line.to_ascii_lowercase().starts_with(&prefix))
            .map(|line| line[prefix.len()..].to_string())
    }

    /// The body with quoted-printable undone (RFC 2045 §6.7).
    pub fn text(&self) -> String {
        let body = self
            .data
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or("");
        let joined = body.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).replace("\r\n", "\n")
    }
}

/// A minimal SMTP server (RFC 5321): greets, takes one envelope and message at a time,
/// and answers the end of DATA with `reply` ("250 …" accepts, "451 …" refuses).
pub(crate) struct SmtpServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    reply: Arc<Mutex<String>>,
}

impl SmtpServer {
    pub async fn start(reply: &str) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let reply = Arc::new(Mutex::new(reply.to_string()));
        let (log, answer) = (received.clone(), reply.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(converse(socket, log.clone(), answer.clone()));
            }
        });
        SmtpServer {
            addr,
            received,
            reply,
        }
    }

    fn set_reply(&self, reply: &str) {
        *self.reply.lock().unwrap() = reply.to_string();
    }

    pub fn accepted(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.accepted)
            .cloned()
            .collect()
    }

    fn offered(&self) -> usize {
        self.received.lock().unwrap().len()
    }
}

async fn converse(
    socket: tokio::net::TcpStream,
    log: Arc<Mutex<Vec<Received>>>,
    answer: Arc<Mutex<String>>,
) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 prueba ESMTP\r\n").await.unwrap();
    let mut rcpt = Vec::new();
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_string();
        let verb = command.to_ascii_uppercase();
        let response = if verb.starts_with("EHLO") {
            "250-prueba\r\n250 HELP".to_string()
        } else if verb.starts_with("MAIL FROM") {
            rcpt.clear();
            "250 2.1.0 OK".to_string()
        } else if verb.starts_with("RCPT TO:") {
            rcpt.push(command["RCPT TO:".len()..].trim().to_string());
            "250 2.1.5 OK".to_string()
        } else if verb == "DATA" {
            write
                .write_all(b"354 Termine con <CRLF>.<CRLF>\r\n")
                .await
                .unwrap();
            let mut data = String::new();
            loop {
                let mut line = String::new();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            let reply = answer.lock().unwrap().clone();
            log.lock().unwrap().push(Received {
                rcpt: rcpt.clone(),
                data,
                accepted: reply.starts_with('2'),
            });
            reply
        } else if verb == "QUIT" {
            let _ = write.write_all(b"221 2.0.0 Adios\r\n").await;
            return;
        } else {
            "250 OK".to_string()
        };
        if write
            .write_all(format!("{response}\r\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}

/// One call the fake WhatsApp Cloud API received.
#[derive(Clone, Debug)]
struct ApiCall {
    path: String,
    authorization: String,
    body: Value,
}

#[derive(Clone)]
struct FakeApi {
    calls: Arc<Mutex<Vec<ApiCall>>>,
    status: StatusCode,
}

async fn fake_whatsapp(status: StatusCode) -> (String, Arc<Mutex<Vec<ApiCall>>>) {
    async fn messages(
        State(api): State<FakeApi>,
        UrlPath(phone_id): UrlPath<String>,
        headers: HeaderMap,
        Json(body): Json<Value>,
    ) -> (StatusCode, Json<Value>) {
        api.calls.lock().unwrap().push(ApiCall {
            path: format!("/v21.0/{phone_id}/messages"),
            authorization: headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string(),
            body,
        });
        let reply = if api.status.is_success() {
            json!({ "messages": [{ "id": "wamid.prueba" }] })
        } else {
            json!({ "error": { "message": "servicio no disponible" } })
        };
        (api.status, Json(reply))
    }
    let calls = Arc::new(Mutex::new(Vec::new()));
    let router = axum::Router::new()
        .route("/v21.0/{phone_id}/messages", axum::routing::post(messages))
        .with_state(FakeApi {
            calls: calls.clone(),
            status,
        });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}/v21.0"), calls)
}

fn with_whatsapp(config: NotificationConfig, base_url: &str) -> NotificationConfig {
    NotificationConfig {
        whatsapp: WhatsAppConfig {
            cloud: Some(WhatsAppCloud {
                base_url: base_url.to_string(),
                token: ventanilla_app::platform::config::notifications::Secret(
                    "token-de-prueba".to_string(),
                ),
                phone_number_id: "1098765432".to_string(),
            }),
            ..config.whatsapp.clone()
        },
        ..config
    }
}

async fn smtp_delivers_a_real_conversation_once(db: TestDb) {
    let dir = TempDir::new();
    let smtp = SmtpServer::start("250 2.0.0 Aceptado").await;
    let notifier = Notifier::new(&with_smtp(&dir.0, &smtp)).unwrap();
    let id = enqueue(
        &db,
        "email",
        "ana@correo.co",
        "solicitud_radicada",
        radicada("2026-000042"),
    )
    .await;
    let now = db::now();

    assert_eq!(
        deliver_due_once(&db.pool, &notifier, || now).await.unwrap(),
        1
    );
    let received = smtp.accepted();
    assert_eq!(received.len(), 1);
    let message = &received[0];
    assert_eq!(message.rcpt, vec!["<ana@correo.co>".to_string()]);
    assert_eq!(
        message.header("Subject").unwrap(),
        "Radicado 2026-000042: recibimos su solicitud"
    );
    assert_eq!(
        message.header("Message-ID").unwrap(),
        format!("<{id}@ventanilla.test>")
    );
    assert_eq!(message.header("To").unwrap(), "ana@correo.co");
    assert!(message
        .header("Content-Type")
        .unwrap()
        .starts_with("text/plain"));
    // Lines are wrapped for mail; the phrases are compared with spaces for line breaks.
    let text = message
        .text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Recibimos su solicitud «Cobro doble de la factura de marzo»"),
        "{text}"
    );
    assert!(
        text.contains("quedó radicada con el número 2026-000042"),
        "{text}"
    );
    assert!(
        text.contains("Primera respuesta a más tardar: 2026-03-03 11:00."),
        "{text}"
    );
    assert!(
        text.contains("(Ley 1755 de 2015, art. 14): 2026-03-24."),
        "{text}"
    );

    let row = outbox_row(&db, &id).await;
    assert_eq!(row.status, "enviada");
    assert_eq!(row.attempts, 1);
    assert!(row.sent_at.is_some());
    assert_eq!(audit_actions(&db, &id).await, vec!["notificacion_enviada"]);

    // Delivered rows are done: later passes send nothing.
    assert_eq!(
        deliver_due_once(&db.pool, &notifier, || now + 3600)
            .await
            .unwrap(),
        0
    );
    assert_eq!(smtp.offered(), 1);
}

async fn whatsapp_goes_to_the_cloud_api_as_a_template(db: TestDb) {
    let dir = TempDir::new();
    let (base_url, calls) = fake_whatsapp(StatusCode::OK).await;
    let notifier = Notifier::new(&with_whatsapp(settings(&dir.0), &base_url)).unwrap();
    let id = enqueue(
        &db,
        "whatsapp",
        "310 555 1234",
        "seguimiento_publico",
        json!({ "radicado": "2026-000043", "subject": "Envío demorado", "author": "Andrés Asesor", "excerpt": "El envío sale hoy." }),
    )
    .await;
    let now = db::now();

    assert_eq!(
        deliver_due_once(&db.pool, &notifier, || now).await.unwrap(),
        1
    );
    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(call.path, "/v21.0/1098765432/messages");
    assert_eq!(call.authorization, "Bearer token-de-prueba");
    assert_eq!(call.body["messaging_product"], "whatsapp");
    assert_eq!(call.body["to"], "573105551234");
    assert_eq!(call.body["type"], "template");
    assert_eq!(call.body["template"]["name"], "seguimiento_pqrs");
    assert_eq!(call.body["template"]["language"]["code"], "es");
    let parameters = &call.body["template"]["components"][0]["parameters"];
    assert_eq!(parameters[0]["text"], "2026-000043");
    assert_eq!(parameters[1]["text"], "tiene un nuevo seguimiento");
    assert_eq!(call.body["biz_opaque_callback_data"], id.as_str());
    assert_eq!(outbox_row(&db, &id).await.status, "enviada");
    // Nothing was written to files: the Cloud API is configured.
    assert_eq!(std::fs::read_dir(&dir.0).unwrap().count(), 0);
}

async fn whatsapp_failure_does_not_hold_back_email(db: TestDb) {
    let dir = TempDir::new();
    let smtp = SmtpServer::start("250 2.0.0 Aceptado").await;
    let (base_url, calls) = fake_whatsapp(StatusCode::SERVICE_UNAVAILABLE).await;
    let notifier = Notifier::new(&with_whatsapp(with_smtp(&dir.0, &smtp), &base_url)).unwrap();
    let payload = json!({ "radicado": "2026-000044", "subject": "Recolección", "author": "Andrés Asesor", "excerpt": "Pasamos mañana." });
    let whatsapp = enqueue(
        &db,
        "whatsapp",
        "3105551234",
        "seguimiento_publico",
        payload.clone(),
    )
    .await;
    let email = enqueue(
        &db,
        "email",
        "ana@correo.co",
        "seguimiento_publico",
        payload,
    )
    .await;
    let now = db::now();

    assert_eq!(
        deliver_due_once(&db.pool, &notifier, || now).await.unwrap(),
        1
    );
    assert_eq!(calls.lock().unwrap().len(), 1);
    assert_eq!(smtp.accepted().len(), 1);
    assert_eq!(outbox_row(&db, &email).await.status, "enviada");
    let row = outbox_row(&db, &whatsapp).await;
    assert_eq!(row.status, "pendiente");
    assert_eq!(row.next_attempt_at, now + 60);
    assert!(row.last_error.unwrap().contains("503"));
}

async fn failing_smtp_is_retried_with_backoff_then_marked_failed(db: TestDb) {
    let dir = TempDir::new();
    let smtp = SmtpServer::start("451 4.3.0 Buzon ocupado, intente luego").await;
    let config = NotificationConfig {
        max_attempts: 3,
        ..with_smtp(&dir.0, &smtp)
    };
    let notifier = Notifier::new(&config).unwrap();
    let id = enqueue(
        &db,
        "email",
        "ana@correo.co",
        "bienvenida",
        json!({ "name": "Ana María Rojas" }),
    )
    .await;
    let t0 = db::now();

    assert_eq!(
        deliver_due_once(&db.pool, &notifier, || t0).await.unwrap(),
        0
    );
    let row = outbox_row(&db, &id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("pendiente", 1));
    assert_eq!(row.next_attempt_at, t0 + 60);
    assert!(row.last_error.unwrap().contains("451"));

    // Not due yet: no attempt before the wait is over.
    deliver_due_once(&db.pool, &notifier, || t0 + 59)
        .await
        .unwrap();
    assert_eq!(smtp.offered(), 1);

    // The second wait is twice the first.
    deliver_due_once(&db.pool, &notifier, || t0 + 60)
        .await
        .unwrap();
    let row = outbox_row(&db, &id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("pendiente", 2));
    assert_eq!(row.next_attempt_at, t0 + 60 + 120);

    // The last allowed attempt fails: given up, with the error kept for the admins.
    deliver_due_once(&db.pool, &notifier, || t0 + 180)
        .await
        .unwrap();
    let row = outbox_row(&db, &id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("fallida", 3));
    assert_eq!(row.failed_at, Some(t0 + 180));
    assert!(row.last_error.unwrap().contains("Buzon ocupado"));
    assert_eq!(audit_actions(&db, &id).await, vec!["notificacion_fallida"]);
    deliver_due_once(&db.pool, &notifier, || t0 + 86_400)
        .await
        .unwrap();
    assert_eq!(smtp.offered(), 3);
    assert!(smtp.accepted().is_empty());

    // An admin retries once the relay works again: a fresh set of attempts, delivered.
    smtp.set_reply("250 2.0.0 Aceptado");
    backlog::retry(&db.pool, &Actor::system("prueba"), &id)
        .await
        .unwrap();
    assert_eq!(
        deliver_due_once(&db.pool, &notifier, db::now)
            .await
            .unwrap(),
        1
    );
    let row = outbox_row(&db, &id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("enviada", 1));
    assert_eq!(smtp.accepted().len(), 1);
    let mut actions = audit_actions(&db, &id).await;
    actions.sort();
    assert_eq!(
        actions,
        vec![
            "notificacion_enviada",
            "notificacion_fallida",
            "notificacion_reintentada"
        ]
    );
}

async fn an_interrupted_delivery_is_sent_once_after_its_lease_runs_out(db: TestDb) {
    let dir = TempDir::new();
    let smtp = SmtpServer::start("250 2.0.0 Aceptado").await;
    let notifier = Notifier::new(&with_smtp(&dir.0, &smtp)).unwrap();
    let id = enqueue(
        &db,
        "email",
        "ana@correo.co",
        "solicitud_radicada",
        radicada("2026-000045"),
    )
    .await;
    let t0 = db::now();
    // A worker claimed the row and died before recording anything.
    sqlx::query(
        "UPDATE notification_outbox SET status = 'enviando', claim_token = 'muerto', \
         claimed_until = $1, attempts = 1 WHERE id = $2",
    )
    .bind(t0 + 300)
    .bind(&id)
    .execute(&db.pool)
    .await
    .unwrap();

    // While the lease lasts, nobody else touches it.
    assert_eq!(
        deliver_due_once(&db.pool, &notifier, || t0 + 299)
            .await
            .unwrap(),
        0
    );
    assert_eq!(smtp.offered(), 0);
    // Then it is delivered, once.
    assert_eq!(
        deliver_due_once(&db.pool, &notifier, || t0 + 300)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        deliver_due_once(&db.pool, &notifier, || t0 + 900)
            .await
            .unwrap(),
        0
    );
    assert_eq!(smtp.accepted().len(), 1);
    let row = outbox_row(&db, &id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("enviada", 2));
    // The dead worker's claim can no longer record an outcome.
    let late = sqlx::query(
        "UPDATE notification_outbox SET status = 'pendiente' WHERE id = $1 AND claim_token = 'muerto'",
    )
    .bind(&id)
    .execute(&db.pool)
    .await
    .unwrap();
    assert_eq!(late.rows_affected(), 0);
}

async fn two_workers_racing_send_each_notification_once(db: TestDb) {
    let dir = TempDir::new();
    let smtp = SmtpServer::start("250 2.0.0 Aceptado").await;
    let config = with_smtp(&dir.0, &smtp);
    let (first, second) = (
        Notifier::new(&config).unwrap(),
        Notifier::new(&config).unwrap(),
    );
    let mut ids = Vec::new();
    for n in 0..12 {
        ids.push(
            enqueue(
                &db,
                "email",
                &format!("cliente{n}@correo.co"),
                "bienvenida",
                json!({ "name": format!("Cliente {n}") }),
            )
            .await,
        );
    }
    let now = db::now();
    let (a, b) = tokio::join!(
        deliver_due_once(&db.pool, &first, || now),
        deliver_due_once(&db.pool, &second, || now),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 12);
    let received = smtp.accepted();
    assert_eq!(received.len(), 12);
    let mut message_ids: Vec<String> = received
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    message_ids.sort();
    message_ids.dedup();
    assert_eq!(message_ids.len(), 12);
    for id in &ids {
        let row = outbox_row(&db, id).await;
        assert_eq!((row.status.as_str(), row.attempts), ("enviada", 1));
    }
}

async fn file_transport_writes_readable_files_once(db: TestDb) {
    let dir = TempDir::new();
    let notifier = Notifier::new(&settings(&dir.0)).unwrap();
    let email = enqueue(
        &db,
        "email",
        "ana@correo.co",
        "bienvenida",
        json!({ "name": "Ana María <Rojas>" }),
    )
    .await;
    let whatsapp = enqueue(
        &db,
        "whatsapp",
        "+57 310 555 1234",
        "informacion_solicitada",
        json!({ "radicado": "2026-000046", "subject": "Factura", "excerpt": "Adjunte la copia." }),
    )
    .await;
    let now = db::now();
    assert_eq!(
        deliver_due_once(&db.pool, &notifier, || now).await.unwrap(),
        2
    );

    let eml = std::fs::read_to_string(dir.0.join(format!("{email}.eml"))).unwrap();
    assert!(
        eml.contains("Subject: Bienvenida a Ventanilla\r\n"),
        "{eml}"
    );
    assert!(
        eml.contains(&format!("Message-ID: <{email}@ventanilla.test>")),
        "{eml}"
    );
    assert!(eml.contains("Content-Transfer-Encoding: 8bit"), "{eml}");
    // Readable as it is, and the payload is text, never markup.
    assert!(eml.contains("Hola, Ana María <Rojas>:"), "{eml}");
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.0.join(format!("{whatsapp}.whatsapp.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(json["to"], "573105551234");
    assert_eq!(
        json["template"]["components"][0]["parameters"][1]["text"],
        "requiere información adicional"
    );

    // Delivering again after a crash rewrites the same file: still one file per notification.
    sqlx::query("UPDATE notification_outbox SET status = 'pendiente'")
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        deliver_due_once(&db.pool, &notifier, || now).await.unwrap(),
        2
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    let mut expected = vec![format!("{email}.eml"), format!("{whatsapp}.whatsapp.json")];
    expected.sort();
    assert_eq!(names, expected);
}

async fn the_worker_stops_after_finishing_what_it_holds(db: TestDb) {
    let dir = TempDir::new();
    let id = enqueue(
        &db,
        "email",
        "ana@correo.co",
        "bienvenida",
        json!({ "name": "Ana" }),
    )
    .await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(run_delivery(
        db.pool.clone(),
        settings(&dir.0),
        ventanilla_app::platform::config::Config::from_env().organization,
        stopped,
    ));
    let file = dir.0.join(format!("{id}.eml"));
    for _ in 0..100 {
        if outbox_row(&db, &id).await.status == "enviada" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(file.exists());
    stop.send(true).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), worker)
        .await
        .expect("the worker stops when asked")
        .unwrap();
}

async fn admins_see_failed_notifications_and_retry_them(db: TestDb) {
    let app = App::new(&db);
    let failed = enqueue(
        &db,
        "email",
        "ana@correo.co",
        "solicitud_radicada",
        radicada("2026-000047"),
    )
    .await;
    sqlx::query(
        "UPDATE notification_outbox SET status = 'fallida', attempts = 8, failed_at = $1, \
         last_error = 'el servidor SMTP no aceptó el correo: 554 rechazado' WHERE id = $2",
    )
    .bind(db::now())
    .bind(&failed)
    .execute(&db.pool)
    .await
    .unwrap();
    let mut cookies = Vec::new();
    for (role, email) in [
        (Role::Admin, "admin@equipo.co"),
        (Role::Supervisor, "supervisora@equipo.co"),
        (Role::Asesor, "asesor@equipo.co"),
    ] {
        accounts::create_staff(
            &db.pool,
            &Actor::system("prueba"),
            role,
            "Persona Equipo",
            email,
            "clave-equipo-1",
        )
        .await
        .unwrap();
        let reply = app
            .call(
                "ingresar",
                &[("login", email), ("password", "clave-equipo-1")],
                None,
            )
            .await;
        cookies.push(reply.session_cookie().unwrap());
    }
    let (admin, supervisor, agent) = (&cookies[0], &cookies[1], &cookies[2]);

    let refused = app.call("equipo/notificaciones", &[], Some(agent)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let listed = app
        .call("equipo/notificaciones", &[], Some(supervisor))
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let listed: Value = serde_json::from_str(&listed.body).unwrap();
    assert_eq!(listed["can_retry"], false);
    assert_eq!(listed["items"][0]["id"], failed.as_str());
    assert_eq!(listed["items"][0]["status"], "Fallida");
    assert_eq!(listed["items"][0]["radicado"], "2026-000047");
    assert!(listed["items"][0]["last_error"]
        .as_str()
        .unwrap()
        .contains("554"));

    // Supervisors watch; only admins send again.
    let refused = app
        .call(
            "equipo/notificaciones/reintentar",
            &[("id", &failed)],
            Some(supervisor),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(outbox_row(&db, &failed).await.status, "fallida");
    let retried = app
        .call(
            "equipo/notificaciones/reintentar",
            &[("id", &failed)],
            Some(admin),
        )
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{}", retried.body);
    let row = outbox_row(&db, &failed).await;
    assert_eq!(
        (row.status.as_str(), row.attempts, row.failed_at),
        ("pendiente", 0, None)
    );
    assert_eq!(
        audit_actions(&db, &failed).await,
        vec!["notificacion_reintentada"]
    );
    let actor: String = sqlx::query("SELECT actor_user_id FROM audit_events WHERE entity_id = $1")
        .bind(&failed)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("actor_user_id");
    assert!(!actor.is_empty());

    // A notification already sent cannot be sent again from here.
    sqlx::query("UPDATE notification_outbox SET status = 'enviada' WHERE id = $1")
        .bind(&failed)
        .execute(&db.pool)
        .await
        .unwrap();
    let conflict = app
        .call(
            "equipo/notificaciones/reintentar",
            &[("id", &failed)],
            Some(admin),
        )
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
}
