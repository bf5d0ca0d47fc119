//! Registration, sign-in, rate limits, role checks and cross-site refusal, through the real
//! router, on SQLite and PostgreSQL.

use crate::support::{changed, customer, pairs, registration, App, TestDb};
use http::StatusCode;
use sqlx::Row;
use tower::ServiceExt;

const TABLES: [&str; 5] = [
    "accounts",
    "users",
    "data_consents",
    "audit_events",
    "notification_outbox",
];

/// A form, the status it must get, and a piece of the message it must show.
type BadCase<'a> = (Vec<(String, String)>, StatusCode, &'a str);

async fn counts(db: &TestDb) -> Vec<i64> {
    let mut out = Vec::new();
    for table in TABLES {
        out.push(db.count(table).await);
    }
    out
}

async fn registration_creates_account_consent_audit_and_outbox(db: TestDb) {
    let app = App::new(&db);
    let reply = app
        .call(
            "registro",
            &pairs(&registration("1020304050", "ana@correo.co")),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("/portal"));
    let cookie = reply.session_cookie().expect("signed in after registering");
    let set_cookie = reply.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    assert_eq!(counts(&db).await, vec![1, 1, 1, 1, 1]);

    let consent: (String, i64) =
        sqlx::query_as("SELECT policy_version, accepted_at FROM data_consents")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        consent.0,
        ventanilla_app::accounts::policy::DATA_POLICY_VERSION
    );
    assert!((chrono::Utc::now().timestamp() - consent.1).abs() < 60);

    let me = app.call("sesion", &[], Some(&cookie)).await;
    assert!(
        me.body.contains("María Fernanda Ortiz") && me.body.contains("cliente"),
        "{}",
        me.body
    );
}

async fn bad_registrations_are_refused_and_write_nothing(db: TestDb) {
    let app = App::new(&db);
    let ok = app
        .call(
            "registro",
            &pairs(&registration("1020304050", "ana@correo.co")),
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let before = counts(&db).await;

    let base = registration("79888777", "otra@correo.co");
    let long_name = "N".repeat(1_000_000);
    let long_password = "p".repeat(129);
    let nit = changed(
        &changed(&base, "document_type", Some("NIT")),
        "document_number",
        Some("900123456-7"),
    );
    let cases: Vec<BadCase> = vec![
        (
            nit,
            StatusCode::UNPROCESSABLE_ENTITY,
            "dígito de verificación",
        ),
        (
            changed(&base, "consent", None),
            StatusCode::UNPROCESSABLE_ENTITY,
            "autorizar el tratamiento",
        ),
        (
            changed(
                &changed(&base, "password", Some("corta")),
                "password_confirmation",
                Some("corta"),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "al menos 8",
        ),
        (
            changed(
                &changed(&base, "password", Some(&long_password)),
                "password_confirmation",
                Some(&long_password),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "como máximo 128",
        ),
        (
            changed(&base, "full_name", Some(&long_name)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "como máximo 150",
        ),
        (
            changed(&base, "email", Some("no-es-correo")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Correo electrónico",
        ),
        (
            changed(&base, "phone", Some("12")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Celular",
        ),
        (
            changed(&base, "document_type", Some("XX")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "tipo de documento",
        ),
        (
            changed(&base, "document_number", Some("1020304050")),
            StatusCode::CONFLICT,
            "ese documento",
        ),
        (
            changed(&base, "email", Some("ANA@correo.co")),
            StatusCode::CONFLICT,
            "ese correo",
        ),
    ];
    for (form, status, message) in cases {
        let reply = app.call("registro", &pairs(&form), None).await;
        assert_eq!(
            reply.status,
            status,
            "{message}: {}",
            &reply.body[..reply.body.len().min(300)]
        );
        assert!(
            reply.body.contains(message),
            "expected «{message}» in {}",
            reply.body
        );
        assert!(reply.session_cookie().is_none());
        assert_eq!(counts(&db).await, before, "nothing written for «{message}»");
    }
}

async fn sign_in_by_email_or_document_and_sign_out(db: TestDb) {
    let app = App::new(&db);
    app.call(
        "registro",
        &pairs(&registration("1020304050", "ana@correo.co")),
        None,
    )
    .await;
    for login in [
        "ana@correo.co",
        "ANA@correo.co",
        "1020304050",
        "1.020.304.050",
    ] {
        let reply = app
            .call(
                "ingresar",
                &[("login", login), ("password", "clave-segura-1")],
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{login}: {}", reply.body);
        let cookie = reply.session_cookie().unwrap();
        let me = app.call("sesion", &[], Some(&cookie)).await;
        assert!(me.body.contains("ana@correo.co"));
        let out = app.call("salir", &[], Some(&cookie)).await;
        assert_eq!(out.status, StatusCode::OK);
        let after = app.call("sesion", &[], Some(&cookie)).await;
        assert_eq!(after.body, "null", "the session ends on sign-out");
    }
    let wrong = app
        .call(
            "ingresar",
            &[("login", "ana@correo.co"), ("password", "equivocada")],
            None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong
        .body
        .contains("Documento, correo o contraseña incorrectos."));
    let unknown = app
        .call(
            "ingresar",
            &[("login", "nadie@correo.co"), ("password", "equivocada")],
            None,
        )
        .await;
    assert_eq!(
        unknown.body, wrong.body,
        "unknown accounts look like wrong passwords"
    );
}

async fn sign_in_is_rate_limited_per_account_and_per_ip(db: TestDb) {
    let app = App::new(&db);
    app.call(
        "registro",
        &pairs(&registration("1020304050", "ana@correo.co")),
        None,
    )
    .await;
    for attempt in 0..5u8 {
        let reply = app
            .call_from(
                "ingresar",
                &[("login", "ana@correo.co"), ("password", "mala")],
                None,
                [10, 0, 1, attempt],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let locked = app
        .call_from(
            "ingresar",
            &[("login", "ana@correo.co"), ("password", "clave-segura-1")],
            None,
            [10, 0, 2, 1],
        )
        .await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.body
    );
    assert!(locked.body.contains("RateLimited"), "{}", locked.body);
    assert!(locked.session_cookie().is_none());

    // Per IP: 20 failures over many logins lock that address out, not others.
    for n in 0..20 {
        let login = format!("nadie{n}@correo.co");
        app.call_from(
            "ingresar",
            &[("login", &login), ("password", "mala")],
            None,
            [10, 9, 9, 9],
        )
        .await;
    }
    app.call(
        "registro",
        &pairs(&registration("79888777", "luis@correo.co")),
        None,
    )
    .await;
    let from_bad_ip = app
        .call_from(
            "ingresar",
            &[("login", "luis@correo.co"), ("password", "clave-segura-1")],
            None,
            [10, 9, 9, 9],
        )
        .await;
    assert_eq!(from_bad_ip.status, StatusCode::TOO_MANY_REQUESTS);
    let from_other_ip = app
        .call_from(
            "ingresar",
            &[("login", "luis@correo.co"), ("password", "clave-segura-1")],
            None,
            [10, 7, 7, 7],
        )
        .await;
    assert_eq!(from_other_ip.status, StatusCode::OK);
}

async fn roles_are_checked_by_every_server_function(db: TestDb) {
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
    ventanilla_app::accounts::server::accounts::create_staff(
        &db.pool,
        &ventanilla_app::platform::audit::Actor::system("prueba"),
        ventanilla::role::Role::Asesor,
        "Andrés Asesor",
        "asesor@equipo.co",
        "clave-asesor-1",
    )
    .await
    .unwrap();
    let agent = app
        .call(
            "ingresar",
            &[
                ("login", "asesor@equipo.co"),
                ("password", "clave-asesor-1"),
            ],
            None,
        )
        .await
        .session_cookie()
        .unwrap();

    let anonymous = app.call("equipo/cola", &[], None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let refused = app.call("equipo/cola", &[], Some(&customer)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Forbidden") && !refused.body.contains("queues"));
    let allowed = app.call("equipo/cola", &[], Some(&agent)).await;
    assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.body);

    // Only admins manage staff; agents are refused, and nothing is created.
    let users_before = db.count("users").await;
    let create = [
        ("full_name", "Nuevo Admin"),
        ("email", "nuevo@equipo.co"),
        ("role", "admin"),
        ("password", "clave-nueva-1"),
    ];
    assert_eq!(
        app.call("equipo/usuarios/crear", &create, Some(&agent))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("equipo/usuarios/crear", &create, Some(&customer))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(db.count("users").await, users_before);

    // Staff cannot read a customer's list through the customer function either.
    assert_eq!(
        app.call("mis-solicitudes", &[], Some(&agent)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("mis-solicitudes", &[], Some(&customer))
            .await
            .status,
        StatusCode::OK
    );
}

async fn customers_see_only_their_own_requests(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let vip = app
        .call(
            "ingresar",
            &[
                ("login", "vip@demo.ventanilla.co"),
                ("password", "Ventanilla2026"),
            ],
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let list = app.call("mis-solicitudes", &[], Some(&vip)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Transportes Andinos"), "{}", list.body);
    for other in [
        "Ana María Rojas",
        "Carlos Pérez",
        "Lucía Gómez",
        "Distribuciones El Llano",
    ] {
        assert!(
            !list.body.contains(other),
            "{other} leaked into another customer's list"
        );
    }
}

async fn cross_site_calls_are_refused(db: TestDb) {
    let app = App::new(&db);
    let request = http::Request::post("/api/registro")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "127.0.0.1:3000")
        .header("origin", "https://sitio-malicioso.example")
        .body(axum::body::Body::from("document_type=CC"))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let request = http::Request::post("/api/salir")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    assert_eq!(db.count("accounts").await, 0);
}

/// A session unused for longer than the idle limit ends, however long before its absolute
/// expiry; one in use is kept alive by its use.
async fn an_idle_session_ends(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let me = app.call("sesion", &[], Some(&ana)).await;
    assert!(me.body.contains("ana@correo.co"), "{}", me.body);

    let idle = app.state.config.session_idle_minutes * 60;
    let stale = |seconds: i64| {
        sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1")
            .bind(seconds)
            .execute(&db.pool)
    };
    // Used a while ago, within the limit: still signed in, and the use is written down.
    stale(idle - 120).await.unwrap();
    let me = app.call("sesion", &[], Some(&ana)).await;
    assert!(me.body.contains("ana@correo.co"), "{}", me.body);
    let seen: i64 = sqlx::query("SELECT last_seen_at FROM sessions")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("last_seen_at");
    assert!(
        seen > chrono::Utc::now().timestamp() - 60,
        "the use was not recorded"
    );

    // Past the limit: signed out, though the session has hours left.
    stale(idle + 60).await.unwrap();
    let after = app.call("sesion", &[], Some(&ana)).await;
    assert_eq!(after.body, "null", "an idle session must end");
}

/// Fifty wrong passwords at once, from fifty addresses: only as many as the per-account limit
/// reach the password check; the rest are refused before it, and nothing else is recorded.
async fn a_burst_of_guesses_is_held_to_the_limit(db: TestDb) {
    let app = std::sync::Arc::new(App::new(&db));
    app.call(
        "registro",
        &pairs(&registration("1020304050", "ana@correo.co")),
        None,
    )
    .await;
    let mut calls = Vec::new();
    for n in 0..50u8 {
        let app = app.clone();
        calls.push(tokio::spawn(async move {
            app.call_from(
                "ingresar",
                &[("login", "ana@correo.co"), ("password", "mala")],
                None,
                [10, 1, 2, n],
            )
            .await
            .status
        }));
    }
    let mut evaluated = 0;
    for call in calls {
        match call.await.unwrap() {
            StatusCode::UNPROCESSABLE_ENTITY => evaluated += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected answer {other}"),
        }
    }
    // Which ones get through depends on the order of commits (on PostgreSQL all may commit
    // before any counts, and then all are refused): never more than the limit.
    assert!(evaluated <= 5, "{evaluated} guesses were checked");
    let failures: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM sign_in_attempts WHERE login_key = 'ana@correo.co' AND succeeded = 0",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(failures, evaluated);
    // Refused knocks are not counted: below the limit, the owner still gets in.
    if evaluated < 5 {
        let owner = app
            .call_from(
                "ingresar",
                &[("login", "ana@correo.co"), ("password", "clave-segura-1")],
                None,
                [10, 1, 3, 1],
            )
            .await;
        assert!(owner.session_cookie().is_some(), "{}", owner.body);
    }
}

async fn every_form_post_is_guarded_and_every_answer_carries_security_headers(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let filing = |site: &'static str| {
        let boundary = "b";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"request_type\"\r\n\r\nqueja\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\nMensajero grosero\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nEl mensajero fue grosero.\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"submission_token\"\r\n\r\n{site}\r\n--{boundary}--\r\n"
        );
        http::Request::post("/portal/solicitudes")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("accept", "application/json")
            .header("cookie", ana.clone())
            .header("sec-fetch-site", site)
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    // A sibling subdomain is "same-site" and gets the session cookie under SameSite=Lax: the
    // multipart filing form refuses it as it refuses another site.
    for site in ["cross-site", "same-site"] {
        let reply = app.send(filing(site)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{site}");
    }
    assert_eq!(db.count("requests").await, 0);
    let reply = app.send(filing("same-origin")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(db.count("requests").await, 1);

    let page = app
        .router
        .clone()
        .oneshot(
            http::Request::get("/")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let headers = page.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    let policy = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    // Scripts: this site's files and the page's own inline scripts, by a nonce the page's
    // scripts carry; no 'unsafe-inline'.
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a page names its script nonce")
        .to_string();
    assert!(nonce.len() >= 22, "128 bits at least: {nonce}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let html = String::from_utf8(
        axum::body::to_bytes(page.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty());
    for script in scripts {
        let tag = &script[..script.find('>').unwrap()];
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "every inline script carries the response's nonce: <script{tag}>"
        );
    }
    // Another page gets another nonce; a 404 page too has one its scripts carry.
    let missing = app.get("/esta-pagina-no-existe").await;
    let other = missing.headers["content-security-policy"].to_str().unwrap();
    assert!(!other.contains(&nonce), "{other}");
    let other_nonce = other
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(missing.body.contains(&format!("nonce=\"{other_nonce}\"")));
    // Data answers need no script policy, only the framing one.
    let health = app.get("/healthz").await;
    assert!(!health.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src"));
}

async fn health_and_not_found(db: TestDb) {
    let app = App::new(&db);
    let health = app.get("/healthz").await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );
    let missing = app.get("/esta-pagina-no-existe").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Página no encontrada"));
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<html lang=\"es\""));
}

/// Behind a reverse proxy every connection comes from the proxy: the per-address limit and
/// the attempt record must count the client it names, and only if the proxy is trusted.
async fn the_client_behind_a_trusted_proxy_is_the_one_counted(db: TestDb) {
    let app = App::with_config(&db, |config| {
        config.trusted_proxies = vec!["10.0.0.2".parse().unwrap()];
    });
    let guess =
        |peer: [u8; 4], forwarded: &'static str| {
            let mut request = http::Request::post("/api/ingresar")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .header("x-forwarded-for", forwarded)
                .body(axum::body::Body::from(
                    "login=nadie%40correo.co&password=clave-mala-1",
                ))
                .unwrap();
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                std::net::SocketAddr::from((peer, 40000)),
            ));
            request
        };
    assert_eq!(
        app.send(guess([10, 0, 0, 2], "6.6.6.6, 198.51.100.7"))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.send(guess([203, 0, 113, 9], "198.51.100.8"))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut recorded: Vec<String> = sqlx::query("SELECT client_ip FROM sign_in_attempts")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.get("client_ip"))
        .collect();
    recorded.sort();
    assert_eq!(recorded, ["198.51.100.7", "203.0.113.9"]);
}

/// Hourly quotas (`platform::quota`): past the limit a clear 429 in Spanish and nothing
/// written; another address or another customer is not affected.
async fn hourly_quotas_hold_registrations_filings_and_replies(db: TestDb) {
    let app = App::with_config(&db, |config| {
        config.quotas.registrations_per_address.per_hour = 2;
        config.quotas.filings_per_customer.per_hour = 2;
        config.quotas.replies_per_customer.per_hour = 2;
    });
    let register = |document: &str, email: &str, ip: [u8; 4]| {
        let form = registration(document, email);
        let app = &app;
        async move { app.call_from("registro", &pairs(&form), None, ip).await }
    };
    let ana = register("1020304050", "ana@correo.co", [198, 51, 100, 7])
        .await
        .session_cookie()
        .unwrap();
    assert_eq!(
        register("1020304051", "beto@correo.co", [198, 51, 100, 7])
            .await
            .status,
        StatusCode::OK
    );
    let third = register("1020304052", "caro@correo.co", [198, 51, 100, 7]).await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        third.body
    );
    assert!(third.body.contains("por hora"), "{}", third.body);
    assert_eq!(db.count("accounts").await, 2);
    assert_eq!(
        register("1020304052", "caro@correo.co", [198, 51, 100, 8])
            .await
            .status,
        StatusCode::OK,
        "another address is not affected"
    );

    let file = |token: &'static str| {
        let ana = ana.clone();
        let app = &app;
        async move {
            let form = [
                ("request_type", "reclamo"),
                ("subject", "Cambio de dirección de recolección"),
                ("description", "Necesito cambiar la dirección."),
                ("submission_token", token),
            ];
            app.multipart("/portal/solicitudes", &form, &[], &ana).await
        }
    };
    for token in ["q-1", "q-2"] {
        let filed = file(token).await;
        assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    }
    let refused = file("q-3").await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("solicitudes radicadas"),
        "{}",
        refused.body
    );
    assert_eq!(db.count("requests").await, 2);

    let radicado: String = sqlx::query("SELECT radicado FROM requests ORDER BY radicado LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado");
    let path = format!("/portal/solicitudes/{radicado}/responder");
    // Each filing wrote the customer's first message; both count toward the replies too.
    let messages = db.count("request_messages").await;
    let reply = app
        .multipart(&path, &[("message", "Otro dato.")], &[], &ana)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("mensajes"), "{}", reply.body);
    assert_eq!(db.count("request_messages").await, messages);
}

on_both_databases!(
    hourly_quotas_hold_registrations_filings_and_replies,
    the_client_behind_a_trusted_proxy_is_the_one_counted,
    registration_creates_account_consent_audit_and_outbox,
    bad_registrations_are_refused_and_write_nothing,
    sign_in_by_email_or_document_and_sign_out,
    sign_in_is_rate_limited_per_account_and_per_ip,
    roles_are_checked_by_every_server_function,
    customers_see_only_their_own_requests,
    cross_site_calls_are_refused,
    a_burst_of_guesses_is_held_to_the_limit,
    an_idle_session_ends,
    every_form_post_is_guarded_and_every_answer_carries_security_headers,
    health_and_not_found,
);

async fn password_change_checks_the_current_one_and_ends_other_sessions(db: TestDb) {
    let app = App::new(&db);
    let first = app
        .call(
            "registro",
            &pairs(&registration("1020304050", "ana@correo.co")),
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let second = app
        .call(
            "ingresar",
            &[("login", "ana@correo.co"), ("password", "clave-segura-1")],
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let wrong = app
        .call(
            "perfil/contrasena",
            &[
                ("current_password", "no-es-esta"),
                ("new_password", "otra-clave-2"),
                ("new_password_confirmation", "otra-clave-2"),
            ],
            Some(&first),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("La contraseña actual no es correcta."));

    let changed = app
        .call(
            "perfil/contrasena",
            &[
                ("current_password", "clave-segura-1"),
                ("new_password", "otra-clave-2"),
                ("new_password_confirmation", "otra-clave-2"),
            ],
            Some(&first),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let fresh = changed
        .session_cookie()
        .expect("the changer stays signed in");
    assert_eq!(app.call("sesion", &[], Some(&second)).await.body, "null");
    assert_eq!(app.call("sesion", &[], Some(&first)).await.body, "null");
    assert!(app
        .call("sesion", &[], Some(&fresh))
        .await
        .body
        .contains("ana@correo.co"));
    let old = app
        .call(
            "ingresar",
            &[("login", "ana@correo.co"), ("password", "clave-segura-1")],
            None,
        )
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let new = app
        .call(
            "ingresar",
            &[("login", "ana@correo.co"), ("password", "otra-clave-2")],
            None,
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
}

async fn profile_updates_are_validated_and_audited(db: TestDb) {
    let app = App::new(&db);
    let ana = app
        .call(
            "registro",
            &pairs(&registration("1020304050", "ana@correo.co")),
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    app.call(
        "registro",
        &pairs(&registration("79888777", "luis@correo.co")),
        None,
    )
    .await;
    let update = |email: &'static str, phone: &'static str| {
        [
            ("full_name", "Ana María Ortiz"),
            ("email", email),
            ("phone", phone),
            ("address", "Calle 100 # 15-20, Bogotá"),
        ]
    };
    let taken = app
        .call(
            "perfil/actualizar",
            &update("luis@correo.co", "3105551234"),
            Some(&ana),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let bad_phone = app
        .call(
            "perfil/actualizar",
            &update("ana2@correo.co", "123"),
            Some(&ana),
        )
        .await;
    assert_eq!(bad_phone.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Name, phone and address change at once; the e-mail stays the same here.
    let audits_before = db.count("audit_events").await;
    let ok = app
        .call(
            "perfil/actualizar",
            &update("ana@correo.co", "3105551234"),
            Some(&ana),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("Ana María Ortiz") && ok.body.contains("Calle 100"));
    assert_eq!(db.count("audit_events").await, audits_before + 1);

    // A new e-mail needs the current password; without it, or with a wrong one, nothing
    // changes and nothing is sent.
    let outbox = db.count("notification_outbox").await;
    let with_password = |password: &'static str| {
        let mut form = update("ana2@correo.co", "3105551234").to_vec();
        form.push(("current_password", password));
        form
    };
    for password in ["", "no-es-la-clave"] {
        let refused = app
            .call("perfil/actualizar", &with_password(password), Some(&ana))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("contraseña actual"),
            "{}",
            refused.body
        );
    }
    assert_eq!(db.count("notification_outbox").await, outbox);
    let asked = app
        .call(
            "perfil/actualizar",
            &with_password("clave-segura-1"),
            Some(&ana),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let profile: serde_json::Value = serde_json::from_str(&asked.body).unwrap();
    assert_eq!(
        profile["email"], "ana@correo.co",
        "not until it is confirmed"
    );
    assert_eq!(profile["pending_email"], "ana2@correo.co");
    // The link goes to the new address, the notice to the old one, in the same transaction.
    let mails: Vec<(String, String, String)> = sqlx::query(
        "SELECT recipient, template, payload FROM notification_outbox \
         WHERE template IN ('confirmar_correo', 'aviso_cambio_correo') ORDER BY template",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.get("recipient"), r.get("template"), r.get("payload")))
    .collect();
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert_eq!(
        (mails[0].0.as_str(), mails[0].1.as_str()),
        ("ana@correo.co", "aviso_cambio_correo")
    );
    assert_eq!(
        (mails[1].0.as_str(), mails[1].1.as_str()),
        ("ana2@correo.co", "confirmar_correo")
    );
    let payload: serde_json::Value = serde_json::from_str(&mails[1].2).unwrap();
    let token = payload["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let confirm = |token: String| {
        let app = &app;
        async move {
            app.call("correo/confirmar", &[("token", token.as_str())], None)
                .await
        }
    };
    assert_eq!(
        confirm("0".repeat(64)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let confirmed = confirm(token.clone()).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert!(confirmed.body.contains("ana2@correo.co"));
    let again = confirm(token).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "once only");
    assert_eq!(
        app.call(
            "ingresar",
            &[("login", "ana2@correo.co"), ("password", "clave-segura-1")],
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    let changed: String =
        sqlx::query("SELECT detail FROM audit_events WHERE action = 'correo_cambiado'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("detail");
    assert!(changed.contains("ana@correo.co") && changed.contains("ana2@correo.co"));

    let anonymous = app
        .call(
            "perfil/actualizar",
            &update("x@correo.co", "3105551234"),
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

async fn cookies_are_secure_behind_tls(db: TestDb) {
    let app = App::new(&db);
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs(&registration("1020304050", "ana@correo.co")))
        .finish();
    let request = http::Request::post("/api/registro")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("x-forwarded-proto", "https")
        .body(axum::body::Body::from(body))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    let cookie = reply.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

on_both_databases!(
    password_change_checks_the_current_one_and_ends_other_sessions,
    profile_updates_are_validated_and_audited,
    cookies_are_secure_behind_tls,
);

async fn unreadable_arguments_are_a_400_not_a_500(db: TestDb) {
    let app = App::new(&db);
    // `ingresar` needs both fields; without them the call cannot even start.
    let reply = app
        .call("ingresar", &[("login", "ana@correo.co")], None)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let garbage = http::Request::post("/api/ingresar")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(axum::body::Body::from("%%%&&&=="))
        .unwrap();
    assert_eq!(app.send(garbage).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(db.count("sign_in_attempts").await, 0);
}

on_both_databases!(unreadable_arguments_are_a_400_not_a_500);
