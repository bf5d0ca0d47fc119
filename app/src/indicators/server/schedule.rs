//! The reports that go out by themselves (issue 20):
//!
//! - **the monthly report**: on the first business day of each month the previous month's
//!   report goes to every active supervisor by e-mail, the XLSX workbook attached (seed 001
//!   act. 5: "elaborar y enviar el informe mensual"; seed 002 §5.2.23–27);
//! - **the reporte de fallas** (seed 002 §6: the areas answer within the term): once a week,
//!   on the configured day (`VENTANILLA_FAILURE_REPORT_DAY`, Monday by default), each area's
//!   members get the requests escalated to their area that are overdue or at risk of their
//!   legal term, still unanswered.
//!
//! **Once, even with several instances**: a run claims its period in `scheduled_reports`
//! (`INSERT … ON CONFLICT DO NOTHING` on the primary key) in the same transaction as its
//! outbox rows and audit event, so exactly one instance enqueues each report and a crash
//! before the commit leaves the period unclaimed for the next tick. Delivery is the outbox's
//! (at least once, see `notify::server`); the workbook is built when the e-mail is sent
//! ([`attachment_for`]), so a retry carries the same figures and the outbox row stays small.
//! A server that was down on the day catches up on its next tick: the monthly report until
//! the 10th, the reporte de fallas within the same week.

use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::json;
use sqlx::Row;
use tokio::sync::watch;
use ventanilla::calendar::bogota;

use crate::error::AppError;
use crate::indicators::server::monthly::Month;
use crate::platform::audit::{self, Actor};
use crate::platform::outbox;
use crate::state::AppState;

/// The outbox template of the monthly report.
pub const MONTHLY_TEMPLATE: &str = "informe_mensual";
/// The outbox template of the weekly reporte de fallas.
pub const FAILURE_TEMPLATE: &str = "reporte_fallas";

/// The last day of the month a missed monthly report still goes out: a server down on the
/// first business day catches up, a fresh install in mid-month does not mail last month.
const CATCH_UP_UNTIL_DAY: u32 = 10;

/// What one pass enqueued: how many e-mails of each report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Enqueued {
    pub monthly: usize,
    pub failures: usize,
}

/// Runs [`enqueue_due`] every `every` until `stop` turns true.
pub async fn run(state: AppState, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(err) = enqueue_due(&state, Utc::now()).await {
            tracing::warn!(error = %err, "scheduled reports: this pass failed; the next one retries");
        }
        tokio::select! {
            changed = stop.changed() => if changed.is_err() || *stop.borrow() { return },
            _ = tokio::time::sleep(every) => {}
        }
    }
}

/// Enqueues the reports due at `now` that no instance has enqueued yet.
pub async fn enqueue_due(state: &AppState, now: DateTime<Utc>) -> Result<Enqueued, AppError> {
    let version = crate::ans::server::versions::current(&state.pool, &state.ans).await?;
    let calendar = crate::timers::calendar_of(&version.settings.business_hours);
    let today = now.with_timezone(&bogota()).date_naive();
    let mut enqueued = Enqueued::default();
    if today >= first_business_day(&calendar, Month::of(today)) && today.day() <= CATCH_UP_UNTIL_DAY
    {
        enqueued.monthly = monthly(state, Month::of(today).previous(), now).await?;
    }
    if let Some(day) = state.config.failure_report_day {
        if today.weekday().num_days_from_monday() >= day.num_days_from_monday() {
            enqueued.failures = failures(state, today, now).await?;
        }
    }
    Ok(enqueued)
}

/// The first business day of `month` by `calendar` (holidays, weekends and the local
/// non-working days of the ANS in force).
pub fn first_business_day(calendar: &ventanilla::BusinessCalendar, month: Month) -> NaiveDate {
    let mut day = month.first_day();
    while !calendar.is_business_day(day) && day < month.last_day() {
        day = day.succ_opt().unwrap_or(day);
    }
    day
}

/// Claims `(kind, period)` inside `tx`: true when this transaction is the one that sends it.
async fn claim(
    tx: &mut crate::platform::db::Tx,
    kind: &str,
    period: &str,
    at: i64,
) -> Result<bool, AppError> {
    let claimed = sqlx::query(
        "INSERT INTO scheduled_reports (kind, period, enqueued_at) VALUES ($1, $2, $3) \
         ON CONFLICT (kind, period) DO NOTHING",
    )
    .bind(kind)
    .bind(period)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// "Cierre efectivo de PQR: 95,0 % (meta 97 %, no cumple)".
fn indicator_line(indicator: &crate::indicators::model::Indicator) -> String {
    let value = match (indicator.value, indicator.denominator) {
        (None, _) => "sin datos".to_string(),
        (Some(v), Some(_)) => format!("{v:.1} %").replace('.', ","),
        (Some(v), None) => format!("{v:.0}"),
    };
    let goal = match (indicator.goal, indicator.meets) {
        (Some(goal), Some(meets)) => format!(
            " (meta {} %, {})",
            format!("{goal}").replace('.', ","),
            if meets { "cumple" } else { "no cumple" }
        ),
        (Some(goal), None) => format!(" (meta {} %)", format!("{goal}").replace('.', ",")),
        _ => String::new(),
    };
    format!("- {}: {value}{goal}", indicator.name)
}

/// The monthly report of `month` to every active supervisor, once.
async fn monthly(state: &AppState, month: Month, now: DateTime<Utc>) -> Result<usize, AppError> {
    let at = now.timestamp();
    let figures = crate::indicators::server::compute::report(
        &state.pool,
        (month.first_day(), month.last_day()),
        at,
    )
    .await?;
    let summary: Vec<String> = figures.indicators.iter().map(indicator_line).collect();
    let supervisors: Vec<String> = sqlx::query(
        "SELECT email FROM users WHERE role = 'supervisor' AND active = 1 ORDER BY email",
    )
    .fetch_all(&state.pool)
    .await?
    .iter()
    .map(|row| row.get("email"))
    .collect();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    if !claim(&mut tx, MONTHLY_TEMPLATE, &month.code(), at).await? {
        tx.rollback().await?;
        return Ok(0);
    }
    let link = format!(
        "{}/equipo/indicadores/informe?mes={}",
        state.config.surveys.public_url,
        month.code()
    );
    for email in &supervisors {
        outbox::enqueue(
            &mut tx,
            "email",
            email,
            MONTHLY_TEMPLATE,
            json!({
                "mes": month.code(),
                "mes_nombre": month.label(),
                "organizacion": state.config.organization.name,
                "resumen": summary.join("\n"),
                "enlace": link,
            }),
        )
        .await?;
    }
    audit::record(
        &mut tx,
        &Actor::system("informes programados"),
        "informe_mensual_programado",
        "informe_mensual",
        &month.code(),
        json!({ "destinatarios": supervisors.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(supervisors.len())
}

/// The ISO week of `day`, "2026-W49": the failure report's period.
fn iso_week(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// The reporte de fallas of the week of `today`: to each active member of each area, the
/// requests escalated to that area, unanswered, whose legal term is overdue or at risk at
/// `now`. An area with nothing overdue or at risk gets no e-mail; the week is claimed anyway.
async fn failures(
    state: &AppState,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let at = now.timestamp();
    let rows = sqlx::query(
        "SELECT a.id AS area_id, a.name AS area, r.radicado, r.subject, r.clock_legal_due, r.clock_legal_risk \
         FROM requests r JOIN areas a ON a.id = r.area_id \
         WHERE r.answered_at IS NULL AND r.closed_at IS NULL \
         AND r.clock_legal_risk IS NOT NULL AND r.clock_legal_risk <= $1 \
         ORDER BY a.name, r.clock_legal_due, r.radicado",
    )
    .bind(at)
    .fetch_all(&state.pool)
    .await?;
    let mut by_area: std::collections::BTreeMap<(String, String), Vec<String>> = Default::default();
    for row in &rows {
        let due: Option<i64> = row.get("clock_legal_due");
        let state_text = match due {
            Some(due) if due <= at => "VENCIDA",
            _ => "en riesgo",
        };
        let due_text = due
            .map(crate::timers::local_time)
            .unwrap_or_else(|| "sin fecha".into());
        by_area
            .entry((row.get("area_id"), row.get("area")))
            .or_default()
            .push(format!(
                "- {} · {} · vence {due_text} · {state_text}",
                row.get::<String, _>("radicado"),
                row.get::<String, _>("subject"),
            ));
    }
    let members = sqlx::query(
        "SELECT m.area_id, u.email FROM area_members m JOIN users u ON u.id = m.user_id \
         WHERE u.active = 1 ORDER BY u.email",
    )
    .fetch_all(&state.pool)
    .await?;
    let week = iso_week(today);
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    if !claim(&mut tx, FAILURE_TEMPLATE, &week, at).await? {
        tx.rollback().await?;
        return Ok(0);
    }
    let mut sent = 0;
    for ((area_id, area), lines) in &by_area {
        for member in members
            .iter()
            .filter(|m| m.get::<String, _>("area_id") == *area_id)
        {
            outbox::enqueue(
                &mut tx,
                "email",
                &member.get::<String, _>("email"),
                FAILURE_TEMPLATE,
                json!({
                    "area": area,
                    "semana": week,
                    "cantidad": lines.len().to_string(),
                    "detalle": lines.join("\n"),
                    "enlace": format!("{}/equipo", state.config.surveys.public_url),
                }),
            )
            .await?;
            sent += 1;
        }
    }
    audit::record(
        &mut tx,
        &Actor::system("informes programados"),
        "reporte_fallas_programado",
        "reporte_fallas",
        &week,
        json!({ "areas": by_area.len(), "destinatarios": sent }),
    )
    .await?;
    tx.commit().await?;
    Ok(sent)
}

/// The file an outbox e-mail carries, built when it is sent: the workbook of the month a
/// monthly report names, headed by `organization`. `None` for every other template.
pub async fn attachment_for(
    pool: &sqlx::AnyPool,
    organization: Option<&crate::organization::Organization>,
    template: &str,
    payload: &str,
) -> Result<Option<(String, Vec<u8>)>, AppError> {
    if template != MONTHLY_TEMPLATE {
        return Ok(None);
    }
    let payload: serde_json::Value = serde_json::from_str(payload)
        .map_err(|_| AppError::validation("El informe programado no tiene mes."))?;
    let month = Month::parse(payload["mes"].as_str().unwrap_or_default())?;
    let unnamed = crate::organization::Organization {
        name: String::new(),
        nit: String::new(),
        address: String::new(),
        phone: String::new(),
        email: String::new(),
    };
    let report = crate::indicators::server::monthly::report(
        pool,
        organization.unwrap_or(&unnamed),
        month,
        crate::platform::db::now(),
    )
    .await?;
    let bitacora = crate::indicators::server::workbook::bitacora(pool, month).await?;
    let bytes = crate::indicators::server::workbook::workbook(&report, &bitacora)?;
    Ok(Some((format!("informe-pqrs-{}.xlsx", month.code()), bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_business_day_skips_weekends_and_holidays() {
        let calendar = crate::timers::calendar_of(&Default::default());
        // 2026-11-01 is a Sunday and 2026-11-02 a holiday (Todos los Santos, moved to Monday).
        assert_eq!(
            first_business_day(
                &calendar,
                Month {
                    year: 2026,
                    month: 11
                }
            ),
            NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()
        );
        // 2026-12-01 is a Tuesday.
        assert_eq!(
            first_business_day(
                &calendar,
                Month {
                    year: 2026,
                    month: 12
                }
            ),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        // 2027-01-01 is a holiday (Friday).
        assert_eq!(
            first_business_day(
                &calendar,
                Month {
                    year: 2027,
                    month: 1
                }
            ),
            NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
        );
    }

    #[test]
    fn weeks_are_iso_weeks() {
        assert_eq!(
            iso_week(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()),
            "2026-W50"
        );
        assert_eq!(
            iso_week(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
            "2026-W53"
        );
    }
}
