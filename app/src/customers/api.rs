//! The customers' server functions: search, the 360 view, commercial data, web access and
//! notes. Asesores, supervisors and admins read; supervisors and admins change data and
//! block access (issue 19).

use leptos::prelude::*;

use crate::customers::model::{CustomerRow, CustomerView};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    accounts::server::session,
    customers::server::{
        commercial::{self, CommercialPatch},
        directory::{self, MANAGERS, READERS},
        notes, web_access,
    },
    platform::audit::Actor,
};

/// Customers matching `q` (document, e-mail, mobile or part of the name).
#[server(endpoint = "equipo/clientes")]
pub async fn search_customers(q: Option<String>) -> Result<Vec<CustomerRow>, AppError> {
    session::as_role(READERS, |state, _| async move {
        directory::search(
            &state.pool,
            &crate::ans::server::versions::tiers(&state.pool, &state.ans).await?,
            q.as_deref().unwrap_or_default(),
        )
        .await
    })
    .await
}

/// Everything about one customer.
#[server(endpoint = "equipo/clientes/ver")]
pub async fn load_customer(id: String) -> Result<CustomerView, AppError> {
    session::as_role(READERS, |state, reader| async move {
        directory::view(
            &state.pool,
            &crate::ans::server::versions::tiers(&state.pool, &state.ans).await?,
            &reader,
            &id,
        )
        .await
    })
    .await
}

/// A supervisor or admin saves the commercial data read at `revision`; returns the sentence
/// they read (the tier and guarantee the next filing gets).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "equipo/clientes/comercial")]
pub async fn save_commercial_data(
    account_id: String,
    monthly_contract_cop: String,
    service_status: String,
    payments_up_to_date: String,
    kind: String,
    segment: String,
    revision: String,
    reason: String,
) -> Result<String, AppError> {
    session::as_role(MANAGERS, |state, manager| async move {
        let contract = ventanilla::customer::parse_contract(&monthly_contract_cop)
            .map_err(|e| AppError::validation(e.to_string()))?;
        let payments = match payments_up_to_date.as_str() {
            "si" => true,
            "no" => false,
            _ => return Err(AppError::validation("Indique si los pagos están al día.")),
        };
        let revision = revision
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::validation("Recargue la página y vuelva a intentarlo."))?;
        let saved = commercial::change(
            &state.pool,
            &crate::ans::server::versions::tiers(&state.pool, &state.ans).await?,
            &Actor::user(&manager.id, &manager.full_name),
            &account_id,
            &CommercialPatch {
                monthly_contract_cop: Some(contract),
                service_status: Some(service_status),
                payments_up_to_date: Some(payments),
                kind: Some(kind),
                segment: Some(segment),
            },
            Some(revision),
            &reason,
        )
        .await?;
        if !saved.changed {
            return Ok("No había cambios que guardar.".to_string());
        }
        Ok(format!(
            "Datos guardados. Las próximas solicitudes se radican como {}, {}. Las ya radicadas conservan su segmento.",
            saved.standing.tier.label_es(),
            if saved.standing.ans_guaranteed {
                "con garantía de ANS"
            } else {
                "sin garantía de ANS"
            }
        ))
    })
    .await
}

/// A supervisor or admin blocks (`blocked` = "si") or unblocks the customer's web access.
#[server(endpoint = "equipo/clientes/acceso")]
pub async fn set_customer_web_access(
    account_id: String,
    blocked: String,
    reason: String,
) -> Result<String, AppError> {
    session::as_role(MANAGERS, |state, manager| async move {
        let blocked = match blocked.as_str() {
            "si" => true,
            "no" => false,
            _ => {
                return Err(AppError::validation(
                    "Elija bloquear o desbloquear el acceso.",
                ))
            }
        };
        web_access::set_blocked(&state.pool, &manager, &account_id, blocked, &reason).await?;
        Ok(if blocked {
            "Acceso al portal bloqueado y sesiones cerradas.".to_string()
        } else {
            "Acceso al portal habilitado de nuevo.".to_string()
        })
    })
    .await
}

/// Staff write a note of relevant information about the customer.
#[server(endpoint = "equipo/clientes/nota")]
pub async fn add_customer_note(account_id: String, body: String) -> Result<(), AppError> {
    session::as_role(READERS, |state, author| async move {
        notes::add(&state.pool, &author, &account_id, &body).await
    })
    .await
}

/// The header, first rows and suggested mapping of an uploaded customer file; `None` when
/// the upload is not the caller's. Supervisors and admins only.
#[server(endpoint = "equipo/clientes/importacion")]
pub async fn load_customer_upload(
    id: String,
) -> Result<Option<crate::tabular::ImportUpload>, AppError> {
    session::signed_in(|state, user| async move {
        Ok(
            crate::customers::server::import::staged_preview(&state, &user, &id)
                .await?
                .map(|(file_name, preview)| crate::tabular::ImportUpload { file_name, preview }),
        )
    })
    .await
}

/// Imports an uploaded customer file with the chosen mapping (`mapping[field]=column`). A
/// file with bad rows imports nothing unless `skip_bad_rows` is `si`; `dry_run` = `si` checks
/// and counts without writing. Supervisors and admins only.
#[server(endpoint = "equipo/clientes/importar-base")]
pub async fn run_customer_import(
    id: String,
    mapping: Option<std::collections::BTreeMap<String, String>>,
    skip_bad_rows: Option<String>,
    dry_run: Option<String>,
) -> Result<crate::customers::model::CustomerImportReport, AppError> {
    use crate::customers::server::import;
    session::signed_in(|state, user| async move {
        let mapping: Vec<crate::tabular::ImportMapping> = mapping
            .unwrap_or_default()
            .into_iter()
            .map(|(field, column)| crate::tabular::ImportMapping { field, column })
            .collect();
        let options = import::ImportOptions {
            skip_bad_rows: skip_bad_rows.as_deref() == Some("si"),
            dry_run: dry_run.as_deref() == Some("si"),
        };
        import::import_staged(&state, &user, &id, &mapping, options).await
    })
    .await
}

/// A supervisor or admin adds a person who may sign in and file for the customer's account
/// (several contacts per company): they get an e-mail with a link to create their password.
#[server(endpoint = "equipo/clientes/contacto")]
pub async fn add_customer_contact(
    account_id: String,
    full_name: String,
    email: String,
    phone: String,
    channel: String,
    consent: Option<String>,
) -> Result<String, AppError> {
    session::as_role(MANAGERS, |state, manager| async move {
        let channel = ventanilla::channel::Channel::from_code(channel.trim())
            .filter(|c| ventanilla::channel::Channel::ON_BEHALF.contains(c))
            .ok_or_else(|| {
                AppError::validation("Elija por qué medio autorizó la persona el tratamiento de sus datos.")
            })?;
        crate::accounts::server::accounts::add_contact(
            &state,
            &Actor::user(&manager.id, &manager.full_name),
            account_id.trim(),
            channel,
            crate::accounts::server::accounts::CustomerOnBehalf {
                full_name: full_name.clone(),
                email: email.clone(),
                phone,
                consent: consent.as_deref() == Some("si"),
                ..Default::default()
            },
        )
        .await?;
        Ok(format!(
            "{} ya es contacto de este cliente. Le enviamos a {} un enlace para crear su contraseña.",
            full_name.trim(),
            email.trim().to_lowercase()
        ))
    })
    .await
}
