//! What the ANS screens show, as the server sends it.

use serde::{Deserialize, Serialize};

/// One tier's row of the matrix form: the hours for alta, media and baja as typed (empty
/// where the tier may not use the priority).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub tier_code: String,
    pub tier_label: String,
    /// Alta, media, baja.
    pub hours: Vec<String>,
}

/// The settings as the form shows them, prefilled with the version in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnsForm {
    pub matrix: Vec<MatrixRow>,
    /// "1,5".
    pub vip_threshold_smlmv: String,
    /// One "año: valor" per line.
    pub smlmv_overrides: String,
    pub auto_close_days: u32,
    pub review_sample_percent: u32,
    /// "08:00".
    pub weekday_open: String,
    pub weekday_close: String,
    /// Empty when Saturday is closed.
    pub saturday_open: String,
    pub saturday_close: String,
    /// One "AAAA-MM-DD" per line.
    pub non_working_days: String,
    /// Empty when the first contact is not measured.
    pub first_contact_hours: String,
}

/// One published version in the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnsVersionLine {
    pub number: i64,
    /// "2026-12-04 00:00".
    pub effective: String,
    /// "Vigente", "Programada" or "Anterior".
    pub status: String,
    /// The first-response times and the VIP threshold, in words.
    pub summary: Vec<String>,
    pub auto_close_days: u32,
    pub review_sample_percent: u32,
    pub note: String,
    pub published_by: String,
    pub published_at: String,
    pub customers_notified: i64,
}

/// The admin's ANS screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnsScreen {
    pub in_force: i64,
    pub form: AnsForm,
    /// Today in Bogotá, "YYYY-MM-DD": the earliest effective date.
    pub today: String,
    pub versions: Vec<AnsVersionLine>,
}

/// A change of the ANS the portal announces to customers (seed 000 §11).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnsNotice {
    pub effective: String,
    /// Whether it is already in force.
    pub in_force: bool,
    pub summary: Vec<String>,
    pub note: String,
}
