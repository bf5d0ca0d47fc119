//! Live events: a customer's open stream receives their request's changes and nobody
//! else's; a reconnect naming the last event it saw is sent exactly what it missed; with
//! PostgreSQL, an event published by one instance reaches another.

use std::time::Duration;

use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use sqlx::Row;
use tower::ServiceExt;

use crate::support::{customer, staff, App, TestDb};
use ventanilla_app::live::server::bus::{LiveChange, Scope};

/// One parsed server-sent event.
#[derive(Debug, Clone, PartialEq)]
pub struct Sse {
    pub event: String,
    pub id: Option<i64>,
    pub data: String,
}

/// An open `/eventos` response, read event by event.
pub struct Stream {
    body: Body,
    buffer: String,
}

impl Stream {
    /// Opens `/eventos` (plus `query`) as `cookie`, with `Last-Event-ID` when given.
    pub async fn open(app: &App, cookie: &str, query: &str, last_event_id: Option<i64>) -> Stream {
        let mut request = Request::get(format!("/eventos{query}")).header("cookie", cookie);
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = app
            .router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Stream {
            body: response.into_body(),
            buffer: String::new(),
        }
    }

    /// The next event within `wait`, or `None`.
    pub async fn next(&mut self, wait: Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut sse = Sse {
                    event: String::new(),
                    id: None,
                    data: String::new(),
                };
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        sse.event = value.trim().to_string();
                    } else if let Some(value) = line.strip_prefix("id:") {
                        sse.id = value.trim().parse().ok();
                    } else if let Some(value) = line.strip_prefix("data:") {
                        sse.data.push_str(value.trim());
                    }
                }
                if sse.event.is_empty() {
                    continue; // A keep-alive comment.
                }
                return Some(sse);
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .ok()??
                .ok()?;
            if let Ok(data) = frame.into_data() {
                self.buffer.push_str(&String::from_utf8_lossy(&data));
            }
        }
    }

    /// Every event until none comes for `quiet`.
    pub async fn drain(&mut self, quiet: Duration) -> Vec<Sse> {
        let mut all = Vec::new();
        while let Some(event) = self.next(quiet).await {
            all.push(event);
        }
        all
    }

    /// The `conectado` event that ends a (re)connection's replay; returns its watermark.
    pub async fn connected(&mut self) -> i64 {
        let event = self
            .next(Duration::from_secs(5))
            .await
            .expect("a stream starts with conectado");
        assert_eq!(event.event, "conectado", "{event:?}");
        event.id.expect("conectado carries the watermark")
    }
}

/// Files a request as the customer; returns its radicado.
async fn file(app: &App, db: &TestDb, cookie: &str, token: &str) -> String {
    let form = [
        ("request_type", "queja"),
        ("subject", "Mensajero grosero"),
        ("description", "El mensajero fue grosero al entregar."),
        ("submission_token", token),
    ];
    let filed = app
        .multipart("/portal/solicitudes", &form, &[], cookie)
        .await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    sqlx::query("SELECT radicado FROM requests ORDER BY created_at DESC, id DESC")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("radicado")
}

async fn customers_get_their_own_events_only(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let luis = customer(&app, "79888777", "luis@correo.co").await;
    let mut ana_stream = Stream::open(&app, &ana, "", None).await;
    let mut luis_stream = Stream::open(&app, &luis, "", None).await;
    ana_stream.connected().await;
    luis_stream.connected().await;
    assert_eq!(
        app.get("/eventos").await.status,
        StatusCode::NO_CONTENT,
        "no session: stop, do not retry"
    );

    let radicado = file(&app, &db, &ana, "live-1").await;
    let event = ana_stream
        .next(Duration::from_secs(5))
        .await
        .expect("Ana is told");
    assert_eq!(event.event, "solicitud");
    assert!(
        event.data.contains(&radicado) && event.data.contains("radicada"),
        "{event:?}"
    );
    assert!(event.id.is_some(), "every event carries its log number");
    assert_eq!(
        luis_stream.next(Duration::from_millis(500)).await,
        None,
        "Luis is not"
    );
}

async fn a_reconnect_receives_exactly_the_missed_events_it_may_see(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let luis = customer(&app, "79888777", "luis@correo.co").await;
    let mut first = Stream::open(&app, &ana, "", None).await;
    let seen = first.connected().await;
    let mut luis_first = Stream::open(&app, &luis, "", None).await;
    assert_eq!(luis_first.connected().await, seen);
    drop(first); // The connection drops…
    drop(luis_first);

    // …while things happen to both customers.
    let ana_one = file(&app, &db, &ana, "gap-1").await;
    let luis_one = file(&app, &db, &luis, "gap-2").await;
    let ana_two = file(&app, &db, &ana, "gap-3").await;
    let last = app.state.live.last_id().await.unwrap();
    assert_eq!(
        last,
        seen + 3,
        "one event per change, numbered without holes"
    );

    // The browser's own reconnect sends Last-Event-ID.
    let mut again = Stream::open(&app, &ana, "", Some(seen)).await;
    let missed = again.drain(Duration::from_millis(700)).await;
    let summary: Vec<_> = missed
        .iter()
        .map(|e| {
            (
                e.event.as_str(),
                e.id,
                e.data.contains(&ana_one),
                e.data.contains(&ana_two),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("solicitud", Some(seen + 1), true, false),
            ("solicitud", Some(seen + 3), false, true),
            ("conectado", Some(last), false, false),
        ],
        "Ana's two events, in order, never Luis's; then the watermark"
    );
    assert!(missed.iter().all(|e| !e.data.contains(&luis_one)));

    // Then it continues live, with no duplicate and no gap.
    let ana_three = file(&app, &db, &ana, "live-1").await;
    let live = again.drain(Duration::from_millis(700)).await;
    assert_eq!(live.len(), 1, "{live:?}");
    assert!(live[0].data.contains(&ana_three) && live[0].id == Some(last + 1));
    drop(again);

    // The page's own reconnect cannot set headers: the same through ?ultimo=.
    let mut manual = Stream::open(&app, &ana, &format!("?ultimo={seen}"), None).await;
    let ids: Vec<_> = manual
        .drain(Duration::from_millis(700))
        .await
        .iter()
        .map(|e| (e.event.clone(), e.id.unwrap()))
        .collect();
    let solicitud = |id| ("solicitud".to_string(), id);
    assert_eq!(
        ids,
        vec![
            solicitud(seen + 1),
            solicitud(seen + 3),
            solicitud(last + 1),
            ("conectado".to_string(), last + 1)
        ]
    );

    let mut luis_again = Stream::open(&app, &luis, "", Some(seen)).await;
    let missed = luis_again.drain(Duration::from_millis(700)).await;
    assert_eq!(missed.len(), 2, "{missed:?}");
    assert!(missed[0].data.contains(&luis_one) && missed[0].id == Some(seen + 2));
    assert_eq!(missed[1].event, "conectado");

    // Staff see every request's events.
    let staff = staff(
        &app,
        &db,
        ventanilla::role::Role::Asesor,
        "Andrés Asesor",
        "asesor@equipo.co",
    )
    .await
    .cookie;
    let mut desk = Stream::open(&app, &staff, "", Some(seen)).await;
    let missed = desk.drain(Duration::from_millis(700)).await;
    let numbers: Vec<_> = missed.iter().map(|e| e.id.unwrap()).collect();
    let newest = app.state.live.last_id().await.unwrap();
    assert_eq!(
        numbers,
        ((seen + 1)..=newest).chain([newest]).collect::<Vec<_>>()
    );
}

async fn a_resume_older_than_the_log_reloads_the_page(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let account = account_of(&db).await;
    for _ in 0..4 {
        app.state
            .live
            .publish(
                Scope::request("2026-000001", &account),
                LiveChange::Seguimiento,
            )
            .await;
    }
    let last = app.state.live.last_id().await.unwrap();
    // Nothing is older than the retention yet: pruning keeps everything.
    assert_eq!(app.state.live.prune().await.unwrap(), 0);
    // The first two age past it.
    sqlx::query("UPDATE live_events SET created_at = created_at - 25 * 3600 WHERE id <= $1")
        .bind(last - 2)
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(app.state.live.prune().await.unwrap(), (last - 2) as u64);
    assert_eq!(db.count("live_events").await, 2);

    // Resuming after the last pruned one: the log still holds all that followed.
    let mut kept = Stream::open(&app, &ana, "", Some(last - 2)).await;
    let events = kept.drain(Duration::from_millis(500)).await;
    let kinds: Vec<_> = events.iter().map(|e| (e.event.as_str(), e.id)).collect();
    assert_eq!(
        kinds,
        [
            ("solicitud", Some(last - 1)),
            ("solicitud", Some(last)),
            ("conectado", Some(last))
        ]
    );
    // Resuming from before it: some events are gone, so the page reloads its data.
    // An id this database never gave (another server's, or garbage from the future) too.
    for stale in [last - 3, last + 50] {
        let mut old = Stream::open(&app, &ana, "", Some(stale)).await;
        let events = old.drain(Duration::from_millis(500)).await;
        let kinds: Vec<_> = events.iter().map(|e| (e.event.as_str(), e.id)).collect();
        assert_eq!(
            kinds,
            [("recargar", None), ("conectado", Some(last))],
            "{stale}"
        );
    }
    // An unreadable id is a fresh start, not an error.
    let mut fresh = Stream::open(&app, &ana, "?ultimo=abc", None).await;
    assert_eq!(fresh.connected().await, last);
}

async fn events_cross_instances_through_postgres(db: TestDb) {
    if !db.url.starts_with("postgres") {
        return; // One SQLite file means one server: the in-process bus is all there is.
    }
    let first = App::new(&db);
    let second = App::new(&db);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let relay = tokio::spawn(
        second
            .state
            .live
            .clone()
            .relay_from_postgres(db.url.clone(), stopped),
    );
    let ana = customer(&first, "1020304050", "ana@correo.co").await;
    let mut on_second = Stream::open(&second, &ana, "", None).await;
    on_second.connected().await;
    // LISTEN is asynchronous: publish until the relay is up, at most a few seconds.
    let mut received = None;
    for _ in 0..20 {
        first
            .state
            .live
            .publish(
                Scope::request("2026-000001", &account_of(&db).await),
                LiveChange::Seguimiento,
            )
            .await;
        if let Some(event) = on_second.next(Duration::from_millis(250)).await {
            received = Some(event);
            break;
        }
    }
    let event = received.expect("an event published on one instance reaches the other");
    assert!(
        event.data.contains("2026-000001") && event.data.contains("seguimiento"),
        "{event:?}"
    );
    // Once the relay is up, events arrive in order and none is lost or repeated.
    let before = event.id.unwrap();
    let up_to = first.state.live.last_id().await.unwrap();
    for _ in 0..5 {
        first
            .state
            .live
            .publish(
                Scope::request("2026-000001", &account_of(&db).await),
                LiveChange::Estado,
            )
            .await;
    }
    let rest: Vec<_> = on_second
        .drain(Duration::from_millis(700))
        .await
        .into_iter()
        .map(|e| e.id.unwrap())
        .collect();
    assert_eq!(rest, ((before + 1)..=(up_to + 5)).collect::<Vec<_>>());
    let _ = stop.send(true);
    relay.await.unwrap();
}

/// One user holds at most a bounded number of open streams; closing one frees its place.
async fn open_streams_per_user_are_bounded(db: TestDb) {
    let app = App::new(&db);
    let ana = customer(&app, "1020304050", "ana@correo.co").await;
    let limit = ventanilla_server::http::live::STREAMS_PER_USER;
    let mut open = Vec::new();
    for _ in 0..limit {
        open.push(Stream::open(&app, &ana, "", None).await);
    }
    let status = |app: &App, cookie: &str| {
        let request = Request::get("/eventos")
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap();
        let router = app.router.clone();
        async move { router.oneshot(request).await.unwrap().status() }
    };
    assert_eq!(status(&app, &ana).await, StatusCode::TOO_MANY_REQUESTS);
    // Another person is not affected.
    let luis = customer(&app, "79888777", "luis@correo.co").await;
    let other = Stream::open(&app, &luis, "", None).await;
    drop(other);
    // A tab closed: its place comes back as soon as the server notices.
    drop(open.pop());
    let mut answered = StatusCode::TOO_MANY_REQUESTS;
    for _ in 0..50 {
        answered = status(&app, &ana).await;
        if answered == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(answered, StatusCode::OK);
}

async fn account_of(db: &TestDb) -> String {
    sqlx::query("SELECT id FROM accounts ORDER BY created_at, id")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id")
}

on_both_databases!(
    open_streams_per_user_are_bounded,
    customers_get_their_own_events_only,
    a_reconnect_receives_exactly_the_missed_events_it_may_see,
    a_resume_older_than_the_log_reloads_the_page,
    events_cross_instances_through_postgres
);
