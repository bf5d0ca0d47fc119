//! The sums behind each indicator. Every figure is a count over indexed columns the writers
//! keep (`received_at`, `answered_at`, `closed_at`, and the on-time facts `clocks::refresh`
//! stores when a clock is met, by the domain's own clock: pauses and prórroga included), so
//! a period costs a handful of queries whatever the size of the desk.
//!
//! Periods are whole days in Bogotá, both ends included, at most a year: a longer one is
//! refused in words rather than scanned. A ratio with nothing to count is "sin datos", never
//! a division by zero. Clocks still running count only once they are breached: a request
//! whose due is still ahead is neither on time nor late yet.

use chrono::{Datelike, NaiveDate, TimeZone};
use sqlx::Row;
use ventanilla::calendar::bogota;

use crate::error::AppError;
use crate::indicators::model::{
    DrillDown, DrillRow, Indicator, IndicatorFilters, IndicatorReport, PeriodPreset, ResponseTime,
    DRILL_LIMIT,
};

/// The longest period one report covers.
pub const MAX_DAYS: i64 = 366;

/// `from` and `to` as typed (`YYYY-MM-DD`; empty: this month so far), checked.
pub fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), AppError> {
    let today = chrono::Utc::now().with_timezone(&bogota()).date_naive();
    let day = |text: &str, label: &str, default: NaiveDate| -> Result<NaiveDate, AppError> {
        match text.trim() {
            "" => Ok(default),
            typed => NaiveDate::parse_from_str(typed, "%Y-%m-%d").map_err(|_| {
                AppError::validation(format!("{label}: escriba la fecha como AAAA-MM-DD."))
            }),
        }
    };
    let first_of_month = today.with_day(1).unwrap_or(today);
    let from = day(from, "Fecha inicial", first_of_month)?;
    let to = day(to, "Fecha final", today)?;
    if from > to {
        return Err(AppError::validation(
            "La fecha inicial es posterior a la fecha final.",
        ));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(AppError::validation(format!(
            "El periodo admite como máximo {MAX_DAYS} días; consulte los años por separado."
        )));
    }
    Ok((from, to))
}

/// The usual periods up to `now`: this month, the previous month, this quarter, this
/// semester, this year (Bogotá days).
fn presets(now: i64) -> Vec<PeriodPreset> {
    let today = chrono::DateTime::from_timestamp(now, 0)
        .unwrap_or_default()
        .with_timezone(&bogota())
        .date_naive();
    let first = |month: u32| NaiveDate::from_ymd_opt(today.year(), month, 1).unwrap_or(today);
    let this_month = first(today.month());
    let previous_end = this_month.pred_opt().unwrap_or(this_month);
    let previous_start = previous_end.with_day(1).unwrap_or(previous_end);
    let quarter = first((today.month() - 1) / 3 * 3 + 1);
    let semester = first(if today.month() <= 6 { 1 } else { 7 });
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    [
        ("Este mes", this_month, today),
        ("Mes anterior", previous_start, previous_end),
        ("Este trimestre", quarter, today),
        ("Este semestre", semester, today),
        ("Este año", first(1), today),
    ]
    .into_iter()
    .map(|(label, from, to)| PeriodPreset {
        label: label.to_string(),
        from: day(from),
        to: day(to),
    })
    .collect()
}

/// 00:00 of `day` in Bogotá, in Unix seconds.
pub fn day_start(day: NaiveDate) -> i64 {
    bogota()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|d| d.timestamp())
        .unwrap_or_default()
}

async fn count(
    pool: &sqlx::AnyPool,
    sql: &str,
    (start, end, now): (i64, i64, i64),
) -> Result<i64, AppError> {
    count_narrowed(pool, sql, (start, end, now), &Narrowing::default()).await
}

/// [`count`] of the requests (or their surveys) that match `narrowing`.
async fn count_narrowed(
    pool: &sqlx::AnyPool,
    sql: &str,
    (start, end, now): (i64, i64, i64),
    narrowing: &Narrowing,
) -> Result<i64, AppError> {
    let sql = narrowing.apply(sql);
    let mut query = sqlx::query(&sql).bind(start).bind(end).bind(now);
    for value in &narrowing.values {
        query = query.bind(value.clone());
    }
    Ok(query.fetch_one(pool).await?.get("n"))
}

/// The filters as SQL: a condition on the columns of `requests` with its parameters, numbered
/// after the query's own. Values are always bound, never written into the SQL.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Narrowing {
    /// Conditions joined by AND, unqualified column names of `requests`; empty for none.
    condition: String,
    values: Vec<String>,
}

impl Narrowing {
    /// Checks `filters` and numbers their parameters from `$first`. A code that does not
    /// exist is refused in words; an id that matches nothing simply narrows to nothing.
    pub(crate) fn new(filters: &IndicatorFilters, first: usize) -> Result<Narrowing, AppError> {
        use ventanilla::channel::Channel;
        use ventanilla::legal::RequestType;
        use ventanilla::tier::Tier;
        let mut narrowing = Narrowing::default();
        let mut conditions = Vec::new();
        let mut add = |template: &str, value: &str| {
            let n = first + narrowing.values.len();
            conditions.push(template.replace('?', &format!("${n}")));
            narrowing.values.push(value.to_string());
        };
        let checked = |value: &str, known: bool, what: &str| -> Result<(), AppError> {
            if value.chars().count() > 64 || !known {
                return Err(AppError::validation(format!(
                    "{what}: «{value}» no existe."
                )));
            }
            Ok(())
        };
        let f = filters;
        if !f.request_type.is_empty() {
            checked(
                &f.request_type,
                RequestType::from_code(&f.request_type).is_some(),
                "Tipo de solicitud",
            )?;
            add("request_type = ?", &f.request_type);
        }
        if !f.tier.is_empty() {
            checked(
                &f.tier,
                Tier::from_code(&f.tier).is_some(),
                "Nivel del cliente",
            )?;
            add("tier = ?", &f.tier);
        }
        if !f.channel.is_empty() {
            checked(
                &f.channel,
                Channel::from_code(&f.channel).is_some(),
                "Canal",
            )?;
            add("channel = ?", &f.channel);
        }
        for (value, template, what) in [
            (&f.category, "category_id = ?", "Categoría"),
            (&f.area, "area_id = ?", "Área"),
            (&f.agent, "assignee_id = ?", "Agente"),
            (
                &f.segment,
                "account_id IN (SELECT id FROM accounts WHERE segment = ?)",
                "Segmento",
            ),
        ] {
            if !value.is_empty() {
                checked(value, true, what)?;
                add(template, value);
            }
        }
        narrowing.condition = conditions.join(" AND ");
        Ok(narrowing)
    }

    /// `sql` (one `SELECT … FROM t WHERE <rest>`, the WHERE clause running to the end)
    /// narrowed: `WHERE <condition> AND (<rest>)`. A query on the surveys is narrowed to the
    /// surveys of the matching requests.
    fn apply(&self, sql: &str) -> String {
        if self.condition.is_empty() {
            return sql.to_string();
        }
        let Some((head, rest)) = sql.split_once(" WHERE ") else {
            return sql.to_string();
        };
        // The table of the outer query decides; subqueries come after its WHERE.
        let condition = if head.contains("FROM survey_invitations") {
            format!(
                "request_id IN (SELECT id FROM requests WHERE {})",
                self.condition
            )
        } else {
            self.condition.clone()
        };
        format!("{head} WHERE {condition} AND ({rest})")
    }
}

struct Spec {
    key: &'static str,
    name: &'static str,
    formula: &'static str,
    source: &'static str,
    goal: Option<f64>,
}

fn ratio(spec: Spec, numerator: i64, denominator: i64) -> Indicator {
    let value = (denominator > 0).then(|| numerator as f64 * 100.0 / denominator as f64);
    Indicator {
        key: spec.key.into(),
        name: spec.name.into(),
        formula: spec.formula.into(),
        source: spec.source.into(),
        numerator,
        denominator: Some(denominator),
        meets: spec.goal.zip(value).map(|(goal, value)| value >= goal),
        value,
        goal: spec.goal,
        drills_down: drill_query(spec.key, true).is_some(),
        base_drills_down: drill_query(spec.key, false).is_some(),
        owner: String::new(),
    }
}

fn tally(spec: Spec, n: i64) -> Indicator {
    Indicator {
        key: spec.key.into(),
        name: spec.name.into(),
        formula: spec.formula.into(),
        source: spec.source.into(),
        numerator: n,
        denominator: None,
        value: Some(n as f64),
        goal: None,
        meets: None,
        drills_down: drill_query(spec.key, true).is_some(),
        base_drills_down: false,
        owner: String::new(),
    }
}

/// `$1` period start, `$2` period end (exclusive), `$3` now: every query binds the three.
const RECEIVED: &str =
    "SELECT COUNT(*) AS n FROM requests WHERE received_at >= $1 AND received_at < $2 AND $3 = $3";
const ANSWERED: &str =
    "SELECT COUNT(*) AS n FROM requests WHERE answered_at >= $1 AND answered_at < $2 AND $3 = $3";
const CLOSED: &str =
    "SELECT COUNT(*) AS n FROM requests WHERE closed_at >= $1 AND closed_at < $2 AND $3 = $3";
const OPEN_AT_END: &str = "SELECT COUNT(*) AS n FROM requests WHERE received_at < $2 \
     AND (closed_at IS NULL OR closed_at >= $2) AND $1 = $1 AND $3 = $3";
/// Guaranteed requests whose first-response due fell in the period: met (on time or not), or
/// breached and still unanswered.
const FIRST_DUE: &str = "SELECT COUNT(*) AS n FROM requests WHERE ans_guaranteed = 1 \
     AND first_response_due >= $1 AND first_response_due < $2 \
     AND (first_response_on_time IS NOT NULL OR (first_response_at IS NULL AND clock_first_due < $3))";
const FIRST_ON_TIME: &str = "SELECT COUNT(*) AS n FROM requests WHERE ans_guaranteed = 1 \
     AND first_response_due >= $1 AND first_response_due < $2 AND first_response_on_time = 1 AND $3 = $3";
/// Received in the period and decided: contacted, or 24 hours gone without contact.
const CONTACT_DECIDED: &str =
    "SELECT COUNT(*) AS n FROM requests WHERE received_at >= $1 AND received_at < $2 \
     AND (first_response_at IS NOT NULL OR received_at + 86400 < $3)";
const CONTACT_IN_24H: &str =
    "SELECT COUNT(*) AS n FROM requests WHERE received_at >= $1 AND received_at < $2 \
     AND first_response_at IS NOT NULL AND first_response_at <= received_at + 86400 AND $3 = $3";
/// Answered in the period (with a legal term), plus legal terms breached in the period and
/// still unanswered.
const LEGAL_DECIDED: &str = "SELECT COUNT(*) AS n FROM requests WHERE \
     (answered_at >= $1 AND answered_at < $2 AND legal_on_time IS NOT NULL) \
     OR (answered_at IS NULL AND clock_legal_due >= $1 AND clock_legal_due < $2 AND clock_legal_due < $3)";
const LEGAL_ON_TIME: &str =
    "SELECT COUNT(*) AS n FROM requests WHERE answered_at >= $1 AND answered_at < $2 \
     AND legal_on_time = 1 AND $3 = $3";
const REVIEWED: &str = "SELECT COUNT(*) AS n FROM requests r WHERE r.answered_at >= $1 AND r.answered_at < $2 \
     AND EXISTS (SELECT 1 FROM request_messages m WHERE m.request_id = r.id AND m.kind = 'borrador_aprobado') AND $3 = $3";
/// Answered in the period with no request for information, no escalation and no customer
/// message between the filing and the answer.
const FIRST_CONTACT_RESOLVED: &str = "SELECT COUNT(*) AS n FROM requests r WHERE r.answered_at >= $1 AND r.answered_at < $2 \
     AND r.area_id IS NULL AND NOT EXISTS (SELECT 1 FROM request_messages m WHERE m.request_id = r.id \
     AND (m.kind = 'solicitud_informacion' OR (m.from_customer = 1 AND m.kind <> 'descripcion' AND m.created_at < r.answered_at))) \
     AND $3 = $3";
/// Quejas and reclamos received in the period: the effective-close cohort.
const PQR_RECEIVED: &str =
    "SELECT COUNT(*) AS n FROM requests WHERE received_at >= $1 AND received_at < $2 \
     AND request_type IN ('queja', 'reclamo') AND $3 = $3";
/// Of those, the ones closed effectively (`ventanilla::lifecycle::AnswerOutcome`): answered
/// solucionada or no procede, closed, no related request within 30 days of the close, no
/// survey answer "no se resolvió". `$3` is the 30 days in seconds.
const PQR_EFFECTIVE: &str = "SELECT COUNT(*) AS n FROM requests r WHERE r.received_at >= $1 AND r.received_at < $2 \
     AND r.request_type IN ('queja', 'reclamo') AND r.closed_at IS NOT NULL \
     AND r.answer_outcome IN ('solucionada', 'no_procede') \
     AND NOT EXISTS (SELECT 1 FROM requests n WHERE n.related_request_id = r.id AND n.received_at <= r.closed_at + $3) \
     AND NOT EXISTS (SELECT 1 FROM survey_invitations s WHERE s.request_id = r.id AND s.resolved = 0)";
/// Calls to the service line started in the period, whatever became of them, and the ones an
/// agent took (`calls::server::record`).
const CALLS_RECEIVED: &str =
    "SELECT COUNT(*) AS n FROM calls WHERE started_at >= $1 AND started_at < $2 AND $3 = $3";
const CALLS_ATTENDED: &str =
    "SELECT COUNT(*) AS n FROM calls WHERE started_at >= $1 AND started_at < $2 \
     AND outcome = 'atendida' AND $3 = $3";
const CSAT_ANSWERS: &str =
    "SELECT COUNT(*) AS n FROM survey_invitations WHERE answered_at >= $1 AND answered_at < $2 \
     AND csat IS NOT NULL AND $3 = $3";
const CSAT_SATISFIED: &str =
    "SELECT COUNT(*) AS n FROM survey_invitations WHERE answered_at >= $1 AND answered_at < $2 \
     AND csat >= 4 AND $3 = $3";
const NPS_ANSWERS: &str =
    "SELECT COUNT(*) AS n FROM survey_invitations WHERE answered_at >= $1 AND answered_at < $2 \
     AND nps IS NOT NULL AND $3 = $3";
const NPS_BALANCE: &str = "SELECT COALESCE(SUM(CASE WHEN nps >= 9 THEN 1 WHEN nps <= 6 THEN -1 ELSE 0 END), 0) AS n \
     FROM survey_invitations WHERE answered_at >= $1 AND answered_at < $2 AND nps IS NOT NULL AND $3 = $3";

/// What the third parameter of a query is.
#[derive(Clone, Copy)]
enum Third {
    /// The instant of the report.
    Now,
    /// The days after a close within which a related request undoes it, in seconds.
    EffectiveCloseWindow,
}

impl Third {
    fn value(self, now: i64) -> i64 {
        match self {
            Third::Now => now,
            Third::EffectiveCloseWindow => ventanilla::lifecycle::EFFECTIVE_CLOSE_DAYS * 24 * 3600,
        }
    }
}

/// The count behind the numerator (or, with `numerator` false, the denominator) of a
/// request-based indicator; `None` for the survey figures and unknown keys.
fn drill_query(key: &str, numerator: bool) -> Option<(&'static str, Third)> {
    let (top, bottom) = match key {
        "received" => (RECEIVED, None),
        "answered" => (ANSWERED, None),
        "closed" => (CLOSED, None),
        "open_at_end" => (OPEN_AT_END, None),
        "pqr_effective_closure" => {
            return Some(if numerator {
                (PQR_EFFECTIVE, Third::EffectiveCloseWindow)
            } else {
                (PQR_RECEIVED, Third::Now)
            })
        }
        "first_response_within_ans" => (FIRST_ON_TIME, Some(FIRST_DUE)),
        "first_contact_24h" => (CONTACT_IN_24H, Some(CONTACT_DECIDED)),
        "legal_term_compliance" => (LEGAL_ON_TIME, Some(LEGAL_DECIDED)),
        "first_contact_resolution" => (FIRST_CONTACT_RESOLVED, Some(ANSWERED)),
        "review_rate" => (REVIEWED, Some(ANSWERED)),
        // The surveys' figures list the requests whose survey counts. The NPS numerator is a
        // balance (promoters minus detractors), not a set of answers: only its base lists.
        "csat" => (CSAT_SATISFIED, Some(CSAT_ANSWERS)),
        "nps" => return (!numerator).then_some((NPS_ANSWERS, Third::Now)),
        _ => return None,
    };
    let sql = if numerator { Some(top) } else { bottom };
    sql.map(|sql| (sql, Third::Now))
}

/// A count of requests as the list of those requests; a count of survey answers as the list
/// of the requests those surveys were about.
fn listing(count_sql: &str) -> String {
    const COLUMNS: &str = "SELECT radicado, subject, state, received_at FROM requests";
    match count_sql.strip_prefix("SELECT COUNT(*) AS n FROM survey_invitations WHERE ") {
        Some(rest) => format!(
            "{COLUMNS} WHERE id IN (SELECT request_id FROM survey_invitations WHERE {rest})"
        ),
        None => count_sql.replacen("SELECT COUNT(*) AS n FROM requests", COLUMNS, 1),
    }
}

/// The requests behind the numerator (or the denominator) of `key` in the period, newest
/// first, at most [`DRILL_LIMIT`]: the same conditions as the figure, so the list and the
/// number always agree.
pub async fn requests_behind(
    pool: &sqlx::AnyPool,
    (from, to): (NaiveDate, NaiveDate),
    now: i64,
    key: &str,
    numerator: bool,
    filters: &IndicatorFilters,
) -> Result<DrillDown, AppError> {
    let (count_sql, third) = drill_query(key, numerator)
        .ok_or_else(|| AppError::validation("Ese indicador no tiene una lista de solicitudes."))?;
    let narrowing = Narrowing::new(filters, 4)?;
    let name = spec(key).name;
    let sql = format!(
        "{} ORDER BY received_at DESC, radicado DESC LIMIT {}",
        listing(&narrowing.apply(count_sql)),
        DRILL_LIMIT + 1
    );
    let mut query = sqlx::query(&sql)
        .bind(day_start(from))
        .bind(day_start(to + chrono::Duration::days(1)))
        .bind(third.value(now));
    for value in &narrowing.values {
        query = query.bind(value.clone());
    }
    let rows = query.fetch_all(pool).await?;
    let truncated = rows.len() > DRILL_LIMIT;
    Ok(DrillDown {
        key: key.to_string(),
        name: name.to_string(),
        part: if numerator {
            "Cumplen"
        } else {
            "Base del cálculo"
        }
        .to_string(),
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        rows: rows
            .iter()
            .take(DRILL_LIMIT)
            .map(|row| DrillRow {
                radicado: row.get("radicado"),
                subject: row.get("subject"),
                state: ventanilla::lifecycle::RequestState::from_code(
                    &row.get::<String, _>("state"),
                )
                .map(|s| s.label_es().to_string())
                .unwrap_or_default(),
                received: crate::timers::local_time(row.get("received_at")),
            })
            .collect(),
        truncated,
    })
}

/// The indicators of `from`–`to` (days in Bogotá, both included), as of `now`.
/// The name, formula, source and goal of the indicator `key`.
/// An indicator's name and built-in goal, for the goals form.
pub(crate) fn name_and_goal(key: &str) -> (&'static str, Option<f64>) {
    let spec = spec(key);
    (spec.name, spec.goal)
}

fn spec(key: &str) -> Spec {
    match key {
        "received" => Spec {
        key: "received",
        name: "Solicitudes recibidas",
        formula: "Solicitudes radicadas en el periodo, por cualquier canal.",
        source: "Seeds 001 y 004 (volumen)",
        goal: None,
    },
        "answered" => Spec {
        key: "answered",
        name: "Solicitudes respondidas",
        formula: "Solicitudes con respuesta de fondo enviada en el periodo.",
        source: "Seeds 001 y 004 (volumen)",
        goal: None,
    },
        "closed" => Spec {
        key: "closed",
        name: "Solicitudes cerradas",
        formula: "Solicitudes cerradas en el periodo (por el cliente, el equipo o el cierre automático).",
        source: "Seeds 001 y 004 (volumen)",
        goal: None,
    },
        "open_at_end" => Spec {
        key: "open_at_end",
        name: "Pendientes al cierre del periodo",
        formula: "Solicitudes recibidas hasta el final del periodo que seguían abiertas en ese momento.",
        source: "Seed 004 (pendientes)",
        goal: None,
    },
        "pqr_effective_closure" => Spec {
        key: "pqr_effective_closure",
        name: "Cierre efectivo de PQR",
        formula: "Quejas y reclamos recibidos en el periodo cerrados de forma efectiva ÷ quejas y reclamos recibidos en el periodo × 100.",
        source: "Seed 001 §5.3",
        goal: Some(97.0),
    },
        "first_response_within_ans" => Spec {
        key: "first_response_within_ans",
        name: "Primera respuesta dentro del ANS",
        formula: "Solicitudes con garantía cuya primera respuesta llegó a tiempo ÷ solicitudes con garantía cuyo plazo de primera respuesta venció en el periodo (respondidas o vencidas sin respuesta) × 100.",
        source: "Seed 000 §4 y §7",
        goal: Some(90.0),
    },
        "first_contact_24h" => Spec {
        key: "first_contact_24h",
        name: "Primer contacto en 24 horas",
        formula: "Solicitudes recibidas en el periodo con un primer contacto público dentro de las 24 horas calendario ÷ solicitudes recibidas en el periodo cuyo plazo de 24 horas ya pasó o que ya tuvieron contacto × 100.",
        source: "Seed 002 §4",
        goal: Some(100.0),
    },
        "legal_term_compliance" => Spec {
        key: "legal_term_compliance",
        name: "Respuesta dentro del término legal",
        formula: "Solicitudes respondidas en el periodo dentro de su término legal (con suspensiones y prórroga) ÷ solicitudes respondidas en el periodo más las que vencieron sin respuesta en el periodo × 100.",
        source: "Ley 1755 de 2015 art. 14; seed 004 (Evaluar 4)",
        goal: Some(100.0),
    },
        "first_contact_resolution" => Spec {
        key: "first_contact_resolution",
        name: "Resolución en el primer contacto",
        formula: "Solicitudes respondidas en el periodo sin pedir información, sin escalar y sin mensajes del cliente antes de la respuesta ÷ solicitudes respondidas en el periodo × 100.",
        source: "Seed 000 §7 (desde la conversación, no la encuesta)",
        goal: None,
    },
        "review_rate" => Spec {
        key: "review_rate",
        name: "Tasa de revisión de calidad",
        formula: "Solicitudes respondidas en el periodo cuya respuesta aprobó calidad antes de enviarse ÷ solicitudes respondidas en el periodo × 100.",
        source: "Seed 002 §4 (al menos el 50 %)",
        goal: Some(50.0),
    },
        "calls_attended" => Spec {
        key: "calls_attended",
        name: "Atención oportuna de llamadas",
        formula: "Llamadas a la línea de servicio atendidas en el periodo ÷ llamadas recibidas en el periodo (atendidas y abandonadas) × 100, según los registros de la central telefónica. Los filtros por solicitud no aplican a las llamadas.",
        source: "Seed 001 §5.3",
        goal: Some(90.0),
    },
        "csat" => Spec {
        key: "csat",
        name: "Satisfacción (CSAT)",
        formula: "Encuestas respondidas en el periodo con satisfacción 4 o 5 ÷ encuestas respondidas con satisfacción × 100.",
        source: "Seed 001 §5.3; seed 000 §7",
        goal: Some(90.0),
    },
        "nps" => Spec {
        key: "nps",
        name: "Net Promoter Score (NPS)",
        formula: "Promotores (9 y 10) menos detractores (0 a 6) ÷ respuestas de recomendación del periodo × 100.",
        source: "Seed 000 §7; seed 003",
        goal: None,
    },
        _ => Spec {
            key: "desconocido",
            name: "Indicador desconocido",
            formula: "",
            source: "",
            goal: None,
        },
    }
}

/// The keys of every indicator, in the report's order.
pub(crate) const KEYS: [&str; 13] = [
    "received",
    "answered",
    "closed",
    "open_at_end",
    "pqr_effective_closure",
    "first_response_within_ans",
    "first_contact_24h",
    "legal_term_compliance",
    "first_contact_resolution",
    "review_rate",
    "calls_attended",
    "csat",
    "nps",
];

/// Received, answered and closed in `[start, end)`: the monthly report's trend, by the same
/// counts as the indicators.
pub async fn volumes(
    pool: &sqlx::AnyPool,
    (start, end): (i64, i64),
    now: i64,
) -> Result<(i64, i64, i64), AppError> {
    let window = (start, end, now);
    Ok((
        count(pool, RECEIVED, window).await?,
        count(pool, ANSWERED, window).await?,
        count(pool, CLOSED, window).await?,
    ))
}

/// "2 h 05 min", "12 min": business time as the report reads it.
pub fn duration_text(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// Mean and median of `seconds` (not empty): the median of an even count is the mean of the
/// two middle values.
pub fn mean_and_median(seconds: &mut [i64]) -> (i64, i64) {
    seconds.sort_unstable();
    let n = seconds.len();
    let mean = seconds.iter().map(|&s| i128::from(s)).sum::<i128>() / n.max(1) as i128;
    let median = if n % 2 == 1 {
        seconds[n / 2]
    } else {
        (seconds[n / 2 - 1] + seconds[n / 2]) / 2
    };
    (i64::try_from(mean).unwrap_or(i64::MAX), median)
}

/// Tiempo de primera respuesta (seed 000 §7): the first responses given in the period, in
/// business time of each request's ANS version without time waiting on the customer (as
/// `clocks::refresh` stored it), by tier and priority in the matrix's order, then all.
pub async fn first_response_times(
    pool: &sqlx::AnyPool,
    (from, to): (i64, i64),
) -> Result<Vec<ResponseTime>, AppError> {
    first_response_times_narrowed(pool, (from, to), &Narrowing::default()).await
}

/// [`first_response_times`] of the requests that match `narrowing` (numbered from `$3`).
async fn first_response_times_narrowed(
    pool: &sqlx::AnyPool,
    (from, to): (i64, i64),
    narrowing: &Narrowing,
) -> Result<Vec<ResponseTime>, AppError> {
    use ventanilla::sla::Priority;
    use ventanilla::tier::Tier;
    let sql = narrowing.apply(
        "SELECT tier, priority, first_response_business_seconds AS s FROM requests \
         WHERE first_response_at >= $1 AND first_response_at < $2 \
         AND first_response_business_seconds IS NOT NULL",
    );
    let mut query = sqlx::query(&sql).bind(from).bind(to);
    for value in &narrowing.values {
        query = query.bind(value.clone());
    }
    let rows = query.fetch_all(pool).await?;
    let mut all: Vec<i64> = Vec::with_capacity(rows.len());
    let mut by_pair: std::collections::HashMap<(String, String), Vec<i64>> = Default::default();
    for row in &rows {
        let seconds: i64 = row.get("s");
        all.push(seconds);
        by_pair
            .entry((row.get("tier"), row.get("priority")))
            .or_default()
            .push(seconds);
    }
    let line = |tier: &str, priority: &str, seconds: &mut Vec<i64>| {
        let (mean, median) = mean_and_median(seconds);
        ResponseTime {
            tier: tier.to_string(),
            priority: priority.to_string(),
            responses: seconds.len() as i64,
            mean_seconds: mean,
            median_seconds: median,
            mean: duration_text(mean),
            median: duration_text(median),
        }
    };
    let mut lines = Vec::new();
    for tier in Tier::ALL {
        for priority in Priority::ALL {
            let key = (tier.code().to_string(), priority.code().to_string());
            if let Some(seconds) = by_pair.get_mut(&key) {
                lines.push(line(tier.label_es(), priority.label_es(), seconds));
            }
        }
    }
    if !all.is_empty() {
        lines.push(line("Todos", "Todas", &mut all));
    }
    Ok(lines)
}

pub async fn report(
    pool: &sqlx::AnyPool,
    period: (NaiveDate, NaiveDate),
    now: i64,
) -> Result<IndicatorReport, AppError> {
    report_filtered(pool, period, now, &IndicatorFilters::default()).await
}

/// [`report`] narrowed by `filters` (see [`IndicatorFilters`]).
pub async fn report_filtered(
    pool: &sqlx::AnyPool,
    (from, to): (NaiveDate, NaiveDate),
    now: i64,
    filters: &IndicatorFilters,
) -> Result<IndicatorReport, AppError> {
    let narrowing = Narrowing::new(filters, 4)?;
    let window = (
        day_start(from),
        day_start(to + chrono::Duration::days(1)),
        now,
    );
    let n = |sql: &'static str| count_narrowed(pool, sql, window, &narrowing);
    let effective_window = (
        window.0,
        window.1,
        ventanilla::lifecycle::EFFECTIVE_CLOSE_DAYS * 24 * 3600,
    );
    let indicators = vec![
        tally(spec("received"), n(RECEIVED).await?),
        tally(spec("answered"), n(ANSWERED).await?),
        tally(spec("closed"), n(CLOSED).await?),
        tally(spec("open_at_end"), n(OPEN_AT_END).await?),
        ratio(
            spec("pqr_effective_closure"),
            count_narrowed(pool, PQR_EFFECTIVE, effective_window, &narrowing).await?,
            n(PQR_RECEIVED).await?,
        ),
        ratio(
            spec("first_response_within_ans"),
            n(FIRST_ON_TIME).await?,
            n(FIRST_DUE).await?,
        ),
        ratio(
            spec("first_contact_24h"),
            n(CONTACT_IN_24H).await?,
            n(CONTACT_DECIDED).await?,
        ),
        ratio(
            spec("legal_term_compliance"),
            n(LEGAL_ON_TIME).await?,
            n(LEGAL_DECIDED).await?,
        ),
        ratio(
            spec("first_contact_resolution"),
            n(FIRST_CONTACT_RESOLVED).await?,
            n(ANSWERED).await?,
        ),
        ratio(spec("review_rate"), n(REVIEWED).await?, n(ANSWERED).await?),
        ratio(
            spec("calls_attended"),
            count(pool, CALLS_ATTENDED, window).await?,
            count(pool, CALLS_RECEIVED, window).await?,
        ),
        ratio(
            spec("csat"),
            n(CSAT_SATISFIED).await?,
            n(CSAT_ANSWERS).await?,
        ),
        ratio(spec("nps"), n(NPS_BALANCE).await?, n(NPS_ANSWERS).await?),
    ];
    let mut indicators = indicators;
    for indicator in &mut indicators {
        if indicator.key == "pqr_effective_closure" {
            indicator.formula = format!(
                "{} {}",
                indicator.formula,
                ventanilla::lifecycle::EFFECTIVE_CLOSE_RULE
            );
        }
    }
    let goals = crate::indicators::server::goals::stored(pool).await?;
    for indicator in &mut indicators {
        if let Some(stored) = goals.get(&indicator.key) {
            stored.apply(indicator);
        }
    }
    Ok(IndicatorReport {
        can_edit_goals: false,
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        indicators,
        first_response_times: first_response_times_narrowed(
            pool,
            (window.0, window.1),
            &Narrowing::new(filters, 3)?,
        )
        .await?,
        presets: presets(now),
        filters: filters.clone(),
        options: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_checked_in_words() {
        assert!(period("2026-11-01", "2026-11-30").is_ok());
        let reversed = period("2026-11-30", "2026-11-01").unwrap_err();
        assert!(reversed.to_string().contains("posterior"), "{reversed}");
        let decade = period("2016-01-01", "2026-01-01").unwrap_err();
        assert!(decade.to_string().contains("366 días"), "{decade}");
        let typo = period("01/11/2026", "").unwrap_err();
        assert!(typo.to_string().contains("Fecha inicial"), "{typo}");
        let (from, to) = period("", "").unwrap();
        assert_eq!(from.day(), 1);
        assert!(from <= to);
    }

    #[test]
    fn every_indicator_has_its_words_and_the_request_figures_drill_down() {
        for key in KEYS {
            let spec = spec(key);
            assert_eq!(spec.key, key);
            assert!(!spec.formula.is_empty() && !spec.source.is_empty(), "{key}");
            // Calls are not requests, and the NPS numerator is a balance: no list behind them.
            let no_list = matches!(key, "nps" | "calls_attended");
            assert_eq!(drill_query(key, true).is_some(), !no_list, "{key}");
            for numerator in [true, false] {
                if let Some((sql, _)) = drill_query(key, numerator) {
                    assert!(
                        listing(sql).starts_with(
                            "SELECT radicado, subject, state, received_at FROM requests"
                        ),
                        "{key}"
                    );
                }
            }
        }
        assert!(drill_query("received", false).is_none());
        assert!(drill_query("legal_term_compliance", false).is_some());
        assert!(drill_query("nps", false).is_some());
        assert_eq!(
            listing(CSAT_ANSWERS),
            "SELECT radicado, subject, state, received_at FROM requests WHERE id IN \
             (SELECT request_id FROM survey_invitations WHERE answered_at >= $1 AND answered_at < $2 \
             AND csat IS NOT NULL AND $3 = $3)"
        );
    }

    #[test]
    fn the_presets_are_whole_periods_ending_today_or_last_month() {
        let at = bogota()
            .with_ymd_and_hms(2026, 8, 14, 10, 0, 0)
            .single()
            .unwrap()
            .timestamp();
        let got: Vec<(String, String, String)> = presets(at)
            .into_iter()
            .map(|p| (p.label, p.from, p.to))
            .collect();
        let want = [
            ("Este mes", "2026-08-01", "2026-08-14"),
            ("Mes anterior", "2026-07-01", "2026-07-31"),
            ("Este trimestre", "2026-07-01", "2026-08-14"),
            ("Este semestre", "2026-07-01", "2026-08-14"),
            ("Este año", "2026-01-01", "2026-08-14"),
        ];
        for ((label, from, to), (l, f, t)) in got.iter().zip(want) {
            assert_eq!((label.as_str(), from.as_str(), to.as_str()), (l, f, t));
        }
        let january = bogota()
            .with_ymd_and_hms(2027, 1, 5, 9, 0, 0)
            .single()
            .unwrap()
            .timestamp();
        let previous = &presets(january)[1];
        assert_eq!(
            (previous.from.as_str(), previous.to.as_str()),
            ("2026-12-01", "2026-12-31")
        );
    }

    #[test]
    fn response_times_read_as_hours_and_minutes_with_an_even_median() {
        assert_eq!(duration_text(125 * 60 + 59), "2 h 05 min");
        assert_eq!(duration_text(12 * 60), "12 min");
        let mut seconds = vec![3600, 600, 7200, 1800];
        assert_eq!(mean_and_median(&mut seconds), (3300, 2700));
        let mut odd = vec![50, 10, 30];
        assert_eq!(mean_and_median(&mut odd), (30, 30));
    }

    #[test]
    fn filters_narrow_the_outer_where_and_keep_its_or_together() {
        let filters = IndicatorFilters {
            request_type: "queja".into(),
            segment: "hogar".into(),
            ..Default::default()
        };
        let narrowing = Narrowing::new(&filters, 4).unwrap();
        assert_eq!(narrowing.values, ["queja", "hogar"]);
        let legal = narrowing.apply(LEGAL_DECIDED);
        assert!(
            legal.starts_with(
                "SELECT COUNT(*) AS n FROM requests WHERE request_type = $4 AND \
                 account_id IN (SELECT id FROM accounts WHERE segment = $5) AND ((answered_at"
            ),
            "{legal}"
        );
        assert!(legal.ends_with(")"));
        let surveys = narrowing.apply(CSAT_ANSWERS);
        assert!(surveys
            .contains("WHERE request_id IN (SELECT id FROM requests WHERE request_type = $4"));
        assert_eq!(Narrowing::default().apply(RECEIVED), RECEIVED);
        // A subquery on the surveys does not make the request query a survey query.
        assert!(narrowing
            .apply(PQR_EFFECTIVE)
            .contains("FROM requests r WHERE request_type = $4 AND account_id IN"));
        let unknown = Narrowing::new(
            &IndicatorFilters {
                channel: "paloma".into(),
                ..Default::default()
            },
            4,
        )
        .unwrap_err();
        assert!(
            unknown.to_string().contains("Canal: «paloma» no existe"),
            "{unknown}"
        );
    }

    #[test]
    fn an_empty_ratio_is_without_data_not_a_division_by_zero() {
        let spec = || Spec {
            key: "k",
            name: "n",
            formula: "f",
            source: "s",
            goal: Some(90.0),
        };
        let empty = ratio(spec(), 0, 0);
        assert_eq!((empty.value, empty.meets), (None, None));
        let full = ratio(spec(), 9, 10);
        assert_eq!((full.value, full.meets), (Some(90.0), Some(true)));
        assert_eq!(ratio(spec(), 8, 10).meets, Some(false));
    }
}
