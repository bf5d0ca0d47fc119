//! Typification (seed 002 "tipificación"; agent-workspace requirement): the agent files the request under a
//! category of the catalogue, one of that category's subcategories, and the cause that
//! produced it, so the indicators and the monthly report can group requests by what they
//! were really about — not only by what the customer picked when filing.

use chrono::Utc;
use serde_json::json;
use sqlx::Row;
use ventanilla::role::Role;

use crate::error::AppError;
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::state::AppState;
use crate::{
    accounts::model::SessionUser, ui::choice::Choice, workspace::model::TypificationOptions,
};

/// Who typifies: the people who work the request (agents and the supervisor).
pub fn may_typify(role: Role) -> bool {
    matches!(role, Role::Asesor | Role::Supervisor)
}

/// The active catalogue (a deactivated entry is not offered for new typifications), with the
/// request's current values preselected.
pub async fn options(state: &AppState, request_id: &str) -> Result<TypificationOptions, AppError> {
    let choices = |rows: Vec<sqlx::any::AnyRow>| -> Vec<Choice> {
        rows.into_iter()
            .map(|r| Choice::new(r.get::<String, _>("id"), r.get::<String, _>("name")))
            .collect()
    };
    let categories =
        sqlx::query("SELECT id, name FROM categories WHERE active = 1 ORDER BY position, name")
            .fetch_all(&state.pool)
            .await?;
    let subcategories = sqlx::query(
        "SELECT s.id, s.name, s.category_id FROM subcategories s JOIN categories c ON c.id = s.category_id \
         WHERE s.active = 1 AND c.active = 1 ORDER BY c.position, s.position, s.name",
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| {
        (
            r.get::<String, _>("category_id"),
            Choice::new(r.get::<String, _>("id"), r.get::<String, _>("name")),
        )
    })
    .collect();
    let causes =
        sqlx::query("SELECT id, name FROM causes WHERE active = 1 ORDER BY position, name")
            .fetch_all(&state.pool)
            .await?;
    let current =
        sqlx::query("SELECT category_id, subcategory_id, cause_id FROM requests WHERE id = $1")
            .bind(request_id)
            .fetch_one(&state.pool)
            .await?;
    Ok(TypificationOptions {
        categories: choices(categories),
        subcategories,
        causes: choices(causes),
        category_id: current.get("category_id"),
        subcategory_id: current.get("subcategory_id"),
        cause_id: current.get("cause_id"),
    })
}

/// "Facturación › Cobro no reconocido · Causa: Error de facturación", once typified.
pub async fn describe(state: &AppState, request_id: &str) -> Result<Option<String>, AppError> {
    Ok(sqlx::query(
        "SELECT c.name AS category, s.name AS subcategory, k.name AS cause FROM requests r \
         JOIN categories c ON c.id = r.category_id JOIN subcategories s ON s.id = r.subcategory_id \
         JOIN causes k ON k.id = r.cause_id WHERE r.id = $1",
    )
    .bind(request_id)
    .fetch_optional(&state.pool)
    .await?
    .map(|r| {
        format!(
            "{} › {} · Causa: {}",
            r.get::<String, _>("category"),
            r.get::<String, _>("subcategory"),
            r.get::<String, _>("cause")
        )
    }))
}

/// Typifies the request. Only active entries are accepted, and the subcategory must belong to
/// the category; a wrong combination is refused in words and nothing changes. Typifying again corrects the previous one (the
/// history keeps both).
pub async fn typify(
    state: &AppState,
    user: &SessionUser,
    radicado: &str,
    category_id: &str,
    subcategory_id: &str,
    cause_id: &str,
) -> Result<(), AppError> {
    if !may_typify(user.role) {
        return Err(AppError::Forbidden);
    }
    let reached = crate::requests::server::reach::require_actor(state, user, radicado).await?;
    let request_id = reached.id.clone();
    let category = sqlx::query("SELECT name FROM categories WHERE id = $1 AND active = 1")
        .bind(category_id.trim())
        .fetch_optional(&state.pool)
        .await?
        .ok_or_else(|| AppError::validation("Elija una categoría de la lista."))?;
    let subcategory =
        sqlx::query("SELECT name, category_id FROM subcategories WHERE id = $1 AND active = 1")
            .bind(subcategory_id.trim())
            .fetch_optional(&state.pool)
            .await?
            .ok_or_else(|| AppError::validation("Elija una subcategoría de la lista."))?;
    let category_name: String = category.get("name");
    let subcategory_name: String = subcategory.get("name");
    if subcategory.get::<String, _>("category_id") != category_id.trim() {
        return Err(AppError::validation(format!(
            "La subcategoría «{subcategory_name}» no pertenece a la categoría «{category_name}»."
        )));
    }
    let cause = sqlx::query("SELECT name FROM causes WHERE id = $1 AND active = 1")
        .bind(cause_id.trim())
        .fetch_optional(&state.pool)
        .await?
        .ok_or_else(|| AppError::validation("Elija una causa de la lista."))?;
    let cause_name: String = cause.get("name");
    let now = Utc::now().timestamp();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    crate::requests::server::lifecycle::load(&mut tx, &request_id).await?;
    sqlx::query(
        "UPDATE requests SET category_id = $1, subcategory_id = $2, cause_id = $3, typified_at = $4, \
         updated_at = $4 WHERE id = $5",
    )
    .bind(category_id.trim())
    .bind(subcategory_id.trim())
    .bind(cause_id.trim())
    .bind(now)
    .bind(&request_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "tipificada",
        "request",
        &request_id,
        json!({
            "category": category_name,
            "subcategory": subcategory_name,
            "cause": cause_name,
        }),
    )
    .await?;
    tx.commit().await?;
    state
        .live
        .publish(
            Scope::request(radicado, &reached.account_id),
            LiveChange::Tipificacion,
        )
        .await;
    Ok(())
}
