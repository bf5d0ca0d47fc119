//! An admin switches a staff member's access off and on and sends them a password link (seed
//! 001 §5.1 "bloqueo de usuarios"): sessions end at once, the person's open requests return
//! to Sin asignar, signing in says the access is off only to whoever knows the password, and
//! the history keeps who did what and why.

use http::StatusCode;
use sqlx::Row;
use ventanilla::role::Role;

use crate::support::{customer, staff, App, TestDb, STAFF_PASSWORD};

async fn access(
    app: &App,
    admin: &str,
    user_id: &str,
    active: &str,
    reason: &str,
) -> (u16, String) {
    let reply = app
        .call(
            "equipo/usuarios/acceso",
            &[("user_id", user_id), ("active", active), ("reason", reason)],
            Some(admin),
        )
        .await;
    (reply.status.as_u16(), reply.body)
}

async fn sign_in(app: &App, login: &str, password: &str) -> (u16, String) {
    let reply = app
        .call(
            "ingresar",
            &[("login", login), ("password", password)],
            None,
        )
        .await;
    (reply.status.as_u16(), reply.body)
}

async fn an_admin_switches_a_staff_members_access_off_and_on(db: TestDb) {
    let app = App::new(&db);
    let admin = staff(&app, &db, Role::Admin, "Ada Admin", "admin@equipo.co").await;
    let andres = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let form = [
        ("request_type", "reclamo"),
        ("subject", "Cobro doble en la factura"),
        ("description", "Me cobraron dos veces."),
        ("submission_token", "acc-1"),
    ];
    assert_eq!(
        app.multipart("/portal/solicitudes", &form, &[], &ana)
            .await
            .status,
        StatusCode::OK
    );
    let radicado: String = sqlx::query("SELECT radicado FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado");
    let took = app
        .call(
            "equipo/actuar",
            &[("radicado", &radicado), ("action", "take"), ("message", "")],
            Some(&andres.cookie),
        )
        .await;
    assert_eq!(took.status, StatusCode::OK, "{}", took.body);

    // Bad input changes nothing: no reason, one's own access, an unknown person, a customer,
    // and anyone but an admin.
    let audits = db.count("audit_events").await;
    assert_eq!(
        access(&app, &admin.cookie, &andres.id, "no", " ").await.0,
        422
    );
    let (status, body) = access(&app, &admin.cookie, &admin.id, "no", "Me voy de vacaciones").await;
    assert_eq!(status, 422);
    assert!(body.contains("propio usuario"), "{body}");
    assert_eq!(
        access(
            &app,
            &admin.cookie,
            "no-existe",
            "no",
            "Retiro de la empresa"
        )
        .await
        .0,
        404
    );
    let customer_id: String = sqlx::query("SELECT id FROM users WHERE email = 'ana@correo.co'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id");
    assert_eq!(
        access(
            &app,
            &admin.cookie,
            &customer_id,
            "no",
            "Retiro de la empresa"
        )
        .await
        .0,
        404
    );
    assert_eq!(
        access(
            &app,
            &andres.cookie,
            &admin.id,
            "no",
            "Retiro de la empresa"
        )
        .await
        .0,
        403
    );
    assert_eq!(db.count("audit_events").await, audits);

    // Switched off: his session ends at once, his open request is unassigned, and the reason
    // is in the history.
    let (status, body) = access(
        &app,
        &admin.cookie,
        &andres.id,
        "no",
        "Retiro de la empresa",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("1 solicitud"), "{body}");
    let queue = app.call("equipo/cola", &[], Some(&andres.cookie)).await;
    assert_eq!(queue.status, StatusCode::UNAUTHORIZED, "{}", queue.body);
    let assignee: Option<String> = sqlx::query("SELECT assignee_id FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("assignee_id");
    assert_eq!(assignee, None);
    let detail: String = sqlx::query(
        "SELECT detail FROM audit_events WHERE action = 'usuario_desactivado' AND entity_id = $1",
    )
    .bind(&andres.id)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("detail");
    assert!(detail.contains("Retiro de la empresa"), "{detail}");
    // Twice is a conflict, not a second event.
    assert_eq!(
        access(
            &app,
            &admin.cookie,
            &andres.id,
            "no",
            "Retiro de la empresa"
        )
        .await
        .0,
        409
    );

    // Signing in: the right password hears that the access is off; a wrong one hears what
    // everyone hears.
    let (status, body) = sign_in(&app, "andres@equipo.co", STAFF_PASSWORD).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("acceso a Ventanilla está desactivado"),
        "{body}"
    );
    let (status, body) = sign_in(&app, "andres@equipo.co", "otra-clave-1").await;
    assert_eq!(status, 422);
    assert!(body.contains("incorrectos"), "{body}");
    assert!(!body.contains("desactivado"), "{body}");
    // No password link for someone switched off.
    let refused = app
        .call(
            "equipo/usuarios/enlace",
            &[("user_id", &andres.id)],
            Some(&admin.cookie),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );

    // Back on: he signs in again; his history is intact.
    assert_eq!(
        access(&app, &admin.cookie, &andres.id, "si", "").await.0,
        200
    );
    let (status, body) = sign_in(&app, "andres@equipo.co", STAFF_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    let his_events: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE actor_user_id = $1")
            .bind(&andres.id)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("n");
    assert!(his_events > 0, "what he did stays in the history");
}

async fn the_last_admin_stays_and_a_link_lets_a_member_choose_a_password(db: TestDb) {
    let app = App::new(&db);
    let ada = staff(&app, &db, Role::Admin, "Ada Admin", "ada@equipo.co").await;
    let beto = staff(&app, &db, Role::Admin, "Beto Admin", "beto@equipo.co").await;
    let carla = staff(&app, &db, Role::Calidad, "Carla Calidad", "carla@equipo.co").await;

    // Two admins: one may switch the other off; then the last one stays.
    assert_eq!(
        access(&app, &ada.cookie, &beto.id, "no", "Cambio de cargo")
            .await
            .0,
        200
    );
    assert_eq!(access(&app, &ada.cookie, &beto.id, "si", "").await.0, 200);
    sqlx::query("UPDATE users SET active = 0 WHERE id = $1")
        .bind(&beto.id)
        .execute(&db.pool)
        .await
        .unwrap();
    let other_admin = staff(&app, &db, Role::Admin, "Otro Admin", "otro@equipo.co").await;
    assert_eq!(
        access(&app, &other_admin.cookie, &ada.id, "no", "Cambio de cargo")
            .await
            .0,
        200
    );
    let (status, body) = access(&app, &ada.cookie, &other_admin.id, "no", "Cambio de cargo").await;
    assert_eq!(status, 401, "Ada was switched off: {body}");
    let (status, body) = access(
        &app,
        &other_admin.cookie,
        &other_admin.id,
        "no",
        "Cambio de cargo",
    )
    .await;
    assert_eq!(status, 422, "{body}");

    // The link: one e-mail through the outbox, in one transaction with its audit event.
    let outbox = db.count("notification_outbox").await;
    let sent = app
        .call(
            "equipo/usuarios/enlace",
            &[("user_id", &carla.id)],
            Some(&other_admin.cookie),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("carla@equipo.co"), "{}", sent.body);
    assert_eq!(db.count("notification_outbox").await, outbox + 1);
    let payload: String = sqlx::query(
        "SELECT payload FROM notification_outbox WHERE template = 'contrasena_equipo' AND recipient = 'carla@equipo.co'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("payload");
    let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let token = payload["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let set = app
        .call(
            "contrasena/crear",
            &[
                ("token", &token),
                ("password", "nueva-clave-carla"),
                ("password_confirmation", "nueva-clave-carla"),
            ],
            None,
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(
        sign_in(&app, "carla@equipo.co", "nueva-clave-carla")
            .await
            .0,
        200
    );
    assert_eq!(
        sign_in(&app, "carla@equipo.co", STAFF_PASSWORD).await.0,
        422
    );
    // The old session ended with the old password.
    assert_eq!(
        app.call("equipo/cola", &[], Some(&carla.cookie))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

on_both_databases!(
    an_admin_switches_a_staff_members_access_off_and_on,
    the_last_admin_stays_and_a_link_lets_a_member_choose_a_password,
);
