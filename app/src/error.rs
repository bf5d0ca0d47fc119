//! The one error type that crosses the wire between server functions and the browser.
//!
//! Following leptos `examples/server_fns_axum`: every variant carries a message that is safe
//! and useful to show a person, in Spanish; the underlying cause (a database error, say) is
//! logged on the server and never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// The field of a form (or of a REST body) that a validation message is about. The REST API
/// points at it (`errors[].pointer`) from this, never from the wording, so rewording a message
/// does not change the public API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Subject,
    Description,
    Message,
    Links,
    RequestType,
    Category,
    Priority,
    DocumentType,
    DocumentNumber,
    FullName,
    Email,
    Phone,
    Consent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Bad input; the message says what to fix.
    #[error("{0}")]
    Validation(String),
    /// Bad input in one named field; the message says what to fix.
    #[error("{message}")]
    Invalid { field: Field, message: String },
    #[error("Debe iniciar sesión para continuar.")]
    Unauthenticated,
    #[error("No tiene permiso para realizar esta acción.")]
    Forbidden,
    #[error("No encontramos lo que busca.")]
    NotFound,
    /// The input clashes with existing data (a document or e-mail already registered).
    #[error("{0}")]
    Conflict(String),
    /// A reply to the customer would go out over a customer message the agent has not seen
    /// (collision warning); nothing was sent. `newest` is that message's id: sending it back
    /// says "I have read it now".
    #[error("{message}")]
    NewerCustomerMessage { message: String, newest: String },
    #[error("Demasiados intentos fallidos. Espere 15 minutos e intente de nuevo.")]
    RateLimited,
    /// More of something (registrations, filings, replies) than one person or address does
    /// in a while; the message says what and how long to wait (`platform::quota`).
    #[error("{0}")]
    TooMany(String),
    /// The database could not take the change in time (SQLite's single writer stayed busy
    /// past the wait, or no connection came free): nothing was written, and the same call a
    /// moment later will go through. A 503 with `Retry-After`, never a 500.
    #[error("Estamos atendiendo muchas solicitudes en este momento y no se guardó nada. Intente de nuevo en unos segundos.")]
    Busy,
    #[error("Ocurrió un error interno. Intente de nuevo en unos minutos.")]
    Internal,
    /// The request never reached the server function (network, decoding).
    #[error("No fue posible comunicarse con el servidor. Revise su conexión e intente de nuevo.")]
    Transport(String),
}

/// What a busy answer asks clients to wait: long enough for the queue of writers ahead to
/// drain (each filing holds the write lock for about a millisecond), short enough that a
/// person retrying by hand does not notice.
pub const BUSY_RETRY_AFTER_SECONDS: u64 = 2;

impl AppError {
    /// The HTTP status that goes with the error, so that API clients and tests see a 4xx for
    /// bad input and never a 500 for something the caller did.
    pub fn status_code(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::Validation(_) | AppError::Invalid { .. } => S::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated => S::UNAUTHORIZED,
            AppError::Forbidden => S::FORBIDDEN,
            AppError::NotFound => S::NOT_FOUND,
            AppError::Conflict(_) | AppError::NewerCustomerMessage { .. } => S::CONFLICT,
            AppError::RateLimited | AppError::TooMany(_) => S::TOO_MANY_REQUESTS,
            AppError::Busy => S::SERVICE_UNAVAILABLE,
            AppError::Internal => S::INTERNAL_SERVER_ERROR,
            AppError::Transport(_) => S::BAD_REQUEST,
        }
    }

    /// Seconds a client should wait before retrying (`Retry-After`), for errors that pass.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::Busy => Some(BUSY_RETRY_AFTER_SECONDS),
            _ => None,
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        AppError::Validation(message.into())
    }

    /// Bad input in `field`.
    pub fn invalid(field: Field, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// The same refusal, said to be about `field`: a validation error gains its field, any
    /// other error passes unchanged. For checks shared by several fields (`text`, `bounded`).
    pub fn on(self, field: Field) -> Self {
        match self {
            AppError::Validation(message) | AppError::Invalid { message, .. } => {
                AppError::Invalid { field, message }
            }
            other => other,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
