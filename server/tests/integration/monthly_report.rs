//! The monthly report (issue 20; seed 001 act. 5, seed 002 §5.2.23–27) on SQLite and
//! PostgreSQL: a hand-built November whose volumes are counted by hand; the workbook opened
//! with calamine holds the same numbers as the JSON; the bitácora has one row per request;
//! supervisors and keys with reports:read get it, others do not; a bad or future month is a
//! Spanish message; every file handed out is audited.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::TimeZone;
use http::{Request, StatusCode};
use serde_json::Value;
use sqlx::Row;
use ventanilla::calendar::bogota;
use ventanilla::role::Role;

use crate::api::{key, send};
use crate::support::{account_and_user, staff, supervisor_and_customer, App, TestDb};

fn at(month: u32, day: u32, hour: u32) -> i64 {
    bogota()
        .with_ymd_and_hms(2026, month, day, hour, 0, 0)
        .single()
        .unwrap()
        .timestamp()
}

/// One request: type, channel, received, answered, closed.
async fn request(
    db: &TestDb,
    n: usize,
    (request_type, channel): (&str, &str),
    received: i64,
    answered: Option<i64>,
    closed: Option<i64>,
) {
    let (account, user) = account_and_user(db, "cliente@correo.co").await;
    let state = match (answered, closed) {
        (_, Some(_)) => "cerrada",
        (Some(_), None) => "respondida",
        _ => "en_gestion",
    };
    sqlx::query(
        "INSERT INTO requests (id, radicado, account_id, created_by, request_type, subject, description, \
         priority, channel, state, tier, ans_guaranteed, received_at, created_at, updated_at, \
         answered_at, closed_at) \
         VALUES ($1, $2, $3, $4, $5, 'Caso', 'Descripción del caso', 'media', $6, $7, 'regular', 1, \
         $8, $8, $8, $9, $10)",
    )
    .bind(format!("mes-{n}"))
    .bind(format!("2026-8{n:05}"))
    .bind(account)
    .bind(user)
    .bind(request_type)
    .bind(channel)
    .bind(state)
    .bind(received)
    .bind(answered)
    .bind(closed)
    .execute(&db.pool)
    .await
    .unwrap();
}

async fn bytes(
    app: &App,
    path: &str,
    cookie: Option<&str>,
    headers: &[(&str, &str)],
) -> (StatusCode, String, Vec<u8>) {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let (status, headers, body) = app
        .send_bytes(request.body(axum::body::Body::empty()).unwrap())
        .await;
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, content_type, body)
}

/// A sheet's rows as text, numbers written without decimals.
pub(crate) fn sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Vec<Vec<String>> {
    book.worksheet_range(name)
        .unwrap_or_else(|err| panic!("{name}: {err}"))
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

async fn the_month_adds_up_in_the_page_the_workbook_and_the_bitacora(db: TestDb) {
    let app = App::new(&db);
    let (supervisor, _, _) = supervisor_and_customer(&app, &db).await;
    let agent = staff(&app, &db, Role::Asesor, "Andrés Asesor", "andres@equipo.co")
        .await
        .cookie;
    // October: one queja still open at the end of November.
    request(&db, 1, ("queja", "correo"), at(10, 20, 9), None, None).await;
    // November: two reclamos by the portal (one answered and closed, one answered), one
    // petición by phone still open; a reclamo answered in December.
    request(
        &db,
        2,
        ("reclamo", "portal"),
        at(11, 3, 9),
        Some(at(11, 4, 9)),
        Some(at(11, 6, 9)),
    )
    .await;
    request(
        &db,
        3,
        ("reclamo", "portal"),
        at(11, 5, 9),
        Some(at(11, 9, 9)),
        None,
    )
    .await;
    request(
        &db,
        4,
        ("peticion_general", "telefono"),
        at(11, 10, 9),
        None,
        None,
    )
    .await;
    request(
        &db,
        5,
        ("reclamo", "portal"),
        at(11, 27, 9),
        Some(at(12, 1, 9)),
        None,
    )
    .await;
    // Escalations: 3 to Facturación on the 5th, answered by the area four hours later; 4 on
    // the 10th, never answered and past its legal term.
    sqlx::query("INSERT INTO areas (id, name) VALUES ('area-fact', 'Facturación')")
        .execute(&db.pool)
        .await
        .unwrap();
    for (request, first_at) in [("mes-3", at(11, 5, 10)), ("mes-4", at(11, 10, 10))] {
        sqlx::query("INSERT INTO request_areas (request_id, area_id, first_at) VALUES ($1, 'area-fact', $2)")
            .bind(request)
            .bind(first_at)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    sqlx::query(
        "INSERT INTO request_messages (id, request_id, author_label, from_customer, visibility, kind, body, created_at) \
         VALUES ('m-area', 'mes-3', 'Especialista', 0, 'interna', 'respuesta_area', 'Revisado', $1)",
    )
    .bind(at(11, 5, 14))
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE requests SET clock_legal_due = $1 WHERE id = 'mes-4'")
        .bind(at(11, 20, 18))
        .execute(&db.pool)
        .await
        .unwrap();

    let page = app
        .call(
            "equipo/indicadores/informe",
            &[("mes", "2026-11")],
            Some(&supervisor),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let report: Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(report["month_label"], "noviembre de 2026");
    assert_eq!(report["nit"], app.state.config.organization.nit.as_str());
    let by_type = &report["breakdowns"][0];
    assert_eq!(by_type["title"], "Por tipo de solicitud");
    let rows: Vec<(String, i64, i64, i64)> = by_type["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["label"].as_str().unwrap().to_string(),
                r["received"].as_i64().unwrap(),
                r["answered"].as_i64().unwrap(),
                r["open_at_end"].as_i64().unwrap(),
            )
        })
        .collect();
    // Reclamo: received 2, 3 and 5; answered in the month 2 and 3 (5 in December); open at
    // the end 3 and 5. Petición: received, open. Queja: received in October, still open.
    assert_eq!(
        rows,
        [
            ("Reclamo".to_string(), 3, 2, 2),
            ("Petición general".to_string(), 1, 0, 1),
            ("Queja".to_string(), 0, 0, 1),
        ]
    );
    let trend: Vec<(String, i64)> = report["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_string(),
                m["received"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(trend.len(), 6);
    assert_eq!(trend[4], ("2026-10".to_string(), 1));
    assert_eq!(trend[5], ("2026-11".to_string(), 4));
    let area = &report["escalations"][0];
    assert_eq!(area["area"], "Facturación");
    assert_eq!(
        (
            area["escalated"].as_i64(),
            area["answered"].as_i64(),
            area["overdue_unanswered"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(area["mean"], "4 h 00 min");
    let received = report["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "received")
        .unwrap()["numerator"]
        .as_i64()
        .unwrap();
    assert_eq!(received, 4);

    // The workbook holds the same numbers.
    let (status, content_type, xlsx) = bytes(
        &app,
        "/equipo/indicadores/informe/2026-11.xlsx",
        Some(&supervisor),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    let mut book = Xlsx::new(Cursor::new(xlsx.clone())).expect("an XLSX calamine opens");
    let summary = sheet(&mut book, "Resumen");
    assert!(summary
        .iter()
        .any(|r| r.contains(&"noviembre de 2026".to_string())));
    let indicators = sheet(&mut book, "Indicadores");
    let received_row = indicators.iter().find(|r| r[1] == "received").unwrap();
    assert_eq!(received_row[2], "4");
    let types = sheet(&mut book, "Por tipo de solicitud");
    assert_eq!(types[1], ["Reclamo", "3", "2", "2"]);
    let trend_sheet = sheet(&mut book, "Tendencia");
    assert_eq!(trend_sheet.len(), 7);
    assert_eq!(trend_sheet[6][1], "4");
    let escalations = sheet(&mut book, "Escalamientos");
    assert_eq!(escalations[1], ["Facturación", "2", "1", "4", "4", "1"]);
    let bitacora = sheet(&mut book, "Bitácora");
    assert_eq!(bitacora.len(), 5, "a header and the four November requests");
    assert_eq!(bitacora[0][0], "Radicado");
    assert_eq!(bitacora[1][0], "2026-800002");
    assert_eq!(bitacora[1][1], "Reclamo");

    // The bitácora as CSV.
    let (status, content_type, csv) = bytes(
        &app,
        "/equipo/indicadores/informe/2026-11/bitacora.csv",
        Some(&supervisor),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("\u{feff}Radicado;Tipo;"));
    assert_eq!(csv.lines().count(), 5);
    assert!(csv.contains("2026-800004;Petición general;"), "{csv}");

    // Only supervisors and admins; a bad or future month is a message.
    let (status, _, _) = bytes(
        &app,
        "/equipo/indicadores/informe/2026-11.xlsx",
        Some(&agent),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = bytes(&app, "/equipo/indicadores/informe/2026-11.xlsx", None, &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, body) = bytes(
        &app,
        "/equipo/indicadores/informe/noviembre.xlsx",
        Some(&supervisor),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&body).contains("AAAA-MM"));
    let future = app
        .call(
            "equipo/indicadores/informe",
            &[("mes", "2999-01")],
            Some(&supervisor),
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.body.contains("aún no empieza"), "{}", future.body);
    let refused = app
        .call(
            "equipo/indicadores/informe",
            &[("mes", "2026-11")],
            Some(&agent),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The API: XLSX by default, the same figures as JSON when asked, the bitácora as CSV.
    let reports = key(&db, &["reports:read"], 100).await;
    let other = key(&db, &["requests:read"], 100).await;
    let api = send(
        &app,
        "GET",
        "/api/v1/reports/monthly/2026-11",
        Some(&reports),
        None,
        &[("accept", "application/json")],
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let json: Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["breakdowns"][0]["rows"][0]["received"], 3);
    assert_eq!(json["trend"][5]["received"], 4);
    let auth = format!("Bearer {reports}");
    let (status, content_type, api_xlsx) = bytes(
        &app,
        "/api/v1/reports/monthly/2026-11",
        None,
        &[("authorization", auth.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    let mut api_book = Xlsx::new(Cursor::new(api_xlsx)).unwrap();
    assert_eq!(sheet(&mut api_book, "Por tipo de solicitud"), types);
    let (status, _, api_csv) = bytes(
        &app,
        "/api/v1/reports/monthly/2026-11/bitacora",
        None,
        &[("authorization", auth.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(String::from_utf8(api_csv).unwrap().lines().count(), 5);
    let forbidden = send(
        &app,
        "GET",
        "/api/v1/reports/monthly/2026-11",
        Some(&other),
        None,
        &[],
    )
    .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let bad = send(
        &app,
        "GET",
        "/api/v1/reports/monthly/2026-13",
        Some(&reports),
        None,
        &[],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);

    // Four files handed out (page XLSX and CSV, API XLSX and CSV), four audit events.
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'informe_descargado' AND entity_id = '2026-11'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 4);
}

on_both_databases!(the_month_adds_up_in_the_page_the_workbook_and_the_bitacora);
