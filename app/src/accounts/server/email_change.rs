//! Changing a person's e-mail (OWASP ASVS 3.7.1, issue 17): the address that receives the
//! request numbers, answers and password links is where an account can be taken over from,
//! so changing it takes the current password, and the new address is used only once its
//! owner follows the link sent to it (24 hours, once). The old address is told at once, so
//! someone whose session was borrowed learns of it while the link is still unused.

use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::accounts::model::SessionUser;
use crate::accounts::server::{password, validate};
use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, now};
use crate::platform::outbox;
use crate::state::AppState;

/// How long the confirmation link works.
const LIFETIME_SECONDS: i64 = 24 * 3600;

/// Changes asked per person per hour, beyond which no more links go out.
const MAX_PER_HOUR: i64 = 3;

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Asks to change `user`'s e-mail to `new_email` (already validated), inside the caller's
/// transaction: checks the current password, retires earlier pending changes, and queues
/// the link to the new address and the notice to the old one. Returns the sentence the
/// person reads.
pub async fn request(
    tx: &mut crate::platform::db::Tx,
    state: &AppState,
    user: &SessionUser,
    new_email: &str,
    current_password: &str,
) -> Result<String, AppError> {
    if current_password.is_empty() || current_password.chars().count() > validate::PASSWORD_MAX {
        return Err(AppError::validation(
            "Para cambiar el correo escriba su contraseña actual.",
        ));
    }
    let row = sqlx::query("SELECT email, password_hash FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_one(&mut **tx)
        .await?;
    let stored = password::PasswordHashText(row.get("password_hash"));
    if !password::verify_off_thread(current_password, &stored).await {
        return Err(AppError::validation(
            "La contraseña actual no es correcta: el correo no se cambió.",
        ));
    }
    let at = now();
    let recent: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM email_changes WHERE user_id = $1 AND created_at > $2",
    )
    .bind(&user.id)
    .bind(at - 3600)
    .fetch_one(&mut **tx)
    .await?
    .get("n");
    if recent >= MAX_PER_HOUR {
        return Err(AppError::TooMany(
            "Ya pidió varios cambios de correo en la última hora. Use el último enlace que le enviamos o intente más tarde.".into(),
        ));
    }
    // Only the latest request counts: earlier links stop working.
    sqlx::query(
        "UPDATE email_changes SET expires_at = $1 WHERE user_id = $2 AND confirmed_at IS NULL AND expires_at > $1",
    )
    .bind(at)
    .bind(&user.id)
    .execute(&mut **tx)
    .await?;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    sqlx::query(
        "INSERT INTO email_changes (id, user_id, new_email, token_sha256, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(&user.id)
    .bind(new_email)
    .bind(digest(&token))
    .bind(at)
    .bind(at + LIFETIME_SECONDS)
    .execute(&mut **tx)
    .await?;
    let old_email: String = row.get("email");
    outbox::enqueue(
        tx,
        "email",
        new_email,
        "confirmar_correo",
        json!({
            "name": user.full_name,
            "url": format!("{}/correo/{token}", state.config.surveys.public_url),
        }),
    )
    .await?;
    outbox::enqueue(
        tx,
        "email",
        &old_email,
        "aviso_cambio_correo",
        json!({ "name": user.full_name, "new_email": new_email }),
    )
    .await?;
    audit::record(
        tx,
        &Actor::user(&user.id, &user.full_name),
        "cambio_correo_pedido",
        "user",
        &user.id,
        json!({ "new_email": new_email }),
    )
    .await?;
    Ok(format!(
        "Le enviamos un enlace a {new_email}: su correo cambiará cuando lo abra (vence en 24 horas). \
         Mientras tanto seguimos escribiéndole a {old_email}."
    ))
}

/// The change a person asked for and has not confirmed yet, if any: the address.
pub async fn pending(state: &AppState, user_id: &str) -> Result<Option<String>, AppError> {
    Ok(sqlx::query(
        "SELECT new_email FROM email_changes WHERE user_id = $1 AND confirmed_at IS NULL AND expires_at > $2 \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(now())
    .fetch_optional(&state.pool)
    .await?
    .map(|row| row.get("new_email")))
}

/// Confirms the change the link `token` stands for: the link is spent, the e-mail changes
/// and the audit event is written, all in one transaction. Returns the new address.
pub async fn confirm(state: &AppState, token: &str) -> Result<String, AppError> {
    let refused = || {
        AppError::validation(
            "Este enlace no sirve: ya se usó, venció o fue reemplazado por uno más reciente. \
             Si aún quiere cambiar su correo, pídalo de nuevo en «Mi perfil».",
        )
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(refused());
    }
    let at = now();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let spent = sqlx::query(
        "UPDATE email_changes SET confirmed_at = $1 WHERE token_sha256 = $2 AND confirmed_at IS NULL AND expires_at > $1",
    )
    .bind(at)
    .bind(digest(token))
    .execute(&mut *tx)
    .await?;
    if spent.rows_affected() != 1 {
        return Err(refused());
    }
    let change = sqlx::query(
        "SELECT c.user_id, c.new_email, u.email, u.full_name, u.active FROM email_changes c \
         JOIN users u ON u.id = c.user_id WHERE c.token_sha256 = $1",
    )
    .bind(digest(token))
    .fetch_one(&mut *tx)
    .await?;
    if change.get::<i64, _>("active") != 1 {
        return Err(refused());
    }
    let (user_id, new_email): (String, String) = (change.get("user_id"), change.get("new_email"));
    let taken = sqlx::query("SELECT 1 FROM users WHERE email = $1 AND id <> $2")
        .bind(&new_email)
        .bind(&user_id)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(
            "Ese correo ya está registrado en otra cuenta; el cambio no se hizo.".into(),
        ));
    }
    sqlx::query("UPDATE users SET email = $1, updated_at = $2 WHERE id = $3")
        .bind(&new_email)
        .bind(at)
        .bind(&user_id)
        .execute(&mut *tx)
        .await
        .map_err(|err| {
            crate::platform::db::on_constraint(err, |_| {
                Some(AppError::Conflict(
                    "Ese correo ya está registrado en otra cuenta; el cambio no se hizo.".into(),
                ))
            })
        })?;
    audit::record(
        &mut tx,
        &Actor::user(&user_id, &change.get::<String, _>("full_name")),
        "correo_cambiado",
        "user",
        &user_id,
        json!({ "from": change.get::<String, _>("email"), "to": new_email }),
    )
    .await?;
    tx.commit().await?;
    Ok(new_email)
}
