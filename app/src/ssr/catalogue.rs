//! The category catalogue (seed 001 §5) and the areas of the escalation matrix (seed 002),
//! as other systems read them (issue 7).

use sqlx::Row;

use super::db::internal;
use crate::error::AppError;

pub struct Category {
    pub id: String,
    pub name: String,
    pub description: String,
    /// The area that usually handles it.
    pub area_id: Option<String>,
}

pub struct Area {
    pub id: String,
    pub name: String,
}

pub async fn categories(pool: &sqlx::AnyPool) -> Result<Vec<Category>, AppError> {
    Ok(
        sqlx::query("SELECT id, name, description, area_id FROM categories ORDER BY position")
            .fetch_all(pool)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|row| Category {
                id: row.get("id"),
                name: row.get("name"),
                description: row.get("description"),
                area_id: row.get("area_id"),
            })
            .collect(),
    )
}

pub async fn areas(pool: &sqlx::AnyPool) -> Result<Vec<Area>, AppError> {
    Ok(sqlx::query("SELECT id, name FROM areas ORDER BY name")
        .fetch_all(pool)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|row| Area {
            id: row.get("id"),
            name: row.get("name"),
        })
        .collect())
}
