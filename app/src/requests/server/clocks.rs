//! The clocks of a stored request — first response (seed 000 §4), legal term (Ley 1755 de
//! 2015) and, when its ANS version asks for it, first contact in calendar hours (seed 002 §4)
//! — built from its row, and the instants the queues compare with now. Each counts on the
//! business hours of the request's ANS version.
//!
//! A clock's status is the domain's reading ([`crate::timers::read`], the code the browser
//! ticks with). For one request that reading changes with time at only two instants: when the
//! clock turns "por vencer" (less than 25 % of its business time left, DESIGN.md §3) and when
//! it is breached (past due). Everything else it depends on — receipt, type, tier, priority,
//! pauses, prórroga, first response, answer — changes only when someone writes the request.
//! So every writer calls [`refresh`] in its own transaction and stores the instants; the
//! queues then classify 100,000 requests with two comparisons each, in SQL:
//!
//! - breached ⇔ `due < now`;
//! - at risk ⇔ `risk <= now` and not breached.
//!
//! Both are NULL when the clock cannot get there: it does not apply (no ANS guarantee,
//! felicitación), it was met, or it is paused before being due. A paused clock is neither at
//! risk nor breached while the customer has the request — unless it was already past due when
//! it paused: the domain keeps a breach visible (`ClockPolicy::read`), and so does the due.
//!
//! Typification does not touch the clocks (the ANS matrix is tier × priority, seed 000 §4, and
//! the request keeps its version's hours), and a request's tier is fixed when it is filed, so the writers are: filing, every lifecycle
//! transition (pause, resume, first response, answer, reopen, close), the prórroga and the
//! priority change.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::Row;
use ventanilla::calendar::Pause;
use ventanilla::legal::{LegalTerm, RequestType};
use ventanilla::lifecycle::RequestState;
use ventanilla::sla::{ClockPolicy, ClockStatus};

use crate::error::AppError;
use crate::timers::TimerData;
use crate::timers::{calendar_of, read};
use ventanilla::ans::BusinessHours;

/// Bumped when the way instants are derived changes, so [`backfill`] recomputes every open
/// request at the next start. 3: business hours come from the request's ANS version, and
/// the first-contact clock.
const RULES_VERSION: &str = "3";

/// Instants past the year 9999 are the calendar's "never": a due pushed by a pause that has
/// not ended (the domain counts an open pause as lasting forever).
const NEVER: i64 = 253_402_300_800;

/// What the clocks of one request are computed from, as stored.
#[derive(Debug, Clone)]
pub struct ClockFacts {
    /// The request's ANS version's hours for its tier and priority, kept on the request
    /// (`requests.first_response_hours`): later versions never move its clock.
    pub first_response_hours: Option<u32>,
    pub guaranteed: bool,
    pub received_at: i64,
    /// With its prórroga; `None` for a felicitación.
    pub legal_term: Option<LegalTerm>,
    /// Every pause, the ongoing one with no end.
    pub pauses: Vec<(i64, Option<i64>)>,
    /// Waiting on the customer now (`pendiente_cliente`).
    pub paused: bool,
    pub first_response_at: Option<i64>,
    pub answered_at: Option<i64>,
    /// The business hours of the request's ANS version.
    pub business_hours: BusinessHours,
    /// Calendar hours to the first public contact, when its version measures it
    /// (`requests.first_contact_hours`).
    pub first_contact_hours: Option<u32>,
}

/// The clocks of one request as the browser ticks them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timers {
    pub first_response: Option<TimerData>,
    pub legal_term: Option<TimerData>,
    pub first_contact: Option<TimerData>,
}

/// When each clock is breached and turns "por vencer"; `None` where it never will.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Instants {
    pub first_due: Option<i64>,
    pub first_risk: Option<i64>,
    pub legal_due: Option<i64>,
    pub legal_risk: Option<i64>,
    pub contact_due: Option<i64>,
    pub contact_risk: Option<i64>,
}

/// The columns [`ClockFacts::from_row`] reads, for a query on `requests r`.
pub const COLUMNS: &str =
    "r.request_type, r.first_response_hours, r.tier, r.priority, r.state, r.ans_guaranteed, \
     r.received_at, r.first_response_at, r.answered_at, r.extension_declared_at, \
     r.extension_reason, r.extension_days, r.extension_basis, r.ans_version, \
     r.first_contact_hours";

impl ClockFacts {
    /// The facts of a row selected with [`COLUMNS`], counted on the business hours of its
    /// version as `hours` has them ([`hours_of_versions`]); `None` when a stored code is
    /// unknown.
    pub fn from_row(
        row: &sqlx::any::AnyRow,
        pauses: Vec<(i64, Option<i64>)>,
        hours: &HashMap<i64, BusinessHours>,
    ) -> Option<Self> {
        let request_type = RequestType::from_code(&row.get::<String, _>("request_type"))?;
        let state = RequestState::from_code(&row.get::<String, _>("state"))?;
        let received_at: i64 = row.get("received_at");
        let received = DateTime::from_timestamp(received_at, 0)?;
        Some(Self {
            first_response_hours: row
                .get::<Option<i64>, _>("first_response_hours")
                .and_then(|hours| u32::try_from(hours).ok()),
            guaranteed: row.get::<i64, _>("ans_guaranteed") == 1,
            received_at,
            legal_term: crate::requests::server::extension::stored_term(
                row,
                request_type,
                received,
            ),
            pauses,
            paused: state.clocks_paused(),
            first_response_at: row.get("first_response_at"),
            answered_at: row.get("answered_at"),
            business_hours: hours
                .get(&row.get::<i64, _>("ans_version"))
                .cloned()
                .unwrap_or_default(),
            first_contact_hours: row
                .get::<Option<i64>, _>("first_contact_hours")
                .and_then(|hours| u32::try_from(hours).ok()),
        })
    }

    /// The pauses as the calendar takes them, the ongoing one lasting for ever.
    fn pause_intervals(&self) -> Vec<Pause> {
        self.pauses
            .iter()
            .map(|(start, end)| Pause {
                start: DateTime::from_timestamp(*start, 0).unwrap_or_default(),
                end: end
                    .and_then(|end| DateTime::from_timestamp(end, 0))
                    .unwrap_or(DateTime::<Utc>::MAX_UTC),
            })
            .collect()
    }

    /// How long the first response took in business time of the request's version, without
    /// time waiting on the customer (seed 000 §7, "tiempo de primera respuesta"); `None`
    /// before there is one. Counted for every request, guaranteed or not.
    pub fn first_response_business_seconds(&self) -> Option<i64> {
        let met = DateTime::from_timestamp(self.first_response_at?, 0)?;
        let received = DateTime::from_timestamp(self.received_at, 0)?;
        let calendar = calendar_of(&self.business_hours);
        Some(
            calendar
                .signed_business_seconds(received, met, &self.pause_intervals())
                .max(0),
        )
    }

    /// The clocks as the browser ticks them.
    pub fn timers(&self) -> Timers {
        let calendar = calendar_of(&self.business_hours);
        let received = DateTime::from_timestamp(self.received_at, 0).unwrap_or_default();
        let pauses = self.pause_intervals();
        let first_response = self
            .first_response_hours
            .filter(|_| self.guaranteed)
            .map(|hours| TimerData {
                label: "Primera respuesta".into(),
                start: calendar.deemed_receipt(received).timestamp(),
                due: calendar
                    .add_business_minutes(received, i64::from(hours) * 60, &pauses)
                    .timestamp(),
                pauses: self.pauses.clone(),
                paused: self.paused,
                met_at: self.first_response_at,
                hours: self.business_hours.clone(),
                calendar_time: false,
            });
        // The due in force: a declared prórroga moves it (Ley 1755 art. 14 parágrafo).
        let legal_term = self.legal_term.as_ref().map(|term| {
            let clock = term.clock(&calendar, &pauses, self.paused, None);
            TimerData {
                label: "Término legal".into(),
                start: clock.start.timestamp(),
                due: clock.due.timestamp(),
                pauses: self.pauses.clone(),
                paused: self.paused,
                met_at: self.answered_at,
                hours: self.business_hours.clone(),
                calendar_time: false,
            }
        });
        // Seed 002 §4: from receipt, night and holidays included, for every request.
        let first_contact = self.first_contact_hours.map(|hours| TimerData {
            label: "Primer contacto".into(),
            start: self.received_at,
            due: self.received_at + i64::from(hours) * 3600,
            pauses: Vec::new(),
            paused: false,
            met_at: self.first_response_at,
            hours: BusinessHours::default(),
            calendar_time: true,
        });
        Timers {
            first_response,
            legal_term,
            first_contact,
        }
    }

    /// Whether each met clock was met on time: (first response, legal term); `None` while a
    /// clock runs or where there is none. The indicators sum these (issue 20).
    pub fn met_on_time(&self) -> (Option<bool>, Option<bool>) {
        let timers = self.timers();
        let on_time =
            |timer: Option<TimerData>| timer.and_then(|t| t.met_at.map(|met| met <= t.due));
        (on_time(timers.first_response), on_time(timers.legal_term))
    }

    pub fn instants(&self) -> Instants {
        let timers = self.timers();
        let of = |timer: &Option<TimerData>| timer.as_ref().map(instants_of).unwrap_or_default();
        let (first_due, first_risk) = of(&timers.first_response);
        let (legal_due, legal_risk) = of(&timers.legal_term);
        let (contact_due, contact_risk) = of(&timers.first_contact);
        Instants {
            first_due,
            first_risk,
            legal_due,
            legal_risk,
            contact_due,
            contact_risk,
        }
    }
}

/// When `timer` is breached (read as Breached for every `now > due`) and when it turns at
/// risk (read as AtRisk from that second until the due), by the domain's own reading.
fn instants_of(timer: &TimerData) -> (Option<i64>, Option<i64>) {
    if timer.met_at.is_some() || timer.due >= NEVER {
        return (None, None);
    }
    if timer.paused {
        // Paused and not yet due reads Paused; already due reads Breached.
        return (Some(timer.due), None);
    }
    // Left to read AtRisk only while not past due, and "remaining < 25 % of the total" only
    // grows with time: the first at-risk second is found by bisection over the reading itself,
    // so the stored instant cannot drift from what the timer shows.
    let at_risk = |now: i64| read(timer, now).status == ClockStatus::AtRisk;
    let (mut before, mut at) = (timer.start.min(timer.due) - 1, timer.due);
    if !at_risk(at) {
        return (Some(timer.due), None);
    }
    while at - before > 1 {
        let middle = before + (at - before) / 2;
        if at_risk(middle) {
            at = middle;
        } else {
            before = middle;
        }
    }
    (Some(timer.due), Some(at))
}

/// Which rules the stored instants were computed with. The calendar is not part of it: each
/// request keeps its ANS version, whose business hours never change once published.
pub fn basis() -> &'static str {
    static BASIS: OnceLock<String> = OnceLock::new();
    BASIS.get_or_init(|| {
        let described = format!("{RULES_VERSION}|{:?}", ClockPolicy::default());
        hex::encode(&Sha256::digest(described.as_bytes())[..8])
    })
}

/// The business hours of the ANS versions `numbers`, for [`ClockFacts::from_row`]. A version
/// not stored yet (version 1 of a database nobody opened through `startup`) counts on the
/// default hours.
pub async fn hours_of_versions<'e, E>(
    executor: E,
    numbers: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, BusinessHours>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut numbers: Vec<i64> = numbers.into_iter().collect();
    numbers.sort_unstable();
    numbers.dedup();
    if numbers.is_empty() {
        return Ok(HashMap::new());
    }
    let list: Vec<String> = numbers.iter().map(i64::to_string).collect();
    let mut hours = HashMap::new();
    for row in sqlx::query(&format!(
        "SELECT number, settings FROM ans_versions WHERE number IN ({})",
        list.join(", ")
    ))
    .fetch_all(executor)
    .await?
    {
        let settings: String = row.get("settings");
        hours.insert(
            row.get::<i64, _>("number"),
            business_hours_in(Some(&settings)),
        );
    }
    Ok(hours)
}

/// The business hours in a stored version's settings (`ans_versions.settings`); the default
/// ones when there is no stored version yet. Only that part is read.
pub fn business_hours_in(settings: Option<&str>) -> BusinessHours {
    #[derive(serde::Deserialize)]
    struct Stored {
        #[serde(default)]
        business_hours: BusinessHours,
    }
    settings
        .and_then(|json| match serde_json::from_str::<Stored>(json) {
            Ok(stored) => Some(stored.business_hours),
            Err(err) => {
                tracing::error!(error = %err, "a stored ANS version does not parse");
                None
            }
        })
        .unwrap_or_default()
}

/// Every pause of each request, oldest first.
pub async fn pauses_of<'e, E>(
    executor: E,
    ids: &[String],
) -> Result<HashMap<String, Vec<(i64, Option<i64>)>>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut grouped: HashMap<String, Vec<(i64, Option<i64>)>> = HashMap::new();
    if ids.is_empty() {
        return Ok(grouped);
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT request_id, started_at, ended_at FROM request_pauses \
         WHERE request_id IN ({}) ORDER BY started_at",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id.clone());
    }
    for pause in query.fetch_all(executor).await? {
        grouped
            .entry(pause.get("request_id"))
            .or_default()
            .push((pause.get("started_at"), pause.get("ended_at")));
    }
    Ok(grouped)
}

/// Recomputes and stores the instants of one request from what the caller's transaction has
/// written so far. Every writer of anything a clock depends on calls it before committing.
pub async fn refresh(
    tx: &mut crate::platform::db::Tx,
    request_id: &str,
) -> Result<Instants, AppError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM requests r WHERE r.id = $1"))
        .bind(request_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let pauses = pauses_of(&mut **tx, &[request_id.to_string()])
        .await?
        .remove(request_id)
        .unwrap_or_default();
    let version: i64 = row.get("ans_version");
    let hours = hours_of_versions(&mut **tx, [version]).await?;
    let facts = ClockFacts::from_row(&row, pauses, &hours).ok_or_else(|| {
        tracing::error!(request_id, "a stored request has an unknown code");
        AppError::Internal
    })?;
    let instants = facts.instants();
    let (first_on_time, legal_on_time) = facts.met_on_time();
    sqlx::query(
        "UPDATE requests SET clock_first_due = $1, clock_first_risk = $2, clock_legal_due = $3, \
         clock_legal_risk = $4, clock_basis = $5, first_response_on_time = $7, legal_on_time = $8, \
         clock_contact_due = $9, clock_contact_risk = $10, first_response_business_seconds = $11 \
         WHERE id = $6",
    )
    .bind(instants.first_due)
    .bind(instants.first_risk)
    .bind(instants.legal_due)
    .bind(instants.legal_risk)
    .bind(basis())
    .bind(request_id)
    .bind(first_on_time.map(i64::from))
    .bind(legal_on_time.map(i64::from))
    .bind(instants.contact_due)
    .bind(instants.contact_risk)
    .bind(facts.first_response_business_seconds())
    .execute(&mut **tx)
    .await?;
    Ok(instants)
}

/// `state IN (…)` over the open states, for queries on `requests r`.
pub fn open_states() -> String {
    let codes: Vec<String> = RequestState::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.code()))
        .collect();
    format!("r.state IN ({})", codes.join(", "))
}

/// Fills the instants of open requests computed with other rules or none at all (requests
/// filed before these columns existed),
/// and the on-time facts of clocks met before those columns existed.
/// A migration cannot run the domain calendar, so this runs when the database is opened; it
/// is idempotent (a second run finds nothing) and works in batches, each request locked and
/// recomputed like any writer would. Closed requests are in no queue; they are visited only
/// for the on-time facts of their met clocks.
pub async fn backfill(pool: &sqlx::AnyPool) -> Result<usize, AppError> {
    let mut done = 0;
    loop {
        // Open requests with stale instants, and any request whose clock was met before the
        // on-time facts were recorded (the basis mark then says it was looked at).
        let ids: Vec<String> = sqlx::query(&format!(
            "SELECT r.id FROM requests r WHERE (r.clock_basis IS NULL OR r.clock_basis <> $1) \
             AND ({} OR (r.first_response_at IS NOT NULL AND r.first_response_on_time IS NULL) \
             OR (r.first_response_at IS NOT NULL AND r.first_response_business_seconds IS NULL) \
             OR (r.answered_at IS NOT NULL AND r.legal_on_time IS NULL)) LIMIT 500",
            open_states()
        ))
        .bind(basis())
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|row| row.get("id"))
        .collect();
        if ids.is_empty() {
            return Ok(done);
        }
        let mut tx = crate::platform::db::begin(pool).await?;
        for id in &ids {
            crate::requests::server::lifecycle::load(&mut tx, id).await?;
            refresh(&mut tx, id).await?;
        }
        tx.commit().await?;
        done += ids.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use ventanilla::calendar::bogota;

    fn bog(d: u32, h: u32, mi: u32) -> i64 {
        bogota()
            .with_ymd_and_hms(2026, 7, d, h, mi, 0)
            .single()
            .unwrap()
            .timestamp()
    }

    fn timer(start: i64, due: i64, pauses: Vec<(i64, Option<i64>)>, paused: bool) -> TimerData {
        TimerData {
            label: "Primera respuesta".into(),
            start,
            due,
            pauses,
            paused,
            met_at: None,
            hours: BusinessHours::default(),
            calendar_time: false,
        }
    }

    /// The stored instants say exactly what the reading says, second by second around them.
    fn agrees(timer: &TimerData) {
        let (due, risk) = instants_of(timer);
        let from = timer.start - 3600;
        let to = timer.due + 3600;
        let mut at = from;
        while at <= to {
            let status = read(timer, at).status;
            let breached = due.is_some_and(|due| due < at);
            let at_risk = !breached && risk.is_some_and(|risk| risk <= at);
            assert_eq!(
                status == ClockStatus::Breached,
                breached,
                "at {at}: {status:?}"
            );
            assert_eq!(
                status == ClockStatus::AtRisk,
                at_risk,
                "at {at}: {status:?}"
            );
            // Every second near the instants, every minute elsewhere.
            let near = [due, risk]
                .into_iter()
                .flatten()
                .any(|i| (i - at).abs() < 120);
            at += if near { 1 } else { 60 };
        }
    }

    #[test]
    fn a_running_clock_turns_at_risk_at_a_quarter_left() {
        // Monday 6 July 08:00 → 16:00: 8 business hours; at risk after 14:00 (2 h left).
        let running = timer(bog(6, 8, 0), bog(6, 16, 0), vec![], false);
        assert_eq!(
            instants_of(&running),
            (Some(bog(6, 16, 0)), Some(bog(6, 14, 0) + 1))
        );
        agrees(&running);
    }

    #[test]
    fn the_risk_instant_skips_closed_hours_and_past_pauses() {
        // Friday 10 July 17:00 + 6 business hours: Monday 13 is a holiday, due Tuesday 13:00.
        let over_a_weekend = timer(bog(10, 17, 0), bog(14, 13, 0), vec![], false);
        agrees(&over_a_weekend);
        let resumed = timer(
            bog(6, 8, 0),
            bog(6, 18, 0),
            vec![(bog(6, 10, 0), Some(bog(6, 12, 0)))],
            false,
        );
        agrees(&resumed);
    }

    #[test]
    fn a_paused_clock_is_neither_at_risk_nor_breached_unless_already_due() {
        let start = bog(6, 8, 0);
        let pause = vec![(bog(6, 10, 0), None)];
        // What the domain computes for an open pause: the due never comes.
        let paused = timer(start, DateTime::<Utc>::MAX_UTC.timestamp(), pause, true);
        assert_eq!(instants_of(&paused), (None, None));
        let late = timer(start, bog(6, 9, 0), vec![(bog(6, 10, 0), None)], true);
        assert_eq!(instants_of(&late), (Some(bog(6, 9, 0)), None));
        assert_eq!(read(&late, bog(7, 9, 0)).status, ClockStatus::Breached);
    }

    #[test]
    fn a_met_clock_has_no_instants() {
        let mut met = timer(bog(6, 8, 0), bog(6, 16, 0), vec![], false);
        met.met_at = Some(bog(6, 17, 0));
        assert_eq!(instants_of(&met), (None, None));
    }

    #[test]
    fn an_open_pause_pushes_both_dues_to_never() {
        let facts = ClockFacts {
            first_response_hours: Some(1),
            guaranteed: true,
            received_at: bog(6, 9, 0),
            legal_term: LegalTerm::for_request(
                RequestType::Reclamo,
                DateTime::from_timestamp(bog(6, 9, 0), 0).unwrap(),
            ),
            pauses: vec![(bog(6, 9, 30), None)],
            paused: true,
            first_response_at: None,
            answered_at: None,
            business_hours: BusinessHours::default(),
            first_contact_hours: None,
        };
        assert_eq!(facts.instants(), Instants::default());
        let running = ClockFacts {
            pauses: vec![],
            paused: false,
            ..facts
        };
        let instants = running.instants();
        assert_eq!(instants.first_due, Some(bog(6, 10, 0)));
        assert_eq!(instants.first_risk, Some(bog(6, 9, 45) + 1));
        assert!(instants.legal_due.unwrap() > instants.legal_risk.unwrap());
    }
}
