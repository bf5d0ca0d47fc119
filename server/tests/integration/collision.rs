//! The collision warning (agent-workspace requirement): a reply to the customer never goes out silently over a
//! customer message the agent had not loaded; and presence is for staff only.

use http::StatusCode;
use sqlx::Row;
use ventanilla_app::dev::demo::DEMO_PASSWORD;

use crate::support::{App, TestDb};

async fn a_reply_over_a_newer_customer_message_is_refused_until_the_agent_has_seen_it(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let agent = app
        .sign_in("asesor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let customer = app
        .sign_in("regular@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let radicado: String = sqlx::query(
        "SELECT r.radicado FROM requests r JOIN accounts a ON a.id = r.account_id WHERE a.name = 'Ana María Rojas'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("radicado");
    let act = |action: &'static str, message: &'static str, seen: Option<String>| {
        let radicado = radicado.clone();
        let agent = agent.clone();
        let app = &app;
        async move {
            let mut form = vec![
                ("radicado", radicado),
                ("action", action.to_string()),
                ("message", message.to_string()),
            ];
            if let Some(seen) = seen {
                form.push(("seen_customer_message", seen));
            }
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("equipo/actuar", &pairs, Some(&agent)).await
        }
    };
    let loaded = || async {
        let view = app
            .call("equipo/solicitud", &[("radicado", &radicado)], Some(&agent))
            .await;
        serde_json::from_str::<serde_json::Value>(&view.body).unwrap()["last_customer_message"]
            .as_str()
            .map(str::to_string)
    };
    assert_eq!(act("take", "", None).await.status, StatusCode::OK);
    let seen = loaded().await.unwrap_or_default();

    // The customer writes while the agent drafts.
    let reply = app
        .multipart(
            &format!("/portal/solicitudes/{radicado}/responder"),
            &[("message", "Olvidé decir que el cobro fue en octubre.")],
            &[],
            &customer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let staff_messages = || async {
        sqlx::query("SELECT COUNT(*) AS n FROM request_messages WHERE from_customer = 0")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get::<i64, _>("n")
    };
    let before = staff_messages().await;

    // Internal notes are not about the customer: no warning.
    assert_eq!(
        act("nota_interna", "Revisar octubre.", Some(seen.clone()))
            .await
            .status,
        StatusCode::OK
    );
    let before = before + 1;
    for action in ["public_reply", "answer"] {
        let refused = act(action, "Ya revisamos su cobro.", Some(seen.clone())).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{action}");
        assert!(
            refused.body.contains("mensaje nuevo")
                && refused.body.contains("el cobro fue en octubre"),
            "{}",
            refused.body
        );
        assert_eq!(staff_messages().await, before, "nothing went out");
    }
    let refused = act("public_reply", "Ya revisamos su cobro.", Some(seen)).await;
    let error: serde_json::Value = serde_json::from_str(&refused.body).unwrap();
    let newest = error["NewerCustomerMessage"]["newest"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(Some(newest.clone()), loaded().await);
    let state: String = sqlx::query("SELECT state FROM requests WHERE radicado = $1")
        .bind(&radicado)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("state");
    assert_eq!(state, "en_gestion");

    // Having seen it, the agent sends on purpose.
    let sent = act(
        "public_reply",
        "Revisamos el cobro de octubre.",
        Some(newest),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(staff_messages().await, before + 1);
}

on_both_databases!(a_reply_over_a_newer_customer_message_is_refused_until_the_agent_has_seen_it);

async fn presence_is_for_staff_only(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let customer = app
        .sign_in("regular@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let radicado: String = sqlx::query("SELECT radicado FROM requests LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado");
    let path = format!("/equipo/presencia/{radicado}");
    assert_eq!(
        app.get_as(&path, &customer).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get(&path).await.status, StatusCode::NO_CONTENT);
    let typing = app
        .call(
            "equipo/presencia/escribiendo",
            &[("radicado", &radicado)],
            Some(&customer),
        )
        .await;
    assert_eq!(typing.status, StatusCode::FORBIDDEN);
}

on_both_databases!(presence_is_for_staff_only);

/// Issue 17: presence boards, like live events, are bounded per person.
async fn presence_streams_per_user_are_bounded(db: TestDb) {
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
    let radicado: String = sqlx::query("SELECT radicado FROM requests LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado");
    let open = |cookie: String| {
        let request = http::Request::get(format!("/equipo/presencia/{radicado}"))
            .header("cookie", cookie)
            .body(axum::body::Body::empty())
            .unwrap();
        let router = app.router.clone();
        async move { tower::ServiceExt::oneshot(router, request).await.unwrap() }
    };
    let mut held = Vec::new();
    for _ in 0..ventanilla_server::http::live::STREAMS_PER_USER {
        let response = open(agent.clone()).await;
        assert_eq!(response.status(), StatusCode::OK);
        held.push(response);
    }
    assert_eq!(
        open(agent.clone()).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another person is not affected, and live events are a budget of their own.
    assert_eq!(open(supervisor.clone()).await.status(), StatusCode::OK);
    let events = http::Request::get("/eventos")
        .header("cookie", agent.clone())
        .body(axum::body::Body::empty())
        .unwrap();
    let live = tower::ServiceExt::oneshot(app.router.clone(), events)
        .await
        .unwrap();
    assert_eq!(live.status(), StatusCode::OK);
}

on_both_databases!(presence_streams_per_user_are_bounded);
