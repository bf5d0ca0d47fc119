//! The ANS settings (issue 19; seed 000 §3, §4, §11): an admin publishes versions with an
//! effective date; filings take the version in force and keep it, so a version effective
//! tomorrow changes nothing today and an earlier request never changes; bad settings are
//! refused in Spanish and write nothing; customers are told through the outbox and the portal.

use chrono::{Days, Utc};
use http::StatusCode;
use serde_json::Value;
use sqlx::Row;
use ventanilla::role::Role;

use crate::support::{customer, file_reclamo, staff, App, Reply, TestDb};

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
