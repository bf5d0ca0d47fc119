//! The admin's ANS screen: the version in force as a form, the history, and reading the
//! submitted form into settings.

use chrono::{NaiveDate, NaiveTime};
use ventanilla::ans::{AnsSettings, BusinessHours};
use ventanilla::sla::{Priority, SlaMatrix};
use ventanilla::tier::Tier;

use crate::ans::model::{AnsForm, AnsNotice, AnsScreen, AnsVersionLine, MatrixRow};
use crate::ans::server::notice::summary;
use crate::ans::server::versions::{self, Published};
use crate::error::AppError;
use crate::platform::ans_cache::AnsCache;
use crate::timers::local_time;

/// "1.900.000".
fn grouped(value: i64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn decimal(value: f64) -> String {
    format!("{value}").replace('.', ",")
}

fn form_of(settings: &AnsSettings) -> AnsForm {
    AnsForm {
        matrix: Tier::ALL
            .into_iter()
            .map(|tier| MatrixRow {
                tier_code: tier.code().to_string(),
                tier_label: tier.label_es().to_string(),
                hours: Priority::ALL
                    .into_iter()
                    .map(|p| {
                        settings
                            .matrix
                            .first_response_hours(tier, p)
                            .map(|h| h.to_string())
                            .unwrap_or_default()
                    })
                    .collect(),
            })
            .collect(),
        vip_threshold_smlmv: decimal(settings.tiers.vip_threshold_smlmv),
        smlmv_overrides: settings
            .tiers
            .smlmv_overrides
            .iter()
            .map(|(year, value)| format!("{year}: {}", grouped(*value)))
            .collect::<Vec<_>>()
            .join("\n"),
        auto_close_days: settings.auto_close_days,
        review_sample_percent: settings.review_sample_percent,
        weekday_open: clock_text(settings.business_hours.weekdays.0),
        weekday_close: clock_text(settings.business_hours.weekdays.1),
        saturday_open: settings
            .business_hours
            .saturday
            .map(|(open, _)| clock_text(open))
            .unwrap_or_default(),
        saturday_close: settings
            .business_hours
            .saturday
            .map(|(_, close)| clock_text(close))
            .unwrap_or_default(),
        non_working_days: settings
            .business_hours
            .extra_non_working_days
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        first_contact_hours: settings
            .first_contact_hours
            .map(|h| h.to_string())
            .unwrap_or_default(),
    }
}

fn clock_text(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// A time of day as a `type="time"` input sends it ("08:00", or "08:00:00").
fn time_of_day(label: &str, text: &str) -> Result<NaiveTime, AppError> {
    let text = text.trim();
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map_err(|_| AppError::validation(format!("{label}: escriba una hora como 08:00.")))
}

/// The business hours as typed: Monday–Friday, an optional Saturday (both times or neither)
/// and one extra non-working day per line.
fn business_hours(form: &SubmittedForm) -> Result<BusinessHours, AppError> {
    let weekdays = (
        time_of_day("Apertura de lunes a viernes", &form.weekday_open)?,
        time_of_day("Cierre de lunes a viernes", &form.weekday_close)?,
    );
    let saturday = match (form.saturday_open.trim(), form.saturday_close.trim()) {
        ("", "") => None,
        (open, close) if !open.is_empty() && !close.is_empty() => Some((
            time_of_day("Apertura del sábado", open)?,
            time_of_day("Cierre del sábado", close)?,
        )),
        _ => {
            return Err(AppError::validation(
                "Sábado: escriba la hora de apertura y la de cierre, o deje ambas vacías si no se atiende.",
            ))
        }
    };
    let extra_non_working_days = form
        .non_working_days
        .split(['\n', ','])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            NaiveDate::parse_from_str(line, "%Y-%m-%d").map_err(|_| {
                AppError::validation(format!(
                    "Días no hábiles: «{line}» no es una fecha; escriba una por línea como 2027-07-15."
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(BusinessHours {
        weekdays,
        saturday,
        extra_non_working_days,
    })
}

fn line_of(published: &Published, in_force: i64, now: i64) -> AnsVersionLine {
    let version = &published.version;
    AnsVersionLine {
        number: version.number,
        effective: if version.effective_at == 0 {
            "Desde la instalación".to_string()
        } else {
            local_time(version.effective_at)
        },
        status: if version.number == in_force {
            "Vigente"
        } else if version.effective_at > now {
            "Programada"
        } else {
            "Anterior"
        }
        .to_string(),
        summary: summary(&version.settings),
        auto_close_days: version.settings.auto_close_days,
        review_sample_percent: version.settings.review_sample_percent,
        note: published.note.clone(),
        published_by: published.published_by_name.clone(),
        published_at: local_time(published.published_at),
        customers_notified: published.customers_notified,
    }
}

/// The screen for an admin.
pub async fn screen(pool: &sqlx::AnyPool, cache: &AnsCache) -> Result<AnsScreen, AppError> {
    versions::bootstrap(pool, &cache.defaults).await?;
    let current = versions::current(pool, cache).await?;
    let now = crate::platform::db::now();
    let history = versions::history(pool).await?;
    Ok(AnsScreen {
        in_force: current.number,
        form: form_of(&current.settings),
        today: chrono::Utc::now()
            .with_timezone(&ventanilla::calendar::bogota())
            .format("%Y-%m-%d")
            .to_string(),
        versions: history
            .iter()
            .map(|v| line_of(v, current.number, now))
            .collect(),
    })
}

/// What the portal announces now: announced versions still to come, and the one in force
/// when it was announced and took effect in the last fifteen days (a version already
/// replaced is not announced any more).
pub async fn notices(pool: &sqlx::AnyPool) -> Result<Vec<AnsNotice>, AppError> {
    let now = crate::platform::db::now();
    let in_force = versions::in_force_at(pool, now).await?.map(|v| v.number);
    Ok(versions::announced_around(pool, now)
        .await?
        .into_iter()
        .filter(|p| p.version.effective_at > now || Some(p.version.number) == in_force)
        .map(|p| AnsNotice {
            effective: local_time(p.version.effective_at),
            in_force: p.version.effective_at <= now,
            summary: summary(&p.version.settings),
            note: p.note,
        })
        .collect())
}

/// The form as submitted: hours by `tier_priority` code, the other fields as typed.
#[derive(Debug, Clone, Default)]
pub struct SubmittedForm {
    pub hours: std::collections::BTreeMap<String, String>,
    pub vip_threshold_smlmv: String,
    pub smlmv_overrides: String,
    pub auto_close_days: String,
    pub review_sample_percent: String,
    pub effective_on: String,
    pub weekday_open: String,
    pub weekday_close: String,
    pub saturday_open: String,
    pub saturday_close: String,
    pub non_working_days: String,
    pub first_contact_hours: String,
}

fn whole(label: &str, text: &str) -> Result<u32, AppError> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| AppError::validation(format!("{label}: escriba un número entero.")))
}

/// Settings and effective day from the form, each field's format checked here and every rule
/// by [`AnsSettings::check`] when publishing.
pub fn read(form: &SubmittedForm) -> Result<(AnsSettings, NaiveDate), AppError> {
    let mut matrix = SlaMatrix::default();
    for tier in Tier::ALL {
        for priority in Priority::ALL {
            let key = format!("{}_{}", tier.code(), priority.code());
            let typed = form.hours.get(&key).map(|s| s.trim()).unwrap_or_default();
            let hours = if typed.is_empty() {
                None
            } else {
                Some(typed.parse::<u32>().map_err(|_| {
                    AppError::validation(format!(
                        "{} · prioridad {}: escriba un número entero de horas hábiles, o déjelo vacío si ese segmento no puede usarla.",
                        tier.label_es(),
                        priority.label_es().to_lowercase()
                    ))
                })?)
            };
            matrix = matrix.with_hours(tier, priority, hours);
        }
    }
    let vip_threshold_smlmv = form
        .vip_threshold_smlmv
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .map_err(|_| {
            AppError::validation("Umbral VIP: escriba un número de SMLMV, por ejemplo 1,5.")
        })?;
    let mut smlmv_overrides = Vec::new();
    for line in form
        .smlmv_overrides
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let unreadable = || {
            AppError::validation(format!(
                "SMLMV: «{line}» no se entiende; escriba una línea por año como «2027: 1.900.000»."
            ))
        };
        let (year, value) = line
            .split_once([':', '=', ';', '\t'])
            .ok_or_else(unreadable)?;
        let year = year.trim().parse::<i32>().map_err(|_| unreadable())?;
        let value = ventanilla::customer::parse_contract(value)
            .ok()
            .flatten()
            .ok_or_else(unreadable)?;
        smlmv_overrides.push((year, value));
    }
    let settings = AnsSettings {
        matrix,
        tiers: ventanilla::tier::TierPolicy {
            vip_threshold_smlmv,
            smlmv_overrides,
        },
        auto_close_days: whole("Días para el cierre automático", &form.auto_close_days)?,
        review_sample_percent: whole(
            "Muestra para revisión de calidad",
            &form.review_sample_percent,
        )?,
        business_hours: business_hours(form)?,
        first_contact_hours: match form.first_contact_hours.trim() {
            "" => None,
            typed => Some(whole("Primer contacto (horas calendario)", typed)?),
        },
    };
    let effective_on = NaiveDate::parse_from_str(form.effective_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::validation("Elija la fecha desde la que rige la nueva versión."))?;
    Ok((settings, effective_on))
}
