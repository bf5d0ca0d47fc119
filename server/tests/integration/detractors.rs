//! The detractor desk's attention profiles, the attempt form sent twice, and the second
//! survey recorded by the agent on the call (seed 003 §4 steps 2 and 4), on SQLite and
//! PostgreSQL through the real router.

use http::StatusCode;
use sqlx::Row;
use ventanilla::role::Role;
use ventanilla_app::platform::audit::Actor;
use ventanilla_app::{detractors::server::cases, platform::db as store};

use crate::support::{staff, App, Staff, TestDb};

/// A case as an imported base brings it (seed 003 §4 step 1): no request, no account here,
/// and maybe no e-mail. Returns its id and assignee.
async fn imported_case(
    db: &TestDb,
    key: &str,
    segment: &str,
    email: &str,
) -> (String, Option<String>) {
    let mut tx = store::begin(&db.pool).await.unwrap();
    let id = cases::insert_case(
        &mut tx,
        &Actor::system("prueba"),
        cases::NewCase {
            source: "importacion",
            invitation_id: None,
            campaign_answer_id: None,
            request_id: None,
            account_id: None,
            import_id: None,
            external_key: Some(key),
            customer_name: "Dora Luna",
            phone: "3004445566",
            email,
            account_code: "8004",
            nps: Some(2),
            csat: None,
            comment: "Nadie responde",
            segment,
            excluded: false,
            opened_at: chrono::Utc::now().timestamp(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let assignee = sqlx::query("SELECT assignee_id FROM recovery_cases WHERE id = $1")
        .bind(&id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("assignee_id");
    (id, assignee)
}

async fn set_profile(
    app: &App,
    cookie: &str,
    agent: &str,
    segments: &[&str],
) -> crate::support::Reply {
    let keys: Vec<String> = segments.iter().map(|s| format!("segments[{s}]")).collect();
    let mut form = vec![("agent_id", agent)];
    form.extend(keys.iter().map(|k| (k.as_str(), "si")));
    app.call("equipo/detractores/perfil", &form, Some(cookie))
        .await
}

async fn profiles_steer_who_gets_each_case(db: TestDb) {
    let app = App::new(&db);
    let Staff {
        id: _,
        cookie: boss,
    } = staff(
        &app,
        &db,
        Role::Supervisor,
        "Sara Supervisora",
        "sara@equipo.co",
    )
    .await;
    let Staff {
        id: movil,
        cookie: movil_cookie,
    } = staff(&app, &db, Role::Asesor, "Mario Móvil", "mario@equipo.co").await;
    let Staff {
        id: hogar,
        cookie: _,
    } = staff(&app, &db, Role::Asesor, "Helena Hogar", "helena@equipo.co").await;
    let Staff {
        id: especialista,
        cookie: _,
    } = staff(
        &app,
        &db,
        Role::Especialista,
        "Ema Especialista",
        "ema@equipo.co",
    )
    .await;

    // Only supervisors and admins set profiles; nothing changes otherwise.
    assert_eq!(
        set_profile(&app, &movil_cookie, &movil, &["movil"])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let unknown = set_profile(&app, &boss, &movil, &["satelital"]).await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    assert!(unknown.body.contains("no existe"), "{}", unknown.body);
    let not_asesor = set_profile(&app, &boss, &especialista, &["hogar"]).await;
    assert_eq!(not_asesor.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(db.count("agent_segments").await, 0);

    let saved = set_profile(&app, &boss, &movil, &["movil"]).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        set_profile(&app, &boss, &hogar, &["hogar", "empresa"])
            .await
            .status,
        StatusCode::OK
    );
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'perfil_detractores_actualizado'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 2);

    // Hogar cases go to Helena even when she carries more of them: by load among those whose
    // profile covers the segment, not across the whole desk.
    for key in ["H-1", "H-2", "H-3"] {
        assert_eq!(
            imported_case(&db, key, "hogar", "").await.1.as_deref(),
            Some(hogar.as_str())
        );
    }
    assert_eq!(
        imported_case(&db, "M-1", "movil", "").await.1.as_deref(),
        Some(movil.as_str())
    );

    // An asesor with no profile attends every segment: Nina, with no cases, gets the next
    // hogar case; and her profile can be cleared back to "all" after being set.
    let Staff {
        id: nina,
        cookie: _,
    } = staff(&app, &db, Role::Asesor, "Nina Nueva", "nina@equipo.co").await;
    assert_eq!(
        imported_case(&db, "H-4", "hogar", "").await.1.as_deref(),
        Some(nina.as_str())
    );
    assert_eq!(
        set_profile(&app, &boss, &nina, &["movil"]).await.status,
        StatusCode::OK
    );
    assert_eq!(
        set_profile(&app, &boss, &nina, &[]).await.status,
        StatusCode::OK
    );
    let nina_rows: i64 = sqlx::query("SELECT COUNT(*) AS n FROM agent_segments WHERE user_id = $1")
        .bind(&nina)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(nina_rows, 0);

    // A segment nobody's profile covers still gets an asesor: the least loaded one.
    assert_eq!(
        set_profile(&app, &boss, &nina, &["movil"]).await.status,
        StatusCode::OK
    );
    assert_eq!(
        set_profile(&app, &boss, &hogar, &["hogar"]).await.status,
        StatusCode::OK
    );
    let (_, assignee) = imported_case(&db, "E-1", "empresa", "").await;
    assert!(
        assignee == Some(nina.clone()) || assignee == Some(movil.clone()),
        "{assignee:?}"
    );

    let page = app
        .call("equipo/detractores/perfiles", &[], Some(&boss))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let page: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    let helena = page["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Helena Hogar")
        .unwrap()
        .clone();
    assert_eq!(helena["segments"], serde_json::json!(["hogar"]));
    assert_eq!(helena["open_cases"], 3);
}

async fn attempt(
    app: &App,
    cookie: &str,
    case_id: &str,
    result: &str,
    token: &str,
) -> crate::support::Reply {
    app.call(
        "equipo/detractores/intento",
        &[
            ("id", case_id),
            ("result", result),
            ("reason", "Le cobraron dos veces."),
            ("solution", "solucionado_primer_contacto"),
            ("submission_token", token),
        ],
        Some(cookie),
    )
    .await
}

async fn attempts(db: &TestDb, case_id: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM recovery_attempts WHERE case_id = $1")
        .bind(case_id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("n")
}

async fn a_form_sent_twice_logs_one_attempt(db: TestDb) {
    let app = App::new(&db);
    let Staff {
        id: _,
        cookie: agent,
    } = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let (case_id, _) = imported_case(&db, "A-1", "hogar", "dora@correo.co").await;

    // Two "no contesta" from one double click: one attempt, and the case stays open.
    for _ in 0..2 {
        let reply = attempt(&app, &agent, &case_id, "no_contesta", "form-1").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    assert_eq!(attempts(&db, &case_id).await, 1);
    assert_eq!(
        attempt(&app, &agent, &case_id, "tercero", "form-2")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(attempts(&db, &case_id).await, 2);

    // The effective contact resent after it closed the case: accepted once, no second
    // survey, no conflict shown for the agent's own resend.
    for _ in 0..2 {
        let reply = attempt(&app, &agent, &case_id, "contacto_efectivo", "form-3").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    assert_eq!(attempts(&db, &case_id).await, 3);
    assert_eq!(db.count("recovery_surveys").await, 1);
    let mails: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'encuesta_llamada'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(mails, 1);
    // A new form on the closed case is refused as before.
    let late = attempt(&app, &agent, &case_id, "no_contesta", "form-4").await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(attempts(&db, &case_id).await, 3);
    // Each load of the case page carries a fresh token.
    let first = app
        .call("equipo/detractores/caso", &[("id", &case_id)], Some(&agent))
        .await;
    let second = app
        .call("equipo/detractores/caso", &[("id", &case_id)], Some(&agent))
        .await;
    let token = |body: &str| {
        serde_json::from_str::<serde_json::Value>(body).unwrap()["attempt_token"].clone()
    };
    assert_ne!(token(&first.body), token(&second.body));
}

async fn record(
    app: &App,
    cookie: &str,
    case_id: &str,
    csat: &str,
    nps: &str,
) -> crate::support::Reply {
    app.call(
        "equipo/detractores/encuesta-llamada",
        &[
            ("id", case_id),
            ("csat", csat),
            ("nps", nps),
            ("comment", "Me explicó todo."),
        ],
        Some(cookie),
    )
    .await
}

async fn the_agent_records_the_second_survey_on_the_call(db: TestDb) {
    let app = App::new(&db);
    let Staff {
        id: andres,
        cookie: agent,
    } = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    // An imported record without e-mail: the call is the only way to run its second survey.
    let (case_id, assignee) = imported_case(&db, "A-1", "hogar", "").await;
    assert_eq!(assignee, Some(andres.clone()));
    let Staff {
        id: _,
        cookie: other,
    } = staff(&app, &db, Role::Asesor, "Otra Asesora", "otra@equipo.co").await;

    // Before an effective contact there is no second survey to record.
    let early = record(&app, &agent, &case_id, "5", "9").await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert_eq!(
        attempt(&app, &agent, &case_id, "contacto_efectivo", "f-1")
            .await
            .status,
        StatusCode::OK
    );
    let view = app
        .call("equipo/detractores/caso", &[("id", &case_id)], Some(&agent))
        .await;
    let view: serde_json::Value = serde_json::from_str(&view.body).unwrap();
    assert_eq!(view["can_record_call_survey"], true);
    assert_eq!(view["call_survey"], "Enviada, sin respuesta todavía");
    let mails: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'encuesta_llamada'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(mails, 0, "no e-mail address, no e-mail");

    // Bad answers and other people change nothing.
    let missing = record(&app, &agent, &case_id, "5", "").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("Recomendación"), "{}", missing.body);
    assert_eq!(
        record(&app, &agent, &case_id, "6", "9").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        record(&app, &other, &case_id, "5", "9").await.status,
        StatusCode::FORBIDDEN
    );
    let answered = || async {
        sqlx::query(
            "SELECT answered_at, nps, csat, recorded_by FROM recovery_surveys WHERE case_id = $1",
        )
        .bind(&case_id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
    };
    assert!(answered()
        .await
        .get::<Option<i64>, _>("answered_at")
        .is_none());

    let reply = record(&app, &agent, &case_id, "5", "9").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let row = answered().await;
    assert_eq!(row.get::<Option<i64>, _>("nps"), Some(9));
    assert_eq!(row.get::<Option<i64>, _>("csat"), Some(5));
    assert_eq!(
        row.get::<Option<String>, _>("recorded_by"),
        Some(andres.clone())
    );
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'encuesta_llamada_respondida' AND actor_user_id = $1",
    )
    .bind(&andres)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 1);

    // Once answered, neither a second recording nor the e-mailed link changes it.
    let again = record(&app, &agent, &case_id, "1", "0").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("ya fue respondida"), "{}", again.body);
    let token: String = sqlx::query("SELECT token FROM recovery_surveys WHERE case_id = $1")
        .bind(&case_id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("token");
    let by_link = app
        .call(
            "encuesta/responder",
            &[("token", &token), ("csat", "1"), ("nps", "0")],
            None,
        )
        .await;
    assert_eq!(by_link.status, StatusCode::CONFLICT);
    assert_eq!(answered().await.get::<Option<i64>, _>("nps"), Some(9));
    let view = app
        .call("equipo/detractores/caso", &[("id", &case_id)], Some(&agent))
        .await;
    let view: serde_json::Value = serde_json::from_str(&view.body).unwrap();
    assert_eq!(
        view["call_survey"],
        "NPS 9 · CSAT 5 (respondida en la llamada)"
    );
    assert_eq!(view["can_record_call_survey"], false);
}

on_both_databases!(
    profiles_steer_who_gets_each_case,
    a_form_sent_twice_logs_one_attempt,
    the_agent_records_the_second_survey_on_the_call,
);
