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
}

/// The indicators of one period (`from`–`to`, days in Bogotá, both included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorReport {
    pub from: String,
    pub to: String,
    pub indicators: Vec<Indicator>,
    /// The usual periods, as links.
    pub presets: Vec<PeriodPreset>,
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
