//! The public REST API (REST API requirement) through the real router: keys and scopes, idempotent POSTs,
//! problem+json errors, the customer created on behalf with its consent, filing with
//! attachments, reading, listing with cursors, follow-ups, closing, catalogue, calendar, and
//! the generated OpenAPI document — on SQLite and PostgreSQL.

use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::{json, Value};
use sqlx::Row;
use ventanilla_app::accounts::server::api_keys;
use ventanilla_app::platform::audit::Actor;

use crate::support::{pairs, registration, App, Reply, TestDb};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";
pub(crate) const ALL: &[&str] = &["requests:read", "requests:write", "customers:write"];

pub(crate) async fn key(db: &TestDb, scopes: &[&str], limit: i64) -> String {
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    api_keys::create(
        &db.pool,
        &Actor::system("prueba"),
        "Integración de prueba",
        &scopes,
        limit,
    )
    .await
    .unwrap()
    .secret
}

pub(crate) async fn customer(app: &App) {
    let reply = app
        .call(
            "registro",
            &pairs(&registration("1020304050", "ana@correo.co")),
            None,
        )
        .await;
    assert!(reply.session_cookie().is_some(), "{}", reply.body);
}

pub(crate) fn filing(subject: &str) -> Value {
    json!({
        "customer": { "document_type": "CC", "document_number": "1.020.304.050" },
        "request_type": "reclamo",
        "subject": subject,
        "description": "Me cobraron dos veces el envío del 3 de noviembre.",
        "channel": "telefono",
    })
}

pub(crate) async fn send(
    app: &App,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<(&str, Vec<u8>)>,
    headers: &[(&str, &str)],
) -> Reply {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(key) = key {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = match body {
        Some((content_type, bytes)) => request
            .header("content-type", content_type)
            .body(Body::from(bytes)),
        None => request.body(Body::empty()),
    };
    app.send(request.unwrap()).await
}

pub(crate) async fn post_json(
    app: &App,
    path: &str,
    key: &str,
    body: &Value,
    headers: &[(&str, &str)],
) -> Reply {
    send(
        app,
        "POST",
        path,
        Some(key),
        Some(("application/json", body.to_string().into_bytes())),
        headers,
    )
    .await
}

async fn get(app: &App, path: &str, key: &str) -> Reply {
    send(app, "GET", path, Some(key), None, &[]).await
}

pub(crate) fn parsed(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

/// A problem+json answer with this status and type.
pub(crate) fn assert_problem(reply: &Reply, status: StatusCode, kind: &str) -> Value {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(
        reply.headers["content-type"], "application/problem+json",
        "{}",
        reply.body
    );
    let body = parsed(reply);
    assert_eq!(body["type"], format!("/api/v1/referencia#problema-{kind}"));
    assert_eq!(body["status"], status.as_u16());
    assert!(!body["title"].as_str().unwrap().is_empty());
    body
}

/// Files `request` with `files` as multipart/form-data (parts separated by `boundary`).
async fn post_multipart(
    app: &App,
    key: &str,
    request: &Value,
    files: &[(&str, &[u8])],
    boundary: &str,
    headers: &[(&str, &str)],
) -> Reply {
    let (content_type, body) = multipart(request, files, boundary);
    send(
        app,
        "POST",
        "/api/v1/requests",
        Some(key),
        Some((&content_type, body)),
        headers,
    )
    .await
}

fn multipart(request: &Value, files: &[(&str, &[u8])], boundary: &str) -> (String, Vec<u8>) {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"request\"\r\n\r\n{request}\r\n"
    )
    .into_bytes();
    for (name, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn api_files_reads_lists_follows_up_and_closes(db: TestDb) {
    let app = App::new(&db);
    customer(&app).await;
    let key = key(&db, ALL, 1000).await;

    let reply = post_json(
        &app,
        "/api/v1/requests",
        &key,
        &filing("Cobro doble en la factura"),
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let filed = parsed(&reply);
    let radicado = filed["radicado"].as_str().unwrap().to_string();
    assert_eq!(filed["state"], "radicada");
    assert_eq!(filed["channel"], "telefono");
    assert_eq!(filed["tier"], "flotante");
    assert_eq!(filed["customer"]["document_number"], "1020304050");
    assert_eq!(filed["legal_term"]["status"], "on_track");
    assert_eq!(filed["thread"][0]["kind"], "descripcion");
    assert_eq!(filed["thread"][0]["from_customer"], true);

    // Attributed to the key, in the history, with the customer's filing e-mail.
    let key_id: String = sqlx::query("SELECT id FROM api_keys")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id");
    let audit = sqlx::query(
        "SELECT actor_api_key_id, actor_label FROM audit_events WHERE action = 'solicitud_radicada'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        audit
            .get::<Option<String>, _>("actor_api_key_id")
            .as_deref(),
        Some(key_id.as_str())
    );
    assert!(audit
        .get::<String, _>("actor_label")
        .starts_with("API: Integración de prueba"));
    let mails: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'solicitud_radicada' AND recipient = 'ana@correo.co'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(mails, 1);

    let read = get(&app, &format!("/api/v1/requests/{radicado}"), &key).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(parsed(&read)["subject"], "Cobro doble en la factura");
    let missing = get(&app, "/api/v1/requests/2026-999999", &key).await;
    assert_problem(&missing, StatusCode::NOT_FOUND, "no-encontrado");

    // Two more, then pages of two in order of receipt.
    for subject in ["Segunda solicitud", "Tercera solicitud"] {
        let reply = post_json(&app, "/api/v1/requests", &key, &filing(subject), &[]).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let first = parsed(
        &get(
            &app,
            "/api/v1/requests?limit=2&state=radicada&type=reclamo",
            &key,
        )
        .await,
    );
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert_eq!(first["items"][0]["radicado"], radicado.as_str());
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = parsed(
        &get(
            &app,
            &format!("/api/v1/requests?limit=2&cursor={cursor}"),
            &key,
        )
        .await,
    );
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["items"][0]["subject"], "Tercera solicitud");
    assert!(second["next_cursor"].is_null());
    let none = parsed(&get(&app, "/api/v1/requests?state=cerrada", &key).await);
    assert!(none["items"].as_array().unwrap().is_empty());
    let future = parsed(&get(&app, "/api/v1/requests?created_from=2100-01-01", &key).await);
    assert!(future["items"].as_array().unwrap().is_empty());
    let today = parsed(
        &get(
            &app,
            "/api/v1/requests?created_to=2100-01-01T00:00:00Z&updated_from=2000-01-01",
            &key,
        )
        .await,
    );
    assert_eq!(today["items"].as_array().unwrap().len(), 3);
    let nobody = parsed(&get(&app, "/api/v1/requests?assignee=nadie@equipo.co", &key).await);
    assert!(nobody["items"].as_array().unwrap().is_empty());

    let reply = post_json(
        &app,
        &format!("/api/v1/requests/{radicado}/follow-ups"),
        &key,
        &json!({ "message": "Adjunto el extracto cuando lo tenga." }),
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(parsed(&reply)["thread"][1]["kind"], "seguimiento");

    let closed = send(
        &app,
        "POST",
        &format!("/api/v1/requests/{radicado}/close"),
        Some(&key),
        None,
        &[],
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(parsed(&closed)["state"], "cerrada");
    let again = send(
        &app,
        "POST",
        &format!("/api/v1/requests/{radicado}/close"),
        Some(&key),
        None,
        &[],
    )
    .await;
    assert_problem(&again, StatusCode::CONFLICT, "conflicto");
    let late = post_json(
        &app,
        &format!("/api/v1/requests/{radicado}/follow-ups"),
        &key,
        &json!({ "message": "¿Sigue ahí?" }),
        &[],
    )
    .await;
    assert_problem(&late, StatusCode::CONFLICT, "conflicto");
    // The close e-mail and its survey went out as they do from the portal.
    let closes: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'solicitud_cerrada'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(closes, 1);
}

async fn api_keys_scopes_revocation_and_no_cookies(db: TestDb) {
    let app = App::new(&db);
    customer(&app).await;
    let cookie = app.sign_in("1020304050", "clave-segura-1").await;

    let anonymous = send(&app, "GET", "/api/v1/requests", None, None, &[]).await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "no-autenticado");
    let with_cookie = send(
        &app,
        "GET",
        "/api/v1/requests",
        None,
        None,
        &[("cookie", &cookie)],
    )
    .await;
    assert_problem(&with_cookie, StatusCode::UNAUTHORIZED, "no-autenticado");
    let forged = get(
        &app,
        "/api/v1/requests",
        "vnt_0000000000000000000000000000000000000000000000000000000000000000",
    )
    .await;
    assert_problem(&forged, StatusCode::UNAUTHORIZED, "no-autenticado");

    let reader = key(&db, &["requests:read"], 100).await;
    assert_eq!(
        get(&app, "/api/v1/requests", &reader).await.status,
        StatusCode::OK
    );
    let refused = post_json(
        &app,
        "/api/v1/requests",
        &reader,
        &filing("Sin permiso de escritura"),
        &[],
    )
    .await;
    assert_problem(&refused, StatusCode::FORBIDDEN, "sin-permiso");
    assert_eq!(db.count("requests").await, 0);
    let writer = key(&db, &["requests:write"], 100).await;
    assert_problem(
        &get(&app, "/api/v1/categories", &writer).await,
        StatusCode::FORBIDDEN,
        "sin-permiso",
    );

    // Other systems' calls are not browsers' cross-site form posts: the guard lets them by.
    let cross = post_json(
        &app,
        "/api/v1/requests",
        &writer,
        &filing("Desde otro sistema"),
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://otro.example"),
        ],
    )
    .await;
    assert_eq!(cross.status, StatusCode::CREATED, "{}", cross.body);

    let id: String = sqlx::query("SELECT id FROM api_keys WHERE scopes = 'requests:read'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id");
    api_keys::revoke(&db.pool, &Actor::system("prueba"), &id)
        .await
        .unwrap();
    assert_problem(
        &get(&app, "/api/v1/requests", &reader).await,
        StatusCode::UNAUTHORIZED,
        "no-autenticado",
    );
    assert_eq!(
        api_keys::revoke(&db.pool, &Actor::system("prueba"), &id).await,
        Err(ventanilla_app::error::AppError::NotFound)
    );
    let listed = api_keys::list(&db.pool).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().any(|k| k.revoked_at.is_some()));
    // Only the digest is stored.
    let stored: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM api_keys WHERE secret_sha256 = $1 OR prefix = $1")
            .bind(&reader)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("n");
    assert_eq!(stored, 0);

    let limited = key(&db, &["requests:read"], 2).await;
    for _ in 0..2 {
        assert_eq!(
            get(&app, "/api/v1/areas", &limited).await.status,
            StatusCode::OK
        );
    }
    let over = get(&app, "/api/v1/areas", &limited).await;
    assert_problem(&over, StatusCode::TOO_MANY_REQUESTS, "demasiadas-llamadas");
    assert!(over.headers.contains_key("retry-after"));

    for (name, scopes, limit) in [
        ("x", vec!["requests:read".to_string()], 10),
        ("Llave", vec![], 10),
        ("Llave", vec!["todo".into()], 10),
        ("Llave", vec!["requests:read".into()], 0),
    ] {
        assert!(matches!(
            api_keys::create(&db.pool, &Actor::system("prueba"), name, &scopes, limit).await,
            Err(ventanilla_app::error::AppError::Validation(_))
        ));
    }
}

async fn api_retries_with_an_idempotency_key_file_once(db: TestDb) {
    let app = App::new(&db);
    customer(&app).await;
    let key = key(&db, ALL, 1000).await;
    let retry = [("idempotency-key", "llamada-123")];
    let first = post_json(
        &app,
        "/api/v1/requests",
        &key,
        &filing("Reintento seguro"),
        &retry,
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let second = post_json(
        &app,
        "/api/v1/requests",
        &key,
        &filing("Reintento seguro"),
        &retry,
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(second.headers["idempotency-replayed"], "true");
    assert_eq!(parsed(&first)["radicado"], parsed(&second)["radicado"]);
    assert_eq!(db.count("requests").await, 1);
    assert_eq!(
        db.count("notification_outbox WHERE template = 'solicitud_radicada'")
            .await,
        1
    );

    let other = post_json(
        &app,
        "/api/v1/requests",
        &key,
        &filing("Otra cosa distinta"),
        &retry,
    )
    .await;
    assert_problem(
        &other,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotencia-reutilizada",
    );

    // A multipart retry picks a new boundary; it is still the same call.
    let with_file = post_multipart(
        &app,
        &key,
        &filing("Con adjunto"),
        &[("extracto.pdf", PDF)],
        "frontera-uno",
        &[("idempotency-key", "multi-1")],
    )
    .await;
    assert_eq!(with_file.status, StatusCode::CREATED, "{}", with_file.body);
    let again = post_multipart(
        &app,
        &key,
        &filing("Con adjunto"),
        &[("extracto.pdf", PDF)],
        "frontera-dos",
        &[("idempotency-key", "multi-1")],
    )
    .await;
    assert_eq!(again.headers["idempotency-replayed"], "true");
    assert_eq!(db.count("requests").await, 2);
    assert_eq!(db.count("attachments").await, 1);

    // A failed first call is replayed too: the answer is the answer.
    let bad = post_json(&app, "/api/v1/requests", &key, &json!({"customer": {"document_type": "CC", "document_number": "1020304050"}, "request_type": "reclamo", "subject": "x", "description": "corta"}), &[("idempotency-key", "mala")]).await;
    assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "datos-invalidos");
    let close = [("idempotency-key", "cierre-1")];
    let radicado = parsed(&first)["radicado"].as_str().unwrap().to_string();
    let closed = send(
        &app,
        "POST",
        &format!("/api/v1/requests/{radicado}/close"),
        Some(&key),
        None,
        &close,
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let replayed = send(
        &app,
        "POST",
        &format!("/api/v1/requests/{radicado}/close"),
        Some(&key),
        None,
        &close,
    )
    .await;
    assert_eq!(
        replayed.status,
        StatusCode::OK,
        "a retried close is not a conflict"
    );
    assert_eq!(replayed.headers["idempotency-replayed"], "true");
    let long = "k".repeat(201);
    let too_long = post_json(
        &app,
        "/api/v1/requests",
        &key,
        &filing("Llave larga"),
        &[("idempotency-key", &long)],
    )
    .await;
    assert_problem(
        &too_long,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
}

async fn api_creates_a_customer_only_with_the_scope_and_the_consent(db: TestDb) {
    let app = App::new(&db);
    let plain = key(&db, &["requests:write"], 100).await;
    let full = key(&db, ALL, 100).await;
    let mut body = filing("Primera vez que escribo");
    body["customer"] = json!({ "document_type": "CC", "document_number": "52123456" });
    let unknown = post_json(&app, "/api/v1/requests", &plain, &body, &[]).await;
    let problem = assert_problem(
        &unknown,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    assert_eq!(problem["errors"][0]["pointer"], "/customer/document_number");

    body["customer"]["new_account"] = json!({ "full_name": "Marta Lucía Pardo", "email": "marta@correo.co", "phone": "3105551234", "consent": false });
    let forbidden = post_json(&app, "/api/v1/requests", &plain, &body, &[]).await;
    assert_problem(&forbidden, StatusCode::FORBIDDEN, "sin-permiso");
    let no_consent = post_json(&app, "/api/v1/requests", &full, &body, &[]).await;
    let problem = assert_problem(
        &no_consent,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    assert_eq!(
        problem["errors"][0]["pointer"],
        "/customer/new_account/consent"
    );
    assert_eq!(db.count("accounts").await, 0);

    body["customer"]["new_account"]["consent"] = json!(true);
    let created = post_json(&app, "/api/v1/requests", &full, &body, &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let consent = sqlx::query("SELECT c.channel, c.client_ip FROM data_consents c JOIN users u ON u.id = c.user_id WHERE u.email = 'marta@correo.co'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(consent.get::<String, _>("channel"), "telefono");
    assert!(consent.get::<String, _>("client_ip").starts_with("API: "));
    assert_eq!(
        db.count("notification_outbox WHERE template = 'crear_contrasena' AND recipient = 'marta@correo.co'")
            .await,
        1
    );
    assert_eq!(
        db.count("password_links WHERE purpose = 'crear' AND used_at IS NULL")
            .await,
        1
    );
    // Nobody can sign in to an account created on the customer's behalf until they set a password.
    let attempt = app
        .call(
            "ingresar",
            &[("login", "52123456"), ("password", "sin-clave")],
            None,
        )
        .await;
    assert!(attempt.session_cookie().is_none());

    // The second time the document is found; new_account is not used.
    let again = post_json(&app, "/api/v1/requests", &plain, &body, &[]).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(db.count("accounts").await, 1);

    let mut taken = body.clone();
    taken["customer"] = json!({ "document_type": "CC", "document_number": "79123456", "new_account": { "full_name": "Otra Persona", "email": "marta@correo.co", "consent": true } });
    let conflict = post_json(&app, "/api/v1/requests", &full, &taken, &[]).await;
    assert_problem(&conflict, StatusCode::CONFLICT, "conflicto");
}

async fn api_bad_input_is_a_problem_never_a_500(db: TestDb) {
    let app = App::new(&db);
    customer(&app).await;
    let key = key(&db, ALL, 1000).await;

    let text = send(
        &app,
        "POST",
        "/api/v1/requests",
        Some(&key),
        Some(("text/plain", b"hola".to_vec())),
        &[],
    )
    .await;
    assert_problem(
        &text,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "tipo-no-soportado",
    );
    let broken = send(
        &app,
        "POST",
        "/api/v1/requests",
        Some(&key),
        Some(("application/json", b"{\"customer\":".to_vec())),
        &[],
    )
    .await;
    assert_problem(&broken, StatusCode::BAD_REQUEST, "solicitud-malformada");
    let shape = post_json(
        &app,
        "/api/v1/requests",
        &key,
        &json!({ "subject": 5 }),
        &[],
    )
    .await;
    assert_problem(&shape, StatusCode::UNPROCESSABLE_ENTITY, "datos-invalidos");
    let mut short = filing("Hola");
    short["subject"] = json!("x");
    let problem = assert_problem(
        &post_json(&app, "/api/v1/requests", &key, &short, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    assert_eq!(problem["errors"][0]["pointer"], "/subject");
    let mut vip_only = filing("Prioridad alta");
    vip_only["priority"] = json!("alta");
    let problem = assert_problem(
        &post_json(&app, "/api/v1/requests", &key, &vip_only, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    assert_eq!(problem["errors"][0]["pointer"], "/priority");
    let mut portal = filing("Canal portal");
    portal["channel"] = json!("portal");
    assert_problem(
        &post_json(&app, "/api/v1/requests", &key, &portal, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    let mut bad_document = filing("Documento malo");
    bad_document["customer"]["document_number"] = json!("12ab");
    let problem = assert_problem(
        &post_json(&app, "/api/v1/requests", &key, &bad_document, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    assert_eq!(problem["errors"][0]["pointer"], "/customer/document_number");

    assert_problem(
        &post_multipart(
            &app,
            &key,
            &filing("Ejecutable"),
            &[("factura.pdf", EXE)],
            "b1",
            &[],
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    let big = vec![b'a'; 4 * 1024 * 1024];
    assert_problem(
        &post_multipart(
            &app,
            &key,
            &filing("Muy grande"),
            &[("grande.txt", &big)],
            "b2",
            &[],
        )
        .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "demasiado-grande",
    );
    let (content_type, body) = multipart(&json!({}), &[], "b3");
    let no_request = send(
        &app,
        "POST",
        "/api/v1/requests",
        Some(&key),
        Some((&content_type, body.replacen_request())),
        &[],
    )
    .await;
    assert_problem(
        &no_request,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    assert_eq!(db.count("requests").await, 0);
    assert_eq!(app.stored_files(), 0);

    for query in [
        "state=abierta",
        "type=otro",
        "limit=0",
        "limit=mil",
        "created_from=ayer",
    ] {
        let reply = get(&app, &format!("/api/v1/requests?{query}"), &key).await;
        assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "datos-invalidos");
    }
    assert_problem(
        &get(&app, "/api/v1/no-existe", &key).await,
        StatusCode::NOT_FOUND,
        "no-encontrado",
    );
    assert_problem(
        &get(&app, "/api/v1/attachments/nada", &key).await,
        StatusCode::NOT_FOUND,
        "no-encontrado",
    );
}

/// A multipart body whose only text part is not named `request`.
trait RenameRequest {
    fn replacen_request(self) -> Vec<u8>;
}

impl RenameRequest for Vec<u8> {
    fn replacen_request(self) -> Vec<u8> {
        String::from_utf8(self)
            .unwrap()
            .replacen("name=\"request\"", "name=\"datos\"", 1)
            .into_bytes()
    }
}

async fn api_attachments_are_filed_and_downloaded(db: TestDb) {
    let app = App::new(&db);
    customer(&app).await;
    let key = key(&db, ALL, 1000).await;
    let reply = post_multipart(
        &app,
        &key,
        &filing("Con extracto"),
        &[("extracto.pdf", PDF)],
        "adjuntos",
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let filed = parsed(&reply);
    let attachment = &filed["thread"][0]["attachments"][0];
    assert_eq!(attachment["file_name"], "extracto.pdf");
    let url = attachment["url"].as_str().unwrap();
    let download = get(&app, url, &key).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.headers["content-type"], "application/pdf");
    assert_eq!(download.body.as_bytes(), PDF);
    let anonymous = send(&app, "GET", url, None, None, &[]).await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "no-autenticado");
}

/// A filing's 201 is composed from what the filing wrote, not read back (the REST API's
/// throughput): it must be exactly what a GET of the same request answers — category, links,
/// priority, clocks, the thread and its files in the order they were sent (not by name: a
/// database's collation would decide that, and PostgreSQL's need not be byte order).
async fn api_answers_a_filing_as_a_later_read_shows_it(db: TestDb) {
    let app = App::new(&db);
    customer(&app).await;
    let key = key(&db, ALL, 1000).await;
    sqlx::query(
        "INSERT INTO categories (id, name, description, position, active) \
         VALUES ('facturacion', 'Facturación', 'Cobros y facturas', 1, 1)",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let mut request = filing("Cobro doble con soporte");
    request["category_id"] = json!("facturacion");
    request["priority"] = json!("baja");
    request["links"] = json!(["https://correo.co/factura/77", "https://correo.co/pago/12"]);
    let reply = post_multipart(
        &app,
        &key,
        &request,
        &[
            ("soporte.pdf", PDF),
            ("Extracto.pdf", PDF),
            ("acta.pdf", PDF),
            ("soporte.pdf", PDF),
        ],
        "iguales",
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let filed = parsed(&reply);
    assert_eq!(filed["category"], "Facturación");
    let names: Vec<&str> = filed["thread"][0]["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["soporte.pdf", "Extracto.pdf", "acta.pdf", "soporte.pdf"]
    );
    let radicado = filed["radicado"].as_str().unwrap();
    let read = get(&app, &format!("/api/v1/requests/{radicado}"), &key).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(filed, parsed(&read));

    // The simplest filing too: no category, link or file, through JSON.
    let reply = post_json(&app, "/api/v1/requests", &key, &filing("Sin nada más"), &[]).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let filed = parsed(&reply);
    let radicado = filed["radicado"].as_str().unwrap();
    let read = get(&app, &format!("/api/v1/requests/{radicado}"), &key).await;
    assert_eq!(filed, parsed(&read));
}

async fn api_catalogue_calendar_and_documentation(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let key = key(&db, &["requests:read"], 1000).await;
    let categories = parsed(&get(&app, "/api/v1/categories", &key).await);
    assert!(categories.as_array().unwrap().len() >= 5);
    let areas = parsed(&get(&app, "/api/v1/areas", &key).await);
    assert!(areas
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["name"] == "Facturación"));

    let holidays = parsed(&get(&app, "/api/v1/calendar/holidays/2026", &key).await);
    assert!(holidays["holidays"]
        .as_array()
        .unwrap()
        .contains(&json!("2026-01-12")));
    assert_problem(
        &get(&app, "/api/v1/calendar/holidays/1900", &key).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    // The same answers as `ventanilla calendar due` (see the CLI tests).
    let hours = parsed(
        &get(
            &app,
            "/api/v1/calendar/due?start=2026-03-06T16:00:00-05:00&business_hours=8",
            &key,
        )
        .await,
    );
    assert_eq!(hours["due"], "2026-03-09T14:00:00-05:00");
    let days = parsed(
        &get(
            &app,
            "/api/v1/calendar/due?received=2026-07-03T10:00:00-05:00&business_days=15",
            &key,
        )
        .await,
    );
    assert_eq!(days["due"], "2026-07-28");
    for query in [
        "",
        "start=ayer&business_hours=8",
        "start=2026-03-02T09:00:00-05:00&business_hours=-1",
        "start=2026-03-02T09:00:00-05:00&received=2026-03-02T09:00:00-05:00&business_days=1",
    ] {
        let reply = get(&app, &format!("/api/v1/calendar/due?{query}"), &key).await;
        assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "datos-invalidos");
    }

    let document = app.get("/api/v1/openapi.json").await;
    assert_eq!(document.status, StatusCode::OK);
    let document = parsed(&document);
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/requests",
        "/api/v1/requests/{radicado}",
        "/api/v1/requests/{radicado}/follow-ups",
        "/api/v1/requests/{radicado}/close",
        "/api/v1/categories",
        "/api/v1/areas",
        "/api/v1/calendar/holidays/{year}",
        "/api/v1/calendar/due",
        "/api/v1/attachments/{id}",
    ] {
        assert!(
            document["paths"][path].is_object(),
            "{path} missing from the document"
        );
        // Every operation checks its key (401, 429) and reads it from the database, so each
        // may meet it busy (503).
        for (method, operation) in document["paths"][path].as_object().unwrap() {
            let busy = &operation["responses"]["503"];
            assert!(
                busy["content"]["application/problem+json"].is_object()
                    && busy["headers"]["Retry-After"].is_object(),
                "{method} {path} does not document its 503"
            );
            for (status, description) in
                [("401", "Sin llave válida"), ("429", "Límite de llamadas")]
            {
                let problem = &operation["responses"][status];
                assert!(
                    problem["content"]["application/problem+json"].is_object()
                        && problem["description"] == description,
                    "{method} {path} does not document its {status}"
                );
            }
        }
    }
    let page = app.get("/api/v1/referencia").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/api/v1/requests/{radicado}/follow-ups"));
    assert!(page.body.contains("problema-idempotencia-reutilizada"));
    assert!(page.body.contains("problema-ocupado"));
}

on_both_databases!(
    api_files_reads_lists_follows_up_and_closes,
    api_keys_scopes_revocation_and_no_cookies,
    api_retries_with_an_idempotency_key_file_once,
    api_creates_a_customer_only_with_the_scope_and_the_consent,
    api_bad_input_is_a_problem_never_a_500,
    api_attachments_are_filed_and_downloaded,
    api_answers_a_filing_as_a_later_read_shows_it,
    api_catalogue_calendar_and_documentation,
);
