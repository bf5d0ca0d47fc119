//! Links to set a password: the customer whose account an agent or an integration created
//! ("Crear su contraseña"), and the customer who forgot theirs ("¿Olvidó su contraseña?").
//!
//! A link is a random 32-byte token sent by e-mail through the notification outbox, in the
//! same transaction that creates it; only its SHA-256 is stored, so a copy of the database
//! opens no account. It works once, until it expires, and issuing a new one for the same
//! person retires the older ones. A forgotten-password request answers the same whether or
//! not the e-mail has an account (nothing tells an outsider who is a customer), and at most
//! [`MAX_RECENT_LINKS`] links per person are issued per hour: the table cannot be filled by
//! a script, and a person's mailbox cannot be flooded. Customers ask for links themselves; a
//! staff member gets one only when an admin sends it from Usuarios (`staff_access`).

use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use ventanilla::role::Role;

use crate::accounts::model::{PasswordLinkView, SessionUser};
use crate::accounts::server::password;
use crate::accounts::server::session;
use crate::accounts::server::validate;
use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, now};
use crate::platform::outbox;
use crate::state::AppState;

/// What a link is for; it decides the e-mail and how long the link lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The account was created on the customer's behalf and has no password yet. The
    /// customer may read the mail days later: a week.
    Create,
    /// The customer forgot the password. Short-lived, as it opens an account already in use.
    Reset,
    /// An admin sent a staff member a link to set their password (`staff_access`).
    Staff,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Create => "crear",
            Purpose::Reset => "recuperar",
            Purpose::Staff => "equipo",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Purpose::Create => "crear_contrasena",
            Purpose::Reset => "recuperar_contrasena",
            Purpose::Staff => "contrasena_equipo",
        }
    }

    pub fn lifetime_seconds(self) -> i64 {
        match self {
            Purpose::Create => 7 * 24 * 3600,
            Purpose::Reset => 2 * 3600,
            Purpose::Staff => 24 * 3600,
        }
    }
}

/// Links per person per hour, beyond which a forgotten-password request issues nothing.
pub const MAX_RECENT_LINKS: i64 = 3;

const GENERIC_ANSWER: &str = "Si ese correo corresponde a una cuenta de cliente, le enviamos un enlace para crear una contraseña nueva. Revise su bandeja de entrada (y la de correo no deseado); el enlace vence en 2 horas.";

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Issues a link for `user_id` inside the caller's transaction and queues its e-mail there:
/// both are written or neither. Older unused links of the person stop working.
pub async fn issue(
    tx: &mut crate::platform::db::Tx,
    state: &AppState,
    user_id: &str,
    email: &str,
    name: &str,
    purpose: Purpose,
) -> Result<(), AppError> {
    let at = now();
    // Retire the person's earlier links, and forget those no longer useful, so each person
    // has only a handful of rows.
    sqlx::query("UPDATE password_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(at)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM password_links WHERE user_id = $1 AND created_at < $2")
        .bind(user_id)
        .bind(at - 24 * 3600)
        .execute(&mut **tx)
        .await?;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let expires_at = at + purpose.lifetime_seconds();
    sqlx::query(
        "INSERT INTO password_links (id, user_id, token_sha256, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(user_id)
    .bind(digest(&token))
    .bind(purpose.code())
    .bind(at)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    outbox::enqueue(
        tx,
        "email",
        email,
        purpose.template(),
        json!({
            "name": name,
            "url": format!("{}/contrasena/{token}", state.config.surveys.public_url),
        }),
    )
    .await
}

/// "¿Olvidó su contraseña?": sends a link to the customer with this e-mail, if there is one,
/// and answers the same sentence either way.
pub async fn request_reset(state: &AppState, email: &str) -> Result<String, AppError> {
    let email = validate::email(email)
        .map_err(|_| AppError::validation("Escriba el correo electrónico de su cuenta."))?;
    let customer = sqlx::query(
        "SELECT id, full_name FROM users WHERE email = $1 AND active = 1 AND role = $2",
    )
    .bind(&email)
    .bind(Role::Cliente.code())
    .fetch_optional(&state.pool)
    .await?;
    let Some(customer) = customer else {
        return Ok(GENERIC_ANSWER.to_string());
    };
    let user_id: String = customer.get("id");
    let name: String = customer.get("full_name");
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let recent: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM password_links WHERE user_id = $1 AND created_at > $2",
    )
    .bind(&user_id)
    .bind(now() - 3600)
    .fetch_one(&mut *tx)
    .await?
    .get("n");
    if recent >= MAX_RECENT_LINKS {
        tracing::warn!(user_id, "password link requests over the hourly limit");
        return Ok(GENERIC_ANSWER.to_string());
    }
    issue(&mut tx, state, &user_id, &email, &name, Purpose::Reset).await?;
    audit::record(
        &mut tx,
        &Actor::system("¿Olvidó su contraseña?"),
        "enlace_contrasena_enviado",
        "user",
        &user_id,
        json!({ "purpose": Purpose::Reset.code(), "client_ip": session::client_ip() }),
    )
    .await?;
    tx.commit().await?;
    Ok(GENERIC_ANSWER.to_string())
}

/// Why a link does not work, in words for the person holding it.
fn refusal(used: bool, expired: bool) -> String {
    if used {
        "Este enlace ya se usó o fue reemplazado por uno más reciente. Si aún no tiene contraseña, pida otro en «¿Olvidó su contraseña?».".to_string()
    } else if expired {
        "Este enlace venció. Pida uno nuevo en «¿Olvidó su contraseña?».".to_string()
    } else {
        "Este enlace no es válido. Revise que lo copió completo, o pida uno nuevo en «¿Olvidó su contraseña?».".to_string()
    }
}

/// What the page shows for a link: the form, or why it does not work. Writes nothing.
pub async fn status(state: &AppState, token: &str) -> Result<PasswordLinkView, AppError> {
    let row = if token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        sqlx::query(
            "SELECT l.purpose, l.used_at, l.expires_at, u.full_name FROM password_links l \
             JOIN users u ON u.id = l.user_id WHERE l.token_sha256 = $1 AND u.active = 1",
        )
        .bind(digest(token))
        .fetch_optional(&state.pool)
        .await?
    } else {
        None
    };
    Ok(match row {
        None => PasswordLinkView {
            valid: false,
            creating: false,
            name: String::new(),
            problem: refusal(false, false),
        },
        Some(row) => {
            let used = row.get::<Option<i64>, _>("used_at").is_some();
            let expired = row.get::<i64, _>("expires_at") <= now();
            PasswordLinkView {
                valid: !used && !expired,
                creating: row.get::<String, _>("purpose") != Purpose::Reset.code(),
                name: row.get("full_name"),
                problem: if used || expired {
                    refusal(used, expired)
                } else {
                    String::new()
                },
            }
        }
    })
}

/// Sets the password with a link and signs the customer in. The link is spent in the same
/// transaction (a conditional update, so two tabs racing spend it once); a used, expired
/// or unknown link changes nothing and says why.
pub async fn set_password(
    state: &AppState,
    token: &str,
    new: &str,
    confirmation: &str,
) -> Result<SessionUser, AppError> {
    let view = status(state, token).await?;
    if !view.valid {
        return Err(AppError::validation(view.problem));
    }
    validate::password(new)?;
    if new != confirmation {
        return Err(AppError::validation(
            "La confirmación no coincide con la contraseña.",
        ));
    }
    let hashed = password::hash_off_thread(new).await;
    let at = now();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let spent = sqlx::query(
        "UPDATE password_links SET used_at = $1 WHERE token_sha256 = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(at)
    .bind(digest(token))
    .execute(&mut *tx)
    .await?;
    if spent.rows_affected() != 1 {
        return Err(AppError::validation(refusal(true, false)));
    }
    let row = sqlx::query(
        "SELECT u.id, u.full_name, u.email, u.role, u.active, l.purpose FROM password_links l \
         JOIN users u ON u.id = l.user_id WHERE l.token_sha256 = $1",
    )
    .bind(digest(token))
    .fetch_one(&mut *tx)
    .await?;
    // Access switched off after the link was sent: the link changes nothing.
    if row.get::<i64, _>("active") != 1 {
        return Err(AppError::validation(
            crate::accounts::server::staff_access::switched_off_message(
                &row.get::<String, _>("role"),
            ),
        ));
    }
    let user = SessionUser {
        id: row.get("id"),
        full_name: row.get("full_name"),
        email: row.get("email"),
        role: Role::from_code(&row.get::<String, _>("role")).ok_or(AppError::Internal)?,
    };
    let purpose: String = row.get("purpose");
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hashed.0)
        .bind(at)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    // Whoever was signed in with the old password is signed out, as on a password change.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        if purpose != Purpose::Reset.code() {
            "contrasena_creada"
        } else {
            "contrasena_restablecida"
        },
        "user",
        &user.id,
        json!({ "client_ip": session::client_ip() }),
    )
    .await?;
    session::start(&mut tx, state, &user.id).await?;
    tx.commit().await?;
    Ok(user)
}
