//! Keeping the typification catalogue (agent-workspace requirement): the categories customers file under (seed
//! 001 §5, "catálogo de solicitudes"), each with the area it escalates to (seed 002, "matriz
//! de escalamiento"), the subcategories that refine each category and the causes agents
//! typify with (seed 002, "tipificación"). A fresh install has none of them, so without this
//! page agents could not typify and customers could not pick a category.
//!
//! Entries are never deleted: requests name them by id, and their pages, the history and the
//! reports keep showing those names. Deactivating takes an entry out of the pickers for new
//! filings and typifications only. Names are unique within their parent (categories and
//! causes in the whole catalogue, subcategories within their category), ignoring case, so
//! "Facturación" and "facturación" do not sit side by side in a picker.

use serde_json::json;
use sqlx::Row;
use ventanilla::role::Role;

use crate::error::AppError;
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, on_constraint};
use crate::state::AppState;
use crate::{
    accounts::model::SessionUser,
    catalogue::model::{CatalogueAdmin, CatalogueEntry, CategoryEntry},
    ui::choice::Choice,
};

/// Longest name a picker shows well on a phone.
const MAX_NAME: usize = 120;
/// The hint under the category in the filing form.
const MAX_DESCRIPTION: usize = 300;

/// Who keeps the catalogue: the head of customer service (who also keeps the plantillas and
/// decides the escalation matrix) and admins. Agents use it; they do not change it.
pub fn can_manage(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Admin)
}

/// The three lists of the catalogue; the page and the server functions name them by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Category,
    Subcategory,
    Cause,
}

impl Kind {
    pub fn from_code(code: &str) -> Option<Kind> {
        match code {
            "categoria" => Some(Kind::Category),
            "subcategoria" => Some(Kind::Subcategory),
            "causa" => Some(Kind::Cause),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Kind::Category => "categoria",
            Kind::Subcategory => "subcategoria",
            Kind::Cause => "causa",
        }
    }

    /// A fixed table name, never user input, so it may be spliced into the SQL.
    fn table(self) -> &'static str {
        match self {
            Kind::Category => "categories",
            Kind::Subcategory => "subcategories",
            Kind::Cause => "causes",
        }
    }

    /// The column naming the parent whose entries are ordered and named together.
    fn parent_column(self) -> Option<&'static str> {
        match self {
            Kind::Subcategory => Some("category_id"),
            Kind::Category | Kind::Cause => None,
        }
    }

    /// "la categoría", for messages.
    fn the(self) -> &'static str {
        match self {
            Kind::Category => "la categoría",
            Kind::Subcategory => "la subcategoría",
            Kind::Cause => "la causa",
        }
    }

    /// "una categoría", for messages.
    fn a(self) -> &'static str {
        match self {
            Kind::Category => "una categoría",
            Kind::Subcategory => "una subcategoría",
            Kind::Cause => "una causa",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            Kind::Category => "category",
            Kind::Subcategory => "subcategory",
            Kind::Cause => "cause",
        }
    }
}

/// Up or down one place in the list the pickers show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn from_code(code: &str) -> Option<Direction> {
        match code {
            "subir" => Some(Direction::Up),
            "bajar" => Some(Direction::Down),
            _ => None,
        }
    }
}

fn require(user: &SessionUser) -> Result<(), AppError> {
    if can_manage(user.role) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A trimmed name of 1 to [`MAX_NAME`] characters, or the message that says what to fix.
pub fn clean_name(kind_label: &str, name: &str) -> Result<String, AppError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AppError::validation(format!(
            "Escriba el nombre de {kind_label}."
        )));
    }
    if name.chars().count() > MAX_NAME {
        return Err(AppError::validation(format!(
            "El nombre de {kind_label} admite hasta {MAX_NAME} caracteres."
        )));
    }
    Ok(name)
}

fn entry(row: &sqlx::any::AnyRow) -> CatalogueEntry {
    CatalogueEntry {
        id: row.get("id"),
        name: row.get("name"),
        active: row.get::<i64, _>("active") == 1,
    }
}

/// The whole catalogue, inactive entries included, the areas with their members, and the
/// staff who can be made members.
pub async fn overview(state: &AppState, user: &SessionUser) -> Result<CatalogueAdmin, AppError> {
    require(user)?;
    let pool = &state.pool;
    let subcategories = sqlx::query(
        "SELECT id, category_id, name, active FROM subcategories ORDER BY position, name",
    )
    .fetch_all(pool)
    .await?;
    let categories = sqlx::query(
        "SELECT c.id, c.name, c.description, c.area_id, a.name AS area_name, c.active \
         FROM categories c LEFT JOIN areas a ON a.id = c.area_id ORDER BY c.position, c.name",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| {
        let id: String = row.get("id");
        CategoryEntry {
            subcategories: subcategories
                .iter()
                .filter(|s| s.get::<String, _>("category_id") == id)
                .map(entry)
                .collect(),
            id,
            name: row.get("name"),
            description: row.get("description"),
            area_id: row.get("area_id"),
            area_name: row.get("area_name"),
            active: row.get::<i64, _>("active") == 1,
        }
    })
    .collect();
    let causes = sqlx::query("SELECT id, name, active FROM causes ORDER BY position, name")
        .fetch_all(pool)
        .await?
        .iter()
        .map(entry)
        .collect();
    let areas = crate::catalogue::server::areas::list(pool).await?;
    let staff = sqlx::query(
        "SELECT id, full_name, role FROM users WHERE role <> 'cliente' AND active = 1 ORDER BY full_name, id",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| Choice::new(row.get::<String, _>("id"), crate::catalogue::server::areas::member_label(&row)))
    .collect();
    Ok(CatalogueAdmin {
        categories,
        causes,
        areas,
        staff,
    })
}

/// Refuses a name already used by another entry of the same parent, ignoring case; an
/// inactive one is named as such, since reactivating it is what the person wants. Compared
/// in Rust: SQLite's `LOWER` folds ASCII only, and "Ñ" must match "ñ" on both engines.
async fn refuse_duplicate(
    tx: &mut crate::platform::db::Tx,
    kind: Kind,
    parent: Option<&str>,
    name: &str,
    except_id: &str,
) -> Result<(), AppError> {
    let table = kind.table();
    let sql = match kind.parent_column() {
        Some(column) => {
            format!("SELECT name, active FROM {table} WHERE id <> $1 AND {column} = $2")
        }
        None => format!("SELECT name, active FROM {table} WHERE id <> $1"),
    };
    let mut query = sqlx::query(&sql).bind(except_id);
    if let Some(parent) = parent {
        query = query.bind(parent);
    }
    let wanted = name.to_lowercase();
    let found = query
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .find(|row| row.get::<String, _>("name").to_lowercase() == wanted);
    match found {
        Some(row) => Err(duplicate(
            kind,
            &row.get::<String, _>("name"),
            row.get::<i64, _>("active") == 1,
        )),
        None => Ok(()),
    }
}

fn duplicate(kind: Kind, name: &str, active: bool) -> AppError {
    let place = if kind == Kind::Subcategory {
        " en esta categoría"
    } else {
        ""
    };
    let hint = if active {
        ""
    } else {
        " (está inactiva: actívela en lugar de crear otra)"
    };
    AppError::Conflict(format!(
        "Ya existe {} llamada «{name}»{place}{hint}.",
        kind.a()
    ))
}

/// A unique violation that slipped past the check (two people saving at once) is the same
/// refusal, never a 500.
fn write_error(kind: Kind, name: &str) -> impl Fn(sqlx::Error) -> AppError + '_ {
    move |err| on_constraint(err, |_| Some(duplicate(kind, name, true)))
}

/// The next position at the end of a list.
async fn next_position(
    tx: &mut crate::platform::db::Tx,
    kind: Kind,
    parent: Option<&str>,
) -> Result<i64, AppError> {
    let table = kind.table();
    let sql = match kind.parent_column() {
        Some(column) => {
            format!("SELECT COALESCE(MAX(position), 0) AS last FROM {table} WHERE {column} = $1")
        }
        None => format!("SELECT COALESCE(MAX(position), 0) AS last FROM {table}"),
    };
    let mut query = sqlx::query(&sql);
    if let Some(parent) = parent {
        query = query.bind(parent);
    }
    let last: i64 = query.fetch_one(&mut **tx).await?.get("last");
    Ok(last + 1)
}

/// Staff pages read the catalogue when they load; an event makes the open ones (the
/// typification form, the queue filters) load it again. Only staff receive it: it names no
/// customer account.
async fn announce(state: &AppState) {
    state.live.publish(Scope::Staff, LiveChange::Catalogo).await;
}

/// Creates (`id` empty) or edits a category: name, the hint customers read under it in the
/// filing form, and the area it escalates to (optional).
pub async fn save_category(
    state: &AppState,
    user: &SessionUser,
    id: &str,
    name: &str,
    description: &str,
    area_id: &str,
) -> Result<String, AppError> {
    require(user)?;
    let kind = Kind::Category;
    let name = clean_name(kind.the(), name)?;
    let description = description.split_whitespace().collect::<Vec<_>>().join(" ");
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(AppError::validation(format!(
            "La descripción de la categoría admite hasta {MAX_DESCRIPTION} caracteres."
        )));
    }
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let area = match area_id.trim() {
        "" => None,
        area_id => Some(
            sqlx::query("SELECT id, name FROM areas WHERE id = $1")
                .bind(area_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| AppError::validation("Elija un área de la lista."))?,
        ),
    };
    let area_id: Option<String> = area.as_ref().map(|a| a.get("id"));
    let area_name: Option<String> = area.as_ref().map(|a| a.get("name"));
    refuse_duplicate(&mut tx, kind, None, &name, id).await?;
    let actor = Actor::user(&user.id, &user.full_name);
    let detail = json!({ "name": name, "description": description, "area": area_name });
    let id = if id.is_empty() {
        let id = new_id();
        let position = next_position(&mut tx, kind, None).await?;
        sqlx::query(
            "INSERT INTO categories (id, name, description, area_id, position, active) \
             VALUES ($1, $2, $3, $4, $5, 1)",
        )
        .bind(&id)
        .bind(&name)
        .bind(&description)
        .bind(area_id.as_deref())
        .bind(position)
        .execute(&mut *tx)
        .await
        .map_err(write_error(kind, &name))?;
        audit::record(
            &mut tx,
            &actor,
            "categoria_creada",
            kind.entity(),
            &id,
            detail,
        )
        .await?;
        id
    } else {
        let changed = sqlx::query(
            "UPDATE categories SET name = $1, description = $2, area_id = $3 WHERE id = $4",
        )
        .bind(&name)
        .bind(&description)
        .bind(area_id.as_deref())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(write_error(kind, &name))?;
        if changed.rows_affected() == 0 {
            return Err(AppError::NotFound);
        }
        audit::record(
            &mut tx,
            &actor,
            "categoria_editada",
            kind.entity(),
            id,
            detail,
        )
        .await?;
        id.to_string()
    };
    tx.commit().await?;
    announce(state).await;
    Ok(id)
}

/// Creates (`id` empty) or renames a subcategory of `category_id`, or renames a cause
/// (`kind` Cause, `category_id` ignored).
pub async fn save_entry(
    state: &AppState,
    user: &SessionUser,
    kind: Kind,
    category_id: &str,
    id: &str,
    name: &str,
) -> Result<String, AppError> {
    require(user)?;
    if kind == Kind::Category {
        return Err(AppError::validation("Use el formulario de categorías."));
    }
    let name = clean_name(kind.the(), name)?;
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    // A subcategory's parent: the one it already has when renaming, the chosen one when new.
    let parent = match kind {
        Kind::Subcategory if id.is_empty() => Some(
            sqlx::query("SELECT id, name FROM categories WHERE id = $1")
                .bind(category_id.trim())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| AppError::validation("Elija una categoría de la lista."))?,
        ),
        Kind::Subcategory => Some(
            sqlx::query(
                "SELECT c.id, c.name FROM subcategories s JOIN categories c ON c.id = s.category_id \
                 WHERE s.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?,
        ),
        _ => None,
    };
    let parent_id: Option<String> = parent.as_ref().map(|p| p.get("id"));
    let parent_name: Option<String> = parent.as_ref().map(|p| p.get("name"));
    refuse_duplicate(&mut tx, kind, parent_id.as_deref(), &name, id).await?;
    let actor = Actor::user(&user.id, &user.full_name);
    let detail = json!({ "name": name, "category": parent_name });
    let table = kind.table();
    let id = if id.is_empty() {
        let id = new_id();
        let position = next_position(&mut tx, kind, parent_id.as_deref()).await?;
        match &parent_id {
            Some(parent) => sqlx::query(
                "INSERT INTO subcategories (id, category_id, name, position, active) VALUES ($1, $2, $3, $4, 1)",
            )
            .bind(&id)
            .bind(parent)
            .bind(&name)
            .bind(position),
            None => sqlx::query(
                "INSERT INTO causes (id, name, position, active) VALUES ($1, $2, $3, 1)",
            )
            .bind(&id)
            .bind(&name)
            .bind(position),
        }
        .execute(&mut *tx)
        .await
        .map_err(write_error(kind, &name))?;
        let action = format!("{}_creada", kind.code());
        audit::record(&mut tx, &actor, &action, kind.entity(), &id, detail).await?;
        id
    } else {
        let changed = sqlx::query(&format!("UPDATE {table} SET name = $1 WHERE id = $2"))
            .bind(&name)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(write_error(kind, &name))?;
        if changed.rows_affected() == 0 {
            return Err(AppError::NotFound);
        }
        let action = format!("{}_renombrada", kind.code());
        audit::record(&mut tx, &actor, &action, kind.entity(), id, detail).await?;
        id.to_string()
    };
    tx.commit().await?;
    announce(state).await;
    Ok(id)
}

/// Deactivates or reactivates an entry. Requests that already name it keep it; new filings
/// and typifications no longer offer it.
pub async fn set_active(
    state: &AppState,
    user: &SessionUser,
    kind: Kind,
    id: &str,
    active: bool,
) -> Result<(), AppError> {
    require(user)?;
    let table = kind.table();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let found = sqlx::query(&format!("SELECT name FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    sqlx::query(&format!("UPDATE {table} SET active = $1 WHERE id = $2"))
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let action = format!(
        "{}_{}",
        kind.code(),
        if active { "activada" } else { "desactivada" }
    );
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        &action,
        kind.entity(),
        id,
        json!({ "name": found.get::<String, _>("name") }),
    )
    .await?;
    tx.commit().await?;
    announce(state).await;
    Ok(())
}

/// Moves an entry one place up or down among its siblings (the order the pickers show). The
/// whole list is renumbered 1..n, so positions left equal by older data stop being ties.
/// At the top (or bottom) already: nothing changes and that is not an error.
pub async fn move_entry(
    state: &AppState,
    user: &SessionUser,
    kind: Kind,
    id: &str,
    direction: Direction,
) -> Result<(), AppError> {
    require(user)?;
    let table = kind.table();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let parent: Option<String> = match kind.parent_column() {
        Some(column) => Some(
            sqlx::query(&format!(
                "SELECT {column} AS parent FROM {table} WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?
            .get("parent"),
        ),
        None => None,
    };
    let sql = match kind.parent_column() {
        Some(column) => {
            format!("SELECT id, name FROM {table} WHERE {column} = $1 ORDER BY position, name, id")
        }
        None => format!("SELECT id, name FROM {table} ORDER BY position, name, id"),
    };
    let mut query = sqlx::query(&sql);
    if let Some(parent) = &parent {
        query = query.bind(parent);
    }
    let mut order: Vec<(String, String)> = query
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|row| (row.get("id"), row.get("name")))
        .collect();
    let index = order
        .iter()
        .position(|(entry, _)| entry == id)
        .ok_or(AppError::NotFound)?;
    let other = match direction {
        Direction::Up => index.checked_sub(1),
        Direction::Down => Some(index + 1).filter(|i| *i < order.len()),
    };
    let Some(other) = other else {
        return Ok(());
    };
    order.swap(index, other);
    for (position, (entry, _)) in order.iter().enumerate() {
        sqlx::query(&format!("UPDATE {table} SET position = $1 WHERE id = $2"))
            .bind(position as i64 + 1)
            .bind(entry)
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        &format!("{}_reordenada", kind.code()),
        kind.entity(),
        id,
        json!({ "name": order[other].1, "position": other + 1 }),
    )
    .await?;
    tx.commit().await?;
    announce(state).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            clean_name("la causa", "  Error   de facturación ").unwrap(),
            "Error de facturación"
        );
        assert_eq!(
            clean_name("la causa", "   ").unwrap_err().to_string(),
            "Escriba el nombre de la causa."
        );
        assert!(clean_name("la causa", &"x".repeat(MAX_NAME + 1)).is_err());
    }

    #[test]
    fn only_supervisors_and_admins_manage() {
        for role in Role::ALL {
            assert_eq!(
                can_manage(role),
                matches!(role, Role::Supervisor | Role::Admin),
                "{role:?}"
            );
        }
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [Kind::Category, Kind::Subcategory, Kind::Cause] {
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(Kind::from_code("area"), None);
    }
}
