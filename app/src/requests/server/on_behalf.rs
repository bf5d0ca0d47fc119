//! Registering a request on a customer's behalf (seed 001 §6: phone, e-mail and in-person
//! contacts; seed 004: every PQRS gets an answer through official channels): an agent at
//! `/equipo/nueva`, or another system through the REST API. Both find the customer by
//! document, may create the account with the Ley 1581 consent recorded as given through
//! that channel, and file through [`service::file_for`] — the customer's own filing path.

use ventanilla::channel::Channel;
use ventanilla::role::Role;

use crate::accounts::server::accounts::{self, CustomerOnBehalf};
use crate::error::{AppError, Field};
use crate::platform::audit::Actor;
use crate::requests::server::{
    form::Filing,
    service::{self, CustomerAccount, OnBehalf, Upload},
};
use crate::state::AppState;
use crate::{
    accounts::model::SessionUser,
    requests::model::{CustomerCard, OnBehalfFormOptions},
    ui::choice::Choice,
};

/// The customer's account by document; created first when `new_account` is given, the
/// caller may create accounts, and there is none yet.
pub async fn account_for_document(
    state: &AppState,
    actor: &Actor<'_>,
    channel: Channel,
    document_type: &str,
    document_number: &str,
    new_account: Option<CustomerOnBehalf>,
    may_create: bool,
) -> Result<CustomerAccount, AppError> {
    let (kind, key) = accounts::document_lookup_key(document_type, document_number)?;
    if let Some(account) = service::account_by_document(state, kind, &key).await? {
        return Ok(account);
    }
    let account_id = match new_account {
        None => {
            return Err(AppError::invalid(
                Field::DocumentNumber,
                "Número de documento: no hay una cuenta con ese documento; registre los datos del cliente para crearla.",
            ))
        }
        Some(_) if !may_create => return Err(AppError::Forbidden),
        Some(mut form) => {
            form.document_type = document_type.to_string();
            form.document_number = document_number.to_string();
            accounts::register_on_behalf(state, actor, channel, form).await?
        }
    };
    service::account_by_id(state, &account_id)
        .await?
        .ok_or_else(|| {
            tracing::error!(account_id, "customer account without a holder");
            AppError::Internal
        })
}

/// Who the agent is talking to, before filing: `None` when the document has no account.
pub async fn lookup(
    state: &AppState,
    agent: &SessionUser,
    document_type: &str,
    document_number: &str,
) -> Result<Option<CustomerCard>, AppError> {
    may_register(agent)?;
    let Some(account_id) =
        accounts::find_customer(&state.pool, document_type, document_number).await?
    else {
        return Ok(None);
    };
    let Some(account) = service::account_by_id(state, &account_id).await? else {
        return Ok(None);
    };
    Ok(Some(CustomerCard {
        name: account.holder_name,
        email: account.email,
        tier: account.tier.label_es().into(),
        ans_guaranteed: account.guaranteed,
        priorities: account
            .ans
            .settings
            .matrix
            .allowed_priorities(account.tier)
            .into_iter()
            .map(|p| Choice::new(p.code(), p.label_es()))
            .collect(),
    }))
}

/// The catalogue for the form, a fresh submission token (a double submit files once) and
/// the attachment limits, the customer's own.
pub async fn options(
    state: &AppState,
    agent: &SessionUser,
) -> Result<OnBehalfFormOptions, AppError> {
    may_register(agent)?;
    let categories = crate::catalogue::server::read::categories(&state.pool)
        .await?
        .into_iter()
        .filter(|c| c.active)
        .map(|c| Choice {
            code: c.id,
            label: c.name,
            hint: c.description,
        })
        .collect();
    let policy = &state.config.attachments;
    Ok(OnBehalfFormOptions {
        categories,
        submission_token: crate::platform::db::new_id(),
        max_file_mb: policy.max_file_bytes / (1024 * 1024),
        max_message_mb: policy.max_message_bytes / (1024 * 1024),
    })
}

fn may_register(agent: &SessionUser) -> Result<(), AppError> {
    if matches!(agent.role, Role::Asesor | Role::Supervisor | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// What the agent's form sends.
#[derive(Debug, Clone, Default)]
pub struct AgentFiling {
    pub document_type: String,
    pub document_number: String,
    pub channel: String,
    /// Filled when the customer has no account yet.
    pub new_account: Option<CustomerOnBehalf>,
    pub filing: Filing,
}

/// An agent files a request for a customer who called, wrote or came in; returns the
/// radicado to tell them. The customer gets the usual filing e-mail. `uploads` are what the
/// customer sent or handed over, checked exactly as in the portal (limits, disguised files).
pub async fn file_by_agent(
    state: &AppState,
    agent: &SessionUser,
    form: AgentFiling,
    uploads: Vec<Upload>,
) -> Result<String, AppError> {
    may_register(agent)?;
    let channel = Channel::from_code(form.channel.trim())
        .filter(|c| Channel::ON_BEHALF.contains(c))
        .ok_or_else(|| {
            AppError::validation("Canal: elija teléfono, correo electrónico o presencial.")
        })?;
    let actor = Actor::user(&agent.id, &agent.full_name);
    let account = account_for_document(
        state,
        &actor,
        channel,
        &form.document_type,
        &form.document_number,
        form.new_account,
        true,
    )
    .await?;
    let author = format!(
        "{} (registrada por {})",
        account.holder_name, agent.full_name
    );
    service::file_for(
        state,
        &account,
        OnBehalf {
            user_id: &agent.id,
            author_label: &author,
            actor,
            channel,
        },
        form.filing,
        uploads,
    )
    .await
    .map(|filed| filed.radicado)
}
