//! The request service every door goes through — the customer's portal, the agent desk,
//! on-behalf filing, the REST API and auto-close (seed 000 §5, seed 002 §5.2.1–5.2.5): the
//! account a request belongs to, filing with attachments (its form checks are
//! [`form`](super::form)), reading the thread, replying, closing. Every write is one transaction with its
//! audit event and its notification rows; files are written before the transaction and removed
//! again if it does not commit.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;
use ventanilla::attachment::{check_sizes, clean_file_name, sniff, AttachmentKind};
use ventanilla::calendar::Pause;
use ventanilla::channel::Channel;
use ventanilla::legal::RequestType;
use ventanilla::lifecycle::{Action, RequestState};
use ventanilla::role::Role;
use ventanilla::tier::Tier;

use crate::error::{AppError, Field};
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::platform::db::{internal, new_id, on_constraint, Batch, WriteFailure};
use crate::platform::files::{AttachmentStore, Stored};
use crate::platform::outbox;
use crate::requests::server::filing::{
    radicado_of, KnownAccount, Listed, NewRequest, Prepared, NEXT_RADICADO,
};
use crate::requests::server::form::Filing;
use crate::requests::server::form::{text, validate_filing, CheckedFiling};
use crate::requests::server::lifecycle;
use crate::requests::server::view::{self, compose, thread, StoredRequest, Written};
use crate::state::AppState;
use crate::timers::{instant, local_time};
use crate::{
    accounts::model::SessionUser,
    requests::model::{AttachmentView, FilingOptions, HistoryEntry, RequestDetail},
    ui::choice::Choice,
};

/// One uploaded file, as received.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The customer account a request is filed, followed or closed for, with its first user (the
/// account's holder, who receives the notifications).
pub struct CustomerAccount {
    pub account_id: String,
    /// The document's type code and number, as the account stores them.
    pub document_type: String,
    pub document_number: String,
    pub tier: Tier,
    pub guaranteed: bool,
    pub email: String,
    pub phone: String,
    pub holder_id: String,
    pub holder_name: String,
    /// The ANS version in force when the account was read: the one a filing now keeps.
    pub ans: std::sync::Arc<ventanilla::ans::AnsVersion>,
}

/// Who acts on a customer's request and through which channel: the customer in the portal, an
/// agent registering a phone call, or another system with an API key (REST API requirement: one code path
/// per business action). `user_id` is recorded as the author of the messages and files; the
/// actor goes to the audit history.
pub struct OnBehalf<'a> {
    pub user_id: &'a str,
    pub author_label: &'a str,
    pub actor: Actor<'a>,
    pub channel: Channel,
}

impl<'a> OnBehalf<'a> {
    /// The customer acting for themselves in the portal.
    pub fn customer(user: &'a SessionUser) -> Self {
        OnBehalf {
            user_id: &user.id,
            author_label: &user.full_name,
            actor: Actor::user(&user.id, &user.full_name),
            channel: Channel::Portal,
        }
    }
}

async fn customer_account(
    state: &AppState,
    user: &SessionUser,
) -> Result<CustomerAccount, AppError> {
    if user.role != Role::Cliente {
        return Err(AppError::Forbidden);
    }
    let account_id: String = sqlx::query("SELECT account_id FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_optional(&state.pool)
        .await?
        .and_then(|row| row.get::<Option<String>, _>("account_id"))
        .ok_or(AppError::Forbidden)?;
    account_by_id(state, &account_id)
        .await?
        .ok_or(AppError::Forbidden)
}

/// The account with this id and its holder; `None` when there is no such account.
pub async fn account_by_id(
    state: &AppState,
    account_id: &str,
) -> Result<Option<CustomerAccount>, AppError> {
    let row = sqlx::query(
        "SELECT a.id, a.document_type, a.document_number, a.monthly_contract_cop, a.service_status, \
         a.payments_up_to_date, u.email, u.phone, \
         u.id AS holder_id, u.full_name FROM accounts a JOIN users u ON u.account_id = a.id \
         WHERE a.id = $1 ORDER BY u.created_at, u.id LIMIT 1",
    )
    .bind(account_id)
    .fetch_optional(&state.pool)
    .await?;
    let ans = crate::ans::server::versions::current(&state.pool, &state.ans).await?;
    Ok(row.map(|row| account_from_row(ans, &row)))
}

/// The account with this document (type code, normalized key as `accounts::document_key`
/// gives it) and its holder, in one query: filing on a customer's behalf looks the account
/// up on every call.
pub async fn account_by_document(
    state: &AppState,
    document_type: &str,
    document_key: &str,
) -> Result<Option<CustomerAccount>, AppError> {
    let row = sqlx::query(
        "SELECT a.id, a.document_type, a.document_number, a.monthly_contract_cop, a.service_status, \
         a.payments_up_to_date, u.email, u.phone, \
         u.id AS holder_id, u.full_name FROM accounts a JOIN users u ON u.account_id = a.id \
         WHERE a.document_type = $1 AND a.document_key = $2 ORDER BY u.created_at, u.id LIMIT 1",
    )
    .bind(document_type)
    .bind(document_key)
    .fetch_optional(&state.pool)
    .await?;
    let ans = crate::ans::server::versions::current(&state.pool, &state.ans).await?;
    Ok(row.map(|row| account_from_row(ans, &row)))
}

fn account_from_row(
    ans: std::sync::Arc<ventanilla::ans::AnsVersion>,
    row: &sqlx::any::AnyRow,
) -> CustomerAccount {
    let year = chrono::Datelike::year(&Utc::now().with_timezone(&ventanilla::calendar::bogota()));
    let standing = crate::accounts::server::standing::of_row(&ans.settings.tiers, row, year);
    CustomerAccount {
        account_id: row.get("id"),
        document_type: row.get("document_type"),
        document_number: row.get("document_number"),
        tier: standing.tier,
        guaranteed: standing.ans_guaranteed,
        email: row.get("email"),
        phone: row.get("phone"),
        holder_id: row.get("holder_id"),
        holder_name: row.get("full_name"),
        ans,
    }
}

/// What the filing form offers this customer.
pub async fn filing_options(
    state: &AppState,
    user: &SessionUser,
    related: Option<String>,
) -> Result<FilingOptions, AppError> {
    let account = customer_account(state, user).await?;
    let categories = sqlx::query(
        "SELECT id, name, description FROM categories WHERE active = 1 ORDER BY position, name",
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|row| Choice {
        code: row.get("id"),
        label: row.get("name"),
        hint: row.get("description"),
    })
    .collect();
    let related = match related.filter(|r| !r.is_empty()) {
        Some(radicado) => owned_request(state, &account.account_id, &radicado)
            .await?
            .filter(|(_, state)| *state == RequestState::Cerrada)
            .map(|_| radicado),
        None => None,
    };
    let policy = &state.config.attachments;
    Ok(FilingOptions {
        types: RequestType::ALL
            .iter()
            .map(|t| Choice {
                code: t.code().into(),
                label: t.label_es().into(),
                hint: t.description_es().into(),
            })
            .collect(),
        categories,
        priorities: account
            .ans
            .settings
            .matrix
            .allowed_priorities(account.tier)
            .into_iter()
            .map(|p| Choice::new(p.code(), p.label_es()))
            .collect(),
        tier: account.tier.label_es().into(),
        ans_guaranteed: account.guaranteed,
        accept: AttachmentKind::accept_attribute(),
        max_file_mb: policy.max_file_bytes / (1024 * 1024),
        max_message_mb: policy.max_message_bytes / (1024 * 1024),
        submission_token: new_id(),
        related,
    })
}

/// The request with this radicado if it belongs to the account: (id, state).
async fn owned_request(
    state: &AppState,
    account_id: &str,
    radicado: &str,
) -> Result<Option<(String, RequestState)>, AppError> {
    let row = sqlx::query("SELECT id, state FROM requests WHERE radicado = $1 AND account_id = $2")
        .bind(radicado)
        .bind(account_id)
        .fetch_optional(&state.pool)
        .await?;
    Ok(row.and_then(|row| {
        Some((
            row.get::<String, _>("id"),
            RequestState::from_code(&row.get::<String, _>("state"))?,
        ))
    }))
}

/// Sniffs and size-checks every file before anything is written.
pub fn check_uploads(
    state: &AppState,
    uploads: &[Upload],
) -> Result<Vec<AttachmentKind>, AppError> {
    let sizes: Vec<(&str, u64)> = uploads
        .iter()
        .map(|u| (u.name.as_str(), u.bytes.len() as u64))
        .collect();
    check_sizes(&state.config.attachments, &sizes)
        .map_err(|e| AppError::validation(e.to_string()))?;
    uploads
        .iter()
        .map(|u| sniff(&u.name, &u.bytes).map_err(|e| AppError::validation(e.to_string())))
        .collect()
}

pub async fn store_uploads(
    store: &AttachmentStore,
    uploads: &[Upload],
) -> Result<Vec<Stored>, AppError> {
    let mut stored = Vec::with_capacity(uploads.len());
    for upload in uploads {
        match store.put(&upload.bytes).await {
            Ok(file) => stored.push(file),
            Err(err) => {
                store.discard(&stored).await;
                return Err(err);
            }
        }
    }
    Ok(stored)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_attachments(
    tx: &mut crate::platform::db::Tx,
    request_id: &str,
    message_id: &str,
    user_id: &str,
    uploads: &[Upload],
    kinds: &[AttachmentKind],
    stored: &[Stored],
    at: i64,
) -> Result<(), AppError> {
    let mut writes = Batch::new();
    add_attachments(
        &mut writes,
        request_id,
        message_id,
        user_id,
        uploads,
        kinds,
        stored,
        at,
    );
    writes.run(tx).await?;
    Ok(())
}

/// [`insert_attachments`] as part of a [`Batch`] of writes sent together; the files as the
/// thread will list them, in the order of `uploads`.
#[allow(clippy::too_many_arguments)]
pub fn add_attachments(
    writes: &mut Batch,
    request_id: &str,
    message_id: &str,
    user_id: &str,
    uploads: &[Upload],
    kinds: &[AttachmentKind],
    stored: &[Stored],
    at: i64,
) -> Vec<AttachmentView> {
    let mut listed = Vec::with_capacity(uploads.len());
    for ((upload, kind), file) in uploads.iter().zip(kinds).zip(stored) {
        let (id, file_name, size) = (
            new_id(),
            clean_file_name(&upload.name),
            upload.bytes.len() as i64,
        );
        writes.push(
            "INSERT INTO attachments (id, request_id, message_id, file_name, kind, size_bytes, sha256, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                id.as_str().into(),
                request_id.into(),
                message_id.into(),
                file_name.as_str().into(),
                kind.code().into(),
                size.into(),
                file.sha256.as_str().into(),
                user_id.into(),
                at.into(),
            ],
        );
        listed.push(view::attachment(id, file_name, kind.code(), size));
    }
    listed
}

/// A unique violation on the submission token is a resubmitted form, not a failure.
pub fn duplicate_submission_or_internal(err: sqlx::Error) -> AppError {
    on_constraint(err, |name| {
        name.contains("submission_token")
            .then(|| AppError::Conflict(DUPLICATE.into()))
    })
}

const DUPLICATE: &str = "Esta solicitud ya fue radicada.";

/// Files a request for the signed-in customer; returns its radicado. Submitting the same form
/// twice (a double click, a resent form) returns the radicado of the first.
pub async fn file_request(
    state: &AppState,
    user: &SessionUser,
    form: Filing,
    uploads: Vec<Upload>,
) -> Result<String, AppError> {
    let account = customer_account(state, user).await?;
    let filed: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM requests WHERE account_id = $1 AND created_at > $2")
            .bind(&account.account_id)
            .bind(crate::platform::quota::Quota::since(
                crate::platform::db::now(),
            ))
            .fetch_one(&state.pool)
            .await?
            .get("n");
    state
        .config
        .quotas
        .filings_per_customer
        .check(filed, "solicitudes radicadas")?;
    file_for(state, &account, OnBehalf::customer(user), form, uploads)
        .await
        .map(|filed| filed.radicado)
}

/// What a filing answers: its radicado and, when this call wrote it, the request as written
/// (the API answers 201 with it); `None` when the submission token had filed it before and
/// the first filing's radicado is the answer.
pub struct FiledRequest {
    pub radicado: String,
    pub written: Option<Written>,
}

/// Files a request for an account, whoever registers it (the customer, an agent, an API
/// key): the same validation, the same clocks, the same notification. The submission token
/// makes it safe to repeat: the same token returns the first radicado and files nothing.
pub async fn file_for(
    state: &AppState,
    account: &CustomerAccount,
    by: OnBehalf<'_>,
    form: Filing,
    uploads: Vec<Upload>,
) -> Result<FiledRequest, AppError> {
    let CheckedFiling {
        token,
        request_type,
        priority,
        subject,
        description,
        links,
    } = validate_filing(&form, account.tier, &account.ans.settings.matrix)?;
    // A second submission with the same token answers with the first radicado. Without
    // attachments the unique token index alone catches it at the INSERT (see the end of this
    // function), so only a filing with files pays a read up front, to not store them twice.
    if !uploads.is_empty() {
        if let Some(radicado) = already_filed(state, &account.account_id, token).await? {
            return Ok(FiledRequest {
                radicado,
                written: None,
            });
        }
    }
    let category = match form.category_id.trim() {
        "" => None,
        id => {
            let name = sqlx::query("SELECT name FROM categories WHERE id = $1 AND active = 1")
                .bind(id)
                .fetch_optional(&state.pool)
                .await?
                .map(|row| row.get::<String, _>("name"));
            Some((
                id.to_string(),
                name.ok_or_else(|| {
                    AppError::invalid(Field::Category, "Elija una categoría de la lista.")
                })?,
            ))
        }
    };
    let related = match form.related.trim() {
        "" => None,
        radicado => match owned_request(state, &account.account_id, radicado).await? {
            Some((id, RequestState::Cerrada)) => Some((id, radicado.to_string())),
            _ => {
                return Err(AppError::validation(
                    "La solicitud relacionada no existe o sigue abierta.",
                ))
            }
        },
    };
    let kinds = check_uploads(state, &uploads)?;

    let store = AttachmentStore::new(&state.config.attachments_dir);
    let stored = store_uploads(&store, &uploads).await?;
    let prepared = Prepared::new(
        NewRequest {
            account_id: &account.account_id,
            created_by: by.user_id,
            request_type,
            category_id: category.as_ref().map(|(id, _)| id.as_str()),
            subject: &subject,
            description: &description,
            priority,
            channel: by.channel.code(),
            received_at: Utc::now(),
            submission_token: Some(token),
            related_request_id: related.as_ref().map(|(id, _)| id.as_str()),
            links: &links,
            author_label: by.author_label,
        },
        // Read for this filing a moment ago (its tier for this year, received now).
        KnownAccount {
            tier: account.tier,
            guaranteed: account.guaranteed,
            email: &account.email,
            ans: &account.ans,
        },
    );
    let mut attachments = Batch::new();
    let mut files = add_attachments(
        &mut attachments,
        &prepared.id,
        &prepared.message_id,
        by.user_id,
        &uploads,
        &kinds,
        &stored,
        Utc::now().timestamp(),
    );
    // The radicado, the request and everything hanging from it — message, history, e-mail,
    // files and live event — in one transaction; on SQLite one hand-off to the writer thread
    // (`db::write_numbered`).
    let year = prepared.year();
    let (actor_user, actor_key, actor_label) = (
        by.actor.user_id.map(str::to_string),
        by.actor.api_key_id.map(str::to_string),
        by.actor.label.to_string(),
    );
    let live = state.live.clone();
    let account_id = account.account_id.clone();
    let outcome = crate::platform::db::write_numbered(
        &state.pool,
        state.sqlite_writer.as_deref(),
        (NEXT_RADICADO, vec![i64::from(year).into()]),
        move |number| {
            let actor = Actor {
                user_id: actor_user.as_deref(),
                api_key_id: actor_key.as_deref(),
                label: &actor_label,
            };
            let mut writes = Batch::new();
            let filed = prepared.write(&actor, radicado_of(year, number)?, &mut writes);
            writes.append(attachments);
            let event = live.stage(
                &mut writes,
                Scope::request(&filed.radicado.to_string(), &account_id),
                LiveChange::Radicada,
            );
            Ok((writes, (filed, prepared, event)))
        },
    )
    .await
    .map_err(|failure| match failure {
        WriteFailure::Unique(name) if name.contains("submission_token") => {
            AppError::Conflict(DUPLICATE.into())
        }
        other => other.into_app(),
    })
    .and_then(|((filed, prepared, event), returned)| {
        Ok((filed, prepared, event.numbered(&returned)?))
    });
    match outcome {
        Ok((filed, prepared, event)) => {
            state.live.publish_staged(event).await;
            // The thread lists a message's files by id: as they were sent (`load_detail_listed`).
            files.sort_by(|a, b| a.id.cmp(&b.id));
            let stored = StoredRequest {
                listed: prepared.listed(&filed, &account.document_type, &account.document_number),
                category_name: category.map(|(_, name)| name),
                related_radicado: related.map(|(_, radicado)| radicado),
                links,
                first_response_hours: prepared.first_response_hours(),
                first_response_at: None,
                answered_at: None,
                closed_at: None,
                extension: None,
                pause_count: 0,
                business_hours: prepared.business_hours().clone(),
                first_contact_hours: prepared.first_contact_hours(),
            };
            Ok(FiledRequest {
                radicado: filed.radicado.to_string(),
                written: Some(Written {
                    stored,
                    thread: vec![prepared.first_message(files)],
                }),
            })
        }
        Err(err) => {
            store.discard(&stored).await;
            match err {
                AppError::Conflict(message) if message == DUPLICATE => {
                    let radicado = already_filed(state, &account.account_id, token)
                        .await?
                        .ok_or(AppError::Internal)?;
                    Ok(FiledRequest {
                        radicado,
                        written: None,
                    })
                }
                other => Err(other),
            }
        }
    }
}

async fn already_filed(
    state: &AppState,
    account_id: &str,
    token: &str,
) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query(
            "SELECT radicado FROM requests WHERE submission_token = $1 AND account_id = $2",
        )
        .bind(token)
        .bind(account_id)
        .fetch_optional(&state.pool)
        .await?
        .map(|row| row.get("radicado")),
    )
}

/// A public follow-up from the customer, with attachments. Answers a request for
/// information (resuming the clocks) or an answer (back to `en_gestion`); in other open
/// states it joins the thread without moving the request.
pub async fn reply(
    state: &AppState,
    user: &SessionUser,
    radicado: &str,
    body: &str,
    uploads: Vec<Upload>,
) -> Result<(), AppError> {
    let account = customer_account(state, user).await?;
    let written: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM request_messages WHERE author_user_id = $1 AND from_customer = 1 \
         AND created_at > $2",
    )
    .bind(&user.id)
    .bind(crate::platform::quota::Quota::since(crate::platform::db::now()))
    .fetch_one(&state.pool)
    .await?
    .get("n");
    state
        .config
        .quotas
        .replies_per_customer
        .check(written, "mensajes en sus solicitudes")?;
    reply_for(
        state,
        &account,
        OnBehalf::customer(user),
        radicado,
        body,
        uploads,
    )
    .await
}

/// A public follow-up in the customer's name, by whoever acts for them (see [`OnBehalf`]).
pub async fn reply_for(
    state: &AppState,
    account: &CustomerAccount,
    by: OnBehalf<'_>,
    radicado: &str,
    body: &str,
    uploads: Vec<Upload>,
) -> Result<(), AppError> {
    let (request_id, current_state) = owned_request(state, &account.account_id, radicado)
        .await?
        .ok_or(AppError::NotFound)?;
    if current_state == RequestState::Cerrada {
        return Err(AppError::Conflict(
            "La solicitud está cerrada y no admite respuestas. Puede radicar una solicitud relacionada.".into(),
        ));
    }
    let body = text(body, "Mensaje", 1, 5000).map_err(|e| e.on(Field::Message))?;
    let kinds = check_uploads(state, &uploads)?;
    let store = AttachmentStore::new(&state.config.attachments_dir);
    let stored = store_uploads(&store, &uploads).await?;
    let outcome = async {
        let mut tx = crate::platform::db::begin(&state.pool).await?;
        let actor = &by.actor;
        let current = lifecycle::load(&mut tx, &request_id).await?;
        if matches!(current.state, RequestState::PendienteCliente | RequestState::Respondida) {
            lifecycle::apply(&mut tx, state, &current, Action::CustomerReplies, Role::Cliente, actor, Utc::now()).await?;
        } else if current.state == RequestState::Cerrada {
            return Err(AppError::Conflict("La solicitud está cerrada y no admite respuestas.".into()));
        } else {
            sqlx::query("UPDATE requests SET updated_at = $1 WHERE id = $2")
                .bind(Utc::now().timestamp())
                .bind(&request_id)
                .execute(&mut *tx)
                .await?;
        }
        let message_id = new_id();
        let at = Utc::now().timestamp();
        sqlx::query(
            "INSERT INTO request_messages (id, request_id, author_user_id, author_label, from_customer, visibility, kind, body, created_at) \
             VALUES ($1, $2, $3, $4, 1, 'publica', 'seguimiento', $5, $6)",
        )
        .bind(&message_id)
        .bind(&request_id)
        .bind(by.user_id)
        .bind(by.author_label)
        .bind(&body)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        insert_attachments(&mut tx, &request_id, &message_id, by.user_id, &uploads, &kinds, &stored, at).await?;
        audit::record(
            &mut tx,
            actor,
            "seguimiento_publico",
            "request",
            &request_id,
            json!({ "attachments": uploads.len(), "channel": by.channel.code() }),
        )
        .await?;
        notify_follow_up(&mut tx, account, radicado, &request_id, by.author_label, &body).await?;
        tx.commit().await.map_err(internal)
    }
    .await;
    match &outcome {
        Ok(()) => {
            state
                .live
                .publish(
                    Scope::request(radicado, &account.account_id),
                    LiveChange::Seguimiento,
                )
                .await
        }
        Err(_) => store.discard(&stored).await,
    }
    outcome
}

/// Seed 000 §6: an e-mail on every public follow-up, and WhatsApp (best effort).
async fn notify_follow_up(
    tx: &mut crate::platform::db::Tx,
    account: &CustomerAccount,
    radicado: &str,
    request_id: &str,
    author: &str,
    body: &str,
) -> Result<(), AppError> {
    let subject: String = sqlx::query("SELECT subject FROM requests WHERE id = $1")
        .bind(request_id)
        .fetch_one(&mut **tx)
        .await?
        .get("subject");
    let payload = json!({
        "radicado": radicado,
        "subject": subject,
        "author": author,
        "excerpt": body.chars().take(280).collect::<String>(),
    });
    outbox::enqueue(
        tx,
        "email",
        &account.email,
        "seguimiento_publico",
        payload.clone(),
    )
    .await?;
    if !account.phone.is_empty() {
        outbox::enqueue(
            tx,
            "whatsapp",
            &account.phone,
            "seguimiento_publico",
            payload,
        )
        .await?;
    }
    Ok(())
}

/// The customer closes the request (seed 000 §5 e). An answered request is closed as
/// satisfied; before the answer, closing is a withdrawal (Ley 1755 art. 18). Final either way.
pub async fn close(state: &AppState, user: &SessionUser, radicado: &str) -> Result<(), AppError> {
    let account = customer_account(state, user).await?;
    close_for(state, &account, OnBehalf::customer(user), radicado).await
}

/// The customer's close, by whoever acts for them (see [`OnBehalf`]).
pub async fn close_for(
    state: &AppState,
    account: &CustomerAccount,
    by: OnBehalf<'_>,
    radicado: &str,
) -> Result<(), AppError> {
    let (request_id, _) = owned_request(state, &account.account_id, radicado)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    let current = lifecycle::load(&mut tx, &request_id).await?;
    let action = if current.state == RequestState::Respondida {
        Action::CustomerCloses
    } else {
        Action::Withdraw
    };
    lifecycle::apply(
        &mut tx,
        state,
        &current,
        action,
        Role::Cliente,
        &by.actor,
        Utc::now(),
    )
    .await?;
    notify_closed(&mut tx, &state.config.surveys, &request_id, "cliente").await?;
    tx.commit().await?;
    state
        .live
        .publish(
            Scope::request(radicado, &account.account_id),
            LiveChange::Estado,
        )
        .await;
    Ok(())
}

/// The e-mail that tells the customer their request is closed (seed 000 §6), and the
/// satisfaction survey every close sends (survey requirement). Every way of closing calls this inside its
/// transaction, so no closed request is left without its survey.
pub async fn notify_closed(
    tx: &mut crate::platform::db::Tx,
    surveys: &crate::platform::config::SurveyPolicy,
    request_id: &str,
    closed_by: &str,
) -> Result<(), AppError> {
    let row = sqlx::query(
        "SELECT r.radicado, r.subject, u.email FROM requests r \
         JOIN users u ON u.account_id = r.account_id WHERE r.id = $1 ORDER BY u.created_at LIMIT 1",
    )
    .bind(request_id)
    .fetch_one(&mut **tx)
    .await?;
    let email: String = row.get("email");
    outbox::enqueue(
        tx,
        "email",
        &email,
        "solicitud_cerrada",
        json!({
            "radicado": row.get::<String, _>("radicado"),
            "subject": row.get::<String, _>("subject"),
            "closed_by": closed_by,
        }),
    )
    .await?;
    crate::requests::server::survey_invitation::invite(tx, surveys, request_id, &email).await
}

/// The request page for its customer; `None` when it does not exist or is someone else's —
/// the same answer for both, so radicados cannot be probed.
pub async fn detail(
    state: &AppState,
    user: &SessionUser,
    radicado: &str,
) -> Result<Option<RequestDetail>, AppError> {
    let account = customer_account(state, user).await?;
    load_detail(state, radicado, Viewer::Customer(&account.account_id)).await
}

/// Who reads a request decides what of it they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer<'a> {
    /// A customer: only their account's requests, the public thread, their survey link.
    Customer(&'a str),
    /// Staff: any request, internal notes included.
    Staff,
    /// Another system with an API key (REST API requirement): any request, the public thread only.
    Integration,
}

/// The request as `viewer` may see it (see [`Viewer`]); `None` when it does not exist or is
/// not theirs.
pub async fn load_detail(
    state: &AppState,
    radicado: &str,
    viewer: Viewer<'_>,
) -> Result<Option<RequestDetail>, AppError> {
    Ok(load_detail_listed(state, radicado, viewer)
        .await?
        .map(|(detail, _)| detail))
}

/// [`load_detail`] with the request's codes and instants as the API's list shows them
/// (`requests::search`), read from the same row: the API's view of one request, and the
/// answer to every filing through it, costs one query fewer than listing it apart.
pub async fn load_detail_listed(
    state: &AppState,
    radicado: &str,
    viewer: Viewer<'_>,
) -> Result<Option<(RequestDetail, Listed)>, AppError> {
    let account_id = match viewer {
        Viewer::Customer(account) => Some(account),
        Viewer::Staff | Viewer::Integration => None,
    };
    let Some(row) = sqlx::query(
        "SELECT r.*, c.name AS category_name, rel.radicado AS related_radicado, \
         acc.document_type, acc.document_number, v.settings AS ans_settings, \
         (SELECT COUNT(*) FROM request_pauses p WHERE p.request_id = r.id) AS pause_count \
         FROM requests r \
         JOIN accounts acc ON acc.id = r.account_id \
         LEFT JOIN ans_versions v ON v.number = r.ans_version \
         LEFT JOIN categories c ON c.id = r.category_id \
         LEFT JOIN requests rel ON rel.id = r.related_request_id \
         WHERE r.radicado = $1 AND ($2 = '' OR r.account_id = $2)",
    )
    .bind(radicado)
    .bind(account_id.unwrap_or(""))
    .fetch_optional(&state.pool)
    .await?
    else {
        return Ok(None);
    };
    let stored = StoredRequest::from_row(&row);
    let request_id = stored.listed.id.clone();
    // Most requests never waited on the customer: the count came with the row, and the
    // pauses are read only when there are some (one query fewer per view).
    let pauses: Vec<Pause> = if stored.pause_count == 0 {
        Vec::new()
    } else {
        sqlx::query("SELECT started_at, ended_at FROM request_pauses WHERE request_id = $1")
            .bind(&request_id)
            .fetch_all(&state.pool)
            .await?
            .into_iter()
            .map(|p| Pause {
                start: instant(p.get("started_at")),
                end: p
                    .get::<Option<i64>, _>("ended_at")
                    .map(instant)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC),
            })
            .collect()
    };
    // The thread and its files in one query; the files of a message in the order they were
    // sent (ids are time-ordered hex, which every collation sorts alike), as a filing lists
    // them in its answer (`file_for`).
    let rows = sqlx::query(
        "SELECT m.id, m.author_label, m.from_customer, m.kind, m.visibility, m.body, m.created_at, \
         a.id AS attachment_id, a.file_name, a.kind AS attachment_kind, a.size_bytes \
         FROM request_messages m LEFT JOIN attachments a ON a.message_id = m.id \
         WHERE m.request_id = $1 AND (m.visibility = 'publica' OR $2 = 1) \
         ORDER BY m.created_at, m.id, a.id",
    )
    .bind(&request_id)
    .bind(i64::from(viewer == Viewer::Staff))
    .fetch_all(&state.pool)
    .await?;
    let closed = stored.listed.state == RequestState::Cerrada.code();
    let (mut detail, listed) = compose(stored, &pauses, thread(&rows), Utc::now())?;

    // The API's representation has no history (`RequestOut`): reading it there would be a
    // query per call thrown away.
    if viewer != Viewer::Integration {
        detail.history = history(state, &request_id).await?;
    }
    if let Viewer::Customer(_) = viewer {
        if closed {
            detail.survey_url =
                crate::requests::server::survey_invitation::open_link(state, &request_id).await?;
        }
    }
    Ok(Some((detail, listed)))
}

/// The request's filing and state changes, oldest first, for the people who read its page.
async fn history(state: &AppState, request_id: &str) -> Result<Vec<HistoryEntry>, AppError> {
    Ok(sqlx::query(
        "SELECT occurred_at, actor_label, action, detail FROM audit_events \
         WHERE entity = 'request' AND entity_id = $1 AND action IN ('solicitud_radicada', 'estado_cambiado') \
         ORDER BY occurred_at, id",
    )
    .bind(request_id)
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|h| {
        let detail: serde_json::Value =
            serde_json::from_str(&h.get::<String, _>("detail")).unwrap_or_default();
        let label = |key: &str| {
            detail[key]
                .as_str()
                .and_then(RequestState::from_code)
                .map(|s| s.label_es())
                .unwrap_or("")
        };
        HistoryEntry {
            at: local_time(h.get("occurred_at")),
            actor: h.get("actor_label"),
            text: if h.get::<String, _>("action") == "solicitud_radicada" {
                "Solicitud radicada".to_string()
            } else {
                format!("{} → {}", label("from"), label("to"))
            },
        }
    })
    .collect())
}

/// An attachment of a public message, for another system with an API key (REST API requirement): the
/// same files the customer can download, never those of internal notes.
pub async fn public_attachment(
    state: &AppState,
    attachment_id: &str,
) -> Result<Option<(String, AttachmentKind, std::path::PathBuf)>, AppError> {
    let row = sqlx::query(
        "SELECT a.file_name, a.kind, a.sha256 FROM attachments a \
         JOIN request_messages m ON m.id = a.message_id WHERE a.id = $1 AND m.visibility = 'publica'",
    )
    .bind(attachment_id)
    .fetch_optional(&state.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let kind =
        AttachmentKind::from_code(&row.get::<String, _>("kind")).ok_or(AppError::Internal)?;
    let path = AttachmentStore::new(&state.config.attachments_dir)
        .path(&row.get::<String, _>("sha256"))
        .ok_or(AppError::Internal)?;
    Ok(Some((row.get("file_name"), kind, path)))
}

/// An attachment the user may download: customers only their account's public files, staff
/// those of the requests in their reach (`reach`), each download logged. Returns (file name,
/// kind, path on disk); `None` for anything else, including ids that exist but belong to
/// someone else.
pub async fn attachment_for(
    state: &AppState,
    user: &SessionUser,
    attachment_id: &str,
) -> Result<Option<(String, AttachmentKind, std::path::PathBuf)>, AppError> {
    let row = sqlx::query(
        "SELECT a.file_name, a.kind, a.sha256, r.id AS request_id, r.radicado, r.account_id, m.visibility FROM attachments a \
         JOIN requests r ON r.id = a.request_id JOIN request_messages m ON m.id = a.message_id WHERE a.id = $1",
    )
    .bind(attachment_id)
    .fetch_optional(&state.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    if !user.role.is_staff() {
        let account = customer_account(state, user).await?;
        if row.get::<String, _>("account_id") != account.account_id
            || row.get::<String, _>("visibility") != "publica"
        {
            return Ok(None);
        }
    } else {
        if crate::requests::server::reach::open(state, user, &row.get::<String, _>("radicado"))
            .await?
            .is_none()
        {
            return Ok(None);
        }
        let file_name: String = row.get("file_name");
        crate::requests::server::reach::record(
            state,
            user,
            &row.get::<String, _>("request_id"),
            crate::requests::server::reach::Access::Downloaded(attachment_id, &file_name),
        )
        .await?;
    }
    let kind =
        AttachmentKind::from_code(&row.get::<String, _>("kind")).ok_or(AppError::Internal)?;
    let path = AttachmentStore::new(&state.config.attachments_dir)
        .path(&row.get::<String, _>("sha256"))
        .ok_or(AppError::Internal)?;
    Ok(Some((row.get("file_name"), kind, path)))
}
