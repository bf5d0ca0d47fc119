//! Whose answer goes to quality review: the per-agent counter of [`ventanilla::review`],
//! read and moved inside the answer's transaction, so an answer that fails rolls its turn
//! back and two answers of the same agent at once take their turns one after the other (a
//! row lock on PostgreSQL; SQLite's single writer does the same).

use sqlx::Row;

use crate::error::AppError;
use crate::platform::db::Tx;

/// Counts one answer of `user_id` and says whether it goes to review, so that at least
/// `percent` % of that agent's answers have — or all of them, for a staff member an admin
/// put under full review.
pub async fn takes_review_turn(tx: &mut Tx, user_id: &str, percent: u32) -> Result<bool, AppError> {
    sqlx::query(
        "INSERT INTO review_counters (user_id, answers, reviewed) VALUES ($1, 0, 0) \
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    let lock = if tx.is_sqlite() { "" } else { " FOR UPDATE" };
    let row = sqlx::query(&format!(
        "SELECT answers, reviewed FROM review_counters WHERE user_id = $1{lock}"
    ))
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?;
    let answers: i64 = row.get("answers");
    let reviewed: i64 = row.get("reviewed");
    // An admin may send every answer of a new asesor to review (`users.review_all`).
    let all: i64 = sqlx::query("SELECT review_all FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?
        .get("review_all");
    let review = all == 1
        || ventanilla::review::next_goes_to_review(
            u64::try_from(answers).unwrap_or_default(),
            u64::try_from(reviewed).unwrap_or_default(),
            percent,
        );
    sqlx::query(
        "UPDATE review_counters SET answers = answers + 1, reviewed = reviewed + $2 WHERE user_id = $1",
    )
    .bind(user_id)
    .bind(i64::from(review))
    .execute(&mut **tx)
    .await?;
    Ok(review)
}
