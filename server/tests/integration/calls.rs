//! The service line's calls (issue 20: "CSV import of the PBX's call detail records …
//! `POST /api/v1/calls`; a call can be linked to a request"), on SQLite and PostgreSQL: a
//! call sent twice is stored once, bad records change nothing and say why in Spanish, a CDR
//! file with bad rows imports nothing unless they are skipped, and the calls count in
//! «Atención oportuna de llamadas» (attended ÷ received) of the period they started in.

use http::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;
use ventanilla::role::Role;

use crate::api::{key, post_json, send};
use crate::support::{customer, file_reclamo, staff, App, Reply, TestDb};

fn body(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

async fn the_radicado(db: &TestDb) -> String {
    sqlx::query("SELECT radicado FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado")
}

async fn audited(db: &TestDb, action: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("n")
}

/// The call indicator of November 2026 through the API: (numerator, denominator, value).
async fn november_calls(app: &App, db: &TestDb) -> (i64, i64, Option<f64>) {
    let reports = key(db, &["reports:read"], 100).await;
    let reply = send(
        app,
        "GET",
        "/api/v1/indicators?from=2026-11-01&to=2026-11-30",
        Some(&reports),
        None,
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let figures = body(&reply);
    let card = figures["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "calls_attended")
        .unwrap_or_else(|| panic!("no calls_attended in {figures}"))
        .clone();
    assert_eq!(card["goal"], 90.0);
    (
        card["numerator"].as_i64().unwrap(),
        card["denominator"].as_i64().unwrap(),
        card["value"].as_f64(),
    )
}

async fn the_switchboard_sends_each_call_through_the_api(db: TestDb) {
    let app = App::new(&db);
    staff(&app, &db, Role::Asesor, "Ana Asesora", "ana@equipo.co").await;
    let cookie = customer(&app, "1020304050", "cliente@correo.co").await;
    file_reclamo(&app, &cookie, "t-1").await;
    let radicado = the_radicado(&db).await;
    let calls = key(&db, &["calls:write"], 100).await;
    let other = key(&db, &["requests:write"], 100).await;
    assert_eq!(november_calls(&app, &db).await, (0, 0, None));

    let call = json!({
        "external_id": "1762175700.42",
        "started_at": "2026-11-03 08:15",
        "outcome": "ANSWERED",
        "wait_seconds": 35,
        "duration_seconds": 240,
        "caller": "3001234567",
        "agent": "Ana@Equipo.co",
        "radicado": radicado,
    });
    let created = post_json(&app, "/api/v1/calls", &calls, &call, &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let stored = body(&created);
    assert_eq!(stored["outcome"], "atendida");
    assert_eq!(stored["started_at"], "2026-11-03T08:15:00-05:00");
    assert_eq!(stored["agent"], "ana@equipo.co");
    assert_eq!(stored["radicado"], radicado.as_str());
    assert_eq!(stored["already_recorded"], false);
    let linked: Option<String> = sqlx::query("SELECT agent_id FROM calls")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("agent_id");
    assert!(linked.is_some(), "the call counts as the agent's");

    // The switchboard retries: the same call, stored once.
    let again = post_json(&app, "/api/v1/calls", &calls, &call, &[]).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(body(&again)["id"], stored["id"]);
    assert_eq!(body(&again)["already_recorded"], true);
    assert_eq!(db.count("calls").await, 1);
    assert_eq!(audited(&db, "llamada_registrada").await, 1);

    // Every bad field named at once, in Spanish, and nothing written.
    let bad = post_json(
        &app,
        "/api/v1/calls",
        &calls,
        &json!({ "started_at": "mañana", "outcome": "transferida", "wait_seconds": -3 }),
        &[],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let problem = body(&bad);
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/started_at", "/outcome", "/wait_seconds"]);
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("no es Atendida ni Abandonada"));
    let unknown = post_json(
        &app,
        "/api/v1/calls",
        &calls,
        &json!({
            "started_at": "2026-11-04T10:00:00-05:00",
            "outcome": "atendida",
            "agent": "nadie@equipo.co",
            "radicado": "2026-999999",
        }),
        &[],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = body(&unknown);
    assert_eq!(problem["errors"][0]["pointer"], "/agent");
    assert_eq!(problem["errors"][1]["pointer"], "/radicado");
    assert!(problem["errors"][1]["detail"]
        .as_str()
        .unwrap()
        .contains("no existe la solicitud «2026-999999»"));
    let future = post_json(
        &app,
        "/api/v1/calls",
        &calls,
        &json!({ "started_at": "2099-01-01 08:00", "outcome": "atendida" }),
        &[],
    )
    .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.body.contains("en el futuro"), "{}", future.body);
    let extra = post_json(
        &app,
        "/api/v1/calls",
        &calls,
        &json!({ "started_at": "2026-11-04 10:00", "outcome": "atendida", "queue": "ventas" }),
        &[],
    )
    .await;
    assert_eq!(extra.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = post_json(&app, "/api/v1/calls", &other, &call, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(db.count("calls").await, 1);

    // Three calls nobody took, one of them in December: November has 1 attended of 3.
    for (at, id) in [
        ("2026-11-03 09:00", "a-1"),
        ("2026-11-30 23:59", "a-2"),
        ("2026-12-01 00:00", "a-3"),
    ] {
        let abandoned = json!({ "external_id": id, "started_at": at, "outcome": "NO ANSWER", "wait_seconds": 95 });
        let reply = post_json(&app, "/api/v1/calls", &calls, &abandoned, &[]).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let (attended, received, value) = november_calls(&app, &db).await;
    assert_eq!((attended, received), (1, 3));
    assert!((value.unwrap() - 100.0 / 3.0).abs() < 1e-9);
}

/// An Asterisk-like export: four good calls, one with an outcome nobody understands, one
/// repeating the id of the second.
fn cdr_export(radicado: &str) -> String {
    [
        "uniqueid;calldate;src;dst;disposition;billsec;radicado",
        &format!("c-1;2026-11-05 08:00:00;3001112233;sara@equipo.co;ANSWERED;180;{radicado}"),
        "c-2;2026-11-05 08:10:00;3002223344;201;ANSWERED;0:45;",
        "c-3;05/11/2026 08:20;3003334455;;NO ANSWER;;",
        "c-4;2026-11-06 17:30;3004445566;;BUSY;;",
        "c-5;2026-11-06 17:40;3005556677;201;TRANSFERIDA;30;",
        "c-2;2026-11-06 17:50;3006667788;201;ANSWERED;20;",
    ]
    .join("\n")
}

async fn the_supervisor_imports_the_switchboard_export(db: TestDb) {
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
    let cookie = customer(&app, "1020304050", "cliente@correo.co").await;
    file_reclamo(&app, &cookie, "t-1").await;
    let radicado = the_radicado(&db).await;
    let file = || vec![("cdr.csv", cdr_export(&radicado).into_bytes())];

    let refused = app
        .multipart(
            "/equipo/llamadas/importar/archivo",
            &[],
            &file(),
            &agent.cookie,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let staged = app
        .multipart(
            "/equipo/llamadas/importar/archivo",
            &[],
            &file(),
            &boss.cookie,
        )
        .await;
    assert_eq!(staged.status, StatusCode::SEE_OTHER, "{}", staged.body);
    let location = staged.headers["location"].to_str().unwrap().to_string();
    let id = location
        .strip_prefix("/equipo/llamadas/importar?archivo=")
        .unwrap_or_else(|| panic!("{location}"))
        .to_string();
    let preview = body(
        &app.call(
            "equipo/llamadas/importacion",
            &[("id", &id)],
            Some(&boss.cookie),
        )
        .await,
    );
    assert_eq!(preview["preview"]["total_rows"], 6);
    assert_eq!(
        preview["preview"]["suggested"].as_array().unwrap().len(),
        7,
        "every column recognized: {preview}"
    );

    let run = |extra: &'static [(&'static str, &'static str)]| {
        let app = &app;
        let cookie = boss.cookie.clone();
        let id = id.clone();
        async move {
            let mut form: Vec<(&str, &str)> = vec![
                ("id", id.as_str()),
                ("mapping[id_llamada]", "uniqueid"),
                ("mapping[fecha_hora]", "calldate"),
                ("mapping[telefono]", "src"),
                ("mapping[agente]", "dst"),
                ("mapping[resultado]", "disposition"),
                ("mapping[duracion]", "billsec"),
                ("mapping[radicado]", "radicado"),
            ];
            form.extend_from_slice(extra);
            body(
                &app.call("equipo/llamadas/importar-registros", &form, Some(&cookie))
                    .await,
            )
        }
    };

    // Bad rows: nothing written, each named by row and column.
    let report = run(&[]).await;
    assert_eq!(report["imported"], false, "{report}");
    let errors = report["errors"].as_array().unwrap();
    let at: Vec<(u64, &str)> = errors
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(at, [(6, "disposition"), (7, "uniqueid")]);
    assert!(errors[1]["message"].as_str().unwrap().contains("fila 3"));
    assert_eq!(db.count("calls").await, 0);

    let report = run(&[("skip_bad_rows", "si"), ("dry_run", "si")]).await;
    assert_eq!(
        (report["created"].clone(), report["skipped"].clone()),
        (4.into(), 2.into())
    );
    assert_eq!(db.count("calls").await, 0);

    let report = run(&[("skip_bad_rows", "si")]).await;
    assert_eq!(report["imported"], true, "{report}");
    assert_eq!(report["created"], 4);
    assert_eq!(db.count("calls").await, 4);
    assert_eq!(audited(&db, "llamadas_importadas").await, 1);

    // The same export again (after fixing a row elsewhere): no call counted twice.
    let report = run(&[("skip_bad_rows", "si")]).await;
    assert_eq!(
        (
            report["created"].clone(),
            report["already_recorded"].clone()
        ),
        (0.into(), 4.into())
    );
    assert_eq!(db.count("calls").await, 4);

    // The list: counts, the agent by name, the call linked to its request.
    let list = app
        .call(
            "equipo/llamadas",
            &[("desde", "2026-11-01"), ("hasta", "2026-11-30")],
            Some(&boss.cookie),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list = body(&list);
    assert_eq!(
        (
            list["received"].clone(),
            list["attended"].clone(),
            list["abandoned"].clone()
        ),
        (4.into(), 2.into(), 2.into())
    );
    assert_eq!(list["attended_share"], "50,0 %");
    let rows = list["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    let first = rows
        .iter()
        .find(|r| r["radicado"] == radicado.as_str())
        .unwrap();
    assert_eq!(first["agent"], "Sara Supervisora");
    assert_eq!(first["duration"], "3:00");
    assert_eq!(november_calls(&app, &db).await, (2, 4, Some(50.0)));
    let refused = app.call("equipo/llamadas", &[], Some(&agent.cookie)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

on_both_databases!(
    the_switchboard_sends_each_call_through_the_api,
    the_supervisor_imports_the_switchboard_export,
);
