//! Survey results for a period (survey requirement "Results"; seed 001 §5.3 "Nivel de satisfacción …
//! meta 90 %", seed 000 indicators, seed 003 §5): CSAT, NPS with its three groups, response
//! rate and first-contact resolution from the answers, split by agent, area, category, tier
//! and month; the comments; and the detractor desk's indicators.
//!
//! The maths is the domain crate's (`ventanilla::survey`); this module only gathers answers.
//! Rows are read and grouped in Rust rather than with engine-specific date functions, so the
//! same code runs on SQLite and PostgreSQL; a period holds at most a few thousand answers.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeZone};
use sqlx::Row;
use ventanilla::calendar::bogota;
use ventanilla::role::Role;

use crate::error::AppError;
use crate::state::AppState;
use crate::{
    accounts::model::SessionUser,
    surveys::model::{DetractorIndicators, SurveyComment, SurveyGroup, SurveyResults},
};

const COMMENTS_SHOWN: usize = 100;

struct Answer {
    csat: u8,
    nps: u8,
    resolved: Option<bool>,
}

fn group(label: String, answers: &[&Answer]) -> SurveyGroup {
    let csat: Vec<u8> = answers.iter().map(|a| a.csat).collect();
    let nps: Vec<u8> = answers.iter().map(|a| a.nps).collect();
    let told: Vec<bool> = answers.iter().filter_map(|a| a.resolved).collect();
    SurveyGroup {
        label,
        answers: answers.len() as u64,
        csat: ventanilla::survey::csat_top_two_box(&csat),
        nps: ventanilla::survey::nps(&nps),
        resolved: (!told.is_empty())
            .then(|| told.iter().filter(|r| **r).count() as f64 * 100.0 / told.len() as f64),
    }
}

fn split(answers: &[Answer], keys: &[String]) -> Vec<SurveyGroup> {
    let mut groups: BTreeMap<&str, Vec<&Answer>> = BTreeMap::new();
    for (answer, key) in answers.iter().zip(keys) {
        groups.entry(key.as_str()).or_default().push(answer);
    }
    groups
        .into_iter()
        .map(|(label, members)| group(label.to_string(), &members))
        .collect()
}

/// `YYYY-MM-DD` → the instant that Bogotá day starts.
pub(super) fn day_start(day: NaiveDate) -> i64 {
    bogota()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|d| d.timestamp())
        .unwrap_or_default()
}

fn month_of(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|d| d.with_timezone(&bogota()).format("%Y-%m").to_string())
        .unwrap_or_default()
}

/// The period asked for, or the last six months up to today.
fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), AppError> {
    let today = chrono::Utc::now().with_timezone(&bogota()).date_naive();
    let parse = |text: &str, name: &str| -> Result<Option<NaiveDate>, AppError> {
        match text.trim() {
            "" => Ok(None),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::validation(format!("{name}: escriba una fecha válida."))),
        }
    };
    let to = parse(to, "Hasta")?.unwrap_or(today);
    let from = match parse(from, "Desde")? {
        Some(from) => from,
        None => {
            let months_back = to.year() * 12 + to.month0() as i32 - 5;
            NaiveDate::from_ymd_opt(months_back / 12, (months_back % 12) as u32 + 1, 1)
                .unwrap_or(to)
        }
    };
    if from > to {
        return Err(AppError::validation(
            "El periodo empieza después de terminar: revise las fechas.",
        ));
    }
    if (to - from).num_days() > 3 * 366 {
        return Err(AppError::validation(
            "Elija un periodo de tres años como máximo.",
        ));
    }
    Ok((from, to))
}

/// The results of the period `from`–`to` (`YYYY-MM-DD`, empty for the last six months).
/// Supervisors and admins only.
pub async fn results(
    state: &AppState,
    user: &SessionUser,
    from: &str,
    to: &str,
) -> Result<SurveyResults, AppError> {
    if !matches!(user.role, Role::Supervisor | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let (from_day, to_day) = period(from, to)?;
    let start = day_start(from_day);
    let end = day_start(to_day + chrono::Duration::days(1));

    let rows = sqlx::query(
        "SELECT s.answered_at, s.csat, s.nps, s.resolved, s.comment, r.radicado, r.tier, \
         c.name AS category, ar.name AS area, u.full_name AS agent \
         FROM survey_invitations s JOIN requests r ON r.id = s.request_id \
         LEFT JOIN categories c ON c.id = r.category_id LEFT JOIN areas ar ON ar.id = r.area_id \
         LEFT JOIN users u ON u.id = r.assignee_id \
         WHERE s.answered_at >= $1 AND s.answered_at < $2 ORDER BY s.answered_at DESC, s.id DESC",
    )
    .bind(start)
    .bind(end)
    .fetch_all(&state.pool)
    .await?;
    let mut answers = Vec::new();
    let (mut agents, mut areas, mut categories, mut tiers, mut months) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut comments = Vec::new();
    for row in &rows {
        let at: i64 = row.get("answered_at");
        let csat = row.get::<Option<i64>, _>("csat").unwrap_or_default();
        let nps = row.get::<Option<i64>, _>("nps").unwrap_or_default();
        let comment = row.get::<Option<String>, _>("comment").unwrap_or_default();
        if !comment.is_empty() && comments.len() < COMMENTS_SHOWN {
            comments.push(SurveyComment {
                at: crate::timers::local_time(at),
                radicado: row.get("radicado"),
                nps,
                csat,
                comment,
            });
        }
        answers.push(Answer {
            csat: u8::try_from(csat).unwrap_or_default(),
            nps: u8::try_from(nps).unwrap_or_default(),
            resolved: row.get::<Option<i64>, _>("resolved").map(|r| r == 1),
        });
        let named = |column: &str, none: &str| {
            row.get::<Option<String>, _>(column)
                .unwrap_or_else(|| none.to_string())
        };
        agents.push(named("agent", "Sin asignar"));
        areas.push(named("area", "Sin escalar"));
        categories.push(named("category", "Sin categoría"));
        tiers.push(
            ventanilla::tier::Tier::from_code(&row.get::<String, _>("tier"))
                .map(|t| t.label_es().to_string())
                .unwrap_or_else(|| row.get("tier")),
        );
        months.push(month_of(at));
    }
    let all: Vec<&Answer> = answers.iter().collect();
    let total = group("Total".to_string(), &all);
    // Keyed "YYYY-MM", so the groups come out in calendar order.
    let by_month = split(&answers, &months);

    let invited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM survey_invitations WHERE created_at >= $1 AND created_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_one(&state.pool)
    .await?
    .get("n");
    let answered_of_invited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM survey_invitations \
         WHERE created_at >= $1 AND created_at < $2 AND answered_at IS NOT NULL",
    )
    .bind(start)
    .bind(end)
    .fetch_one(&state.pool)
    .await?
    .get("n");

    Ok(SurveyResults {
        from: from_day.format("%Y-%m-%d").to_string(),
        to: to_day.format("%Y-%m-%d").to_string(),
        invited: invited as u64,
        response_rate: (invited > 0).then(|| answered_of_invited as f64 * 100.0 / invited as f64),
        total,
        by_month,
        by_agent: split(&answers, &agents),
        by_area: split(&answers, &areas),
        by_category: split(&answers, &categories),
        by_tier: split(&answers, &tiers),
        comments,
        detractors: detractor_indicators(state, start, end).await?,
    })
}

/// Seed 003 §5: "(cuentas con contacto efectivo / total de registros enviados) × 100", goal
/// 80 %; the conversion the second survey shows; and the 24-hour limit of §4 step 5. Over the
/// cases opened in the period.
async fn detractor_indicators(
    state: &AppState,
    start: i64,
    end: i64,
) -> Result<DetractorIndicators, AppError> {
    let now = crate::platform::db::now();
    let row = sqlx::query(
        "SELECT COUNT(*) AS cases, \
         SUM(CASE WHEN outcome = 'contactado' THEN 1 ELSE 0 END) AS contacted, \
         SUM(CASE WHEN (closed_at IS NOT NULL AND closed_at > due_at) OR (closed_at IS NULL AND due_at < $3) THEN 1 ELSE 0 END) AS late \
         FROM recovery_cases WHERE opened_at >= $1 AND opened_at < $2",
    )
    .bind(start)
    .bind(end)
    .bind(now)
    .fetch_one(&state.pool)
    .await?;
    let cases: i64 = row.get("cases");
    let contacted = row.get::<Option<i64>, _>("contacted").unwrap_or_default();
    let late = row.get::<Option<i64>, _>("late").unwrap_or_default();
    let second = sqlx::query(
        "SELECT COUNT(*) AS answered, SUM(CASE WHEN v.nps >= 9 THEN 1 ELSE 0 END) AS promoters \
         FROM recovery_surveys v JOIN recovery_cases c ON c.id = v.case_id \
         WHERE v.answered_at IS NOT NULL AND c.opened_at >= $1 AND c.opened_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_one(&state.pool)
    .await?;
    let answered: i64 = second.get("answered");
    let promoters = second
        .get::<Option<i64>, _>("promoters")
        .unwrap_or_default();
    Ok(DetractorIndicators {
        cases: cases as u64,
        contacted: contacted as u64,
        effective_contact: (cases > 0).then(|| contacted as f64 * 100.0 / cases as f64),
        second_surveys: answered as u64,
        promoters_after: promoters as u64,
        conversion: (answered > 0).then(|| promoters as f64 * 100.0 / answered as f64),
        past_24h: late as u64,
    })
}
