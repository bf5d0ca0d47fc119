//! Notes of relevant information about a customer (seed 004 §4, PQRS 7–8: "registrar la
//! información relevante" — contacts, ownership changes, market information), written by
//! staff with author and date and never edited, so the record can be trusted.

use serde_json::json;
use sqlx::Row;

use crate::accounts::model::SessionUser;
use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, now};

/// The notes of `account_id`, newest first: (author, when, text).
pub async fn list(
    pool: &sqlx::AnyPool,
    account_id: &str,
) -> Result<Vec<(String, i64, String)>, AppError> {
    Ok(sqlx::query(
        "SELECT u.full_name, n.created_at, n.body FROM customer_notes n JOIN users u ON u.id = n.author_id \
         WHERE n.account_id = $1 ORDER BY n.created_at DESC, n.id DESC",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| (row.get("full_name"), row.get("created_at"), row.get("body")))
    .collect())
}

/// `author` writes a note on `account_id`.
pub async fn add(
    pool: &sqlx::AnyPool,
    author: &SessionUser,
    account_id: &str,
    body: &str,
) -> Result<(), AppError> {
    let body = body.trim();
    if !(3..=2000).contains(&body.chars().count()) {
        return Err(AppError::validation(
            "Escriba la nota (entre 3 y 2.000 caracteres).",
        ));
    }
    let mut tx = crate::platform::db::begin(pool).await?;
    let exists = sqlx::query("SELECT id FROM accounts WHERE id = $1")
        .bind(account_id.trim())
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO customer_notes (id, account_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(account_id.trim())
    .bind(&author.id)
    .bind(body)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor::user(&author.id, &author.full_name),
        "cliente_nota",
        "account",
        account_id.trim(),
        json!({ "note_id": id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
