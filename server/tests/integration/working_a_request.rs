//! Working a request (agent-workspace requirement): attachments on staff messages, typification, and the
//! prórroga of the legal term (Ley 1755 de 2015 art. 14 parágrafo), with their permissions
//! and their effect on the clocks.

use chrono::{NaiveDate, TimeZone, Utc};
use http::StatusCode;
use sqlx::Row;
use ventanilla::calendar::bogota;
use ventanilla::legal::legal_due_instant;
use ventanilla::role::Role;
use ventanilla_app::accounts::model::SessionUser;
use ventanilla_app::dev::demo::{seed_if_empty, DEMO_PASSWORD};

use crate::support::{App, TestDb};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const OTHER_PDF: &[u8] = b"%PDF-1.7\n% nota interna\ntrailer << >>\n%%EOF\n";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";

/// The demo request of the customer with this e-mail.
async fn radicado_of(db: &TestDb, email: &str) -> String {
    sqlx::query(
        "SELECT r.radicado FROM requests r JOIN users u ON u.account_id = r.account_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("radicado")
}

async fn scalar(db: &TestDb, sql: &str, radicado: &str) -> Option<String> {
    sqlx::query(sql)
        .bind(radicado)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0)
}

async fn staff_act(
    app: &App,
    radicado: &str,
    cookie: &str,
    action: &str,
    message: &str,
    files: &[(&str, Vec<u8>)],
) -> crate::support::Reply {
    app.multipart(
        &format!("/equipo/solicitudes/{radicado}/actuar"),
        &[("action", action), ("message", message)],
        files,
        cookie,
    )
    .await
}

async fn staff_attachments_follow_the_visibility_of_their_message(db: TestDb) {
    seed_if_empty(&db.pool).await.unwrap();
    let app = App::new(&db);
    let agent = app
        .sign_in("asesor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let vip = app.sign_in("vip@demo.ventanilla.co", DEMO_PASSWORD).await;
    let other = app
        .sign_in("regular@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let radicado = radicado_of(&db, "vip@demo.ventanilla.co").await;

    // A customer cannot use the agent's form.
    let refused = staff_act(
        &app,
        &radicado,
        &vip,
        "public_reply",
        "Hola",
        &[("a.pdf", PDF.to_vec())],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

    assert_eq!(
        staff_act(&app, &radicado, &agent, "take", "", &[])
            .await
            .status,
        StatusCode::OK
    );
    let reply = staff_act(
        &app,
        &radicado,
        &agent,
        "public_reply",
        "Adjuntamos la nota crédito del cobro doble.",
        &[("nota-credito.pdf", PDF.to_vec())],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply
        .body
        .contains(&format!("/equipo/solicitudes/{radicado}")));
    let note = staff_act(
        &app,
        &radicado,
        &agent,
        "nota_interna",
        "Soporte interno de Facturación.",
        &[("conciliacion.pdf", OTHER_PDF.to_vec())],
    )
    .await;
    assert_eq!(note.status, StatusCode::OK, "{}", note.body);
    assert_eq!(app.stored_files(), 2);

    let files = sqlx::query(
        "SELECT a.id, m.visibility FROM attachments a JOIN request_messages m ON m.id = a.message_id \
         JOIN requests r ON r.id = a.request_id WHERE r.radicado = $1 ORDER BY a.created_at, a.id",
    )
    .bind(&radicado)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let id_with = |visibility: &str| {
        files
            .iter()
            .find(|f| f.get::<String, _>("visibility") == visibility)
            .map(|f| f.get::<String, _>("id"))
            .unwrap()
    };
    let public = id_with("publica");
    let internal = id_with("interna");

    // The customer sees and downloads the public file, never the internal note's.
    let page = app
        .call("portal/solicitud", &[("radicado", &radicado)], Some(&vip))
        .await;
    assert!(page.body.contains("nota-credito.pdf"), "{}", page.body);
    assert!(!page.body.contains("conciliacion.pdf"));
    let download = app.get_as(&format!("/adjuntos/{public}"), &vip).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body.as_bytes(), PDF);
    assert_eq!(
        app.get_as(&format!("/adjuntos/{internal}"), &vip)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Another customer gets nothing; staff get everything.
    assert_eq!(
        app.get_as(&format!("/adjuntos/{public}"), &other)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let staff_download = app.get_as(&format!("/adjuntos/{internal}"), &agent).await;
    assert_eq!(staff_download.status, StatusCode::OK);
    assert_eq!(staff_download.body.as_bytes(), OTHER_PDF);

    // A disguised file and a file without a message are refused in words; nothing written.
    let messages = db.count("request_messages").await;
    let attachments = db.count("attachments").await;
    let outbox = db.count("notification_outbox").await;
    let disguised = staff_act(
        &app,
        &radicado,
        &agent,
        "public_reply",
        "Le envío el informe.",
        &[("informe.pdf", EXE.to_vec())],
    )
    .await;
    assert_eq!(disguised.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        disguised.body.contains("no es realmente un archivo"),
        "{}",
        disguised.body
    );
    let bare = staff_act(
        &app,
        &radicado,
        &agent,
        "agent_closes",
        " ",
        &[("a.pdf", PDF.to_vec())],
    )
    .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.body.contains("escriba el mensaje"), "{}", bare.body);
    assert_eq!(
        scalar(
            &db,
            "SELECT state FROM requests WHERE radicado = $1",
            &radicado
        )
        .await
        .as_deref(),
        Some("en_gestion")
    );
    assert_eq!(db.count("request_messages").await, messages);
    assert_eq!(db.count("attachments").await, attachments);
    assert_eq!(db.count("notification_outbox").await, outbox);
    assert_eq!(app.stored_files(), 2);

    // Before the WebAssembly loads, the plain form gets a redirect carrying the message.
    let boundary = "----b";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nnota_interna\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n\r\n--{boundary}--\r\n"
    );
    let plain = app
        .send(
            http::Request::post(format!("/equipo/solicitudes/{radicado}/actuar"))
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header("cookie", &agent)
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert!(plain.status.is_redirection());
    let location = plain.headers["location"].to_str().unwrap();
    assert!(
        location.starts_with(&format!("/equipo/solicitudes/{radicado}?error=")),
        "{location}"
    );
    // The page shows the message the server sealed, and nothing of a link someone crafted
    // with words of their own (content spoofing, issue 17).
    let query = location.split_once('?').unwrap().1;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let message = &pairs.iter().find(|(k, _)| k == "error").unwrap().1;
    let signature = &pairs.iter().find(|(k, _)| k == "firma").unwrap().1;
    let shown = app.get_as(location, &agent).await;
    let first_words: String = message.chars().take(12).collect();
    assert!(shown.body.contains(&first_words), "{message}");
    let forged = "Llame ya al 3001234567 para reclamar su premio";
    for path in [
        format!(
            "/equipo/solicitudes/{radicado}?error={}&firma={signature}",
            url::form_urlencoded::byte_serialize(forged.as_bytes()).collect::<String>()
        ),
        format!(
            "/equipo/solicitudes/{radicado}?error={}",
            url::form_urlencoded::byte_serialize(forged.as_bytes()).collect::<String>()
        ),
    ] {
        let page = app.get_as(&path, &agent).await;
        assert_eq!(page.status, http::StatusCode::OK);
        assert!(!page.body.contains("reclamar su premio"), "{path}");
    }
}

on_both_databases!(staff_attachments_follow_the_visibility_of_their_message);

async fn typification_takes_a_consistent_catalogue_entry(db: TestDb) {
    seed_if_empty(&db.pool).await.unwrap();
    let app = App::new(&db);
    let agent = app
        .sign_in("asesor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let vip = app.sign_in("vip@demo.ventanilla.co", DEMO_PASSWORD).await;
    let radicado = radicado_of(&db, "vip@demo.ventanilla.co").await;
    let id = |sql: &'static str, name: &'static str| {
        let pool = db.pool.clone();
        async move {
            sqlx::query(sql)
                .bind(name)
                .fetch_one(&pool)
                .await
                .unwrap()
                .get::<String, _>("id")
        }
    };
    let pqr = id("SELECT id FROM categories WHERE name = $1", "PQR").await;
    let billing = id(
        "SELECT id FROM subcategories WHERE name = $1",
        "Cobro no reconocido",
    )
    .await;
    let tracking = id(
        "SELECT id FROM subcategories WHERE name = $1",
        "Envío extraviado",
    )
    .await;
    let cause = id(
        "SELECT id FROM causes WHERE name = $1",
        "Error de facturación",
    )
    .await;
    let typify = |cookie: String, category: String, subcategory: String| {
        let (radicado, cause, app) = (radicado.clone(), cause.clone(), &app);
        async move {
            app.call(
                "equipo/tipificar",
                &[
                    ("radicado", radicado.as_str()),
                    ("category_id", category.as_str()),
                    ("subcategory_id", subcategory.as_str()),
                    ("cause_id", cause.as_str()),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    let typified = || {
        scalar(
            &db,
            "SELECT subcategory_id FROM requests WHERE radicado = $1",
            &radicado,
        )
    };

    // A customer cannot typify.
    let customer = typify(vip.clone(), pqr.clone(), billing.clone()).await;
    assert_eq!(customer.status, StatusCode::FORBIDDEN);
    // A subcategory of another category is refused in words; nothing changes.
    let wrong = typify(agent.clone(), pqr.clone(), tracking).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("no pertenece a la categoría «PQR»"),
        "{}",
        wrong.body
    );
    assert_eq!(typified().await, None);

    let ok = typify(agent.clone(), pqr.clone(), billing.clone()).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(typified().await, Some(billing));
    let page = app
        .call("equipo/solicitud", &[("radicado", &radicado)], Some(&agent))
        .await;
    let page: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(
        page["typification"],
        "PQR › Cobro no reconocido · Causa: Error de facturación"
    );
    assert!(page["detail"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["text"].as_str().unwrap().starts_with("Tipificada: PQR")));
    // The customer's page shows the category, not the internal cause.
    let own = app
        .call("portal/solicitud", &[("radicado", &radicado)], Some(&vip))
        .await;
    assert!(!own.body.contains("Error de facturación"), "{}", own.body);
}

on_both_databases!(typification_takes_a_consistent_catalogue_entry);

fn bog(y: i32, m: u32, d: u32, h: u32) -> chrono::DateTime<Utc> {
    bogota()
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

async fn session_user(db: &TestDb, email: &str) -> SessionUser {
    let row = sqlx::query("SELECT id, full_name, role FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    SessionUser {
        id: row.get("id"),
        full_name: row.get("full_name"),
        email: email.to_string(),
        role: Role::from_code(&row.get::<String, _>("role")).unwrap(),
    }
}

/// Moves a demo request to a known receipt date (REFERENCE.md §1.1 examples), with the clock
/// instants the queues read.
async fn received_on(db: &TestDb, radicado: &str, request_type: &str, at: chrono::DateTime<Utc>) {
    sqlx::query("UPDATE requests SET request_type = $1, received_at = $2 WHERE radicado = $3")
        .bind(request_type)
        .bind(at.timestamp())
        .bind(radicado)
        .execute(&db.pool)
        .await
        .unwrap();
    crate::support::refresh_clocks(db, radicado).await;
}

async fn extension_count(db: &TestDb) -> (i64, i64) {
    let audit =
        sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'prorroga_declarada'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("n");
    let outbox =
        sqlx::query("SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'prorroga'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("n");
    (audit, outbox)
}

async fn a_prorroga_moves_the_legal_due_once_and_only_in_time(db: TestDb) {
    seed_if_empty(&db.pool).await.unwrap();
    let app = App::new(&db);
    let agent = app
        .sign_in("asesor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let vip = app.sign_in("vip@demo.ventanilla.co", DEMO_PASSWORD).await;
    let reclamo = radicado_of(&db, "vip@demo.ventanilla.co").await;
    let documentos = radicado_of(&db, "cancelado@demo.ventanilla.co").await;
    for radicado in [&reclamo, &documentos] {
        let took = staff_act(&app, radicado, &agent, "take", "", &[]).await;
        assert_eq!(took.status, StatusCode::OK, "{}", took.body);
    }
    let asesor = session_user(&db, "asesor@demo.ventanilla.co").await;
    let state = &app.state;
    let declare = |radicado: String, days: &'static str, at| {
        let asesor = asesor.clone();
        async move {
            ventanilla_app::requests::server::extension::declare(
                state,
                &asesor,
                &radicado,
                "Se requiere el concepto del área jurídica sobre el contrato.",
                days,
                at,
            )
            .await
        }
    };
    let due_of = |radicado: &str| {
        let radicado = radicado.to_string();
        let db = &db;
        async move {
            scalar(
                db,
                "SELECT legal_due_date FROM requests WHERE radicado = $1",
                &radicado,
            )
            .await
        }
    };

    // REFERENCE.md §1.1: a reclamo received Fri 2026-07-03 is due Tue 2026-07-28; twice the
    // term from receipt is Thu 2026-08-20.
    received_on(&db, &reclamo, "reclamo", bog(2026, 7, 3, 10)).await;
    let too_long = declare(reclamo.clone(), "31", bog(2026, 7, 20, 10)).await;
    assert!(
        too_long
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("doble del inicial (30 días hábiles)"),
        "{too_long:?}"
    );
    let due = declare(reclamo.clone(), "30", bog(2026, 7, 20, 10))
        .await
        .unwrap();
    assert_eq!(due, NaiveDate::from_ymd_opt(2026, 8, 20).unwrap());
    assert_eq!(due_of(&reclamo).await.as_deref(), Some("2026-08-20"));
    assert_eq!(
        extension_count(&db).await,
        (1, 2),
        "audited; e-mail and WhatsApp"
    );
    let payload: String = sqlx::query(
        "SELECT payload FROM notification_outbox WHERE template = 'prorroga' AND channel = 'email'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("payload");
    assert!(
        payload.contains("20/08/2026") && payload.contains("concepto del área jurídica"),
        "{payload}"
    );

    // Once only: the second is refused in Spanish and nothing changes.
    let again = declare(reclamo.clone(), "30", bog(2026, 7, 21, 10))
        .await
        .unwrap_err();
    assert_eq!(
        again.to_string(),
        "El término ya fue prorrogado; solo se permite una prórroga."
    );
    assert_eq!(due_of(&reclamo).await.as_deref(), Some("2026-08-20"));
    assert_eq!(extension_count(&db).await, (1, 2));

    // The customer's page shows the new date and the reasons, and the legal clock runs to it.
    let page = app
        .call("portal/solicitud", &[("radicado", &reclamo)], Some(&vip))
        .await;
    let page: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert!(
        page["legal_term"]["due"]
            .as_str()
            .unwrap()
            .starts_with("2026-08-20"),
        "{page}"
    );
    assert!(
        page["extension"]
            .as_str()
            .unwrap()
            .contains("hasta el 2026-08-20"),
        "{page}"
    );
    assert!(page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["kind"] == "prorroga" && m["body"].as_str().unwrap().contains("20/08/2026")));
    // The queue's timer ticks towards the extended due.
    let queue = app
        .call("equipo/cola", &[("queue", "mias")], Some(&agent))
        .await;
    let queue: serde_json::Value = serde_json::from_str(&queue.body).unwrap();
    let row = queue["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["radicado"] == reclamo.as_str())
        .unwrap();
    assert_eq!(
        row["legal_term"]["due"].as_i64().unwrap(),
        legal_due_instant(NaiveDate::from_ymd_opt(2026, 8, 20).unwrap()).timestamp()
    );

    // REFERENCE.md §1.1: documents received Fri 2026-07-03 are due Tue 2026-07-21; on the
    // 22nd it is too late.
    received_on(&db, &documentos, "peticion_documentos", bog(2026, 7, 3, 10)).await;
    let before = due_of(&documentos).await;
    let late = declare(documentos.clone(), "20", bog(2026, 7, 22, 9))
        .await
        .unwrap_err();
    assert_eq!(
        late.to_string(),
        "El término venció el 21/07/2026; la prórroga debe informarse antes del vencimiento."
    );
    assert_eq!(due_of(&documentos).await, before);
    assert_eq!(
        scalar(
            &db,
            "SELECT extension_reason FROM requests WHERE radicado = $1",
            &documentos
        )
        .await,
        None
    );
    assert_eq!(extension_count(&db).await, (1, 2));
    assert!(queue_status(&app, &agent, "vencidas", &documentos).await);
}

/// Whether the request is in that queue of the agent.
async fn queue_status(app: &App, cookie: &str, queue: &str, radicado: &str) -> bool {
    let reply = app
        .call("equipo/cola", &[("queue", queue)], Some(cookie))
        .await;
    let view: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["radicado"] == radicado)
}

on_both_databases!(a_prorroga_moves_the_legal_due_once_and_only_in_time);

async fn only_the_assigned_agent_or_a_supervisor_declares_a_prorroga(db: TestDb) {
    seed_if_empty(&db.pool).await.unwrap();
    let app = App::new(&db);
    ventanilla_app::accounts::server::accounts::create_staff(
        &db.pool,
        &ventanilla_app::platform::audit::Actor::system("prueba"),
        Role::Asesor,
        "Otra Asesora",
        "otra@demo.ventanilla.co",
        "clave-otra-asesora",
    )
    .await
    .unwrap();
    let agent = app
        .sign_in("asesor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let other = app
        .sign_in("otra@demo.ventanilla.co", "clave-otra-asesora")
        .await;
    let specialist = app
        .sign_in("especialista@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let supervisor = app
        .sign_in("supervisor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let customer = app
        .sign_in("regular@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let radicado = radicado_of(&db, "regular@demo.ventanilla.co").await;
    assert_eq!(
        staff_act(&app, &radicado, &agent, "take", "", &[])
            .await
            .status,
        StatusCode::OK
    );
    let declare = |cookie: String| {
        let (radicado, app) = (radicado.clone(), &app);
        async move {
            app.call(
                "equipo/prorroga",
                &[
                    ("radicado", radicado.as_str()),
                    ("reason", "Volumen de documentos por revisar."),
                    ("business_days", "30"),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    for cookie in [&other, &specialist, &customer] {
        assert_eq!(declare(cookie.clone()).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(extension_count(&db).await, (0, 0));
    // The other agent is not even offered the form; the assigned one is.
    let offered = |cookie: String| {
        let (radicado, app) = (radicado.clone(), &app);
        async move {
            let page = app
                .call(
                    "equipo/solicitud",
                    &[("radicado", radicado.as_str())],
                    Some(&cookie),
                )
                .await;
            let page: serde_json::Value = serde_json::from_str(&page.body).unwrap();
            !page["extension_offer"].is_null()
        }
    };
    assert!(!offered(other.clone()).await);
    assert!(offered(agent.clone()).await);
    assert!(offered(supervisor.clone()).await);

    let missing_reason = app
        .call(
            "equipo/prorroga",
            &[
                ("radicado", radicado.as_str()),
                ("reason", "  "),
                ("business_days", "30"),
            ],
            Some(&supervisor),
        )
        .await;
    assert_eq!(missing_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing_reason.body.contains("motivos de la demora"),
        "{}",
        missing_reason.body
    );

    let ok = declare(supervisor.clone()).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(extension_count(&db).await, (1, 2));
    assert!(!offered(agent.clone()).await, "once only");
}

on_both_databases!(only_the_assigned_agent_or_a_supervisor_declares_a_prorroga);
