//! Errors of the REST API as `application/problem+json` (RFC 9457): a stable `type` that
//! clients can branch on, a Spanish `title`, the `detail` a person can act on, and
//! field-level `errors` pointing into the request body. A client's mistake is never a 500.

use axum::response::{IntoResponse, Response};
use axum::Json;
use http::header::{CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderValue, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;
use ventanilla_app::error::{AppError, Field};

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemBody {
    /// Stable identifier of the kind of problem; documented in the API reference.
    #[serde(rename = "type")]
    #[schema(example = "/api/v1/referencia#problema-datos-invalidos")]
    pub kind: String,
    /// A short Spanish summary of the kind of problem.
    pub title: String,
    pub status: u16,
    /// What went wrong this time, in Spanish.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The fields at fault, when the problem is in the request's data.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One field at fault.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer (RFC 6901) into the request body, or the name of a query parameter.
    #[schema(example = "/subject")]
    pub pointer: String,
    pub detail: String,
    /// For a row of an imported file: its number as a spreadsheet shows it (the header row
    /// is row 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// For a row of an imported file: the header of the column at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub slug: &'static str,
    pub title: &'static str,
    pub detail: Option<String>,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<u64>,
}

/// Every kind of problem: (slug, status, title). The reference page lists them.
pub const KINDS: &[(&str, u16, &str)] = &[
    ("solicitud-malformada", 400, "La solicitud no se pudo leer"),
    ("no-autenticado", 401, "Falta una llave de API válida"),
    (
        "sin-permiso",
        403,
        "La llave no tiene permiso para esta operación",
    ),
    ("no-encontrado", 404, "No encontrado"),
    ("conflicto", 409, "La operación choca con el estado actual"),
    (
        "idempotencia-en-curso",
        409,
        "La primera llamada con esta Idempotency-Key sigue en curso",
    ),
    (
        "demasiado-grande",
        413,
        "El cuerpo de la solicitud es demasiado grande",
    ),
    ("tipo-no-soportado", 415, "Tipo de contenido no soportado"),
    ("datos-invalidos", 422, "Datos inválidos"),
    (
        "filas-invalidas",
        422,
        "El archivo tiene filas con errores; no se importó nada",
    ),
    (
        "idempotencia-reutilizada",
        422,
        "La Idempotency-Key ya se usó para otra operación",
    ),
    (
        "demasiadas-llamadas",
        429,
        "Límite de llamadas por minuto superado",
    ),
    ("error-interno", 500, "Error interno"),
    (
        "ocupado",
        503,
        "El servicio está ocupado; reintente después de Retry-After",
    ),
];

impl Problem {
    pub fn new(slug: &'static str, detail: impl Into<String>) -> Problem {
        let (status, title) = KINDS
            .iter()
            .find(|(s, _, _)| *s == slug)
            .map(|(_, status, title)| (*status, *title))
            .unwrap_or((500, "Error interno"));
        Problem {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            slug,
            title,
            detail: Some(detail.into()),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// Bad data in one field.
    pub fn field(pointer: &str, detail: impl Into<String>) -> Problem {
        let detail = detail.into();
        let mut problem = Problem::new("datos-invalidos", detail.clone());
        problem.errors.push(FieldError {
            pointer: pointer.to_string(),
            detail,
            row: None,
            column: None,
        });
        problem
    }

    pub fn body(&self) -> ProblemBody {
        ProblemBody {
            kind: format!("/api/v1/referencia#problema-{}", self.slug),
            title: self.title.to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            errors: self.errors.clone(),
        }
    }
}

/// Where in the API's body each form field lives. Keyed by the field the service named, not
/// by the message's wording, so rewording a message never moves a pointer.
fn pointer(field: Field) -> &'static str {
    match field {
        Field::Subject => "/subject",
        Field::Description => "/description",
        Field::Message => "/message",
        Field::Links => "/links",
        Field::RequestType => "/request_type",
        Field::Category => "/category_id",
        Field::Priority => "/priority",
        Field::DocumentType => "/customer/document_type",
        Field::DocumentNumber => "/customer/document_number",
        Field::FullName => "/customer/new_account/full_name",
        Field::Email => "/customer/new_account/email",
        Field::Phone => "/customer/new_account/phone",
        Field::Consent => "/customer/new_account/consent",
    }
}

impl From<AppError> for Problem {
    fn from(err: AppError) -> Problem {
        match err {
            AppError::Invalid { field, message } => Problem::field(pointer(field), message),
            AppError::Validation(message) => Problem::new("datos-invalidos", message),
            AppError::Unauthenticated => Problem::new("no-autenticado", err.to_string()),
            AppError::Forbidden => Problem::new("sin-permiso", err.to_string()),
            AppError::NotFound => Problem::new("no-encontrado", err.to_string()),
            AppError::Conflict(message) | AppError::NewerCustomerMessage { message, .. } => {
                Problem::new("conflicto", message)
            }
            AppError::RateLimited => Problem::new("demasiadas-llamadas", err.to_string()),
            AppError::TooMany(message) => Problem::new("demasiadas-llamadas", message),
            AppError::Transport(_) => Problem::new("solicitud-malformada", err.to_string()),
            AppError::Busy => {
                let mut problem = Problem::new("ocupado", err.to_string());
                problem.retry_after = err.retry_after();
                problem
            }
            AppError::Internal => Problem::new("error-interno", err.to_string()),
        }
    }
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(RETRY_AFTER, seconds.into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pointer_comes_from_the_field_not_the_wording() {
        let reworded = Problem::from(AppError::invalid(
            Field::Subject,
            "Escriba un asunto más largo.",
        ));
        assert_eq!(reworded.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reworded.errors.len(), 1);
        assert_eq!(reworded.errors[0].pointer, "/subject");
        assert_eq!(reworded.errors[0].detail, "Escriba un asunto más largo.");

        // A message that merely starts with a field's name points nowhere.
        let unnamed = Problem::from(AppError::validation("Asunto: demasiado corto."));
        assert_eq!(unnamed.slug, "datos-invalidos");
        assert!(unnamed.errors.is_empty());

        let consent = Problem::from(AppError::validation("x").on(Field::Consent));
        assert_eq!(consent.errors[0].pointer, "/customer/new_account/consent");
    }
}
