//! `POST /api/v1/survey-imports` (REST API requirement, seed 003 §4 steps 1–2) through the real router on
//! SQLite and PostgreSQL: the scope, the column mapping, bad rows (nothing imported) and
//! skipping them, the second cut of the same base, Idempotency-Key, the dry run, files that
//! are not bases (415) or too large (413), and the history naming the key.

use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::Value;
use sqlx::Row;
use ventanilla::role::Role;
use ventanilla_app::accounts::server::api_keys;
use ventanilla_app::detractors::server::import::MAX_BYTES;
use ventanilla_app::platform::audit::Actor;

use crate::detractor_import::{member, xlsx};
use crate::support::{App, Reply, TestDb};

/// A base whose headers the importer does not recognize by itself: it needs a mapping.
const BASE: &str = "Código;Titular;Línea;Puntaje;Observación;Ref\n\
9001;Ana Rojas;3001234567;2;La instalación tardó;R-1\n\
9002;Beto Díaz;3109876543;0;Cobro indebido;R-2\n";

/// The same base with one bad row (a phone that is not a number).
const WITH_BAD_ROW: &str = "Código;Titular;Línea;Puntaje;Observación;Ref\n\
9101;Carla Ruiz;3001112233;3;Sin señal;R-11\n\
9102;Darío Gil;llamar luego;1;Cobro;R-12\n";

const MAPPING: &[(&str, &str)] = &[
    ("column_cuenta", "Código"),
    ("column_nombre", "Titular"),
    ("column_telefono", "Línea"),
    ("column_nps", "Puntaje"),
    ("column_comentario", "Observación"),
    ("column_id_encuesta", "Ref"),
];

/// A key with `surveys:import` that `responsible` answers for, as the admin UI creates it.
async fn import_key(db: &TestDb, responsible_id: &str) -> (String, String) {
    let created = api_keys::create(
        &db.pool,
        &Actor::user(responsible_id, "Sofía Supervisora"),
        "BI nocturno",
        &["surveys:import".to_string()],
        1000,
    )
    .await
    .unwrap();
    (created.id, created.secret)
}

fn form(fields: &[(&str, &str)], file: Option<(&str, &[u8])>, boundary: &str) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post(
    app: &App,
    key: &str,
    (content_type, body): (String, Vec<u8>),
    headers: &[(&str, &str)],
) -> Reply {
    let mut request = Request::builder()
        .method("POST")
        .uri("/api/v1/survey-imports")
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", content_type);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

fn with_mapping(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    MAPPING.iter().chain(extra).copied().collect()
}

fn json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

fn problem(reply: &Reply, status: StatusCode, kind: &str) -> Value {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.headers["content-type"], "application/problem+json");
    let body = json(reply);
    assert_eq!(body["type"], format!("/api/v1/referencia#problema-{kind}"));
    body
}

fn counts(body: &Value) -> (u64, u64, u64) {
    (
        body["created"].as_u64().unwrap(),
        body["duplicates"].as_u64().unwrap(),
        body["skipped"].as_u64().unwrap(),
    )
}

async fn api_imports_a_mapped_base_once_and_names_the_key(db: TestDb) {
    let app = App::new(&db);
    let boss = member(
        &db,
        Role::Supervisor,
        "Sofía Supervisora",
        "sofia@equipo.co",
    )
    .await;
    member(&db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let (key_id, key) = import_key(&db, &boss.id).await;

    // Without the scope: 403, nothing imported.
    let reader = api_keys::create(
        &db.pool,
        &Actor::user(&boss.id, "Sofía"),
        "Solo lectura",
        &["requests:read".to_string(), "requests:write".to_string()],
        1000,
    )
    .await
    .unwrap()
    .secret;
    let body = form(
        &with_mapping(&[]),
        Some(("base.csv", BASE.as_bytes())),
        "a1",
    );
    let refused = post(&app, &reader, body.clone(), &[]).await;
    let detail = problem(&refused, StatusCode::FORBIDDEN, "sin-permiso");
    assert!(detail["detail"]
        .as_str()
        .unwrap()
        .contains("surveys:import"));
    assert_eq!(db.count("recovery_cases").await, 0);

    // A key made on the command line with nobody answering for it cannot get the scope.
    let orphan = api_keys::create(
        &db.pool,
        &Actor::system("línea de comandos"),
        "Sin responsable",
        &["surveys:import".to_string()],
        10,
    )
    .await;
    assert!(orphan.err().unwrap().to_string().contains("responsable"));

    // The headers are not recognized: without a mapping the required fields are missing.
    let unmapped = post(
        &app,
        &key,
        form(&[], Some(("base.csv", BASE.as_bytes())), "a2"),
        &[],
    )
    .await;
    let body422 = problem(
        &unmapped,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    assert!(body422["detail"]
        .as_str()
        .unwrap()
        .contains("Falta asignar columna"));

    // A dry run checks everything and writes nothing.
    let dry = post(
        &app,
        &key,
        form(
            &with_mapping(&[("dry_run", "true")]),
            Some(("base.csv", BASE.as_bytes())),
            "a3",
        ),
        &[],
    )
    .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    let dry = json(&dry);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["format"], "CSV");
    assert_eq!(dry["total_rows"], 2);
    assert_eq!(counts(&dry), (2, 0, 0));
    assert_eq!(db.count("recovery_cases").await, 0);
    assert_eq!(db.count("detractor_imports").await, 0);

    // The import: two cases, assigned like the UI's, attributed to the key.
    let done = post(
        &app,
        &key,
        form(
            &with_mapping(&[]),
            Some(("base.csv", BASE.as_bytes())),
            "a4",
        ),
        &[],
    )
    .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    let done = json(&done);
    assert_eq!(done["dry_run"], false);
    assert_eq!(counts(&done), (2, 0, 0));
    assert!(done["mapping"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["field"] == "telefono" && m["column"] == "Línea"));
    let assigned: Vec<String> = sqlx::query(
        "SELECT u.full_name FROM recovery_cases c JOIN users u ON u.id = c.assignee_id ORDER BY c.account_code",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.get("full_name"))
    .collect();
    assert_eq!(assigned, ["Andrés Asesor", "Andrés Asesor"]);
    let import = sqlx::query(
        "SELECT imported_by, imported_by_api_key_id, created_count FROM detractor_imports",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(import.get::<String, _>("imported_by"), boss.id);
    assert_eq!(
        import
            .get::<Option<String>, _>("imported_by_api_key_id")
            .as_deref(),
        Some(key_id.as_str())
    );
    assert_eq!(import.get::<i64, _>("created_count"), 2);
    let audited = sqlx::query(
        "SELECT actor_api_key_id, actor_user_id, actor_label FROM audit_events WHERE action = 'base_detractores_importada'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        audited
            .get::<Option<String>, _>("actor_api_key_id")
            .as_deref(),
        Some(key_id.as_str())
    );
    assert_eq!(audited.get::<Option<String>, _>("actor_user_id"), None);
    assert!(audited
        .get::<String, _>("actor_label")
        .contains("BI nocturno"));

    // The next cut brings the same records: nothing new.
    let again = post(
        &app,
        &key,
        form(
            &with_mapping(&[]),
            Some(("base.csv", BASE.as_bytes())),
            "a5",
        ),
        &[],
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(counts(&json(&again)), (0, 2, 0));
    assert_eq!(db.count("recovery_cases").await, 2);

    // XLSX by content, headers recognized by themselves (no mapping sent).
    let book = xlsx(&[
        &["Cuenta", "Nombre", "Telefono", "NPS", "Id Encuesta"],
        &["9301", "Elsa Mora", "3154445566", "5", "X-1"],
    ]);
    let from_excel = post(
        &app,
        &key,
        form(&[], Some(("corte.xlsx", &book)), "a6"),
        &[],
    )
    .await;
    assert_eq!(
        from_excel.status,
        StatusCode::CREATED,
        "{}",
        from_excel.body
    );
    let from_excel = json(&from_excel);
    assert_eq!(from_excel["format"], "XLSX");
    assert_eq!(counts(&from_excel), (1, 0, 0));

    // When the person answering for the key stops being staff who may import, it stops too.
    sqlx::query("UPDATE users SET role = 'asesor' WHERE id = $1")
        .bind(&boss.id)
        .execute(&db.pool)
        .await
        .unwrap();
    let demoted = post(
        &app,
        &key,
        form(
            &with_mapping(&[]),
            Some(("base.csv", BASE.as_bytes())),
            "a7",
        ),
        &[],
    )
    .await;
    problem(&demoted, StatusCode::FORBIDDEN, "sin-permiso");
    assert_eq!(db.count("recovery_cases").await, 3);
}

async fn api_bad_rows_import_nothing_unless_skipped_and_retries_are_idempotent(db: TestDb) {
    let app = App::new(&db);
    let boss = member(&db, Role::Admin, "Sofía Supervisora", "sofia@equipo.co").await;
    member(&db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let (_, key) = import_key(&db, &boss.id).await;

    let bad = post(
        &app,
        &key,
        form(
            &with_mapping(&[]),
            Some(("base.csv", WITH_BAD_ROW.as_bytes())),
            "b1",
        ),
        &[],
    )
    .await;
    let body = problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "filas-invalidas");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["row"], 3);
    assert_eq!(errors[0]["column"], "Línea");
    assert_eq!(errors[0]["pointer"], "file");
    assert!(errors[0]["detail"]
        .as_str()
        .unwrap()
        .starts_with("Teléfono"));
    assert_eq!(db.count("recovery_cases").await, 0);
    assert_eq!(db.count("detractor_imports").await, 0);

    // Skipping the bad rows imports the good one; a retry with the same Idempotency-Key
    // (new boundary) gets the first answer back and imports nothing.
    let skip = with_mapping(&[("skip_bad_rows", "true")]);
    let first = post(
        &app,
        &key,
        form(&skip, Some(("base.csv", WITH_BAD_ROW.as_bytes())), "b2"),
        &[("idempotency-key", "corte-2026-11-25")],
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let first_body = json(&first);
    assert_eq!(counts(&first_body), (1, 0, 1));
    assert_eq!(first_body["errors"][0]["row"], 3);
    let retry = post(
        &app,
        &key,
        form(
            &skip,
            Some(("base.csv", WITH_BAD_ROW.as_bytes())),
            "b3-otro",
        ),
        &[("idempotency-key", "corte-2026-11-25")],
    )
    .await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.headers["idempotency-replayed"], "true");
    assert_eq!(json(&retry), first_body);
    assert_eq!(db.count("recovery_cases").await, 1);
    assert_eq!(db.count("detractor_imports").await, 1);

    // The same Idempotency-Key for another file is refused.
    let other = post(
        &app,
        &key,
        form(&skip, Some(("base.csv", BASE.as_bytes())), "b4"),
        &[("idempotency-key", "corte-2026-11-25")],
    )
    .await;
    problem(
        &other,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotencia-reutilizada",
    );
    assert_eq!(db.count("recovery_cases").await, 1);

    // A flag that is not a boolean, or a part that does not exist, is named.
    let odd = post(
        &app,
        &key,
        form(
            &[("skip_bad_rows", "quizás")],
            Some(("base.csv", BASE.as_bytes())),
            "b5",
        ),
        &[],
    )
    .await;
    let odd = problem(&odd, StatusCode::UNPROCESSABLE_ENTITY, "datos-invalidos");
    assert_eq!(odd["errors"][0]["pointer"], "skip_bad_rows");
    let unknown = post(
        &app,
        &key,
        form(
            &[("column_edad", "Edad")],
            Some(("base.csv", BASE.as_bytes())),
            "b6",
        ),
        &[],
    )
    .await;
    problem(
        &unknown,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    let missing = post(&app, &key, form(&with_mapping(&[]), None, "b7"), &[]).await;
    let missing = problem(
        &missing,
        StatusCode::UNPROCESSABLE_ENTITY,
        "datos-invalidos",
    );
    assert_eq!(missing["errors"][0]["pointer"], "file");
    assert_eq!(db.count("recovery_cases").await, 1);
}

async fn api_survey_import_refuses_what_is_not_a_base(db: TestDb) {
    let app = App::new(&db);
    let boss = member(
        &db,
        Role::Supervisor,
        "Sofía Supervisora",
        "sofia@equipo.co",
    )
    .await;
    let (_, key) = import_key(&db, &boss.id).await;

    // Not multipart at all.
    let as_json = post(
        &app,
        &key,
        ("application/json".to_string(), b"{}".to_vec()),
        &[],
    )
    .await;
    problem(
        &as_json,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "tipo-no-soportado",
    );
    // A program, an old .xls, and a ZIP disguised as .csv: 415 by content.
    for (name, bytes) in [
        (
            "base.csv",
            &b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff"[..],
        ),
        (
            "base.xls",
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
        ),
        ("base.csv", &b"PK\x03\x04\x14\x00\x00\x00"[..]),
    ] {
        let reply = post(
            &app,
            &key,
            form(&with_mapping(&[]), Some((name, bytes)), "c1"),
            &[],
        )
        .await;
        let body = problem(
            &reply,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "tipo-no-soportado",
        );
        assert!(!body["detail"].as_str().unwrap().is_empty());
    }
    // Just over the limit, and far over it (cut off while reading).
    let mut big = BASE.as_bytes().to_vec();
    big.resize(MAX_BYTES + 1, b'\n');
    let reply = post(
        &app,
        &key,
        form(&with_mapping(&[]), Some(("base.csv", &big)), "c2"),
        &[],
    )
    .await;
    let body = problem(&reply, StatusCode::PAYLOAD_TOO_LARGE, "demasiado-grande");
    assert!(body["detail"].as_str().unwrap().contains("5 MB"));
    big.resize(MAX_BYTES * 2, b'\n');
    let reply = post(
        &app,
        &key,
        form(&with_mapping(&[]), Some(("base.csv", &big)), "c3"),
        &[],
    )
    .await;
    problem(&reply, StatusCode::PAYLOAD_TOO_LARGE, "demasiado-grande");
    assert_eq!(db.count("recovery_cases").await, 0);
    assert_eq!(db.count("detractor_imports").await, 0);

    // The operation is in the published document and on the reference page.
    let doc = app.get("/api/v1/openapi.json").await;
    let doc: Value = serde_json::from_str(&doc.body).unwrap();
    let op = &doc["paths"]["/api/v1/survey-imports"]["post"];
    assert!(op["responses"]["415"].is_object());
    assert!(op["requestBody"]["content"]["multipart/form-data"].is_object());
    let reference = app.get("/api/v1/referencia").await;
    assert!(reference.body.contains("/api/v1/survey-imports"));
    assert!(reference.body.contains("problema-filas-invalidas"));
}

on_both_databases!(
    api_imports_a_mapped_base_once_and_names_the_key,
    api_bad_rows_import_nothing_unless_skipped_and_retries_are_idempotent,
    api_survey_import_refuses_what_is_not_a_base,
);
