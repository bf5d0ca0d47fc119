//! The words of account names, kept for the customer search (issue 19): a person types the
//! start of any part of a name — "rojas", "mar", "transp" — and the search must answer in
//! milliseconds among 100,000 accounts on SQLite and PostgreSQL alike. A `LIKE '%…%'`
//! reads every account (measured: 180–250 ms at 100,000, BENCHMARKS.md); a prefix range on
//! a table of words is an index seek on both databases.
//!
//! Words are folded the way people type them (lower case, accents off, letters and digits
//! only, at most [`MAX_WORD`] characters), so a prefix's upper bound is the prefix followed
//! by `z`s: correct under any collation that orders digits before letters, PostgreSQL's
//! `en_US` as much as `C` and SQLite's byte order.

use sqlx::Row;

use crate::error::AppError;

/// The longest word kept; longer ones are cut (no one types 31 letters of a name).
pub const MAX_WORD: usize = 30;

/// The distinct folded words of `text`, in order of first appearance.
pub fn words(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in ventanilla::text::normalize(text).split(' ') {
        let kept: String = word
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(MAX_WORD)
            .collect();
        if !kept.is_empty() && !found.contains(&kept) {
            found.push(kept);
        }
    }
    found
}

/// The inclusive range of stored words that start with `prefix` (a folded word).
pub fn prefix_range(prefix: &str) -> (String, String) {
    let upper = format!("{prefix}{}", "z".repeat(MAX_WORD));
    (prefix.to_string(), upper)
}

/// Stores the words of `name` for `account_id`, in the caller's transaction.
pub async fn index(
    conn: &mut sqlx::AnyConnection,
    account_id: &str,
    name: &str,
) -> Result<(), AppError> {
    for word in words(name) {
        sqlx::query("INSERT INTO account_name_words (word, account_id) VALUES ($1, $2)")
            .bind(word)
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Indexes the names of accounts that have no words yet (created before the table, or by
/// a tool writing the database directly); returns how many. Run at start-up.
pub async fn backfill(pool: &sqlx::AnyPool) -> Result<usize, AppError> {
    let missing = sqlx::query(
        "SELECT a.id, a.name FROM accounts a \
         WHERE NOT EXISTS (SELECT 1 FROM account_name_words w WHERE w.account_id = a.id)",
    )
    .fetch_all(pool)
    .await?;
    if missing.is_empty() {
        return Ok(0);
    }
    let mut tx = crate::platform::db::begin(pool).await?;
    for row in &missing {
        index(
            &mut tx,
            &row.get::<String, _>("id"),
            &row.get::<String, _>("name"),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(missing.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_folded_into_distinct_words() {
        assert_eq!(
            words("María Fernanda Ortiz-Ortiz"),
            vec!["maria", "fernanda", "ortiz"]
        );
        assert_eq!(
            words("Transportes Andinos S.A.S."),
            vec!["transportes", "andinos", "s", "a"]
        );
        assert_eq!(words("  ¡Ñandú! 2000 "), vec!["nandu", "2000"]);
        assert_eq!(words("***"), Vec::<String>::new());
        assert_eq!(words(&"x".repeat(40))[0].len(), MAX_WORD);
    }

    #[test]
    fn a_prefix_range_holds_every_word_that_starts_with_it() {
        let (low, high) = prefix_range("roj");
        for word in [
            "roj",
            "rojas",
            "rojaszzzz",
            "roj9",
            &format!("roj{}", "z".repeat(27)),
        ] {
            assert!(low.as_str() <= word && word <= high.as_str(), "{word}");
        }
        for word in ["ro", "rok", "roia"] {
            assert!(!(low.as_str() <= word && word <= high.as_str()), "{word}");
        }
    }
}
