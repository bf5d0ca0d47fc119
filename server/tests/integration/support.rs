//! Test support: an isolated database per test (a fresh SQLite file, or a fresh PostgreSQL
//! database when `TEST_DATABASE_URL` is set) and the real router driven with `oneshot`.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use rand::Rng;
use sqlx::{AnyPool, Connection, Row};
use tower::ServiceExt;
use ventanilla_app::platform::config::Config;
use ventanilla_app::platform::db;

pub struct TestDb {
    pub pool: AnyPool,
    pub url: String,
    _dir: Option<TempDir>,
}

/// A directory removed when the test ends.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let dir = std::env::temp_dir().join(unique("ventanilla_test"));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{:016x}", rand::thread_rng().gen::<u64>())
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = TempDir::new();
        let url = format!("sqlite://{}/test.db", dir.0.display());
        let pool = ventanilla_app::startup::open_database(&url)
            .await
            .expect("sqlite opens and migrates");
        TestDb {
            pool,
            url,
            _dir: Some(dir),
        }
    }

    /// `None` when no PostgreSQL is configured; `.ci/run` always configures one.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var("TEST_DATABASE_URL").ok()?;
        sqlx::any::install_default_drivers();
        let name = unique("vt_test");
        let mut admin = sqlx::AnyConnection::connect(&admin_url)
            .await
            .expect("TEST_DATABASE_URL is set but PostgreSQL is unreachable");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        let mut parsed = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
        parsed.set_path(&format!("/{name}"));
        let url = parsed.to_string();
        let pool = ventanilla_app::startup::open_database(&url)
            .await
            .expect("postgres opens and migrates");
        Some(TestDb {
            pool,
            url,
            _dir: None,
        })
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(&self.pool)
            .await
            .unwrap()
            .get::<i64, _>("n")
    }
}

pub fn test_config(url: &str) -> Config {
    let mut config = Config::from_env();
    config.database_url = url.to_string();
    config.max_failures_per_account = 5;
    config.max_failures_per_ip = 20;
    config.sign_in_window_minutes = 15;
    // Deterministic by default; the quality-review test samples every answer.
    config.review_sample_percent = 0;
    config
}

/// A minimal valid PDF: what the sniffing accepts as `application/pdf`.
pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

pub struct App {
    pub router: Router,
    pub state: ventanilla_app::state::AppState,
    /// Where this app keeps attachment files; removed with the app.
    pub files: TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// `name=value` of the session cookie the response set, ready for a `Cookie` header.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(http::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("vt_sesion=") && !v.starts_with("vt_sesion=;"))
            .map(|v| v.split(';').next().unwrap().to_string())
    }
}

impl App {
    pub fn new(db: &TestDb) -> App {
        let files = TempDir::new();
        let mut config = test_config(&db.url);
        config.attachments_dir = files.0.clone();
        // Small limits keep the size tests cheap; the rules are the same at any size.
        config.attachments.max_file_bytes = 1024 * 1024;
        config.attachments.max_message_bytes = 2 * 1024 * 1024;
        let state = ventanilla_server::app_state(
            db.pool.clone(),
            config,
            ventanilla_server::leptos_options(),
        );
        App {
            router: ventanilla_server::router(state.clone()),
            state,
            files,
        }
    }

    /// An app whose configuration `change` adjusts first (a quota, the review sample, the
    /// trusted proxies), with its router built on it.
    pub fn with_config(db: &TestDb, change: impl FnOnce(&mut Config)) -> App {
        let mut app = App::new(db);
        let mut config = (*app.state.config).clone();
        change(&mut config);
        app.state.ans = ventanilla_app::platform::ans_cache::AnsCache::new(config.ans_defaults());
        app.state.config = std::sync::Arc::new(config);
        app.router = ventanilla_server::router(app.state.clone());
        app
    }

    /// Number of files stored on disk for this app.
    pub fn stored_files(&self) -> usize {
        fn count(dir: &std::path::Path) -> usize {
            std::fs::read_dir(dir)
                .map(|entries| {
                    entries
                        .flatten()
                        .map(|e| {
                            if e.path().is_dir() {
                                count(&e.path())
                            } else {
                                1
                            }
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        count(&self.files.0)
    }

    /// Posts a multipart form as the hydrated page does (JSON back).
    pub async fn multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, Vec<u8>)],
        cookie: &str,
    ) -> Reply {
        let boundary = "----ventanilla-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        for (file_name, bytes) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("accept", "application/json")
            .header("cookie", cookie)
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn get_as(&self, path: &str, cookie: &str) -> Reply {
        self.send(
            Request::get(path)
                .header("cookie", cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Calls a server function the way the hydrated page does (form-encoded, JSON back).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.call_from(endpoint, form, cookie, [10, 0, 0, 1]).await
    }

    pub async fn call_from(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        ip: [u8; 4],
    ) -> Reply {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut request = Request::post(format!("/api/{endpoint}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("host", "127.0.0.1:3000");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let mut request = request.body(Body::from(body)).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
        self.send(request).await
    }

    /// A response whose body is binary (a workbook, a file): status, headers and bytes.
    pub async fn send_bytes(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, http::HeaderMap, Vec<u8>) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes.to_vec())
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).to_string(),
        }
    }

    /// Signs in and returns the session cookie, failing the test if sign-in fails.
    pub async fn sign_in(&self, login: &str, password: &str) -> String {
        self.call(
            "ingresar",
            &[("login", login), ("password", password)],
            None,
        )
        .await
        .session_cookie()
        .unwrap_or_else(|| panic!("{login} could not sign in"))
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }
}

/// A valid registration; tests change one field to make it invalid.
pub fn registration(document: &str, email: &str) -> Vec<(String, String)> {
    [
        ("document_type", "CC"),
        ("document_number", document),
        ("full_name", "María Fernanda Ortiz"),
        ("email", email),
        ("phone", "310 555 1234"),
        ("address", "Carrera 7 # 45-10, Bogotá"),
        ("password", "clave-segura-1"),
        ("password_confirmation", "clave-segura-1"),
        ("consent", "si"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The same form with `field` set to `value` (or removed when `value` is `None`).
pub fn changed(
    form: &[(String, String)],
    field: &str,
    value: Option<&str>,
) -> Vec<(String, String)> {
    let mut out: Vec<_> = form.iter().filter(|(k, _)| k != field).cloned().collect();
    if let Some(value) = value {
        out.push((field.to_string(), value.to_string()));
    }
    out
}

pub fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Recomputes the stored clock instants of a request a test changed by SQL (its receipt or
/// type): the queues read them, and every service that writes a request does the same.
pub async fn refresh_clocks(db: &TestDb, radicado: &str) {
    let id: String = sqlx::query("SELECT id FROM requests WHERE radicado = $1")
        .bind(radicado)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id");
    let mut tx = db::begin(&db.pool).await.unwrap();
    ventanilla_app::requests::server::clocks::refresh(&mut tx, &id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Runs one test body against SQLite, and against PostgreSQL when configured.
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(crate::support::TestDb::sqlite().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    match crate::support::TestDb::postgres().await {
                        Some(db) => super::$name(db).await,
                        None => eprintln!("TEST_DATABASE_URL no está definida: se omite PostgreSQL"),
                    }
                }
            }
        )*
    };
}

/// The password of every staff member made by [`staff`].
pub const STAFF_PASSWORD: &str = "clave-equipo-1";

/// A staff member and their session.
pub struct Staff {
    pub id: String,
    pub cookie: String,
}

/// A staff member made directly (an admin's job in the app), then signed in through the
/// sign-in server function.
pub async fn staff(
    app: &App,
    db: &TestDb,
    role: ventanilla::role::Role,
    name: &str,
    email: &str,
) -> Staff {
    let made = ventanilla_app::accounts::server::accounts::create_staff(
        &db.pool,
        &ventanilla_app::platform::audit::Actor::system("prueba"),
        role,
        name,
        email,
        STAFF_PASSWORD,
    )
    .await
    .unwrap();
    Staff {
        id: made.id,
        cookie: app.sign_in(email, STAFF_PASSWORD).await,
    }
}

/// A reclamo sent by the customer of `cookie` through the portal's form with `token`: the
/// answer, whatever it is.
pub async fn try_file_reclamo(app: &App, cookie: &str, token: &str) -> Reply {
    let form = [
        ("request_type", "reclamo"),
        ("subject", "Cobro doble en la factura"),
        (
            "description",
            "Me cobraron dos veces el servicio de noviembre.",
        ),
        ("submission_token", token),
    ];
    app.multipart("/portal/solicitudes", &form, &[], cookie)
        .await
}

/// [`try_file_reclamo`], checked to have been accepted.
pub async fn file_reclamo(app: &App, cookie: &str, token: &str) -> Reply {
    let reply = try_file_reclamo(app, cookie, token).await;
    assert!(
        reply.status.is_redirection() || reply.status.is_success(),
        "{}",
        reply.body
    );
    reply
}

/// A customer registered through the portal's form (signed in by it): the session cookie.
pub async fn customer(app: &App, document: &str, email: &str) -> String {
    app.call("registro", &pairs(&registration(document, email)), None)
        .await
        .session_cookie()
        .expect("registered and signed in")
}

/// The account and the user id of the customer registered with `email`: what tests that
/// build requests by hand file them under.
pub async fn account_and_user(db: &TestDb, email: &str) -> (String, String) {
    let row = sqlx::query("SELECT account_id, id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    (row.get("account_id"), row.get("id"))
}

/// The supervisor who reads the figures (her session cookie) and the customer whose requests
/// a test builds by hand (account and user ids): the start of every indicator test.
pub async fn supervisor_and_customer(app: &App, db: &TestDb) -> (String, String, String) {
    let supervisor = staff(
        app,
        db,
        ventanilla::role::Role::Supervisor,
        "Sara Supervisora",
        "sara@equipo.co",
    )
    .await
    .cookie;
    customer(app, "1020304050", "cliente@correo.co").await;
    let (account, user) = account_and_user(db, "cliente@correo.co").await;
    (supervisor, account, user)
}
