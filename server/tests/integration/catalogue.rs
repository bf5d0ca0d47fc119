//! Catalogue administration (agent-workspace requirement, `/equipo/catalogo`): supervisors and admins keep the
//! categories (with their area), subcategories, causes, and the areas with their members;
//! agents cannot. Names are checked in words, every change is audited, deactivated entries
//! leave the pickers for new filings and typifications while older requests keep their names.

use http::StatusCode;
use serde_json::Value;
use sqlx::Row;
use ventanilla_app::dev::demo::{seed_if_empty, DEMO_PASSWORD};

use crate::support::{App, Reply, TestDb};

const FILING: [(&str, &str); 6] = [
    ("request_type", "reclamo"),
    ("subject", "Devolución de un pedido"),
    ("description", "El producto llegó roto y quiero devolverlo."),
    ("priority", "media"),
    ("links", ""),
    ("related", ""),
];

async fn call(app: &App, endpoint: &str, form: &[(&str, &str)], cookie: &str) -> Reply {
    app.call(endpoint, form, Some(cookie)).await
}

fn json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

/// The id a save returned.
fn saved_id(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    json(reply).as_str().unwrap().to_string()
}

fn labels(choices: &Value) -> Vec<String> {
    choices
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap().to_string())
        .collect()
}

async fn audited(db: &TestDb, action: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("n")
}

async fn file_with_category(app: &App, cookie: &str, category_id: &str, token: &str) -> Reply {
    let mut fields: Vec<(&str, &str)> = FILING.to_vec();
    fields.push(("category_id", category_id));
    fields.push(("submission_token", token));
    app.multipart("/portal/solicitudes", &fields, &[], cookie)
        .await
}

async fn supervisors_keep_the_catalogue_and_pickers_follow_it(db: TestDb) {
    seed_if_empty(&db.pool).await.unwrap();
    let app = App::new(&db);
    let agent = app
        .sign_in("asesor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let supervisor = app
        .sign_in("supervisor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let admin = app.sign_in("admin@demo.ventanilla.co", DEMO_PASSWORD).await;
    let customer = app.sign_in("vip@demo.ventanilla.co", DEMO_PASSWORD).await;
    let categories_before = db.count("categories").await;
    let audit_before = db.count("audit_events").await;

    // Agents and customers use the catalogue; they cannot read the admin view nor change it.
    for cookie in [&agent, &customer] {
        assert_eq!(
            call(&app, "equipo/catalogo", &[], cookie).await.status,
            StatusCode::FORBIDDEN
        );
        let refused = call(
            &app,
            "equipo/catalogo/categoria",
            &[("name", "Devoluciones")],
            cookie,
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(
            call(
                &app,
                "equipo/catalogo/area",
                &[("name", "Logística")],
                cookie
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(db.count("categories").await, categories_before);
    assert_eq!(db.count("audit_events").await, audit_before);

    // An area and its especialista.
    let area = saved_id(
        &call(
            &app,
            "equipo/catalogo/area",
            &[("name", "Logística inversa")],
            &supervisor,
        )
        .await,
    );
    let twin = call(
        &app,
        "equipo/catalogo/area",
        &[("name", "  logística   INVERSA ")],
        &supervisor,
    )
    .await;
    assert_eq!(twin.status, StatusCode::CONFLICT);
    assert!(
        twin.body
            .contains("Ya existe un área llamada «Logística inversa»."),
        "{}",
        twin.body
    );
    let especialista: String =
        sqlx::query("SELECT id FROM users WHERE email = 'especialista@demo.ventanilla.co'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("id");
    let member = |who: &str, yes: &'static str| {
        let (app, area, who, cookie) = (&app, area.clone(), who.to_string(), supervisor.clone());
        async move {
            call(
                app,
                "equipo/catalogo/area/miembro",
                &[
                    ("area_id", area.as_str()),
                    ("user_id", who.as_str()),
                    ("member", yes),
                ],
                &cookie,
            )
            .await
        }
    };
    assert_eq!(member(&especialista, "si").await.status, StatusCode::OK);
    let again = member(&especialista, "si").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .body
            .contains("ya es miembro del área Logística inversa"),
        "{}",
        again.body
    );
    let vip_user: String =
        sqlx::query("SELECT id FROM users WHERE email = 'vip@demo.ventanilla.co'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("id");
    let a_customer = member(&vip_user, "si").await;
    assert_eq!(
        a_customer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "customers are never members"
    );

    // A category that escalates to it; bad names are refused in words and nothing is written.
    let blank = call(
        &app,
        "equipo/catalogo/categoria",
        &[("name", "   "), ("area_id", area.as_str())],
        &supervisor,
    )
    .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        blank.body.contains("Escriba el nombre de la categoría."),
        "{}",
        blank.body
    );
    let unknown_area = call(
        &app,
        "equipo/catalogo/categoria",
        &[("name", "Devoluciones"), ("area_id", "no-existe")],
        &supervisor,
    )
    .await;
    assert_eq!(unknown_area.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(db.count("categories").await, categories_before);
    let returns = saved_id(
        &call(
            &app,
            "equipo/catalogo/categoria",
            &[
                ("name", "Devoluciones"),
                ("description", "Devolver o cambiar un producto"),
                ("area_id", area.as_str()),
            ],
            &supervisor,
        )
        .await,
    );
    let duplicate = call(
        &app,
        "equipo/catalogo/categoria",
        &[("name", "devoluciones")],
        &admin,
    )
    .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert!(
        duplicate
            .body
            .contains("Ya existe una categoría llamada «Devoluciones»."),
        "{}",
        duplicate.body
    );
    assert_eq!(audited(&db, "categoria_creada").await, 1);

    // Subcategories are unique within their category only.
    let entry = |kind: &'static str, category: &str, name: &str| {
        let (app, category, name, cookie) = (
            &app,
            category.to_string(),
            name.to_string(),
            supervisor.clone(),
        );
        async move {
            call(
                app,
                "equipo/catalogo/entrada",
                &[
                    ("kind", kind),
                    ("category_id", category.as_str()),
                    ("name", name.as_str()),
                ],
                &cookie,
            )
            .await
        }
    };
    let damaged = saved_id(&entry("subcategoria", &returns, "Producto dañado").await);
    let pqr: String = sqlx::query("SELECT id FROM categories WHERE name = 'PQR'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id");
    saved_id(&entry("subcategoria", &pqr, "Producto dañado").await);
    let twin = entry("subcategoria", &returns, "PRODUCTO DAÑADO").await;
    assert_eq!(twin.status, StatusCode::CONFLICT);
    assert!(
        twin.body
            .contains("Ya existe una subcategoría llamada «Producto dañado» en esta categoría."),
        "{}",
        twin.body
    );
    let orphan = entry("subcategoria", "no-existe", "Otra").await;
    assert_eq!(orphan.status, StatusCode::UNPROCESSABLE_ENTITY);
    let packaging = saved_id(&entry("causa", "", "Embalaje deficiente").await);
    let blank_cause = entry("causa", "", "").await;
    assert_eq!(blank_cause.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        blank_cause.body.contains("Escriba el nombre de la causa."),
        "{}",
        blank_cause.body
    );

    // Reordering: the new category is last; one step up puts it before the one above.
    let overview = |cookie: String| {
        let app = &app;
        async move { json(&call(app, "equipo/catalogo", &[], &cookie).await) }
    };
    let names = |view: &Value| -> Vec<String> {
        view["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    let before = names(&overview(supervisor.clone()).await);
    assert_eq!(before.last().unwrap(), "Devoluciones");
    let up = call(
        &app,
        "equipo/catalogo/orden",
        &[
            ("kind", "categoria"),
            ("id", returns.as_str()),
            ("direction", "subir"),
        ],
        &supervisor,
    )
    .await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.body);
    let after = overview(supervisor.clone()).await;
    let after_names = names(&after);
    let n = before.len();
    assert_eq!(after_names[n - 2], "Devoluciones");
    assert_eq!(after_names[n - 1], before[n - 2]);
    let category = after["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == returns.as_str())
        .unwrap()
        .clone();
    assert_eq!(category["area_name"], "Logística inversa");
    assert_eq!(category["subcategories"][0]["name"], "Producto dañado");
    let logistics = after["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == area.as_str())
        .unwrap();
    assert_eq!(logistics["members"].as_array().unwrap().len(), 1);
    let bad_direction = call(
        &app,
        "equipo/catalogo/orden",
        &[
            ("kind", "categoria"),
            ("id", returns.as_str()),
            ("direction", "al-fondo"),
        ],
        &supervisor,
    )
    .await;
    assert_eq!(bad_direction.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The customer's filing form and the agent's typification form offer the new entries.
    let offered = |cookie: String| {
        let app = &app;
        async move { labels(&json(&call(app, "portal/opciones", &[], &cookie).await)["categories"]) }
    };
    assert!(offered(customer.clone())
        .await
        .contains(&"Devoluciones".to_string()));
    let filed = file_with_category(&app, &customer, &returns, "tok-catalogo-1").await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    let radicado = json(&filed)["url"]
        .as_str()
        .unwrap()
        .trim_start_matches("/portal/solicitudes/")
        .trim_end_matches("?radicada=1")
        .to_string();
    let staff_view = |cookie: String| {
        let (app, radicado) = (&app, radicado.clone());
        async move {
            json(
                &call(
                    app,
                    "equipo/solicitud",
                    &[("radicado", radicado.as_str())],
                    &cookie,
                )
                .await,
            )
        }
    };
    let view = staff_view(agent.clone()).await;
    // The escalation form proposes the category's area first.
    assert_eq!(view["areas"][0]["label"], "Logística inversa");
    assert_eq!(view["areas"][0]["hint"], "Área de la categoría");
    assert_eq!(view["areas"][1]["hint"], "");
    let typify_options = view["typify"].clone();
    assert!(labels(&typify_options["categories"]).contains(&"Devoluciones".to_string()));
    assert!(labels(&typify_options["causes"]).contains(&"Embalaje deficiente".to_string()));
    let typify = call(
        &app,
        "equipo/tipificar",
        &[
            ("radicado", radicado.as_str()),
            ("category_id", returns.as_str()),
            ("subcategory_id", damaged.as_str()),
            ("cause_id", packaging.as_str()),
        ],
        &agent,
    )
    .await;
    assert_eq!(typify.status, StatusCode::OK, "{}", typify.body);

    // Deactivated: gone from new filings and typifications, still named by the request.
    for (kind, id) in [
        ("categoria", returns.as_str()),
        ("causa", packaging.as_str()),
    ] {
        let off = call(
            &app,
            "equipo/catalogo/estado",
            &[("kind", kind), ("id", id), ("active", "no")],
            &admin,
        )
        .await;
        assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    }
    assert_eq!(audited(&db, "categoria_desactivada").await, 1);
    // Each change told the open staff pages to reload the catalogue, naming no customer.
    let announced = sqlx::query(
        "SELECT COUNT(*) AS n, MAX(account_id) AS account FROM live_events WHERE change = 'catalogo'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(announced.get::<i64, _>("n") >= 8);
    assert_eq!(
        announced.get::<Option<String>, _>("account").as_deref(),
        Some("")
    );
    assert_eq!(audited(&db, "causa_desactivada").await, 1);
    assert!(!offered(customer.clone())
        .await
        .contains(&"Devoluciones".to_string()));
    let refused = file_with_category(&app, &customer, &returns, "tok-catalogo-2").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Elija una categoría de la lista."),
        "{}",
        refused.body
    );
    let view = staff_view(agent.clone()).await;
    assert!(!labels(&view["typify"]["categories"]).contains(&"Devoluciones".to_string()));
    assert!(!labels(&view["typify"]["causes"]).contains(&"Embalaje deficiente".to_string()));
    assert_eq!(
        view["typification"],
        "Devoluciones › Producto dañado · Causa: Embalaje deficiente"
    );
    assert_eq!(view["detail"]["category"], "Devoluciones");
    let retypify = call(
        &app,
        "equipo/tipificar",
        &[
            ("radicado", radicado.as_str()),
            ("category_id", returns.as_str()),
            ("subcategory_id", damaged.as_str()),
            ("cause_id", packaging.as_str()),
        ],
        &agent,
    )
    .await;
    assert_eq!(retypify.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The queue filter still lists it, marked, so older requests can be found by it.
    let queue = app.get_as("/equipo?cola=todas", &supervisor).await;
    assert!(
        queue.body.contains("Devoluciones (inactiva)"),
        "queue filters name inactive entries"
    );
    // The admin view keeps it, to be reactivated; a duplicate name hints at that.
    let twin = call(
        &app,
        "equipo/catalogo/categoria",
        &[("name", "Devoluciones")],
        &supervisor,
    )
    .await;
    assert!(
        twin.body.contains("actívela en lugar de crear otra"),
        "{}",
        twin.body
    );
    let on = call(
        &app,
        "equipo/catalogo/estado",
        &[
            ("kind", "categoria"),
            ("id", returns.as_str()),
            ("active", "si"),
        ],
        &supervisor,
    )
    .await;
    assert_eq!(on.status, StatusCode::OK);
    assert!(offered(customer.clone())
        .await
        .contains(&"Devoluciones".to_string()));

    // Renaming shows everywhere the entry is named, the history included.
    let renamed = call(
        &app,
        "equipo/catalogo/entrada",
        &[
            ("kind", "subcategoria"),
            ("id", damaged.as_str()),
            ("name", "Producto roto"),
        ],
        &supervisor,
    )
    .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(
        staff_view(agent.clone()).await["typification"],
        "Devoluciones › Producto roto · Causa: Embalaje deficiente"
    );
    assert_eq!(audited(&db, "subcategoria_renombrada").await, 1);
    // Taking a member out of the area.
    assert_eq!(member(&especialista, "no").await.status, StatusCode::OK);
    let members: i64 = sqlx::query("SELECT COUNT(*) AS n FROM area_members WHERE area_id = $1")
        .bind(&area)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(members, 0);
}

on_both_databases!(supervisors_keep_the_catalogue_and_pickers_follow_it);

/// A fresh install has no catalogue at all: the first category and cause can be created,
/// and the filing form then offers the category.
async fn an_empty_catalogue_can_be_started(db: TestDb) {
    seed_if_empty(&db.pool).await.unwrap();
    // Start from nothing, as an install without demo data does.
    for table in ["subcategories", "causes"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&db.pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE requests SET category_id = NULL, subcategory_id = NULL, cause_id = NULL")
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM categories")
        .execute(&db.pool)
        .await
        .unwrap();
    let app = App::new(&db);
    let supervisor = app
        .sign_in("supervisor@demo.ventanilla.co", DEMO_PASSWORD)
        .await;
    let customer = app.sign_in("vip@demo.ventanilla.co", DEMO_PASSWORD).await;
    let options = json(&call(&app, "portal/opciones", &[], &customer).await);
    assert!(options["categories"].as_array().unwrap().is_empty());
    let first = call(
        &app,
        "equipo/catalogo/categoria",
        &[("name", "Cotizaciones")],
        &supervisor,
    )
    .await;
    saved_id(&first);
    let position: i64 = sqlx::query("SELECT position FROM categories")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("position");
    assert_eq!(position, 1);
    let options = json(&call(&app, "portal/opciones", &[], &customer).await);
    assert_eq!(labels(&options["categories"]), vec!["Cotizaciones"]);
}

on_both_databases!(an_empty_catalogue_can_be_started);
