//! The ANS settings (issue 19; seed 000 §3, §4, §11): an admin publishes versions with an
//! effective date; filings take the version in force and keep it, so a version effective
//! tomorrow changes nothing today and an earlier request never changes; bad settings are
//! refused in Spanish and write nothing; customers are told through the outbox and the portal.

use chrono::{Days, Utc};
use http::StatusCode;
use serde_json::Value;
use sqlx::Row;
use ventanilla::role::Role;

use crate::support::{customer, file_reclamo, refresh_clocks, staff, App, Reply, TestDb};

fn json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

fn day(offset: i64) -> String {
    let today = Utc::now()
        .with_timezone(&ventanilla::calendar::bogota())
        .date_naive();
    let day = if offset >= 0 {
        today + Days::new(offset as u64)
    } else {
        today - Days::new((-offset) as u64)
    };
    day.format("%Y-%m-%d").to_string()
}

/// The seed's matrix with `changes` (`hours[vip_media]` = "2", …) and the other fields.
fn version_form<'a>(
    changes: &[(&'a str, &'a str)],
    effective_on: &'a str,
    notify: bool,
) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("hours[vip_alta]", "1"),
        ("hours[vip_media]", "3"),
        ("hours[vip_baja]", "6"),
        ("hours[regular_alta]", ""),
        ("hours[regular_media]", "2"),
        ("hours[regular_baja]", "8"),
        ("hours[flotante_alta]", ""),
        ("hours[flotante_media]", "4"),
        ("hours[flotante_baja]", "12"),
        ("vip_threshold_smlmv", "1,5"),
        ("smlmv_overrides", "2027: 1.900.000"),
        ("auto_close_days", "3"),
        ("review_sample_percent", "0"),
        ("weekday_open", "08:00"),
        ("weekday_close", "18:00"),
        ("note", "Revisión semestral del ANS"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (name, value) in changes {
        form.retain(|(k, _)| k != name);
        form.push((name.to_string(), value.to_string()));
    }
    form.push(("effective_on".into(), effective_on.into()));
    if notify {
        form.push(("notify_customers".into(), "si".into()));
    }
    form
}

async fn publish(app: &App, cookie: &str, form: &[(String, String)]) -> Reply {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call("equipo/ans/publicar", &pairs, Some(cookie)).await
}

/// (tier, ans_version, first_response_hours, first_response_due) per request, oldest first.
async fn filed(db: &TestDb) -> Vec<(String, i64, Option<i64>, Option<i64>)> {
    sqlx::query(
        "SELECT tier, ans_version, first_response_hours, first_response_due FROM requests ORDER BY received_at, radicado",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.get("tier"),
            r.get("ans_version"),
            r.get("first_response_hours"),
            r.get("first_response_due"),
        )
    })
    .collect()
}

async fn a_new_version_applies_from_its_date_to_new_filings_only(db: TestDb) {
    let app = App::new(&db);
    let admin = staff(
        &app,
        &db,
        Role::Admin,
        "Ana Administradora",
        "ana@equipo.co",
    )
    .await;
    let asesor = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let client = customer(&app, "1020304050", "cliente@correo.co").await;
    // 1,3 SMLMV of 2026: Regular under the seed's 1,5, VIP under 1,1.
    sqlx::query("UPDATE accounts SET monthly_contract_cop = 2300000")
        .execute(&db.pool)
        .await
        .unwrap();

    file_reclamo(&app, &client, "t-1").await;
    let first = filed(&db).await;
    assert_eq!(first, [("regular".into(), 1, Some(2), first[0].3)]);
    assert!(first[0].3.is_some());

    // Bad settings: each a Spanish message, nothing written.
    let refusals = [
        (
            version_form(&[("hours[vip_baja]", "2")], &day(0), false),
            "la prioridad baja no puede tener menos horas que la prioridad media",
        ),
        (
            version_form(&[], &day(-1), false),
            "no puede ser anterior a hoy",
        ),
        (
            version_form(&[("vip_threshold_smlmv", "uno")], &day(0), false),
            "Umbral VIP",
        ),
        (
            version_form(&[("vip_threshold_smlmv", "0")], &day(0), false),
            "entre 0,1 y 100 SMLMV",
        ),
        (
            version_form(&[("smlmv_overrides", "2027: 50.000")], &day(0), false),
            "SMLMV 2027",
        ),
        (
            version_form(&[("hours[regular_media]", "dos")], &day(0), false),
            "Regular · prioridad media",
        ),
    ];
    for (form, message) in refusals {
        let reply = publish(&app, &admin.cookie, &form).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert!(reply.body.contains(message), "{message}: {}", reply.body);
    }
    let refused = publish(&app, &asesor.cookie, &version_form(&[], &day(0), false)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Nothing stored yet: version 1 is the installation's defaults until a publication.
    assert_eq!(db.count("ans_versions").await, 0);

    // Effective tomorrow: today's filings keep version 1.
    let tomorrow = publish(
        &app,
        &admin.cookie,
        &version_form(
            &[
                ("vip_threshold_smlmv", "1,1"),
                ("hours[regular_media]", "5"),
            ],
            &day(1),
            false,
        ),
    )
    .await;
    assert_eq!(tomorrow.status, StatusCode::OK, "{}", tomorrow.body);
    assert!(
        tomorrow
            .body
            .contains("Versión 2 del ANS publicada: rige desde el"),
        "{}",
        tomorrow.body
    );
    file_reclamo(&app, &client, "t-2").await;
    assert_eq!(filed(&db).await[1].0, "regular");
    assert_eq!(filed(&db).await[1].1, 1);

    // Effective today, customers told: the next filing is VIP with the new hours.
    let now = publish(
        &app,
        &admin.cookie,
        &version_form(
            &[("vip_threshold_smlmv", "1,1"), ("hours[vip_media]", "2")],
            &day(0),
            true,
        ),
    )
    .await;
    assert_eq!(now.status, StatusCode::OK, "{}", now.body);
    assert!(now.body.contains("rige desde ahora"), "{}", now.body);
    assert!(
        now.body.contains("Se avisó por correo a 1 clientes"),
        "{}",
        now.body
    );
    file_reclamo(&app, &client, "t-3").await;
    let all = filed(&db).await;
    assert_eq!((all[2].0.as_str(), all[2].1, all[2].2), ("vip", 3, Some(2)));
    // The first request never changed.
    assert_eq!(all[0], first[0]);

    let told: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM notification_outbox WHERE template = 'aviso_ans' AND recipient = 'cliente@correo.co'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(told, 1);
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'ans_publicado'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("n");
    assert_eq!(audited, 2);

    // The customer reads the announcement on the portal; the admin, the history.
    let notices = json(&app.call("ans/avisos", &[], Some(&client)).await);
    assert_eq!(notices.as_array().unwrap().len(), 1, "{notices}");
    assert_eq!(notices[0]["in_force"], true);
    assert!(notices[0]["summary"][0]
        .as_str()
        .unwrap()
        .contains("VIP: alta 1 h, media 2 h, baja 6 h"));
    let screen = json(&app.call("equipo/ans", &[], Some(&admin.cookie)).await);
    assert_eq!(screen["in_force"], 3);
    let statuses: Vec<&str> = screen["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["Vigente", "Programada", "Anterior"]);
    assert_eq!(screen["form"]["vip_threshold_smlmv"], "1,1");
    assert_eq!(screen["form"]["smlmv_overrides"], "2027: 1.900.000");
    let asesor_screen = app.call("equipo/ans", &[], Some(&asesor.cookie)).await;
    assert_eq!(asesor_screen.status, StatusCode::FORBIDDEN);
}

on_both_databases!(a_new_version_applies_from_its_date_to_new_filings_only);

/// The business hours and the first-contact clock (seed 002 §4) are part of a version: a
/// request counts on its version's hours, the first contact runs in calendar hours for every
/// request, shows on its page and puts it in "Vencidas" when owed and late.
async fn business_hours_and_the_first_contact_come_from_the_version(db: TestDb) {
    let app = App::new(&db);
    let admin = staff(
        &app,
        &db,
        Role::Admin,
        "Ana Administradora",
        "ana@equipo.co",
    )
    .await;
    let asesor = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let client = customer(&app, "1020304050", "cliente@correo.co").await;

    // Before any publication: no first-contact clock.
    file_reclamo(&app, &client, "h-1").await;

    let refusals = [
        (
            vec![("weekday_open", "18:00"), ("weekday_close", "08:00")],
            "la hora de cierre debe ser posterior a la de apertura",
        ),
        (
            vec![("saturday_open", "08:00")],
            "Sábado: escriba la hora de apertura y la de cierre",
        ),
        (
            vec![("saturday_open", "12:00"), ("saturday_close", "09:00")],
            "Horario del sábado",
        ),
        (vec![("non_working_days", "15/07/2027")], "no es una fecha"),
        (
            vec![("non_working_days", "2027-07-15\n2027-07-15")],
            "el 2027-07-15 está dos veces",
        ),
        (
            vec![("first_contact_hours", "0")],
            "El primer contacto debe estar entre 1 y 720",
        ),
        (
            vec![("weekday_open", "ocho")],
            "Apertura de lunes a viernes",
        ),
    ];
    for (changes, message) in refusals {
        let reply = publish(&app, &admin.cookie, &version_form(&changes, &day(0), false)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert!(reply.body.contains(message), "{message}: {}", reply.body);
    }
    assert_eq!(db.count("ans_versions").await, 0);

    let published = publish(
        &app,
        &admin.cookie,
        &version_form(
            &[
                ("weekday_open", "07:00"),
                ("weekday_close", "17:00"),
                ("saturday_open", "08:00"),
                ("saturday_close", "12:00"),
                ("non_working_days", "2099-07-15"),
                ("first_contact_hours", "24"),
            ],
            &day(0),
            false,
        ),
    )
    .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    let screen = json(&app.call("equipo/ans", &[], Some(&admin.cookie)).await);
    assert_eq!(screen["form"]["saturday_close"], "12:00");
    assert_eq!(screen["form"]["non_working_days"], "2099-07-15");
    assert_eq!(screen["form"]["first_contact_hours"], "24");
    let summary = screen["versions"][0]["summary"].to_string();
    assert!(
        summary.contains("Horario: lunes a viernes 07:00–17:00, sábados 08:00–12:00")
            && summary.contains("Primer contacto dentro de 24 horas calendario"),
        "{summary}"
    );

    // The customer's account is suspended: no ANS guarantee, so the first contact is the
    // only clock that can fall due within days.
    sqlx::query("UPDATE accounts SET service_status = 'suspendido'")
        .execute(&db.pool)
        .await
        .unwrap();
    file_reclamo(&app, &client, "h-2").await;
    let rows = sqlx::query(
        "SELECT radicado, ans_version, first_contact_hours, received_at, clock_contact_due, clock_contact_risk \
         FROM requests ORDER BY received_at, radicado",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let (old, new) = (&rows[0], &rows[1]);
    assert_eq!(old.get::<Option<i64>, _>("first_contact_hours"), None);
    assert_eq!(old.get::<Option<i64>, _>("clock_contact_due"), None);
    assert_eq!(new.get::<i64, _>("ans_version"), 2);
    assert_eq!(new.get::<Option<i64>, _>("first_contact_hours"), Some(24));
    let received: i64 = new.get("received_at");
    assert_eq!(
        new.get::<Option<i64>, _>("clock_contact_due"),
        Some(received + 86_400)
    );
    // At risk with less than a quarter (6 h) left.
    assert_eq!(
        new.get::<Option<i64>, _>("clock_contact_risk"),
        Some(received + 18 * 3600 + 1)
    );
    let radicado: String = new.get("radicado");

    // Its page shows the clock; the older request's does not.
    let detail = json(
        &app.call(
            "portal/solicitud",
            &[("radicado", &radicado)],
            Some(&client),
        )
        .await,
    );
    assert_eq!(detail["first_contact"]["label"], "Primer contacto");
    assert_eq!(detail["first_contact"]["status_code"], "on_track");
    let old_radicado: String = old.get("radicado");
    let old_detail = json(
        &app.call(
            "portal/solicitud",
            &[("radicado", &old_radicado)],
            Some(&client),
        )
        .await,
    );
    assert!(old_detail["first_contact"].is_null(), "{old_detail}");

    // Received thirty hours ago and nobody wrote: late, in "Vencidas" with its timer.
    sqlx::query("UPDATE requests SET received_at = received_at - 108000 WHERE radicado = $1")
        .bind(&radicado)
        .execute(&db.pool)
        .await
        .unwrap();
    refresh_clocks(&db, &radicado).await;
    let overdue = json(
        &app.call(
            "equipo/cola",
            &[("queue", "vencidas")],
            Some(&asesor.cookie),
        )
        .await,
    );
    let rows = overdue["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{overdue}");
    assert_eq!(rows[0]["radicado"], radicado.as_str());
    assert_eq!(rows[0]["first_contact"]["label"], "Primer contacto");
    assert!(rows[0]["first_response"].is_null());

    // A public follow-up is the contact: the clock is met (late) and the queue lets go.
    for (action, message) in [("take", ""), ("public_reply", "Estamos revisando su caso.")] {
        let reply = app
            .call(
                "equipo/actuar",
                &[
                    ("radicado", &radicado),
                    ("action", action),
                    ("message", message),
                ],
                Some(&asesor.cookie),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
    }
    let overdue = json(
        &app.call(
            "equipo/cola",
            &[("queue", "vencidas")],
            Some(&asesor.cookie),
        )
        .await,
    );
    assert!(overdue["rows"].as_array().unwrap().is_empty(), "{overdue}");
    let detail = json(
        &app.call(
            "portal/solicitud",
            &[("radicado", &radicado)],
            Some(&client),
        )
        .await,
    );
    assert_eq!(detail["first_contact"]["status_code"], "met");
}

on_both_databases!(business_hours_and_the_first_contact_come_from_the_version);

/// A request's clocks count on its version's business hours: a version open on Saturday
/// gives a Friday-evening filing a Saturday-morning due, and the version after it does not
/// move that request.
async fn a_request_counts_on_its_versions_business_hours(db: TestDb) {
    use chrono::TimeZone;
    use ventanilla::ans::BusinessHours;
    let app = App::new(&db);
    let admin = staff(
        &app,
        &db,
        Role::Admin,
        "Ana Administradora",
        "ana@equipo.co",
    )
    .await;
    let client = customer(&app, "1020304050", "cliente@correo.co").await;
    let saturday = [("saturday_open", "08:00"), ("saturday_close", "12:00")];
    let published = publish(
        &app,
        &admin.cookie,
        &version_form(&saturday, &day(0), false),
    )
    .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    file_reclamo(&app, &client, "s-1").await;
    // Friday 4 December 2026, 17:00 in Bogotá: one business hour left that day.
    let friday = ventanilla::calendar::bogota()
        .with_ymd_and_hms(2026, 12, 4, 17, 0, 0)
        .unwrap()
        .timestamp();
    sqlx::query("UPDATE requests SET received_at = $1")
        .bind(friday)
        .execute(&db.pool)
        .await
        .unwrap();
    let radicado: String = sqlx::query("SELECT radicado FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado");
    refresh_clocks(&db, &radicado).await;
    let due: i64 = sqlx::query("SELECT clock_first_due FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("clock_first_due");
    // A customer without a contract is Flotante, media: 4 business hours → 17:00–18:00
    // Friday, 08:00–11:00 Saturday.
    let saturday_eleven = ventanilla::calendar::bogota()
        .with_ymd_and_hms(2026, 12, 5, 11, 0, 0)
        .unwrap()
        .timestamp();
    assert_eq!(due, saturday_eleven);
    let expected = BusinessHours {
        saturday: Some((
            chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        )),
        ..BusinessHours::default()
    };
    assert_eq!(
        ventanilla_app::timers::calendar_of(&expected)
            .add_business_minutes(
                chrono::DateTime::from_timestamp(friday, 0).unwrap(),
                240,
                &[]
            )
            .timestamp(),
        due
    );
    // A later version without Saturdays leaves it alone.
    let later = publish(&app, &admin.cookie, &version_form(&[], &day(0), false)).await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.body);
    refresh_clocks(&db, &radicado).await;
    let again: i64 = sqlx::query("SELECT clock_first_due FROM requests")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("clock_first_due");
    assert_eq!(again, saturday_eleven);
}

on_both_databases!(a_request_counts_on_its_versions_business_hours);

/// A version stored before versions carried business hours gets the hours the installation
/// counted on (its environment), once, when the database opens; a version that has them keeps
/// its own.
async fn versions_stored_before_business_hours_get_the_installations(db: TestDb) {
    use ventanilla::ans::{AnsSettings, BusinessHours};
    let mut legacy = serde_json::to_value(AnsSettings::default()).unwrap();
    legacy.as_object_mut().unwrap().remove("business_hours");
    let current = serde_json::to_value(AnsSettings::default()).unwrap();
    for (number, settings) in [(1, legacy), (2, current)] {
        sqlx::query(
            "INSERT INTO ans_versions (number, effective_at, settings, note, published_by, published_by_name, published_at) \
             VALUES ($1, $2, $3, 'x', NULL, 'x', 0)",
        )
        .bind(number)
        .bind(number * 1000)
        .bind(settings.to_string())
        .execute(&db.pool)
        .await
        .unwrap();
    }
    let installation = BusinessHours {
        saturday: Some((
            chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            chrono::NaiveTime::from_hms_opt(13, 0, 0).unwrap(),
        )),
        ..BusinessHours::default()
    };
    for _ in 0..2 {
        let pool = ventanilla_app::startup::open_database_with(&db.url, &installation)
            .await
            .unwrap();
        let hours = ventanilla_app::requests::server::clocks::hours_of_versions(&pool, [1, 2])
            .await
            .unwrap();
        assert_eq!(hours[&1], installation);
        assert_eq!(hours[&2], BusinessHours::default());
    }
}

on_both_databases!(versions_stored_before_business_hours_get_the_installations);
