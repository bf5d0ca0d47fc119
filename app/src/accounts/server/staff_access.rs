//! An admin switches a staff member's access off and on, and sends them a link to set their
//! password (seed 001 §5.1: "asignación / bloqueo de usuarios"; issue 19).
//!
//! Switching off is immediate and keeps the history: the person's sessions end in the same
//! transaction (their open pages get "Debe iniciar sesión" on the next call), their open
//! requests go back to *Sin asignar* so no customer waits on someone who left, and the
//! person stays in every audit event, message and access log they appear in. Signing in
//! afterwards says the access is off — but only to someone who knows the password, so the
//! message tells an outsider nothing.

use serde_json::json;
use sqlx::Row;
use ventanilla::lifecycle::RequestState;
use ventanilla::role::Role;

use crate::accounts::model::SessionUser;
use crate::accounts::server::password_links::{self, Purpose};
use crate::error::AppError;
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::platform::db::now;
use crate::state::AppState;

/// What a deactivated person reads when they sign in with the right password.
pub const ACCESS_OFF: &str =
    "Su acceso a Ventanilla está desactivado. Si cree que es un error, comuníquese con el administrador.";

/// What a customer whose web access staff blocked reads when they sign in with the right
/// password (`customers::server::web_access`).
pub const PORTAL_BLOCKED: &str = "El acceso de su cuenta al portal está bloqueado. Comuníquese con nuestra línea de atención al cliente.";

/// The sentence for a switched-off person with the role `role_code`: customers are blocked
/// from the portal, staff have their access off.
pub fn switched_off_message(role_code: &str) -> &'static str {
    if role_code == Role::Cliente.code() {
        PORTAL_BLOCKED
    } else {
        ACCESS_OFF
    }
}

/// A staff member as this module needs them.
struct Member {
    full_name: String,
    email: String,
    role: Role,
    active: bool,
}

async fn member(tx: &mut crate::platform::db::Tx, user_id: &str) -> Result<Member, AppError> {
    let row = sqlx::query(
        "SELECT full_name, email, role, active FROM users WHERE id = $1 AND account_id IS NULL",
    )
    .bind(user_id.trim())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Member {
        full_name: row.get("full_name"),
        email: row.get("email"),
        role: Role::from_code(&row.get::<String, _>("role")).ok_or(AppError::Internal)?,
        active: row.get::<i64, _>("active") == 1,
    })
}

/// Sends every answer of `user_id` to quality review (`all`), or back to the ANS's share:
/// for a new asesor, whose answers the seed's minimum would check only in part (seed 002
/// §4 "por lo menos el 50 %"). Audited; returns what happened, in words.
pub async fn set_review_all(
    state: &AppState,
    admin: &SessionUser,
    user_id: &str,
    all: bool,
) -> Result<String, AppError> {
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let target = member(&mut tx, user_id).await?;
    let changed = sqlx::query(
        "UPDATE users SET review_all = $1 WHERE id = $2 AND account_id IS NULL AND review_all <> $1",
    )
    .bind(i64::from(all))
    .bind(user_id.trim())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::Conflict(format!(
            "{} ya tenía esa revisión de calidad.",
            target.full_name
        )));
    }
    audit::record(
        &mut tx,
        &Actor::user(&admin.id, &admin.full_name),
        "revision_de_calidad_cambiada",
        "user",
        user_id.trim(),
        json!({ "review_all": all }),
    )
    .await?;
    tx.commit().await?;
    Ok(if all {
        format!(
            "Todas las respuestas de {} irán a revisión de calidad.",
            target.full_name
        )
    } else {
        format!(
            "Las respuestas de {} vuelven a la muestra de revisión del ANS.",
            target.full_name
        )
    })
}

/// Switches `user_id`'s access off (`active` false, with the reason) or back on. Returns how
/// many open requests went back to *Sin asignar*.
pub async fn set_active(
    state: &AppState,
    admin: &SessionUser,
    user_id: &str,
    active: bool,
    reason: &str,
) -> Result<u64, AppError> {
    let reason = reason.trim();
    if !active && !(5..=500).contains(&reason.chars().count()) {
        return Err(AppError::validation(
            "Escriba el motivo de la desactivación (entre 5 y 500 caracteres).",
        ));
    }
    if !active && user_id.trim() == admin.id {
        return Err(AppError::validation(
            "No puede desactivar su propio usuario: pídaselo a otro administrador.",
        ));
    }
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let target = member(&mut tx, user_id).await?;
    if target.active == active {
        return Err(AppError::Conflict(format!(
            "{} ya tiene el acceso {}.",
            target.full_name,
            if active { "activo" } else { "desactivado" }
        )));
    }
    if !active && target.role == Role::Admin {
        let admins: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND active = 1 AND account_id IS NULL",
        )
        .fetch_one(&mut *tx)
        .await?
        .get("n");
        if admins <= 1 {
            return Err(AppError::validation(
                "Es el único administrador activo: cree o reactive otro antes de desactivarlo.",
            ));
        }
    }
    // Conditional on the state read above: of two admins clicking at once, one changes it.
    let changed = sqlx::query(
        "UPDATE users SET active = $1, updated_at = $2 WHERE id = $3 AND active = $4 AND account_id IS NULL",
    )
    .bind(i64::from(active))
    .bind(now())
    .bind(user_id.trim())
    .bind(i64::from(!active))
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "Otro administrador cambió este usuario hace un momento. Recargue la página.".into(),
        ));
    }
    let mut returned = 0;
    if !active {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id.trim())
            .execute(&mut *tx)
            .await?;
        returned = sqlx::query(
            "UPDATE requests SET assignee_id = NULL WHERE assignee_id = $1 AND state <> $2",
        )
        .bind(user_id.trim())
        .bind(RequestState::Cerrada.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    audit::record(
        &mut tx,
        &Actor::user(&admin.id, &admin.full_name),
        if active {
            "usuario_reactivado"
        } else {
            "usuario_desactivado"
        },
        "user",
        user_id.trim(),
        json!({ "name": target.full_name, "reason": reason, "requests_unassigned": returned }),
    )
    .await?;
    tx.commit().await?;
    if returned > 0 {
        // The queues of everyone else change: the requests are *Sin asignar* again.
        state.live.publish(Scope::Staff, LiveChange::Estado).await;
    }
    Ok(returned)
}

/// Sends `user_id` a link to set their password (a new member who should choose their own,
/// or one who forgot it): the e-mail goes through the outbox with the link, in one
/// transaction with its audit event. Returns the sentence the admin reads.
pub async fn send_password_link(
    state: &AppState,
    admin: &SessionUser,
    user_id: &str,
) -> Result<String, AppError> {
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let target = member(&mut tx, user_id).await?;
    if !target.active {
        return Err(AppError::validation(format!(
            "{} tiene el acceso desactivado: reactívelo antes de enviarle el enlace.",
            target.full_name
        )));
    }
    password_links::issue(
        &mut tx,
        state,
        user_id.trim(),
        &target.email,
        &target.full_name,
        Purpose::Staff,
    )
    .await?;
    audit::record(
        &mut tx,
        &Actor::user(&admin.id, &admin.full_name),
        "enlace_contrasena_enviado",
        "user",
        user_id.trim(),
        json!({ "name": target.full_name }),
    )
    .await?;
    tx.commit().await?;
    Ok(format!(
        "Enviamos a {} un enlace para crear su contraseña; vence en 24 horas.",
        target.email
    ))
}
