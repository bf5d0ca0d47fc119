//! The attention profiles of the detractor desk (seed 003 §4 step 2: "Se genera la
//! asignación a los asesores de acuerdo con el número de registros y el perfil de atención
//! con el que cuentan"). A profile is the set of segments an asesor attends — an operation
//! may keep its business-customer callers apart from its household ones. An asesor without
//! a profile attends every segment, so a fresh install assigns by load alone.
//!
//! Supervisors and admins set profiles; [`crate::detractors::server::cases::insert_case`] reads them.

use serde_json::json;
use sqlx::Row;
use ventanilla::role::Role;

use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::state::AppState;
use crate::{
    accounts::model::SessionUser,
    detractors::model::{AgentProfile, RecoveryProfiles},
};

fn require_supervisor(user: &SessionUser) -> Result<(), AppError> {
    if matches!(user.role, Role::Supervisor | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Every active asesor with the segments they attend and their open cases, and the desk's
/// segments to choose from.
pub async fn list(state: &AppState, user: &SessionUser) -> Result<RecoveryProfiles, AppError> {
    require_supervisor(user)?;
    let rows = sqlx::query(
        "SELECT u.id, u.full_name, \
         (SELECT COUNT(*) FROM recovery_cases c WHERE c.assignee_id = u.id AND c.status = 'abierto') AS open_cases \
         FROM users u WHERE u.role = $1 AND u.active = 1 ORDER BY u.full_name, u.id",
    )
    .bind(Role::Asesor.code())
    .fetch_all(&state.pool)
    .await?;
    let chosen = sqlx::query(
        "SELECT g.user_id, g.segment FROM agent_segments g JOIN users u ON u.id = g.user_id \
         WHERE u.role = $1 ORDER BY g.segment",
    )
    .bind(Role::Asesor.code())
    .fetch_all(&state.pool)
    .await?;
    let agents = rows
        .iter()
        .map(|row| {
            let id: String = row.get("id");
            let segments = chosen
                .iter()
                .filter(|c| c.get::<String, _>("user_id") == id)
                .map(|c| c.get::<String, _>("segment"))
                .collect();
            AgentProfile {
                name: row.get("full_name"),
                open_cases: row.get("open_cases"),
                segments,
                id,
            }
        })
        .collect();
    Ok(RecoveryProfiles {
        segments: state.config.surveys.segments.clone(),
        agents,
    })
}

/// Replaces the segments `agent_id` attends; none means every segment. Cases already
/// assigned stay where they are: the profile steers the next assignments.
pub async fn set(
    state: &AppState,
    user: &SessionUser,
    agent_id: &str,
    segments: &[String],
) -> Result<(), AppError> {
    require_supervisor(user)?;
    let known = &state.config.surveys.segments;
    let mut chosen: Vec<&str> = Vec::new();
    for segment in segments.iter().map(|s| s.trim()) {
        if !known.iter().any(|k| k == segment) {
            return Err(AppError::validation(format!(
                "El segmento «{segment}» no existe. Los segmentos son: {}.",
                known.join(", ")
            )));
        }
        if !chosen.contains(&segment) {
            chosen.push(segment);
        }
    }
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let agent =
        sqlx::query("SELECT full_name FROM users WHERE id = $1 AND role = $2 AND active = 1")
            .bind(agent_id)
            .bind(Role::Asesor.code())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                AppError::validation(
                    "Elija un asesor activo: solo los asesores atienden detractores.",
                )
            })?;
    sqlx::query("DELETE FROM agent_segments WHERE user_id = $1")
        .bind(agent_id)
        .execute(&mut *tx)
        .await?;
    for segment in &chosen {
        sqlx::query("INSERT INTO agent_segments (user_id, segment) VALUES ($1, $2)")
            .bind(agent_id)
            .bind(*segment)
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "perfil_detractores_actualizado",
        "user",
        agent_id,
        json!({ "asesor": agent.get::<String, _>("full_name"), "segmentos": chosen }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
