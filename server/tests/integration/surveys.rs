//! The transactional survey and the detractor recovery desk (survey requirement, seed 003), through the
//! real router on SQLite and PostgreSQL: closing invites once, a visit records nothing, only
//! one answer counts, bad links change nothing, a detractor opens exactly one case for the
//! least-loaded asesor, the attempt and exclusion rules, and staff-only access.

use chrono::Utc;
use http::StatusCode;
use sqlx::Row;
use ventanilla::role::Role;

use crate::support::{customer, staff, App, TestDb};

/// Files a request and closes it as its customer; returns the survey token.
async fn file_and_close(app: &App, db: &TestDb, cookie: &str, submission: &str) -> String {
    let radicado = file_only(app, db, cookie, submission).await;
    let closed = app
        .call("portal/cerrar", &[("radicado", &radicado)], Some(cookie))
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    sqlx::query(
        "SELECT s.token FROM survey_invitations s JOIN requests r ON r.id = s.request_id WHERE r.radicado = $1",
    )
    .bind(&radicado)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("token")
}

async fn answer(app: &App, token: &str, csat: &str, nps: &str) -> crate::support::Reply {
    app.call(
        "encuesta/responder",
        &[
            ("token", token),
            ("csat", csat),
            ("nps", nps),
            ("resolved", "no"),
            ("comment", "Nadie me llamó."),
        ],
        None,
    )
    .await
}

async fn scalar(db: &TestDb, sql: &str, token: &str) -> Option<i64> {
    sqlx::query(sql)
        .bind(token)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0)
}

async fn answered_at(db: &TestDb, token: &str) -> Option<i64> {
    scalar(
        db,
        "SELECT answered_at FROM survey_invitations WHERE token = $1",
        token,
    )
    .await
}

async fn closing_invites_once_and_only_the_submit_records(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let token = file_and_close(&app, &db, &ana, "s-1").await;
    assert_eq!(db.count("survey_invitations").await, 1);
    let mail = sqlx::query(
        "SELECT recipient, payload FROM notification_outbox WHERE template = 'encuesta'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].get::<String, _>("recipient"), "ana@correo.co");
    let payload: serde_json::Value =
        serde_json::from_str(&mail[0].get::<String, _>("payload")).unwrap();
    assert_eq!(
        payload["url"],
        format!("{}/encuesta/{token}", app.state.config.surveys.public_url)
    );
    let expires = scalar(
        &db,
        "SELECT expires_at - created_at FROM survey_invitations WHERE token = $1",
        &token,
    )
    .await;
    assert_eq!(expires, Some(app.state.config.surveys.days * 86_400));

    // The closed request offers the survey in the app too.
    let radicado: String = sqlx::query("SELECT radicado FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado");
    let detail = app
        .call("portal/solicitud", &[("radicado", &radicado)], Some(&ana))
        .await;
    let detail: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    assert_eq!(detail["survey_url"], format!("/encuesta/{token}"));

    // Following the link (a person or a mail scanner) records nothing.
    let audit_before = db.count("audit_events").await;
    let page = app.get(&format!("/encuesta/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Enviar respuestas"), "{}", page.body);
    let status = app
        .call("encuesta/estado", &[("token", &token)], None)
        .await;
    assert!(status.body.contains("Open"), "{}", status.body);
    assert_eq!(answered_at(&db, &token).await, None);
    assert_eq!(db.count("audit_events").await, audit_before);

    // Unchosen answers are refused in words, and change nothing.
    let incomplete = app
        .call("encuesta/responder", &[("token", &token)], None)
        .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        incomplete.body.contains("Satisfacción"),
        "{}",
        incomplete.body
    );
    assert_eq!(answered_at(&db, &token).await, None);

    // The explicit submit records once; a promoter opens no case.
    let first = answer(&app, &token, "5", "9").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(answered_at(&db, &token).await.is_some());
    assert_eq!(db.count("recovery_cases").await, 0);
    let detail = app
        .call("portal/solicitud", &[("radicado", &radicado)], Some(&ana))
        .await;
    let detail: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    assert!(detail["survey_url"].is_null());

    // A second submit changes nothing and says why.
    let audit_before = db.count("audit_events").await;
    let second = answer(&app, &token, "1", "0").await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("ya fue respondida"), "{}", second.body);
    assert_eq!(
        scalar(
            &db,
            "SELECT nps FROM survey_invitations WHERE token = $1",
            &token
        )
        .await,
        Some(9)
    );
    assert_eq!(db.count("recovery_cases").await, 0);
    assert_eq!(db.count("audit_events").await, audit_before);

    // Forged tokens, well-formed or not, change nothing.
    for forged in ["0123456789abcdef0123456789abcdef", "no-es-un-token"] {
        let reply = answer(&app, forged, "1", "0").await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("no es válido"), "{}", reply.body);
    }
    assert_eq!(db.count("recovery_cases").await, 0);
    assert_eq!(db.count("audit_events").await, audit_before);
}

async fn an_expired_link_changes_nothing(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let token = file_and_close(&app, &db, &ana, "s-1").await;
    sqlx::query("UPDATE survey_invitations SET expires_at = $1 WHERE token = $2")
        .bind(Utc::now().timestamp() - 1)
        .bind(&token)
        .execute(&db.pool)
        .await
        .unwrap();
    let reply = answer(&app, &token, "1", "2").await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body.contains("venció"), "{}", reply.body);
    assert_eq!(answered_at(&db, &token).await, None);
    assert_eq!(db.count("recovery_cases").await, 0);
    let status = app
        .call("encuesta/estado", &[("token", &token)], None)
        .await;
    assert!(status.body.contains("Expired"), "{}", status.body);
}

async fn a_detractor_opens_one_case_for_the_least_loaded_asesor(db: TestDb) {
    let app = App::new(&db);
    staff(
        &app,
        &db,
        Role::Asesor,
        "Andrés Primero",
        "primero@equipo.co",
    )
    .await;
    staff(
        &app,
        &db,
        Role::Especialista,
        "Elena Especialista",
        "elena@equipo.co",
    )
    .await;
    staff(
        &app,
        &db,
        Role::Asesor,
        "Beatriz Segunda",
        "segunda@equipo.co",
    )
    .await;
    // Created in the same second as the first: make the seniority explicit.
    sqlx::query("UPDATE users SET created_at = created_at + 60 WHERE email = 'segunda@equipo.co'")
        .execute(&db.pool)
        .await
        .unwrap();
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let first = file_and_close(&app, &db, &ana, "s-1").await;
    let second = file_and_close(&app, &db, &ana, "s-2").await;
    let neutral = file_and_close(&app, &db, &ana, "s-3").await;

    // NPS 3: one case, to the oldest asesor (both have none open), due in 24 hours.
    assert_eq!(answer(&app, &first, "4", "3").await.status, StatusCode::OK);
    let case = sqlx::query(
        "SELECT u.full_name, c.segment, c.status, c.due_at, s.answered_at FROM recovery_cases c \
         JOIN users u ON u.id = c.assignee_id JOIN survey_invitations s ON s.id = c.invitation_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(case.len(), 1);
    assert_eq!(case[0].get::<String, _>("full_name"), "Andrés Primero");
    assert_eq!(case[0].get::<String, _>("segment"), "hogar");
    assert_eq!(case[0].get::<String, _>("status"), "abierto");
    assert_eq!(
        case[0].get::<i64, _>("due_at"),
        case[0].get::<i64, _>("answered_at") + 24 * 3600
    );

    // CSAT 2 alone is a detractor too; the asesor with fewer open cases gets it.
    assert_eq!(answer(&app, &second, "2", "8").await.status, StatusCode::OK);
    let assignees: Vec<String> = sqlx::query(
        "SELECT u.full_name FROM recovery_cases c JOIN users u ON u.id = c.assignee_id ORDER BY u.full_name",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.get("full_name"))
    .collect();
    assert_eq!(assignees, ["Andrés Primero", "Beatriz Segunda"]);

    // NPS 7 with CSAT 3 is neutral: no case.
    assert_eq!(
        answer(&app, &neutral, "3", "7").await.status,
        StatusCode::OK
    );
    assert_eq!(db.count("recovery_cases").await, 2);
    let audit: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'caso_detractor_abierto'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audit, 2);
}

async fn case_of(db: &TestDb, token: &str) -> (String, String, Option<String>) {
    let row = sqlx::query(
        "SELECT c.id, c.status, c.outcome FROM recovery_cases c \
         JOIN survey_invitations s ON s.id = c.invitation_id WHERE s.token = $1",
    )
    .bind(token)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    (row.get("id"), row.get("status"), row.get("outcome"))
}

async fn three_failed_attempts_close_the_case_as_not_contacted(db: TestDb) {
    let app = App::new(&db);
    let agent = staff(&app, &db, Role::Asesor, "Andrés Asesor", "asesor@equipo.co")
        .await
        .cookie;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let token = file_and_close(&app, &db, &ana, "s-1").await;
    assert_eq!(answer(&app, &token, "1", "3").await.status, StatusCode::OK);
    // A second asesor joins later: the case stays with its assignee.
    let other = staff(&app, &db, Role::Asesor, "Otro Asesor", "otro@equipo.co")
        .await
        .cookie;
    sqlx::query("UPDATE users SET created_at = created_at + 60 WHERE email = 'otro@equipo.co'")
        .execute(&db.pool)
        .await
        .unwrap();
    let (case_id, _, _) = case_of(&db, &token).await;

    let attempt = |cookie: String, result: &'static str| {
        let app = &app;
        let case_id = case_id.clone();
        async move {
            app.call(
                "equipo/detractores/intento",
                &[("id", case_id.as_str()), ("result", result)],
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(
        attempt(other.clone(), "no_contesta").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        attempt(ana.clone(), "no_contesta").await.status,
        StatusCode::FORBIDDEN
    );
    // An effective contact needs the reason and the solution.
    assert_eq!(
        attempt(agent.clone(), "contacto_efectivo").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(db.count("recovery_attempts").await, 0);

    for result in ["no_contesta", "tercero"] {
        assert_eq!(attempt(agent.clone(), result).await.status, StatusCode::OK);
        assert_eq!(case_of(&db, &token).await.1, "abierto");
    }
    assert_eq!(
        attempt(agent.clone(), "numero_errado").await.status,
        StatusCode::OK
    );
    let (_, status, outcome) = case_of(&db, &token).await;
    assert_eq!(
        (status.as_str(), outcome.as_deref()),
        ("cerrado", Some("no_contactado"))
    );
    let late = attempt(agent.clone(), "no_contesta").await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(db.count("recovery_attempts").await, 3);

    let view = app
        .call("equipo/detractores/caso", &[("id", &case_id)], Some(&agent))
        .await;
    let view: serde_json::Value = serde_json::from_str(&view.body).unwrap();
    assert_eq!(view["status"], "No contactado");
    assert_eq!(view["can_act"], false);
    assert_eq!(view["attempts"].as_array().unwrap().len(), 3);

    // Another detractor, reached: reason and solution close it as contacted. Both asesores
    // have no open case now, so the longest-serving one gets it.
    let token = file_and_close(&app, &db, &ana, "s-2").await;
    assert_eq!(answer(&app, &token, "2", "5").await.status, StatusCode::OK);
    let (case_id, _, _) = case_of(&db, &token).await;
    let reached = app
        .call(
            "equipo/detractores/intento",
            &[
                ("id", case_id.as_str()),
                ("result", "contacto_efectivo"),
                ("reason", "La respuesta llegó tarde."),
                ("solution", "solucionado_primer_contacto"),
            ],
            Some(&agent),
        )
        .await;
    assert_eq!(reached.status, StatusCode::OK, "{}", reached.body);
    let (_, status, outcome) = case_of(&db, &token).await;
    assert_eq!(
        (status.as_str(), outcome.as_deref()),
        ("cerrado", Some("contactado"))
    );
}

/// A supervisor changes the account's commercial data on the customer page (issue 19), as
/// the ERP's data would have it.
async fn set_commercial(app: &App, db: &TestDb, cookie: &str, kind: &str, status: &str) {
    let row = sqlx::query("SELECT id, revision FROM accounts")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (id, revision): (String, i64) = (row.get("id"), row.get("revision"));
    let reply = app
        .call(
            "equipo/clientes/comercial",
            &[
                ("account_id", &id),
                ("monthly_contract_cop", ""),
                ("service_status", status),
                ("payments_up_to_date", "si"),
                ("kind", kind),
                ("segment", "hogar"),
                ("revision", &revision.to_string()),
                ("reason", "Dato actualizado desde el ERP"),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

async fn excluded_accounts_are_typified_without_calling(db: TestDb) {
    let app = App::new(&db);
    staff(&app, &db, Role::Asesor, "Andrés Asesor", "asesor@equipo.co").await;
    let supervisor = staff(
        &app,
        &db,
        Role::Supervisor,
        "Sara Supervisora",
        "sara@equipo.co",
    )
    .await;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let pyme = file_and_close(&app, &db, &ana, "s-1").await;
    let leaving = file_and_close(&app, &db, &ana, "s-2").await;

    set_commercial(&app, &db, &supervisor.cookie, "pyme", "activo").await;
    assert_eq!(answer(&app, &pyme, "1", "0").await.status, StatusCode::OK);
    set_commercial(
        &app,
        &db,
        &supervisor.cookie,
        "normal",
        "cancelacion_pendiente",
    )
    .await;
    assert_eq!(
        answer(&app, &leaving, "1", "0").await.status,
        StatusCode::OK
    );

    let cases = sqlx::query("SELECT status, outcome, assignee_id FROM recovery_cases")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(cases.len(), 2);
    for case in cases {
        assert_eq!(case.get::<String, _>("status"), "cerrado");
        assert_eq!(
            case.get::<Option<String>, _>("outcome").as_deref(),
            Some("excluido")
        );
        assert_eq!(case.get::<Option<String>, _>("assignee_id"), None);
    }

    // The customer's page shows both answers and both cases.
    let id: String = sqlx::query("SELECT id FROM accounts")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id");
    let view = app
        .call(
            "equipo/clientes/ver",
            &[("id", &id)],
            Some(&supervisor.cookie),
        )
        .await;
    let view: serde_json::Value = serde_json::from_str(&view.body).unwrap();
    assert_eq!(view["surveys"].as_array().unwrap().len(), 2, "{view}");
    assert_eq!(view["surveys"][0]["nps"], 0);
    assert_eq!(view["surveys"][0]["comment"], "Nadie me llamó.");
    assert_eq!(view["recovery_cases"].as_array().unwrap().len(), 2);
    assert_eq!(
        view["recovery_cases"][0]["outcome"],
        "Excluido (no se llama)"
    );
    assert_eq!(view["service_status"], "Cancelación pendiente");
}

async fn only_staff_reach_the_recovery_desk(db: TestDb) {
    let app = App::new(&db);
    let agent = staff(&app, &db, Role::Asesor, "Andrés Asesor", "asesor@equipo.co")
        .await
        .cookie;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let token = file_and_close(&app, &db, &ana, "s-1").await;
    assert_eq!(answer(&app, &token, "2", "4").await.status, StatusCode::OK);
    let (case_id, _, _) = case_of(&db, &token).await;

    let listed = app.call("equipo/detractores", &[], Some(&agent)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let rows: serde_json::Value = serde_json::from_str(&listed.body).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["nps"], 4);
    assert_eq!(rows[0]["comment"], "Nadie me llamó.");
    assert_eq!(rows[0]["assignee"], "Andrés Asesor");
    assert_eq!(rows[0]["overdue"], false);

    for (endpoint, form) in [
        ("equipo/detractores", vec![]),
        ("equipo/detractores/caso", vec![("id", case_id.as_str())]),
    ] {
        let reply = app.call(endpoint, &form, Some(&ana)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{endpoint}");
        let reply = app.call(endpoint, &form, None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
}

/// Files a request as the customer; returns its radicado.
async fn file_only(app: &App, db: &TestDb, cookie: &str, submission: &str) -> String {
    let form = [
        ("request_type", "reclamo"),
        ("subject", "Cobro doble en la factura"),
        ("description", "Me cobraron dos veces el mismo envío."),
        ("submission_token", submission),
    ];
    let filed = app
        .multipart("/portal/solicitudes", &form, &[], cookie)
        .await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    sqlx::query("SELECT radicado FROM requests WHERE submission_token = $1")
        .bind(submission)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado")
}

async fn agent_and_automatic_closes_invite_too(db: TestDb) {
    let app = App::new(&db);
    let agent = staff(&app, &db, Role::Asesor, "Andrés Asesor", "asesor@equipo.co")
        .await
        .cookie;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let by_agent = file_only(&app, &db, &ana, "s-1").await;
    let by_clock = file_only(&app, &db, &ana, "s-2").await;
    for radicado in [&by_agent, &by_clock] {
        for (action, message) in [("take", ""), ("answer", "Ya reversamos el cobro.")] {
            let reply = app
                .call(
                    "equipo/actuar",
                    &[
                        ("radicado", radicado),
                        ("action", action),
                        ("message", message),
                    ],
                    Some(&agent),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
    }
    let closed = app
        .call(
            "equipo/actuar",
            &[
                ("radicado", &by_agent),
                ("action", "agent_closes"),
                ("message", ""),
            ],
            Some(&agent),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let later = Utc::now() + chrono::Duration::days(30);
    assert_eq!(
        ventanilla_app::requests::server::auto_close::close_due(&app.state, later)
            .await
            .unwrap(),
        1
    );
    for radicado in [&by_agent, &by_clock] {
        let invited: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM survey_invitations s JOIN requests r ON r.id = s.request_id \
             WHERE r.radicado = $1 AND r.state = 'cerrada'",
        )
        .bind(radicado)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("n");
        assert_eq!(invited, 1, "{radicado}");
    }
    let mails: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'encuesta'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("n");
    assert_eq!(mails, 2);
}

/// Seed 003 §4 step 4: an effective contact solved by escalation files a normal request to
/// the chosen area, linked to the case and audited; every effective contact sends the second
/// survey, about the call, through the same link machinery as the first.
async fn escalado_files_a_request_and_the_second_survey_follows(db: TestDb) {
    let app = App::new(&db);
    let agent = staff(&app, &db, Role::Asesor, "Andrés Asesor", "asesor@equipo.co")
        .await
        .cookie;
    sqlx::query("INSERT INTO areas (id, name) VALUES ('area-fact', 'Facturación')")
        .execute(&db.pool)
        .await
        .unwrap();
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let token = file_and_close(&app, &db, &ana, "s-1").await;
    assert_eq!(answer(&app, &token, "1", "2").await.status, StatusCode::OK);
    let (case_id, _, _) = case_of(&db, &token).await;
    let effective = |area: &'static str| {
        let app = &app;
        let agent = agent.clone();
        let case_id = case_id.clone();
        async move {
            app.call(
                "equipo/detractores/intento",
                &[
                    ("id", case_id.as_str()),
                    ("result", "contacto_efectivo"),
                    ("reason", "Le cobraron dos veces y nadie lo llamó."),
                    ("solution", "escalado"),
                    ("area_id", area),
                ],
                Some(&agent),
            )
            .await
        }
    };
    // Escalating needs a real area; nothing is filed otherwise.
    for area in ["", "no-existe"] {
        let reply = effective(area).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert!(reply.body.contains("Elija el área"), "{}", reply.body);
    }
    assert_eq!(db.count("requests").await, 1);
    assert_eq!(db.count("recovery_surveys").await, 0);

    let reply = effective("area-fact").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let filed = sqlx::query(
        "SELECT r.radicado, r.state, r.area_id, r.channel, r.request_type, u.full_name \
         FROM recovery_cases c JOIN requests r ON r.id = c.escalated_request_id \
         JOIN users u ON u.id = r.assignee_id WHERE c.id = $1",
    )
    .bind(&case_id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let radicado: String = filed.get("radicado");
    assert_eq!(filed.get::<String, _>("state"), "escalada");
    assert_eq!(filed.get::<String, _>("area_id"), "area-fact");
    assert_eq!(filed.get::<String, _>("channel"), "telefono");
    assert_eq!(filed.get::<String, _>("full_name"), "Andrés Asesor");
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'caso_detractor_escalado' AND entity_id = $1",
    )
    .bind(&case_id)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 1);
    // The customer was told about the new request and its escalation, like any other.
    let mails: Vec<String> = sqlx::query(
        "SELECT template FROM notification_outbox WHERE recipient = 'ana@correo.co' ORDER BY created_at, id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.get("template"))
    .collect();
    assert!(
        mails.contains(&"solicitud_radicada".to_string()),
        "{mails:?}"
    );
    assert!(
        mails.contains(&"seguimiento_publico".to_string()),
        "{mails:?}"
    );
    let view = app
        .call("equipo/detractores/caso", &[("id", &case_id)], Some(&agent))
        .await;
    let view: serde_json::Value = serde_json::from_str(&view.body).unwrap();
    assert_eq!(view["escalated_radicado"], radicado);
    assert_eq!(view["call_survey"], "Enviada, sin respuesta todavía");

    // The second survey: e-mailed, and offered in the app on the original request.
    let call_token: String = sqlx::query("SELECT token FROM recovery_surveys WHERE case_id = $1")
        .bind(&case_id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("token");
    let payload: String = sqlx::query(
        "SELECT payload FROM notification_outbox WHERE template = 'encuesta_llamada' AND recipient = 'ana@correo.co'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("payload");
    assert!(
        payload.contains(&format!("/encuesta/{call_token}")),
        "{payload}"
    );
    let original: String = sqlx::query(
        "SELECT r.radicado FROM survey_invitations s JOIN requests r ON r.id = s.request_id WHERE s.token = $1",
    )
    .bind(&token)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("radicado");
    let detail = app
        .call("portal/solicitud", &[("radicado", &original)], Some(&ana))
        .await;
    let detail: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    assert_eq!(detail["survey_url"], format!("/encuesta/{call_token}"));
    let status = app
        .call("encuesta/estado", &[("token", &call_token)], None)
        .await;
    assert!(
        status.body.contains("\"about_call\":true"),
        "{}",
        status.body
    );

    // It asks no "resolved" question; one answer counts.
    let reply = app
        .call(
            "encuesta/responder",
            &[
                ("token", &call_token),
                ("csat", "5"),
                ("nps", "9"),
                ("comment", "Muy amable."),
            ],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let again = app
        .call(
            "encuesta/responder",
            &[("token", &call_token), ("csat", "1"), ("nps", "0")],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let nps: Option<i64> = sqlx::query("SELECT nps FROM recovery_surveys WHERE token = $1")
        .bind(&call_token)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("nps");
    assert_eq!(nps, Some(9));
    // The second survey never opens a case of its own.
    assert_eq!(db.count("recovery_cases").await, 1);
    let view = app
        .call("equipo/detractores/caso", &[("id", &case_id)], Some(&agent))
        .await;
    let view: serde_json::Value = serde_json::from_str(&view.body).unwrap();
    assert_eq!(
        view["call_survey"],
        "NPS 9 · CSAT 5 (respondida por el cliente)"
    );
}

/// The results page's figures, from the domain's maths over the period's answers, and the
/// detractor desk's indicators (seed 003 §5).
async fn results_of_the_period_and_the_desk_indicators(db: TestDb) {
    let app = App::new(&db);
    let agent = staff(&app, &db, Role::Asesor, "Andrés Asesor", "asesor@equipo.co")
        .await
        .cookie;
    let boss = staff(
        &app,
        &db,
        Role::Supervisor,
        "Sofía Supervisora",
        "sofia@equipo.co",
    )
    .await
    .cookie;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    for (submission, csat, nps, resolved) in [
        ("s-1", "5", "10", "si"),
        ("s-2", "4", "8", "si"),
        ("s-3", "1", "3", "no"),
    ] {
        let token = file_and_close(&app, &db, &ana, submission).await;
        let reply = app
            .call(
                "encuesta/responder",
                &[
                    ("token", token.as_str()),
                    ("csat", csat),
                    ("nps", nps),
                    ("resolved", resolved),
                    (
                        "comment",
                        if submission == "s-3" {
                            "Muy lento."
                        } else {
                            ""
                        },
                    ),
                ],
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    // Sent but never answered: counts against the response rate only.
    file_and_close(&app, &db, &ana, "s-4").await;

    // The detractor is reached and, in the second survey, becomes a promoter.
    let case_id: String = sqlx::query("SELECT id FROM recovery_cases")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id");
    let reached = app
        .call(
            "equipo/detractores/intento",
            &[
                ("id", case_id.as_str()),
                ("result", "contacto_efectivo"),
                ("reason", "Esperó demasiado."),
                ("solution", "solucionado_primer_contacto"),
            ],
            Some(&agent),
        )
        .await;
    assert_eq!(reached.status, StatusCode::OK, "{}", reached.body);
    let call_token: String = sqlx::query("SELECT token FROM recovery_surveys")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("token");
    let second = app
        .call(
            "encuesta/responder",
            &[("token", call_token.as_str()), ("csat", "5"), ("nps", "10")],
            None,
        )
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);

    let reply = app
        .call(
            "equipo/resultados",
            &[("desde", ""), ("hasta", "")],
            Some(&boss),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let results: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let total = &results["total"];
    assert_eq!(total["answers"], 3);
    // CSAT: two of three answers are 4 or 5.
    assert!((total["csat"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(total["nps"]["promoters"], 1);
    assert_eq!(total["nps"]["passives"], 1);
    assert_eq!(total["nps"]["detractors"], 1);
    assert_eq!(total["nps"]["score"], 0.0);
    assert!((total["resolved"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(results["invited"], 4);
    assert_eq!(results["response_rate"], 75.0);
    assert_eq!(results["by_month"].as_array().unwrap().len(), 1);
    assert_eq!(results["by_tier"][0]["answers"], 3);
    assert_eq!(results["comments"].as_array().unwrap().len(), 1);
    assert_eq!(results["comments"][0]["comment"], "Muy lento.");
    let desk = &results["detractors"];
    assert_eq!(desk["cases"], 1);
    assert_eq!(desk["effective_contact"], 100.0);
    assert_eq!(desk["conversion"], 100.0);
    assert_eq!(desk["past_24h"], 0);

    // A case left open past its 24 hours counts as late.
    sqlx::query("UPDATE recovery_cases SET status = 'abierto', closed_at = NULL, due_at = 1")
        .execute(&db.pool)
        .await
        .unwrap();
    let reply = app
        .call(
            "equipo/resultados",
            &[("desde", ""), ("hasta", "")],
            Some(&boss),
        )
        .await;
    let results: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(results["detractors"]["past_24h"], 1);

    // A period with nothing in it, a reversed one, and an asesor.
    let empty = app
        .call(
            "equipo/resultados",
            &[("desde", "2020-01-01"), ("hasta", "2020-01-31")],
            Some(&boss),
        )
        .await;
    let empty: serde_json::Value = serde_json::from_str(&empty.body).unwrap();
    assert_eq!(empty["total"]["answers"], 0);
    assert!(empty["total"]["csat"].is_null());
    let reversed = app
        .call(
            "equipo/resultados",
            &[("desde", "2026-02-01"), ("hasta", "2026-01-01")],
            Some(&boss),
        )
        .await;
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = app
        .call(
            "equipo/resultados",
            &[("desde", ""), ("hasta", "")],
            Some(&agent),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

on_both_databases!(
    closing_invites_once_and_only_the_submit_records,
    agent_and_automatic_closes_invite_too,
    an_expired_link_changes_nothing,
    a_detractor_opens_one_case_for_the_least_loaded_asesor,
    three_failed_attempts_close_the_case_as_not_contacted,
    excluded_accounts_are_typified_without_calling,
    only_staff_reach_the_recovery_desk,
    escalado_files_a_request_and_the_second_survey_follows,
    results_of_the_period_and_the_desk_indicators,
);
