//! The customer portal (customer-portal requirement): filing with attachments, the thread, replies, closing,
//! related requests, automatic close, and everything a customer must not be able to do —
//! through the real router, on SQLite and PostgreSQL.

use chrono::{Duration, Utc};
use http::StatusCode;
use sqlx::Row;
use ventanilla::lifecycle::{Action, RequestState};
use ventanilla::role::Role;
use ventanilla_app::platform::audit::Actor;
use ventanilla_app::requests::server::{auto_close, lifecycle};

use crate::support::{customer, App, TestDb};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";

fn filing(token: &str) -> Vec<(&'static str, String)> {
    vec![
        ("request_type", "reclamo".into()),
        ("subject", "Cobro doble en la factura".into()),
        (
            "description",
            "Me cobraron dos veces el envío del 3 de noviembre.".into(),
        ),
        ("priority", "media".into()),
        ("links", String::new()),
        ("category_id", String::new()),
        ("related", String::new()),
        ("submission_token", token.into()),
    ]
}

fn refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn with(
    form: &[(&'static str, String)],
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    form.iter()
        .map(|(k, v)| {
            (
                *k,
                if *k == key {
                    value.to_string()
                } else {
                    v.clone()
                },
            )
        })
        .collect()
}

/// Files a request and returns its radicado.
async fn file(app: &App, cookie: &str, token: &str, files: &[(&str, Vec<u8>)]) -> String {
    let reply = app
        .multipart("/portal/solicitudes", &refs(&filing(token)), files, cookie)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let url = body["url"].as_str().unwrap();
    url.trim_start_matches("/portal/solicitudes/")
        .trim_end_matches("?radicada=1")
        .to_string()
}

async fn request_id(db: &TestDb, radicado: &str) -> String {
    sqlx::query("SELECT id FROM requests WHERE radicado = $1")
        .bind(radicado)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id")
}

async fn state_of(db: &TestDb, radicado: &str) -> String {
    sqlx::query("SELECT state FROM requests WHERE radicado = $1")
        .bind(radicado)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("state")
}

/// Moves a request as staff would (the agent workspace is agent-workspace requirement).
async fn staff_moves(
    app: &App,
    db: &TestDb,
    radicado: &str,
    actions: &[Action],
    at: chrono::DateTime<Utc>,
) {
    let id = request_id(db, radicado).await;
    for action in actions {
        let mut tx = ventanilla_app::platform::db::begin(&db.pool).await.unwrap();
        let current = lifecycle::load(&mut tx, &id).await.unwrap();
        lifecycle::apply(
            &mut tx,
            &app.state,
            &current,
            *action,
            Role::Asesor,
            &Actor::system("prueba"),
            at,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
}

async fn detail(app: &App, radicado: &str, cookie: &str) -> serde_json::Value {
    let reply = app
        .call("portal/solicitud", &[("radicado", radicado)], Some(cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

async fn filing_with_attachments_writes_everything_once(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let radicado = file(
        &app,
        &ana,
        "token-1",
        &[
            ("factura.pdf", PDF.to_vec()),
            ("foto.jpg", vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2]),
        ],
    )
    .await;
    assert!(
        radicado.len() == 11 && radicado.as_bytes()[4] == b'-',
        "{radicado}"
    );
    assert_eq!(db.count("requests").await, 1);
    assert_eq!(db.count("request_messages").await, 1);
    assert_eq!(db.count("attachments").await, 2);
    assert_eq!(app.stored_files(), 2);
    let outbox: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'solicitud_radicada'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(outbox, 1);

    // The same form again (a double click): the same radicado, nothing new.
    let again = file(&app, &ana, "token-1", &[("factura.pdf", PDF.to_vec())]).await;
    assert_eq!(again, radicado);
    assert_eq!(db.count("requests").await, 1);
    assert_eq!(db.count("attachments").await, 2);

    let page = detail(&app, &radicado, &ana).await;
    assert_eq!(page["state_code"], "radicada");
    assert_eq!(
        page["messages"][0]["attachments"].as_array().unwrap().len(),
        2
    );
    assert!(page["first_response"]["due"].is_string(), "{page}");
    assert!(page["legal_term"]["due"].is_string());

    // Downloads are attachments, never sniffed by the browser.
    let id = page["messages"][0]["attachments"][0]["id"]
        .as_str()
        .unwrap();
    let download = app.get_as(&format!("/adjuntos/{id}"), &ana).await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(download.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(download.headers["x-content-type-options"], "nosniff");
}

/// A form, its files, the status it must get, and a piece of the message it must show.
type BadFiling<'a> = (
    Vec<(&'static str, String)>,
    Vec<(&'a str, Vec<u8>)>,
    StatusCode,
    &'a str,
);

async fn bad_filings_change_nothing(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let base = filing("token-bad");
    let big = vec![b'a'; 1024 * 1024 + 10];
    let half = vec![b'b'; 900 * 1024];
    let cases: Vec<BadFiling> = vec![
        (
            base.clone(),
            vec![("factura.pdf", EXE.to_vec())],
            StatusCode::UNPROCESSABLE_ENTITY,
            "no es realmente un archivo PDF",
        ),
        (
            base.clone(),
            vec![("programa.exe", EXE.to_vec())],
            StatusCode::UNPROCESSABLE_ENTITY,
            "no es de un tipo permitido",
        ),
        (
            base.clone(),
            vec![("grande.txt", big)],
            StatusCode::UNPROCESSABLE_ENTITY,
            "máximo de 1 MB por archivo",
        ),
        (
            base.clone(),
            vec![
                ("a.txt", half.clone()),
                ("b.txt", half.clone()),
                ("c.txt", half),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "por mensaje",
        ),
        (
            base.clone(),
            vec![("vacio.pdf", Vec::new())],
            StatusCode::UNPROCESSABLE_ENTITY,
            "está vacío",
        ),
        (
            with(&base, "description", "   "),
            vec![],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Descripción",
        ),
        (
            with(&base, "subject", &"x".repeat(100_000)),
            vec![],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Asunto",
        ),
        (
            with(&base, "request_type", "otro"),
            vec![],
            StatusCode::UNPROCESSABLE_ENTITY,
            "tipo de solicitud",
        ),
        (
            with(&base, "priority", "alta"),
            vec![],
            StatusCode::UNPROCESSABLE_ENTITY,
            "no está disponible",
        ),
        (
            with(&base, "links", "javascript:alert(1)"),
            vec![],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Enlaces",
        ),
        (
            with(&base, "related", "2026-999999"),
            vec![],
            StatusCode::UNPROCESSABLE_ENTITY,
            "relacionada",
        ),
        (
            with(&base, "submission_token", ""),
            vec![],
            StatusCode::UNPROCESSABLE_ENTITY,
            "venció",
        ),
    ];
    for (form, files, status, message) in cases {
        let reply = app
            .multipart("/portal/solicitudes", &refs(&form), &files, &ana)
            .await;
        assert_eq!(reply.status, status, "{message}: {}", reply.body);
        assert!(
            reply.body.contains(message),
            "«{message}» not in {}",
            reply.body
        );
        assert_eq!(db.count("requests").await, 0, "{message}");
        assert_eq!(db.count("attachments").await, 0);
        assert_eq!(app.stored_files(), 0, "no orphan files for «{message}»");
    }
    // Over the body limit altogether: refused before reading it.
    let huge = vec![b'c'; 3 * 1024 * 1024 + 100];
    let reply = app
        .multipart(
            "/portal/solicitudes",
            &refs(&base),
            &[("x.txt", huge)],
            &ana,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("tamaño máximo"));
    // Not signed in, or staff: no filing.
    let reply = app
        .multipart("/portal/solicitudes", &refs(&base), &[], "vt_sesion=falsa")
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(db.count("requests").await, 0);
}

async fn markup_is_stored_as_inert_text(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let form = with(
        &filing("token-x"),
        "subject",
        "<script>alert('x')</script> cobro",
    );
    let reply = app
        .multipart("/portal/solicitudes", &refs(&form), &[], &ana)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let radicado: String = sqlx::query("SELECT radicado FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado");
    let page = app
        .get_as(&format!("/portal/solicitudes/{radicado}"), &ana)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("&lt;script&gt;alert"),
        "escaped in the page"
    );
    assert!(!page.body.contains("<script>alert"));
}

async fn customers_cannot_reach_each_others_requests(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let luis = customer(&app, "79888777", "luis@correo.co").await;
    let radicado = file(&app, &ana, "token-ana", &[("factura.pdf", PDF.to_vec())]).await;
    let page = detail(&app, &radicado, &ana).await;
    let attachment = page["messages"][0]["attachments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    assert_eq!(
        detail(&app, &radicado, &luis).await,
        serde_json::Value::Null
    );
    let html = app
        .get_as(&format!("/portal/solicitudes/{radicado}"), &luis)
        .await;
    assert!(html.body.contains("Página no encontrada"));
    assert!(!html.body.contains("Cobro doble"));
    assert_eq!(
        app.get_as(&format!("/adjuntos/{attachment}"), &luis)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/adjuntos/{attachment}")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let reply = app
        .multipart(
            &format!("/portal/solicitudes/{radicado}/responder"),
            &[("message", "hola")],
            &[],
            &luis,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let close = app
        .call("portal/cerrar", &[("radicado", &radicado)], Some(&luis))
        .await;
    assert_eq!(close.status, StatusCode::NOT_FOUND);
    assert_eq!(state_of(&db, &radicado).await, "radicada");
    assert_eq!(db.count("request_messages").await, 1);
}

async fn replying_to_a_question_resumes_the_clocks(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let radicado = file(&app, &ana, "token-q", &[]).await;
    staff_moves(
        &app,
        &db,
        &radicado,
        &[Action::Take, Action::AskCustomer],
        Utc::now(),
    )
    .await;
    let id = request_id(&db, &radicado).await;
    sqlx::query(
        "INSERT INTO request_messages (id, request_id, author_label, from_customer, visibility, kind, body, created_at) \
         VALUES ('q1', $1, 'Andrés Asesor', 0, 'publica', 'solicitud_informacion', 'Envíe la factura, por favor.', $2)",
    )
    .bind(&id)
    .bind(Utc::now().timestamp())
    .execute(&db.pool)
    .await
    .unwrap();
    let page = detail(&app, &radicado, &ana).await;
    assert_eq!(page["state_code"], "pendiente_cliente");
    assert_eq!(page["pending_question"], "Envíe la factura, por favor.");
    assert_eq!(page["first_response"]["status_code"], "paused");
    let open_pauses = "SELECT COUNT(*) AS n FROM request_pauses WHERE ended_at IS NULL";
    let n: i64 = sqlx::query(open_pauses)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(n, 1);

    let outbox_before = db.count("notification_outbox").await;
    let reply = app
        .multipart(
            &format!("/portal/solicitudes/{radicado}/responder"),
            &[("message", "Adjunto la factura.")],
            &[("factura.pdf", PDF.to_vec())],
            &ana,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(state_of(&db, &radicado).await, "en_gestion");
    let n: i64 = sqlx::query(open_pauses)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(n, 0, "the reply ends the pause");
    // E-mail and WhatsApp for the public follow-up (seed 000 §6).
    assert_eq!(db.count("notification_outbox").await, outbox_before + 2);
    let page = detail(&app, &radicado, &ana).await;
    assert_eq!(page["messages"].as_array().unwrap().len(), 3);
    assert_eq!(page["pending_question"], serde_json::Value::Null);
}

async fn closing_is_final_and_a_related_request_links_back(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let radicado = file(&app, &ana, "token-c", &[]).await;
    let closed = app
        .call("portal/cerrar", &[("radicado", &radicado)], Some(&ana))
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(state_of(&db, &radicado).await, "cerrada");
    let page = detail(&app, &radicado, &ana).await;
    assert_eq!(page["can_reply"], false);
    assert_eq!(page["can_close"], false);

    let again = app
        .call("portal/cerrar", &[("radicado", &radicado)], Some(&ana))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let reply = app
        .multipart(
            &format!("/portal/solicitudes/{radicado}/responder"),
            &[("message", "¿Y?")],
            &[],
            &ana,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body.contains("cerrada"));

    let form = with(&filing("token-r"), "related", &radicado);
    let related = app
        .multipart("/portal/solicitudes", &refs(&form), &[], &ana)
        .await;
    assert_eq!(related.status, StatusCode::OK, "{}", related.body);
    let new: String =
        sqlx::query("SELECT radicado FROM requests WHERE submission_token = 'token-r'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("radicado");
    assert_eq!(detail(&app, &new, &ana).await["related"], radicado.as_str());

    // A request still open cannot be the "related" one: it should be answered in its thread.
    let form = with(&filing("token-r2"), "related", &new);
    let refused = app
        .multipart("/portal/solicitudes", &refs(&form), &[], &ana)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn answered_requests_close_by_themselves_once(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let quiet = file(&app, &ana, "token-a1", &[]).await;
    let talkative = file(&app, &ana, "token-a2", &[]).await;
    // Answered on Monday 2026-03-02 at 10:00 Bogotá: three business days end Thursday 18:00.
    let answered = chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00-05:00")
        .unwrap()
        .with_timezone(&Utc);
    for radicado in [&quiet, &talkative] {
        staff_moves(
            &app,
            &db,
            radicado,
            &[Action::Take, Action::Answer],
            answered,
        )
        .await;
    }
    // The customer answers one of them: back to work, no automatic close.
    let reply = app
        .multipart(
            &format!("/portal/solicitudes/{talkative}/responder"),
            &[("message", "No quedé conforme.")],
            &[],
            &ana,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(state_of(&db, &talkative).await, "en_gestion");

    let before_deadline = chrono::DateTime::parse_from_rfc3339("2026-03-05T17:59:00-05:00")
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(
        auto_close::close_due(&app.state, before_deadline)
            .await
            .unwrap(),
        0
    );
    assert_eq!(state_of(&db, &quiet).await, "respondida");

    let after = chrono::DateTime::parse_from_rfc3339("2026-03-05T18:00:00-05:00")
        .unwrap()
        .with_timezone(&Utc);
    // Two instances racing: exactly one closes it.
    let (a, b) = tokio::join!(
        auto_close::close_due(&app.state, after),
        auto_close::close_due(&app.state, after)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(state_of(&db, &quiet).await, "cerrada");
    assert_eq!(state_of(&db, &talkative).await, "en_gestion");
    let closings: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'solicitud_cerrada'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(closings, 1, "one e-mail, not two");
    let later = after + Duration::days(10);
    assert_eq!(auto_close::close_due(&app.state, later).await.unwrap(), 0);
    let history = detail(&app, &quiet, &ana).await["history"].to_string();
    assert!(history.contains("cierre automático"), "{history}");
    assert_eq!(
        RequestState::from_code(&state_of(&db, &quiet).await),
        Some(RequestState::Cerrada)
    );
}

async fn accounts_in_arrears_file_without_ans_and_the_list_is_paged(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    // 21 filings in a minute to fill more than a page: past the hourly quota of a customer.
    let app = App::with_config(&db, |config| {
        config.quotas.filings_per_customer.per_hour = 100;
    });
    let mora = app
        .call(
            "ingresar",
            &[
                ("login", "mora@demo.ventanilla.co"),
                ("password", "Ventanilla2026"),
            ],
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let options = app.call("portal/opciones", &[], Some(&mora)).await;
    let options: serde_json::Value = serde_json::from_str(&options.body).unwrap();
    assert_eq!(
        options["ans_guaranteed"], false,
        "seed 000 §9: no ANS while in arrears"
    );
    let priorities: Vec<&str> = options["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        priorities,
        ["media", "baja"],
        "a Regular customer cannot choose Alta"
    );

    let mut last = String::new();
    for n in 0..21 {
        last = file(&app, &mora, &format!("page-{n}"), &[]).await;
    }
    let page = detail(&app, &last, &mora).await;
    assert_eq!(page["ans_guaranteed"], false);
    assert_eq!(
        page["first_response"],
        serde_json::Value::Null,
        "no first-response clock without ANS"
    );
    assert!(
        page["legal_term"]["due"].is_string(),
        "the legal term always applies"
    );

    let first = app
        .call("mis-solicitudes", &[("page", "1")], Some(&mora))
        .await;
    let first: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(first["pages"], 2);
    assert_eq!(first["items"].as_array().unwrap().len(), 20);
    assert_eq!(
        first["items"][0]["radicado"],
        last.as_str(),
        "newest activity first"
    );
    let second = app
        .call("mis-solicitudes", &[("page", "2")], Some(&mora))
        .await;
    let second: serde_json::Value = serde_json::from_str(&second.body).unwrap();
    assert_eq!(
        second["items"].as_array().unwrap().len(),
        2,
        "21 filed plus the demo one"
    );
}

on_both_databases!(
    accounts_in_arrears_file_without_ans_and_the_list_is_paged,
    filing_with_attachments_writes_everything_once,
    bad_filings_change_nothing,
    markup_is_stored_as_inert_text,
    customers_cannot_reach_each_others_requests,
    replying_to_a_question_resumes_the_clocks,
    closing_is_final_and_a_related_request_links_back,
    answered_requests_close_by_themselves_once,
);
