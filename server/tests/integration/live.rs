//! Live events: a customer's open stream receives their request's changes and nobody
//! else's; with PostgreSQL, an event published by one instance reaches another.

use std::time::Duration;

use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::support::{pairs, registration, App, TestDb};

/// Opens `/eventos` as `cookie` and returns the body to read frames from.
async fn open_stream(app: &App, cookie: &str) -> Body {
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get("/eventos")
                .header("cookie", cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    response.into_body()
}

/// The next event's text within `wait`, or `None`.
async fn next_event(body: &mut Body, wait: Duration) -> Option<String> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .ok()??
            .ok()?;
        if let Ok(data) = frame.into_data() {
            let text = String::from_utf8_lossy(&data).to_string();
            if text.contains("event:") {
                return Some(text);
            }
        }
    }
}

async fn customers_get_their_own_events_only(db: TestDb) {
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
    let luis = app
        .call(
            "registro",
            &pairs(&registration("79888777", "luis@correo.co")),
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let mut ana_stream = open_stream(&app, &ana).await;
    let mut luis_stream = open_stream(&app, &luis).await;
    assert_eq!(
        app.get("/eventos").await.status,
        StatusCode::NO_CONTENT,
        "no session: stop, do not retry"
    );

    let form = [
        ("request_type", "queja"),
        ("subject", "Mensajero grosero"),
        ("description", "El mensajero fue grosero al entregar."),
        ("submission_token", "live-1"),
    ];
    let filed = app.multipart("/portal/solicitudes", &form, &[], &ana).await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let event = next_event(&mut ana_stream, Duration::from_secs(5))
        .await
        .expect("Ana is told");
    assert!(
        event.contains("event: solicitud") && event.contains("radicada"),
        "{event}"
    );
    assert_eq!(
        next_event(&mut luis_stream, Duration::from_millis(500)).await,
        None,
        "Luis is not"
    );
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
    let ana = first
        .call(
            "registro",
            &pairs(&registration("1020304050", "ana@correo.co")),
            None,
        )
        .await
        .session_cookie()
        .unwrap();
    let mut on_second = open_stream(&second, &ana).await;
    // LISTEN is asynchronous: publish until the relay is up, at most a few seconds.
    let mut received = None;
    for _ in 0..20 {
        first
            .state
            .live
            .publish("2026-000001", &account_of(&db).await, "seguimiento")
            .await;
        if let Some(event) = next_event(&mut on_second, Duration::from_millis(250)).await {
            received = Some(event);
            break;
        }
    }
    let event = received.expect("an event published on one instance reaches the other");
    assert!(
        event.contains("2026-000001") && event.contains("seguimiento"),
        "{event}"
    );
    let _ = stop.send(true);
    relay.await.unwrap();
}

async fn account_of(db: &TestDb) -> String {
    use sqlx::Row;
    sqlx::query("SELECT id FROM accounts")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id")
}

on_both_databases!(
    customers_get_their_own_events_only,
    events_cross_instances_through_postgres
);
