//! The category catalogue (seed 001 §5) and the areas of the escalation matrix (seed 002),
//! as other systems read them (REST API requirement).

use sqlx::Row;

use crate::error::AppError;

pub struct Category {
    pub id: String,
    pub name: String,
    pub description: String,
    /// The area that usually handles it.
    pub area_id: Option<String>,
    /// Offered for new requests; an inactive one is still named by the requests filed under it.
    pub active: bool,
}

pub struct Area {
    pub id: String,
    pub name: String,
}

/// Every category, inactive ones included (reports still meet them on older requests).
pub async fn categories(pool: &sqlx::AnyPool) -> Result<Vec<Category>, AppError> {
    Ok(sqlx::query(
        "SELECT id, name, description, area_id, active FROM categories ORDER BY position, name",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| Category {
        id: row.get("id"),
        name: row.get("name"),
        description: row.get("description"),
        area_id: row.get("area_id"),
        active: row.get::<i64, _>("active") == 1,
    })
    .collect())
}

pub async fn areas(pool: &sqlx::AnyPool) -> Result<Vec<Area>, AppError> {
    Ok(sqlx::query("SELECT id, name FROM areas ORDER BY name")
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|row| Area {
            id: row.get("id"),
            name: row.get("name"),
        })
        .collect())
}
