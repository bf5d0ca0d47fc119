//! What travels between the accounts' server functions and pages: the signed-in person,
//! profiles, staff members, set-password links and API keys.

use serde::{Deserialize, Serialize};
use ventanilla::role::Role;

/// The signed-in person as the UI needs to know them. Never carries the password hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: String,
    pub full_name: String,
    pub email: String,
    pub role: Role,
}

impl SessionUser {
    /// Where this person lands after signing in.
    pub fn home_path(&self) -> &'static str {
        if self.role.is_staff() {
            "/equipo"
        } else {
            "/portal"
        }
    }
}

/// What the profile page shows and edits (seed 002 §5.2.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub document: Option<String>,
    pub account_name: Option<String>,
    /// A new e-mail asked for and not confirmed yet from the link sent to it.
    pub pending_email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: String,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Every answer of theirs goes to quality review, whatever the ANS's share.
    #[serde(default)]
    pub review_all: bool,
    /// The admin looking at the list: they cannot switch their own access off.
    pub me: bool,
}

/// An API key as the admin list shows it; the secret is never part of it (REST API requirement).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeySummary {
    pub id: String,
    pub name: String,
    /// The visible start of the secret, to tell keys apart.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub rate_limit_per_minute: i64,
    pub created_at: String,
    pub created_by: String,
    pub revoked_at: Option<String>,
}

/// What the page of a set-password link shows: the form, or why the link does not work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasswordLinkView {
    pub valid: bool,
    /// The account was created on the customer's behalf (first password), not a reset.
    pub creating: bool,
    /// The holder's name, to greet them; empty for an unknown link.
    pub name: String,
    /// Why the link does not work, in Spanish; empty when it works.
    pub problem: String,
}

/// The scopes an API key can have, with what each allows (REST API requirement).
pub const API_SCOPES: [(&str, &str); 7] = [
    (
        "requests:read",
        "Consultar solicitudes, catálogo, áreas y calendario",
    ),
    (
        "requests:write",
        "Radicar solicitudes, agregar seguimientos y cerrar",
    ),
    (
        "customers:read",
        "Consultar los datos de un cliente, su segmento y su garantía de ANS",
    ),
    (
        "customers:write",
        "Crear la cuenta del cliente al radicar (con su autorización de datos) y actualizar sus datos comerciales",
    ),
    (
        "surveys:import",
        "Importar bases de encuestas al escritorio de detractores (a nombre de quien crea la llave)",
    ),
    (
        "reports:read",
        "Consultar los indicadores de un periodo",
    ),
    (
        "calls:write",
        "Registrar las llamadas de la línea de servicio desde la central telefónica",
    ),
];

/// An API key just created: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub name: String,
    pub secret: String,
}
