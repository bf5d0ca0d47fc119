//! The agent queues (issue 5, seed 000 §8): Sin asignar, Mis solicitudes, Mi área,
//! Pendientes del cliente, En revisión, Por vencer, Vencidas and, for supervisors, Todas —
//! with counts, filters and search, ordered by priority and then by order of receipt (never
//! by last update: seed 000 §8 "se atenderán en orden de llegada").
//!
//! "Por vencer" and "Vencidas" depend on business time, which SQL cannot count; so the open
//! requests are read once and classified with the domain clocks here. Open requests are the
//! working set of a help desk (thousands, not millions), and one pass serves every count.

use chrono::Utc;
use sqlx::Row;
use ventanilla::calendar::Pause;
use ventanilla::legal::RequestType;
use ventanilla::lifecycle::RequestState;
use ventanilla::role::Role;
use ventanilla::sla::{ClockStatus, Priority, SlaMatrix};
use ventanilla::tier::Tier;

use super::db::internal;
use super::requests::local_time;
use super::state::AppState;
use crate::error::AppError;
use crate::model::{Choice, QueueCount, QueueRow, QueueView, SessionUser, TimerData};
use crate::timers::{calendar, read};

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

struct Open {
    row: QueueRow,
    assignee_id: Option<String>,
    area_id: Option<String>,
    category_id: Option<String>,
    subcategory_id: Option<String>,
    priority_rank: u8,
    received: i64,
    searchable: String,
    type_code: String,
    priority_code: String,
    tier_code: String,
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
    names
}

/// Where each role starts its day.
fn default_queue(role: Role) -> &'static str {
    match role {
        Role::Especialista => "mi_area",
        Role::Calidad => "revision",
        Role::Supervisor | Role::Admin => "todas",
        _ => "sin_asignar",
    }
}

fn belongs(queue: &str, open: &Open, me: &str, my_areas: &[String], now: i64) -> bool {
    let statuses = || {
        [&open.row.first_response, &open.row.legal_term]
            .into_iter()
            .flatten()
            .map(|timer| read(timer, now).status)
            .collect::<Vec<_>>()
    };
    match queue {
        "sin_asignar" => open.assignee_id.is_none(),
        "mias" => open.assignee_id.as_deref() == Some(me),
        "mi_area" => {
            open.row.state_code == RequestState::Escalada.code()
                && open.area_id.as_ref().is_some_and(|a| my_areas.contains(a))
        }
        "pendientes" => open.row.state_code == RequestState::PendienteCliente.code(),
        "revision" => open.row.state_code == RequestState::EnRevision.code(),
        "por_vencer" => {
            let s = statuses();
            s.contains(&ClockStatus::AtRisk) && !s.contains(&ClockStatus::Breached)
        }
        "vencidas" => statuses().contains(&ClockStatus::Breached),
        "todas" => true,
        _ => false,
    }
}

fn matches(filters: &Filters, open: &Open) -> bool {
    let pick = |wanted: &str, actual: &str| wanted.is_empty() || wanted == actual;
    // A request without a category, area or assignee matches only "any".
    let pick_id = |wanted: &str, actual: &Option<String>| {
        wanted.is_empty() || actual.as_deref() == Some(wanted)
    };
    let search = filters.search.trim().to_lowercase();
    pick(&filters.request_type, &open.type_code)
        && pick(&filters.priority, &open.priority_code)
        && pick(&filters.tier, &open.tier_code)
        && pick_id(filters.category.trim(), &open.category_id)
        && pick_id(filters.subcategory.trim(), &open.subcategory_id)
        && pick_id(filters.area.trim(), &open.area_id)
        && pick_id(filters.agent.trim(), &open.assignee_id)
        && (search.is_empty() || open.searchable.contains(&search))
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
    let my_areas: Vec<String> = sqlx::query("SELECT area_id FROM area_members WHERE user_id = $1")
        .bind(&user.id)
        .fetch_all(&state.pool)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| r.get("area_id"))
        .collect();
    let open = open_requests(state).await?;
    let now = Utc::now().timestamp();
    let queues = names
        .iter()
        .map(|(code, label)| QueueCount {
            code: code.to_string(),
            label: label.to_string(),
            count: open
                .iter()
                .filter(|o| belongs(code, o, &user.id, &my_areas, now))
                .count(),
        })
        .collect();
    let mut selected: Vec<&Open> = open
        .iter()
        .filter(|o| belongs(&current, o, &user.id, &my_areas, now) && matches(filters, o))
        .collect();
    selected.sort_by_key(|o| (o.priority_rank, o.received, o.row.radicado.clone()));
    let more = selected.len().saturating_sub(SHOWN);
    let choices = |items: Vec<(&str, &str)>| {
        items
            .into_iter()
            .map(|(code, label)| Choice::new(code, label))
            .collect()
    };
    Ok(QueueView {
        queues,
        current,
        rows: selected
            .into_iter()
            .take(SHOWN)
            .map(|o| o.row.clone())
            .collect(),
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
        calendar: state.config.calendar.clone(),
    })
}

/// The options of a filter read from the database: `query` selects `id` and `label`.
async fn catalogue_choices(state: &AppState, query: &str) -> Result<Vec<Choice>, AppError> {
    Ok(sqlx::query(query)
        .fetch_all(&state.pool)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| Choice::new(r.get::<String, _>("id"), r.get::<String, _>("label")))
        .collect())
}

async fn open_requests(state: &AppState) -> Result<Vec<Open>, AppError> {
    let rows = sqlx::query(
        "SELECT r.id, r.radicado, r.request_type, r.subject, r.description, r.priority, r.state, r.tier, \
         r.ans_guaranteed, r.received_at, r.first_response_at, r.answered_at, r.assignee_id, r.area_id, r.category_id, r.subcategory_id, \
         r.extension_declared_at, r.extension_reason, r.extension_days, r.extension_basis, \
         a.name AS customer, a.document_number, u.full_name AS assignee \
         FROM requests r JOIN accounts a ON a.id = r.account_id LEFT JOIN users u ON u.id = r.assignee_id \
         WHERE r.state <> $1",
    )
    .bind(RequestState::Cerrada.code())
    .fetch_all(&state.pool)
    .await
    .map_err(internal)?;
    let pauses = sqlx::query(
        "SELECT p.request_id, p.started_at, p.ended_at FROM request_pauses p \
         JOIN requests r ON r.id = p.request_id WHERE r.state <> $1",
    )
    .bind(RequestState::Cerrada.code())
    .fetch_all(&state.pool)
    .await
    .map_err(internal)?;
    // Grouped once: scanning every pause for every request was quadratic in the open set.
    let mut pauses_of: std::collections::HashMap<String, Vec<(i64, Option<i64>)>> =
        std::collections::HashMap::new();
    for pause in pauses {
        pauses_of
            .entry(pause.get("request_id"))
            .or_default()
            .push((pause.get("started_at"), pause.get("ended_at")));
    }
    let calendar = calendar();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let id: String = row.get("id");
            let state_code: String = row.get("state");
            let current = RequestState::from_code(&state_code)?;
            let request_type = RequestType::from_code(&row.get::<String, _>("request_type"))?;
            let priority = Priority::from_code(&row.get::<String, _>("priority"))?;
            let tier = Tier::from_code(&row.get::<String, _>("tier"))?;
            let received: i64 = row.get("received_at");
            let received_at = chrono::DateTime::from_timestamp(received, 0)?;
            let my_pauses = pauses_of.remove(&id).unwrap_or_default();
            let as_pauses: Vec<Pause> = my_pauses
                .iter()
                .map(|(s, e)| Pause {
                    start: chrono::DateTime::from_timestamp(*s, 0).unwrap_or_default(),
                    end: e
                        .and_then(|e| chrono::DateTime::from_timestamp(e, 0))
                        .unwrap_or(chrono::DateTime::<Utc>::MAX_UTC),
                })
                .collect();
            let paused = current.clocks_paused();
            let guaranteed = row.get::<i64, _>("ans_guaranteed") == 1;
            let first_response = SlaMatrix::default()
                .first_response_hours(tier, priority)
                .filter(|_| guaranteed)
                .map(|hours| TimerData {
                    label: "Primera respuesta".into(),
                    start: calendar.deemed_receipt(received_at).timestamp(),
                    due: calendar
                        .add_business_minutes(received_at, i64::from(hours) * 60, &as_pauses)
                        .timestamp(),
                    pauses: my_pauses.clone(),
                    paused,
                    met_at: row.get("first_response_at"),
                });
            // The due in force: a declared prórroga moves it (Ley 1755 art. 14 parágrafo).
            let legal_term =
                super::prorroga::stored_term(&row, request_type, received_at).map(|term| {
                    let clock = term.clock(calendar, &as_pauses, paused, None);
                    TimerData {
                        label: "Término legal".into(),
                        start: clock.start.timestamp(),
                        due: clock.due.timestamp(),
                        pauses: my_pauses.clone(),
                        paused,
                        met_at: row.get("answered_at"),
                    }
                });
            let customer: String = row.get("customer");
            let subject: String = row.get("subject");
            let radicado: String = row.get("radicado");
            let searchable = format!(
                "{} {} {} {} {}",
                radicado,
                row.get::<String, _>("document_number"),
                customer,
                subject,
                row.get::<String, _>("description")
            )
            .to_lowercase();
            Some(Open {
                priority_rank: match priority {
                    Priority::Alta => 0,
                    Priority::Media => 1,
                    Priority::Baja => 2,
                },
                received,
                searchable,
                type_code: request_type.code().into(),
                priority_code: priority.code().into(),
                tier_code: tier.code().into(),
                assignee_id: row.get("assignee_id"),
                area_id: row.get("area_id"),
                category_id: row.get("category_id"),
                subcategory_id: row.get("subcategory_id"),
                row: QueueRow {
                    radicado,
                    customer,
                    tier: tier.label_es().into(),
                    request_type: request_type.label_es().into(),
                    subject,
                    priority: priority.label_es().into(),
                    state: current.label_es().into(),
                    state_code,
                    assignee: row.get("assignee"),
                    received_at: local_time(received),
                    ans_guaranteed: guaranteed,
                    first_response,
                    legal_term,
                },
            })
        })
        .collect())
}
