//! Blocking and unblocking a customer's web access (seed 001 §5.1: "asignación / bloqueo de
//! usuarios página web"; issue 19).
//!
//! Blocking is immediate: every person of the account is switched off and their sessions end
//! in the same transaction, so an open portal page gets "Debe iniciar sesión" on its next
//! call. Their requests, messages and history stay; staff keep serving them by e-mail and
//! phone. Signing in afterwards says the access is blocked — to someone who knows the
//! password only, so the message tells an outsider nothing
//! (`accounts::server::staff_access::PORTAL_BLOCKED`).

use serde_json::json;
use sqlx::Row;

use crate::accounts::model::SessionUser;
use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::now;

/// Blocks (`blocked` true, with the reason) or unblocks the web access of `account_id`.
pub async fn set_blocked(
    pool: &sqlx::AnyPool,
    manager: &SessionUser,
    account_id: &str,
    blocked: bool,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if !(5..=500).contains(&reason.chars().count()) {
        return Err(AppError::validation(if blocked {
            "Escriba el motivo del bloqueo (entre 5 y 500 caracteres)."
        } else {
            "Escriba el motivo del desbloqueo (entre 5 y 500 caracteres)."
        }));
    }
    let mut tx = crate::platform::db::begin(pool).await?;
    let account = sqlx::query(
        "SELECT a.name, (SELECT COUNT(*) FROM users u WHERE u.account_id = a.id) AS holders, \
         (SELECT COUNT(*) FROM users u WHERE u.account_id = a.id AND u.active = 1) AS active_users \
         FROM accounts a WHERE a.id = $1",
    )
    .bind(account_id.trim())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let name: String = account.get("name");
    if account.get::<i64, _>("holders") == 0 {
        return Err(AppError::Conflict(format!(
            "{name} aún no se ha registrado en el portal: no hay acceso que bloquear ni desbloquear."
        )));
    }
    let is_blocked = account.get::<i64, _>("active_users") == 0;
    if is_blocked == blocked {
        return Err(AppError::Conflict(format!(
            "El acceso de {name} ya está {}.",
            if blocked { "bloqueado" } else { "habilitado" }
        )));
    }
    sqlx::query("UPDATE users SET active = $1, updated_at = $2 WHERE account_id = $3")
        .bind(i64::from(!blocked))
        .bind(now())
        .bind(account_id.trim())
        .execute(&mut *tx)
        .await?;
    if blocked {
        sqlx::query(
            "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE account_id = $1)",
        )
        .bind(account_id.trim())
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        &Actor::user(&manager.id, &manager.full_name),
        if blocked {
            "cliente_bloqueado"
        } else {
            "cliente_desbloqueado"
        },
        "account",
        account_id.trim(),
        json!({ "name": name, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
