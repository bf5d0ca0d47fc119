//! Server functions for the catalogue page (`/equipo/catalogo`, agent-workspace requirement): categories,
//! subcategories, causes and the areas of the escalation matrix with their members.
//! Supervisors and admins; each one hands over to `ssr::catalogue_admin` or `ssr::areas`.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use ventanilla::role::Role;

use crate::catalogue::model::CatalogueAdmin;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::catalogue::server::admin::{self, Direction, Kind};
#[cfg(feature = "ssr")]
use crate::{accounts::server::session, catalogue::server::areas};

#[cfg(feature = "ssr")]
fn kind(code: &str) -> Result<Kind, AppError> {
    Kind::from_code(code).ok_or_else(|| AppError::validation("Elija qué lista del catálogo."))
}

/// The whole catalogue with inactive entries, the areas and the staff who can join them.
#[server(endpoint = "equipo/catalogo")]
pub async fn load_catalogue() -> Result<CatalogueAdmin, AppError> {
    session::as_role(&Role::MANAGERS, |state, user| async move {
        admin::overview(&state, &user).await
    })
    .await
}

/// Creates a category (no `id`) or edits its name, description and area.
#[server(endpoint = "equipo/catalogo/categoria")]
pub async fn save_category(
    id: Option<String>,
    name: String,
    description: Option<String>,
    area_id: Option<String>,
) -> Result<String, AppError> {
    session::as_role(&Role::MANAGERS, |state, user| async move {
        admin::save_category(
            &state,
            &user,
            id.as_deref().unwrap_or_default(),
            &name,
            description.as_deref().unwrap_or_default(),
            area_id.as_deref().unwrap_or_default(),
        )
        .await
    })
    .await
}

/// Creates a subcategory of `category_id` or a cause (no `id`), or renames one.
/// `kind` is "subcategoria" or "causa".
#[server(endpoint = "equipo/catalogo/entrada")]
pub async fn save_catalogue_entry(
    kind: String,
    category_id: Option<String>,
    id: Option<String>,
    name: String,
) -> Result<String, AppError> {
    session::as_role(&Role::MANAGERS, |state, user| async move {
        admin::save_entry(
            &state,
            &user,
            self::kind(&kind)?,
            category_id.as_deref().unwrap_or_default(),
            id.as_deref().unwrap_or_default(),
            &name,
        )
        .await
    })
    .await
}

/// Deactivates (`active` = "no") or reactivates (`active` = "si") an entry.
#[server(endpoint = "equipo/catalogo/estado")]
pub async fn set_catalogue_entry_active(
    kind: String,
    id: String,
    active: String,
) -> Result<(), AppError> {
    session::as_role(&Role::MANAGERS, |state, user| async move {
        admin::set_active(&state, &user, self::kind(&kind)?, &id, active == "si").await
    })
    .await
}

/// Moves an entry one place (`direction` "subir" or "bajar") in the order pickers show.
#[server(endpoint = "equipo/catalogo/orden")]
pub async fn move_catalogue_entry(
    kind: String,
    id: String,
    direction: String,
) -> Result<(), AppError> {
    session::as_role(&Role::MANAGERS, |state, user| async move {
        let direction = Direction::from_code(&direction)
            .ok_or_else(|| AppError::validation("Elija subir o bajar."))?;
        admin::move_entry(&state, &user, self::kind(&kind)?, &id, direction).await
    })
    .await
}

/// Creates an area (no `id`) or renames one.
#[server(endpoint = "equipo/catalogo/area")]
pub async fn save_area(id: Option<String>, name: String) -> Result<String, AppError> {
    session::as_role(&Role::MANAGERS, |state, user| async move {
        areas::save(&state, &user, id.as_deref().unwrap_or_default(), &name).await
    })
    .await
}

/// Adds a staff member to an area (`member` = "si") or takes them out ("no").
#[server(endpoint = "equipo/catalogo/area/miembro")]
pub async fn set_area_member(
    area_id: String,
    user_id: String,
    member: String,
) -> Result<(), AppError> {
    session::as_role(&Role::MANAGERS, |state, user| async move {
        areas::set_member(&state, &user, &area_id, &user_id, member == "si").await
    })
    .await
}
