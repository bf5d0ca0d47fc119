//! The reports that go out by themselves (issue 20: "on the first business day of each month
//! the previous month's report is generated and e-mailed (XLSX attached) to supervisors
//! through the outbox — once, even with several instances"; "Reporte de fallas (seed 002 §6):
//! weekly, each area's members get the escalated requests of their area that are overdue or
//! at risk"), on SQLite and PostgreSQL, delivered through a real SMTP conversation.

use std::io::Cursor;

use base64::Engine;
use calamine::{Reader, Xlsx};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use sqlx::Row;
use ventanilla::calendar::bogota;
use ventanilla::role::Role;
use ventanilla_app::indicators::server::schedule::{enqueue_due, Enqueued};
use ventanilla_app::notify::server::worker::deliver_due_once;
use ventanilla_app::notify::server::Notifier;

use crate::monthly_report::sheet;
use crate::notifications::{with_smtp, SmtpServer};
use crate::support::{customer, file_reclamo, staff, App, TempDir, TestDb};

/// `day` of `month` 2026 at `hour`:00 in Bogotá.
fn bogota_at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    bogota()
        .with_ymd_and_hms(2026, month, day, hour, 0, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

async fn outbox(db: &TestDb, template: &str) -> Vec<(String, Value)> {
    sqlx::query(
        "SELECT recipient, payload FROM notification_outbox WHERE template = $1 ORDER BY recipient",
    )
    .bind(template)
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .iter()
    .map(|row| {
        (
            row.get("recipient"),
            serde_json::from_str(&row.get::<String, _>("payload")).unwrap(),
        )
    })
    .collect()
}

/// The attachment of a multipart message, decoded.
fn attachment(data: &str) -> (String, Vec<u8>) {
    let start = data
        .find("Content-Disposition: attachment")
        .unwrap_or_else(|| panic!("no attachment in {data}"));
    let part = &data[start..];
    let name = part
        .split("filename=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let body = part.split("\r\n\r\n").nth(1).unwrap();
    let encoded: String = body
        .lines()
        .take_while(|line| !line.starts_with("--"))
        .collect::<Vec<_>>()
        .concat();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .unwrap();
    (name, bytes)
}

async fn the_reports_go_out_once_on_their_day(db: TestDb) {
    let app = App::new(&db);
    staff(
        &app,
        &db,
        Role::Supervisor,
        "Sara Supervisora",
        "sara@equipo.co",
    )
    .await;
    staff(
        &app,
        &db,
        Role::Supervisor,
        "Samuel Supervisor",
        "samuel@equipo.co",
    )
    .await;
    staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let specialist = staff(
        &app,
        &db,
        Role::Especialista,
        "Esteban Especialista",
        "esteban@equipo.co",
    )
    .await;
    let cookie = customer(&app, "1020304050", "cliente@correo.co").await;
    file_reclamo(&app, &cookie, "t-1").await;
    file_reclamo(&app, &cookie, "t-2").await;

    // Both filed in November and escalated to Facturación: one past its legal term, one fine.
    sqlx::query("INSERT INTO areas (id, name) VALUES ('area-fact', 'Facturación')")
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO area_members (area_id, user_id) VALUES ('area-fact', $1)")
        .bind(&specialist.id)
        .execute(&db.pool)
        .await
        .unwrap();
    let monday = bogota_at(11, 30, 9);
    let radicados: Vec<String> = sqlx::query("SELECT radicado FROM requests ORDER BY radicado")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get("radicado"))
        .collect();
    for (radicado, due) in [
        (&radicados[0], monday.timestamp() - 3600),
        (&radicados[1], monday.timestamp() + 30 * 86400),
    ] {
        sqlx::query(
            "UPDATE requests SET area_id = 'area-fact', clock_legal_due = $1, clock_legal_risk = $2, \
             received_at = $3 WHERE radicado = $4",
        )
        .bind(due)
        .bind(due - 2 * 86400)
        .bind(bogota_at(11, 10, 9).timestamp())
        .bind(radicado)
        .execute(&db.pool)
        .await
        .unwrap();
    }

    // Monday 30 November: the week's reporte de fallas; no monthly report at the month's end.
    assert_eq!(
        enqueue_due(&app.state, monday).await.unwrap(),
        Enqueued {
            monthly: 0,
            failures: 1
        }
    );
    let failures = outbox(&db, "reporte_fallas").await;
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].0, "esteban@equipo.co");
    let detail = failures[0].1["detalle"].as_str().unwrap();
    assert!(detail.contains(&radicados[0]), "{detail}");
    assert!(detail.contains("VENCIDA"), "{detail}");
    assert!(!detail.contains(&radicados[1]), "{detail}");
    assert_eq!(failures[0].1["semana"], "2026-W49");

    // Tuesday 1 December, the first business day: November's report to both supervisors,
    // once, whatever the instance; the week's failure report is not sent again.
    let december = bogota_at(12, 1, 8);
    assert_eq!(
        enqueue_due(&app.state, december).await.unwrap(),
        Enqueued {
            monthly: 2,
            failures: 0
        }
    );
    assert_eq!(
        enqueue_due(&app.state, december).await.unwrap(),
        Enqueued::default()
    );
    let other_instance = App::new(&db);
    assert_eq!(
        enqueue_due(&other_instance.state, bogota_at(12, 2, 10))
            .await
            .unwrap(),
        Enqueued::default()
    );
    let monthly = outbox(&db, "informe_mensual").await;
    let recipients: Vec<&str> = monthly.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(recipients, ["samuel@equipo.co", "sara@equipo.co"]);
    assert_eq!(monthly[0].1["mes"], "2026-11");
    assert!(monthly[0].1["resumen"]
        .as_str()
        .unwrap()
        .contains("Solicitudes recibidas: 2"));
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'informe_mensual_programado'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 1);

    // Delivered over SMTP with the month's workbook attached.
    let dir = TempDir::new();
    let smtp = SmtpServer::start("250 2.0.0 Aceptado").await;
    let notifier = Notifier::new(&with_smtp(&dir.0, &smtp))
        .unwrap()
        .for_organization(app.state.config.organization.clone());
    let now = ventanilla_app::platform::db::now();
    deliver_due_once(&db.pool, &notifier, || now).await.unwrap();
    let received = smtp.accepted();
    let report = received
        .iter()
        .find(|m| m.rcpt == vec!["<sara@equipo.co>".to_string()])
        .expect("sara got the report");
    assert_eq!(
        report.header("Subject").unwrap(),
        "Informe mensual de PQRS 2026-11"
    );
    assert!(report
        .header("Content-Type")
        .unwrap()
        .starts_with("multipart/mixed"));
    let (name, bytes) = attachment(&report.data);
    assert_eq!(name, "informe-pqrs-2026-11.xlsx");
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("an XLSX calamine opens");
    let summary = sheet(&mut book, "Resumen");
    assert!(summary
        .iter()
        .any(|row| row.contains(&"noviembre de 2026".to_string())));
    let fallas = received
        .iter()
        .find(|m| m.rcpt == vec!["<esteban@equipo.co>".to_string()])
        .expect("esteban got the failure report");
    assert_eq!(
        fallas.header("Subject").unwrap(),
        "Reporte de fallas 2026-W49"
    );
    assert!(fallas
        .header("Content-Type")
        .unwrap()
        .starts_with("text/plain"));
}

on_both_databases!(the_reports_go_out_once_on_their_day);
