//! The indicators as the server sends them.

use serde::{Deserialize, Serialize};

/// One indicator over the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable key (`first_response_within_ans`, …): the API's name for it.
    pub key: String,
    pub name: String,
    /// The formula in words, as the seeds state it.
    pub formula: String,
    /// Where the rule comes from.
    pub source: String,
    pub numerator: i64,
    /// `None` for a count (received, open at the end…).
    pub denominator: Option<i64>,
    /// Percentage (or the count itself); `None` when the denominator is 0: "sin datos".
    pub value: Option<f64>,
    /// The goal, a percentage; `None` where the seeds set none.
    pub goal: Option<f64>,
    /// Whether the value meets the goal; `None` without goal or without data.
    pub meets: Option<bool>,
    /// Whether the requests behind the figure can be listed (`/equipo/indicadores/detalle`).
    pub drills_down: bool,
    /// Whether the requests behind the denominator can be listed (the NPS lists only its
    /// base: its numerator is a balance).
    #[serde(default)]
    pub base_drills_down: bool,
    /// Who answers for it (seed 001 §5.3 "responsable"); empty when nobody was named.
    #[serde(default)]
    pub owner: String,
}

/// The indicators of one period (`from`–`to`, days in Bogotá, both included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorReport {
    pub from: String,
    pub to: String,
    pub indicators: Vec<Indicator>,
    /// Whether the reader may change the goals and owners (admins).
    #[serde(default)]
    pub can_edit_goals: bool,
    /// Tiempo de primera respuesta (seed 000 §7): the first responses given in the period, by
    /// tier and priority, then all of them; only the pairs that had any.
    pub first_response_times: Vec<ResponseTime>,
    /// The usual periods, as links.
    pub presets: Vec<PeriodPreset>,
    /// The filters the figures were narrowed by.
    #[serde(default)]
    pub filters: IndicatorFilters,
    /// What each filter can be set to.
    #[serde(default)]
    pub options: FilterOptions,
}

/// The dashboard's filters (issue 20: "filters (type, category, area, agent, tier, channel,
/// segment)"): each narrows every request figure to the requests that match, and the survey
/// figures to those requests' surveys. Empty means all. Calls are not requests: the call
/// figure is never narrowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorFilters {
    /// A request type code (`queja`).
    pub request_type: String,
    /// A category id.
    pub category: String,
    /// The id of the area the request is escalated to.
    pub area: String,
    /// The id of the staff member it is assigned to.
    pub agent: String,
    /// A tier code (`vip`).
    pub tier: String,
    /// A channel code (`portal`).
    pub channel: String,
    /// The customer's segment (`hogar`).
    pub segment: String,
}

impl IndicatorFilters {
    /// The filters with the address names the dashboard uses: (name, value).
    pub fn pairs(&self) -> [(&'static str, &str); 7] {
        [
            ("tipo", &self.request_type),
            ("categoria", &self.category),
            ("area", &self.area),
            ("agente", &self.agent),
            ("nivel", &self.tier),
            ("canal", &self.channel),
            ("segmento", &self.segment),
        ]
    }

    /// The filters read from an address's query, by [`pairs`](Self::pairs)' names.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> IndicatorFilters {
        let read = |name: &str| get(name).unwrap_or_default().trim().to_string();
        IndicatorFilters {
            request_type: read("tipo"),
            category: read("categoria"),
            area: read("area"),
            agent: read("agente"),
            tier: read("nivel"),
            channel: read("canal"),
            segment: read("segmento"),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pairs().iter().all(|(_, value)| value.is_empty())
    }

    /// The filters set, as the tail of an address: `&tipo=queja&area=…`.
    pub fn query(&self) -> String {
        self.pairs()
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| format!("&{name}={}", encode(value)))
            .collect()
    }
}

/// A query-string value: letters, digits and `-_.~` as they are, the rest percent-encoded.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// What each filter of the dashboard can be set to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterOptions {
    pub request_types: Vec<crate::ui::choice::Choice>,
    pub categories: Vec<crate::ui::choice::Choice>,
    pub areas: Vec<crate::ui::choice::Choice>,
    pub agents: Vec<crate::ui::choice::Choice>,
    pub tiers: Vec<crate::ui::choice::Choice>,
    pub channels: Vec<crate::ui::choice::Choice>,
    pub segments: Vec<crate::ui::choice::Choice>,
}

/// The monthly report (seed 001 act. 5; seed 002 §5.2.23–27).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthlyReport {
    /// "2026-11".
    pub month: String,
    /// "noviembre de 2026".
    pub month_label: String,
    pub organization: String,
    pub nit: String,
    /// "2026-12-01 08:00".
    pub generated_at: String,
    pub indicators: Vec<Indicator>,
    pub first_response_times: Vec<ResponseTime>,
    /// Volumes by type, channel, category, tier and area.
    pub breakdowns: Vec<Breakdown>,
    /// The last six months, the report's last.
    pub trend: Vec<MonthFigures>,
    /// Escalations to each area in the month (seed 002 §6, seed 004 PQRS 4).
    pub escalations: Vec<AreaEscalations>,
}

/// The requests escalated to one area in the month, and how the area answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaEscalations {
    pub area: String,
    pub escalated: i64,
    /// Answered by the area (to the agent), then or later.
    pub answered: i64,
    /// Calendar time from the escalation to the area's answer, of those answered.
    pub mean_seconds: Option<i64>,
    pub median_seconds: Option<i64>,
    /// "2 h 05 min", or "—".
    pub mean: String,
    pub median: String,
    /// Not answered by the area and past their legal term now.
    pub overdue_unanswered: i64,
}

/// The month's volumes by one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub title: String,
    pub rows: Vec<BreakdownRow>,
}

/// Received in the month, answered in it and open at its end, of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakdownRow {
    pub label: String,
    pub received: i64,
    pub answered: i64,
    pub open_at_end: i64,
}

/// One month of the trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthFigures {
    /// "2026-11".
    pub month: String,
    /// "noviembre de 2026".
    pub label: String,
    pub received: i64,
    pub answered: i64,
    pub closed: i64,
}

/// The first responses of one tier and priority (or of all: "Todos"), in business time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseTime {
    pub tier: String,
    pub priority: String,
    pub responses: i64,
    pub mean_seconds: i64,
    pub median_seconds: i64,
    /// "2 h 05 min".
    pub mean: String,
    pub median: String,
}

/// A usual period (this month, the previous one…), days in Bogotá.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodPreset {
    pub label: String,
    pub from: String,
    pub to: String,
}

/// One request behind a figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillRow {
    pub radicado: String,
    pub subject: String,
    /// The state in words.
    pub state: String,
    /// "2026-11-03 09:00".
    pub received: String,
}

/// The requests behind one figure of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillDown {
    pub key: String,
    pub name: String,
    /// "Cumplen" (the numerator) or "Base del cálculo" (the denominator).
    pub part: String,
    pub from: String,
    pub to: String,
    pub rows: Vec<DrillRow>,
    /// More requests than the list shows ([`DRILL_LIMIT`]).
    pub truncated: bool,
}

/// The most requests one detail list shows.
pub const DRILL_LIMIT: usize = 500;

/// One indicator's goal and owner as the admin's form shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalLine {
    pub key: String,
    pub name: String,
    /// The built-in goal, "97" or "" (none): what an empty field gives back.
    pub default_goal: String,
    /// "97,5" or "" (none).
    pub goal: String,
    pub owner: String,
    /// "Ana Administradora · 2026-12-03 10:00", or empty when never changed.
    pub changed: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_travel_in_the_address() {
        let filters = IndicatorFilters {
            request_type: "queja".into(),
            segment: "pequeña empresa".into(),
            ..Default::default()
        };
        assert_eq!(
            filters.query(),
            "&tipo=queja&segmento=peque%C3%B1a%20empresa"
        );
        let read =
            IndicatorFilters::from_query(|name| (name == "tipo").then(|| " queja ".to_string()));
        assert_eq!(read.request_type, "queja");
        assert!(!read.is_empty());
        assert!(IndicatorFilters::default().is_empty());
    }
}
