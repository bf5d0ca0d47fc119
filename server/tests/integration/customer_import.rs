//! Customer accounts from the ERP (issue 19: "import of 1,000 accounts with 3 bad rows"),
//! through the staff pages and through `POST /api/v1/customers/imports`, on SQLite and
//! PostgreSQL: bad rows import nothing, a dry run writes nothing, skipping imports the rest
//! in one transaction, a known customer's data changes (audited) while their filed requests
//! keep their tier, and an imported customer who registers takes their account.

use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::Value;
use sqlx::Row;
use ventanilla::role::Role;

use crate::api::key;
use crate::detractor_import::xlsx;
use crate::support::{customer, file_reclamo, staff, App, Reply, TestDb};

/// The document the portal customer registered with (`support::registration` is CC).
const KNOWN: &str = "1020304050";

/// 1,000 data rows: the known customer made VIP, 996 new accounts, and 3 bad rows (a NIT
/// with a wrong check digit, a negative contract, an unknown service state).
fn erp_export() -> String {
    let mut csv = String::from(
        "Tipo de documento;Número de documento;Razón social;Valor contrato;Estado;Pagos al día;Tipo de cuenta;Segmento\n",
    );
    csv.push_str(&format!(
        "CC;{KNOWN};María Fernanda Ortiz;30.000.000;Activo;Sí;;\n"
    ));
    for n in 0..996u64 {
        let status = if n % 10 == 0 { "Cancelado" } else { "Activo" };
        let kind = if n % 7 == 0 { "Pyme" } else { "Normal" };
        csv.push_str(&format!(
            "CC;{};Cliente Importado {n};{};{status};{};{kind};hogar\n",
            80_000_000 + n,
            if n % 3 == 0 { "2.700.000" } else { "" },
            if n % 5 == 0 { "No" } else { "Sí" },
        ));
    }
    csv.push_str("NIT;900123456-1;Ferretería Andina SAS;;;;;\n");
    csv.push_str("CC;70111222;Pedro Pérez;-5000;;;;\n");
    csv.push_str("CC;70111333;Lucía Gómez;;Vendido;;;\n");
    csv
}

fn json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

fn counts(report: &Value) -> [u64; 4] {
    ["created", "updated", "unchanged", "skipped"].map(|k| report[k].as_u64().unwrap())
}

async fn tiers(db: &TestDb) -> Vec<String> {
    sqlx::query("SELECT tier FROM requests ORDER BY received_at, radicado")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get("tier"))
        .collect()
}

async fn a_thousand_accounts_with_three_bad_rows_through_the_staff_pages(db: TestDb) {
    let app = App::new(&db);
    let boss = staff(
        &app,
        &db,
        Role::Supervisor,
        "Sara Supervisora",
        "sara@equipo.co",
    )
    .await;
    let agent = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let known = customer(&app, KNOWN, "maria@correo.co").await;
    file_reclamo(&app, &known, "t-1").await;
    assert_eq!(tiers(&db).await, ["flotante"]);

    let staged = app
        .multipart(
            "/equipo/clientes/importar/archivo",
            &[],
            &[("clientes.csv", erp_export().into_bytes())],
            &boss.cookie,
        )
        .await;
    assert_eq!(staged.status, StatusCode::SEE_OTHER, "{}", staged.body);
    let location = staged.headers["location"].to_str().unwrap().to_string();
    let id = location
        .strip_prefix("/equipo/clientes/importar?archivo=")
        .unwrap_or_else(|| panic!("{location}"))
        .to_string();
    // An asesor reads customers but does not import them.
    let refused = app
        .multipart(
            "/equipo/clientes/importar/archivo",
            &[],
            &[("clientes.csv", erp_export().into_bytes())],
            &agent.cookie,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let preview = app
        .call(
            "equipo/clientes/importacion",
            &[("id", &id)],
            Some(&boss.cookie),
        )
        .await;
    let preview = json(&preview);
    assert_eq!(preview["preview"]["total_rows"], 1000);
    let suggested: Vec<(String, String)> = preview["preview"]["suggested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["field"].as_str().unwrap().into(),
                m["column"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(suggested.len(), 8, "every column recognized: {suggested:?}");

    let mut form: Vec<(String, String)> = vec![("id".into(), id.clone())];
    form.extend(
        suggested
            .iter()
            .map(|(f, c)| (format!("mapping[{f}]"), c.clone())),
    );
    let with = |extra: &[(&str, &str)]| {
        let mut all = form.clone();
        all.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        all
    };
    let call = |fields: Vec<(String, String)>| {
        let app = &app;
        let cookie = boss.cookie.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            app.call("equipo/clientes/importar-base", &pairs, Some(&cookie))
                .await
        }
    };
    let accounts_before = db.count("accounts").await;

    // Bad rows: nothing is written, and every error is named by row and column.
    let report = json(&call(with(&[])).await);
    assert_eq!(report["imported"], false);
    let errors = report["errors"].as_array().unwrap();
    let rows: Vec<u64> = errors.iter().map(|e| e["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, [999, 1000, 1001]);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("dígito de verificación"));
    assert!(errors[1]["message"].as_str().unwrap().contains("negativo"));
    assert_eq!(errors[2]["column"], "Estado");
    assert_eq!(db.count("accounts").await, accounts_before);

    // A dry run counts exactly what the import would do, and writes nothing.
    let report = json(&call(with(&[("skip_bad_rows", "si"), ("dry_run", "si")])).await);
    assert_eq!(
        (report["imported"].clone(), report["dry_run"].clone()),
        (false.into(), true.into())
    );
    assert_eq!(counts(&report), [996, 1, 0, 3]);
    assert_eq!(db.count("accounts").await, accounts_before);
    assert_eq!(db.count("customer_imports").await, 0);

    let report = json(&call(with(&[("skip_bad_rows", "si")])).await);
    assert_eq!(report["imported"], true, "{report}");
    assert_eq!(counts(&report), [996, 1, 0, 3]);
    assert_eq!(db.count("accounts").await, accounts_before + 996);
    assert_eq!(db.count("customer_imports").await, 1);
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'cliente_importado'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("n");
    assert_eq!(audited, 996);
    let change = sqlx::query(
        "SELECT e.detail FROM audit_events e JOIN accounts a ON a.id = e.entity_id \
         WHERE e.action = 'cliente_datos_comerciales' AND a.document_key = $1",
    )
    .bind(KNOWN)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let details: Value = serde_json::from_str(&change.get::<String, _>("detail")).unwrap();
    assert_eq!(details["tier_before"], "flotante");
    assert_eq!(details["tier_after"], "vip");
    assert!(details["reason"].as_str().unwrap().contains("clientes.csv"));

    // The filed request keeps its tier; the next filing is VIP.
    file_reclamo(&app, &known, "t-2").await;
    assert_eq!(tiers(&db).await, ["flotante", "vip"]);

    // The same file again changes nothing.
    let report = json(&call(with(&[("skip_bad_rows", "si")])).await);
    assert_eq!(counts(&report), [0, 0, 997, 3]);

    // An imported customer registers with their document and takes the account, with the
    // data the ERP gave (row n = 0: cancelled, contract 2.700.000).
    let imported_id: String =
        sqlx::query("SELECT id FROM accounts WHERE document_key = '80000000'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("id");
    let search = json(
        &app.call("equipo/clientes", &[("q", "80000000")], Some(&boss.cookie))
            .await,
    );
    assert_eq!(search[0]["registered"], false);
    assert_eq!(search[0]["blocked"], false);
    let newcomer = customer(&app, "80000000", "importado@correo.co").await;
    let holder: String =
        sqlx::query("SELECT account_id FROM users WHERE email = 'importado@correo.co'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("account_id");
    assert_eq!(holder, imported_id);
    assert_eq!(db.count("accounts").await, accounts_before + 996);
    file_reclamo(&app, &newcomer, "t-3").await;
    let guaranteed: i64 = sqlx::query("SELECT ans_guaranteed FROM requests WHERE account_id = $1")
        .bind(&imported_id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("ans_guaranteed");
    assert_eq!(guaranteed, 0, "a cancelled service has no ANS guarantee");
    // Now the document is taken.
    let again = app
        .call(
            "registro",
            &crate::support::pairs(&crate::support::registration("80000000", "otro@correo.co")),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
}

fn form(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----clientes-erp";
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

async fn post(app: &App, key: &str, (content_type, body): (String, Vec<u8>)) -> Reply {
    let request = Request::builder()
        .method("POST")
        .uri("/api/v1/customers/imports")
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

async fn the_erp_sends_its_accounts_through_the_api(db: TestDb) {
    let app = App::new(&db);
    let writer = key(&db, &["customers:write"], 100).await;
    let reader = key(&db, &["customers:read"], 100).await;
    let sheet = xlsx(&[
        &[
            "tipo_documento",
            "documento",
            "nombre",
            "contrato",
            "estado",
            "pagos al dia",
        ],
        &[
            "NIT",
            "900123456-8",
            "Ferretería Andina SAS",
            "30000000",
            "activo",
            "si",
        ],
        &["CC", "52123456", "Rosa Díaz", "0", "suspendido", "no"],
    ]);

    let refused = post(&app, &reader, form(&[], Some(("clientes.xlsx", &sheet)))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let disguised = post(&app, &writer, form(&[], Some(("clientes.csv", &sheet)))).await;
    assert_eq!(
        disguised.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        disguised.body
    );

    let dry = post(
        &app,
        &writer,
        form(&[("dry_run", "true")], Some(("clientes.xlsx", &sheet))),
    )
    .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    let dry = json(&dry);
    assert_eq!(
        (dry["format"].as_str(), counts(&dry)),
        (Some("XLSX"), [2, 0, 0, 0])
    );
    assert_eq!(db.count("accounts").await, 0);

    let done = post(&app, &writer, form(&[], Some(("clientes.xlsx", &sheet)))).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    assert_eq!(counts(&json(&done)), [2, 0, 0, 0]);
    let read = crate::api::send(
        &app,
        "GET",
        "/api/v1/customers/NIT/900123456-8",
        Some(&reader),
        None,
        &[],
    )
    .await;
    let read = json(&read);
    assert_eq!(
        (read["tier"].as_str(), read["ans_guaranteed"].as_bool()),
        (Some("vip"), Some(true))
    );
    let read = crate::api::send(
        &app,
        "GET",
        "/api/v1/customers/CC/52123456",
        Some(&reader),
        None,
        &[],
    )
    .await;
    let read = json(&read);
    assert_eq!(read["service_status"], "suspendido");
    assert_eq!(read["ans_guaranteed"], false);

    // A wrong check digit: 422 with the row, nothing written.
    let bad = "tipo_documento;documento;nombre;estado\nNIT;900123456-1;Otra SAS;activo\nCC;52123456;Rosa Díaz;activo\n";
    let reply = post(
        &app,
        &writer,
        form(&[], Some(("clientes.csv", bad.as_bytes()))),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let problem = json(&reply);
    assert_eq!(problem["errors"][0]["row"], 2);
    let status: String =
        sqlx::query("SELECT service_status FROM accounts WHERE document_key = '52123456'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("service_status");
    assert_eq!(status, "suspendido");
    let history: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM customer_imports WHERE imported_by IS NULL AND imported_by_api_key_id IS NOT NULL",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(history, 1);
}

on_both_databases!(
    a_thousand_accounts_with_three_bad_rows_through_the_staff_pages,
    the_erp_sends_its_accounts_through_the_api,
);
