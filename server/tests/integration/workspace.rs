//! An agent works a request end to end through the server functions: take, internal note,
//! ask the customer, answer; the customer sees what is public and nothing else.

use http::StatusCode;
use sqlx::Row;
use ventanilla::role::Role;
use ventanilla_app::ssr::audit::Actor;

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
    ventanilla_app::ssr::accounts::create_staff(
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
