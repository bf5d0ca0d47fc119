//! The calls of a period as the supervisor reads them: the counts behind *Atención oportuna
//! de llamadas* (by the same conditions as the indicator) and the newest calls.

use chrono::NaiveDate;
use sqlx::Row;
use ventanilla::calls::CallOutcome;

use crate::calls::model::{clock_text, CallRow, CallsView, CALLS_SHOWN};
use crate::error::AppError;
use crate::indicators::server::compute::day_start;

/// The calls started in `from`–`to` (Bogotá days, both included).
pub async fn view(
    pool: &sqlx::AnyPool,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<CallsView, AppError> {
    let start = day_start(from);
    let end = day_start(to + chrono::Duration::days(1));
    let counts = sqlx::query(
        "SELECT COUNT(*) AS received, \
         COALESCE(SUM(CASE WHEN outcome = 'atendida' THEN 1 ELSE 0 END), 0) AS attended, \
         COALESCE(SUM(CASE WHEN outcome = 'atendida' AND wait_seconds IS NOT NULL THEN 1 ELSE 0 END), 0) AS waits, \
         CAST(COALESCE(SUM(CASE WHEN outcome = 'atendida' THEN wait_seconds ELSE 0 END), 0) AS BIGINT) AS waited \
         FROM calls WHERE started_at >= $1 AND started_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_one(pool)
    .await?;
    let received: i64 = counts.get("received");
    let attended: i64 = counts.get("attended");
    let waits: i64 = counts.get("waits");
    let waited: i64 = counts.get("waited");
    let rows = sqlx::query(
        "SELECT c.started_at, c.outcome, c.wait_seconds, c.duration_seconds, c.caller, c.agent_name, \
         u.full_name AS agent_full_name, r.radicado \
         FROM calls c LEFT JOIN users u ON u.id = c.agent_id LEFT JOIN requests r ON r.id = c.request_id \
         WHERE c.started_at >= $1 AND c.started_at < $2 \
         ORDER BY c.started_at DESC, c.id DESC LIMIT $3",
    )
    .bind(start)
    .bind(end)
    .bind((CALLS_SHOWN + 1) as i64)
    .fetch_all(pool)
    .await?;
    let truncated = rows.len() > CALLS_SHOWN;
    Ok(CallsView {
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        received,
        attended,
        abandoned: received - attended,
        attended_share: share_text(attended, received),
        mean_wait: if waits > 0 {
            clock_text(Some(waited / waits))
        } else {
            "—".to_string()
        },
        rows: rows
            .iter()
            .take(CALLS_SHOWN)
            .map(|row| {
                let outcome = CallOutcome::from_code(&row.get::<String, _>("outcome"));
                let agent: Option<String> = row.get("agent_full_name");
                CallRow {
                    started: crate::timers::local_time(row.get("started_at")),
                    outcome: outcome
                        .map(|o| o.label_es())
                        .unwrap_or_default()
                        .to_string(),
                    attended: outcome == Some(CallOutcome::Attended),
                    wait: clock_text(row.get("wait_seconds")),
                    duration: clock_text(row.get("duration_seconds")),
                    caller: row.get("caller"),
                    agent: agent.unwrap_or_else(|| row.get("agent_name")),
                    radicado: row.get("radicado"),
                }
            })
            .collect(),
        truncated,
    })
}

/// "92,5 %" as the indicator cards write a share; "sin datos" without calls.
fn share_text(part: i64, whole: i64) -> String {
    if whole == 0 {
        return "sin datos".to_string();
    }
    format!("{:.1} %", part as f64 * 100.0 / whole as f64).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_is_written_the_spanish_way_and_never_divides_by_zero() {
        assert_eq!(share_text(37, 40), "92,5 %");
        assert_eq!(share_text(0, 0), "sin datos");
    }
}
