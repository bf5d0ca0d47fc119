//! What an agent does to a request from the workspace (seed 000 §5 b–e, seed 002 §5.2.6–
//! 5.2.17): take it, write to the customer, keep an internal note, ask for more
//! information, answer, close. Each action is one transaction: the domain transition with its
//! clock effects, the message, the audit event and the customer's notifications.

use chrono::Utc;
use serde_json::json;
use sqlx::Row;
use ventanilla::lifecycle::{available_actions, Action, RequestState};
use ventanilla::thread::{message_of, needs_message, MessageKind, Visibility};

use crate::error::{AppError, Field};
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::platform::db::new_id;
use crate::platform::files::AttachmentStore;
use crate::platform::outbox;
use crate::requests::server::reach::{self, Access};
use crate::requests::server::service::{
    check_uploads, insert_attachments, load_detail, notify_closed, store_uploads, Upload, Viewer,
};
use crate::requests::server::{escalation, lifecycle};
use crate::state::AppState;
use crate::{accounts::model::SessionUser, ui::choice::Choice, workspace::model::StaffRequestView};

/// Everything an agent can choose on the request page. `nota_interna` is not a transition:
/// it never changes the state and never reaches the customer.
const INTERNAL_NOTE: &str = "nota_interna";

/// The actions this page offers, in the order an agent meets them.
const OFFERED: [Action; 11] = [
    Action::Take,
    Action::Assign,
    Action::PublicReply,
    Action::AskCustomer,
    Action::Escalate,
    Action::AreaAnswers,
    Action::Approve,
    Action::ReturnFromReview,
    Action::Answer,
    Action::AgentCloses,
    Action::AcknowledgeFelicitacion,
];

pub async fn view(
    state: &AppState,
    user: &SessionUser,
    radicado: &str,
) -> Result<Option<StaffRequestView>, AppError> {
    if !user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    // Out of this person's reach is "not found", as for a customer (`reach`).
    let Some(reached) = reach::open(state, user, radicado).await? else {
        return Ok(None);
    };
    let Some(mut detail) = load_detail(state, radicado, Viewer::Staff).await? else {
        return Ok(None);
    };
    reach::record(state, user, &reached.id, Access::Opened).await?;
    let read_only =
        (!ventanilla::access::may_act(user.role, &user.id, reached.assignee_id.as_deref()))
            .then(|| reach::colleagues_request(reached.assignee.as_deref()));
    detail.history = full_history(state, radicado).await?;
    let row = sqlx::query(
        "SELECT r.id, r.account_id, a.name, a.document_type, a.document_number, r.tier, r.state, r.request_type, r.received_at, \
         r.ans_version, r.assignee_id, r.extension_declared_at, r.extension_reason, r.extension_days, r.extension_basis, \
         u.full_name AS assignee \
         FROM requests r JOIN accounts a ON a.id = r.account_id LEFT JOIN users u ON u.id = r.assignee_id \
         WHERE r.radicado = $1",
    )
    .bind(radicado)
    .fetch_one(&state.pool)
    .await?;
    let current =
        RequestState::from_code(&row.get::<String, _>("state")).ok_or(AppError::Internal)?;
    let request_type =
        ventanilla::legal::RequestType::from_code(&row.get::<String, _>("request_type"))
            .ok_or(AppError::Internal)?;
    // Read-only: the page offers nothing the server would refuse.
    let allowed = if read_only.is_some() {
        Vec::new()
    } else {
        available_actions(current, user.role, request_type)
    };
    let mut actions: Vec<Choice> = OFFERED
        .into_iter()
        .filter(|a| allowed.contains(a))
        .map(|a| Choice::new(a.code(), a.label_es()))
        .collect();
    if current.is_open() && read_only.is_none() {
        actions.push(Choice::new(INTERNAL_NOTE, "Nota interna"));
    }
    // The area the request's category escalates to (the catalogue's escalation matrix, seed
    // 002 §5.2.9) comes first, so the escalation form proposes it; any other can be chosen.
    let areas = sqlx::query(
        "SELECT a.id, a.name, CASE WHEN a.id = (SELECT c.area_id FROM requests r \
         JOIN categories c ON c.id = r.category_id WHERE r.radicado = $1) THEN 1 ELSE 0 END AS matrix \
         FROM areas a ORDER BY matrix DESC, a.name",
    )
    .bind(radicado)
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|a| Choice {
        code: a.get("id"),
        label: a.get("name"),
        hint: if a.get::<i64, _>("matrix") == 1 {
            "Área de la categoría".into()
        } else {
            String::new()
        },
    })
    .collect();
    let area: Option<String> = sqlx::query(
        "SELECT a.name FROM requests r JOIN areas a ON a.id = r.area_id WHERE r.radicado = $1",
    )
    .bind(radicado)
    .fetch_optional(&state.pool)
    .await?
    .map(|r| r.get("name"));
    let agents = sqlx::query(
        "SELECT id, full_name FROM users WHERE active = 1 AND role IN ('asesor', 'supervisor') ORDER BY full_name",
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|a| Choice::new(a.get::<String, _>("id"), a.get::<String, _>("full_name")))
    .collect();
    // The request's own ANS version decides which priorities its tier may use.
    let matrix = crate::ans::server::versions::by_number(
        &mut *state.pool.acquire().await?,
        &state.ans,
        row.get("ans_version"),
    )
    .await?
    .settings
    .matrix;
    let priorities = match ventanilla::tier::Tier::from_code(&row.get::<String, _>("tier")) {
        Some(tier)
            if current.is_open()
                && read_only.is_none()
                && matches!(
                    user.role,
                    ventanilla::role::Role::Asesor | ventanilla::role::Role::Supervisor
                ) =>
        {
            matrix
                .allowed_priorities(tier)
                .into_iter()
                .map(|p| Choice::new(p.code(), p.label_es()))
                .collect()
        }
        _ => Vec::new(),
    };
    let request_id: String = row.get("id");
    let received = chrono::DateTime::from_timestamp(row.get("received_at"), 0).unwrap_or_default();
    let term = crate::requests::server::extension::stored_term(&row, request_type, received);
    let extension_offer = crate::requests::server::extension::offer(
        user,
        row.get::<Option<String>, _>("assignee_id").as_deref(),
        current,
        term.as_ref(),
        state.config.extension,
    );
    let typify =
        if read_only.is_none() && crate::workspace::server::typification::may_typify(user.role) {
            Some(crate::workspace::server::typification::options(state, &request_id).await?)
        } else {
            None
        };
    let access_log = if ventanilla::role::Role::MANAGERS.contains(&user.role) {
        Some(reach::log_of(state, &reached.id).await?)
    } else {
        None
    };
    Ok(Some(StaffRequestView {
        read_only,
        access_log,
        typification: crate::workspace::server::typification::describe(state, &request_id).await?,
        typify,
        extension_offer,
        priorities,
        agents,
        areas,
        area,
        detail,
        customer_page: crate::customers::server::directory::READERS
            .contains(&user.role)
            .then(|| format!("/equipo/clientes/{}", row.get::<String, _>("account_id"))),
        customer: row.get("name"),
        document: format!(
            "{} {}",
            row.get::<String, _>("document_type"),
            row.get::<String, _>("document_number")
        ),
        tier: ventanilla::tier::Tier::from_code(&row.get::<String, _>("tier"))
            .map(|t| t.label_es().to_string())
            .unwrap_or_default(),
        assignee: row.get("assignee"),
        actions,
        last_customer_message: crate::requests::server::stale_reply::last_customer_message(
            &state.pool,
            radicado,
        )
        .await?,
        canned_answers: crate::workspace::server::canned_answers::offered_for(
            &state.pool,
            request_type.code(),
        )
        .await?
        .into_iter()
        .map(|c| Choice::new(c.id, c.name))
        .collect(),
    }))
}

/// What an agent asks for on a request page, as the form (or the page's server function)
/// sends it.
pub struct ActRequest<'a> {
    pub radicado: &'a str,
    /// An action's code, or `nota_interna` for a note with no transition.
    pub action: &'a str,
    /// The message to the customer, or the internal note; empty for actions that need none.
    pub message: &'a str,
    /// The area, when escalating.
    pub area_id: Option<&'a str>,
    /// The agent, when a supervisor assigns.
    pub assignee_id: Option<&'a str>,
    /// The files that go with the message.
    pub uploads: Vec<Upload>,
    /// The newest customer message the agent had seen (collision warning), if the page knew.
    pub seen_customer_message: Option<&'a str>,
    /// What the answer did (`solucionada`, `no_procede`, `sin_solucion`), for an answer;
    /// *solucionada* when not given.
    pub outcome: Option<&'a str>,
}

/// Performs the requested action on the request as `user`, with its message and files.
pub async fn act(
    state: &AppState,
    user: &SessionUser,
    request: ActRequest<'_>,
) -> Result<(), AppError> {
    let ActRequest {
        radicado,
        action: action_code,
        message,
        area_id,
        assignee_id,
        uploads,
        seen_customer_message,
        outcome,
    } = request;
    let answer_outcome = match outcome.map(str::trim).filter(|o| !o.is_empty()) {
        None => ventanilla::lifecycle::AnswerOutcome::Solucionada,
        Some(code) => ventanilla::lifecycle::AnswerOutcome::from_code(code).ok_or_else(|| {
            AppError::validation("Elija el resultado de la respuesta de la lista.")
        })?,
    };
    let (area_id, assignee_id) = (area_id.unwrap_or_default(), assignee_id.unwrap_or_default());
    if !user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let action = match action_code {
        INTERNAL_NOTE => None,
        code => Some(
            Action::from_code(code)
                .filter(|a| OFFERED.contains(a))
                .ok_or_else(|| AppError::validation("Elija una acción de la lista."))?,
        ),
    };
    let body = message.trim();
    let required = action.is_none_or(needs_message);
    if required && body.is_empty() {
        return Err(AppError::validation("Escriba el mensaje."));
    }
    ventanilla::text::free_text("Mensaje", body, 5000)
        .map_err(|message| AppError::invalid(Field::Message, message))?;
    // Files travel with a message (agent-workspace requirement: public replies and internal notes "both with
    // attachments"), checked like the customer's before anything is written.
    if !uploads.is_empty() && body.is_empty() {
        return Err(AppError::validation(
            "Los adjuntos van con un mensaje: escriba el mensaje que los acompaña.",
        ));
    }
    let kinds = check_uploads(state, &uploads)?;
    if reach::open(state, user, radicado).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let row = sqlx::query(
        "SELECT r.id, r.subject, r.account_id, u.email, u.phone FROM requests r \
         JOIN users u ON u.account_id = r.account_id WHERE r.radicado = $1 ORDER BY u.created_at LIMIT 1",
    )
    .bind(radicado)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let account_id: String = row.get("account_id");
    let store = AttachmentStore::new(&state.config.attachments_dir);
    let stored = store_uploads(&store, &uploads).await?;
    let outcome = act_in_transaction(
        state,
        user,
        Acting {
            radicado,
            action,
            body,
            area_id,
            assignee_id,
            seen_customer_message,
            answer_outcome,
            row: &row,
        },
        Files {
            uploads: &uploads,
            kinds: &kinds,
            stored: &stored,
        },
    )
    .await;
    match &outcome {
        Ok(()) => {
            state
                .live
                .publish(Scope::request(radicado, &account_id), LiveChange::Estado)
                .await
        }
        Err(_) => store.discard(&stored).await,
    }
    outcome
}

/// What the agent asked for, checked.
struct Acting<'a> {
    radicado: &'a str,
    action: Option<Action>,
    body: &'a str,
    area_id: &'a str,
    assignee_id: &'a str,
    /// The newest customer message the agent had seen (collision warning), if checked.
    seen_customer_message: Option<&'a str>,
    /// What an answer did, for the effective-close indicator.
    answer_outcome: ventanilla::lifecycle::AnswerOutcome,
    row: &'a sqlx::any::AnyRow,
}

/// The files of the message, already sniffed and stored.
struct Files<'a> {
    uploads: &'a [Upload],
    kinds: &'a [ventanilla::attachment::AttachmentKind],
    stored: &'a [crate::platform::files::Stored],
}

/// One action in one transaction: the preconditions, the transition with its own effects
/// (escalation, assignment), the message with its files and notifications, then what the
/// review steps and closing add.
async fn act_in_transaction(
    state: &AppState,
    user: &SessionUser,
    acting: Acting<'_>,
    files: Files<'_>,
) -> Result<(), AppError> {
    let Acting {
        radicado,
        action,
        body,
        area_id,
        assignee_id,
        seen_customer_message,
        answer_outcome,
        row,
    } = acting;
    let request_id: String = row.get("id");
    let actor = Actor::user(&user.id, &user.full_name);
    let now = Utc::now();
    let review_percent = match action {
        Some(Action::Answer) => {
            crate::ans::server::versions::current(&state.pool, &state.ans)
                .await?
                .settings
                .review_sample_percent
        }
        _ => 0,
    };

    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let current = lifecycle::load(&mut tx, &request_id).await?;
    if !current.state.is_open() {
        return Err(AppError::Conflict(
            "La solicitud está cerrada y no se puede reabrir.".into(),
        ));
    }
    require_holder(&mut tx, user, &request_id).await?;
    // Seed 002 §4, §5.2.14: at least the ANS's share of each agent's answers goes to quality
    // review as a draft the customer does not see until it is approved; the agent's counter
    // decides, in this transaction (`review_turn`).
    let action = match action {
        Some(Action::Answer)
            if crate::workspace::server::review_turn::takes_review_turn(
                &mut tx,
                &user.id,
                review_percent,
            )
            .await? =>
        {
            Some(Action::SubmitForReview)
        }
        other => other,
    };
    if action.is_some_and(crate::requests::server::stale_reply::goes_to_customer) {
        if let Some(seen) = seen_customer_message {
            crate::requests::server::stale_reply::refuse_if_customer_wrote_since(
                &mut tx,
                &request_id,
                seen,
            )
            .await?;
        }
    }
    if action == Some(Action::AreaAnswers) && user.role == ventanilla::role::Role::Especialista {
        require_area_member(&mut tx, &request_id, &user.id).await?;
    }
    match action {
        Some(Action::Escalate) => {
            let area = escalation::area(&mut tx, area_id).await?;
            escalation::escalate(&mut tx, state, &current, &area, user.role, &actor, now).await?;
        }
        Some(action) => {
            lifecycle::apply(&mut tx, state, &current, action, user.role, &actor, now).await?;
        }
        None => {}
    }
    // The answer's outcome, kept for the effective-close indicator (a sampled answer keeps
    // it through the review).
    if matches!(action, Some(Action::Answer | Action::SubmitForReview)) {
        sqlx::query("UPDATE requests SET answer_outcome = $1 WHERE id = $2")
            .bind(answer_outcome.code())
            .bind(&request_id)
            .execute(&mut *tx)
            .await?;
    }
    match action {
        Some(Action::Assign) => assign(&mut tx, &actor, &request_id, assignee_id).await?,
        Some(action) if action == Action::Take || current.state == RequestState::Radicada => {
            // Whoever first acts on a new request takes it, unless someone already has.
            sqlx::query(
                "UPDATE requests SET assignee_id = $1 WHERE id = $2 AND assignee_id IS NULL",
            )
            .bind(&user.id)
            .bind(&request_id)
            .execute(&mut *tx)
            .await?;
        }
        _ => {}
    }
    if !body.is_empty() {
        let message = Message {
            request_id: &request_id,
            row,
            radicado,
            body,
            at: now.timestamp(),
        };
        write_message(&mut tx, user, &actor, action, message, &files).await?;
    }
    if action == Some(Action::Approve) {
        publish_approved_draft(&mut tx, &request_id, row, radicado, now.timestamp()).await?;
    }
    if action == Some(Action::ReturnFromReview) {
        // The returned draft is history now; the next one is written from scratch.
        sqlx::query("UPDATE request_messages SET kind = 'borrador_devuelto' WHERE request_id = $1 AND kind = 'borrador'")
            .bind(&request_id)
            .execute(&mut *tx)
            .await?;
    }
    if matches!(
        action,
        Some(Action::AgentCloses | Action::AcknowledgeFelicitacion)
    ) {
        notify_closed(&mut tx, &state.config.surveys, &request_id, "asesor").await?;
    }
    Ok(tx.commit().await?)
}

/// An asesor acts only on their own requests and the unassigned (`ventanilla::access`), read
/// under the request's lock so that a reassignment a moment ago counts.
async fn require_holder(
    tx: &mut crate::platform::db::Tx,
    user: &SessionUser,
    request_id: &str,
) -> Result<(), AppError> {
    let holder = sqlx::query(
        "SELECT r.assignee_id, u.full_name FROM requests r LEFT JOIN users u ON u.id = r.assignee_id \
         WHERE r.id = $1",
    )
    .bind(request_id)
    .fetch_one(&mut **tx)
    .await?;
    let assignee: Option<String> = holder.get("assignee_id");
    if ventanilla::access::may_act(user.role, &user.id, assignee.as_deref()) {
        Ok(())
    } else {
        Err(AppError::Conflict(reach::colleagues_request(
            holder.get::<Option<String>, _>("full_name").as_deref(),
        )))
    }
}

/// Seed 002 §5.2.10: the area's answer comes from a specialist of the area the request was
/// escalated to.
async fn require_area_member(
    tx: &mut crate::platform::db::Tx,
    request_id: &str,
    user_id: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "SELECT 1 FROM requests r JOIN area_members m ON m.area_id = r.area_id WHERE r.id = $1 AND m.user_id = $2",
    )
    .bind(request_id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|_| ())
    .ok_or(AppError::Forbidden)
}

/// A supervisor assigns or reassigns to an active agent (seed 000 §5 c).
async fn assign(
    tx: &mut crate::platform::db::Tx,
    actor: &Actor<'_>,
    request_id: &str,
    assignee_id: &str,
) -> Result<(), AppError> {
    let agent = sqlx::query(
        "SELECT full_name FROM users WHERE id = $1 AND active = 1 AND role IN ('asesor', 'supervisor')",
    )
    .bind(assignee_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| AppError::validation("Elija un asesor activo de la lista."))?;
    sqlx::query("UPDATE requests SET assignee_id = $1 WHERE id = $2")
        .bind(assignee_id)
        .bind(request_id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        actor,
        "asignada",
        "request",
        request_id,
        json!({ "assignee": agent.get::<String, _>("full_name") }),
    )
    .await
}

/// The message an action writes, on its request.
struct Message<'a> {
    request_id: &'a str,
    row: &'a sqlx::any::AnyRow,
    radicado: &'a str,
    body: &'a str,
    at: i64,
}

/// The action's message with its files and audit event; a public one is also sent to the
/// customer (seed 000 §6). Which kind and who reads it is `ventanilla::thread`.
async fn write_message(
    tx: &mut crate::platform::db::Tx,
    user: &SessionUser,
    actor: &Actor<'_>,
    action: Option<Action>,
    message: Message<'_>,
    files: &Files<'_>,
) -> Result<(), AppError> {
    let (visibility, kind) = message_of(action);
    let message_id = new_id();
    sqlx::query(
        "INSERT INTO request_messages (id, request_id, author_user_id, author_label, from_customer, visibility, kind, body, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8)",
    )
    .bind(&message_id)
    .bind(message.request_id)
    .bind(&user.id)
    .bind(&user.full_name)
    .bind(visibility.code())
    .bind(kind.code())
    .bind(message.body)
    .bind(message.at)
    .execute(&mut **tx)
    .await?;
    insert_attachments(
        tx,
        message.request_id,
        &message_id,
        &user.id,
        files.uploads,
        files.kinds,
        files.stored,
        message.at,
    )
    .await?;
    audit::record(
        tx,
        actor,
        if visibility == Visibility::Interna {
            "nota_interna"
        } else {
            "seguimiento_publico"
        },
        "request",
        message.request_id,
        json!({ "kind": kind.code(), "attachments": files.uploads.len() }),
    )
    .await?;
    if visibility == Visibility::Publica {
        let template = if kind == MessageKind::SolicitudInformacion {
            "informacion_solicitada"
        } else {
            "seguimiento_publico"
        };
        notify_public(
            tx,
            message.row,
            message.radicado,
            &user.full_name,
            message.body,
            template,
        )
        .await?;
    }
    Ok(())
}

/// Seed 000 §6: an e-mail on every public follow-up, WhatsApp best effort.
async fn notify_public(
    tx: &mut crate::platform::db::Tx,
    request: &sqlx::any::AnyRow,
    radicado: &str,
    author: &str,
    body: &str,
    template: &str,
) -> Result<(), AppError> {
    let payload = json!({
        "radicado": radicado,
        "subject": request.get::<String, _>("subject"),
        "author": author,
        "excerpt": body.chars().take(280).collect::<String>(),
    });
    outbox::enqueue(
        tx,
        "email",
        &request.get::<String, _>("email"),
        template,
        payload.clone(),
    )
    .await?;
    let phone: String = request.get("phone");
    if !phone.is_empty() {
        outbox::enqueue(tx, "whatsapp", &phone, template, payload).await?;
    }
    Ok(())
}

/// Quality approved: the latest draft goes to the customer as the answer, signed by the agent
/// who wrote it.
async fn publish_approved_draft(
    tx: &mut crate::platform::db::Tx,
    request_id: &str,
    request: &sqlx::any::AnyRow,
    radicado: &str,
    at: i64,
) -> Result<(), AppError> {
    let draft = sqlx::query(
        "SELECT id, author_user_id, author_label, body FROM request_messages \
         WHERE request_id = $1 AND kind = 'borrador' ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(request_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| AppError::Conflict("No hay un borrador de respuesta para aprobar.".into()))?;
    sqlx::query("UPDATE request_messages SET kind = 'borrador_aprobado' WHERE request_id = $1 AND kind = 'borrador'")
        .bind(request_id)
        .execute(&mut **tx)
        .await?;
    let author: String = draft.get("author_label");
    let body: String = draft.get("body");
    let answer_id = new_id();
    sqlx::query(
        "INSERT INTO request_messages (id, request_id, author_user_id, author_label, from_customer, visibility, kind, body, created_at) \
         VALUES ($1, $2, $3, $4, 0, 'publica', 'respuesta', $5, $6)",
    )
    .bind(&answer_id)
    .bind(request_id)
    .bind(draft.get::<Option<String>, _>("author_user_id"))
    .bind(&author)
    .bind(&body)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    // The draft's files go out with the answer they belong to.
    sqlx::query("UPDATE attachments SET message_id = $1 WHERE message_id = $2")
        .bind(&answer_id)
        .bind(draft.get::<String, _>("id"))
        .execute(&mut **tx)
        .await?;
    notify_public(tx, request, radicado, &author, &body, "seguimiento_publico").await
}

/// Everything that happened to the request, people and system alike (agent-workspace requirement: "who did what
/// and when, including changes by the system"): the audit events of the request and of the
/// notifications sent about it.
async fn full_history(
    state: &AppState,
    radicado: &str,
) -> Result<Vec<crate::requests::model::HistoryEntry>, AppError> {
    let marker = format!("%\"radicado\":\"{radicado}\"%");
    let rows = sqlx::query(
        "SELECT e.occurred_at, e.actor_label, e.action, e.detail, e.id FROM audit_events e \
         WHERE (e.entity = 'request' AND e.entity_id = (SELECT id FROM requests WHERE radicado = $1)) \
            OR (e.entity = 'notification' AND e.detail LIKE $2) \
         ORDER BY e.occurred_at, e.id",
    )
    .bind(radicado)
    .bind(marker)
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let detail: serde_json::Value =
                serde_json::from_str(&row.get::<String, _>("detail")).unwrap_or_default();
            let field = |key: &str| detail[key].as_str().unwrap_or_default().to_string();
            let state_label = |key: &str| {
                RequestState::from_code(&field(key))
                    .map(|s| s.label_es().to_string())
                    .unwrap_or_default()
            };
            let text = match row.get::<String, _>("action").as_str() {
                "solicitud_radicada" => "Solicitud radicada".to_string(),
                "estado_cambiado" => format!("{} → {}", state_label("from"), state_label("to")),
                "seguimiento_publico" => "Mensaje público en la conversación".to_string(),
                "nota_interna" => "Nota interna".to_string(),
                "asignada" => format!("Asignada a {}", field("assignee")),
                "prioridad_cambiada" => format!(
                    "Prioridad {} → {}: {}",
                    ventanilla::sla::Priority::from_code(&field("from"))
                        .map(|p| p.label_es())
                        .unwrap_or_default(),
                    ventanilla::sla::Priority::from_code(&field("to"))
                        .map(|p| p.label_es())
                        .unwrap_or_default(),
                    field("reason")
                ),
                "tipificada" => format!(
                    "Tipificada: {} › {} · Causa: {}",
                    field("category"),
                    field("subcategory"),
                    field("cause")
                ),
                "prorroga_declarada" => format!(
                    "Prórroga del término legal: {} → {}: {}",
                    field("from"),
                    field("to"),
                    field("reason")
                ),
                "notificacion_enviada" => format!(
                    "Notificación enviada por {} ({})",
                    field("channel"),
                    field("template")
                ),
                "notificacion_fallida" => format!(
                    "Notificación fallida por {} ({})",
                    field("channel"),
                    field("template")
                ),
                other => other.replace('_', " "),
            };
            crate::requests::model::HistoryEntry {
                at: crate::timers::local_time(row.get("occurred_at")),
                actor: row.get("actor_label"),
                text,
            }
        })
        .collect())
}

/// An agent or supervisor changes the priority, with the reason (agent-workspace requirement). The priorities
/// offered are the ones the customer's tier allows (seed 000 §4), and the first-response
/// clock follows the new priority from the moment of receipt.
pub async fn change_priority(
    state: &AppState,
    user: &SessionUser,
    radicado: &str,
    priority_code: &str,
    reason: &str,
) -> Result<(), AppError> {
    use ventanilla::role::Role;
    use ventanilla::sla::Priority;
    use ventanilla::tier::Tier;
    if !matches!(user.role, Role::Asesor | Role::Supervisor) {
        return Err(AppError::Forbidden);
    }
    let reason = reason.trim();
    if reason.chars().count() < 5 || reason.chars().count() > 500 {
        return Err(AppError::validation(
            "Escriba el motivo del cambio de prioridad (entre 5 y 500 caracteres).",
        ));
    }
    let priority = Priority::from_code(priority_code)
        .ok_or_else(|| AppError::invalid(Field::Priority, "Elija una prioridad de la lista."))?;
    let reached = reach::require_actor(state, user, radicado).await?;
    let request_id = reached.id.clone();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let current = lifecycle::load(&mut tx, &request_id).await?;
    if !current.state.is_open() {
        return Err(AppError::Conflict(
            "La solicitud está cerrada y no se puede reabrir.".into(),
        ));
    }
    let row = sqlx::query(
        "SELECT tier, priority, received_at, ans_guaranteed, ans_version FROM requests WHERE id = $1",
    )
    .bind(&request_id)
    .fetch_one(&mut *tx)
    .await?;
    let tier = Tier::from_code(&row.get::<String, _>("tier")).ok_or(AppError::Internal)?;
    let before =
        Priority::from_code(&row.get::<String, _>("priority")).ok_or(AppError::Internal)?;
    if before == priority {
        return Err(AppError::validation("La solicitud ya tiene esa prioridad."));
    }
    // The request keeps its ANS version: the new priority's hours come from it.
    let version =
        crate::ans::server::versions::by_number(&mut tx, &state.ans, row.get("ans_version"))
            .await?;
    let matrix = &version.settings.matrix;
    if !matrix.allowed_priorities(tier).contains(&priority) {
        return Err(AppError::invalid(
            Field::Priority,
            format!(
                "La prioridad {} no está disponible para clientes {}.",
                priority.label_es(),
                tier.label_es()
            ),
        ));
    }
    let received = chrono::DateTime::from_timestamp(row.get("received_at"), 0).unwrap_or_default();
    let hours = matrix.first_response_hours(tier, priority);
    let due = hours
        .filter(|_| row.get::<i64, _>("ans_guaranteed") == 1)
        .map(|hours| {
            crate::timers::calendar_of(&version.settings.business_hours)
                .add_business_minutes(received, i64::from(hours) * 60, &[])
                .timestamp()
        });
    let now = Utc::now().timestamp();
    sqlx::query(
        "UPDATE requests SET priority = $1, first_response_due = $2, updated_at = $3, first_response_hours = $5 WHERE id = $4",
    )
    .bind(priority.code())
    .bind(due)
    .bind(now)
    .bind(&request_id)
    .bind(hours.map(i64::from))
    .execute(&mut *tx)
    .await?;
    // The first-response clock now runs to another due (seed 000 §4 matrix).
    crate::requests::server::clocks::refresh(&mut tx, &request_id).await?;
    sqlx::query(
        "INSERT INTO request_messages (id, request_id, author_user_id, author_label, from_customer, visibility, kind, body, created_at) \
         VALUES ($1, $2, $3, $4, 0, 'interna', 'cambio_prioridad', $5, $6)",
    )
    .bind(new_id())
    .bind(&request_id)
    .bind(&user.id)
    .bind(&user.full_name)
    .bind(format!("Prioridad {} → {}: {reason}", before.label_es(), priority.label_es()))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "prioridad_cambiada",
        "request",
        &request_id,
        json!({ "from": before.code(), "to": priority.code(), "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    state
        .live
        .publish(
            Scope::request(radicado, &reached.account_id),
            LiveChange::Prioridad,
        )
        .await;
    Ok(())
}
