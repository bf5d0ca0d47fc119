//! Import of external detractor bases (seed 003 §4 steps 1–2) on SQLite and PostgreSQL: the
//! mapping step, CSV and XLSX read by content, bad rows import nothing unless skipped, the
//! same base imported again creates nothing new, excluded accounts are typified without a
//! call, and only supervisors and admins import.

use std::io::Write;

use sqlx::Row;
use ventanilla::role::Role;
use ventanilla_app::accounts::server::accounts;
use ventanilla_app::detractors::server::import;
use ventanilla_app::platform::audit::Actor;
use ventanilla_app::{accounts::model::SessionUser, detractors::model::ImportMapping};

use crate::support::{App, TestDb};

pub async fn member(db: &TestDb, role: Role, name: &str, email: &str) -> SessionUser {
    let staff = accounts::create_staff(
        &db.pool,
        &Actor::system("prueba"),
        role,
        name,
        email,
        "clave-equipo-1",
    )
    .await
    .unwrap();
    SessionUser {
        id: staff.id,
        full_name: staff.full_name,
        email: staff.email,
        role,
    }
}

/// The base as the client's BI tool exports it: Spanish headers, `;`-separated.
const BASE: &str = "Id Encuesta;Cuenta;Nombre Cliente;ANI;Segmento;Tipo de cuenta;NPS;Comentario\n\
E-1;8001;Ana Rojas;3001234567;Hogar;Normal;2;La instalación tardó\n\
E-2;8002;Beto Díaz;3109876543;Móvil;Normal;0;Cobro indebido\n\
E-3;8003;Cortesía SAS;3201112233;Empresa;Cortesia;4;Sin señal\n";

fn mapping(pairs: &[(&str, &str)]) -> Vec<ImportMapping> {
    pairs
        .iter()
        .map(|(field, column)| ImportMapping {
            field: field.to_string(),
            column: column.to_string(),
        })
        .collect()
}

/// A minimal XLSX (one sheet, inline strings and numbers), stored without compression.
pub fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, value) in row.iter().enumerate() {
            let cell = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            if r > 0 && value.parse::<f64>().is_ok() {
                sheet.push_str(&format!(r#"<c r="{cell}"><v>{value}</v></c>"#));
            } else {
                sheet.push_str(&format!(
                    r#"<c r="{cell}" t="inlineStr"><is><t>{value}</t></is></c>"#
                ));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in files {
        writer.start_file(name, options).unwrap();
        writer.write_all(body.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

async fn cases(db: &TestDb) -> Vec<(String, String, Option<String>, Option<String>)> {
    sqlx::query(
        "SELECT c.customer_name, c.segment, c.outcome, u.full_name FROM recovery_cases c \
         LEFT JOIN users u ON u.id = c.assignee_id ORDER BY c.account_code",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| {
        (
            r.get("customer_name"),
            r.get("segment"),
            r.get("outcome"),
            r.get("full_name"),
        )
    })
    .collect()
}

async fn a_csv_base_is_mapped_imported_once_and_not_replicated(db: TestDb) {
    let app = App::new(&db);
    let boss = member(
        &db,
        Role::Supervisor,
        "Sofía Supervisora",
        "sofia@equipo.co",
    )
    .await;
    member(&db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;

    // The mapping step: headers, first rows, and the columns it recognized.
    let preview = import::preview(BASE.as_bytes(), "data.csv").unwrap();
    assert_eq!(preview.format, "CSV");
    assert_eq!(preview.total_rows, 3);
    assert_eq!(preview.headers[3], "ANI");
    assert_eq!(preview.rows[1][2], "Beto Díaz");
    let suggested: Vec<(String, String)> = preview
        .suggested
        .iter()
        .map(|m| (m.field.clone(), m.column.clone()))
        .collect();
    for pair in [
        ("id_encuesta", "Id Encuesta"),
        ("cuenta", "Cuenta"),
        ("telefono", "ANI"),
        ("nps", "NPS"),
        ("segmento", "Segmento"),
        ("tipo_cuenta", "Tipo de cuenta"),
    ] {
        assert!(
            suggested.contains(&(pair.0.to_string(), pair.1.to_string())),
            "{pair:?} in {suggested:?}"
        );
    }

    // A mapping without a required field is refused before anything is read.
    let short = mapping(&[("cuenta", "Cuenta"), ("nombre", "Nombre Cliente")]);
    let refused = import::import(
        &app.state,
        &boss,
        BASE.as_bytes(),
        "data.csv",
        &short,
        false,
    )
    .await
    .unwrap_err();
    assert!(refused.to_string().contains("Teléfono (ANI)"), "{refused}");

    let report = import::import(
        &app.state,
        &boss,
        BASE.as_bytes(),
        "data.csv",
        &preview.suggested,
        false,
    )
    .await
    .unwrap();
    assert!(report.imported, "{report:?}");
    assert_eq!(
        (report.created, report.duplicates, report.skipped),
        (3, 0, 0)
    );
    assert_eq!(
        cases(&db).await,
        [
            (
                "Ana Rojas".to_string(),
                "hogar".to_string(),
                None,
                Some("Andrés Asesor".to_string())
            ),
            (
                "Beto Díaz".to_string(),
                "movil".to_string(),
                None,
                Some("Andrés Asesor".to_string())
            ),
            // Seed 003: cortesía accounts are typified but not called.
            (
                "Cortesía SAS".to_string(),
                "empresa".to_string(),
                Some("excluido".to_string()),
                None
            ),
        ]
    );
    // The desk lists imported cases with the phone to call.
    let open = ventanilla_app::detractors::server::cases::open_cases(&app.state, &boss)
        .await
        .unwrap();
    assert_eq!(open.len(), 2);
    assert!(open
        .iter()
        .all(|c| c.imported && c.radicado.starts_with("Cuenta 800")));
    assert_eq!(open[0].phone, "3001234567");
    // A record not linked to an account of ours cannot file the escalated request.
    sqlx::query("INSERT INTO areas (id, name) VALUES ('area-tec', 'Soporte técnico')")
        .execute(&db.pool)
        .await
        .unwrap();
    let err = ventanilla_app::detractors::server::cases::log_attempt(
        &app.state,
        &boss,
        &open[0].id,
        ventanilla_app::detractors::server::cases::Attempt {
            result: "contacto_efectivo",
            reason: "Sin señal desde la instalación.",
            solution: "escalado",
            area_id: "area-tec",
            submission_token: "",
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("no está vinculado"), "{err}");
    assert_eq!(db.count("requests").await, 0);
    assert_eq!(db.count("recovery_attempts").await, 0);

    // The next cut brings the same records and one new: only the new one is created.
    let next_cut = format!("{BASE}E-4;8004;Dora Luna;3004445566;Hogar;Normal;5;Nadie responde\n");
    let again = import::import(
        &app.state,
        &boss,
        next_cut.as_bytes(),
        "data (1).csv",
        &preview.suggested,
        false,
    )
    .await
    .unwrap();
    assert_eq!((again.created, again.duplicates), (1, 3), "{again:?}");
    assert_eq!(db.count("recovery_cases").await, 4);
    let imports: Vec<(i64, i64)> = sqlx::query(
        "SELECT created_count, duplicate_count FROM detractor_imports ORDER BY imported_at, id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    assert_eq!(imports, [(3, 0), (1, 3)]);
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'base_detractores_importada'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 2);
}

async fn bad_rows_import_nothing_unless_skipped(db: TestDb) {
    let app = App::new(&db);
    let boss = member(
        &db,
        Role::Supervisor,
        "Sofía Supervisora",
        "sofia@equipo.co",
    )
    .await;
    member(&db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let base = "cuenta,nombre,telefono,nps,correo,segmento\n\
        9001,Ana Rojas,3001234567,3,ana@correo.co,hogar\n\
        9002,,abc,11,no-es-correo,hogar\n\
        9003,Promotora Feliz,3001234567,9,,hogar\n\
        9004,Eva Sur,3001234567,1,,satelital\n\
        9005,Fabio Paz,3001234567,6,,movil\n";
    let map = mapping(&[
        ("cuenta", "cuenta"),
        ("nombre", "nombre"),
        ("telefono", "telefono"),
        ("nps", "nps"),
        ("correo", "correo"),
        ("segmento", "segmento"),
    ]);
    let report = import::import(&app.state, &boss, base.as_bytes(), "corte.csv", &map, false)
        .await
        .unwrap();
    assert!(!report.imported);
    assert_eq!(report.created, 0);
    assert_eq!(db.count("recovery_cases").await, 0);
    assert_eq!(db.count("detractor_imports").await, 0);
    let rows: Vec<usize> = report.errors.iter().map(|e| e.row).collect();
    // Row 3 has four problems; rows 4 (a promoter) and 5 (unknown segment) one each.
    assert_eq!(rows, [3, 3, 3, 3, 4, 5], "{:?}", report.errors);
    let messages: Vec<&str> = report.errors.iter().map(|e| e.message.as_str()).collect();
    assert!(messages.contains(&"Nombre del cliente: está vacío."));
    assert!(messages.iter().any(|m| m.starts_with("Teléfono: «abc»")));
    assert!(messages.iter().any(|m| m.starts_with("NPS: «11»")));
    assert!(messages.iter().any(|m| m.contains("no-es-correo")));
    assert!(messages
        .iter()
        .any(|m| m.starts_with("NPS 9 no es de un detractor")));
    assert!(messages.iter().any(|m| m.contains("satelital")));
    let csv = import::error_report_csv(&report);
    assert!(
        csv.contains("3;nombre;Nombre del cliente: está vacío."),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 7);

    // Explicitly skipping the bad rows imports the two good ones.
    let report = import::import(&app.state, &boss, base.as_bytes(), "corte.csv", &map, true)
        .await
        .unwrap();
    assert!(report.imported);
    assert_eq!((report.created, report.skipped), (2, 3));
    assert_eq!(db.count("recovery_cases").await, 2);
    let email: String = sqlx::query("SELECT email FROM recovery_cases WHERE account_code = '9001'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("email");
    assert_eq!(email, "ana@correo.co");
}

async fn an_xlsx_base_is_read_by_content_and_linked_to_its_account(db: TestDb) {
    let app = App::new(&db);
    let boss = member(&db, Role::Admin, "Alberto Admin", "alberto@equipo.co").await;
    member(&db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    // A registered customer: the imported row finds the account by its document.
    app.call(
        "registro",
        &crate::support::pairs(&crate::support::registration("1020304050", "ana@correo.co")),
        None,
    )
    .await;
    let bytes = xlsx(&[
        &[
            "Cuenta",
            "Nombre",
            "Teléfono",
            "NPS",
            "CSAT",
            "Documento",
            "Fecha",
        ],
        &[
            "7001",
            "Ana María Rojas",
            "3001234567",
            "3",
            "2",
            "1.020.304.050",
            "25/11/2026",
        ],
        &[
            "7002",
            "Otro Cliente",
            "3007654321",
            "6",
            "",
            "",
            "2026-11-24",
        ],
    ]);
    let preview = import::preview(&bytes, "data.xlsx").unwrap();
    assert_eq!(preview.format, "XLSX");
    assert_eq!(preview.rows[0][3], "3");
    let map = preview.suggested.clone();
    assert!(map
        .iter()
        .any(|m| m.field == "fecha_encuesta" && m.column == "Fecha"));
    let report = import::import(&app.state, &boss, &bytes, "data.xlsx", &map, false)
        .await
        .unwrap();
    assert_eq!(report.created, 2, "{report:?}");
    let linked: Option<String> = sqlx::query(
        "SELECT a.name FROM recovery_cases c LEFT JOIN accounts a ON a.id = c.account_id \
         WHERE c.account_code = '7001'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get(0);
    assert!(linked.is_some());
    let csat: Option<i64> =
        sqlx::query("SELECT csat FROM recovery_cases WHERE account_code = '7002'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get(0);
    assert_eq!(csat, None);
    // The same workbook again creates nothing: keyed by account, date and score.
    let again = import::import(&app.state, &boss, &bytes, "data.xlsx", &map, false)
        .await
        .unwrap();
    assert_eq!((again.created, again.duplicates), (0, 2));

    // Disguised files are refused, whatever their name says, and change nothing.
    for (bytes, name) in [
        (bytes.clone(), "data.csv"),
        (BASE.as_bytes().to_vec(), "data.xlsx"),
        (vec![0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00], "data.csv"),
    ] {
        let err = import::import(&app.state, &boss, &bytes, name, &map, false)
            .await
            .unwrap_err();
        assert_eq!(err.status_code(), http::StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(db.count("recovery_cases").await, 2);
}

async fn only_supervisors_and_admins_import(db: TestDb) {
    let app = App::new(&db);
    let agent = member(&db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let preview = import::preview(BASE.as_bytes(), "data.csv").unwrap();
    let err = import::import(
        &app.state,
        &agent,
        BASE.as_bytes(),
        "data.csv",
        &preview.suggested,
        false,
    )
    .await
    .unwrap_err();
    assert_eq!(err.status_code(), http::StatusCode::FORBIDDEN);
    assert_eq!(db.count("recovery_cases").await, 0);
}

/// The UI's path: upload (plain multipart form), mapping step, import — through the router.
async fn the_upload_form_stages_the_file_for_its_mapping_step(db: TestDb) {
    let app = App::new(&db);
    member(
        &db,
        Role::Supervisor,
        "Sofía Supervisora",
        "sofia@equipo.co",
    )
    .await;
    member(&db, Role::Supervisor, "Otro Supervisor", "otro@equipo.co").await;
    member(&db, Role::Asesor, "Andrés Asesor", "andres@equipo.co").await;
    let boss = app.sign_in("sofia@equipo.co", "clave-equipo-1").await;
    let other = app.sign_in("otro@equipo.co", "clave-equipo-1").await;
    let agent = app.sign_in("andres@equipo.co", "clave-equipo-1").await;
    let upload = |cookie: String, name: &'static str, bytes: Vec<u8>| {
        let app = &app;
        async move {
            app.multipart(
                "/equipo/detractores/importar/archivo",
                &[],
                &[(name, bytes)],
                &cookie,
            )
            .await
        }
    };

    let staged = upload(boss.clone(), "data.csv", BASE.as_bytes().to_vec()).await;
    assert_eq!(
        staged.status,
        http::StatusCode::SEE_OTHER,
        "{}",
        staged.body
    );
    let location = staged.headers["location"].to_str().unwrap().to_string();
    let id = location
        .strip_prefix("/equipo/detractores/importar?archivo=")
        .unwrap_or_else(|| panic!("{location}"))
        .to_string();

    // A disguised file goes back to the form with the reason; an asesor may not upload.
    let disguised = upload(boss.clone(), "data.xlsx", BASE.as_bytes().to_vec()).await;
    let back = disguised.headers["location"].to_str().unwrap();
    assert!(
        back.starts_with("/equipo/detractores/importar?error="),
        "{back}"
    );
    assert_eq!(
        upload(agent.clone(), "data.csv", BASE.as_bytes().to_vec())
            .await
            .status,
        http::StatusCode::FORBIDDEN
    );
    assert_eq!(db.count("detractor_uploads").await, 1);

    let preview = app
        .call(
            "equipo/detractores/importacion",
            &[("id", &id)],
            Some(&boss),
        )
        .await;
    assert_eq!(preview.status, http::StatusCode::OK, "{}", preview.body);
    let preview: serde_json::Value = serde_json::from_str(&preview.body).unwrap();
    assert_eq!(preview["file_name"], "data.csv");
    assert_eq!(preview["preview"]["total_rows"], 3);
    // Someone else's upload is not there for them.
    let foreign = app
        .call(
            "equipo/detractores/importacion",
            &[("id", &id)],
            Some(&other),
        )
        .await;
    assert_eq!(foreign.body, "null");

    let form = [
        ("id", id.as_str()),
        ("mapping[cuenta]", "Cuenta"),
        ("mapping[nombre]", "Nombre Cliente"),
        ("mapping[telefono]", "ANI"),
        ("mapping[nps]", "NPS"),
        ("mapping[segmento]", "Segmento"),
        ("mapping[csat]", ""),
        ("mapping[id_encuesta]", "Id Encuesta"),
    ];
    let report = app
        .call("equipo/detractores/importar-base", &form, Some(&boss))
        .await;
    assert_eq!(report.status, http::StatusCode::OK, "{}", report.body);
    let report: serde_json::Value = serde_json::from_str(&report.body).unwrap();
    assert_eq!(report["imported"], true);
    assert_eq!(report["created"], 3);
    let again = app
        .call("equipo/detractores/importar-base", &form, Some(&boss))
        .await;
    let again: serde_json::Value = serde_json::from_str(&again.body).unwrap();
    assert_eq!(
        (again["created"].clone(), again["duplicates"].clone()),
        (0.into(), 3.into())
    );
    let refused = app
        .call("equipo/detractores/importar-base", &form, Some(&agent))
        .await;
    assert_eq!(refused.status, http::StatusCode::FORBIDDEN);
}

on_both_databases!(
    a_csv_base_is_mapped_imported_once_and_not_replicated,
    bad_rows_import_nothing_unless_skipped,
    an_xlsx_base_is_read_by_content_and_linked_to_its_account,
    only_supervisors_and_admins_import,
    the_upload_form_stages_the_file_for_its_mapping_step,
);
