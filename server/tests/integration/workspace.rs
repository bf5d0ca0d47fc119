//! An agent works a request end to end through the server functions: take, internal note,
//! ask the customer, answer; the customer sees what is public and nothing else.

use http::StatusCode;
use sqlx::Row;
use ventanilla::role::Role;
use ventanilla_app::platform::audit::Actor;

use ventanilla_app::dev::demo::DEMO_PASSWORD;

use crate::support::{pairs, registration, App, TestDb};

async fn an_agent_works_a_request_and_the_customer_sees_only_public_messages(db: TestDb) {
    let app = App::new(&db);
    let ana = app
        .call(
            "registro",
            &pairs(&registration("1020304050", "ana@correo.co")),
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    ventanilla_app::accounts::server::accounts::create_staff(
        &db.pool,
        &Actor::system("prueba"),
        Role::Asesor,
        "Andrés Asesor",
        "asesor@equipo.co",
        "clave-asesor-1",
    )
    .await
    .unwrap();
    let agent = app
        .call(
            "ingresar",
            &[
                ("login", "asesor@equipo.co"),
                ("password", "clave-asesor-1"),
            ],
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let form = [
        ("request_type", "reclamo"),
        ("subject", "Cobro doble en la factura"),
        ("description", "Me cobraron dos veces el mismo envío."),
        ("submission_token", "ws-1"),
    ];
    let filed = app.multipart("/portal/solicitudes", &form, &[], &ana).await;
    assert_eq!(filed.status, StatusCode::OK);
    let radicado: String = sqlx::query("SELECT radicado FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado");

    let act = |action: &'static str, message: &'static str| {
        let radicado = radicado.clone();
        let agent = agent.clone();
        let app = &app;
        async move {
            app.call(
                "equipo/actuar",
                &[
                    ("radicado", &radicado),
                    ("action", action),
                    ("message", message),
                ],
                Some(&agent),
            )
            .await
        }
    };
    // The customer cannot act as staff.
    let refused = app
        .call(
            "equipo/actuar",
            &[
                ("radicado", &radicado),
                ("action", "answer"),
                ("message", "x"),
            ],
            Some(&ana),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    assert_eq!(act("take", "").await.status, StatusCode::OK);
    assert_eq!(
        act("nota_interna", "Revisar con Facturación el doble cobro.")
            .await
            .status,
        StatusCode::OK
    );
    // Answering requires a message; asking too.
    assert_eq!(
        act("answer", "  ").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        act("ask_customer", "Envíe la factura, por favor.")
            .await
            .status,
        StatusCode::OK
    );
    // Not allowed while waiting on the customer: a clear refusal, nothing changes.
    let early = act("answer", "Ya quedó.").await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(
        early.body.contains("Pendiente del cliente"),
        "{}",
        early.body
    );

    let customer_view = app
        .call("portal/solicitud", &[("radicado", &radicado)], Some(&ana))
        .await;
    assert!(customer_view.body.contains("Envíe la factura, por favor."));
    assert!(
        !customer_view.body.contains("Revisar con Facturación"),
        "internal notes never reach the customer"
    );
    let staff_view = app
        .call("equipo/solicitud", &[("radicado", &radicado)], Some(&agent))
        .await;
    assert!(staff_view.body.contains("Revisar con Facturación"));
    assert!(
        staff_view.body.contains("Andrés Asesor"),
        "assigned on take"
    );

    let reply = app
        .multipart(
            &format!("/portal/solicitudes/{radicado}/responder"),
            &[("message", "Adjunto la factura.")],
            &[],
            &ana,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        act(
            "answer",
            "Reversamos el cobro doble; lo verá en su próxima factura."
        )
        .await
        .status,
        StatusCode::OK
    );
    let row =
        sqlx::query("SELECT state, first_response_at, answered_at, auto_close_at FROM requests")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(row.get::<String, _>("state"), "respondida");
    assert!(row.get::<Option<i64>, _>("first_response_at").is_some());
    assert!(
        row.get::<Option<i64>, _>("auto_close_at").unwrap()
            > row.get::<Option<i64>, _>("answered_at").unwrap()
    );
    let notices: Vec<String> = sqlx::query(
        "SELECT template FROM notification_outbox WHERE channel = 'email' ORDER BY created_at",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.get("template"))
    .collect();
    assert!(
        notices.contains(&"informacion_solicitada".to_string()),
        "{notices:?}"
    );
    assert_eq!(
        notices
            .iter()
            .filter(|t| *t == "seguimiento_publico")
            .count(),
        2,
        "customer reply + answer: {notices:?}"
    );

    let closed = app
        .call("portal/cerrar", &[("radicado", &radicado)], Some(&ana))
        .await;
    assert_eq!(closed.status, StatusCode::OK);
    let after = act("nota_interna", "Una nota tardía").await;
    assert_eq!(
        after.status,
        StatusCode::CONFLICT,
        "a closed request takes nothing more"
    );
    let missing = app
        .call(
            "equipo/solicitud",
            &[("radicado", "2026-999999")],
            Some(&agent),
        )
        .await;
    assert_eq!(missing.body, "null");
}

on_both_databases!(an_agent_works_a_request_and_the_customer_sees_only_public_messages);

async fn queues_count_filter_and_order_by_priority_then_receipt(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let sign_in = |login: &'static str| app.sign_in(login, DEMO_PASSWORD);
    let agent = sign_in("asesor@demo.ventanilla.co").await;
    let queue = |cookie: String, params: Vec<(&'static str, &'static str)>| {
        let app = &app;
        async move {
            let mut form = vec![
                ("queue", ""),
                ("request_type", ""),
                ("priority", ""),
                ("tier", ""),
                ("search", ""),
            ];
            for (k, v) in params {
                form.retain(|(key, _)| *key != k);
                form.push((k, v));
            }
            let reply = app.call("equipo/cola", &form, Some(&cookie)).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            serde_json::from_str::<serde_json::Value>(&reply.body).unwrap()
        }
    };
    let count = |view: &serde_json::Value, code: &str| {
        view["queues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["code"] == code)
            .map(|q| q["count"].as_u64().unwrap())
    };

    let start = queue(agent.clone(), vec![]).await;
    assert_eq!(start["current"], "sin_asignar");
    assert_eq!(count(&start, "sin_asignar"), Some(5));
    assert_eq!(
        count(&start, "todas"),
        None,
        "only supervisors see every request"
    );
    let rows = start["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["priority"], "Alta", "priority first");
    let received: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r["received_at"].as_str().unwrap())
        .collect();
    let mut sorted = received.clone();
    sorted.sort();
    assert_eq!(received, sorted, "then order of receipt, oldest first");

    let found = queue(agent.clone(), vec![("search", "andinos")]).await;
    assert_eq!(found["rows"].as_array().unwrap().len(), 1);
    let by_type = queue(agent.clone(), vec![("request_type", "queja")]).await;
    assert!(by_type["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["request_type"] == "Queja"));
    assert_eq!(by_type["rows"].as_array().unwrap().len(), 1);

    // Every request in "Vencidas" really is past a due, by the same clocks the browser runs.
    let now = chrono::Utc::now().timestamp();
    let overdue = queue(agent.clone(), vec![("queue", "vencidas")]).await;
    for row in overdue["rows"].as_array().unwrap() {
        let timers: Vec<ventanilla_app::timers::TimerData> = ["first_response", "legal_term"]
            .iter()
            .filter_map(|k| serde_json::from_value(row[*k].clone()).ok())
            .collect();
        assert!(timers
            .iter()
            .any(|t| ventanilla_app::timers::read(t, now).status
                == ventanilla::sla::ClockStatus::Breached));
    }

    let radicado = rows[0]["radicado"].as_str().unwrap().to_string();
    let took = app
        .call(
            "equipo/actuar",
            &[("radicado", &radicado), ("action", "take"), ("message", "")],
            Some(&agent),
        )
        .await;
    assert_eq!(took.status, StatusCode::OK);
    let after = queue(agent.clone(), vec![]).await;
    assert_eq!(count(&after, "sin_asignar"), Some(4));
    assert_eq!(count(&after, "mias"), Some(1));
    let mine = queue(agent.clone(), vec![("queue", "mias")]).await;
    assert_eq!(mine["rows"][0]["assignee"], "Andrés Asesor");

    let supervisor = sign_in("supervisor@demo.ventanilla.co").await;
    let all = queue(supervisor, vec![]).await;
    assert_eq!(all["current"], "todas");
    assert_eq!(count(&all, "todas"), Some(5));
}

on_both_databases!(queues_count_filter_and_order_by_priority_then_receipt);

async fn queues_filter_by_category_subcategory_area_and_agent(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let agent = app
        .sign_in("asesor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let supervisor = app
        .sign_in("supervisor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
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
    let radicado_of = |customer: &'static str| {
        let pool = db.pool.clone();
        async move {
            sqlx::query(
                "SELECT r.radicado FROM requests r JOIN accounts a ON a.id = r.account_id WHERE a.name = $1",
            )
            .bind(customer)
            .fetch_one(&pool)
            .await
            .unwrap()
            .get::<String, _>("radicado")
        }
    };
    let pqr = id("SELECT id FROM categories WHERE name = $1", "PQR").await;
    let billing = id(
        "SELECT id FROM subcategories WHERE name = $1",
        "Cobro no reconocido",
    )
    .await;
    let lost = id(
        "SELECT id FROM subcategories WHERE name = $1",
        "Envío extraviado",
    )
    .await;
    let cause = id(
        "SELECT id FROM causes WHERE name = $1",
        "Error de facturación",
    )
    .await;
    let invoicing = id("SELECT id FROM areas WHERE name = $1", "Facturación").await;
    let legal = id("SELECT id FROM areas WHERE name = $1", "Jurídica").await;
    let agent_id = id(
        "SELECT id FROM users WHERE email = $1",
        "asesor@demo.ventanilla.co",
    )
    .await;
    let andinos = radicado_of("Transportes Andinos S.A.S.").await;
    let ana = radicado_of("Ana María Rojas").await;

    // The VIP's request is typified; Ana María's is taken and escalated to Facturación.
    let typified = app
        .call(
            "equipo/tipificar",
            &[
                ("radicado", andinos.as_str()),
                ("category_id", pqr.as_str()),
                ("subcategory_id", billing.as_str()),
                ("cause_id", cause.as_str()),
            ],
            Some(&agent),
        )
        .await;
    assert_eq!(typified.status, StatusCode::OK, "{}", typified.body);
    for (action, area) in [("take", ""), ("escalate", invoicing.as_str())] {
        let reply = app
            .call(
                "equipo/actuar",
                &[
                    ("radicado", ana.as_str()),
                    ("action", action),
                    ("message", "Revisar la tarifa aplicada."),
                    ("area_id", area),
                ],
                Some(&agent),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }

    let queue = |params: Vec<(&'static str, String)>| {
        let (app, cookie) = (&app, supervisor.clone());
        async move {
            let mut form = vec![("queue".to_string(), "todas".to_string())];
            form.extend(params.into_iter().map(|(k, v)| (k.to_string(), v)));
            let reply = app.call("equipo/cola", &pairs(&form), Some(&cookie)).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            serde_json::from_str::<serde_json::Value>(&reply.body).unwrap()
        }
    };
    let radicados = |view: &serde_json::Value| -> Vec<String> {
        view["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["radicado"].as_str().unwrap().to_string())
            .collect()
    };
    let total = |view: &serde_json::Value| {
        view["queues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["code"] == "todas")
            .map(|q| q["count"].as_u64().unwrap())
    };
    let labels = |view: &serde_json::Value, key: &str| -> Vec<String> {
        view[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["label"].as_str().unwrap().to_string())
            .collect()
    };

    let all = queue(vec![]).await;
    assert_eq!(radicados(&all).len(), 5);
    assert!(labels(&all, "categories").contains(&"PQR".to_string()));
    assert!(labels(&all, "subcategories").contains(&"PQR › Cobro no reconocido".to_string()));
    assert_eq!(
        labels(&all, "areas"),
        ["Comercial", "Facturación", "Jurídica", "Soporte técnico"]
    );
    let agents = labels(&all, "agents");
    assert!(agents.contains(&"Andrés Asesor".to_string()));
    assert!(
        !agents.iter().any(|a| a.contains("Andinos")),
        "customers are not agents: {agents:?}"
    );

    let by_category = queue(vec![("category", pqr.clone())]).await;
    assert_eq!(radicados(&by_category), [andinos.as_str()]);
    assert_eq!(total(&by_category), Some(5), "counts are the queues' sizes");
    let by_subcategory = queue(vec![("subcategory", billing.clone())]).await;
    assert_eq!(radicados(&by_subcategory), [andinos.as_str()]);
    let other_subcategory = queue(vec![("subcategory", lost)]).await;
    assert!(radicados(&other_subcategory).is_empty());
    let by_area = queue(vec![("area", invoicing)]).await;
    assert_eq!(radicados(&by_area), [ana.as_str()]);
    assert!(radicados(&queue(vec![("area", legal)]).await).is_empty());
    let by_agent = queue(vec![("agent", agent_id.clone())]).await;
    assert_eq!(radicados(&by_agent), [ana.as_str()]);
    // Filters combine: the typified request is not the agent's.
    let both = queue(vec![("category", pqr), ("agent", agent_id)]).await;
    assert!(radicados(&both).is_empty());
    // An id that does not exist filters everything out; it is not an error.
    let unknown = queue(vec![("category", "no-existe".into())]).await;
    assert!(radicados(&unknown).is_empty());
    assert_eq!(total(&unknown), Some(5));
}

on_both_databases!(queues_filter_by_category_subcategory_area_and_agent);

async fn escalation_reaches_the_area_and_returns_to_the_agent(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let sign_in = |login: &'static str| app.sign_in(login, DEMO_PASSWORD);
    let agent = sign_in("asesor@demo.ventanilla.co").await;
    let specialist = sign_in("especialista@demo.ventanilla.co").await;
    let customer = sign_in("regular@demo.ventanilla.co").await;
    let row = sqlx::query(
        "SELECT r.radicado FROM requests r JOIN accounts a ON a.id = r.account_id WHERE a.name = 'Ana María Rojas'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let radicado: String = row.get("radicado");
    let area: String = sqlx::query("SELECT id FROM areas WHERE name = 'Facturación'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id");
    let act = |cookie: &str, action: &str, message: &str, area: &str| {
        let form: Vec<(String, String)> = vec![
            ("radicado".into(), radicado.clone()),
            ("action".into(), action.into()),
            ("message".into(), message.into()),
            ("area_id".into(), area.into()),
        ];
        let cookie = cookie.to_string();
        let app = &app;
        async move {
            app.call(
                "equipo/actuar",
                &crate::support::pairs(&form),
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(act(&agent, "take", "", "").await.status, StatusCode::OK);
    let no_area = act(
        &agent,
        "escalate",
        "Revisar la tarifa aplicada.",
        "no-existe",
    )
    .await;
    assert_eq!(no_area.status, StatusCode::UNPROCESSABLE_ENTITY);
    let escalated = act(&agent, "escalate", "Revisar la tarifa aplicada.", &area).await;
    assert_eq!(escalated.status, StatusCode::OK, "{}", escalated.body);

    // The customer is told where it went and by when; not the internal reason.
    let seen = app
        .call(
            "portal/solicitud",
            &[("radicado", &radicado)],
            Some(&customer),
        )
        .await
        .body;
    assert!(
        seen.contains("escalada al área de Facturación") && seen.contains("a más tardar"),
        "{seen}"
    );
    assert!(!seen.contains("Revisar la tarifa"));

    // The specialist finds it in "Mi área" and answers the agent.
    let queue = app
        .call(
            "equipo/cola",
            &[
                ("queue", "mi_area"),
                ("request_type", ""),
                ("priority", ""),
                ("tier", ""),
                ("search", ""),
            ],
            Some(&specialist),
        )
        .await;
    assert!(queue.body.contains(&radicado), "{}", queue.body);
    let answered = act(
        &specialist,
        "area_answers",
        "La tarifa correcta es la del plan 2; procede el ajuste.",
        "",
    )
    .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let state: String = sqlx::query("SELECT state FROM requests WHERE radicado = $1")
        .bind(&radicado)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("state");
    assert_eq!(state, "en_gestion");
    let staff_view = app
        .call("equipo/solicitud", &[("radicado", &radicado)], Some(&agent))
        .await
        .body;
    assert!(staff_view.contains("procede el ajuste") && staff_view.contains("Facturación"));
    let customer_view = app
        .call(
            "portal/solicitud",
            &[("radicado", &radicado)],
            Some(&customer),
        )
        .await
        .body;
    assert!(
        !customer_view.contains("procede el ajuste"),
        "the area answers the agent, not the customer"
    );
}

on_both_databases!(escalation_reaches_the_area_and_returns_to_the_agent);

async fn sampled_answers_wait_for_quality_review(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::with_config(&db, |config| {
        config.review_sample_percent = 100;
    });
    let sign_in = |login: &'static str| app.sign_in(login, DEMO_PASSWORD);
    let agent = sign_in("asesor@demo.ventanilla.co").await;
    let quality = sign_in("calidad@demo.ventanilla.co").await;
    let customer = sign_in("flotante@demo.ventanilla.co").await;
    let radicado: String = sqlx::query(
        "SELECT r.radicado FROM requests r JOIN accounts a ON a.id = r.account_id WHERE a.name = 'Carlos Pérez'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("radicado");
    let act = |cookie: &str, action: &str, message: &str| {
        let form: Vec<(String, String)> = vec![
            ("radicado".into(), radicado.clone()),
            ("action".into(), action.into()),
            ("message".into(), message.into()),
        ];
        let cookie = cookie.to_string();
        let app = &app;
        async move {
            app.call(
                "equipo/actuar",
                &crate::support::pairs(&form),
                Some(&cookie),
            )
            .await
        }
    };
    let state = || async {
        sqlx::query("SELECT state FROM requests WHERE radicado = $1")
            .bind(&radicado)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get::<String, _>("state")
    };
    assert_eq!(act(&agent, "take", "").await.status, StatusCode::OK);
    assert_eq!(
        act(&agent, "answer", "Borrador con errores de ortografia.")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(state().await, "en_revision");
    let seen = app
        .call(
            "portal/solicitud",
            &[("radicado", &radicado)],
            Some(&customer),
        )
        .await
        .body;
    assert!(
        !seen.contains("Borrador con errores"),
        "the customer never sees a draft"
    );
    // An agent cannot approve their own draft; quality can return it with an observation.
    assert_eq!(
        act(&agent, "approve", "").await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        act(&quality, "return_from_review", "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        act(&quality, "return_from_review", "Corrija la ortografía.")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(state().await, "en_gestion");
    assert_eq!(
        act(
            &agent,
            "answer",
            "Respuesta corregida: el envío sale mañana."
        )
        .await
        .status,
        StatusCode::OK
    );
    let outbox_before = db.count("notification_outbox").await;
    assert_eq!(act(&quality, "approve", "").await.status, StatusCode::OK);
    assert_eq!(state().await, "respondida");
    let seen = app
        .call(
            "portal/solicitud",
            &[("radicado", &radicado)],
            Some(&customer),
        )
        .await
        .body;
    assert!(
        seen.contains("Respuesta corregida") && seen.contains("Andrés Asesor"),
        "{seen}"
    );
    assert!(!seen.contains("Corrija la ortografía"));
    assert_eq!(
        db.count("notification_outbox").await,
        outbox_before + 2,
        "e-mail and WhatsApp"
    );
}

on_both_databases!(sampled_answers_wait_for_quality_review);

async fn supervisors_assign_and_reassign_agents_do_not(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let sign_in = |login: &'static str| app.sign_in(login, DEMO_PASSWORD);
    let supervisor = sign_in("supervisor@demo.ventanilla.co").await;
    let agent = sign_in("asesor@demo.ventanilla.co").await;
    let id_of = |email: &'static str| {
        let pool = db.pool.clone();
        async move {
            sqlx::query("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
                .get::<String, _>("id")
        }
    };
    let asesor_id = id_of("asesor@demo.ventanilla.co").await;
    let supervisor_id = id_of("supervisor@demo.ventanilla.co").await;
    let specialist_id = id_of("especialista@demo.ventanilla.co").await;
    let radicado: String = sqlx::query("SELECT radicado FROM requests ORDER BY radicado LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado");
    let assign = |cookie: &str, to: &str| {
        let form: Vec<(String, String)> = vec![
            ("radicado".into(), radicado.clone()),
            ("action".into(), "assign".into()),
            ("message".into(), String::new()),
            ("assignee_id".into(), to.into()),
        ];
        let cookie = cookie.to_string();
        let app = &app;
        async move {
            app.call(
                "equipo/actuar",
                &crate::support::pairs(&form),
                Some(&cookie),
            )
            .await
        }
    };
    let assignee = || async {
        sqlx::query("SELECT u.email FROM requests r JOIN users u ON u.id = r.assignee_id WHERE r.radicado = $1")
            .bind(&radicado)
            .fetch_optional(&db.pool)
            .await
            .unwrap()
            .map(|r| r.get::<String, _>("email"))
    };
    assert_eq!(
        assign(&agent, &asesor_id).await.status,
        StatusCode::CONFLICT,
        "agents take, they do not assign"
    );
    assert_eq!(
        assign(&supervisor, &specialist_id).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(assignee().await, None);
    assert_eq!(assign(&supervisor, &asesor_id).await.status, StatusCode::OK);
    assert_eq!(
        assignee().await.as_deref(),
        Some("asesor@demo.ventanilla.co")
    );
    assert_eq!(
        assign(&supervisor, &supervisor_id).await.status,
        StatusCode::OK,
        "reassign"
    );
    assert_eq!(
        assignee().await.as_deref(),
        Some("supervisor@demo.ventanilla.co")
    );

    // The staff history tells everything, the system's doings included.
    let mut settings = app.state.config.notifications.clone();
    settings.outbox_dir = app.files.0.join("outbox");
    let notifier = ventanilla_app::notify::server::Notifier::new(&settings).unwrap();
    let now = chrono::Utc::now().timestamp();
    let sent =
        ventanilla_app::notify::server::worker::deliver_due_once(&db.pool, &notifier, || now)
            .await
            .unwrap();
    assert!(sent > 0);
    let history = app
        .call(
            "equipo/solicitud",
            &[("radicado", &radicado)],
            Some(&supervisor),
        )
        .await
        .body;
    assert!(
        history.contains("Asignada a Sofía Supervisora"),
        "{history}"
    );
    assert!(
        history.contains("Notificación enviada por email (solicitud_radicada)"),
        "{history}"
    );
    assert!(
        history.contains("notificaciones"),
        "the system is named as the actor"
    );
}

on_both_databases!(supervisors_assign_and_reassign_agents_do_not);

async fn priority_changes_need_a_reason_and_respect_the_tier(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let agent = app
        .call(
            "ingresar",
            &[
                ("login", "asesor@demo.ventanilla.co"),
                ("password", "Ventanilla2026"),
            ],
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let regular: String = sqlx::query(
        "SELECT r.radicado FROM requests r JOIN accounts a ON a.id = r.account_id WHERE a.name = 'Ana María Rojas'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("radicado");
    let change = |priority: &'static str, reason: &'static str| {
        let radicado = regular.clone();
        let agent = agent.clone();
        let app = &app;
        async move {
            app.call(
                "equipo/prioridad",
                &[
                    ("radicado", &radicado),
                    ("priority", priority),
                    ("reason", reason),
                ],
                Some(&agent),
            )
            .await
        }
    };
    assert_eq!(
        change("baja", "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    let alta = change("alta", "Cliente molesto").await;
    assert_eq!(
        alta.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Regular customers cannot have Alta"
    );
    let due_before: Option<i64> =
        sqlx::query("SELECT first_response_due FROM requests WHERE radicado = $1")
            .bind(&regular)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("first_response_due");
    assert_eq!(
        change("baja", "Es una consulta informativa").await.status,
        StatusCode::OK
    );
    let row = sqlx::query("SELECT priority, first_response_due FROM requests WHERE radicado = $1")
        .bind(&regular)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("priority"), "baja");
    assert!(
        row.get::<Option<i64>, _>("first_response_due") > due_before,
        "Baja gives 8 h instead of 2 h"
    );
    let history = app
        .call("equipo/solicitud", &[("radicado", &regular)], Some(&agent))
        .await
        .body;
    assert!(
        history.contains("Prioridad Media → Baja: Es una consulta informativa"),
        "{history}"
    );
    let customer = app
        .call(
            "ingresar",
            &[
                ("login", "regular@demo.ventanilla.co"),
                ("password", "Ventanilla2026"),
            ],
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let refused = app
        .call(
            "equipo/prioridad",
            &[
                ("radicado", &regular),
                ("priority", "media"),
                ("reason", "Quiero más rápido"),
            ],
            Some(&customer),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

on_both_databases!(priority_changes_need_a_reason_and_respect_the_tier);

/// Seed 002 §4 ("por lo menos el 50 %"): the review share is a minimum each agent meets after
/// every answer, not an average of random draws. At 50 %, an agent's first answer goes to
/// review, the second goes out, and so on; each agent has their own count.
async fn review_is_a_guaranteed_minimum_for_each_agent(db: TestDb) {
    let app = App::with_config(&db, |config| {
        config.review_sample_percent = 50;
    });
    let first = crate::support::staff(&app, &db, Role::Asesor, "Ana Asesora", "ana@equipo.co")
        .await
        .cookie;
    let second =
        crate::support::staff(&app, &db, Role::Asesor, "Beto Asesor", "beto@equipo.co").await;
    let second_id = second.id.clone();
    let second = second.cookie;
    let admin = crate::support::staff(&app, &db, Role::Admin, "Alba Admin", "alba@equipo.co")
        .await
        .cookie;
    let customer = crate::support::customer(&app, "1020304050", "cliente@correo.co").await;
    for n in 0..6 {
        crate::support::file_reclamo(&app, &customer, &format!("t-{n}")).await;
    }
    let radicados: Vec<String> = sqlx::query("SELECT radicado FROM requests ORDER BY radicado")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get("radicado"))
        .collect();
    let answer = |cookie: &str, radicado: &str| {
        let app = &app;
        let (cookie, radicado) = (cookie.to_string(), radicado.to_string());
        async move {
            for (action, message) in [("take", ""), ("answer", "Le confirmamos la devolución.")] {
                let reply = app
                    .call(
                        "equipo/actuar",
                        &[
                            ("radicado", radicado.as_str()),
                            ("action", action),
                            ("message", message),
                        ],
                        Some(&cookie),
                    )
                    .await;
                assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
            }
            sqlx::query("SELECT state FROM requests WHERE radicado = $1")
                .bind(&radicado)
                .fetch_one(&app.state.pool)
                .await
                .unwrap()
                .get::<String, _>("state")
        }
    };
    let mut states = Vec::new();
    for radicado in &radicados[..4] {
        states.push(answer(&first, radicado).await);
    }
    assert_eq!(
        states,
        ["en_revision", "respondida", "en_revision", "respondida"]
    );
    // The second agent's count is their own: their first answer goes to review.
    assert_eq!(answer(&second, &radicados[4]).await, "en_revision");
    // A new asesor: the admin sends all of their answers to review, above the share.
    let full = |todas: &'static str| {
        let (app, admin, id) = (&app, admin.clone(), second_id.clone());
        async move {
            app.call(
                "equipo/usuarios/revision",
                &[("user_id", id.as_str()), ("todas", todas)],
                Some(&admin),
            )
            .await
        }
    };
    let set = full("si").await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert!(
        set.body.contains("Todas las respuestas de Beto Asesor"),
        "{}",
        set.body
    );
    assert_eq!(full("si").await.status, StatusCode::CONFLICT);
    let refused = app
        .call(
            "equipo/usuarios/revision",
            &[("user_id", second_id.as_str()), ("todas", "no")],
            Some(&first),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(answer(&second, &radicados[5]).await, "en_revision");
    let counted: Vec<(i64, i64)> = sqlx::query(
        "SELECT c.answers, c.reviewed FROM review_counters c JOIN users u ON u.id = c.user_id \
         ORDER BY u.email",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .iter()
    .map(|row| (row.get("answers"), row.get("reviewed")))
    .collect();
    assert_eq!(counted, [(4, 2), (2, 2)]);
}

on_both_databases!(review_is_a_guaranteed_minimum_for_each_agent);
