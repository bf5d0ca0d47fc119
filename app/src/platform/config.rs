//! Runtime configuration, read once from the environment at start-up.
//! README.md lists every variable with its default.

pub mod notifications;

use crate::organization::Organization;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` (default, a file under `data/`) or `postgres://…`.
    pub database_url: String,
    /// Adds `Secure` to the session cookie; turn on when served over TLS.
    pub secure_cookies: bool,
    pub session_hours: i64,
    /// A session unused this long ends (OWASP ASVS 3.3.2), besides `session_hours`.
    pub session_idle_minutes: i64,
    /// Failed sign-ins allowed per account in `sign_in_window_minutes` before it is locked.
    pub max_failures_per_account: i64,
    /// Failed sign-ins allowed per client IP in the same window.
    pub max_failures_per_ip: i64,
    pub sign_in_window_minutes: i64,
    pub organization: Organization,
    /// How notifications are delivered (seed 000 §6).
    pub notifications: crate::platform::config::notifications::NotificationConfig,
    /// Where attachment files are kept, content-addressed by SHA-256.
    pub attachments_dir: std::path::PathBuf,
    pub attachments: ventanilla::attachment::AttachmentPolicy,
    /// When an answered request closes by itself (seed 000 §5 e).
    pub auto_close: ventanilla::lifecycle::AutoClosePolicy,
    /// Share of answers (0–100) that go to quality review before the customer sees them
    /// (seed 002 §5.2.14: "por lo menos el 50 % de los registros").
    pub review_sample_percent: u32,
    /// ANS version 1's business hours on a fresh install: local non-working days and
    /// Saturday hours on top of the Colombian calendar. Published versions decide after that.
    pub business_hours: ventanilla::ans::BusinessHours,
    /// How contract values map to tiers (seed 000 §3: the VIP threshold in SMLMV).
    pub tiers: ventanilla::tier::TierPolicy,
    /// The transactional survey and its detractor cases (survey requirement, seed 003).
    pub surveys: SurveyPolicy,
    /// Where the doubled term of a prórroga is counted from (REFERENCE.md §7.3: the law does
    /// not say, so it is configuration).
    pub extension: ventanilla::legal::ExtensionPolicy,
    /// How long live events stay in the log a reconnecting page resumes from.
    pub event_retention_hours: i64,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`platform::client_address`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// A request still unanswered after this long is cut off with a 503: its transaction rolls
    /// back, and a stuck query cannot hold a worker for ever.
    pub request_timeout_seconds: u64,
    /// Requests handled at once; beyond it the server answers 503 at once instead of queueing
    /// without bound (live event streams are bounded per user instead).
    pub max_concurrent_requests: usize,
    /// Registrations, filings and replies per hour (`platform::quota`).
    pub quotas: crate::platform::quota::Quotas,
    /// The weekday the reporte de fallas goes to each area (seed 002 §6); `None` sends none.
    pub failure_report_day: Option<chrono::Weekday>,
}

/// How the transactional survey is sent and who is not called back.
#[derive(Debug, Clone)]
pub struct SurveyPolicy {
    /// The address customers reach this site at; survey links in e-mail start with it.
    pub public_url: String,
    /// Days a survey link stays valid after the request closes.
    pub days: i64,
    /// Account kinds that are typified but never called (seed 003 §4 step 4: cortesía, pyme).
    pub excluded_kinds: Vec<String>,
    /// The desk's segments (seed 003 §4 step 2: "hogar/móvil"; configurable because other
    /// operations split differently). Imported rows must name one; the first is the default.
    pub segments: Vec<String>,
}

impl Config {
    /// The ANS settings a fresh install starts with (its version 1): the variables above,
    /// the seed's matrix. Afterwards the admin's ANS screen decides.
    pub fn ans_defaults(&self) -> ventanilla::ans::AnsSettings {
        ventanilla::ans::AnsSettings {
            matrix: ventanilla::sla::SlaMatrix::default(),
            tiers: self.tiers.clone(),
            auto_close_days: self.auto_close.days.clamp(1, 30),
            review_sample_percent: self.review_sample_percent.min(100),
            business_hours: self.business_hours.clone(),
            first_contact_hours: None,
        }
    }

    pub fn from_env() -> Self {
        fn var(name: &str, default: &str) -> String {
            std::env::var(name).unwrap_or_else(|_| default.to_string())
        }
        fn number(name: &str, default: i64) -> i64 {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        }
        Config {
            database_url: var("DATABASE_URL", "sqlite://data/ventanilla.db"),
            // Served over https (as the public address says), the cookie is always Secure.
            secure_cookies: matches!(
                var("VENTANILLA_SECURE_COOKIES", "false").as_str(),
                "1" | "true" | "si" | "sí"
            ) || var("VENTANILLA_PUBLIC_URL", "").starts_with("https://"),
            session_hours: number("VENTANILLA_SESSION_HOURS", 12),
            session_idle_minutes: number("VENTANILLA_SESSION_IDLE_MINUTES", 60).max(1),
            max_failures_per_account: number("VENTANILLA_MAX_FAILURES_PER_ACCOUNT", 5),
            max_failures_per_ip: number("VENTANILLA_MAX_FAILURES_PER_IP", 20),
            sign_in_window_minutes: number("VENTANILLA_SIGN_IN_WINDOW_MINUTES", 15),
            attachments_dir: var("VENTANILLA_ATTACHMENTS_DIR", "data/attachments").into(),
            attachments: ventanilla::attachment::AttachmentPolicy {
                max_file_bytes: number("VENTANILLA_MAX_FILE_MB", 10).max(1) as u64 * 1024 * 1024,
                max_message_bytes: number("VENTANILLA_MAX_MESSAGE_MB", 25).max(1) as u64
                    * 1024
                    * 1024,
                max_files: number("VENTANILLA_MAX_FILES", 10).max(1) as usize,
            },
            auto_close: ventanilla::lifecycle::AutoClosePolicy {
                days: number("VENTANILLA_AUTO_CLOSE_DAYS", 3).max(1) as u32,
                business_days: var("VENTANILLA_AUTO_CLOSE_BUSINESS_DAYS", "true") != "false",
            },
            business_hours: parse_business_hours(
                &var("VENTANILLA_NON_WORKING_DAYS", ""),
                &var("VENTANILLA_SATURDAY_HOURS", ""),
            )
            .unwrap_or_default(),
            review_sample_percent: number("VENTANILLA_REVIEW_SAMPLE_PERCENT", 50).clamp(0, 100)
                as u32,
            tiers: ventanilla::tier::TierPolicy {
                vip_threshold_smlmv: var("VENTANILLA_VIP_THRESHOLD_SMLMV", "1.5")
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v > 0.0)
                    .unwrap_or(1.5),
                ..Default::default()
            },
            surveys: SurveyPolicy {
                public_url: var("VENTANILLA_PUBLIC_URL", "http://127.0.0.1:3000")
                    .trim_end_matches('/')
                    .to_string(),
                days: number("VENTANILLA_SURVEY_DAYS", 30).max(1),
                excluded_kinds: var("VENTANILLA_DETRACTOR_EXCLUDED_KINDS", "cortesia,pyme")
                    .split(',')
                    .map(|kind| kind.trim().to_lowercase())
                    .filter(|kind| !kind.is_empty())
                    .collect(),
                segments: var("VENTANILLA_DETRACTOR_SEGMENTS", "hogar,movil,empresa")
                    .split(',')
                    .map(ventanilla::text::normalize)
                    .filter(|segment| !segment.is_empty())
                    .collect(),
            },
            extension: ventanilla::legal::ExtensionPolicy {
                basis: ventanilla::legal::ExtensionBasis::from_code(&var(
                    "VENTANILLA_EXTENSION_BASIS",
                    "desde_radicacion",
                ))
                .unwrap_or(ventanilla::legal::ExtensionBasis::FromReceipt),
            },
            notifications: crate::platform::config::notifications::NotificationConfig::from_env(),
            event_retention_hours: number("VENTANILLA_EVENT_RETENTION_HOURS", 24).max(1),
            // Checked strictly at start-up (`ventanilla serve` refuses a bad list).
            trusted_proxies: crate::platform::client_address::parse_trusted(&var(
                "VENTANILLA_TRUSTED_PROXIES",
                "",
            ))
            .unwrap_or_default(),
            failure_report_day: weekday(&var("VENTANILLA_FAILURE_REPORT_DAY", "lunes"))
                .unwrap_or(Some(chrono::Weekday::Mon)),
            request_timeout_seconds: number("VENTANILLA_REQUEST_TIMEOUT_SECONDS", 120).max(1)
                as u64,
            max_concurrent_requests: number("VENTANILLA_MAX_CONCURRENT_REQUESTS", 512).max(1)
                as usize,
            quotas: {
                use crate::platform::quota::{Quota, Quotas};
                let defaults = Quotas::default();
                let quota = |name: &str, default: Quota| Quota {
                    per_hour: number(name, default.per_hour).max(1),
                };
                Quotas {
                    registrations_per_address: quota(
                        "VENTANILLA_MAX_REGISTRATIONS_PER_HOUR",
                        defaults.registrations_per_address,
                    ),
                    filings_per_customer: quota(
                        "VENTANILLA_MAX_FILINGS_PER_HOUR",
                        defaults.filings_per_customer,
                    ),
                    replies_per_customer: quota(
                        "VENTANILLA_MAX_REPLIES_PER_HOUR",
                        defaults.replies_per_customer,
                    ),
                }
            },
            organization: Organization {
                name: var("VENTANILLA_ORG_NAME", "Acción Eficaz S.A.S."),
                nit: var("VENTANILLA_ORG_NIT", "900373913-4"),
                address: var("VENTANILLA_ORG_ADDRESS", "Calle 26 # 69-76, Bogotá D.C."),
                phone: var("VENTANILLA_ORG_PHONE", "+57 601 7435000"),
                email: var("VENTANILLA_ORG_EMAIL", "protecciondedatos@example.co"),
            },
        }
    }
}

/// A weekday as people write it (`lunes` … `domingo`, accents forgiven); `ninguno` or `no`
/// is no day. `Err` for anything else.
pub fn weekday(text: &str) -> Result<Option<chrono::Weekday>, String> {
    use chrono::Weekday::*;
    Ok(Some(match ventanilla::text::normalize(text).as_str() {
        "lunes" => Mon,
        "martes" => Tue,
        "miercoles" => Wed,
        "jueves" => Thu,
        "viernes" => Fri,
        "sabado" => Sat,
        "domingo" => Sun,
        "ninguno" | "no" | "" => return Ok(None),
        _ => {
            return Err(format!(
                "día de la semana inválido: «{text}» (lunes … domingo, o ninguno)"
            ))
        }
    }))
}

/// `VENTANILLA_NON_WORKING_DAYS` (comma-separated `YYYY-MM-DD`) and
/// `VENTANILLA_SATURDAY_HOURS` (`HH:MM-HH:MM`) as business hours; anything unreadable is an
/// error in words. The server refuses to start on one (`main`).
pub fn parse_business_hours(
    non_working_days: &str,
    saturday_hours: &str,
) -> Result<ventanilla::ans::BusinessHours, String> {
    use chrono::{NaiveDate, NaiveTime};
    let extra_non_working_days = non_working_days
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| format!("día no hábil inválido: «{d}» (use AAAA-MM-DD)"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let saturday = match saturday_hours.trim() {
        "" => None,
        hours => {
            let invalid = || format!("horario del sábado inválido: «{hours}» (use HH:MM-HH:MM)");
            let (open, close) = hours.split_once('-').ok_or_else(invalid)?;
            let time =
                |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| invalid());
            Some((time(open)?, time(close)?))
        }
    };
    Ok(ventanilla::ans::BusinessHours {
        saturday,
        extra_non_working_days,
        ..Default::default()
    })
}
