//! Issue 5: "two server processes on one PostgreSQL, a change made through one is seen by a
//! client of the other" — the real `ventanilla` binary started twice, talking HTTP.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::TestDb;

/// A running `ventanilla serve`, killed when dropped (also when the test fails).
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(database_url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let files = std::env::temp_dir().join(format!("ventanilla_instance_{port}"));
        let child = Command::new(env!("CARGO_BIN_EXE_ventanilla"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("VENTANILLA_ATTACHMENTS_DIR", files.join("attachments"))
            .env("VENTANILLA_OUTBOX_DIR", files.join("outbox"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn wait_until_up(&self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(reply) = client.get(format!("{}/healthz", self.base)).send().await {
                if reply.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{} never answered", self.base);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads server-sent events until one whose text contains `wanted`, within `wait`.
async fn wait_for(
    stream: &mut reqwest::Response,
    buffer: &mut String,
    wanted: &str,
    wait: Duration,
) -> String {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if block.contains(wanted) {
                return block;
            }
            continue;
        }
        match tokio::time::timeout_at(deadline, stream.chunk()).await {
            Ok(Ok(Some(chunk))) => buffer.push_str(&String::from_utf8_lossy(&chunk)),
            other => panic!("no event with {wanted:?} within {wait:?}: {other:?}"),
        }
    }
}

/// Registers Ana through `server` and returns her session cookie.
async fn register_ana(client: &reqwest::Client, server: &Server) -> String {
    let registered = client
        .post(format!("{}/api/registro", server.base))
        .header("accept", "application/json")
        .form(&crate::support::registration("1020304050", "ana@correo.co"))
        .send()
        .await
        .unwrap();
    assert!(registered.status().is_success(), "{}", registered.status());
    registered
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("vt_sesion="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_string()
}

/// Opens the signed-in user's event stream on `server` and waits until it is connected.
async fn open_stream(
    client: &reqwest::Client,
    server: &Server,
    cookie: &str,
) -> (reqwest::Response, String) {
    let mut stream = client
        .get(format!("{}/eventos", server.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let mut buffer = String::new();
    wait_for(
        &mut stream,
        &mut buffer,
        "event: conectado",
        Duration::from_secs(10),
    )
    .await;
    (stream, buffer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_server_process_reaches_a_stream_on_the_other() {
    let Some(db) = TestDb::postgres().await else {
        eprintln!("TEST_DATABASE_URL no está definida: se omite PostgreSQL");
        return;
    };
    let (first, second) = (Server::start(&db.url), Server::start(&db.url));
    let client = reqwest::Client::new();
    first.wait_until_up(&client).await;
    second.wait_until_up(&client).await;

    // Ana registers through the first server…
    let cookie = register_ana(&client, &first).await;
    // …her page is open on the second…
    let (mut stream, mut buffer) = open_stream(&client, &second, &cookie).await;

    // …and she files a request through the first.
    let boundary = "----ventanilla-instances";
    let body: String = [
        ("request_type", "queja"),
        ("subject", "Mensajero grosero"),
        ("description", "El mensajero fue grosero al entregar."),
        ("submission_token", "two-processes-1"),
    ]
    .iter()
    .map(|(name, value)| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
    })
    .chain([format!("--{boundary}--\r\n")])
    .collect();
    let filed = client
        .post(format!("{}/portal/solicitudes", first.base))
        .header("accept", "application/json")
        .header("cookie", &cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(filed.status().is_success(), "{}", filed.status());
    let radicado: String = sqlx::Row::get(
        &sqlx::query("SELECT radicado FROM requests")
            .fetch_one(&db.pool)
            .await
            .unwrap(),
        "radicado",
    );

    let event = wait_for(
        &mut stream,
        &mut buffer,
        "event: solicitud",
        Duration::from_secs(10),
    )
    .await;
    assert!(
        event.contains(&radicado) && event.contains("radicada") && event.contains("id: "),
        "{event}"
    );
}

/// A graceful shutdown must not wait for the browsers' endless event streams: they end, the
/// process exits cleanly, and the browsers reconnect to whichever instance serves next.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_open_event_streams_and_the_process() {
    let dir = crate::support::TempDir::new();
    let mut server = Server::start(&format!("sqlite://{}/streams.db", dir.0.display()));
    let client = reqwest::Client::new();
    server.wait_until_up(&client).await;
    let cookie = register_ana(&client, &server).await;
    let (mut stream, _) = open_stream(&client, &server, &cookie).await;

    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // The stream ends (no more chunks) instead of hanging.
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the event stream stayed open after SIGTERM");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server still runs 10 s after SIGTERM with a stream open"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        status.success(),
        "a SIGTERM ends the server cleanly: {status}"
    );
}

/// Signs a demo user in through `server` and returns the session cookie.
async fn sign_in(client: &reqwest::Client, server: &Server, login: &str) -> String {
    let reply = client
        .post(format!("{}/api/ingresar", server.base))
        .header("accept", "application/json")
        .form(&[
            ("login", login),
            ("password", ventanilla_app::dev::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "{}", reply.status());
    reply
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("vt_sesion="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_string()
}

/// Opens the collision warning's stream for `radicado` on `server`.
async fn open_presence(
    client: &reqwest::Client,
    server: &Server,
    cookie: &str,
    radicado: &str,
) -> reqwest::Response {
    let stream = client
        .get(format!("{}/equipo/presencia/{radicado}", server.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    stream
}

/// The collision warning with two server processes on one PostgreSQL (agent-workspace requirement): an agent
/// whose page is on one instance shows on the page of a supervisor on the other, writing
/// included; leaving takes them off, and so does their instance dying without a word.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_on_one_server_process_shows_on_the_other_and_leaves_with_it() {
    let Some(db) = TestDb::postgres().await else {
        eprintln!("TEST_DATABASE_URL no está definida: se omite PostgreSQL");
        return;
    };
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let radicado: String = sqlx::Row::get(
        &sqlx::query("SELECT radicado FROM requests ORDER BY radicado LIMIT 1")
            .fetch_one(&db.pool)
            .await
            .unwrap(),
        "radicado",
    );
    let (mut first, second) = (Server::start(&db.url), Server::start(&db.url));
    let client = reqwest::Client::new();
    first.wait_until_up(&client).await;
    second.wait_until_up(&client).await;
    let agent = sign_in(&client, &first, "asesor@demo.ventanilla.co").await;
    let supervisor = sign_in(&client, &second, "supervisor@demo.ventanilla.co").await;

    // The supervisor has the request open on the second instance: nobody else yet.
    let mut watching = open_presence(&client, &second, &supervisor, &radicado).await;
    let mut buffer = String::new();
    let wait = Duration::from_secs(10);
    wait_for(&mut watching, &mut buffer, "data: []", wait).await;

    // The agent opens it on the first: the supervisor sees him, and he sees her.
    let mut agent_page = open_presence(&client, &first, &agent, &radicado).await;
    let seen = wait_for(&mut watching, &mut buffer, "Andrés Asesor", wait).await;
    assert!(seen.contains("\"typing\":false"), "{seen}");
    let mut agent_buffer = String::new();
    wait_for(
        &mut agent_page,
        &mut agent_buffer,
        "Sofía Supervisora",
        wait,
    )
    .await;

    // He writes (the mark goes through the first instance): she sees it.
    let typing = client
        .post(format!("{}/api/equipo/presencia/escribiendo", first.base))
        .header("accept", "application/json")
        .header("cookie", &agent)
        .form(&[("radicado", radicado.as_str())])
        .send()
        .await
        .unwrap();
    assert!(typing.status().is_success(), "{}", typing.status());
    wait_for(&mut watching, &mut buffer, "\"typing\":true", wait).await;

    // He leaves the page: he is gone from hers.
    drop(agent_page);
    wait_for(
        &mut watching,
        &mut buffer,
        "data: []",
        Duration::from_secs(20),
    )
    .await;

    // He opens it again, and his instance dies without telling anyone (SIGKILL): the
    // heartbeat stops, and his seat expires instead of staying as a ghost.
    let _agent_page = open_presence(&client, &first, &agent, &radicado).await;
    wait_for(&mut watching, &mut buffer, "Andrés Asesor", wait).await;
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    let started = Instant::now();
    wait_for(
        &mut watching,
        &mut buffer,
        "data: []",
        Duration::from_secs(25),
    )
    .await;
    let cleared = started.elapsed();
    assert!(
        cleared >= Duration::from_secs(2),
        "cleared by expiry, not by a goodbye: {cleared:?}"
    );
    eprintln!("a dead instance's seat cleared after {cleared:?}");
}
