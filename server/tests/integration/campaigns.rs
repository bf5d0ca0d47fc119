//! Relationship survey campaigns (survey requirement; seed 001 §5.2) through the real router on SQLite
//! and PostgreSQL: the sample is the domain's formula over the active accounts, drawn per tier
//! in proportion when stratified; the launch writes invitations and e-mails in one transaction
//! and only once; the link's token rules; a detractor answer opens one recovery case; and only
//! supervisors and admins run campaigns.

use chrono::Utc;
use http::StatusCode;
use sha2::{Digest, Sha256};
use sqlx::Row;
use ventanilla::role::Role;
use ventanilla::survey::{allocate_proportional, sample_size_for, Confidence};

use crate::support::{customer, pairs, staff, App, TestDb};

/// The supervisor who runs the campaigns in these tests; their session cookie.
async fn boss(app: &App, db: &TestDb) -> String {
    staff(
        app,
        db,
        Role::Supervisor,
        "Persona del equipo",
        "jefe@empresa.co",
    )
    .await
    .cookie
}

/// An account with one customer user, written directly: the sampling tests need dozens.
async fn account(db: &TestDb, n: usize, contract: Option<i64>, service: &str, with_user: bool) {
    let id = format!("cuenta{n:04}");
    sqlx::query(
        "INSERT INTO accounts (id, document_type, document_number, document_key, name, kind, segment, \
         monthly_contract_cop, service_status, payments_up_to_date, created_at) \
         VALUES ($1, 'CC', $2, $2, $3, 'normal', 'hogar', $4, $5, 1, 0)",
    )
    .bind(&id)
    .bind(format!("{}", 70_000_000 + n))
    .bind(format!("Cliente {n}"))
    .bind(contract)
    .bind(service)
    .execute(&db.pool)
    .await
    .unwrap();
    if with_user {
        sqlx::query(
            "INSERT INTO users (id, account_id, role, email, full_name, password_hash, created_at, updated_at) \
             VALUES ($1, $2, 'cliente', $3, $4, 'x', 0, 0)",
        )
        .bind(format!("usuario{n:04}"))
        .bind(&id)
        .bind(format!("cliente{n}@correo.co"))
        .bind(format!("Cliente {n}"))
        .execute(&db.pool)
        .await
        .unwrap();
    }
}

fn today() -> String {
    Utc::now()
        .with_timezone(&ventanilla::calendar::bogota())
        .format("%Y-%m-%d")
        .to_string()
}

fn in_days(days: i64) -> String {
    (Utc::now().with_timezone(&ventanilla::calendar::bogota()) + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Creates a campaign through the form's server function; returns its id.
async fn create(
    app: &App,
    cookie: &str,
    questions: &[&str],
    margin: &str,
    stratified: bool,
) -> String {
    let (from, to) = (today(), in_days(30));
    let mut form = vec![
        ("name", "Percepción segundo semestre"),
        ("desde", from.as_str()),
        ("hasta", to.as_str()),
        ("confianza", "95"),
        ("margen", margin),
    ];
    for question in questions {
        form.push((question, "si"));
    }
    if stratified {
        form.push(("estratificar", "si"));
    }
    let reply = app.call("equipo/campanas/crear", &form, Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

async fn detail(app: &App, cookie: &str, id: &str) -> serde_json::Value {
    let reply = app
        .call("equipo/campanas/detalle", &[("id", id)], Some(cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

async fn launch(app: &App, cookie: &str, id: &str) -> crate::support::Reply {
    app.call("equipo/campanas/lanzar", &[("id", id)], Some(cookie))
        .await
}

async fn scalar(db: &TestDb, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get::<i64, _>(0)
}

/// The tokens of the invitation e-mails, read from the outbox as a mail client would.
async fn mailed_tokens(db: &TestDb) -> Vec<(String, String)> {
    sqlx::query(
        "SELECT recipient, payload FROM notification_outbox WHERE template = 'encuesta_campana' ORDER BY recipient",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|row| {
        let payload: serde_json::Value =
            serde_json::from_str(&row.get::<String, _>("payload")).unwrap();
        let url = payload["url"].as_str().unwrap().to_string();
        let token = url.rsplit('/').next().unwrap().to_string();
        (row.get("recipient"), token)
    })
    .collect()
}

async fn the_sample_follows_the_formula_and_the_strata(db: TestDb) {
    let app = App::new(&db);
    let boss = boss(&app, &db).await;
    // 4 VIP, 10 Regular, 26 Flotante active accounts; a cancelled one and one nobody can be
    // written to are not customers to survey.
    let mut n = 0;
    for (count, contract) in [(4, Some(10_000_000)), (10, Some(1_000_000)), (26, None)] {
        for _ in 0..count {
            n += 1;
            account(&db, n, contract, "activo", true).await;
        }
    }
    account(&db, 90, None, "cancelado", true).await;
    account(&db, 91, None, "activo", false).await;

    let overview = app.call("equipo/campanas", &[], Some(&boss)).await;
    let overview: serde_json::Value = serde_json::from_str(&overview.body).unwrap();
    assert_eq!(overview["population"], 40);
    assert_eq!(
        overview["default_sample"],
        sample_size_for(40, Confidence::P95, 5)
    );

    let id = create(&app, &boss, &["nps", "csat"], "10", true).await;
    let expected = sample_size_for(40, Confidence::P95, 10);
    assert_eq!(
        expected, 29,
        "n₀ = 96.04 corrected for N = 40: 28.45, rounded up"
    );
    let allocation = allocate_proportional(&[4, 10, 26], expected);
    let draft = detail(&app, &boss, &id).await;
    assert_eq!(draft["population"], 40);
    assert_eq!(draft["sample_size"], expected);
    let shown: Vec<(u64, u64)> = draft["strata"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["population"].as_u64().unwrap(),
                s["sample"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![(4, allocation[0]), (10, allocation[1]), (26, allocation[2])]
    );
    // Nothing is sent before the launch.
    assert_eq!(db.count("campaign_invitations").await, 0);
    assert_eq!(db.count("notification_outbox").await, 0);

    let launched = launch(&app, &boss, &id).await;
    assert_eq!(launched.status, StatusCode::OK, "{}", launched.body);
    assert_eq!(launched.body, expected.to_string());
    assert_eq!(db.count("campaign_invitations").await, expected as i64);
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(DISTINCT account_id) FROM campaign_invitations"
        )
        .await,
        expected as i64
    );
    for (tier, count) in ["vip", "regular", "flotante"].iter().zip(&allocation) {
        let drawn = sqlx::query("SELECT COUNT(*) AS n FROM campaign_invitations WHERE tier = $1")
            .bind(*tier)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get::<i64, _>("n");
        assert_eq!(drawn, *count as i64, "{tier}");
    }
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM campaign_invitations i JOIN accounts a ON a.id = i.account_id \
             WHERE a.service_status <> 'activo' OR i.account_id = 'cuenta0091'"
        )
        .await,
        0
    );
    // One e-mail per invitation, to its recipient, carrying a token whose hash is stored.
    let mailed = mailed_tokens(&db).await;
    assert_eq!(mailed.len(), expected as usize);
    for (recipient, token) in &mailed {
        let stored =
            sqlx::query("SELECT recipient FROM campaign_invitations WHERE token_hash = $1")
                .bind(hex::encode(Sha256::digest(token.as_bytes())))
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(&stored.get::<String, _>("recipient"), recipient);
        assert_eq!(
            scalar(
                &db,
                &format!("SELECT COUNT(*) FROM campaign_invitations WHERE token_hash = '{token}'")
            )
            .await,
            0,
            "the token itself is not stored"
        );
    }
    let shown = detail(&app, &boss, &id).await;
    assert_eq!(shown["launched"], true);
    assert_eq!(shown["invited"], expected);
    assert_eq!(shown["response_rate"], 0.0);
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'campana_lanzada'"
        )
        .await,
        1
    );

    // A second launch creates nothing and says so.
    let audit = db.count("audit_events").await;
    let again = launch(&app, &boss, &id).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("ya fue lanzada"), "{}", again.body);
    assert_eq!(db.count("campaign_invitations").await, expected as i64);
    assert_eq!(db.count("notification_outbox").await, expected as i64);
    assert_eq!(db.count("audit_events").await, audit);

    // Without strata the draw is a simple random sample of the same size.
    let simple = create(&app, &boss, &["texto"], "10", false).await;
    let launched = launch(&app, &boss, &simple).await;
    assert_eq!(launched.status, StatusCode::OK, "{}", launched.body);
    let drawn =
        sqlx::query("SELECT COUNT(*) AS n FROM campaign_invitations WHERE campaign_id = $1")
            .bind(&simple)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get::<i64, _>("n");
    assert_eq!(drawn, expected as i64);
}

async fn a_double_launch_at_once_sends_one_set(db: TestDb) {
    let app = App::new(&db);
    let boss = boss(&app, &db).await;
    for n in 1..=12 {
        account(&db, n, None, "activo", true).await;
    }
    let id = create(&app, &boss, &["nps"], "5", false).await;
    let (first, second) = tokio::join!(launch(&app, &boss, &id), launch(&app, &boss, &id));
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let expected = sample_size_for(12, Confidence::P95, 5) as i64;
    assert_eq!(db.count("campaign_invitations").await, expected);
    assert_eq!(db.count("notification_outbox").await, expected);
}

async fn a_failed_launch_leaves_nothing_behind(db: TestDb) {
    let app = App::new(&db);
    let boss = boss(&app, &db).await;
    for n in 1..=8 {
        account(&db, n, None, "activo", true).await;
    }
    // A period that starts tomorrow cannot be launched today: the claim on the campaign is
    // rolled back with everything else.
    let tomorrow = in_days(1);
    let later = in_days(20);
    let reply = app
        .call(
            "equipo/campanas/crear",
            &[
                ("name", "Campaña de mañana"),
                ("nps", "si"),
                ("desde", &tomorrow),
                ("hasta", &later),
                ("confianza", "95"),
                ("margen", "5"),
            ],
            Some(&boss),
        )
        .await;
    let id: String = serde_json::from_str(&reply.body).unwrap();
    let refused = launch(&app, &boss, &id).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("podrá lanzarla"), "{}", refused.body);
    assert_eq!(detail(&app, &boss, &id).await["launched"], false);

    // An invitation write that fails half-way (here: an account that already has one in this
    // campaign) takes the e-mails, the other invitations and the state change with it.
    let id = create(&app, &boss, &["nps"], "1", false).await;
    sqlx::query(
        "INSERT INTO campaign_invitations (id, campaign_id, account_id, tier, token_hash, recipient, sent_at, expires_at) \
         VALUES ('previa', $1, 'cuenta0008', 'flotante', 'hash-previo', 'cliente8@correo.co', 0, 0)",
    )
    .bind(&id)
    .execute(&db.pool)
    .await
    .unwrap();
    let failed = launch(&app, &boss, &id).await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(db.count("campaign_invitations").await, 1);
    assert_eq!(db.count("notification_outbox").await, 0);
    assert_eq!(detail(&app, &boss, &id).await["launched"], false);
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'campana_lanzada'"
        )
        .await,
        0
    );
}

async fn answer(app: &App, token: &str, fields: &[(&str, &str)]) -> crate::support::Reply {
    let mut form = vec![("token", token)];
    form.extend_from_slice(fields);
    app.call("campana/responder", &form, None).await
}

async fn the_link_answers_once_and_bad_links_change_nothing(db: TestDb) {
    let app = App::new(&db);
    let boss = boss(&app, &db).await;
    for n in 1..=3 {
        account(&db, n, Some(1_000_000), "activo", true).await;
    }
    // Only NPS and free text: CSAT is neither asked nor stored.
    let id = create(&app, &boss, &["nps", "texto"], "1", false).await;
    assert_eq!(launch(&app, &boss, &id).await.status, StatusCode::OK);
    let tokens: Vec<String> = mailed_tokens(&db)
        .await
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert_eq!(tokens.len(), 3);

    // Following the link (a person or a mail scanner) records nothing.
    let audit = db.count("audit_events").await;
    let page = app.get(&format!("/campana/{}", tokens[0])).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Enviar respuestas"), "{}", page.body);
    assert!(page.body.contains("nos recomiende"), "{}", page.body);
    assert!(!page.body.contains("qué tan satisfecho"), "{}", page.body);
    let status = app
        .call("campana/estado", &[("token", &tokens[0])], None)
        .await;
    assert!(status.body.contains("Open"), "{}", status.body);
    assert_eq!(db.count("audit_events").await, audit);

    // A missing answer is refused in words.
    let incomplete = answer(&app, &tokens[0], &[("comment", "Bien")]).await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        incomplete.body.contains("Recomendación"),
        "{}",
        incomplete.body
    );
    assert_eq!(db.count("campaign_answers").await, 0);

    let first = answer(
        &app,
        &tokens[0],
        &[
            ("nps", "10"),
            ("csat", "1"),
            ("comment", "Muy buen servicio."),
        ],
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let stored = sqlx::query("SELECT nps, csat, comment FROM campaign_answers")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(stored.get::<Option<i64>, _>("nps"), Some(10));
    assert_eq!(stored.get::<Option<i64>, _>("csat"), None);
    assert_eq!(stored.get::<String, _>("comment"), "Muy buen servicio.");
    assert_eq!(db.count("recovery_cases").await, 0);

    // Twice: refused, nothing changes.
    let audit = db.count("audit_events").await;
    let twice = answer(&app, &tokens[0], &[("nps", "0")]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("ya fue respondida"), "{}", twice.body);
    // Forged, well-formed or not.
    for forged in ["0123456789abcdef0123456789abcdef", "no-es-un-token"] {
        let reply = answer(&app, forged, &[("nps", "0")]).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("no es válido"), "{}", reply.body);
    }
    // Expired: after the period's last day.
    sqlx::query("UPDATE campaign_invitations SET expires_at = $1 WHERE token_hash = $2")
        .bind(Utc::now().timestamp() - 1)
        .bind(hex::encode(Sha256::digest(tokens[1].as_bytes())))
        .execute(&db.pool)
        .await
        .unwrap();
    let expired = answer(&app, &tokens[1], &[("nps", "0")]).await;
    assert_eq!(expired.status, StatusCode::CONFLICT);
    assert!(expired.body.contains("terminó"), "{}", expired.body);
    assert_eq!(db.count("campaign_answers").await, 1);
    assert_eq!(db.count("recovery_cases").await, 0);
    assert_eq!(db.count("audit_events").await, audit);

    // The campaign page counts it.
    let shown = detail(&app, &boss, &id).await;
    assert_eq!(shown["answered"], 1);
    let rate = shown["response_rate"].as_f64().unwrap();
    assert!((rate - 100.0 / 3.0).abs() < 1e-9, "{rate}");
    assert_eq!(shown["nps"]["promoters"], 1);
    assert_eq!(shown["comments"][0]["comment"], "Muy buen servicio.");
}

async fn a_detractor_opens_one_case_and_the_portal_offers_the_survey(db: TestDb) {
    let app = App::new(&db);
    let boss = boss(&app, &db).await;
    let agent = staff(
        &app,
        &db,
        Role::Asesor,
        "Persona del equipo",
        "asesor@empresa.co",
    )
    .await
    .cookie;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let luis = customer(&app, "1020304051", "luis@correo.co").await;
    let id = create(&app, &boss, &["nps", "csat", "texto"], "1", true).await;
    assert_eq!(launch(&app, &boss, &id).await.status, StatusCode::OK);

    // Signed in, Ana finds her survey in the portal; it is hers alone.
    let pending = app.call("portal/campanas", &[], Some(&ana)).await;
    let pending: serde_json::Value = serde_json::from_str(&pending.body).unwrap();
    assert_eq!(pending.as_array().unwrap().len(), 1);
    let invitation = pending[0]["invitation_id"].as_str().unwrap().to_string();
    let stolen = app
        .call(
            "portal/campana/responder",
            &[("id", &invitation), ("nps", "10"), ("csat", "5")],
            Some(&luis),
        )
        .await;
    assert_eq!(stolen.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(db.count("campaign_answers").await, 0);

    let bad = app
        .call(
            "portal/campana/responder",
            &[
                ("id", &invitation),
                ("nps", "3"),
                ("csat", "2"),
                ("comment", "Nunca contestan."),
            ],
            Some(&ana),
        )
        .await;
    assert_eq!(bad.status, StatusCode::OK, "{}", bad.body);
    let case = sqlx::query(
        "SELECT c.source, c.request_id, c.account_id, c.nps, c.csat, c.comment, c.status, c.campaign_answer_id, \
         u.email AS customer_email, s.id AS answer_id \
         FROM recovery_cases c JOIN users u ON u.account_id = c.account_id \
         JOIN campaign_answers s ON s.id = c.campaign_answer_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(case.len(), 1);
    let case = &case[0];
    assert_eq!(case.get::<String, _>("source"), "campana");
    assert_eq!(case.get::<Option<String>, _>("request_id"), None);
    assert_eq!(case.get::<String, _>("customer_email"), "ana@correo.co");
    assert_eq!(case.get::<Option<i64>, _>("nps"), Some(3));
    assert_eq!(case.get::<String, _>("comment"), "Nunca contestan.");
    assert_eq!(case.get::<String, _>("status"), "abierto");
    // The desk lists it for the asesor, marked as coming from the relationship survey.
    let listed = app.call("equipo/detractores", &[], Some(&agent)).await;
    assert!(
        listed.body.contains("Encuesta de relación"),
        "{}",
        listed.body
    );

    // The same answer again (portal or link) opens nothing more.
    let again = app
        .call(
            "portal/campana/responder",
            &[("id", &invitation), ("nps", "0"), ("csat", "1")],
            Some(&ana),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let pending = app.call("portal/campanas", &[], Some(&ana)).await;
    assert_eq!(pending.body, "[]");
    // Luis answers as a promoter through his link: no case.
    let (_, token) = mailed_tokens(&db)
        .await
        .into_iter()
        .find(|(recipient, _)| recipient == "luis@correo.co")
        .unwrap();
    let good = answer(&app, &token, &[("nps", "9"), ("csat", "5")]).await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.body);
    assert_eq!(db.count("recovery_cases").await, 1);
    let shown = detail(&app, &boss, &id).await;
    assert_eq!(shown["response_rate"], 100.0);
    assert_eq!(shown["nps"]["detractors"], 1);
    assert_eq!(shown["csat"], 50.0);
}

async fn only_supervisors_and_admins_run_campaigns(db: TestDb) {
    let app = App::new(&db);
    let boss = boss(&app, &db).await;
    let admin = staff(
        &app,
        &db,
        Role::Admin,
        "Persona del equipo",
        "admin@empresa.co",
    )
    .await
    .cookie;
    let agent = staff(
        &app,
        &db,
        Role::Asesor,
        "Persona del equipo",
        "asesor@empresa.co",
    )
    .await
    .cookie;
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let (from, to) = (today(), in_days(10));
    let form = |extra: &[(&str, &str)]| -> Vec<(String, String)> {
        let mut form: Vec<(String, String)> = [
            ("name", "Encuesta anual"),
            ("nps", "si"),
            ("desde", from.as_str()),
            ("hasta", to.as_str()),
            ("confianza", "95"),
            ("margen", "5"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for &(key, value) in extra {
            form.retain(|(k, _)| k != key);
            if !value.is_empty() {
                form.push((key.to_string(), value.to_string()));
            }
        }
        form
    };
    let call = |cookie: Option<String>, form: Vec<(String, String)>| {
        let app = &app;
        async move {
            app.call("equipo/campanas/crear", &pairs(&form), cookie.as_deref())
                .await
        }
    };
    assert_eq!(
        call(Some(agent.clone()), form(&[])).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(Some(ana.clone()), form(&[])).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(call(None, form(&[])).await.status, StatusCode::UNAUTHORIZED);
    // Bad input: a Spanish message and nothing created.
    let invalid: [(Vec<(&str, &str)>, &str); 6] = [
        (vec![("nps", "")], "al menos una pregunta"),
        (vec![("margen", "0")], "Margen de error"),
        (vec![("confianza", "80")], "Nivel de confianza"),
        (vec![("name", "x")], "Nombre de la campaña"),
        (vec![("desde", "2026-02-30")], "fecha válida"),
        (
            vec![("hasta", "2020-01-01"), ("desde", "2019-12-01")],
            "ya terminó",
        ),
    ];
    for (extra, message) in invalid {
        let reply = call(Some(boss.clone()), form(&extra)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(reply.body.contains(message), "{}", reply.body);
    }
    assert_eq!(db.count("survey_campaigns").await, 0);

    let created = call(Some(admin.clone()), form(&[])).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id: String = serde_json::from_str(&created.body).unwrap();
    for cookie in [&agent, &ana] {
        assert_eq!(
            launch(&app, cookie, &id).await.status,
            StatusCode::FORBIDDEN
        );
        for endpoint in ["equipo/campanas", "equipo/campanas/detalle"] {
            let reply = app.call(endpoint, &[("id", &id)], Some(cookie)).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{endpoint}");
        }
    }
    assert_eq!(db.count("campaign_invitations").await, 0);
    assert_eq!(launch(&app, &boss, &id).await.status, StatusCode::OK);
}

on_both_databases!(
    the_sample_follows_the_formula_and_the_strata,
    a_double_launch_at_once_sends_one_set,
    a_failed_launch_leaves_nothing_behind,
    the_link_answers_once_and_bad_links_change_nothing,
    a_detractor_opens_one_case_and_the_portal_offers_the_survey,
    only_supervisors_and_admins_run_campaigns,
);
