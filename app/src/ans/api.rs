//! The ANS server functions: the admin's screen and publishing (admins only), and the
//! portal's announcement (any signed-in person).
// The publish form's fields arrive one by one, as the form posts them; the client stub Leptos
// generates for the browser takes the same arguments, where an attribute on the function
// does not reach.
#![allow(clippy::too_many_arguments)]

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::ans::model::{AnsNotice, AnsScreen};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    accounts::server::session,
    ans::server::{screen, versions},
};

/// The version in force as a form, and the history. Admins only.
#[server(endpoint = "equipo/ans")]
pub async fn load_ans() -> Result<AnsScreen, AppError> {
    session::as_role(&[ventanilla::role::Role::Admin], |state, _| async move {
        screen::screen(&state.pool, &state.ans).await
    })
    .await
}

/// Publishes a new version from the form; answers the sentence the admin reads. Admins only.
#[server(endpoint = "equipo/ans/publicar")]
pub async fn publish_ans(
    hours: Option<BTreeMap<String, String>>,
    vip_threshold_smlmv: String,
    smlmv_overrides: String,
    auto_close_days: String,
    review_sample_percent: String,
    effective_on: String,
    note: String,
    notify_customers: Option<String>,
    weekday_open: String,
    weekday_close: String,
    saturday_open: Option<String>,
    saturday_close: Option<String>,
    non_working_days: Option<String>,
    first_contact_hours: Option<String>,
) -> Result<String, AppError> {
    session::as_role(&[ventanilla::role::Role::Admin], |state, admin| async move {
        let (settings, effective_on) = screen::read(&screen::SubmittedForm {
            hours: hours.unwrap_or_default(),
            vip_threshold_smlmv,
            smlmv_overrides,
            auto_close_days,
            review_sample_percent,
            effective_on,
            weekday_open,
            weekday_close,
            saturday_open: saturday_open.unwrap_or_default(),
            saturday_close: saturday_close.unwrap_or_default(),
            non_working_days: non_working_days.unwrap_or_default(),
            first_contact_hours: first_contact_hours.unwrap_or_default(),
        })?;
        let published = versions::publish(
            &state.pool,
            &state.ans,
            &admin,
            versions::Publication {
                settings,
                effective_on,
                note,
                notify_customers: notify_customers.as_deref() == Some("si"),
            },
        )
        .await?;
        let version = &published.version;
        let when = if version.effective_at <= crate::platform::db::now() {
            "rige desde ahora".to_string()
        } else {
            format!(
                "rige desde el {}",
                crate::timers::local_time(version.effective_at)
            )
        };
        let told = if published.customers_notified > 0 {
            format!(
                " Se avisó por correo a {} clientes y el portal lo anuncia.",
                published.customers_notified
            )
        } else {
            String::new()
        };
        Ok(format!(
            "Versión {} del ANS publicada: {when}. Las solicitudes ya radicadas conservan su versión.{told}",
            version.number
        ))
    })
    .await
}

/// The ANS changes the portal announces (seed 000 §11).
#[server(endpoint = "ans/avisos")]
pub async fn ans_notices() -> Result<Vec<AnsNotice>, AppError> {
    session::signed_in(|state, _| async move { screen::notices(&state.pool).await }).await
}
