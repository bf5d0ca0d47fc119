//! The agent queues (agent-workspace requirement, seed 000 §8): Sin asignar, Mis solicitudes, Mi área,
//! Pendientes del cliente, En revisión, Por vencer, Vencidas and, for supervisors, Todas —
//! with counts, filters and search, ordered by priority and then by order of receipt (never
//! by last update: seed 000 §8 "se atenderán en orden de llegada").
//!
//! Everything is asked of the database: the counts in one pass over the open requests, the
//! page as `ORDER BY priority rank, receipt LIMIT 200` with its filters and search. "Por
//! vencer" and "Vencidas" depend on business time, which SQL cannot count; so every writer
//! stores when each clock turns at risk and when it is breached (`ssr::clocks`), and the
//! queues compare those instants with now. Only the rows shown get their clocks built, for the
//! browser to tick. At 100,000 requests this keeps the page within its 50 ms (BENCHMARKS.md).

use chrono::Utc;
use sqlx::Row;
use ventanilla::legal::RequestType;
use ventanilla::lifecycle::RequestState;
use ventanilla::role::Role;
use ventanilla::sla::Priority;
use ventanilla::tier::Tier;

use crate::error::AppError;
use crate::requests::server::clocks::{self, ClockFacts};
use crate::requests::server::reach;
use crate::state::AppState;
use crate::timers::local_time;
use crate::{
    accounts::model::SessionUser,
    ui::choice::Choice,
    workspace::model::{QueueCount, QueueRow, QueueView},
};

/// How many rows one page of a queue shows.
const SHOWN: usize = 200;

/// The filters of the queue page; empty means "any".
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub request_type: String,
    pub priority: String,
    pub tier: String,
    /// Catalogue ids: the category and subcategory the request was filed or typified with.
    pub category: String,
    pub subcategory: String,
    /// The area a request is escalated to, and the agent it is assigned to (user ids).
    pub area: String,
    pub agent: String,
    pub search: String,
}

fn queue_names(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut names = vec![
        ("sin_asignar", "Sin asignar"),
        ("mias", "Mis solicitudes"),
        ("mi_area", "Mi área"),
        ("pendientes", "Pendientes del cliente"),
        ("revision", "En revisión"),
        ("por_vencer", "Por vencer"),
        ("vencidas", "Vencidas"),
    ];
    if matches!(role, Role::Supervisor | Role::Admin) {
        names.push(("todas", "Todas"));
    }
    // Issue 19: closed requests are found by radicado, document or text, not only by URL.
    names.push((CLOSED, "Cerradas"));
    names
}

/// The queue of closed requests, newest first, searched like the others.
const CLOSED: &str = "cerradas";

/// Where each role starts its day.
fn default_queue(role: Role) -> &'static str {
    match role {
        Role::Especialista => "mi_area",
        Role::Calidad => "revision",
        Role::Supervisor | Role::Admin => "todas",
        _ => "sin_asignar",
    }
}

/// A value bound to a placeholder of a query built here.
enum Arg {
    Text(String),
    Int(i64),
}

/// SQL text with numbered placeholders (`$n` on both engines) and their values in order.
#[derive(Default)]
struct Sql {
    args: Vec<Arg>,
}

impl Sql {
    /// A placeholder for `value`.
    fn text(&mut self, value: impl Into<String>) -> String {
        self.args.push(Arg::Text(value.into()));
        format!("${}", self.args.len())
    }

    fn int(&mut self, value: i64) -> String {
        self.args.push(Arg::Int(value));
        format!("${}", self.args.len())
    }

    fn query<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        self.args
            .iter()
            .fold(sqlx::query(sql), |query, arg| match arg {
                Arg::Text(value) => query.bind(value.as_str()),
                Arg::Int(value) => query.bind(*value),
            })
    }
}

/// Which open requests of `requests r` are in `queue`, as a SQL condition; `me` and `now` are
/// placeholders for the agent's id and the current instant.
///
/// "Por vencer" and "Vencidas" compare the instants every writer stores (`ssr::clocks`) with
/// now, which is what the domain reading of both clocks says at now: a request is overdue when
/// either clock is breached, and por vencer when one is at risk and none is breached.
fn predicate(queue: &str, me: &str, now: &str) -> String {
    let in_state = |state: RequestState| format!("r.state = '{}'", state.code());
    match queue {
        "sin_asignar" => "r.assignee_id IS NULL".into(),
        "mias" => format!("r.assignee_id = {me}"),
        "mi_area" => format!(
            "{} AND r.area_id IN (SELECT m.area_id FROM area_members m WHERE m.user_id = {me})",
            in_state(RequestState::Escalada)
        ),
        "pendientes" => in_state(RequestState::PendienteCliente),
        "revision" => in_state(RequestState::EnRevision),
        "por_vencer" => format!(
            "(r.clock_first_risk <= {now} OR r.clock_legal_risk <= {now} OR r.clock_contact_risk <= {now}) \
             AND (r.clock_first_due IS NULL OR r.clock_first_due >= {now}) \
             AND (r.clock_contact_due IS NULL OR r.clock_contact_due >= {now}) \
             AND (r.clock_legal_due IS NULL OR r.clock_legal_due >= {now})"
        ),
        "vencidas" => format!(
            "(r.clock_first_due < {now} OR r.clock_legal_due < {now} OR r.clock_contact_due < {now})"
        ),
        "todas" | CLOSED => "1 = 1".into(),
        _ => "1 = 0".into(),
    }
}

/// `expression` in lower case the same way on both engines, accented Spanish capitals
/// included: SQLite's `LOWER` folds ASCII only, so "ÑAPA ÚNICA" would not match "ñapa única"
/// there without the replacements.
fn folded(expression: &str) -> String {
    let mut folded = expression.to_string();
    for (upper, lower) in [
        ("Á", "á"),
        ("É", "é"),
        ("Í", "í"),
        ("Ó", "ó"),
        ("Ú", "ú"),
        ("Ü", "ü"),
        ("Ñ", "ñ"),
    ] {
        folded = format!("REPLACE({folded}, '{upper}', '{lower}')");
    }
    format!("LOWER({folded})")
}

/// The filters as SQL conditions on `requests r`. The search finds its words in the radicado,
/// the subject or the description, or in the customer's document number or name.
fn filter_conditions(filters: &Filters, sql: &mut Sql) -> Vec<String> {
    let mut conditions = Vec::new();
    for (column, wanted) in [
        ("r.request_type", filters.request_type.as_str()),
        ("r.priority", filters.priority.as_str()),
        ("r.tier", filters.tier.as_str()),
        ("r.category_id", filters.category.trim()),
        ("r.subcategory_id", filters.subcategory.trim()),
        ("r.area_id", filters.area.trim()),
        ("r.assignee_id", filters.agent.trim()),
    ] {
        // A request without a category, area or assignee matches only "any" (NULL = x is
        // never true).
        if !wanted.is_empty() {
            conditions.push(format!("{column} = {}", sql.text(wanted)));
        }
    }
    let search = filters.search.trim().to_lowercase();
    if !search.is_empty() {
        let escaped = search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = sql.text(format!("%{escaped}%"));
        // The customer is looked up apart (a handful of accounts match), so the requests are
        // still read in queue order and nothing needs a join to be counted.
        conditions.push(format!(
            "({} LIKE {pattern} ESCAPE '\\' OR r.account_id IN (SELECT c.id FROM accounts c \
             WHERE {} LIKE {pattern} ESCAPE '\\'))",
            folded("r.radicado || ' ' || r.subject || ' ' || r.description"),
            folded("c.document_number || ' ' || c.name"),
        ));
    }
    conditions
}

/// The rank queues sort by before the order of receipt. The same expression as
/// `requests_queue_idx`, so the page is read in index order.
const PRIORITY_RANK: &str = "CASE r.priority WHEN 'alta' THEN 0 WHEN 'media' THEN 1 ELSE 2 END";

/// Every queue's size for `user` at `now`: one pass over the open requests.
async fn counts(
    state: &AppState,
    names: &[(&'static str, &'static str)],
    user: &SessionUser,
    now: i64,
) -> Result<Vec<QueueCount>, AppError> {
    let mut sql = Sql::default();
    let (me, at) = (sql.text(user.id.clone()), sql.int(now));
    let open_queues: Vec<&str> = names
        .iter()
        .map(|(code, _)| *code)
        .filter(|code| *code != CLOSED)
        .collect();
    let columns: Vec<String> = open_queues
        .iter()
        .map(|code| {
            format!(
                "COUNT(CASE WHEN {} THEN 1 END) AS {code}",
                predicate(code, &me, &at)
            )
        })
        .collect();
    let text = format!(
        "SELECT {} FROM requests r WHERE {} AND {}",
        columns.join(", "),
        clocks::open_states(),
        reach::condition(user, &me)
    );
    let row = sql.query(&text).fetch_one(&state.pool).await?;
    Ok(names
        .iter()
        .map(|(code, label)| QueueCount {
            code: code.to_string(),
            label: label.to_string(),
            count: open_queues
                .contains(code)
                .then(|| usize::try_from(row.get::<i64, _>(*code)).unwrap_or(0)),
        })
        .collect())
}

/// The first [`SHOWN`] rows of `queue` that pass `filters`, in order, and how many more pass.
async fn page(
    state: &AppState,
    user: &SessionUser,
    queue: &str,
    filters: &Filters,
    now: i64,
) -> Result<(Vec<QueueRow>, usize), AppError> {
    let mut sql = Sql::default();
    let (me, at) = (sql.text(user.id.clone()), sql.int(now));
    let closed = queue == CLOSED;
    let states = if closed {
        format!("r.state = '{}'", RequestState::Cerrada.code())
    } else {
        clocks::open_states()
    };
    let mut conditions = vec![
        states,
        reach::condition(user, &me),
        predicate(queue, &me, &at),
    ];
    conditions.extend(filter_conditions(filters, &mut sql));
    let conditions = conditions.join(" AND ");
    // The 200 ids first, from `requests_queue_idx` alone; then their rows.
    // Work waiting goes by priority and order of receipt; the closed history, newest first.
    let order = if closed {
        "r.received_at DESC, r.radicado DESC".to_string()
    } else {
        format!("{PRIORITY_RANK}, r.received_at, r.radicado")
    };
    let text = format!(
        "SELECT r.id, r.radicado, r.subject, {}, a.name AS customer, u.full_name AS assignee \
         FROM (SELECT r.id FROM requests r WHERE {conditions} \
               ORDER BY {order} LIMIT {SHOWN}) shown \
         JOIN requests r ON r.id = shown.id JOIN accounts a ON a.id = r.account_id \
         LEFT JOIN users u ON u.id = r.assignee_id \
         ORDER BY {order}",
        clocks::COLUMNS
    );
    let found = sql.query(&text).fetch_all(&state.pool).await?;
    // Counted only when the page is full: a shorter page is everything there is.
    let more = if found.len() == SHOWN {
        let text = format!("SELECT COUNT(*) AS n FROM requests r WHERE {conditions}");
        let all: i64 = sql.query(&text).fetch_one(&state.pool).await?.get("n");
        usize::try_from(all).unwrap_or(0).saturating_sub(SHOWN)
    } else {
        0
    };
    let ids: Vec<String> = found.iter().map(|row| row.get("id")).collect();
    let mut pauses = clocks::pauses_of(&state.pool, &ids).await?;
    let hours = clocks::hours_of_versions(
        &state.pool,
        found.iter().map(|row| row.get::<i64, _>("ans_version")),
    )
    .await?;
    let rows = found
        .iter()
        .filter_map(|row| {
            let id: String = row.get("id");
            let facts = ClockFacts::from_row(row, pauses.remove(&id).unwrap_or_default(), &hours)?;
            let timers = facts.timers();
            // Once contacted, the first-contact clock is done: the queue shows what is owed.
            let first_contact = timers.first_contact.filter(|t| t.met_at.is_none());
            let state_code: String = row.get("state");
            let current = RequestState::from_code(&state_code)?;
            let request_type = RequestType::from_code(&row.get::<String, _>("request_type"))?;
            let tier = ventanilla::tier::Tier::from_code(&row.get::<String, _>("tier"))?;
            let priority = ventanilla::sla::Priority::from_code(&row.get::<String, _>("priority"))?;
            Some(QueueRow {
                radicado: row.get("radicado"),
                customer: row.get("customer"),
                tier: tier.label_es().into(),
                request_type: request_type.label_es().into(),
                subject: row.get("subject"),
                priority: priority.label_es().into(),
                state: current.label_es().into(),
                state_code,
                assignee: row.get("assignee"),
                received_at: local_time(facts.received_at),
                ans_guaranteed: facts.guaranteed,
                first_response: timers.first_response,
                legal_term: timers.legal_term,
                first_contact,
            })
        })
        .collect();
    Ok((rows, more))
}

/// The queue page for `user`: every queue's count, and the rows of `queue` that pass the
/// filters, in order. The counts are the queues' sizes, not the filtered rows: they say how
/// much work waits in each queue whatever the agent is looking at now.
pub async fn view(
    state: &AppState,
    user: &SessionUser,
    queue: &str,
    filters: &Filters,
) -> Result<QueueView, AppError> {
    if !user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let names = queue_names(user.role);
    let current = names
        .iter()
        .find(|(code, _)| *code == queue)
        .map(|(code, _)| *code)
        .unwrap_or_else(|| default_queue(user.role))
        .to_string();
    let now = Utc::now().timestamp();
    let queues = counts(state, &names, user, now).await?;
    let (rows, more) = page(state, user, &current, filters, now).await?;
    let choices = |items: Vec<(&str, &str)>| {
        items
            .into_iter()
            .map(|(code, label)| Choice::new(code, label))
            .collect()
    };
    Ok(QueueView {
        queues,
        current,
        rows,
        more,
        types: choices(
            RequestType::ALL
                .iter()
                .map(|t| (t.code(), t.label_es()))
                .collect(),
        ),
        priorities: choices(
            Priority::ALL
                .iter()
                .map(|p| (p.code(), p.label_es()))
                .collect(),
        ),
        tiers: choices(Tier::ALL.iter().map(|t| (t.code(), t.label_es())).collect()),
        categories: catalogue_choices(
            state,
            "SELECT id, name || CASE WHEN active = 1 THEN '' ELSE ' (inactiva)' END AS label \
             FROM categories ORDER BY position, name",
        )
        .await?,
        // Labelled with their category: the same subcategory name may refine two categories.
        subcategories: catalogue_choices(
            state,
            "SELECT s.id, c.name || ' › ' || s.name || \
             CASE WHEN s.active = 1 AND c.active = 1 THEN '' ELSE ' (inactiva)' END AS label FROM subcategories s \
             JOIN categories c ON c.id = s.category_id ORDER BY c.position, s.position, s.name",
        )
        .await?,
        areas: catalogue_choices(state, "SELECT id, name AS label FROM areas ORDER BY name")
            .await?,
        agents: catalogue_choices(
            state,
            "SELECT id, full_name AS label FROM users WHERE role <> 'cliente' AND active = 1 \
             ORDER BY full_name, id",
        )
        .await?,
    })
}

/// The options of a filter read from the database: `query` selects `id` and `label`.
async fn catalogue_choices(state: &AppState, query: &str) -> Result<Vec<Choice>, AppError> {
    Ok(sqlx::query(query)
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|r| Choice::new(r.get::<String, _>("id"), r.get::<String, _>("label")))
        .collect())
}
