//! What travels between the surveys' server functions and pages: the transactional survey,
//! relationship campaigns and the results page.

use serde::{Deserialize, Serialize};

/// What the survey page shows for a link (survey requirement). Expired, answered and unknown links are
/// data, not errors: the page says which in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SurveyStatus {
    /// `about_call`: the second survey, about a detractor recovery call (seed 003); then
    /// `subject` is when the call's survey was sent and `radicado` is empty.
    Open {
        radicado: String,
        subject: String,
        about_call: bool,
    },
    Answered,
    Expired,
    Unknown,
}

/// One group of survey answers (an agent, an area, a category, a tier, or a month).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyGroup {
    pub label: String,
    pub answers: u64,
    /// CSAT top-two-box %, `None` without answers.
    pub csat: Option<f64>,
    pub nps: Option<ventanilla::survey::NpsSummary>,
    /// Share of "sí, se resolvió" answers: first-contact resolution as customers tell it.
    pub resolved: Option<f64>,
}

/// A comment left in a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyComment {
    pub at: String,
    pub radicado: String,
    pub nps: i64,
    pub csat: i64,
    pub comment: String,
}

/// The detractor desk's indicators (seed 003 §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetractorIndicators {
    pub cases: u64,
    pub contacted: u64,
    /// Contacted ÷ all cases × 100 (goal ≥ 80 %); `None` without cases.
    pub effective_contact: Option<f64>,
    /// Second surveys answered, and how many of those are promoters (9–10).
    pub second_surveys: u64,
    pub promoters_after: u64,
    /// Detractor → promoter conversion %, `None` without second surveys.
    pub conversion: Option<f64>,
    /// Cases handled after their 24 hours, or still open past them.
    pub past_24h: u64,
}

/// The survey results page: a period, its totals, its splits and the desk's indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResults {
    /// The period, `YYYY-MM-DD` both ends included (Bogotá days).
    pub from: String,
    pub to: String,
    pub invited: u64,
    pub total: SurveyGroup,
    /// Answers ÷ invitations sent in the period × 100.
    pub response_rate: Option<f64>,
    pub by_month: Vec<SurveyGroup>,
    pub by_agent: Vec<SurveyGroup>,
    pub by_area: Vec<SurveyGroup>,
    pub by_category: Vec<SurveyGroup>,
    pub by_tier: Vec<SurveyGroup>,
    pub comments: Vec<SurveyComment>,
    pub detractors: DetractorIndicators,
}

/// A relationship survey campaign as the campaigns list shows it (seed 001 §5.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub id: String,
    pub name: String,
    /// "Borrador" or "Lanzada".
    pub state: String,
    pub launched: bool,
    /// "15/12/2026 – 31/01/2027".
    pub period: String,
    pub questions: String,
    pub sample_size: u64,
    pub invited: u64,
    pub answered: u64,
}

/// One stratum (customer tier) of a campaign: its accounts and its part of the sample; after
/// the launch, also what it answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignStratum {
    pub tier: String,
    pub population: u64,
    pub sample: u64,
    pub answered: u64,
    pub csat: Option<f64>,
    pub nps: Option<ventanilla::survey::NpsSummary>,
}

/// A comment left in a campaign answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignComment {
    pub at: String,
    pub tier: String,
    pub nps: Option<i64>,
    pub csat: Option<i64>,
    pub comment: String,
}

/// The campaign page: its design, the population and sample before the launch, and the
/// results as they arrive after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignView {
    pub id: String,
    pub name: String,
    pub launched: bool,
    pub state: String,
    pub period: String,
    pub questions: String,
    pub ask_nps: bool,
    pub ask_csat: bool,
    /// "95 %".
    pub confidence: String,
    pub margin_percent: u8,
    pub stratified: bool,
    /// Active customer accounts: now for a draft, at the launch for a launched campaign.
    pub population: u64,
    pub sample_size: u64,
    /// Per tier; the allocation a stratified draft will draw, or the invitations sent.
    pub strata: Vec<CampaignStratum>,
    pub launched_at: Option<String>,
    /// Whether the period still lets a draft be launched today, and if not, why.
    pub launch_blocked: Option<String>,
    pub invited: u64,
    pub answered: u64,
    /// Answered ÷ invited × 100; `None` before the launch.
    pub response_rate: Option<f64>,
    pub csat: Option<f64>,
    pub nps: Option<ventanilla::survey::NpsSummary>,
    pub comments: Vec<CampaignComment>,
}

/// What a campaign survey link (or a pending survey in the portal) leads to now. Like
/// [`SurveyStatus`], each case is data the page puts in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CampaignSurveyStatus {
    Open {
        campaign: String,
        ask_nps: bool,
        ask_csat: bool,
        ask_comment: bool,
        /// The last day answers are taken, "31/01/2027".
        closes: String,
    },
    Answered,
    Expired,
    Unknown,
}

/// A campaign survey the signed-in customer has not answered yet, offered in the portal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingCampaignSurvey {
    pub invitation_id: String,
    pub campaign: String,
    pub closes: String,
}

/// The campaigns page: the population a new campaign would sample today, the form's default
/// period, and the campaigns so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignsOverview {
    /// Active customer accounts that can be invited (at least one customer user).
    pub population: u64,
    /// The sample at the default design (95 %, 5 %).
    pub default_sample: u64,
    /// `YYYY-MM-DD`, Bogotá: today and thirty days later.
    pub today: String,
    pub default_end: String,
    pub campaigns: Vec<CampaignSummary>,
}
