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
