//! Least privilege for staff (Ley 1581 art. 4 lit. g): an area's specialist reaches only the
//! requests escalated to their areas, quality only what went through review, an asesor acts
//! only on their own requests and the unassigned; and every staff read is in the request's
//! access log, which only supervisors see.

use std::time::Duration;

use http::StatusCode;
use sqlx::Row;
use ventanilla::role::Role;
use ventanilla_app::live::server::bus::{LiveChange, Scope};

use crate::live::Stream;
use crate::support::{customer, staff, App, Staff, TestDb, PDF};

/// Files a request as the customer (with one PDF); returns its radicado.
async fn file(app: &App, cookie: &str, subject: &str) -> String {
    let form = [
        ("request_type", "reclamo"),
        ("subject", subject),
        ("description", "Detalle de la solicitud para la prueba."),
        ("submission_token", subject),
    ];
    let reply = app
        .multipart(
            "/portal/solicitudes",
            &form,
            &[("soporte.pdf", PDF.to_vec())],
            cookie,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    body["url"]
        .as_str()
        .unwrap()
        .trim_start_matches("/portal/solicitudes/")
        .trim_end_matches("?radicada=1")
        .to_string()
}

async fn act(app: &App, who: &Staff, radicado: &str, action: &str, extra: &[(&str, &str)]) -> u16 {
    let mut form = vec![("radicado", radicado), ("action", action)];
    form.extend_from_slice(extra);
    if !extra.iter().any(|(name, _)| *name == "message") {
        form.push(("message", ""));
    }
    app.call("equipo/actuar", &form, Some(&who.cookie))
        .await
        .status
        .as_u16()
}

/// The staff request page as `who` sees it: `None` when it is "not found" for them.
async fn open(app: &App, who: &Staff, radicado: &str) -> Option<serde_json::Value> {
    let reply = app
        .call(
            "equipo/solicitud",
            &[("radicado", radicado)],
            Some(&who.cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let view: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    (!view.is_null()).then_some(view)
}

/// The radicados of every queue row `who` sees in `queue`.
async fn queue(app: &App, who: &Staff, queue: &str) -> Vec<String> {
    let reply = app
        .call("equipo/cola", &[("queue", queue)], Some(&who.cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let view: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["radicado"].as_str().unwrap().to_string())
        .collect()
}

async fn attachment_of(db: &TestDb, radicado: &str) -> String {
    sqlx::query(
        "SELECT a.id FROM attachments a JOIN requests r ON r.id = a.request_id WHERE r.radicado = $1",
    )
    .bind(radicado)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("id")
}

async fn account_of(db: &TestDb, radicado: &str) -> String {
    sqlx::query("SELECT account_id FROM requests WHERE radicado = $1")
        .bind(radicado)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("account_id")
}

async fn a_specialist_reaches_only_what_was_escalated_to_their_areas(db: TestDb) {
    let app = App::new(&db);
    sqlx::query("INSERT INTO areas (id, name) VALUES ('area-fac', 'Facturación'), ('area-tec', 'Soporte técnico')")
        .execute(&db.pool)
        .await
        .unwrap();
    let asesor = staff(&app, &db, Role::Asesor, "Andrés Asesor", "asesor@equipo.co").await;
    let eva = staff(
        &app,
        &db,
        Role::Especialista,
        "Eva Facturación",
        "eva@equipo.co",
    )
    .await;
    let teo = staff(
        &app,
        &db,
        Role::Especialista,
        "Teo Técnico",
        "teo@equipo.co",
    )
    .await;
    for (area, who) in [("area-fac", &eva.id), ("area-tec", &teo.id)] {
        sqlx::query("INSERT INTO area_members (area_id, user_id) VALUES ($1, $2)")
            .bind(area)
            .bind(who)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let billed = file(&app, &ana, "Cobro doble en la factura").await;
    let other = file(&app, &ana, "Internet intermitente").await;

    // Before any escalation a specialist reaches nothing: no queue row, no page, no file.
    assert!(queue(&app, &eva, "sin_asignar").await.is_empty());
    assert!(open(&app, &eva, &billed).await.is_none());
    assert_eq!(
        app.get_as(
            &format!("/adjuntos/{}", attachment_of(&db, &billed).await),
            &eva.cookie
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    assert_eq!(act(&app, &asesor, &billed, "take", &[]).await, 200);
    assert_eq!(
        act(
            &app,
            &asesor,
            &billed,
            "escalate",
            &[
                ("area_id", "area-fac"),
                ("message", "Validar el doble cobro.")
            ]
        )
        .await,
        200
    );

    // Eva's area now holds it: her queue, the page, its file; never the other request.
    assert_eq!(queue(&app, &eva, "mi_area").await, vec![billed.clone()]);
    assert_eq!(queue(&app, &eva, "sin_asignar").await, Vec::<String>::new());
    let page = open(&app, &eva, &billed)
        .await
        .expect("escalated to her area");
    assert!(page.to_string().contains("Validar el doble cobro."));
    assert!(
        page["access_log"].is_null(),
        "only supervisors read the access log"
    );
    assert!(open(&app, &eva, &other).await.is_none());
    assert_eq!(
        app.get_as(
            &format!("/adjuntos/{}", attachment_of(&db, &billed).await),
            &eva.cookie
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as(
            &format!("/adjuntos/{}", attachment_of(&db, &other).await),
            &eva.cookie
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Nor who is working on the other request.
    assert_eq!(
        app.get_as(&format!("/equipo/presencia/{other}"), &eva.cookie)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.call(
            "equipo/presencia/escribiendo",
            &[("radicado", &other)],
            Some(&eva.cookie)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Another area's specialist reaches neither.
    assert!(open(&app, &teo, &billed).await.is_none());
    assert!(queue(&app, &teo, "mi_area").await.is_empty());

    // Acting out of reach is "not found" and writes nothing.
    let messages = db.count("request_messages").await;
    assert_eq!(
        act(
            &app,
            &eva,
            &other,
            "nota_interna",
            &[("message", "Mirando.")]
        )
        .await,
        404
    );
    assert_eq!(db.count("request_messages").await, messages);

    // Her live stream hears the escalated request, not the other one.
    let mut stream = Stream::open(&app, &eva.cookie, "", None).await;
    stream.connected().await;
    let account = account_of(&db, &billed).await;
    app.state
        .live
        .publish(Scope::request(&other, &account), LiveChange::Estado)
        .await;
    app.state
        .live
        .publish(Scope::request(&billed, &account), LiveChange::Estado)
        .await;
    let heard: Vec<String> = stream
        .drain(Duration::from_millis(500))
        .await
        .into_iter()
        .filter(|e| e.event == "solicitud")
        .map(|e| e.data)
        .collect();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(heard[0].contains(&billed), "{heard:?}");

    // Once the area has answered, the request is still hers to look back on.
    assert_eq!(
        act(
            &app,
            &eva,
            &billed,
            "area_answers",
            &[(
                "message",
                "Se confirma el doble cobro; procede la devolución."
            )]
        )
        .await,
        200
    );
    assert!(open(&app, &eva, &billed).await.is_some());
    // A replay after a reconnect is filtered the same way.
    let mut resumed = Stream::open(&app, &eva.cookie, "", Some(0)).await;
    let replayed: Vec<String> = resumed
        .drain(Duration::from_millis(500))
        .await
        .into_iter()
        .filter(|e| e.event == "solicitud")
        .map(|e| e.data)
        .collect();
    assert!(
        replayed.iter().all(|data| !data.contains(&other)),
        "{replayed:?}"
    );
}

async fn quality_reaches_only_what_went_through_review(db: TestDb) {
    let app = App::with_config(&db, |config| {
        config.review_sample_percent = 100;
    });
    let asesor = staff(&app, &db, Role::Asesor, "Andrés Asesor", "asesor@equipo.co").await;
    let carla = staff(
        &app,
        &db,
        Role::Calidad,
        "Carla Calidad",
        "calidad@equipo.co",
    )
    .await;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let reviewed = file(&app, &ana, "Cobro doble en la factura").await;
    let untouched = file(&app, &ana, "Internet intermitente").await;

    assert!(open(&app, &carla, &reviewed).await.is_none());
    assert!(queue(&app, &carla, "sin_asignar").await.is_empty());
    assert_eq!(act(&app, &asesor, &reviewed, "take", &[]).await, 200);
    assert_eq!(
        act(
            &app,
            &asesor,
            &reviewed,
            "answer",
            &[("message", "Le devolvemos el cobro.")]
        )
        .await,
        200
    );
    assert_eq!(
        queue(&app, &carla, "revision").await,
        vec![reviewed.clone()]
    );
    assert!(open(&app, &carla, &reviewed).await.is_some());
    assert_eq!(act(&app, &carla, &reviewed, "approve", &[]).await, 200);
    // Approved and sent: still in her trail, while the untouched request never was.
    assert!(open(&app, &carla, &reviewed).await.is_some());
    assert!(open(&app, &carla, &untouched).await.is_none());
    assert_eq!(
        app.get_as(
            &format!("/adjuntos/{}", attachment_of(&db, &untouched).await),
            &carla.cookie
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

async fn an_asesor_acts_only_on_their_own_and_the_unassigned(db: TestDb) {
    let app = App::new(&db);
    let andres = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let beatriz = staff(
        &app,
        &db,
        Role::Asesor,
        "Beatriz Asesora",
        "beatriz@equipo.co",
    )
    .await;
    let sara = staff(
        &app,
        &db,
        Role::Supervisor,
        "Sara Supervisora",
        "sara@equipo.co",
    )
    .await;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let radicado = file(&app, &ana, "Cobro doble en la factura").await;
    assert_eq!(act(&app, &andres, &radicado, "take", &[]).await, 200);

    // Beatriz reads it (the front line sees every request) but may not act on it.
    let page = open(&app, &beatriz, &radicado).await.unwrap();
    assert!(page["actions"].as_array().unwrap().is_empty(), "{page}");
    assert!(page["read_only"]
        .as_str()
        .unwrap()
        .contains("Andrés Asesor"));
    let messages = db.count("request_messages").await;
    let refused = app
        .call(
            "equipo/actuar",
            &[
                ("radicado", &radicado),
                ("action", "answer"),
                ("message", "Le respondo yo."),
            ],
            Some(&beatriz.cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("pida al supervisor"),
        "{}",
        refused.body
    );
    assert_eq!(db.count("request_messages").await, messages);
    let priority = app
        .call(
            "equipo/prioridad",
            &[
                ("radicado", &radicado),
                ("priority", "alta"),
                ("reason", "La pide el cliente"),
            ],
            Some(&beatriz.cookie),
        )
        .await;
    assert_eq!(priority.status, StatusCode::CONFLICT, "{}", priority.body);

    // The supervisor reassigns it to her; now she acts and Andrés reads only.
    assert_eq!(
        act(
            &app,
            &sara,
            &radicado,
            "assign",
            &[("assignee_id", &beatriz.id)]
        )
        .await,
        200
    );
    assert_eq!(
        act(
            &app,
            &beatriz,
            &radicado,
            "nota_interna",
            &[("message", "La tomo yo.")]
        )
        .await,
        200
    );
    assert_eq!(
        act(
            &app,
            &andres,
            &radicado,
            "nota_interna",
            &[("message", "Sigo yo.")]
        )
        .await,
        409
    );

    // Every staff read is logged once per visit, downloads each time; only the supervisor
    // sees the log.
    let attachment = attachment_of(&db, &radicado).await;
    assert_eq!(
        app.get_as(&format!("/adjuntos/{attachment}"), &andres.cookie)
            .await
            .status,
        StatusCode::OK
    );
    open(&app, &beatriz, &radicado).await.unwrap();
    let log = open(&app, &sara, &radicado).await.unwrap()["access_log"].clone();
    let lines: Vec<String> = log
        .as_array()
        .expect("the supervisor sees the access log")
        .iter()
        .map(|entry| format!("{} · {} · {}", entry["who"], entry["role"], entry["what"]))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Andrés Asesor") && l.contains("Descargó «soporte.pdf»")),
        "{lines:?}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("Beatriz Asesora") && l.contains("Abrió la solicitud"))
            .count(),
        1,
        "a second look in the same visit is one access: {lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("Sara Supervisora")),
        "the supervisor's own look is logged too: {lines:?}"
    );
    // The customer reading their own request is not someone else reaching their data.
    let before = db.count("access_log").await;
    let mine = app
        .call("portal/solicitud", &[("radicado", &radicado)], Some(&ana))
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(db.count("access_log").await, before);
}

on_both_databases!(
    a_specialist_reaches_only_what_was_escalated_to_their_areas,
    quality_reaches_only_what_went_through_review,
    an_asesor_acts_only_on_their_own_and_the_unassigned,
);
