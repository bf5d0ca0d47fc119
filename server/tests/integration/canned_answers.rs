//! Canned answers (plantillas, agent-workspace requirement): only supervisors and admins keep them, unknown
//! placeholders are refused when saving, and the server fills them for one request with the
//! dates the domain calendar computed.

use http::StatusCode;
use sqlx::Row;
use ventanilla::legal::{LegalTerm, RequestType};
use ventanilla_app::dev::demo::DEMO_PASSWORD;
use ventanilla_app::workspace::server::canned_answers::long_date;

use crate::support::{App, TestDb};

const BODY: &str =
    "Estimado(a) {cliente}: sobre su solicitud {radicado}, radicada el {fecha_radicacion}, \
le responderemos a más tardar el {fecha_limite}. Atentamente, {agente} ({area}).";

async fn supervisors_keep_plantillas_and_agents_fill_them_for_a_request(db: TestDb) {
    ventanilla_app::dev::demo::seed_if_empty(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let agent = app
        .sign_in("asesor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let supervisor = app
        .sign_in("supervisor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let save = |cookie: String, form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("equipo/plantillas/guardar", &pairs, Some(&cookie))
                .await
        }
    };
    let form = |body: &str, request_type: &str| {
        vec![
            ("name", "Acuse con fecha límite".to_string()),
            ("body", body.to_string()),
            ("request_type", request_type.to_string()),
        ]
    };

    // An agent cannot manage them, nor list them.
    let refused = save(agent.clone(), form(BODY, "")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let listed = app.call("equipo/plantillas", &[], Some(&agent)).await;
    assert_eq!(listed.status, StatusCode::FORBIDDEN);

    // An unknown placeholder is refused, naming it; nothing is saved.
    let unknown = save(
        supervisor.clone(),
        form("Hola {nombre}, su caso {radicado} vence el {fecha}.", ""),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.body.contains("{nombre}") && unknown.body.contains("{fecha}"),
        "{}",
        unknown.body
    );
    let named = unknown.body.split("Use solo").next().unwrap();
    assert!(
        !named.contains("{radicado}"),
        "only the unknown ones are named: {named}"
    );
    assert_eq!(db.count("canned_answers").await, 0);

    let saved = save(supervisor.clone(), form(BODY, "")).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let id = serde_json::from_str::<serde_json::Value>(&saved.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let only_felicitaciones = save(
        supervisor.clone(),
        vec![
            ("name", "Gracias por su felicitación".to_string()),
            ("body", "Gracias, {cliente}.".to_string()),
            ("request_type", "felicitacion".to_string()),
        ],
    )
    .await;
    assert_eq!(only_felicitaciones.status, StatusCode::OK);
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'plantilla_creada' AND entity = 'canned_answer'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 2);

    // The agent fills it for a reclamo of Ana María Rojas.
    let request = sqlx::query(
        "SELECT r.radicado, r.request_type, r.received_at FROM requests r JOIN accounts a ON a.id = r.account_id \
         WHERE a.name = 'Ana María Rojas'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let radicado: String = request.get("radicado");
    let staff_view = app
        .call("equipo/solicitud", &[("radicado", &radicado)], Some(&agent))
        .await;
    let offered: serde_json::Value = serde_json::from_str(&staff_view.body).unwrap();
    let names: Vec<&str> = offered["canned_answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    let request_type = RequestType::from_code(&request.get::<String, _>("request_type")).unwrap();
    assert_ne!(request_type, RequestType::Felicitacion);
    assert_eq!(
        names,
        vec!["Acuse con fecha límite"],
        "restricted to its type"
    );

    let filled = app
        .call(
            "equipo/plantillas/llenar",
            &[("id", &id), ("radicado", &radicado)],
            Some(&agent),
        )
        .await;
    assert_eq!(filled.status, StatusCode::OK, "{}", filled.body);
    let text: String = serde_json::from_str(&filled.body).unwrap();
    let received = chrono::DateTime::from_timestamp(request.get("received_at"), 0).unwrap();
    let due = LegalTerm::for_request(request_type, received)
        .unwrap()
        .due(&ventanilla::BusinessCalendar::default(), &[]);
    let expected = format!(
        "Estimado(a) Ana María Rojas: sobre su solicitud {radicado}, radicada el {}, \
         le responderemos a más tardar el {}. Atentamente, Andrés Asesor (Servicio al cliente).",
        long_date(
            received
                .with_timezone(&ventanilla::calendar::bogota())
                .date_naive()
        ),
        long_date(due)
    );
    assert_eq!(text, expected);

    // Edited, then deactivated: agents no longer get it.
    let mut edit = form(
        "Hola {cliente}, su radicado es {radicado}.",
        request_type.code(),
    );
    edit.push(("id", id.clone()));
    assert_eq!(save(supervisor.clone(), edit).await.status, StatusCode::OK);
    let off = app
        .call(
            "equipo/plantillas/estado",
            &[("id", &id), ("active", "no")],
            Some(&supervisor),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK);
    let gone = app
        .call(
            "equipo/plantillas/llenar",
            &[("id", &id), ("radicado", &radicado)],
            Some(&agent),
        )
        .await;
    assert_eq!(gone.status, StatusCode::UNPROCESSABLE_ENTITY);
    let all = app.call("equipo/plantillas", &[], Some(&supervisor)).await;
    let all: serde_json::Value = serde_json::from_str(&all.body).unwrap();
    let edited = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap();
    assert_eq!(edited["active"], false);
    assert_eq!(edited["body"], "Hola {cliente}, su radicado es {radicado}.");
    let admin = app.sign_in("admin@demo.ventanilla.co", DEMO_PASSWORD).await;
    let on = app
        .call(
            "equipo/plantillas/estado",
            &[("id", &id), ("active", "si")],
            Some(&admin),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "admins manage them too");
}

on_both_databases!(supervisors_keep_plantillas_and_agents_fill_them_for_a_request);
