//! The areas of the escalation matrix and who answers for each (seed 002 §5.2.9–5.2.10: the
//! agent escalates to the responsible area, whose official investigates and answers the
//! agent; seed 004: "escalar al área responsable"). An area's members see its requests in
//! "Mi área" and may answer them as the area; without members an escalation reaches nobody,
//! so the catalogue page keeps both.
//!
//! Areas are never deleted (requests keep the area they were escalated to); a member can be
//! taken out of an area at any time, since membership is read when the queue is shown.

use serde_json::json;
use sqlx::Row;
use ventanilla::role::Role;

use crate::catalogue::server::admin::{can_manage, clean_name};
use crate::error::AppError;
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, on_constraint};
use crate::state::AppState;
use crate::{accounts::model::SessionUser, catalogue::model::AreaEntry, ui::choice::Choice};

/// "Laura Gómez — Especialista", so the member picker says who does what.
pub fn member_label(row: &sqlx::any::AnyRow) -> String {
    let role = Role::from_code(&row.get::<String, _>("role"))
        .map(|r| r.label_es())
        .unwrap_or_default();
    format!("{} — {role}", row.get::<String, _>("full_name"))
}

/// Every area with its members, by name.
pub async fn list(pool: &sqlx::AnyPool) -> Result<Vec<AreaEntry>, AppError> {
    let members = sqlx::query(
        "SELECT m.area_id, u.id, u.full_name, u.role FROM area_members m JOIN users u ON u.id = m.user_id \
         ORDER BY u.full_name, u.id",
    )
    .fetch_all(pool)
    .await?;
    Ok(sqlx::query("SELECT id, name FROM areas ORDER BY name, id")
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|row| {
            let id: String = row.get("id");
            AreaEntry {
                members: members
                    .iter()
                    .filter(|m| m.get::<String, _>("area_id") == id)
                    .map(|m| Choice::new(m.get::<String, _>("id"), member_label(m)))
                    .collect(),
                id,
                name: row.get("name"),
            }
        })
        .collect())
}

fn duplicate(name: &str) -> AppError {
    AppError::Conflict(format!("Ya existe un área llamada «{name}»."))
}

/// Creates (`id` empty) or renames an area. Names are unique ignoring case.
pub async fn save(
    state: &AppState,
    user: &SessionUser,
    id: &str,
    name: &str,
) -> Result<String, AppError> {
    if !can_manage(user.role) {
        return Err(AppError::Forbidden);
    }
    let name = clean_name("el área", name)?;
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    // Compared in Rust: SQLite's LOWER folds ASCII only ("Logística" vs "LOGÍSTICA").
    let wanted = name.to_lowercase();
    if let Some(found) = sqlx::query("SELECT name FROM areas WHERE id <> $1")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|row| row.get::<String, _>("name"))
        .find(|existing| existing.to_lowercase() == wanted)
    {
        return Err(duplicate(&found));
    }
    let unique = |err: sqlx::Error| on_constraint(err, |_| Some(duplicate(&name)));
    let actor = Actor::user(&user.id, &user.full_name);
    let id = if id.is_empty() {
        let id = new_id();
        sqlx::query("INSERT INTO areas (id, name) VALUES ($1, $2)")
            .bind(&id)
            .bind(&name)
            .execute(&mut *tx)
            .await
            .map_err(unique)?;
        audit::record(
            &mut tx,
            &actor,
            "area_creada",
            "area",
            &id,
            json!({ "name": name }),
        )
        .await?;
        id
    } else {
        let changed = sqlx::query("UPDATE areas SET name = $1 WHERE id = $2")
            .bind(&name)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(unique)?;
        if changed.rows_affected() == 0 {
            return Err(AppError::NotFound);
        }
        audit::record(
            &mut tx,
            &actor,
            "area_renombrada",
            "area",
            id,
            json!({ "name": name }),
        )
        .await?;
        id.to_string()
    };
    tx.commit().await?;
    state.live.publish(Scope::Staff, LiveChange::Catalogo).await;
    Ok(id)
}

/// Adds `member_id` to the area (`member` true) or takes them out. Only active staff can be
/// members: a customer must never see another account's requests through "Mi área".
pub async fn set_member(
    state: &AppState,
    user: &SessionUser,
    area_id: &str,
    member_id: &str,
    member: bool,
) -> Result<(), AppError> {
    if !can_manage(user.role) {
        return Err(AppError::Forbidden);
    }
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let area: String = sqlx::query("SELECT name FROM areas WHERE id = $1")
        .bind(area_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?
        .get("name");
    let person = sqlx::query("SELECT full_name, role, active FROM users WHERE id = $1")
        .bind(member_id.trim())
        .fetch_optional(&mut *tx)
        .await?;
    let person: String = match person {
        Some(row)
            if row.get::<String, _>("role") != Role::Cliente.code()
                && (row.get::<i64, _>("active") == 1 || !member) =>
        {
            row.get("full_name")
        }
        _ => {
            return Err(AppError::validation(
                "Elija a una persona del equipo de la lista.",
            ))
        }
    };
    let already = sqlx::query("SELECT 1 FROM area_members WHERE area_id = $1 AND user_id = $2")
        .bind(area_id)
        .bind(member_id.trim())
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if already == member {
        return Err(AppError::validation(if member {
            format!("{person} ya es miembro del área {area}.")
        } else {
            format!("{person} no es miembro del área {area}.")
        }));
    }
    let statement = if member {
        "INSERT INTO area_members (area_id, user_id) VALUES ($1, $2)"
    } else {
        "DELETE FROM area_members WHERE area_id = $1 AND user_id = $2"
    };
    sqlx::query(statement)
        .bind(area_id)
        .bind(member_id.trim())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        if member {
            "area_miembro_agregado"
        } else {
            "area_miembro_retirado"
        },
        "area",
        area_id,
        json!({ "member": person, "member_id": member_id.trim() }),
    )
    .await?;
    tx.commit().await?;
    state.live.publish(Scope::Staff, LiveChange::Catalogo).await;
    Ok(())
}
