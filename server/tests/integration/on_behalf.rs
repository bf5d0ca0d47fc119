//! Registering a request on a customer's behalf (agent-workspace requirement): an agent files for a customer found
//! by document, or creates the account with the consent recorded for the channel; the
//! customer gets the filing e-mail; people who may not register are refused.

use http::StatusCode;
use sqlx::Row;
use ventanilla::role::Role;

use crate::support::{pairs, registration, staff, App, TestDb};

/// Posts the agent's filing form as the hydrated page does; the radicado on success.
async fn file(
    app: &App,
    form: &[(&str, &str)],
    files: &[(&str, Vec<u8>)],
    cookie: Option<&str>,
) -> (StatusCode, Result<String, String>) {
    let reply = app
        .multipart("/equipo/nueva/radicar", form, files, cookie.unwrap_or(""))
        .await;
    let body: serde_json::Value =
        serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body));
    let outcome = match body["url"].as_str() {
        Some(url) => Ok(url
            .strip_prefix("/equipo/nueva?radicada=")
            .unwrap_or_else(|| panic!("unexpected url {url}"))
            .to_string()),
        None => Err(body["error"].as_str().unwrap_or_default().to_string()),
    };
    (reply.status, outcome)
}

fn form<'a>(document: &'a str, channel: &'a str, token: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("document_type", "CC"),
        ("document_number", document),
        ("channel", channel),
        ("request_type", "queja"),
        ("category_id", ""),
        ("subject", "Envío demorado cinco días"),
        (
            "description",
            "La clienta llamó: su envío no se mueve desde el lunes.",
        ),
        ("priority", "media"),
        ("submission_token", token),
    ]
}

async fn agents_file_for_customers_by_phone_email_or_in_person(db: TestDb) {
    let app = App::new(&db);
    let customer = app
        .call(
            "registro",
            &pairs(&registration("1020304050", "ana@correo.co")),
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let asesor = staff(
        &app,
        &db,
        Role::Asesor,
        "Persona del Equipo",
        "asesor@equipo.co",
    )
    .await
    .cookie;

    let found = app
        .call(
            "equipo/cliente",
            &[("document_type", "CC"), ("document_number", "1020304050")],
            Some(&asesor),
        )
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert!(found.body.contains("María Fernanda Ortiz"));
    let nobody = app
        .call(
            "equipo/cliente",
            &[("document_type", "CC"), ("document_number", "52123456")],
            Some(&asesor),
        )
        .await;
    assert_eq!(nobody.body, "null");

    let (status, filed) = file(
        &app,
        &form("1020304050", "telefono", "t-1"),
        &[],
        Some(&asesor),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{filed:?}");
    let radicado = filed.unwrap();
    let row = sqlx::query("SELECT channel, created_by FROM requests WHERE radicado = $1")
        .bind(&radicado)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("channel"), "telefono");
    assert_eq!(db.count("notification_outbox WHERE template = 'solicitud_radicada' AND recipient = 'ana@correo.co'").await, 1);
    // The same form sent twice files once.
    let (_, again) = file(
        &app,
        &form("1020304050", "telefono", "t-1"),
        &[],
        Some(&asesor),
    )
    .await;
    assert_eq!(again.unwrap(), radicado);
    assert_eq!(db.count("requests").await, 1);

    // The portal is the customer's own channel; agents pick phone, e-mail or in person.
    let (portal, _) = file(
        &app,
        &form("1020304050", "portal", "t-2"),
        &[],
        Some(&asesor),
    )
    .await;
    assert_eq!(portal, StatusCode::UNPROCESSABLE_ENTITY);
    let (unknown, _) = file(
        &app,
        &form("52123456", "presencial", "t-3"),
        &[],
        Some(&asesor),
    )
    .await;
    assert_eq!(unknown, StatusCode::UNPROCESSABLE_ENTITY);

    let mut new = form("52123456", "presencial", "t-4");
    new.extend([
        ("full_name", "Rosa Elena Cárdenas"),
        ("email", "rosa@correo.co"),
        ("phone", ""),
    ]);
    let (no_consent, why) = file(&app, &new, &[], Some(&asesor)).await;
    assert_eq!(no_consent, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(why.unwrap_err().contains("Ley 1581"));
    assert_eq!(db.count("accounts").await, 1);
    new.push(("consent", "si"));
    let (created, outcome) = file(&app, &new, &[], Some(&asesor)).await;
    assert_eq!(created, StatusCode::OK, "{outcome:?}");
    let consent = sqlx::query("SELECT c.channel, c.client_ip FROM data_consents c JOIN users u ON u.id = c.user_id WHERE u.email = 'rosa@correo.co'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(consent.get::<String, _>("channel"), "presencial");
    assert_eq!(consent.get::<String, _>("client_ip"), "Persona del Equipo");

    // Customers and specialists do not register on anyone's behalf.
    let especialista = staff(
        &app,
        &db,
        Role::Especialista,
        "Persona del Equipo",
        "especialista@equipo.co",
    )
    .await
    .cookie;
    for cookie in [&customer, &especialista] {
        let (refused, _) = file(
            &app,
            &form("1020304050", "correo", "t-5"),
            &[],
            Some(cookie),
        )
        .await;
        assert_eq!(refused, StatusCode::FORBIDDEN);
    }
    let (anonymous, _) = file(&app, &form("1020304050", "correo", "t-6"), &[], None).await;
    assert_eq!(anonymous, StatusCode::UNAUTHORIZED);
    assert_eq!(db.count("requests").await, 2);
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/// What the customer sent or handed over goes in with the request, checked as in the portal:
/// a program named like a PDF, or files over the limit, file nothing.
async fn agents_attach_the_customers_files_with_the_portal_checks(db: TestDb) {
    let app = App::new(&db);
    let customer = app
        .call(
            "registro",
            &pairs(&registration("1020304050", "ana@correo.co")),
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let asesor = staff(
        &app,
        &db,
        Role::Asesor,
        "Persona del Equipo",
        "asesor@equipo.co",
    )
    .await
    .cookie;

    let disguised = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    let (status, refused) = file(
        &app,
        &form("1020304050", "correo", "a-1"),
        &[("factura.pdf", disguised)],
        Some(&asesor),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.unwrap_err().contains("factura.pdf"));
    let too_big = vec![b'a'; 1024 * 1024 + 1];
    let (status, refused) = file(
        &app,
        &form("1020304050", "correo", "a-2"),
        &[("notas.txt", too_big)],
        Some(&asesor),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused:?}");
    assert_eq!(db.count("requests").await, 0);
    assert_eq!(app.stored_files(), 0);

    let (status, filed) = file(
        &app,
        &form("1020304050", "correo", "a-3"),
        &[("factura.pdf", PDF.to_vec())],
        Some(&asesor),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{filed:?}");
    let radicado = filed.unwrap();
    let attachment = sqlx::query(
        "SELECT a.id, a.file_name FROM attachments a JOIN requests r ON r.id = a.request_id \
         WHERE r.radicado = $1",
    )
    .bind(&radicado)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(attachment.get::<String, _>("file_name"), "factura.pdf");
    // The customer downloads it from their own request.
    let id: String = attachment.get("id");
    let download = app.get_as(&format!("/adjuntos/{id}"), &customer).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body.as_bytes(), PDF);
}

async fn admins_manage_api_keys_and_others_cannot(db: TestDb) {
    let app = App::new(&db);
    let admin = staff(
        &app,
        &db,
        Role::Admin,
        "Persona del Equipo",
        "admin@equipo.co",
    )
    .await
    .cookie;
    let supervisor = staff(
        &app,
        &db,
        Role::Supervisor,
        "Persona del Equipo",
        "supervisor@equipo.co",
    )
    .await
    .cookie;
    let fields = [
        ("name", "Central telefónica"),
        ("rate_limit_per_minute", "120"),
        ("requests_read", "si"),
        ("requests_write", "si"),
    ];
    let refused = app
        .call("equipo/llaves/crear", &fields, Some(&supervisor))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let created = app.call("equipo/llaves/crear", &fields, Some(&admin)).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let secret = serde_json::from_str::<serde_json::Value>(&created.body).unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let listed = app.call("equipo/llaves", &[], Some(&admin)).await;
    assert!(listed.body.contains("Central telefónica"));
    assert!(
        !listed.body.contains(&secret),
        "the list never shows the secret"
    );
    let id = serde_json::from_str::<serde_json::Value>(&listed.body).unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.call("equipo/llaves/revocar", &[("id", &id)], Some(&supervisor))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("equipo/llaves/revocar", &[("id", &id)], Some(&admin))
            .await
            .status,
        StatusCode::OK
    );
    let audit = db
        .count("audit_events WHERE action IN ('llave_api_creada', 'llave_api_revocada')")
        .await;
    assert_eq!(audit, 2);
    let no_scope = app
        .call(
            "equipo/llaves/crear",
            &[("name", "Sin permisos"), ("rate_limit_per_minute", "10")],
            Some(&admin),
        )
        .await;
    assert_eq!(no_scope.status, StatusCode::UNPROCESSABLE_ENTITY);
}

on_both_databases!(
    agents_file_for_customers_by_phone_email_or_in_person,
    agents_attach_the_customers_files_with_the_portal_checks,
    admins_manage_api_keys_and_others_cannot,
);
