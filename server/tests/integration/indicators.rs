//! The indicators (issue 20) on SQLite and PostgreSQL: a hand-built month whose every figure
//! is counted by hand below, the on-time facts written by the real answer flow, the period's
//! bad input, the page's permission and the REST API with its scope.

use chrono::TimeZone;
use http::StatusCode;
use serde_json::Value;
use sqlx::Row;
use ventanilla::calendar::bogota;
use ventanilla::role::Role;

use crate::api::{key, send};
use crate::support::{customer, staff, supervisor_and_customer, App, Reply, TestDb};

/// Unix seconds of a November 2026 instant in Bogotá.
fn nov(day: u32, hour: u32) -> i64 {
    bogota()
        .with_ymd_and_hms(2026, 11, day, hour, 0, 0)
        .single()
        .unwrap()
        .timestamp()
}

const H: i64 = 3600;

/// One stored request of the hand-built month.
#[derive(Default)]
struct Stored {
    received: i64,
    first_due: Option<i64>,
    first_at: Option<i64>,
    first_on_time: Option<i64>,
    clock_first_due: Option<i64>,
    answered: Option<i64>,
    legal_on_time: Option<i64>,
    clock_legal_due: Option<i64>,
    closed: Option<i64>,
    escalated: bool,
    outcome: Option<&'static str>,
    related_to: Option<String>,
}

async fn insert(db: &TestDb, account: &str, user: &str, n: usize, r: Stored) -> String {
    let id = format!("ind-{n:03}");
    let area = r.escalated.then_some("area-facturacion");
    let state = if r.closed.is_some() {
        "cerrada"
    } else if r.answered.is_some() {
        "respondida"
    } else {
        "en_gestion"
    };
    sqlx::query(
        "INSERT INTO requests (id, radicado, account_id, created_by, request_type, subject, description, \
         priority, channel, state, tier, ans_guaranteed, received_at, created_at, updated_at, \
         first_response_due, first_response_at, first_response_on_time, clock_first_due, answered_at, \
         legal_on_time, clock_legal_due, closed_at, area_id, answer_outcome, related_request_id) \
         VALUES ($1, $2, $3, $4, 'reclamo', 'Caso', 'Descripción del caso', 'media', 'portal', $5, 'regular', 1, \
         $6, $6, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(&id)
    .bind(format!("2026-9{n:05}"))
    .bind(account)
    .bind(user)
    .bind(state)
    .bind(r.received)
    .bind(r.first_due)
    .bind(r.first_at)
    .bind(r.first_on_time)
    .bind(r.clock_first_due)
    .bind(r.answered)
    .bind(r.legal_on_time)
    .bind(r.clock_legal_due)
    .bind(r.closed)
    .bind(area)
    .bind(r.outcome)
    .bind(r.related_to)
    .execute(&db.pool)
    .await
    .unwrap();
    id
}

async fn message(db: &TestDb, request: &str, kind: &str, from_customer: bool, at: i64) {
    sqlx::query(
        "INSERT INTO request_messages (id, request_id, author_label, from_customer, visibility, kind, body, created_at) \
         VALUES ($1, $2, 'Alguien', $3, 'publica', $4, 'Texto', $5)",
    )
    .bind(format!("{request}-{kind}-{at}"))
    .bind(request)
    .bind(i64::from(from_customer))
    .bind(kind)
    .bind(at)
    .execute(&db.pool)
    .await
    .unwrap();
}

async fn survey(db: &TestDb, request: &str, account: &str, csat: i64, nps: i64, at: i64) {
    sqlx::query(
        "INSERT INTO survey_invitations (id, token, request_id, account_id, created_at, expires_at, answered_at, csat, nps) \
         VALUES ($1, $1, $2, $3, $4, $4, $4, $5, $6)",
    )
    .bind(format!("enc-{request}"))
    .bind(request)
    .bind(account)
    .bind(at)
    .bind(csat)
    .bind(nps)
    .execute(&db.pool)
    .await
    .unwrap();
}

/// (numerator, denominator, value, meets) of one indicator.
type Figure = (i64, Option<i64>, Option<f64>, Option<bool>);

fn by_key(report: &Value) -> std::collections::HashMap<String, Figure> {
    report["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap().to_string(),
                (
                    i["numerator"].as_i64().unwrap(),
                    i["denominator"].as_i64(),
                    i["value"].as_f64(),
                    i["meets"].as_bool(),
                ),
            )
        })
        .collect()
}

fn json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

async fn a_hand_built_month_gives_the_figures_counted_by_hand(db: TestDb) {
    let app = App::new(&db);
    let (supervisor, account, user) = supervisor_and_customer(&app, &db).await;
    let agent = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co")
        .await
        .cookie;
    sqlx::query("INSERT INTO areas (id, name) VALUES ('area-facturacion', 'Facturación')")
        .execute(&db.pool)
        .await
        .unwrap();
    // 1: received Nov 3, first response on time, answered on time after quality review, closed.
    let a = insert(
        &db,
        &account,
        &user,
        1,
        Stored {
            received: nov(3, 9),
            first_due: Some(nov(3, 11)),
            first_at: Some(nov(3, 10)),
            first_on_time: Some(1),
            answered: Some(nov(5, 10)),
            legal_on_time: Some(1),
            closed: Some(nov(9, 10)),
            outcome: Some("solucionada"),
            ..Default::default()
        },
    )
    .await;
    message(&db, &a, "borrador_aprobado", false, nov(5, 9)).await;
    // 2: first response late (after 24 h too), answered late, after asking for information.
    let b = insert(
        &db,
        &account,
        &user,
        2,
        Stored {
            received: nov(4, 9),
            first_due: Some(nov(4, 11)),
            first_at: Some(nov(5, 12)),
            first_on_time: Some(0),
            answered: Some(nov(27, 10)),
            legal_on_time: Some(0),
            ..Default::default()
        },
    )
    .await;
    message(&db, &b, "solicitud_informacion", false, nov(5, 12)).await;
    // 3: escalated; first response on time; answered on time "no procede", closed Nov 14 —
    // but the customer filed a related request on Dec 2 (number 6): not an effective close.
    let c = insert(
        &db,
        &account,
        &user,
        3,
        Stored {
            received: nov(10, 9),
            first_due: Some(nov(10, 11)),
            first_at: Some(nov(10, 9) + H / 2),
            first_on_time: Some(1),
            answered: Some(nov(12, 9)),
            legal_on_time: Some(1),
            escalated: true,
            closed: Some(nov(14, 9)),
            outcome: Some("no_procede"),
            ..Default::default()
        },
    )
    .await;
    // 4: no first response, its first-response due breached in the month; legal term
    // breached on Nov 28 without an answer; still open.
    insert(
        &db,
        &account,
        &user,
        4,
        Stored {
            received: nov(20, 9),
            first_due: Some(nov(20, 11)),
            clock_first_due: Some(nov(20, 11)),
            clock_legal_due: Some(nov(28, 18)),
            ..Default::default()
        },
    )
    .await;
    // 5: received in October, answered on time in November with a customer reply before.
    let e = insert(
        &db,
        &account,
        &user,
        5,
        Stored {
            received: nov(1, 9) - 5 * 24 * H,
            first_due: Some(nov(1, 9) - 5 * 24 * H + 2 * H),
            first_at: Some(nov(1, 9) - 5 * 24 * H + H),
            first_on_time: Some(1),
            answered: Some(nov(2, 10)),
            legal_on_time: Some(1),
            ..Default::default()
        },
    )
    .await;
    message(&db, &e, "respuesta_cliente", true, nov(1, 10)).await;
    // 6: received in December (outside), related to 3.
    insert(
        &db,
        &account,
        &user,
        6,
        Stored {
            received: nov(30, 9) + 2 * 24 * H,
            related_to: Some(c.clone()),
            ..Default::default()
        },
    )
    .await;
    survey(&db, &a, &account, 5, 10, nov(10, 9)).await;
    survey(&db, &b, &account, 2, 3, nov(28, 9)).await;
    survey(&db, &e, &account, 4, 8, nov(3, 9)).await;

    let reply = app
        .call(
            "equipo/indicadores",
            &[("desde", "2026-11-01"), ("hasta", "2026-11-30")],
            Some(&supervisor),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let figures = by_key(&json(&reply));
    // Received in the month: 1, 2, 3, 4 (5 in October, 6 in December).
    assert_eq!(figures["received"].0, 4);
    // Answered in the month: 1, 2, 3, 5; closed: 1, 3; open at the end: 2, 4, 5 (5 was
    // answered, not closed).
    assert_eq!(figures["answered"].0, 4);
    assert_eq!(figures["closed"].0, 2);
    assert_eq!(figures["open_at_end"].0, 3);
    // Quejas and reclamos received: 1–4; closed effectively: 1 only (3 has a related
    // request within 30 days of its close; 2 and 4 are open).
    assert_eq!(
        figures["pqr_effective_closure"],
        (1, Some(4), Some(25.0), Some(false))
    );
    // First-response dues in the month: 1, 2, 3 met (2 late) and 4 breached: 2 of 4.
    assert_eq!(
        figures["first_response_within_ans"],
        (2, Some(4), Some(50.0), Some(false))
    );
    // Received in the month and decided: 1, 2, 3, 4 (24 h long gone); within 24 h: 1, 3.
    assert_eq!(
        figures["first_contact_24h"],
        (2, Some(4), Some(50.0), Some(false))
    );
    // Answered in the month: 1, 3, 5 on time, 2 late; 4 breached unanswered: 3 of 5.
    assert_eq!(
        figures["legal_term_compliance"],
        (3, Some(5), Some(60.0), Some(false))
    );
    // Answered with nothing in between: 1 only (2 asked, 3 escalated, 5 had a reply).
    assert_eq!(
        figures["first_contact_resolution"],
        (1, Some(4), Some(25.0), None)
    );
    // Reviewed before sending: 1 of 4 answered.
    assert_eq!(
        figures["review_rate"],
        (1, Some(4), Some(25.0), Some(false))
    );
    // Surveys answered in the month: CSAT 5, 2, 4 → 2 of 3; NPS 10, 3, 8 → (1 − 1) / 3.
    assert_eq!(figures["csat"].0, 2);
    assert_eq!(figures["csat"].1, Some(3));
    assert_eq!(figures["nps"], (0, Some(3), Some(0.0), None));

    // Every request figure lists the requests behind it, by the same conditions.
    let behind = |key: &'static str, part: &'static str| {
        let app = &app;
        let cookie = supervisor.clone();
        async move {
            let reply = app
                .call(
                    "equipo/indicadores/detalle",
                    &[
                        ("clave", key),
                        ("parte", part),
                        ("desde", "2026-11-01"),
                        ("hasta", "2026-11-30"),
                    ],
                    Some(&cookie),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let mut radicados: Vec<String> = json(&reply)["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["radicado"].as_str().unwrap().to_string())
                .collect();
            radicados.sort();
            radicados
        }
    };
    assert_eq!(
        behind("legal_term_compliance", "numerador").await,
        ["2026-900001", "2026-900003", "2026-900005"]
    );
    assert_eq!(behind("legal_term_compliance", "base").await.len(), 5);
    assert_eq!(
        behind("pqr_effective_closure", "numerador").await,
        ["2026-900001"]
    );
    assert_eq!(behind("received", "numerador").await.len(), 4);
    // The survey figures list the requests their answers were about: CSAT 5 (1) and 4 (5)
    // are satisfied, of 1, 2 and 5 answered. The NPS numerator is a balance: only its base.
    assert_eq!(
        behind("csat", "numerador").await,
        ["2026-900001", "2026-900005"]
    );
    assert_eq!(
        behind("nps", "base").await,
        ["2026-900001", "2026-900002", "2026-900005"]
    );
    let survey_detail = app
        .call(
            "equipo/indicadores/detalle",
            &[("clave", "nps")],
            Some(&supervisor),
        )
        .await;
    assert_eq!(survey_detail.status, StatusCode::UNPROCESSABLE_ENTITY);

    // An empty period is "sin datos", not a division by zero.
    let empty = json(
        &app.call(
            "equipo/indicadores",
            &[("desde", "2020-01-01"), ("hasta", "2020-01-31")],
            Some(&supervisor),
        )
        .await,
    );
    assert_eq!(
        by_key(&empty)["legal_term_compliance"],
        (0, Some(0), None, None)
    );

    // Bad periods are refused in words.
    let reversed = app
        .call(
            "equipo/indicadores",
            &[("desde", "2026-11-30"), ("hasta", "2026-11-01")],
            Some(&supervisor),
        )
        .await;
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reversed.body.contains("posterior"), "{}", reversed.body);
    let decade = app
        .call(
            "equipo/indicadores",
            &[("desde", "2016-01-01"), ("hasta", "2026-01-01")],
            Some(&supervisor),
        )
        .await;
    assert_eq!(decade.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = app.call("equipo/indicadores", &[], Some(&agent)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The REST API gives the same figures to a key with reports:read only.
    let reports = key(&db, &["reports:read"], 100).await;
    let other = key(&db, &["requests:read"], 100).await;
    let path = "/api/v1/indicators?from=2026-11-01&to=2026-11-30";
    let api = send(&app, "GET", path, Some(&reports), None, &[]).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert_eq!(by_key(&json(&api)), figures);
    let forbidden = send(&app, "GET", path, Some(&other), None, &[]).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let bad = send(
        &app,
        "GET",
        "/api/v1/indicators?from=ayer",
        Some(&reports),
        None,
        &[],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);

    // Filters narrow every request figure and the surveys of those requests, the same way
    // on the page, in the drill-down and in the API. Every request here is a reclamo.
    let filtered = |extra: &'static [(&'static str, &'static str)]| {
        let app = &app;
        let cookie = supervisor.clone();
        async move {
            let mut form = vec![("desde", "2026-11-01"), ("hasta", "2026-11-30")];
            form.extend_from_slice(extra);
            let reply = app.call("equipo/indicadores", &form, Some(&cookie)).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            json(&reply)
        }
    };
    let reclamos = filtered(&[("filtros[request_type]", "reclamo")]).await;
    assert_eq!(by_key(&reclamos), figures);
    assert_eq!(reclamos["filters"]["request_type"], "reclamo");
    assert!(reclamos["options"]["areas"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["code"] == "area-facturacion"));
    let quejas = by_key(&filtered(&[("filtros[request_type]", "queja")]).await);
    assert_eq!(quejas["received"].0, 0);
    assert_eq!(quejas["legal_term_compliance"], (0, Some(0), None, None));
    assert_eq!(quejas["csat"], (0, Some(0), None, None));
    // The escalated ones: received in November and escalated to Facturación.
    let escalated: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM requests WHERE area_id = 'area-facturacion' \
         AND received_at >= $1 AND received_at < $2",
    )
    .bind(nov(1, 0))
    .bind(nov(1, 0) + 30 * 24 * H)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert!(escalated > 0 && escalated < figures["received"].0);
    let area = by_key(&filtered(&[("filtros[area]", "area-facturacion")]).await);
    assert_eq!(area["received"].0, escalated);
    let behind = app
        .call(
            "equipo/indicadores/detalle",
            &[
                ("clave", "received"),
                ("desde", "2026-11-01"),
                ("hasta", "2026-11-30"),
                ("filtros[area]", "area-facturacion"),
            ],
            Some(&supervisor),
        )
        .await;
    assert_eq!(
        json(&behind)["rows"].as_array().unwrap().len() as i64,
        escalated
    );
    let refused = app
        .call(
            "equipo/indicadores",
            &[("filtros[channel]", "paloma")],
            Some(&supervisor),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Canal: «paloma» no existe"),
        "{}",
        refused.body
    );
    let api = send(
        &app,
        "GET",
        "/api/v1/indicators?from=2026-11-01&to=2026-11-30&type=queja",
        Some(&reports),
        None,
        &[],
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert_eq!(by_key(&json(&api))["received"].0, 0);
    let api = send(
        &app,
        "GET",
        "/api/v1/indicators?from=2026-11-01&to=2026-11-30&area_id=area-facturacion",
        Some(&reports),
        None,
        &[],
    )
    .await;
    assert_eq!(by_key(&json(&api))["received"].0, escalated);

    // group_by: the same figures once per value; the escalated ones under their area.
    let api = send(
        &app,
        "GET",
        "/api/v1/indicators?from=2026-11-01&to=2026-11-30&group_by=area",
        Some(&reports),
        None,
        &[],
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let grouped = json(&api);
    let groups = grouped["groups"].as_array().unwrap();
    let area = groups
        .iter()
        .find(|g| g["value"] == "area-facturacion")
        .unwrap_or_else(|| panic!("{grouped}"));
    assert_eq!(by_key(area)["received"].0, escalated);
    let by_type = send(
        &app,
        "GET",
        "/api/v1/indicators?from=2026-11-01&to=2026-11-30&group_by=type",
        Some(&reports),
        None,
        &[],
    )
    .await;
    let by_type = json(&by_type);
    let types: Vec<&str> = by_type["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["value"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["reclamo"], "only the types with requests");
    assert_eq!(by_key(&by_type["groups"][0]), figures);
    let unknown = send(
        &app,
        "GET",
        "/api/v1/indicators?from=2026-11-01&to=2026-11-30&group_by=color",
        Some(&reports),
        None,
        &[],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.body.contains("no es una dimensión"),
        "{}",
        unknown.body
    );
}

/// The on-time facts come from the real flow: filing, the first reply, the answer.
async fn answering_records_whether_each_clock_was_met_on_time(db: TestDb) {
    let app = App::new(&db);
    let agent = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let client = customer(&app, "1020304050", "cliente@correo.co").await;
    crate::support::file_reclamo(&app, &client, "t-1").await;
    let radicado: String = sqlx::query("SELECT radicado FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado");
    let facts = || async {
        let row = sqlx::query("SELECT first_response_on_time, legal_on_time FROM requests")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        (
            row.get::<Option<i64>, _>("first_response_on_time"),
            row.get::<Option<i64>, _>("legal_on_time"),
        )
    };
    assert_eq!(facts().await, (None, None));
    let act = |action: &'static str, message: &'static str, outcome: &'static str| {
        let app = &app;
        let cookie = agent.cookie.clone();
        let radicado = radicado.clone();
        async move {
            app.call(
                "equipo/actuar",
                &[
                    ("radicado", radicado.as_str()),
                    ("action", action),
                    ("message", message),
                    ("outcome", outcome),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    let taken = act("take", "", "").await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    // An outcome not in the list is refused and changes nothing.
    let odd = act("answer", "Ya revisamos el cobro.", "quizas").await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", odd.body);
    assert!(
        odd.body.contains("resultado de la respuesta"),
        "{}",
        odd.body
    );
    assert_eq!(facts().await, (None, None));
    let answered = act(
        "answer",
        "El cobro corresponde al plan contratado.",
        "no_procede",
    )
    .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let outcome: Option<String> = sqlx::query("SELECT answer_outcome FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("answer_outcome");
    assert_eq!(outcome.as_deref(), Some("no_procede"));
    assert_eq!(facts().await, (Some(1), Some(1)));
    // The time to the first response, in business seconds of the default hours.
    let row = sqlx::query(
        "SELECT received_at, first_response_at, first_response_business_seconds FROM requests",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let at = |column: &str| chrono::DateTime::from_timestamp(row.get(column), 0).unwrap();
    let expected = ventanilla::BusinessCalendar::default().signed_business_seconds(
        at("received_at"),
        at("first_response_at"),
        &[],
    );
    assert_eq!(
        row.get::<Option<i64>, _>("first_response_business_seconds"),
        Some(expected)
    );
}

/// Tiempo de primera respuesta (seed 000 §7): mean and median by tier and priority of the
/// first responses given in the period, counted by hand; the page and the API agree.
async fn first_response_times_are_means_and_medians_by_tier_and_priority(db: TestDb) {
    let app = App::new(&db);
    let (supervisor, account, user) = supervisor_and_customer(&app, &db).await;
    // (tier, priority, first response at, business seconds): the last one answered in
    // December is outside the period; one still unanswered counts nowhere.
    let rows: [(&str, &str, Option<i64>, Option<i64>); 7] = [
        ("vip", "alta", Some(nov(3, 10)), Some(1800)),
        ("vip", "alta", Some(nov(4, 10)), Some(5400)),
        ("regular", "media", Some(nov(5, 10)), Some(3600)),
        ("regular", "media", Some(nov(6, 10)), Some(600)),
        ("regular", "media", Some(nov(9, 10)), Some(7200)),
        ("regular", "media", Some(nov(30, 23) + 2 * H), Some(60)),
        ("regular", "media", None, None),
    ];
    for (n, (tier, priority, first_at, seconds)) in rows.into_iter().enumerate() {
        let id = insert(
            &db,
            &account,
            &user,
            n,
            Stored {
                received: nov(2, 9),
                first_at,
                ..Stored::default()
            },
        )
        .await;
        sqlx::query(
            "UPDATE requests SET tier = $1, priority = $2, first_response_business_seconds = $3 WHERE id = $4",
        )
        .bind(tier)
        .bind(priority)
        .bind(seconds)
        .bind(&id)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    let period = [("desde", "2026-11-01"), ("hasta", "2026-11-30")];
    let page = json(
        &app.call("equipo/indicadores", &period, Some(&supervisor))
            .await,
    );
    let lines: Vec<(String, String, i64, i64, i64, String)> = page["first_response_times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["tier"].as_str().unwrap().to_string(),
                l["priority"].as_str().unwrap().to_string(),
                l["responses"].as_i64().unwrap(),
                l["mean_seconds"].as_i64().unwrap(),
                l["median_seconds"].as_i64().unwrap(),
                l["median"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let line = |t: &str, p: &str, n, mean, median, text: &str| {
        (
            t.to_string(),
            p.to_string(),
            n,
            mean,
            median,
            text.to_string(),
        )
    };
    assert_eq!(
        lines,
        [
            // VIP alta: 30 and 90 min → mean 60, median 60.
            line("VIP", "Alta", 2, 3600, 3600, "1 h 00 min"),
            // Regular media: 60, 10, 120 min → mean 63 min 20 s, median 60 min.
            line("Regular", "Media", 3, 3800, 3600, "1 h 00 min"),
            // All five: 10, 30, 60, 90, 120 min → mean 62 min, median 60.
            line("Todos", "Todas", 5, 3720, 3600, "1 h 00 min"),
        ]
    );
    let reports = key(&db, &["reports:read"], 100).await;
    let api = send(
        &app,
        "GET",
        "/api/v1/indicators?from=2026-11-01&to=2026-11-30",
        Some(&reports),
        None,
        &[],
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let api = json(&api);
    assert_eq!(api["first_response_times"][1]["mean_seconds"], 3800);
    assert_eq!(api["first_response_times"][2]["responses"], 5);
}

/// The goals and owners (seed 001 §5.3) are the admin's to set: a stored goal replaces the
/// built-in one and decides whether the figure meets it; a bad goal changes nothing; each
/// change is audited; supervisors read, they do not edit.
async fn an_admin_sets_the_goals_and_owners_the_cards_compare_with(db: TestDb) {
    let app = App::new(&db);
    let admin = staff(
        &app,
        &db,
        Role::Admin,
        "Ana Administradora",
        "ana@equipo.co",
    )
    .await
    .cookie;
    let (supervisor, account, user) = supervisor_and_customer(&app, &db).await;
    // Two guaranteed first-response dues in November: one on time, one late → 50 %.
    for (n, on_time) in [(1, 1), (2, 0)] {
        insert(
            &db,
            &account,
            &user,
            n,
            Stored {
                received: nov(3, 9),
                first_due: Some(nov(3, 11)),
                first_at: Some(nov(3, 10)),
                first_on_time: Some(on_time),
                ..Stored::default()
            },
        )
        .await;
    }
    let period = [("desde", "2026-11-01"), ("hasta", "2026-11-30")];
    let card = |report: &Value| {
        report["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == "first_response_within_ans")
            .unwrap()
            .clone()
    };
    let before = json(&app.call("equipo/indicadores", &period, Some(&admin)).await);
    assert_eq!(before["can_edit_goals"], true);
    assert_eq!(card(&before)["goal"], 90.0);
    assert_eq!(card(&before)["meets"], false);

    let form = |goal: &'static str| {
        vec![
            ("goal[first_response_within_ans]", goal),
            (
                "owner[first_response_within_ans]",
                "Jefe de servicio al cliente",
            ),
            ("goal[pqr_effective_closure]", "97"),
            ("goal[nps]", ""),
        ]
    };
    // A bad goal refuses the whole form.
    let refused = app
        .call(
            "equipo/indicadores/metas/guardar",
            &form("120"),
            Some(&admin),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("entre 0 y 100"), "{}", refused.body);
    assert_eq!(db.count("indicator_goals").await, 0);
    let forbidden = app
        .call(
            "equipo/indicadores/metas/guardar",
            &form("50"),
            Some(&supervisor),
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let saved = app
        .call(
            "equipo/indicadores/metas/guardar",
            &form("50"),
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    // Only the changed line is written: pqr_effective_closure keeps its built-in 97.
    assert!(saved.body.contains("1 indicador"), "{}", saved.body);
    let after = json(
        &app.call("equipo/indicadores", &period, Some(&supervisor))
            .await,
    );
    assert_eq!(after["can_edit_goals"], false);
    assert_eq!(card(&after)["goal"], 50.0);
    assert_eq!(card(&after)["meets"], true);
    assert_eq!(card(&after)["owner"], "Jefe de servicio al cliente");
    let lines = json(
        &app.call("equipo/indicadores/metas", &[], Some(&admin))
            .await,
    );
    let line = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["key"] == "first_response_within_ans")
        .unwrap();
    assert_eq!(line["goal"], "50");
    assert_eq!(line["default_goal"], "90");
    assert!(line["changed"]
        .as_str()
        .unwrap()
        .starts_with("Ana Administradora · "));
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'meta_indicador_cambiada' AND entity_id = 'first_response_within_ans'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 1);
    // The API reads the same goal and owner.
    let reports = key(&db, &["reports:read"], 100).await;
    let api = send(
        &app,
        "GET",
        "/api/v1/indicators?from=2026-11-01&to=2026-11-30",
        Some(&reports),
        None,
        &[],
    )
    .await;
    let api = json(&api);
    assert_eq!(card(&api)["goal"], 50.0);
    assert_eq!(card(&api)["owner"], "Jefe de servicio al cliente");
}

on_both_databases!(
    an_admin_sets_the_goals_and_owners_the_cards_compare_with,
    a_hand_built_month_gives_the_figures_counted_by_hand,
    answering_records_whether_each_clock_was_met_on_time,
    first_response_times_are_means_and_medians_by_tier_and_priority,
);
