//! Set-password links on SQLite and PostgreSQL: the customer whose account an agent created
//! gets a single-use, expiring link by e-mail (queued with the account, delivered over real
//! SMTP), creates a password and is signed in; used, expired, replaced and forged links
//! change nothing and say why; "¿Olvidó su contraseña?" answers the same for every address
//! and issues a bounded number of links.

use http::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;
use ventanilla::role::Role;
use ventanilla_app::notify::server::worker::deliver_due_once;
use ventanilla_app::notify::server::Notifier;
use ventanilla_app::platform::audit::Actor;
use ventanilla_app::{accounts::server::accounts, platform::db};

use crate::notifications::{with_smtp, SmtpServer};
use crate::support::{pairs, registration, App, TempDir, TestDb};

const NEW_PASSWORD: &str = "mi-clave-nueva-9";

/// The token in the newest e-mailed link of `template` to `email`.
async fn mailed_token(db: &TestDb, email: &str, template: &str) -> String {
    let payload: String = sqlx::query(
        "SELECT payload FROM notification_outbox WHERE recipient = $1 AND template = $2 \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(email)
    .bind(template)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("payload");
    let payload: Value = serde_json::from_str(&payload).unwrap();
    let url = payload["url"].as_str().unwrap();
    let token = url.rsplit_once("/contrasena/").unwrap().1.to_string();
    assert_eq!(token.len(), 64, "{url}");
    token
}

async fn link(app: &App, token: &str) -> Value {
    let reply = app
        .call("contrasena/enlace", &[("token", token)], None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

async fn set(app: &App, token: &str, password: &str, confirmation: &str) -> crate::support::Reply {
    app.call(
        "contrasena/crear",
        &[
            ("token", token),
            ("password", password),
            ("password_confirmation", confirmation),
        ],
        None,
    )
    .await
}

fn signs_in(reply: &crate::support::Reply) -> bool {
    reply.status == StatusCode::OK && reply.session_cookie().is_some()
}

async fn an_account_made_on_behalf_gets_a_single_use_link_to_create_its_password(db: TestDb) {
    let app = App::new(&db);
    accounts::create_staff(
        &db.pool,
        &Actor::system("prueba"),
        Role::Asesor,
        "Andrés Asesor",
        "asesor@equipo.co",
        "clave-equipo-1",
    )
    .await
    .unwrap();
    let asesor = app.sign_in("asesor@equipo.co", "clave-equipo-1").await;
    let filed = app
        .multipart(
            "/equipo/nueva/radicar",
            &[
                ("document_type", "CC"),
                ("document_number", "52123456"),
                ("channel", "presencial"),
                ("full_name", "Rosa Elena Cárdenas"),
                ("email", "rosa@correo.co"),
                ("consent", "si"),
                ("request_type", "peticion_general"),
                ("subject", "Solicita copia del contrato"),
                (
                    "description",
                    "Vino a la oficina a pedir copia de su contrato.",
                ),
                ("priority", "media"),
                ("submission_token", "t-rosa"),
            ],
            &[],
            &asesor,
        )
        .await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let filed: Value = serde_json::from_str(&filed.body).unwrap();
    let radicado = filed["url"]
        .as_str()
        .unwrap()
        .rsplit_once('=')
        .unwrap()
        .1
        .to_string();

    // The link was queued with the account; only its hash is kept.
    assert_eq!(
        db.count("notification_outbox WHERE template = 'crear_contrasena' AND recipient = 'rosa@correo.co'")
            .await,
        1
    );
    assert_eq!(
        db.count("notification_outbox WHERE template = 'bienvenida'")
            .await,
        0
    );
    let token = mailed_token(&db, "rosa@correo.co", "crear_contrasena").await;
    let stored = sqlx::query(
        "SELECT token_sha256, purpose, expires_at - created_at AS life FROM password_links",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        stored.get::<String, _>("token_sha256"),
        hex::encode(Sha256::digest(token.as_bytes()))
    );
    assert_eq!(stored.get::<String, _>("purpose"), "crear");
    assert_eq!(stored.get::<i64, _>("life"), 7 * 24 * 3600);

    // The e-mail as the customer receives it, through a real SMTP conversation.
    let dir = TempDir::new();
    let smtp = SmtpServer::start("250 2.0.0 Aceptado").await;
    let notifier = Notifier::new(&with_smtp(&dir.0, &smtp)).unwrap();
    let now = db::now();
    deliver_due_once(&db.pool, &notifier, || now).await.unwrap();
    let mail = smtp
        .accepted()
        .into_iter()
        .find(|m| {
            m.rcpt == vec!["<rosa@correo.co>".to_string()] && m.text().contains("/contrasena/")
        })
        .expect("the set-password mail");
    assert_eq!(
        mail.header("Subject").unwrap(),
        "Cree su contrasena de Ventanilla"
    );
    let text = mail.text();
    assert!(
        text.lines()
            .any(|line| line == format!("http://127.0.0.1:3000/contrasena/{token}")),
        "{text}"
    );
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("Hola, Rosa Elena Cárdenas:"), "{words}");
    assert!(
        words.contains("sirve una sola vez y vence en 7 días"),
        "{words}"
    );

    // Nobody signs in before the password exists.
    let before = app
        .call(
            "ingresar",
            &[("login", "52123456"), ("password", "sin-clave")],
            None,
        )
        .await;
    assert!(!signs_in(&before));

    // The page greets her; a forged or truncated link is refused in words.
    let shown = link(&app, &token).await;
    assert_eq!(shown["valid"], true);
    assert_eq!(shown["creating"], true);
    assert_eq!(shown["name"], "Rosa Elena Cárdenas");
    let forged = link(&app, &"ab".repeat(32)).await;
    assert_eq!(forged["valid"], false);
    assert!(forged["problem"].as_str().unwrap().contains("no es válido"));
    let cut = set(&app, &token[..40], NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(cut.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The registration's password rules apply; a refusal keeps the link usable.
    let short = set(&app, &token, "corta", "corta").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("al menos 8"), "{}", short.body);
    let mismatch = set(&app, &token, NEW_PASSWORD, "otra-clave-99").await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("confirmación"), "{}", mismatch.body);
    assert_eq!(link(&app, &token).await["valid"], true);

    // Set: signed in at once, to her portal, and by document from now on.
    let done = set(&app, &token, NEW_PASSWORD, NEW_PASSWORD).await;
    assert!(signs_in(&done), "{}", done.body);
    assert_eq!(
        serde_json::from_str::<String>(&done.body).unwrap(),
        "/portal"
    );
    let mine = app
        .call(
            "portal/solicitud",
            &[("radicado", &radicado)],
            Some(&done.session_cookie().unwrap()),
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert!(
        mine.body.contains("Solicita copia del contrato"),
        "{}",
        mine.body
    );
    let later = app
        .call(
            "ingresar",
            &[("login", "52.123.456"), ("password", NEW_PASSWORD)],
            None,
        )
        .await;
    assert!(signs_in(&later), "{}", later.body);
    assert_eq!(
        db.count("audit_events WHERE action = 'contrasena_creada'")
            .await,
        1
    );

    // The link is spent: a second use changes nothing and says so.
    let again = set(&app, &token, "otra-clave-distinta", "otra-clave-distinta").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("ya se usó"), "{}", again.body);
    let still = app
        .call(
            "ingresar",
            &[("login", "rosa@correo.co"), ("password", NEW_PASSWORD)],
            None,
        )
        .await;
    assert!(signs_in(&still));
    assert_eq!(
        db.count("audit_events WHERE action = 'contrasena_creada'")
            .await,
        1
    );
}

async fn forgotten_passwords_get_the_same_answer_and_a_bounded_number_of_links(db: TestDb) {
    let app = App::new(&db);
    app.call(
        "registro",
        &pairs(&registration("1020304050", "ana@correo.co")),
        None,
    )
    .await
    .session_cookie()
    .unwrap();
    accounts::create_staff(
        &db.pool,
        &Actor::system("prueba"),
        Role::Asesor,
        "Andrés Asesor",
        "asesor@equipo.co",
        "clave-equipo-1",
    )
    .await
    .unwrap();
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            app.call("contrasena/olvido", &[("email", email)], None)
                .await
        }
    };

    // Unknown address, staff address, customer address: one answer, word for word.
    let unknown = ask("nadie@correo.co").await;
    let staff = ask("asesor@equipo.co").await;
    let known = ask("ANA@correo.co").await;
    for reply in [&unknown, &staff, &known] {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    assert_eq!(unknown.body, known.body);
    assert_eq!(staff.body, known.body);
    assert!(known
        .body
        .contains("Si ese correo corresponde a una cuenta"));
    assert_eq!(db.count("password_links").await, 1);
    assert_eq!(
        db.count("notification_outbox WHERE template = 'recuperar_contrasena'")
            .await,
        1
    );
    assert_eq!(
        db.count("notification_outbox WHERE recipient IN ('nadie@correo.co', 'asesor@equipo.co')")
            .await,
        0
    );
    let first = mailed_token(&db, "ana@correo.co", "recuperar_contrasena").await;
    let shown = link(&app, &first).await;
    assert_eq!(
        (shown["valid"].clone(), shown["creating"].clone()),
        (Value::Bool(true), Value::Bool(false))
    );
    let life: i64 = sqlx::query("SELECT expires_at - created_at AS life FROM password_links")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("life");
    assert_eq!(life, 2 * 3600);

    // A newer link replaces the older one; past three an hour, the answer is the same but
    // nothing more is issued or mailed.
    for _ in 0..4 {
        let reply = ask("ana@correo.co").await;
        assert_eq!(reply.body, known.body);
    }
    assert_eq!(db.count("password_links").await, 3);
    assert_eq!(
        db.count("notification_outbox WHERE template = 'recuperar_contrasena'")
            .await,
        3
    );
    let replaced = link(&app, &first).await;
    assert_eq!(replaced["valid"], false);
    assert!(replaced["problem"]
        .as_str()
        .unwrap()
        .contains("reemplazado"));
    assert_eq!(
        set(&app, &first, NEW_PASSWORD, NEW_PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // An expired link changes nothing either.
    let latest = mailed_token(&db, "ana@correo.co", "recuperar_contrasena").await;
    let digest = hex::encode(Sha256::digest(latest.as_bytes()));
    sqlx::query("UPDATE password_links SET expires_at = $1 WHERE token_sha256 = $2")
        .bind(db::now() - 1)
        .bind(&digest)
        .execute(&db.pool)
        .await
        .unwrap();
    let expired = link(&app, &latest).await;
    assert!(expired["problem"].as_str().unwrap().contains("venció"));
    let refused = set(&app, &latest, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("venció"), "{}", refused.body);
    let old = app
        .call(
            "ingresar",
            &[("login", "ana@correo.co"), ("password", "clave-segura-1")],
            None,
        )
        .await;
    assert!(signs_in(&old), "the old password still works: {}", old.body);

    // A live link sets the new password; the old one stops working.
    sqlx::query("UPDATE password_links SET expires_at = $1 WHERE token_sha256 = $2")
        .bind(db::now() + 600)
        .bind(&digest)
        .execute(&db.pool)
        .await
        .unwrap();
    let done = set(&app, &latest, NEW_PASSWORD, NEW_PASSWORD).await;
    assert!(signs_in(&done), "{}", done.body);
    let old = app
        .call(
            "ingresar",
            &[("login", "ana@correo.co"), ("password", "clave-segura-1")],
            None,
        )
        .await;
    assert!(!signs_in(&old));
    assert_eq!(
        db.count("audit_events WHERE action = 'contrasena_restablecida'")
            .await,
        1
    );

    // Not an address: said in Spanish, nothing issued.
    let bad = app
        .call("contrasena/olvido", &[("email", "no es un correo")], None)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(db.count("password_links").await, 3);
}

on_both_databases!(
    an_account_made_on_behalf_gets_a_single_use_link_to_create_its_password,
    forgotten_passwords_get_the_same_answer_and_a_bounded_number_of_links,
);
