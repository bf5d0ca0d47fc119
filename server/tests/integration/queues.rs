//! The agent queues asked of the database (agent-workspace requirement): "Por vencer" and "Vencidas" compare the
//! clock instants every writer stores with now, and must say what the domain clocks say —
//! the same reading the browser ticks with — after filing, pausing, resuming, a prórroga, a
//! priority change and the answer. Pages are ordered by priority and then receipt, with
//! `more` counting what does not fit.

use chrono::{DateTime, Duration, Utc};
use http::StatusCode;
use sqlx::Row;
use ventanilla::legal::{legal_due_instant, LegalTerm, RequestType};
use ventanilla::lifecycle::{Action, RequestState};
use ventanilla::role::Role;
use ventanilla::sla::{ClockStatus, Priority};
use ventanilla::tier::Tier;
use ventanilla_app::dev::demo::{seed_if_empty, DEMO_PASSWORD};
use ventanilla_app::platform::audit::Actor;
use ventanilla_app::platform::db;
use ventanilla_app::requests::server::clocks::{self, ClockFacts, Instants};
use ventanilla_app::requests::server::filing::{radicar, NewRequest};
use ventanilla_app::requests::server::lifecycle;
use ventanilla_app::timers::read;
use ventanilla_app::{accounts::model::SessionUser, timers::TimerData};

use crate::support::{App, TestDb};

async fn session_user(db: &TestDb, email: &str) -> SessionUser {
    let row = sqlx::query("SELECT id, full_name, role FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    SessionUser {
        id: row.get("id"),
        full_name: row.get("full_name"),
        email: email.to_string(),
        role: Role::from_code(&row.get::<String, _>("role")).unwrap(),
    }
}

/// Files a request for the demo customer with this e-mail, received at `received`, through
/// the one filing service every channel uses.
async fn file(
    db: &TestDb,
    email: &str,
    request_type: RequestType,
    priority: Priority,
    received: DateTime<Utc>,
    subject: &str,
) -> String {
    let customer = session_user(db, email).await;
    let account_id: String = sqlx::query("SELECT account_id FROM users WHERE id = $1")
        .bind(&customer.id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("account_id");
    let mut tx = db::begin(&db.pool).await.unwrap();
    let filed = radicar(
        &mut tx,
        &Actor::user(&customer.id, &customer.full_name),
        &ventanilla::ans::AnsVersion {
            number: 1,
            effective_at: 0,
            settings: Default::default(),
        },
        NewRequest {
            account_id: &account_id,
            created_by: &customer.id,
            request_type,
            category_id: None,
            subject,
            description: subject,
            priority,
            channel: "portal",
            received_at: received,
            submission_token: None,
            related_request_id: None,
            links: "",
            author_label: &customer.full_name,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    filed.radicado.to_string()
}

/// The instants stored on the request.
async fn stored(db: &TestDb, radicado: &str) -> Instants {
    let row = sqlx::query(
        "SELECT clock_first_due, clock_first_risk, clock_legal_due, clock_legal_risk, clock_basis, \
         clock_contact_due, clock_contact_risk \
         FROM requests WHERE radicado = $1",
    )
    .bind(radicado)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        row.get::<Option<String>, _>("clock_basis").as_deref(),
        Some(clocks::basis())
    );
    Instants {
        first_due: row.get("clock_first_due"),
        first_risk: row.get("clock_first_risk"),
        legal_due: row.get("clock_legal_due"),
        legal_risk: row.get("clock_legal_risk"),
        contact_due: row.get("clock_contact_due"),
        contact_risk: row.get("clock_contact_risk"),
    }
}

/// The request's clocks built from its row as it is now (receipt, pauses, prórroga, …).
async fn facts(db: &TestDb, radicado: &str) -> ClockFacts {
    let row = sqlx::query(&format!(
        "SELECT r.id, {} FROM requests r WHERE r.radicado = $1",
        clocks::COLUMNS
    ))
    .bind(radicado)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let id: String = row.get("id");
    let pauses = clocks::pauses_of(&db.pool, std::slice::from_ref(&id))
        .await
        .unwrap()
        .remove(&id)
        .unwrap_or_default();
    let hours = clocks::hours_of_versions(&db.pool, [row.get::<i64, _>("ans_version")])
        .await
        .unwrap();
    ClockFacts::from_row(&row, pauses, &hours).unwrap()
}

/// What the writer stored is what the domain computes from the row it left.
async fn stored_is_current(db: &TestDb, radicado: &str) -> Instants {
    let instants = stored(db, radicado).await;
    assert_eq!(instants, facts(db, radicado).await.instants(), "{radicado}");
    instants
}

/// The statuses of both clocks of `facts` at `now`, first response then legal term.
fn statuses(facts: &ClockFacts, now: i64) -> Vec<ClockStatus> {
    let timers = facts.timers();
    [timers.first_response, timers.legal_term]
        .iter()
        .flatten()
        .map(|timer| read(timer, now).status)
        .collect()
}

/// How long ago a request of this kind must have been received so that, now and for the next
/// quarter of an hour, its clocks read as `wanted` says — found with the domain clocks, so the
/// test holds whatever the hour it runs at.
fn received_for(
    tier: Tier,
    priority: Priority,
    guaranteed: bool,
    request_type: RequestType,
    wanted: impl Fn(&[ClockStatus]) -> bool,
) -> DateTime<Utc> {
    let now = Utc::now();
    for hours in 1..24 * 120 {
        let received = now - Duration::hours(hours);
        let facts = ClockFacts {
            first_response_hours: ventanilla::sla::SlaMatrix::default()
                .first_response_hours(tier, priority),
            guaranteed,
            received_at: received.timestamp(),
            legal_term: LegalTerm::for_request(request_type, received),
            pauses: vec![],
            paused: false,
            first_response_at: None,
            answered_at: None,
            business_hours: Default::default(),
            first_contact_hours: None,
        };
        let at = now.timestamp();
        if wanted(&statuses(&facts, at)) && wanted(&statuses(&facts, at + 900)) {
            return received;
        }
    }
    panic!("no receipt gives the wanted clocks");
}

struct Queues<'a> {
    app: &'a App,
    cookie: String,
}

impl Queues<'_> {
    async fn view(&self, form: &[(&str, &str)]) -> serde_json::Value {
        let reply = self.app.call("equipo/cola", form, Some(&self.cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    }

    async fn radicados(&self, queue: &str) -> Vec<String> {
        radicados(&self.view(&[("queue", queue)]).await)
    }

    async fn holds(&self, queue: &str, radicado: &str) -> bool {
        self.radicados(queue).await.iter().any(|r| r == radicado)
    }

    /// Every open request is in "Por vencer" and "Vencidas" exactly when the domain reading
    /// of its clocks at now says so, and the counts are those rows.
    async fn agree_with_the_clocks(&self) {
        let before = Utc::now().timestamp();
        let all = self.view(&[("queue", "todas")]).await;
        let at_risk = self.view(&[("queue", "por_vencer")]).await;
        let overdue = self.view(&[("queue", "vencidas")]).await;
        let after = Utc::now().timestamp();
        let rows = all["rows"].as_array().unwrap();
        assert!(!rows.is_empty() && all["more"] == 0);
        let (at_risk, overdue) = (radicados(&at_risk), radicados(&overdue));
        let mut checked = 0;
        for row in rows {
            let timers: Vec<TimerData> = ["first_response", "legal_term", "first_contact"]
                .iter()
                .filter_map(|k| serde_json::from_value(row[*k].clone()).ok())
                .collect();
            let read_at =
                |now| -> Vec<ClockStatus> { timers.iter().map(|t| read(t, now).status).collect() };
            // A reading that changes while the queues are asked can go either way.
            if read_at(before) != read_at(after) {
                continue;
            }
            let status = read_at(before);
            let breached = status.contains(&ClockStatus::Breached);
            let risky = status.contains(&ClockStatus::AtRisk) && !breached;
            let radicado = row["radicado"].as_str().unwrap().to_string();
            assert_eq!(
                overdue.contains(&radicado),
                breached,
                "{radicado}: {status:?}"
            );
            assert_eq!(at_risk.contains(&radicado), risky, "{radicado}: {status:?}");
            checked += 1;
        }
        assert!(checked > 0);
        assert_eq!(count(&all, "por_vencer"), at_risk.len());
        assert_eq!(count(&all, "vencidas"), overdue.len());
    }
}

fn radicados(view: &serde_json::Value) -> Vec<String> {
    view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["radicado"].as_str().unwrap().to_string())
        .collect()
}

fn count(view: &serde_json::Value, code: &str) -> usize {
    view["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["code"] == code)
        .map(|q| q["count"].as_u64().unwrap() as usize)
        .unwrap()
}

async fn act(app: &App, cookie: &str, radicado: &str, action: &str, message: &str) {
    let reply = app
        .call(
            "equipo/actuar",
            &[
                ("radicado", radicado),
                ("action", action),
                ("message", message),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
}

/// Applies a lifecycle transition at a past instant, as the request's history would have.
async fn apply_at(app: &App, db: &TestDb, radicado: &str, action: Action, at: DateTime<Utc>) {
    let agent = session_user(db, "asesor@demo.ventanilla.co").await;
    let id: String = sqlx::query("SELECT id FROM requests WHERE radicado = $1")
        .bind(radicado)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id");
    let mut tx = db::begin(&db.pool).await.unwrap();
    let current = lifecycle::load(&mut tx, &id).await.unwrap();
    lifecycle::apply(
        &mut tx,
        &app.state,
        &current,
        action,
        Role::Asesor,
        &Actor::user(&agent.id, &agent.full_name),
        at,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn por_vencer_and_vencidas_follow_the_stored_instants_of_every_writer(db: TestDb) {
    seed_if_empty(&db.pool).await.unwrap();
    let app = App::new(&db);
    let queues = Queues {
        app: &app,
        cookie: app
            .sign_in("supervisor@demo.ventanilla.co", DEMO_PASSWORD)
            .await,
    };
    let agent = app
        .sign_in("asesor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let now = Utc::now();

    // Filing: a reclamo received two months ago is past both dues.
    let old = file(
        &db,
        "vip@demo.ventanilla.co",
        RequestType::Reclamo,
        Priority::Alta,
        now - Duration::days(60),
        "Reclamo antiguo sin respuesta",
    )
    .await;
    let filed = stored_is_current(&db, &old).await;
    assert!(filed.first_due.unwrap() < now.timestamp());
    assert!(filed.legal_due.unwrap() < now.timestamp());
    assert!(queues.holds("vencidas", &old).await);
    assert!(!queues.holds("por_vencer", &old).await);

    // Pausing after the due keeps the breach visible, as the domain reading does.
    act(&app, &agent, &old, "take", "").await;
    act(&app, &agent, &old, "ask_customer", "Envíe la factura.").await;
    let paused_late = stored_is_current(&db, &old).await;
    assert_eq!(paused_late.legal_due, filed.legal_due);
    assert_eq!(paused_late.legal_risk, None);
    assert!(queues.holds("vencidas", &old).await);

    // A request that went to the customer before its dues is neither at risk nor overdue
    // while paused, however long ago it was filed.
    let waiting = file(
        &db,
        "vip@demo.ventanilla.co",
        RequestType::Reclamo,
        Priority::Alta,
        now - Duration::days(60),
        "Reclamo en espera del cliente",
    )
    .await;
    assert!(queues.holds("vencidas", &waiting).await);
    let filed_at = now - Duration::days(60);
    apply_at(
        &app,
        &db,
        &waiting,
        Action::Take,
        filed_at + Duration::minutes(1),
    )
    .await;
    apply_at(
        &app,
        &db,
        &waiting,
        Action::AskCustomer,
        filed_at + Duration::minutes(2),
    )
    .await;
    assert_eq!(stored_is_current(&db, &waiting).await, Instants::default());
    assert!(!queues.holds("vencidas", &waiting).await);
    assert!(!queues.holds("por_vencer", &waiting).await);
    assert!(queues.holds("pendientes", &waiting).await);

    // A legal term with under a quarter left is "por vencer" (no ANS for a customer in mora,
    // so only the legal clock runs) …
    let received = received_for(
        Tier::Regular,
        Priority::Media,
        false,
        RequestType::Reclamo,
        |s| s == [ClockStatus::AtRisk],
    );
    let risky = file(
        &db,
        "mora@demo.ventanilla.co",
        RequestType::Reclamo,
        Priority::Media,
        received,
        "Reclamo por vencer",
    )
    .await;
    let at_risk = stored_is_current(&db, &risky).await;
    assert_eq!((at_risk.first_due, at_risk.first_risk), (None, None));
    assert!(at_risk.legal_risk.unwrap() <= Utc::now().timestamp());
    assert!(queues.holds("por_vencer", &risky).await);
    assert!(!queues.holds("vencidas", &risky).await);
    // … pausing takes it out, and the customer's reply resumes the clock (and the day of the
    // pause is not counted: Ley 1755 art. 17).
    act(&app, &agent, &risky, "take", "").await;
    act(
        &app,
        &agent,
        &risky,
        "ask_customer",
        "¿Cuál es el número de guía?",
    )
    .await;
    assert_eq!(stored_is_current(&db, &risky).await, Instants::default());
    assert!(!queues.holds("por_vencer", &risky).await);
    let replied = app
        .multipart(
            &format!("/portal/solicitudes/{risky}/responder"),
            &[("message", "La guía es 123.")],
            &[],
            &session_cookie_of(&app, "mora@demo.ventanilla.co").await,
        )
        .await;
    assert_eq!(replied.status, StatusCode::OK, "{}", replied.body);
    let resumed = stored_is_current(&db, &risky).await;
    assert!(resumed.legal_due.unwrap() >= at_risk.legal_due.unwrap());
    queues.agree_with_the_clocks().await;

    // A prórroga moves the legal due to the new date, out of "Por vencer".
    let extended = file(
        &db,
        "mora@demo.ventanilla.co",
        RequestType::Reclamo,
        Priority::Media,
        received,
        "Reclamo que se prorroga",
    )
    .await;
    assert!(queues.holds("por_vencer", &extended).await);
    let supervisor = session_user(&db, "supervisor@demo.ventanilla.co").await;
    let new_date = ventanilla_app::requests::server::extension::declare(
        &app.state,
        &supervisor,
        &extended,
        "Se requiere el concepto del área jurídica.",
        "30",
        Utc::now(),
    )
    .await
    .unwrap();
    let after = stored_is_current(&db, &extended).await;
    assert_eq!(
        after.legal_due,
        Some(legal_due_instant(new_date).timestamp())
    );
    assert!(after.legal_risk.unwrap() > Utc::now().timestamp());
    assert!(!queues.holds("por_vencer", &extended).await);

    // A priority change runs the first-response clock to the new matrix due.
    let reprioritized = file(
        &db,
        "vip@demo.ventanilla.co",
        RequestType::PeticionGeneral,
        Priority::Baja,
        now - Duration::minutes(10),
        "Cambio de prioridad",
    )
    .await;
    let low = stored_is_current(&db, &reprioritized).await;
    ventanilla_app::workspace::server::act::change_priority(
        &app.state,
        &supervisor,
        &reprioritized,
        "alta",
        "El cliente reporta una urgencia.",
    )
    .await
    .unwrap();
    let high = stored_is_current(&db, &reprioritized).await;
    assert!(high.first_due.unwrap() < low.first_due.unwrap());
    assert_eq!(high.legal_due, low.legal_due);

    // The first response and the answer meet the clocks: nothing left to breach.
    act(&app, &agent, &reprioritized, "take", "").await;
    act(
        &app,
        &agent,
        &reprioritized,
        "public_reply",
        "Estamos revisando.",
    )
    .await;
    let replied_once = stored_is_current(&db, &reprioritized).await;
    assert_eq!(
        (replied_once.first_due, replied_once.first_risk),
        (None, None)
    );
    assert!(replied_once.legal_due.is_some());
    act(&app, &agent, &reprioritized, "answer", "Quedó programada.").await;
    assert_eq!(
        stored_is_current(&db, &reprioritized).await,
        Instants::default()
    );
    // The customer replies to the answer: the request is worked again, its clocks stay met.
    let reopened = app
        .multipart(
            &format!("/portal/solicitudes/{reprioritized}/responder"),
            &[("message", "Gracias, pero falta algo.")],
            &[],
            &session_cookie_of(&app, "vip@demo.ventanilla.co").await,
        )
        .await;
    assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.body);
    assert_eq!(
        stored_is_current(&db, &reprioritized).await,
        Instants::default()
    );

    queues.agree_with_the_clocks().await;
}

on_both_databases!(por_vencer_and_vencidas_follow_the_stored_instants_of_every_writer);

async fn session_cookie_of(app: &App, login: &str) -> String {
    app.sign_in(login, DEMO_PASSWORD).await
}

async fn a_full_page_is_ordered_by_priority_then_receipt_and_counts_the_rest(db: TestDb) {
    seed_if_empty(&db.pool).await.unwrap();
    let app = App::new(&db);
    let queues = Queues {
        app: &app,
        cookie: app
            .sign_in("supervisor@demo.ventanilla.co", DEMO_PASSWORD)
            .await,
    };
    let now = Utc::now();
    let priorities = [Priority::Baja, Priority::Alta, Priority::Media];
    for n in 0..210 {
        file(
            &db,
            "vip@demo.ventanilla.co",
            RequestType::PeticionGeneral,
            priorities[n % 3],
            now - Duration::minutes(n as i64 * 7 % 300),
            &format!("Solicitud número {n}"),
        )
        .await;
    }
    let open: i64 = sqlx::query("SELECT COUNT(*) AS n FROM requests WHERE state <> 'cerrada'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("n");
    let all = queues.view(&[("queue", "todas")]).await;
    let shown = radicados(&all);
    assert_eq!(shown.len(), 200);
    assert_eq!(all["more"].as_i64().unwrap(), open - 200);
    assert_eq!(count(&all, "todas") as i64, open);

    // Alta, then media, then baja; within each, oldest receipt first.
    let rank = |p: &str| {
        ["alta", "media", "baja"]
            .iter()
            .position(|q| *q == p)
            .unwrap()
    };
    let mut keys = Vec::new();
    for radicado in &shown {
        let row = sqlx::query("SELECT priority, received_at FROM requests WHERE radicado = $1")
            .bind(radicado)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        keys.push((
            rank(&row.get::<String, _>("priority")),
            row.get::<i64, _>("received_at"),
            radicado.clone(),
        ));
    }
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys[0].0, 0);
    // The first 200 of everything open: nothing outranks a row left out.
    let mut everything: Vec<(usize, i64, String)> = Vec::new();
    for row in
        sqlx::query("SELECT radicado, priority, received_at FROM requests WHERE state <> 'cerrada'")
            .fetch_all(&db.pool)
            .await
            .unwrap()
    {
        everything.push((
            rank(&row.get::<String, _>("priority")),
            row.get("received_at"),
            row.get("radicado"),
        ));
    }
    everything.sort();
    assert_eq!(everything[..200], keys[..]);

    // Filters narrow the page and its `more` alike.
    let media = queues
        .view(&[("queue", "todas"), ("priority", "media")])
        .await;
    let media_open: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM requests WHERE state <> 'cerrada' AND priority = 'media'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(
        radicados(&media).len() as i64 + media["more"].as_i64().unwrap(),
        media_open
    );
}

on_both_databases!(a_full_page_is_ordered_by_priority_then_receipt_and_counts_the_rest);

async fn search_ignores_case_accented_capitals_included(db: TestDb) {
    seed_if_empty(&db.pool).await.unwrap();
    let app = App::new(&db);
    let queues = Queues {
        app: &app,
        cookie: app
            .sign_in("supervisor@demo.ventanilla.co", DEMO_PASSWORD)
            .await,
    };
    let filed = file(
        &db,
        "flotante@demo.ventanilla.co",
        RequestType::Queja,
        Priority::Media,
        Utc::now() - Duration::hours(2),
        "DAÑO EN LA ÑAPA ÚNICA",
    )
    .await;
    for search in ["ñapa única", "ÑAPA", "daño en", &filed] {
        let found = queues.view(&[("queue", "todas"), ("search", search)]).await;
        assert_eq!(radicados(&found), vec![filed.clone()], "«{search}»");
    }
    // The customer's name, whatever the case: the demo request of Carlos Pérez and this one.
    let by_name = queues
        .view(&[("queue", "todas"), ("search", "CARLOS PÉREZ")])
        .await;
    assert_eq!(radicados(&by_name).len(), 2);
    assert!(radicados(&by_name).contains(&filed));
    // LIKE's wildcards are searched for as text.
    for search in ["%", "_", "ñapa%única"] {
        let found = queues.view(&[("queue", "todas"), ("search", search)]).await;
        assert!(radicados(&found).is_empty(), "«{search}»");
    }
    let document = queues
        .view(&[("queue", "todas"), ("search", "andinos")])
        .await;
    assert_eq!(radicados(&document).len(), 1);
}

on_both_databases!(search_ignores_case_accented_capitals_included);

async fn opening_the_database_fills_missing_or_stale_instants_once(db: TestDb) {
    seed_if_empty(&db.pool).await.unwrap();
    let open: Vec<String> = sqlx::query("SELECT radicado FROM requests WHERE state <> 'cerrada'")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.get("radicado"))
        .collect();
    let before = stored_is_current(&db, &open[0]).await;
    // As a database from before the columns, or computed with another calendar, would be.
    sqlx::query("UPDATE requests SET clock_basis = NULL, clock_legal_due = NULL, clock_legal_risk = NULL WHERE radicado = $1")
        .bind(&open[0])
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE requests SET clock_basis = 'otro calendario', clock_first_due = 1 WHERE radicado = $1")
        .bind(&open[1])
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(clocks::backfill(&db.pool).await.unwrap(), 2);
    assert_eq!(stored_is_current(&db, &open[0]).await, before);
    stored_is_current(&db, &open[1]).await;
    assert_eq!(clocks::backfill(&db.pool).await.unwrap(), 0, "idempotent");
    // The same happens whenever the server opens the database.
    sqlx::query("UPDATE requests SET clock_basis = NULL WHERE radicado = $1")
        .bind(&open[2])
        .execute(&db.pool)
        .await
        .unwrap();
    let reopened = ventanilla_app::startup::open_database(&db.url)
        .await
        .unwrap();
    let basis: Option<String> = sqlx::query("SELECT clock_basis FROM requests WHERE radicado = $1")
        .bind(&open[2])
        .fetch_one(&reopened)
        .await
        .unwrap()
        .get("clock_basis");
    assert_eq!(basis.as_deref(), Some(clocks::basis()));
    // A closed request is in no queue and is left alone.
    sqlx::query("UPDATE requests SET state = $1, clock_basis = NULL WHERE radicado = $2")
        .bind(RequestState::Cerrada.code())
        .bind(&open[3])
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(clocks::backfill(&db.pool).await.unwrap(), 0);
}

on_both_databases!(opening_the_database_fills_missing_or_stale_instants_once);
