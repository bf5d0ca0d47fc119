//! "Descargar mis datos" (Ley 1581 art. 14): a customer gets everything the desk holds about
//! them as a ZIP — profile, consents, requests with their public thread and files, survey
//! answers — and nothing of anyone else's, nor the staff's internal notes.

use std::io::Read;

use http::StatusCode;
use sqlx::Row;
use ventanilla::role::Role;

use crate::support::{customer, staff, App, TestDb, PDF};

async fn download(app: &App, cookie: &str) -> (StatusCode, http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = app
        .router
        .clone()
        .oneshot(
            http::Request::get("/perfil/mis-datos.zip")
                .header("cookie", cookie)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}

fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().to_string(), bytes)
        })
        .collect()
}

async fn a_customer_downloads_all_their_data_and_nothing_else(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let beto = customer(&app, "1020304051", "beto@correo.co").await;
    let agent = staff(&app, &db, Role::Asesor, "Andrés Asesor", "asesor@equipo.co").await;
    let form = [
        ("request_type", "reclamo"),
        ("subject", "Cobro doble en la factura"),
        ("description", "Me cobraron dos veces el mismo envío."),
        ("submission_token", "export-1"),
    ];
    let filed = app
        .multipart(
            "/portal/solicitudes",
            &form,
            &[("factura.pdf", PDF.to_vec())],
            &ana,
        )
        .await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let other = [
        ("request_type", "reclamo"),
        ("subject", "Pedido de Beto sin entregar"),
        ("description", "El pedido no llegó a la dirección indicada."),
        ("submission_token", "export-2"),
    ];
    assert_eq!(
        app.multipart("/portal/solicitudes", &other, &[], &beto)
            .await
            .status,
        StatusCode::OK
    );
    let radicado: String =
        sqlx::query("SELECT radicado FROM requests WHERE subject = 'Cobro doble en la factura'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("radicado");
    for (action, message) in [
        ("take", ""),
        ("nota_interna", "Cliente difícil, revisar historial."),
        ("public_reply", "Estamos validando el doble cobro."),
    ] {
        let acted = app
            .call(
                "equipo/actuar",
                &[
                    ("radicado", &radicado),
                    ("action", action),
                    ("message", message),
                ],
                Some(&agent.cookie),
            )
            .await;
        assert_eq!(acted.status, StatusCode::OK, "{}", acted.body);
    }

    let (status, headers, zip) = download(&app, &ana).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/zip");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let files = entries(&zip);
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&"LEAME.txt"), "{names:?}");
    let data: serde_json::Value = serde_json::from_slice(
        &files
            .iter()
            .find(|(name, _)| name == "datos.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(data["perfil"]["numero_documento"], "1020304050");
    assert_eq!(data["perfil"]["correo"], "ana@correo.co");
    assert_eq!(data["autorizaciones"].as_array().unwrap().len(), 1);
    assert!(data["autorizaciones"][0]["version_politica"].is_string());
    let requests = data["solicitudes"].as_array().unwrap();
    assert_eq!(requests.len(), 1, "only her own: {requests:?}");
    let text = data.to_string();
    assert!(text.contains(&radicado));
    assert!(text.contains("Estamos validando el doble cobro."));
    assert!(!text.contains("Cliente difícil"), "internal notes stay out");
    assert!(!text.contains("Pedido de Beto"), "nobody else's data");
    // The file is in the ZIP, byte for byte, where the JSON says.
    let path = requests[0]["conversacion"][0]["adjuntos"][0]
        .as_str()
        .unwrap();
    assert!(path.starts_with(&format!("adjuntos/{radicado}/")), "{path}");
    assert!(path.ends_with("factura.pdf"), "{path}");
    assert_eq!(
        files.iter().find(|(name, _)| name == path).unwrap().1,
        PDF.to_vec()
    );
    // The download is in the audit trail.
    assert_eq!(
        sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'datos_descargados'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get::<i64, _>("n"),
        1
    );

    // Staff have no "my data" of a customer here; signed out goes to sign in.
    assert_eq!(download(&app, &agent.cookie).await.0, StatusCode::FORBIDDEN);
    let (status, headers, _) = download(&app, "vt_sesion=no-existe").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/ingresar");
}

on_both_databases!(a_customer_downloads_all_their_data_and_nothing_else);
