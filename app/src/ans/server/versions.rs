//! The published ANS versions (issue 19; seed 000 §11 "El ANS se revisa … los cambios se
//! informan a los clientes con anticipación").
//!
//! A version is immutable once stored: its number, the instant it takes effect (00:00 in
//! Bogotá of the chosen day, or the moment of publishing when that day is today), the settings
//! and who published it. The version in force at an instant is the one with the latest
//! effective instant not after it. Filing reads the version in force and keeps its number and
//! first-response hours on the request, so publishing never moves a filed request's clocks;
//! that is also why a version cannot take effect in the past.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone};
use serde_json::json;
use sqlx::Row;
use ventanilla::ans::{AnsSettings, AnsVersion};
use ventanilla::calendar::bogota;

use crate::accounts::model::SessionUser;
use crate::error::AppError;
use crate::platform::ans_cache::AnsCache;
use crate::platform::audit::{self, Actor};
use crate::platform::db::now;

/// One published version with its history: why, who, whom it was told to.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub version: AnsVersion,
    pub note: String,
    pub published_by_name: String,
    pub published_at: i64,
    /// How many customers were told by e-mail.
    pub customers_notified: i64,
}

const COLUMNS: &str =
    "number, effective_at, settings, note, published_by_name, published_at, customers_notified";

fn version_of(row: &sqlx::any::AnyRow) -> Result<AnsVersion, AppError> {
    let settings: AnsSettings =
        serde_json::from_str(&row.get::<String, _>("settings")).map_err(|err| {
            tracing::error!(error = %err, "a stored ANS version does not parse");
            AppError::Internal
        })?;
    Ok(AnsVersion {
        number: row.get("number"),
        effective_at: row.get("effective_at"),
        settings,
    })
}

fn published_of(row: &sqlx::any::AnyRow) -> Result<Published, AppError> {
    Ok(Published {
        version: version_of(row)?,
        note: row.get("note"),
        published_by_name: row.get("published_by_name"),
        published_at: row.get("published_at"),
        customers_notified: row.get("customers_notified"),
    })
}

/// The version in force at `at` (Unix seconds); `None` before version 1 is written.
pub async fn in_force_at(pool: &sqlx::AnyPool, at: i64) -> Result<Option<AnsVersion>, AppError> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM ans_versions WHERE effective_at <= $1 \
         ORDER BY effective_at DESC, number DESC LIMIT 1"
    ))
    .bind(at)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(version_of)
    .transpose()
}

/// Version 1 as a fresh install has it before anything is written: the environment's
/// defaults, in force since always.
fn first(defaults: &AnsSettings) -> AnsVersion {
    AnsVersion {
        number: 1,
        effective_at: 0,
        settings: defaults.clone(),
    }
}

/// The version in force now: the one kept by `cache` while it is, else read. Before any
/// version is stored it is version 1 from `cache.defaults` — read, never written here, so
/// that no reader ever writes (a reader may be inside a transaction).
pub async fn current(pool: &sqlx::AnyPool, cache: &AnsCache) -> Result<Arc<AnsVersion>, AppError> {
    let at = now();
    if let Some(version) = cache.kept(at) {
        return Ok(version);
    }
    let version = match in_force_at(pool, at).await? {
        Some(version) => version,
        None => first(&cache.defaults),
    };
    let version = Arc::new(version);
    cache.keep(version.clone(), next_change_after(pool, at).await?);
    Ok(version)
}

/// The tier policy in force now: the VIP threshold and the SMLMV values.
pub async fn tiers(
    pool: &sqlx::AnyPool,
    cache: &AnsCache,
) -> Result<ventanilla::tier::TierPolicy, AppError> {
    Ok(current(pool, cache).await?.settings.tiers.clone())
}

/// The version `number`, as a filed request names it (version 1 is `cache.defaults` until
/// it is stored).
pub async fn by_number(
    conn: &mut sqlx::AnyConnection,
    cache: &AnsCache,
    number: i64,
) -> Result<AnsVersion, AppError> {
    match sqlx::query(&format!(
        "SELECT {COLUMNS} FROM ans_versions WHERE number = $1"
    ))
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?
    {
        Some(row) => version_of(&row),
        None if number == 1 => Ok(first(&cache.defaults)),
        None => {
            tracing::error!(number, "a request names an ANS version that is not stored");
            Err(AppError::Internal)
        }
    }
}

/// When the next scheduled version takes effect after `at`, if one is scheduled.
pub async fn next_change_after(pool: &sqlx::AnyPool, at: i64) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query("SELECT MIN(effective_at) AS next FROM ans_versions WHERE effective_at > $1")
            .bind(at)
            .fetch_one(pool)
            .await?
            .get("next"),
    )
}

/// The versions customers were told of that take effect after `at` or took effect in the
/// fifteen days before it: what the portal announces, soonest first.
pub async fn announced_around(pool: &sqlx::AnyPool, at: i64) -> Result<Vec<Published>, AppError> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM ans_versions WHERE announced = 1 AND effective_at > $1 ORDER BY effective_at, number"
    ))
    .bind(at - 15 * 24 * 3600)
    .fetch_all(pool)
    .await?
    .iter()
    .map(published_of)
    .collect()
}

/// Every version, newest first.
pub async fn history(pool: &sqlx::AnyPool) -> Result<Vec<Published>, AppError> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM ans_versions ORDER BY number DESC"
    ))
    .fetch_all(pool)
    .await?
    .iter()
    .map(published_of)
    .collect()
}

/// Writes version 1 from the environment's defaults when there is none (at start-up, and
/// before the first publication): a fresh install starts with what
/// `VENTANILLA_VIP_THRESHOLD_SMLMV` and the other variables say, and from then on the admin
/// screen decides. Two instances starting at once write it once.
pub async fn bootstrap<'c, E>(executor: E, defaults: &AnsSettings) -> Result<(), AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let settings = serde_json::to_string(defaults).map_err(|_| AppError::Internal)?;
    sqlx::query(
        "INSERT INTO ans_versions (number, effective_at, settings, note, published_by, published_by_name, published_at) \
         VALUES (1, 0, $1, $2, NULL, 'Configuración inicial', $3) ON CONFLICT (number) DO NOTHING",
    )
    .bind(settings)
    .bind("Valores de la instalación (variables de entorno o los del seed 000).")
    .bind(now())
    .execute(executor)
    .await?;
    Ok(())
}

/// Gives the versions stored before business hours were part of a version the hours the
/// installation counted on then (`VENTANILLA_NON_WORKING_DAYS`, `VENTANILLA_SATURDAY_HOURS`):
/// what their requests' clocks were computed with, so nothing moves. Runs when the database
/// opens, before the clocks' backfill; a second run finds nothing. Returns how many it
/// completed.
pub async fn complete_legacy(
    pool: &sqlx::AnyPool,
    hours: &ventanilla::ans::BusinessHours,
) -> Result<usize, AppError> {
    let hours = serde_json::to_value(hours).map_err(|_| AppError::Internal)?;
    let mut completed = 0;
    for row in sqlx::query("SELECT number, settings FROM ans_versions")
        .fetch_all(pool)
        .await?
    {
        let mut settings: serde_json::Value =
            serde_json::from_str(&row.get::<String, _>("settings")).map_err(|err| {
                tracing::error!(error = %err, "a stored ANS version does not parse");
                AppError::Internal
            })?;
        let Some(object) = settings.as_object_mut() else {
            return Err(AppError::Internal);
        };
        if object.contains_key("business_hours") {
            continue;
        }
        object.insert("business_hours".into(), hours.clone());
        sqlx::query("UPDATE ans_versions SET settings = $1 WHERE number = $2")
            .bind(settings.to_string())
            .bind(row.get::<i64, _>("number"))
            .execute(pool)
            .await?;
        completed += 1;
    }
    Ok(completed)
}

/// What an admin publishes.
#[derive(Debug, Clone)]
pub struct Publication {
    pub settings: AnsSettings,
    /// The day it takes effect, in Bogotá; today means at once.
    pub effective_on: NaiveDate,
    /// Why the ANS changes (for the history and the customers' notice).
    pub note: String,
    /// Tell active customers by e-mail, and on the portal, before it takes effect.
    pub notify_customers: bool,
}

/// Publishes a new version; returns it. Admins only. In one transaction: the version, its
/// audit event, and — when asked — one e-mail per active customer in the outbox.
pub async fn publish(
    pool: &sqlx::AnyPool,
    cache: &AnsCache,
    admin: &SessionUser,
    publication: Publication,
) -> Result<Published, AppError> {
    if admin.role != ventanilla::role::Role::Admin {
        return Err(AppError::Forbidden);
    }
    publication
        .settings
        .check()
        .map_err(|error| AppError::validation(error.to_string()))?;
    let note = publication.note.trim().to_string();
    if !(5..=500).contains(&note.chars().count()) {
        return Err(AppError::validation(
            "Escriba el motivo del cambio (entre 5 y 500 caracteres): queda en el historial y en el aviso a los clientes.",
        ));
    }
    let at = now();
    let today = chrono::Utc::now().with_timezone(&bogota()).date_naive();
    if publication.effective_on < today {
        return Err(AppError::validation(
            "La fecha de vigencia no puede ser anterior a hoy: las solicitudes ya radicadas conservan la versión del ANS con la que se radicaron.",
        ));
    }
    let effective_at = if publication.effective_on == today {
        at
    } else {
        bogota()
            .from_local_datetime(
                &publication
                    .effective_on
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or_default(),
            )
            .single()
            .map(|d| d.timestamp())
            .ok_or(AppError::Internal)?
    };
    let settings = serde_json::to_string(&publication.settings).map_err(|_| AppError::Internal)?;
    let mut tx = crate::platform::db::begin(pool).await?;
    bootstrap(&mut *tx, &cache.defaults).await?;
    let number: i64 = sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM ans_versions")
        .fetch_one(&mut *tx)
        .await?
        .get("n");
    sqlx::query(
        "INSERT INTO ans_versions (number, effective_at, settings, note, published_by, published_by_name, published_at, announced) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(number)
    .bind(effective_at)
    .bind(&settings)
    .bind(&note)
    .bind(&admin.id)
    .bind(&admin.full_name)
    .bind(at)
    .bind(i64::from(publication.notify_customers))
    .execute(&mut *tx)
    .await
    .map_err(|err| {
        crate::platform::db::on_constraint(err, |_| {
            Some(AppError::Conflict(
                "Otra persona publicó una versión del ANS en este momento. Recargue la página."
                    .into(),
            ))
        })
    })?;
    let notified = if publication.notify_customers {
        crate::ans::server::notice::tell_customers(
            &mut tx,
            &publication.settings,
            effective_at,
            &note,
        )
        .await?
    } else {
        0
    };
    sqlx::query("UPDATE ans_versions SET customers_notified = $1 WHERE number = $2")
        .bind(notified)
        .bind(number)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &Actor::user(&admin.id, &admin.full_name),
        "ans_publicado",
        "ans_version",
        &number.to_string(),
        json!({
            "effective_at": effective_at,
            "settings": publication.settings,
            "note": note,
            "customers_notified": notified,
        }),
    )
    .await?;
    tx.commit().await?;
    cache.forget();
    Ok(Published {
        version: AnsVersion {
            number,
            effective_at,
            settings: publication.settings,
        },
        note,
        published_by_name: admin.full_name.clone(),
        published_at: at,
        customers_notified: notified,
    })
}
