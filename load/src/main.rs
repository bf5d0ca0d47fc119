//! The load bench behind BENCHMARKS.md (agent-workspace requirement "Proof"): seeds a database with 100,000
//! requests, measures the agent queue page rendered by the server, and the delay from a
//! committed change to its live event at 200 open streams. Loopback only, bounded in count
//! and time; run against a release build of `ventanilla serve`.
//!
//! ```text
//! ventanilla-load seed   DATABASE_URL [REQUESTS] [OPEN_PERCENT]
//! ventanilla-load queue  BASE_URL [REQUESTS] [CONCURRENCY] [PATH] [LOGIN]
//! ventanilla-load events BASE_URL [CLIENTS] [CHANGES]
//! ventanilla-load customers DATABASE_URL [ACCOUNTS] [REQUESTS_PER_ACCOUNT]
//! ventanilla-load search DATABASE_URL [ROUNDS]
//! ```

mod customers;

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::Row;
use ventanilla::legal::{LegalTerm, RequestType};
use ventanilla::lifecycle::RequestState;
use ventanilla::sla::{Priority, SlaMatrix};
use ventanilla::tier::Tier;
use ventanilla_app::requests::server::clocks::{self, ClockFacts, Instants};
use ventanilla_app::{dev::demo, platform::db};

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |index: usize, default: usize| {
        args.get(index)
            .and_then(|value| value.parse().ok())
            .unwrap_or(default)
    };
    let outcome = match (args.first().map(String::as_str), args.get(1)) {
        (Some("seed"), Some(url)) => seed(url, number(2, 100_000), number(3, 10)).await,
        (Some("queue"), Some(base)) => {
            let text = |index: usize, default: &'static str| {
                args.get(index).map_or(default, String::as_str).to_string()
            };
            let path = text(4, "/equipo");
            let login = text(5, "asesor@demo.ventanilla.co");
            queue(base, number(2, 400), number(3, 4), &path, &login).await
        }
        (Some("events"), Some(base)) => events(base, number(2, 200), number(3, 40)).await,
        (Some("customers"), Some(url)) => {
            customers::seed(url, number(2, 100_000), number(3, 10)).await
        }
        (Some("search"), Some(url)) => customers::search(url, number(2, 300)).await,
        _ => Err("uso: ventanilla-load seed|queue|events|customers|search URL [N] [M] (see BENCHMARKS.md)".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the demo data, then `total` requests of past years spread over the demo accounts,
/// `open_percent` of them still open (the rest closed, as in a desk's history), in bulk
/// transactions of multi-row inserts. The radicados are of 2025, so the server's own
/// numbering for new requests is untouched.
async fn seed(url: &str, total: usize, open_percent: usize) -> Result<(), Failure> {
    let started = Instant::now();
    let pool = ventanilla_app::startup::open_database(url).await?;
    demo::seed_if_empty(&pool).await?;
    let customers: Vec<(String, String, String)> = sqlx::query(
        "SELECT u.id, u.account_id, a.document_number FROM users u \
         JOIN accounts a ON a.id = u.account_id ORDER BY u.email",
    )
    .fetch_all(&pool)
    .await?
    .into_iter()
    .map(|row| {
        (
            row.get("id"),
            row.get("account_id"),
            row.get("document_number"),
        )
    })
    .collect();
    let agents: Vec<String> = sqlx::query("SELECT id FROM users WHERE role = 'asesor'")
        .fetch_all(&pool)
        .await?
        .into_iter()
        .map(|row| row.get("id"))
        .collect();
    if customers.is_empty() || agents.is_empty() {
        return Err("the demo data has no customers or agents".into());
    }
    let open_states = [
        RequestState::Radicada,
        RequestState::EnGestion,
        RequestState::PendienteCliente,
        RequestState::Escalada,
        RequestState::EnRevision,
        RequestState::Respondida,
    ];
    let now = db::now();
    const ROWS_PER_INSERT: usize = 500;
    const COLUMNS: usize = 22;
    let mut written = 0;
    while written < total {
        let mut tx = db::begin(&pool).await.map_err(|e| format!("{e:?}"))?;
        for _ in 0..10 {
            let batch = ROWS_PER_INSERT.min(total - written);
            if batch == 0 {
                break;
            }
            let placeholders: Vec<String> = (0..batch)
                .map(|row| {
                    let cells: Vec<String> = (1..=COLUMNS)
                        .map(|column| format!("${}", row * COLUMNS + column))
                        .collect();
                    format!("({})", cells.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO requests (id, radicado, account_id, created_by, request_type, subject, \
                 description, priority, channel, state, tier, ans_guaranteed, received_at, \
                 assignee_id, created_at, updated_at, clock_first_due, clock_first_risk, \
                 clock_legal_due, clock_legal_risk, clock_basis, first_response_hours) VALUES {}",
                placeholders.join(", ")
            );
            let mut insert = sqlx::query(&sql);
            // Requests waiting on the customer have their clocks paused (Ley 1755 art. 17).
            let mut paused: Vec<(String, i64)> = Vec::new();
            for n in written..written + batch {
                let (user, account, document) = &customers[n % customers.len()];
                let open = n % 100 < open_percent;
                let state = if open {
                    open_states[n % open_states.len()]
                } else {
                    RequestState::Cerrada
                };
                // Received over the last ~400 days, older first.
                let received = now - ((total - n) as i64 * 350);
                let id = db::new_id();
                let request_type = RequestType::ALL[n % RequestType::ALL.len()];
                let priority = Priority::ALL[n % Priority::ALL.len()];
                let tier = Tier::ALL[n % 3];
                // ANS version 1 (the seed's matrix), as every request filed before an admin
                // publishes another.
                let hours = SlaMatrix::default().first_response_hours(tier, priority);
                if state == RequestState::PendienteCliente {
                    paused.push((id.clone(), received + 3600));
                }
                // The queues' instants, computed by the same code every writer of the server
                // uses; closed requests are in no queue and keep none, like the server's
                // start-up backfill leaves them.
                let instants = if open {
                    ClockFacts {
                        first_response_hours: hours,
                        guaranteed: true,
                        received_at: received,
                        legal_term: LegalTerm::for_request(
                            request_type,
                            chrono::DateTime::from_timestamp(received, 0).unwrap_or_default(),
                        ),
                        pauses: paused
                            .last()
                            .filter(|(request, _)| *request == id)
                            .map(|(_, started)| vec![(*started, None)])
                            .unwrap_or_default(),
                        paused: state.clocks_paused(),
                        first_response_at: None,
                        answered_at: None,
                        business_hours: Default::default(),
                        first_contact_hours: None,
                    }
                    .instants()
                } else {
                    Instants::default()
                };
                insert = insert
                    .bind(id)
                    .bind(format!("2025-{n:06}"))
                    .bind(account.clone())
                    .bind(user.clone())
                    .bind(request_type.code())
                    .bind(format!("Solicitud de carga {n} del cliente {document}"))
                    .bind("Texto de la solicitud sembrada para la prueba de carga de la cola.")
                    .bind(priority.code())
                    .bind("portal")
                    .bind(state.code())
                    .bind(tier.code())
                    .bind(1_i64)
                    .bind(received)
                    .bind(
                        (state != RequestState::Radicada).then(|| agents[n % agents.len()].clone()),
                    )
                    .bind(received)
                    .bind(received)
                    .bind(instants.first_due)
                    .bind(instants.first_risk)
                    .bind(instants.legal_due)
                    .bind(instants.legal_risk)
                    .bind(open.then(clocks::basis))
                    .bind(hours.map(i64::from));
            }
            insert.execute(&mut *tx).await?;
            if !paused.is_empty() {
                let rows: Vec<String> = (0..paused.len())
                    .map(|i| format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3))
                    .collect();
                let sql = format!(
                    "INSERT INTO request_pauses (id, request_id, started_at) VALUES {}",
                    rows.join(", ")
                );
                let mut pauses = sqlx::query(&sql);
                for (request, started) in paused {
                    pauses = pauses.bind(db::new_id()).bind(request).bind(started);
                }
                pauses.execute(&mut *tx).await?;
            }
            written += batch;
        }
        tx.commit().await?;
    }
    if url.starts_with("postgres") {
        // A desk grows by a few thousand rows a day and autovacuum keeps the visibility map
        // and the statistics current; a bulk load of 100,000 rows in a minute does not give
        // it the time (and a server may run with autovacuum off, as this build machine's
        // does). Without it PostgreSQL cannot answer the queues from `requests_queue_idx`
        // alone and reads the table instead (13 ms instead of 3 ms for the counts).
        sqlx::query("VACUUM ANALYZE").execute(&pool).await?;
    }
    let open: i64 = sqlx::query("SELECT COUNT(*) AS n FROM requests WHERE state <> 'cerrada'")
        .fetch_one(&pool)
        .await?
        .get("n");
    let all: i64 = sqlx::query("SELECT COUNT(*) AS n FROM requests")
        .fetch_one(&pool)
        .await?
        .get("n");
    println!(
        "sembradas {written} solicitudes en {:.1} s; en la base: {all} ({open} abiertas)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Signs in through the server function the page uses; returns the `Cookie` header value.
async fn sign_in(client: &reqwest::Client, base: &str, login: &str) -> Result<String, Failure> {
    let reply = client
        .post(format!("{base}/api/ingresar"))
        .header("accept", "application/json")
        .form(&[("login", login), ("password", demo::DEMO_PASSWORD)])
        .send()
        .await?;
    reply
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("vt_sesion=") && !value.starts_with("vt_sesion=;"))
        .and_then(|value| value.split(';').next())
        .map(str::to_string)
        .ok_or_else(|| format!("{login} could not sign in ({})", reply.status()).into())
}

/// `requests` GETs of a queue page (`/equipo` by default: the agent's first queue, rendered
/// on the server with its rows; `/equipo?cola=todas` with a supervisor is the largest),
/// `concurrency` at a time, after a short warm-up.
async fn queue(
    base: &str,
    requests: usize,
    concurrency: usize,
    path: &str,
    login: &str,
) -> Result<(), Failure> {
    let client = reqwest::Client::new();
    let cookie = sign_in(&client, base, login).await?;
    let page = format!("{base}{path}");
    let fetch = |client: reqwest::Client, cookie: String, page: String| async move {
        let started = Instant::now();
        let reply = client.get(&page).header("cookie", cookie).send().await?;
        let status = reply.status();
        let body = reply.text().await?;
        if !status.is_success() || !body.contains("<table") {
            return Err::<(Duration, usize), Failure>(
                format!("the queue page answered {status}").into(),
            );
        }
        Ok((started.elapsed(), body.len()))
    };
    for _ in 0..5 {
        fetch(client.clone(), cookie.clone(), page.clone()).await?;
    }
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency.max(1))
        .map(|_| {
            let (client, cookie, page, next) =
                (client.clone(), cookie.clone(), page.clone(), next.clone());
            tokio::spawn(async move {
                let mut times = Vec::new();
                let mut bytes = 0;
                while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < requests {
                    let (time, size) = fetch(client.clone(), cookie.clone(), page.clone()).await?;
                    times.push(time);
                    bytes = size;
                }
                Ok::<_, Failure>((times, bytes))
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut bytes = 0;
    for worker in workers {
        let (mine, size) = worker.await??;
        times.extend(mine);
        bytes = size;
    }
    let elapsed = started.elapsed();
    println!(
        "cola {path} ({login}): {} peticiones, concurrencia {concurrency}, {:.0} págs/s, página {} KB",
        times.len(),
        times.len() as f64 / elapsed.as_secs_f64(),
        bytes / 1024
    );
    report(&mut times);
    Ok(())
}

/// `clients` streams on `/eventos`, all under one agent session (staff receive every
/// event, so each change fans out to all of them), then `changes` requests filed one after
/// another by a customer through the portal form, 100 ms apart. The delay is measured from
/// the moment the filing's HTTP request is sent — it commits before it answers, so this is
/// an upper bound of commit → arrival — to the event's arrival at each stream.
async fn events(base: &str, clients: usize, changes: usize) -> Result<(), Failure> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients + 8)
        .build()?;
    let agent = sign_in(&client, base, "asesor@demo.ventanilla.co").await?;
    let customer = sign_in(&client, base, "regular@demo.ventanilla.co").await?;
    let sent: Arc<Mutex<Vec<Instant>>> = Arc::new(Mutex::new(Vec::new()));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(clients);
    let deadline = Duration::from_secs(20 + changes as u64);
    let mut streams = Vec::new();
    for _ in 0..clients {
        let (client, cookie, sent, ready) = (
            client.clone(),
            agent.clone(),
            sent.clone(),
            ready_tx.clone(),
        );
        let url = format!("{base}/eventos");
        streams.push(tokio::spawn(async move {
            let mut delays = Vec::new();
            let mut reply = client.get(&url).header("cookie", cookie).send().await?;
            let mut buffer = String::new();
            let mut seen = 0;
            let until = Instant::now() + deadline;
            while seen < changes {
                let Ok(chunk) = tokio::time::timeout_at(until.into(), reply.chunk()).await else {
                    break;
                };
                let Some(chunk) = chunk? else { break };
                let arrived = Instant::now();
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let block: String = buffer.drain(..end + 2).collect();
                    if block.contains("event: conectado") {
                        let _ = ready.send(()).await;
                    } else if block.contains("event: solicitud") {
                        if let Some(at) = sent.lock().unwrap().get(seen) {
                            delays.push(arrived - *at);
                        }
                        seen += 1;
                    }
                }
            }
            Ok::<_, Failure>(delays)
        }));
    }
    drop(ready_tx);
    for _ in 0..clients {
        if tokio::time::timeout(Duration::from_secs(30), ready_rx.recv())
            .await
            .ok()
            .flatten()
            .is_none()
        {
            return Err("not every stream connected within 30 s".into());
        }
    }
    println!("{clients} flujos conectados; {changes} cambios");
    let mut filing_times = Vec::new();
    for n in 0..changes {
        let token = format!("carga-{}-{n}", db::new_id());
        let subject = format!("Cambio de carga {n}");
        let body = multipart(&[
            ("request_type", "peticion_general"),
            ("subject", &subject),
            (
                "description",
                "Solicitud radicada por la prueba de eventos en vivo.",
            ),
            ("submission_token", &token),
        ]);
        let started = Instant::now();
        sent.lock().unwrap().push(started);
        let reply = client
            .post(format!("{base}/portal/solicitudes"))
            .header("accept", "application/json")
            .header("cookie", &customer)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
            .await?;
        if !reply.status().is_success() {
            return Err(format!("filing answered {}", reply.status()).into());
        }
        filing_times.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut delays = Vec::new();
    for stream in streams {
        delays.extend(stream.await??);
    }
    println!(
        "entregas: {} de {} esperadas",
        delays.len(),
        clients * changes
    );
    println!("demora confirmación → llegada:");
    report(&mut delays);
    println!("duración de la petición que radica (incluida arriba):");
    report(&mut filing_times);
    Ok(())
}

const BOUNDARY: &str = "----ventanilla-load-boundary";

/// The portal's filing form as a browser posts it (no files).
fn multipart(fields: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    body
}

pub(crate) fn report(times: &mut [Duration]) {
    if times.is_empty() {
        println!("  (sin muestras)");
        return;
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  n={} p50={:.1} ms p90={:.1} ms p99={:.1} ms max={:.1} ms",
        times.len(),
        ms(at(0.50)),
        ms(at(0.90)),
        ms(at(0.99)),
        ms(at(1.0))
    );
}
