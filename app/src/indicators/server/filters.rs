//! What each filter of the dashboard can be set to: the request types, tiers and channels of
//! the domain, and the categories, areas, staff and segments of this desk. Retired
//! categories and inactive staff are offered too: last year's figures may need them.

use sqlx::Row;

use crate::error::AppError;
use crate::indicators::model::FilterOptions;
use crate::state::AppState;
use crate::ui::choice::Choice;

async fn choices(pool: &sqlx::AnyPool, sql: &str) -> Result<Vec<Choice>, AppError> {
    Ok(sqlx::query(sql)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| Choice::new(row.get::<String, _>("code"), row.get::<String, _>("label")))
        .collect())
}

/// Every option of every filter, in the order the selects list them.
pub async fn options(state: &AppState) -> Result<FilterOptions, AppError> {
    use ventanilla::channel::Channel;
    use ventanilla::legal::RequestType;
    use ventanilla::tier::Tier;
    let pool = &state.pool;
    Ok(FilterOptions {
        request_types: RequestType::ALL
            .iter()
            .map(|t| Choice::new(t.code(), t.label_es()))
            .collect(),
        categories: choices(
            pool,
            "SELECT id AS code, name AS label FROM categories ORDER BY position, name",
        )
        .await?,
        areas: choices(
            pool,
            "SELECT id AS code, name AS label FROM areas ORDER BY name",
        )
        .await?,
        agents: choices(
            pool,
            "SELECT id AS code, full_name AS label FROM users WHERE role <> 'cliente' \
             ORDER BY full_name, email",
        )
        .await?,
        tiers: Tier::ALL
            .iter()
            .map(|t| Choice::new(t.code(), t.label_es()))
            .collect(),
        channels: Channel::ALL
            .iter()
            .map(|c| Choice::new(c.code(), c.label_es()))
            .collect(),
        segments: state
            .config
            .surveys
            .segments
            .iter()
            .map(|s| {
                let mut label = s.clone();
                if let Some(first) = label.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                Choice::new(s.clone(), label)
            })
            .collect(),
    })
}

/// The dimensions the API groups the indicators by (`group_by`), each one filter.
pub const DIMENSIONS: [&str; 7] = [
    "type", "category", "area", "agent", "tier", "channel", "segment",
];

/// The indicators of `period` once per value of `dimension` (one of [`DIMENSIONS`]), each
/// narrowed by that value on top of `filters`: the figures a manager compares side by side.
/// A group with no request received, answered, closed or open in the period is left out.
pub async fn grouped(
    state: &AppState,
    period: (chrono::NaiveDate, chrono::NaiveDate),
    now: i64,
    filters: &crate::indicators::model::IndicatorFilters,
    dimension: &str,
) -> Result<Vec<(Choice, crate::indicators::model::IndicatorReport)>, AppError> {
    let options = options(state).await?;
    let values = match dimension {
        "type" => options.request_types,
        "category" => options.categories,
        "area" => options.areas,
        "agent" => options.agents,
        "tier" => options.tiers,
        "channel" => options.channels,
        "segment" => options.segments,
        other => {
            return Err(AppError::validation(format!(
                "group_by: «{other}» no es una dimensión; use {}.",
                DIMENSIONS.join(", ")
            )))
        }
    };
    let mut groups = Vec::new();
    for value in values {
        let mut narrowed = filters.clone();
        let code = value.code.clone();
        match dimension {
            "type" => narrowed.request_type = code,
            "category" => narrowed.category = code,
            "area" => narrowed.area = code,
            "agent" => narrowed.agent = code,
            "tier" => narrowed.tier = code,
            "channel" => narrowed.channel = code,
            _ => narrowed.segment = code,
        }
        let report = crate::indicators::server::compute::report_filtered(
            &state.pool,
            period,
            now,
            &narrowed,
        )
        .await?;
        let active = report.indicators.iter().any(|i| {
            matches!(
                i.key.as_str(),
                "received" | "answered" | "closed" | "open_at_end"
            ) && i.numerator > 0
        });
        if active {
            groups.push((value, report));
        }
    }
    Ok(groups)
}
