//! The indicator catalogue's goals and owners (issue 20; seed 001 §5.3 gives each indicator
//! "meta" and "responsable"): the formulas are fixed in code, an admin sets the goal of each
//! ratio and who answers for it. A stored row overrides the built-in goal; every change is
//! audited with the old and new values, in the same transaction.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;
use sqlx::Row;

use crate::accounts::model::SessionUser;
use crate::error::AppError;
use crate::indicators::model::{GoalLine, Indicator};
use crate::indicators::server::compute::{name_and_goal, KEYS};
use crate::platform::audit::{self, Actor};
use crate::timers::local_time;

/// Longest owner name accepted.
pub const MAX_OWNER: usize = 120;

/// A stored goal and owner.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// Tenths of a percentage point; `None`: measured without a goal.
    pub goal_tenths: Option<i64>,
    pub owner: String,
    pub changed: String,
}

impl Stored {
    fn goal(&self) -> Option<f64> {
        self.goal_tenths.map(|t| t as f64 / 10.0)
    }

    /// The indicator with this goal (and whether it is met) and owner.
    pub fn apply(&self, indicator: &mut Indicator) {
        indicator.goal = self.goal();
        indicator.meets = indicator
            .goal
            .zip(indicator.value)
            .map(|(goal, value)| value >= goal);
        indicator.owner = self.owner.clone();
    }
}

/// Every stored goal by key.
pub async fn stored(pool: &sqlx::AnyPool) -> Result<HashMap<String, Stored>, AppError> {
    Ok(sqlx::query(
        "SELECT key, goal_tenths, owner, updated_by_name, updated_at FROM indicator_goals",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        (
            row.get::<String, _>("key"),
            Stored {
                goal_tenths: row.get("goal_tenths"),
                owner: row.get("owner"),
                changed: format!(
                    "{} · {}",
                    row.get::<String, _>("updated_by_name"),
                    local_time(row.get("updated_at"))
                ),
            },
        )
    })
    .collect())
}

/// The ratios: the indicators a goal makes sense for (counts have none).
fn ratio_keys() -> impl Iterator<Item = &'static str> {
    KEYS.into_iter()
        .filter(|key| !matches!(*key, "received" | "answered" | "closed" | "open_at_end"))
}

/// "97,5", "97" or "".
fn goal_text(goal: Option<f64>) -> String {
    goal.map(|g| {
        if g.fract() == 0.0 {
            format!("{g:.0}")
        } else {
            format!("{g:.1}").replace('.', ",")
        }
    })
    .unwrap_or_default()
}

/// The form: one line per ratio, with its goal in force and owner.
pub async fn lines(pool: &sqlx::AnyPool) -> Result<Vec<GoalLine>, AppError> {
    let stored = stored(pool).await?;
    Ok(ratio_keys()
        .map(|key| {
            let (name, default_goal) = name_and_goal(key);
            let kept = stored.get(key);
            GoalLine {
                key: key.to_string(),
                name: name.to_string(),
                default_goal: goal_text(default_goal),
                goal: goal_text(kept.map_or(default_goal, Stored::goal)),
                owner: kept.map(|s| s.owner.clone()).unwrap_or_default(),
                changed: kept.map(|s| s.changed.clone()).unwrap_or_default(),
            }
        })
        .collect())
}

/// A goal as typed, in tenths: empty is none; the NPS goes from −100 to 100, the rest from 0
/// to 100; one decimal at most.
fn parse_goal(key: &str, name: &str, text: &str) -> Result<Option<i64>, AppError> {
    let text = text.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return Ok(None);
    }
    let low = if key == "nps" { -100.0 } else { 0.0 };
    let refused = || {
        AppError::validation(format!(
            "{name}: la meta es un porcentaje entre {low:.0} y 100, con un decimal como máximo (por ejemplo 97,5), o vacía si no tiene meta."
        ))
    };
    let value: f64 = text.replace(',', ".").parse().map_err(|_| refused())?;
    let tenths = value * 10.0;
    if !value.is_finite() || !(low..=100.0).contains(&value) || tenths.fract().abs() > 1e-9 {
        return Err(refused());
    }
    Ok(Some(tenths.round() as i64))
}

/// Saves the goals and owners the admin submitted (`goal[key]`, `owner[key]`), all or
/// nothing: one bad line refuses the form. Only changed lines are written and audited; an
/// indicator the form leaves out keeps its goal and owner.
pub async fn save(
    pool: &sqlx::AnyPool,
    admin: &SessionUser,
    goals: &BTreeMap<String, String>,
    owners: &BTreeMap<String, String>,
) -> Result<usize, AppError> {
    if admin.role != ventanilla::role::Role::Admin {
        return Err(AppError::Forbidden);
    }
    if let Some(unknown) = goals
        .keys()
        .chain(owners.keys())
        .find(|key| !ratio_keys().any(|k| k == key.as_str()))
    {
        return Err(AppError::validation(format!(
            "No existe el indicador «{unknown}»; recargue la página."
        )));
    }
    // A field the form did not send keeps what is in force.
    let before = stored(pool).await?;
    let mut wanted = Vec::new();
    for key in ratio_keys() {
        let (name, built_in) = name_and_goal(key);
        let old = before.get(key);
        let old_goal = old.map_or(built_in.map(|g| (g * 10.0).round() as i64), |s| {
            s.goal_tenths
        });
        let old_owner = old.map(|s| s.owner.clone()).unwrap_or_default();
        let goal = match goals.get(key) {
            Some(text) => parse_goal(key, name, text)?,
            None => old_goal,
        };
        let owner = match owners.get(key).map(|o| o.trim()) {
            None => old_owner.clone(),
            Some("") => String::new(),
            Some(owner) => {
                ventanilla::text::free_text(&format!("{name}: responsable"), owner, MAX_OWNER)
                    .map_err(AppError::validation)?
            }
        };
        if (old_goal, old_owner.as_str()) != (goal, owner.as_str()) {
            wanted.push((key, goal, owner, old_goal, old_owner));
        }
    }
    let at = crate::platform::db::now();
    let mut tx = crate::platform::db::begin(pool).await?;
    let changed = wanted.len();
    for (key, goal, owner, old_goal, old_owner) in wanted {
        sqlx::query("DELETE FROM indicator_goals WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO indicator_goals (key, goal_tenths, owner, updated_by_name, updated_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(key)
        .bind(goal)
        .bind(&owner)
        .bind(&admin.full_name)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &Actor::user(&admin.id, &admin.full_name),
            "meta_indicador_cambiada",
            "indicador",
            key,
            json!({
                "goal_tenths": { "old": old_goal, "new": goal },
                "owner": { "old": old_owner, "new": owner },
            }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_are_percentages_with_one_decimal() {
        assert_eq!(parse_goal("csat", "CSAT", " 97,5 % ").unwrap(), Some(975));
        assert_eq!(parse_goal("csat", "CSAT", "90").unwrap(), Some(900));
        assert_eq!(parse_goal("csat", "CSAT", "").unwrap(), None);
        assert_eq!(parse_goal("nps", "NPS", "-20").unwrap(), Some(-200));
        for bad in ["101", "-1", "97,55", "noventa", "NaN"] {
            let message = parse_goal("csat", "CSAT", bad).unwrap_err().to_string();
            assert!(message.contains("entre 0 y 100"), "{bad}: {message}");
        }
        assert_eq!(goal_text(Some(97.5)), "97,5");
        assert_eq!(goal_text(Some(90.0)), "90");
        assert_eq!(ratio_keys().count(), 9);
    }
}
