//! The API's documentation, generated from the code: the OpenAPI 3.1 document comes from the
//! handlers' annotations and the types they exchange (`utoipa`), and the reference page is
//! rendered here from that same document — nothing is fetched from the internet.

use axum::response::{Html, IntoResponse};
use axum::Json;
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::problem::KINDS;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ventanilla API",
        version = "1",
        description = "API REST de Ventanilla para integrar otros sistemas: radicar solicitudes a nombre de un cliente, consultarlas, hacerles seguimiento y cerrarlas; consultar y actualizar los datos comerciales de un cliente; leer el catálogo, las áreas y el calendario hábil; importar bases de encuestas al escritorio de detractores. Autenticación con llave de API (Authorization: Bearer vnt_…), creada por un administrador en Equipo → Llaves de API. Los POST aceptan Idempotency-Key. Los errores son application/problem+json (RFC 9457)."
    ),
    paths(
        super::requests::create,
        super::requests::list,
        super::requests::read,
        super::requests::follow_up,
        super::requests::close,
        super::requests::attachment,
        super::survey_imports::create,
        super::catalogue::categories,
        super::catalogue::areas,
        super::customers::read,
        super::customers::update,
        super::customer_imports::create,
        super::indicators::read,
        super::reports::monthly,
        super::reports::bitacora,
        super::calls::create,
        super::calendar::holidays,
        super::calendar::due,
    ),
    modifiers(&KeyScheme, &EveryKeyedCall),
    tags(
        (name = "Solicitudes", description = "Radicar, consultar, seguir y cerrar (permisos requests:write y requests:read; customers:write para crear cuentas)"),
        (name = "Indicadores", description = "Los indicadores de un periodo y el informe mensual con su bitácora (reports:read)"),
        (name = "Llamadas", description = "Las llamadas de la línea de servicio, desde la central telefónica (calls:write), para el indicador de atención oportuna"),
        (name = "Clientes", description = "Datos comerciales del cliente, con el segmento y la garantía de ANS que dan (customers:read, customers:write)"),
        (name = "Catálogo", description = "Categorías y áreas (requests:read)"),
        (name = "Calendario", description = "Festivos y vencimientos con el mismo código que la línea de órdenes (requests:read)"),
        (name = "Encuestas", description = "Importar bases de encuestas negativas al escritorio de detractores (surveys:import), con la misma validación y deduplicación que la pantalla de importación"),
    )
)]
pub struct ApiDoc;

struct KeyScheme;

impl Modify for KeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "llave",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Llave de API: vnt_ seguido de 64 dígitos hexadecimales.",
                    ))
                    .build(),
            ),
        );
    }
}

/// What every operation can answer, because every one starts by checking the API key
/// (`auth::authorize`): 401 without a valid key, 429 past the key's rate limit, and 503 when
/// the database is too busy to answer in time (`AppError::Busy`, with `Retry-After`). Added to
/// all operations here rather than repeated in each annotation, so a new one cannot miss them.
struct EveryKeyedCall;

impl Modify for EveryKeyedCall {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::header::HeaderBuilder;
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder, Type};
        let problem = |description: &str| {
            ResponseBuilder::new().description(description).content(
                super::problem::PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ProblemBody")))
                    .build(),
            )
        };
        let no_key = problem("Sin llave válida").build();
        let limited = problem("Límite de llamadas").build();
        let busy =
            problem("Base de datos ocupada: no se guardó nada; reintente después de Retry-After")
                .header(
                    "Retry-After",
                    HeaderBuilder::new()
                        .schema(utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer))
                        .description(Some("Segundos que conviene esperar antes de reintentar"))
                        .build(),
                )
                .build();
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let responses = &mut operation.responses.responses;
                responses.insert("401".to_string(), no_key.clone().into());
                responses.insert("429".to_string(), limited.clone().into());
                responses.insert("503".to_string(), busy.clone().into());
            }
        }
    }
}

/// The document as JSON, built once.
pub fn document() -> &'static Value {
    static DOCUMENT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| serde_json::to_value(ApiDoc::openapi()).unwrap_or_default())
}

pub async fn openapi_json() -> impl IntoResponse {
    Json(document().clone())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The name of a schema, or a short description of an inline one.
fn schema_name(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .to_string();
    }
    match schema["type"].as_str() {
        Some("array") => format!("lista de {}", schema_name(&schema["items"])),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// A readable reference page, rendered from the OpenAPI document.
pub async fn reference() -> Html<String> {
    let doc = document();
    let mut html = String::from(
        "<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Ventanilla API — referencia</title><style>\
         body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1d2733}\
         code,pre{background:#f2f4f7;padding:.1rem .3rem;border-radius:4px}\
         .op{border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin:1rem 0}\
         .method{font-weight:700;text-transform:uppercase;margin-right:.5rem}\
         table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e7eb;padding:.3rem;text-align:left;vertical-align:top}\
         </style></head><body>",
    );
    html.push_str(&format!(
        "<h1>{} <small>v{}</small></h1><p>{}</p><p>Documento OpenAPI 3.1: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p>",
        escape(doc["info"]["title"].as_str().unwrap_or_default()),
        escape(doc["info"]["version"].as_str().unwrap_or_default()),
        escape(doc["info"]["description"].as_str().unwrap_or_default()),
    ));
    html.push_str("<h2>Operaciones</h2>");
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            let Some(operations) = item.as_object() else {
                continue;
            };
            for (method, op) in operations {
                let anchor = op["operationId"].as_str().unwrap_or_default();
                html.push_str(&format!(
                    "<section class=\"op\" id=\"{}\"><h3><span class=\"method\">{}</span><code>{}</code></h3>",
                    escape(anchor),
                    escape(method),
                    escape(path)
                ));
                for field in ["summary", "description"] {
                    if let Some(text) = op[field].as_str() {
                        html.push_str(&format!("<p>{}</p>", escape(text)));
                    }
                }
                if let Some(params) = op["parameters"].as_array() {
                    html.push_str("<h4>Parámetros</h4><table><tr><th>Nombre</th><th>Dónde</th><th>Descripción</th></tr>");
                    for param in params {
                        html.push_str(&format!(
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                            escape(param["name"].as_str().unwrap_or_default()),
                            escape(param["in"].as_str().unwrap_or_default()),
                            escape(param["description"].as_str().unwrap_or_default())
                        ));
                    }
                    html.push_str("</table>");
                }
                if let Some(content) = op["requestBody"]["content"].as_object() {
                    html.push_str("<h4>Cuerpo</h4><ul>");
                    for (media, body) in content {
                        html.push_str(&format!(
                            "<li><code>{}</code>: <a href=\"#esquema-{1}\">{1}</a></li>",
                            escape(media),
                            escape(&schema_name(&body["schema"])),
                        ));
                    }
                    html.push_str("</ul>");
                }
                if let Some(responses) = op["responses"].as_object() {
                    html.push_str("<h4>Respuestas</h4><table>");
                    for (status, response) in responses {
                        let body = response["content"]
                            .as_object()
                            .and_then(|c| c.values().next())
                            .map(|c| schema_name(&c["schema"]))
                            .unwrap_or_default();
                        html.push_str(&format!(
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                            escape(status),
                            escape(response["description"].as_str().unwrap_or_default()),
                            escape(&body)
                        ));
                    }
                    html.push_str("</table>");
                }
                html.push_str("</section>");
            }
        }
    }
    html.push_str("<h2>Esquemas</h2>");
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            html.push_str(&format!(
                "<section id=\"esquema-{0}\"><h3>{0}</h3>",
                escape(name)
            ));
            if let Some(text) = schema["description"].as_str() {
                html.push_str(&format!("<p>{}</p>", escape(text)));
            }
            if let Some(properties) = schema["properties"].as_object() {
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                html.push_str("<table><tr><th>Campo</th><th>Tipo</th><th>Descripción</th></tr>");
                for (field, property) in properties {
                    html.push_str(&format!(
                        "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                        escape(field),
                        if required.contains(&field.as_str()) {
                            " (obligatorio)"
                        } else {
                            ""
                        },
                        escape(&schema_name(property)),
                        escape(property["description"].as_str().unwrap_or_default())
                    ));
                }
                html.push_str("</table>");
            }
            html.push_str("</section>");
        }
    }
    html.push_str("<h2>Problemas (application/problem+json)</h2><table><tr><th>type</th><th>Estado</th><th>title</th></tr>");
    for (slug, status, title) in KINDS {
        html.push_str(&format!(
            "<tr id=\"problema-{slug}\"><td><code>/api/v1/referencia#problema-{slug}</code></td><td>{status}</td><td>{}</td></tr>",
            escape(title)
        ));
    }
    html.push_str("</table></body></html>");
    Html(html)
}
