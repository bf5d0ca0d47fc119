//! Relationship survey campaigns (survey requirement; seed 001 §5.2: "El Jefe de Servicio al Cliente,
//! será el encargado de realizar la encuesta de Percepción y Satisfacción del Cliente, esta
//! será efectuada semestralmente. Se tomará una muestra estadística de acuerdo a los clientes
//! activos").
//!
//! A supervisor designs a campaign (questions among NPS, CSAT and free text; period;
//! confidence and margin; stratified by tier or not) and sees the population and the sample
//! size the domain's formula gives before launching it. The launch draws the sample at random
//! — within each tier in proportion to its size when stratified — and writes one invitation
//! and one e-mail per sampled account, its audit event and the campaign's new state in one
//! transaction; the state change is conditional, so a second launch sends nothing.
//!
//! The customer answers through the e-mail link (the transactional survey's rules: the page
//! records nothing by itself, one answer, an expiry — here the end of the period — and a
//! forged token changes nothing) or from the portal when signed in. A detractor answer opens
//! one recovery case (seed 003), and the campaign page updates live as answers arrive.

use chrono::{Datelike, NaiveDate};
use rand::seq::SliceRandom;
use serde_json::json;
use sqlx::Row;
use ventanilla::role::Role;
use ventanilla::survey::{self, Confidence};
use ventanilla::tier::{Tier, TierPolicy};

use crate::accounts::server::session::hash_token;
use crate::error::AppError;
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::platform::db::{internal, new_id, now};
use crate::platform::outbox;
use crate::state::AppState;
use crate::surveys::server::results::day_start;
use crate::surveys::server::transactional::{well_formed, COMMENT_MAX};
use crate::{
    accounts::model::SessionUser,
    surveys::model::{
        CampaignComment, CampaignStratum, CampaignSummary, CampaignSurveyStatus, CampaignView,
        CampaignsOverview, PendingCampaignSurvey,
    },
};
use ventanilla::{survey::score, text::free_text};

const DRAFT: &str = "borrador";
const LAUNCHED: &str = "lanzada";
const NAME_CHARS: std::ops::RangeInclusive<usize> = 3..=120;
/// A semiannual survey (seed 001 §5.2) fits with room to spare; longer is a mistake.
const PERIOD_MAX_DAYS: i64 = 366;
const COMMENTS_SHOWN: usize = 200;
const DEFAULT_DAYS: i64 = 30;

/// What the create form sends, before it is checked.
pub struct CampaignForm<'a> {
    pub name: &'a str,
    pub ask_nps: bool,
    pub ask_csat: bool,
    pub ask_comment: bool,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub confidence: &'a str,
    pub margin_percent: &'a str,
    pub stratified: bool,
}

/// How a customer reaches a campaign survey: the e-mail link's token, or their own pending
/// invitation while signed in.
pub enum Credential<'a> {
    Token(&'a str),
    Portal {
        invitation_id: &'a str,
        user: &'a SessionUser,
    },
}

/// Seed 001 §5.2 puts the survey in the hands of the head of customer service: supervisors,
/// and admins.
fn require_manager(user: &SessionUser) -> Result<(), AppError> {
    if matches!(user.role, Role::Supervisor | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&ventanilla::calendar::bogota())
        .date_naive()
}

fn shown_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

fn questions(nps: bool, csat: bool, comment: bool) -> String {
    [(nps, "NPS"), (csat, "CSAT"), (comment, "Texto libre")]
        .iter()
        .filter(|(asked, _)| *asked)
        .map(|(_, name)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn tier_label(code: &str) -> String {
    Tier::from_code(code)
        .map(|t| t.label_es().to_string())
        .unwrap_or_else(|| code.to_string())
}

/// An account that can be invited: active service and a customer user to write to.
struct Member {
    account_id: String,
    tier: Tier,
    recipient: String,
    name: String,
}

/// The sampling frame: accounts whose service is active ("clientes activos", seed 001 §5.2;
/// an account in arrears is still a customer, a cancelled one is not) and that have an active
/// customer user, whose address the invitation goes to — an account nobody can be asked
/// cannot be in the sample. Each with its tier today (seed 000 §3), its stratum.
async fn sampling_frame(
    conn: &mut sqlx::AnyConnection,
    policy: &TierPolicy,
) -> Result<Vec<Member>, AppError> {
    let year = today().year();
    Ok(sqlx::query(
        "SELECT a.id, a.monthly_contract_cop, u.email, u.full_name FROM accounts a \
         JOIN users u ON u.id = (SELECT f.id FROM users f WHERE f.account_id = a.id \
         AND f.role = $1 AND f.active = 1 ORDER BY f.created_at, f.id LIMIT 1) \
         WHERE a.service_status = 'activo' ORDER BY a.id",
    )
    .bind(Role::Cliente.code())
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| Member {
        account_id: row.get("id"),
        tier: policy.tier_for(row.get("monthly_contract_cop"), year),
        recipient: row.get("email"),
        name: row.get("full_name"),
    })
    .collect())
}

/// Accounts per tier, in the order of [`Tier::ALL`].
fn strata_sizes(members: &[Member]) -> Vec<u64> {
    Tier::ALL
        .iter()
        .map(|tier| members.iter().filter(|m| m.tier == *tier).count() as u64)
        .collect()
}

/// The random draw: a simple random sample of `size`, or, stratified, a simple random sample
/// inside each tier of the size [`survey::allocate_proportional`] gives it. Synchronous so
/// the thread-local generator never lives across an `.await`.
fn draw(members: Vec<Member>, size: u64, stratified: bool) -> Vec<Member> {
    let mut rng = rand::thread_rng();
    if !stratified {
        let mut members = members;
        members.shuffle(&mut rng);
        members.truncate(size as usize);
        return members;
    }
    let allocation = survey::allocate_proportional(&strata_sizes(&members), size);
    let mut strata: Vec<Vec<Member>> = Tier::ALL.iter().map(|_| Vec::new()).collect();
    for member in members {
        let index = Tier::ALL
            .iter()
            .position(|tier| *tier == member.tier)
            .unwrap_or_default();
        strata[index].push(member);
    }
    strata
        .into_iter()
        .zip(allocation)
        .flat_map(|(mut stratum, take)| {
            stratum.shuffle(&mut rng);
            stratum.truncate(take as usize);
            stratum
        })
        .collect()
}

fn parse_day(text: &str, name: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::validation(format!("{name}: escriba una fecha válida.")))
}

struct Design {
    name: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    confidence: Confidence,
    margin_percent: u8,
}

fn check(form: &CampaignForm<'_>) -> Result<Design, AppError> {
    let name = form.name.trim();
    if !NAME_CHARS.contains(&name.chars().count()) || name.chars().any(char::is_control) {
        return Err(AppError::validation(format!(
            "Nombre de la campaña: escriba entre {} y {} caracteres.",
            NAME_CHARS.start(),
            NAME_CHARS.end()
        )));
    }
    if !(form.ask_nps || form.ask_csat || form.ask_comment) {
        return Err(AppError::validation(
            "Elija al menos una pregunta: NPS, CSAT o texto libre.",
        ));
    }
    let starts_on = parse_day(form.starts_on, "Inicio del periodo")?;
    let ends_on = parse_day(form.ends_on, "Fin del periodo")?;
    if ends_on < starts_on {
        return Err(AppError::validation(
            "El periodo termina antes de empezar: revise las fechas.",
        ));
    }
    if ends_on < today() {
        return Err(AppError::validation(
            "El periodo ya terminó: elija una fecha final de hoy en adelante.",
        ));
    }
    if (ends_on - starts_on).num_days() > PERIOD_MAX_DAYS {
        return Err(AppError::validation(
            "Elija un periodo de un año como máximo.",
        ));
    }
    let confidence = Confidence::from_code(form.confidence.trim())
        .ok_or_else(|| AppError::validation("Nivel de confianza: elija 90 %, 95 % o 99 %."))?;
    let margin_percent = form
        .margin_percent
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|m| survey::MARGIN_PERCENT.contains(m))
        .ok_or_else(|| {
            AppError::validation(format!(
                "Margen de error: escriba un número entero de {} a {}.",
                survey::MARGIN_PERCENT.start(),
                survey::MARGIN_PERCENT.end()
            ))
        })?;
    Ok(Design {
        name: name.to_string(),
        starts_on,
        ends_on,
        confidence,
        margin_percent,
    })
}

/// The population today, the default sample and period, and the campaigns so far.
pub async fn overview(state: &AppState, user: &SessionUser) -> Result<CampaignsOverview, AppError> {
    require_manager(user)?;
    let mut conn = state.pool.acquire().await?;
    let members = sampling_frame(
        &mut conn,
        &crate::ans::server::versions::tiers(&state.pool, &state.ans).await?,
    )
    .await?;
    let campaigns = sqlx::query(
        "SELECT c.id, c.name, c.state, c.starts_on, c.ends_on, c.ask_nps, c.ask_csat, c.ask_comment, \
         c.sample_size, \
         (SELECT COUNT(*) FROM campaign_invitations i WHERE i.campaign_id = c.id) AS invited, \
         (SELECT COUNT(*) FROM campaign_answers s WHERE s.campaign_id = c.id) AS answered \
         FROM survey_campaigns c ORDER BY c.created_at DESC, c.id DESC LIMIT 200",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| {
        let launched = row.get::<String, _>("state") == LAUNCHED;
        CampaignSummary {
            id: row.get("id"),
            name: row.get("name"),
            state: if launched { "Lanzada" } else { "Borrador" }.to_string(),
            launched,
            period: format!(
                "{} – {}",
                shown_date(&row.get::<String, _>("starts_on")),
                shown_date(&row.get::<String, _>("ends_on"))
            ),
            questions: questions(
                row.get::<i64, _>("ask_nps") == 1,
                row.get::<i64, _>("ask_csat") == 1,
                row.get::<i64, _>("ask_comment") == 1,
            ),
            sample_size: row.get::<i64, _>("sample_size") as u64,
            invited: row.get::<i64, _>("invited") as u64,
            answered: row.get::<i64, _>("answered") as u64,
        }
    })
    .collect();
    let today = today();
    Ok(CampaignsOverview {
        population: members.len() as u64,
        default_sample: survey::sample_size(members.len() as u64),
        today: today.format("%Y-%m-%d").to_string(),
        default_end: (today + chrono::Duration::days(DEFAULT_DAYS))
            .format("%Y-%m-%d")
            .to_string(),
        campaigns,
    })
}

/// Creates a draft campaign; returns its id. Nothing is sent until it is launched.
pub async fn create(
    state: &AppState,
    user: &SessionUser,
    form: &CampaignForm<'_>,
) -> Result<String, AppError> {
    require_manager(user)?;
    let design = check(form)?;
    let id = new_id();
    let at = now();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let members = sampling_frame(
        &mut tx,
        &crate::ans::server::versions::tiers(&state.pool, &state.ans).await?,
    )
    .await?;
    let size = survey::sample_size_for(
        members.len() as u64,
        design.confidence,
        design.margin_percent,
    );
    sqlx::query(
        "INSERT INTO survey_campaigns (id, name, ask_nps, ask_csat, ask_comment, starts_on, ends_on, closes_at, \
         confidence_percent, margin_percent, stratified, population, sample_size, state, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(&id)
    .bind(&design.name)
    .bind(i64::from(form.ask_nps))
    .bind(i64::from(form.ask_csat))
    .bind(i64::from(form.ask_comment))
    .bind(design.starts_on.format("%Y-%m-%d").to_string())
    .bind(design.ends_on.format("%Y-%m-%d").to_string())
    .bind(day_start(design.ends_on + chrono::Duration::days(1)))
    .bind(design.confidence.code().parse::<i64>().unwrap_or(95))
    .bind(i64::from(design.margin_percent))
    .bind(i64::from(form.stratified))
    .bind(members.len() as i64)
    .bind(size as i64)
    .bind(DRAFT)
    .bind(&user.id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "campana_creada",
        "survey_campaign",
        &id,
        json!({
            "name": design.name,
            "questions": questions(form.ask_nps, form.ask_csat, form.ask_comment),
            "confidence": design.confidence.code(),
            "margin_percent": design.margin_percent,
            "stratified": form.stratified,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Why a draft cannot be launched today, if it cannot.
fn launch_blocked(starts_on: &str, ends_on: &str) -> Option<String> {
    let today = today().format("%Y-%m-%d").to_string();
    if today.as_str() < starts_on {
        Some(format!(
            "La campaña empieza el {}: podrá lanzarla desde ese día.",
            shown_date(starts_on)
        ))
    } else if today.as_str() > ends_on {
        Some("El periodo de la campaña ya terminó: no se puede lanzar.".to_string())
    } else {
        None
    }
}

/// Draws the sample and sends the invitations, once. Returns how many were sent.
pub async fn launch(state: &AppState, user: &SessionUser, id: &str) -> Result<u64, AppError> {
    require_manager(user)?;
    let at = now();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    // The conditional update is the guard against a double launch: the second one (a double
    // click, two supervisors) finds the state changed — on PostgreSQL it waits for the first
    // to commit and then matches no row — and writes nothing.
    let claimed = sqlx::query(
        "UPDATE survey_campaigns SET state = $1, launched_by = $2, launched_at = $3 \
         WHERE id = $4 AND state = $5",
    )
    .bind(LAUNCHED)
    .bind(&user.id)
    .bind(at)
    .bind(id)
    .bind(DRAFT)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let campaign = sqlx::query(
        "SELECT name, starts_on, ends_on, closes_at, confidence_percent, margin_percent, stratified \
         FROM survey_campaigns WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if claimed == 0 {
        return Err(AppError::Conflict(
            "Esta campaña ya fue lanzada: no se enviaron invitaciones nuevas.".into(),
        ));
    }
    let starts_on: String = campaign.get("starts_on");
    let ends_on: String = campaign.get("ends_on");
    if let Some(why) = launch_blocked(&starts_on, &ends_on) {
        return Err(AppError::validation(why));
    }
    let name: String = campaign.get("name");
    let closes_at: i64 = campaign.get("closes_at");
    let confidence =
        Confidence::from_code(&campaign.get::<i64, _>("confidence_percent").to_string())
            .unwrap_or(Confidence::P95);
    let margin = u8::try_from(campaign.get::<i64, _>("margin_percent")).unwrap_or(5);
    let stratified = campaign.get::<i64, _>("stratified") == 1;

    let members = sampling_frame(
        &mut tx,
        &crate::ans::server::versions::tiers(&state.pool, &state.ans).await?,
    )
    .await?;
    if members.is_empty() {
        return Err(AppError::validation(
            "No hay cuentas de clientes activas con un usuario a quien escribir: no hay a quién encuestar.",
        ));
    }
    let population = members.len() as u64;
    let size = survey::sample_size_for(population, confidence, margin);
    let sample = draw(members, size, stratified);
    let policy = &state.config.surveys;
    let closes = shown_date(&ends_on);
    for member in &sample {
        let token = new_id();
        sqlx::query(
            "INSERT INTO campaign_invitations (id, campaign_id, account_id, tier, token_hash, recipient, sent_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(id)
        .bind(&member.account_id)
        .bind(member.tier.code())
        .bind(hash_token(&token))
        .bind(&member.recipient)
        .bind(at)
        .bind(closes_at)
        .execute(&mut *tx)
        .await?;
        outbox::enqueue(
            &mut tx,
            "email",
            &member.recipient,
            "encuesta_campana",
            json!({
                "name": member.name,
                "campaign": name,
                "url": format!("{}/campana/{token}", policy.public_url),
                "closes": closes,
            }),
        )
        .await?;
    }
    sqlx::query("UPDATE survey_campaigns SET population = $1, sample_size = $2 WHERE id = $3")
        .bind(population as i64)
        .bind(size as i64)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let per_tier: serde_json::Map<String, serde_json::Value> = Tier::ALL
        .iter()
        .map(|tier| {
            (
                tier.code().to_string(),
                json!(sample.iter().filter(|m| m.tier == *tier).count()),
            )
        })
        .collect();
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "campana_lanzada",
        "survey_campaign",
        id,
        json!({
            "population": population,
            "sample_size": size,
            "invited": sample.len(),
            "by_tier": per_tier,
        }),
    )
    .await?;
    tx.commit().await?;
    state.live.publish(Scope::Staff, LiveChange::Campana).await;
    Ok(sample.len() as u64)
}

fn stratum(
    tier: &str,
    population: u64,
    sample: u64,
    answers: &[(String, Option<u8>, Option<u8>)],
) -> CampaignStratum {
    let mine: Vec<&(String, Option<u8>, Option<u8>)> =
        answers.iter().filter(|(t, _, _)| t == tier).collect();
    let nps: Vec<u8> = mine.iter().filter_map(|(_, n, _)| *n).collect();
    let csat: Vec<u8> = mine.iter().filter_map(|(_, _, c)| *c).collect();
    CampaignStratum {
        tier: tier_label(tier),
        population,
        sample,
        answered: mine.len() as u64,
        csat: survey::csat_top_two_box(&csat),
        nps: survey::nps(&nps),
    }
}

/// The campaign page; `None` when there is no such campaign.
pub async fn detail(
    state: &AppState,
    user: &SessionUser,
    id: &str,
) -> Result<Option<CampaignView>, AppError> {
    require_manager(user)?;
    let mut conn = state.pool.acquire().await?;
    let Some(row) = sqlx::query(
        "SELECT name, state, starts_on, ends_on, ask_nps, ask_csat, ask_comment, confidence_percent, \
         margin_percent, stratified, population, sample_size, launched_at FROM survey_campaigns WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let launched = row.get::<String, _>("state") == LAUNCHED;
    let ask_nps = row.get::<i64, _>("ask_nps") == 1;
    let ask_csat = row.get::<i64, _>("ask_csat") == 1;
    let stratified = row.get::<i64, _>("stratified") == 1;
    let confidence = Confidence::from_code(&row.get::<i64, _>("confidence_percent").to_string())
        .unwrap_or(Confidence::P95);
    let margin_percent = u8::try_from(row.get::<i64, _>("margin_percent")).unwrap_or(5);
    let starts_on: String = row.get("starts_on");
    let ends_on: String = row.get("ends_on");

    let answers: Vec<(String, Option<u8>, Option<u8>)>;
    let mut comments = Vec::new();
    let (population, sample_size, strata, invited, answered);
    if launched {
        let rows = sqlx::query(
            "SELECT tier, nps, csat, comment, answered_at FROM campaign_answers \
             WHERE campaign_id = $1 ORDER BY answered_at DESC, id DESC",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let points = |row: &sqlx::any::AnyRow, column: &str| {
            row.get::<Option<i64>, _>(column)
                .and_then(|v| u8::try_from(v).ok())
        };
        answers = rows
            .iter()
            .map(|r| {
                (
                    r.get::<String, _>("tier"),
                    points(r, "nps"),
                    points(r, "csat"),
                )
            })
            .collect();
        for r in rows.iter() {
            let comment: String = r.get("comment");
            if !comment.is_empty() && comments.len() < COMMENTS_SHOWN {
                comments.push(CampaignComment {
                    at: crate::timers::local_time(r.get("answered_at")),
                    tier: tier_label(&r.get::<String, _>("tier")),
                    nps: r.get("nps"),
                    csat: r.get("csat"),
                    comment,
                });
            }
        }
        let sent = sqlx::query(
            "SELECT tier, COUNT(*) AS n FROM campaign_invitations WHERE campaign_id = $1 GROUP BY tier",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let sent_in = |tier: Tier| {
            sent.iter()
                .find(|r| r.get::<String, _>("tier") == tier.code())
                .map(|r| r.get::<i64, _>("n") as u64)
                .unwrap_or_default()
        };
        strata = Tier::ALL
            .iter()
            .map(|tier| stratum(tier.code(), 0, sent_in(*tier), &answers))
            .collect::<Vec<_>>();
        population = row.get::<i64, _>("population") as u64;
        sample_size = row.get::<i64, _>("sample_size") as u64;
        invited = strata.iter().map(|s| s.sample).sum::<u64>();
        answered = answers.len() as u64;
    } else {
        // A draft shows what a launch now would do: today's population and sample, and the
        // allocation per tier when stratified.
        answers = Vec::new();
        let members = sampling_frame(
            &mut conn,
            &crate::ans::server::versions::tiers(&state.pool, &state.ans).await?,
        )
        .await?;
        let sizes = strata_sizes(&members);
        population = members.len() as u64;
        sample_size = survey::sample_size_for(population, confidence, margin_percent);
        let allocation = if stratified {
            survey::allocate_proportional(&sizes, sample_size)
        } else {
            vec![0; sizes.len()]
        };
        strata = Tier::ALL
            .iter()
            .zip(sizes.iter().zip(allocation))
            .map(|(tier, (size, take))| stratum(tier.code(), *size, take, &answers))
            .collect();
        invited = 0;
        answered = 0;
    }
    let nps: Vec<u8> = answers.iter().filter_map(|(_, n, _)| *n).collect();
    let csat: Vec<u8> = answers.iter().filter_map(|(_, _, c)| *c).collect();
    Ok(Some(CampaignView {
        id: id.to_string(),
        name: row.get("name"),
        launched,
        state: if launched { "Lanzada" } else { "Borrador" }.to_string(),
        period: format!("{} – {}", shown_date(&starts_on), shown_date(&ends_on)),
        questions: questions(ask_nps, ask_csat, row.get::<i64, _>("ask_comment") == 1),
        ask_nps,
        ask_csat,
        confidence: confidence.label_es().to_string(),
        margin_percent,
        stratified,
        population,
        sample_size,
        strata,
        launched_at: row
            .get::<Option<i64>, _>("launched_at")
            .map(crate::timers::local_time),
        launch_blocked: (!launched)
            .then(|| launch_blocked(&starts_on, &ends_on))
            .flatten(),
        invited,
        answered,
        response_rate: (launched && invited > 0).then(|| answered as f64 * 100.0 / invited as f64),
        csat: survey::csat_top_two_box(&csat),
        nps: survey::nps(&nps),
        comments,
    }))
}

/// The invitation a credential names, with its campaign's questions.
async fn invitation(
    state: &AppState,
    credential: &Credential<'_>,
) -> Result<Option<sqlx::any::AnyRow>, AppError> {
    const COLUMNS: &str =
        "SELECT i.id, i.campaign_id, i.account_id, i.tier, i.expires_at, i.answered_at, \
        c.name, c.ends_on, c.ask_nps, c.ask_csat, c.ask_comment \
        FROM campaign_invitations i JOIN survey_campaigns c ON c.id = i.campaign_id";
    match credential {
        Credential::Token(token) => {
            if !well_formed(token) {
                return Ok(None);
            }
            sqlx::query(&format!("{COLUMNS} WHERE i.token_hash = $1"))
                .bind(hash_token(token))
                .fetch_optional(&state.pool)
                .await
                .map_err(internal)
        }
        Credential::Portal {
            invitation_id,
            user,
        } => {
            if user.role != Role::Cliente {
                return Err(AppError::Forbidden);
            }
            sqlx::query(&format!(
                "{COLUMNS} WHERE i.id = $1 AND i.account_id = (SELECT account_id FROM users WHERE id = $2)"
            ))
            .bind(*invitation_id)
            .bind(&user.id)
            .fetch_optional(&state.pool)
            .await
            .map_err(internal)
        }
    }
}

fn status_of(row: Option<&sqlx::any::AnyRow>) -> CampaignSurveyStatus {
    match row {
        None => CampaignSurveyStatus::Unknown,
        Some(row) if row.get::<Option<i64>, _>("answered_at").is_some() => {
            CampaignSurveyStatus::Answered
        }
        Some(row) if row.get::<i64, _>("expires_at") <= now() => CampaignSurveyStatus::Expired,
        Some(row) => CampaignSurveyStatus::Open {
            campaign: row.get("name"),
            ask_nps: row.get::<i64, _>("ask_nps") == 1,
            ask_csat: row.get::<i64, _>("ask_csat") == 1,
            ask_comment: row.get::<i64, _>("ask_comment") == 1,
            closes: shown_date(&row.get::<String, _>("ends_on")),
        },
    }
}

/// What a link or a pending portal survey leads to now. Reading never writes.
pub async fn status(
    state: &AppState,
    credential: &Credential<'_>,
) -> Result<CampaignSurveyStatus, AppError> {
    Ok(status_of(invitation(state, credential).await?.as_ref()))
}

fn refused(status: CampaignSurveyStatus) -> AppError {
    match status {
        CampaignSurveyStatus::Answered => {
            AppError::Conflict("Esta encuesta ya fue respondida. Gracias por su opinión.".into())
        }
        CampaignSurveyStatus::Expired => AppError::Conflict(
            "El periodo de esta encuesta terminó y ya no admite respuestas.".into(),
        ),
        CampaignSurveyStatus::Unknown | CampaignSurveyStatus::Open { .. } => AppError::validation(
            "Este enlace de encuesta no es válido. Revise que lo copió completo del correo.",
        ),
    }
}

/// Records an answer, once, with only the questions the campaign asked. A detractor answer
/// (NPS 0–6 or CSAT 1–2) opens its recovery case in the same transaction; the campaign page
/// and the detractor desk hear of it live after the commit.
pub async fn submit(
    state: &AppState,
    credential: &Credential<'_>,
    nps: Option<&str>,
    csat: Option<&str>,
    comment: &str,
) -> Result<(), AppError> {
    let row = invitation(state, credential).await?;
    let (ask_nps, ask_csat, ask_comment) = match status_of(row.as_ref()) {
        CampaignSurveyStatus::Open {
            ask_nps,
            ask_csat,
            ask_comment,
            ..
        } => (ask_nps, ask_csat, ask_comment),
        other => return Err(refused(other)),
    };
    let Some(row) = row else {
        return Err(refused(CampaignSurveyStatus::Unknown));
    };
    let nps = ask_nps
        .then(|| score(nps, 0..=10, "Recomendación"))
        .transpose()
        .map_err(AppError::validation)?;
    let csat = ask_csat
        .then(|| score(csat, 1..=5, "Satisfacción"))
        .transpose()
        .map_err(AppError::validation)?;
    let comment = if ask_comment {
        free_text("Comentario", comment, COMMENT_MAX).map_err(AppError::validation)?
    } else {
        String::new()
    };
    if !ask_nps && !ask_csat && comment.is_empty() {
        return Err(AppError::validation(
            "Comentario: escriba su opinión antes de enviar.",
        ));
    }
    let invitation_id: String = row.get("id");
    let campaign_id: String = row.get("campaign_id");
    let account_id: String = row.get("account_id");
    let tier: String = row.get("tier");
    let answered_at = now();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let won = sqlx::query(
        "UPDATE campaign_invitations SET answered_at = $1 \
         WHERE id = $2 AND answered_at IS NULL AND expires_at > $1",
    )
    .bind(answered_at)
    .bind(&invitation_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if won == 0 {
        // Answered or expired between the check and the update: say which, write nothing.
        tx.rollback().await?;
        return Err(refused(status(state, credential).await?));
    }
    let answer_id = new_id();
    sqlx::query(
        "INSERT INTO campaign_answers (id, invitation_id, campaign_id, tier, nps, csat, comment, answered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&answer_id)
    .bind(&invitation_id)
    .bind(&campaign_id)
    .bind(&tier)
    .bind(nps.map(i64::from))
    .bind(csat.map(i64::from))
    .bind(&comment)
    .bind(answered_at)
    .execute(&mut *tx)
    .await?;
    let actor = match credential {
        Credential::Token(_) => Actor::system("cliente (enlace de la encuesta de relación)"),
        Credential::Portal { user, .. } => Actor::user(&user.id, &user.full_name),
    };
    audit::record(
        &mut tx,
        &actor,
        "encuesta_campana_respondida",
        "survey_campaign",
        &campaign_id,
        json!({ "invitation_id": invitation_id, "tier": tier, "nps": nps, "csat": csat }),
    )
    .await?;
    let detractor = survey::is_detractor(nps, csat);
    if detractor {
        crate::detractors::server::cases::open_campaign_case(
            &mut tx,
            &state.config.surveys,
            &answer_id,
            &account_id,
            nps,
            csat,
            &comment,
            answered_at,
        )
        .await?;
    }
    tx.commit().await?;
    state
        .live
        .publish(Scope::Account(&account_id), LiveChange::Campana)
        .await;
    if detractor {
        state
            .live
            .publish(Scope::Account(&account_id), LiveChange::Detractor)
            .await;
    }
    Ok(())
}

/// The campaign surveys the signed-in customer can still answer, for the portal.
pub async fn pending(
    state: &AppState,
    user: &SessionUser,
) -> Result<Vec<PendingCampaignSurvey>, AppError> {
    if user.role != Role::Cliente {
        return Ok(Vec::new());
    }
    Ok(sqlx::query(
        "SELECT i.id, c.name, c.ends_on FROM campaign_invitations i \
         JOIN survey_campaigns c ON c.id = i.campaign_id \
         WHERE i.account_id = (SELECT account_id FROM users WHERE id = $1) \
         AND i.answered_at IS NULL AND i.expires_at > $2 ORDER BY i.sent_at DESC, i.id DESC",
    )
    .bind(&user.id)
    .bind(now())
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|row| PendingCampaignSurvey {
        invitation_id: row.get("id"),
        campaign: row.get("name"),
        closes: shown_date(&row.get::<String, _>("ends_on")),
    })
    .collect())
}
