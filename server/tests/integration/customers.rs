//! Staff keep the customers' data (issue 19): find a customer, read the 360 view, change the
//! commercial data that sets tier and ANS guarantee (audited, with a reason, conflict-safe),
//! block web access, write notes; and the same data through the REST API.

use http::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;
use ventanilla::role::Role;

use crate::api::{key, parsed, send};
use crate::support::{customer, staff, App, TestDb};

async fn file(app: &App, cookie: &str, token: &str) -> StatusCode {
    crate::support::try_file_reclamo(app, cookie, token)
        .await
        .status
}

/// (tier, ans_guaranteed) of the requests, oldest first.
async fn filed_standings(db: &TestDb) -> Vec<(String, i64)> {
    sqlx::query("SELECT tier, ans_guaranteed FROM requests ORDER BY received_at, radicado")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get("tier"), row.get("ans_guaranteed")))
        .collect()
}

fn view_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
}

async fn save(
    app: &App,
    cookie: &str,
    id: &str,
    revision: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let mut form = vec![
        ("account_id", id),
        ("monthly_contract_cop", ""),
        ("service_status", "activo"),
        ("payments_up_to_date", "si"),
        ("kind", "normal"),
        ("segment", "hogar"),
        ("revision", revision),
        ("reason", "Contrato firmado en noviembre"),
    ];
    for (name, value) in fields {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    let reply = app
        .call("equipo/clientes/comercial", &form, Some(cookie))
        .await;
    (reply.status.as_u16(), reply.body)
}

async fn staff_find_a_customer_change_their_data_and_block_them(db: TestDb) {
    let app = App::new(&db);
    let supervisor = staff(
        &app,
        &db,
        Role::Supervisor,
        "Sara Supervisora",
        "sara@equipo.co",
    )
    .await;
    let asesor = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let calidad = staff(&app, &db, Role::Calidad, "Carla Calidad", "carla@equipo.co").await;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let _otro = customer(&app, "79888777", "luis@correo.co").await;
    assert_eq!(file(&app, &ana, "c-1").await, StatusCode::OK);

    // Found by document (as people type it), e-mail, mobile and part of the name.
    for words in ["1.020.304.050", "ANA@correo.co"] {
        let reply = app
            .call("equipo/clientes", &[("q", words)], Some(&asesor.cookie))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let rows = view_of(&reply.body);
        assert_eq!(rows.as_array().unwrap().len(), 1, "{words}: {}", reply.body);
        assert_eq!(rows[0]["document"], "CC 1020304050");
        assert_eq!(rows[0]["tier"], "Flotante");
        assert_eq!(rows[0]["open_requests"], 1);
    }
    // Both test customers registered with the same mobile.
    let by_phone = app
        .call(
            "equipo/clientes",
            &[("q", "310 555 1234")],
            Some(&asesor.cookie),
        )
        .await;
    assert_eq!(view_of(&by_phone.body).as_array().unwrap().len(), 2);
    let by_name = app
        .call(
            "equipo/clientes",
            &[("q", "fernanda")],
            Some(&asesor.cookie),
        )
        .await;
    assert_eq!(view_of(&by_name.body).as_array().unwrap().len(), 2);
    // Names are found by the starts of their words, in any order, accents ignored.
    for (words, expected) in [
        ("fern", 2),
        ("ORTIZ maría", 2),
        ("ernanda", 0),
        ("maria 7", 0),
        ("a%", 0),
    ] {
        let reply = app
            .call("equipo/clientes", &[("q", words)], Some(&asesor.cookie))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(
            view_of(&reply.body).as_array().unwrap().len(),
            expected,
            "{words}"
        );
    }
    // Quality and customers do not browse customers.
    for cookie in [&calidad.cookie, &ana] {
        let reply = app
            .call("equipo/clientes", &[("q", "ana")], Some(cookie))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    }

    let id: String = sqlx::query("SELECT id FROM accounts WHERE document_number = '1020304050'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id");
    let view = view_of(
        &app.call("equipo/clientes/ver", &[("id", &id)], Some(&asesor.cookie))
            .await
            .body,
    );
    assert_eq!(view["requests"].as_array().unwrap().len(), 1);
    assert_eq!(view["may_manage"], false);
    assert_eq!(view["contacts_count"], 1);
    let revision = view["commercial"]["revision"].to_string();

    // An asesor reads but does not change commercial data.
    let (status, _) = save(
        &app,
        &asesor.cookie,
        &id,
        &revision,
        &[("monthly_contract_cop", "30.000.000")],
    )
    .await;
    assert_eq!(status, 403);

    // Bad input: a clear message, nothing changed.
    let audits = db.count("audit_events").await;
    for (fields, expected) in [
        (vec![("monthly_contract_cop", "-5")], "negativo"),
        (
            vec![("monthly_contract_cop", "treinta")],
            "solo con números",
        ),
        (vec![("service_status", "borrado")], "estado del servicio"),
        (vec![("kind", "vip")], "tipo de cuenta"),
        (vec![("segment", "<script>")], "segmento"),
        (vec![("reason", "")], "motivo"),
    ] {
        let (status, body) = save(&app, &supervisor.cookie, &id, &revision, &fields).await;
        assert_eq!(status, 422, "{fields:?}: {body}");
        assert!(body.contains(expected), "{fields:?}: {body}");
    }
    assert_eq!(db.count("audit_events").await, audits);

    // The supervisor makes the customer VIP: the next filing gets VIP clocks, the old request
    // keeps its own.
    let (status, body) = save(
        &app,
        &supervisor.cookie,
        &id,
        &revision,
        &[("monthly_contract_cop", "30.000.000")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("VIP"), "{body}");
    // A second save from the same (now stale) form is a conflict, not an overwrite.
    let (status, body) = save(
        &app,
        &supervisor.cookie,
        &id,
        &revision,
        &[("kind", "pyme")],
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(file(&app, &ana, "c-2").await, StatusCode::OK);
    assert_eq!(
        filed_standings(&db).await,
        vec![("flotante".to_string(), 1), ("vip".to_string(), 1)]
    );
    let event = sqlx::query(
        "SELECT actor_label, detail FROM audit_events WHERE action = 'cliente_datos_comerciales'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(event.get::<String, _>("actor_label"), "Sara Supervisora");
    let detail: Value = serde_json::from_str(&event.get::<String, _>("detail")).unwrap();
    assert_eq!(detail["before"]["monthly_contract_cop"], Value::Null);
    assert_eq!(detail["after"]["monthly_contract_cop"], 30_000_000);
    assert_eq!(detail["tier_after"], "vip");
    assert_eq!(detail["reason"], "Contrato firmado en noviembre");

    // A cancelled service: the next filing carries no guarantee.
    let revision = view_of(
        &app.call(
            "equipo/clientes/ver",
            &[("id", &id)],
            Some(&supervisor.cookie),
        )
        .await
        .body,
    )["commercial"]["revision"]
        .to_string();
    let (status, body) = save(
        &app,
        &supervisor.cookie,
        &id,
        &revision,
        &[
            ("monthly_contract_cop", "30000000"),
            ("service_status", "cancelado"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("sin garantía"), "{body}");
    assert_eq!(file(&app, &ana, "c-3").await, StatusCode::OK);
    assert_eq!(filed_standings(&db).await[2], ("vip".to_string(), 0));

    // Notes of relevant information, by anyone who reads customers.
    let empty = app
        .call(
            "equipo/clientes/nota",
            &[("account_id", &id), ("body", " ")],
            Some(&asesor.cookie),
        )
        .await;
    assert_eq!(empty.status.as_u16(), 422);
    let noted = app
        .call(
            "equipo/clientes/nota",
            &[
                ("account_id", &id),
                ("body", "Cambió de titular: ahora responde su hermano."),
            ],
            Some(&asesor.cookie),
        )
        .await;
    assert_eq!(noted.status, StatusCode::OK, "{}", noted.body);
    let view = view_of(
        &app.call(
            "equipo/clientes/ver",
            &[("id", &id)],
            Some(&supervisor.cookie),
        )
        .await
        .body,
    );
    assert_eq!(view["notes"][0]["author"], "Andrés Asesor");
    assert_eq!(view["tier"], "VIP");
    assert_eq!(view["ans_guaranteed"], false);
    assert_eq!(view["requests"].as_array().unwrap().len(), 3);
    assert_eq!(view["may_manage"], true);

    // Blocking web access: the session ends at once, signing in says why, history stays.
    let block = |blocked: &'static str, reason: &'static str| {
        let (app, cookie, id) = (&app, supervisor.cookie.clone(), id.clone());
        async move {
            let reply = app
                .call(
                    "equipo/clientes/acceso",
                    &[
                        ("account_id", &id),
                        ("blocked", blocked),
                        ("reason", reason),
                    ],
                    Some(&cookie),
                )
                .await;
            (reply.status.as_u16(), reply.body)
        }
    };
    let asesor_try = app
        .call(
            "equipo/clientes/acceso",
            &[
                ("account_id", &id),
                ("blocked", "si"),
                ("reason", "Suplantación"),
            ],
            Some(&asesor.cookie),
        )
        .await;
    assert_eq!(asesor_try.status, StatusCode::FORBIDDEN);
    assert_eq!(block("si", "").await.0, 422);
    assert_eq!(
        block("si", "Suplantación reportada por el titular").await.0,
        200
    );
    assert_eq!(block("si", "Otra vez").await.0, 409);
    assert_eq!(file(&app, &ana, "c-4").await, StatusCode::UNAUTHORIZED);
    let refused = app
        .call(
            "ingresar",
            &[("login", "ana@correo.co"), ("password", "clave-segura-1")],
            None,
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    assert!(refused.body.contains("bloqueado"), "{}", refused.body);
    let wrong = app
        .call(
            "ingresar",
            &[("login", "ana@correo.co"), ("password", "otra-clave-9")],
            None,
        )
        .await;
    assert!(
        !wrong.body.contains("bloqueado"),
        "only the password holder learns it"
    );
    assert_eq!(block("no", "El titular confirmó su identidad").await.0, 200);
    let again = app
        .call(
            "ingresar",
            &[("login", "ana@correo.co"), ("password", "clave-segura-1")],
            None,
        )
        .await;
    assert!(again.session_cookie().is_some(), "{}", again.body);
    assert_eq!(filed_standings(&db).await.len(), 3);
}

async fn the_erp_reads_and_updates_a_customer_through_the_api(db: TestDb) {
    let app = App::new(&db);
    customer(&app, "1020304050", "ana@correo.co").await;
    let reader = key(&db, &["customers:read"], 600).await;
    let writer = key(&db, &["customers:read", "customers:write"], 600).await;
    let path = "/api/v1/customers/CC/1.020.304.050";

    let read = send(&app, "GET", path, Some(&reader), None, &[]).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let body = parsed(&read);
    assert_eq!(body["tier"], "flotante");
    assert_eq!(body["ans_guaranteed"], true);
    assert_eq!(body["monthly_contract_cop"], Value::Null);
    let missing = send(
        &app,
        "GET",
        "/api/v1/customers/CC/999",
        Some(&reader),
        None,
        &[],
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let patch = |key: &str, body: Value| {
        let key = key.to_string();
        let app = &app;
        async move {
            send(
                app,
                "PATCH",
                path,
                Some(&key),
                Some(("application/json", body.to_string().into_bytes())),
                &[],
            )
            .await
        }
    };
    let audits = db.count("audit_events").await;
    assert_eq!(
        patch(&reader, json!({ "monthly_contract_cop": 30000000 }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    for bad in [
        json!({ "monthly_contract_cop": -1 }),
        json!({ "service_status": "borrado" }),
        json!({ "kind": "platino" }),
        json!({ "segment": "" }),
        json!({ "tier": "vip" }),
        json!({}),
    ] {
        let reply = patch(&writer, bad.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            reply.body
        );
        assert_eq!(reply.headers["content-type"], "application/problem+json");
    }
    assert_eq!(db.count("audit_events").await, audits);

    let changed = patch(
        &writer,
        json!({ "monthly_contract_cop": 30000000, "payments_up_to_date": false, "kind": "pyme", "segment": "Empresa" }),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let body = parsed(&changed);
    assert_eq!(body["tier"], "vip");
    assert_eq!(body["ans_guaranteed"], false);
    assert_eq!(body["kind"], "pyme");
    assert_eq!(body["segment"], "empresa");
    assert_eq!(body["revision"], 2);
    let actor: String = sqlx::query(
        "SELECT actor_label FROM audit_events WHERE action = 'cliente_datos_comerciales'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("actor_label");
    assert_eq!(actor, "Integración de prueba");

    // null removes the contract: Flotante again.
    let flotante = patch(
        &writer,
        json!({ "monthly_contract_cop": null, "reason": "Terminó el contrato" }),
    )
    .await;
    assert_eq!(parsed(&flotante)["tier"], "flotante");
}

/// The radicados the queue `queue` shows `cookie` for `search`.
async fn in_queue(app: &App, cookie: &str, queue: &str, search: &str) -> Vec<String> {
    let reply = app
        .call(
            "equipo/cola",
            &[("queue", queue), ("search", search)],
            Some(cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let view = view_of(&reply.body);
    assert_eq!(view["current"], queue, "{}", reply.body);
    view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["radicado"].as_str().unwrap().to_string())
        .collect()
}

async fn closed_requests_are_found_by_radicado_document_and_text(db: TestDb) {
    let app = App::new(&db);
    let asesor = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    assert_eq!(file(&app, &ana, "z-1").await, StatusCode::OK);
    assert_eq!(file(&app, &ana, "z-2").await, StatusCode::OK);
    let radicados: Vec<String> = sqlx::query("SELECT radicado FROM requests ORDER BY radicado")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get("radicado"))
        .collect();
    let closed = app
        .call("portal/cerrar", &[("radicado", &radicados[0])], Some(&ana))
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);

    // The closed one is in no work queue, and in "Cerradas" by radicado, document or text.
    assert_eq!(
        in_queue(&app, &asesor.cookie, "sin_asignar", "").await,
        vec![radicados[1].clone()]
    );
    for search in [radicados[0].as_str(), "1020304050", "dos veces"] {
        assert_eq!(
            in_queue(&app, &asesor.cookie, "cerradas", search).await,
            vec![radicados[0].clone()],
            "{search}"
        );
    }
    assert!(in_queue(&app, &asesor.cookie, "cerradas", &radicados[1])
        .await
        .is_empty());
    let view = view_of(
        &app.call(
            "equipo/cola",
            &[("queue", "cerradas")],
            Some(&asesor.cookie),
        )
        .await
        .body,
    );
    let closed_queue = view["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["code"] == "cerradas")
        .unwrap()
        .clone();
    assert_eq!(closed_queue["label"], "Cerradas");
    assert_eq!(
        closed_queue["count"],
        Value::Null,
        "history is not counted on every page"
    );
}

/// Issue 19: "several contacts per company account (a NIT with people who may file for it)".
async fn a_company_account_gets_several_contacts(db: TestDb) {
    let app = App::new(&db);
    let supervisor = staff(
        &app,
        &db,
        Role::Supervisor,
        "Sara Supervisora",
        "sara@equipo.co",
    )
    .await;
    let asesor = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let company = crate::support::changed(
        &crate::support::changed(
            &crate::support::registration("900123456-8", "gerencia@andina.co"),
            "document_type",
            Some("NIT"),
        ),
        "full_name",
        Some("Ferretería Andina SAS"),
    );
    let registered = app
        .call("registro", &crate::support::pairs(&company), None)
        .await;
    assert!(registered.session_cookie().is_some(), "{}", registered.body);
    let account_id: String =
        sqlx::query("SELECT account_id FROM users WHERE email = 'gerencia@andina.co'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("account_id");
    let add = |cookie: String, email: &'static str, consent: &'static str| {
        let app = &app;
        let account_id = account_id.clone();
        async move {
            app.call(
                "equipo/clientes/contacto",
                &[
                    ("account_id", account_id.as_str()),
                    ("full_name", "Julián Compras"),
                    ("email", email),
                    ("phone", "3105551234"),
                    ("channel", "telefono"),
                    ("consent", consent),
                ],
                Some(&cookie),
            )
            .await
        }
    };

    let added = add(supervisor.cookie.clone(), "compras@andina.co", "si").await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert!(
        added
            .body
            .contains("Le enviamos a compras@andina.co un enlace para crear su contraseña"),
        "{}",
        added.body
    );
    let holders: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE account_id = $1")
        .bind(&account_id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(holders, 2);
    let link: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'crear_contrasena' AND recipient = 'compras@andina.co'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(link, 1);
    let consent: String = sqlx::query(
        "SELECT c.channel FROM data_consents c JOIN users u ON u.id = c.user_id WHERE u.email = 'compras@andina.co'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("channel");
    assert_eq!(consent, "telefono");
    let page = view_of(
        &app.call(
            "equipo/clientes/ver",
            &[("id", &account_id)],
            Some(&supervisor.cookie),
        )
        .await
        .body,
    );
    let names: Vec<&str> = page["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["full_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Julián Compras"), "{names:?}");

    // Refusals change nothing: a taken e-mail, no authorization, an asesor, a blocked account.
    let users = db.count("users").await;
    let taken = add(supervisor.cookie.clone(), "compras@andina.co", "si").await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
    let unauthorized = add(supervisor.cookie.clone(), "otro@andina.co", "no").await;
    assert_eq!(
        unauthorized.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unauthorized.body
    );
    assert!(
        unauthorized.body.contains("Ley 1581"),
        "{}",
        unauthorized.body
    );
    let refused = add(asesor.cookie.clone(), "otro@andina.co", "si").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let blocked = app
        .call(
            "equipo/clientes/acceso",
            &[
                ("account_id", &account_id),
                ("blocked", "si"),
                ("reason", "Cartera castigada"),
            ],
            Some(&supervisor.cookie),
        )
        .await;
    assert_eq!(blocked.status, StatusCode::OK, "{}", blocked.body);
    let while_blocked = add(supervisor.cookie.clone(), "otro@andina.co", "si").await;
    assert_eq!(
        while_blocked.status,
        StatusCode::CONFLICT,
        "{}",
        while_blocked.body
    );
    assert!(
        while_blocked.body.contains("bloqueado"),
        "{}",
        while_blocked.body
    );
    assert_eq!(db.count("users").await, users);
}

on_both_databases!(
    a_company_account_gets_several_contacts,
    closed_requests_are_found_by_radicado_document_and_text,
    staff_find_a_customer_change_their_data_and_block_them,
    the_erp_reads_and_updates_a_customer_through_the_api,
);
