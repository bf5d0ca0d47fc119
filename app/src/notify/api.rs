//! Server functions for the admins' view of notification delivery (seed 000 §6).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use ventanilla::role::Role;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{accounts::server::session, notify::server::backlog, platform::audit::Actor};

/// A notification not delivered yet, or given up on, as the admins' page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UndeliveredNotification {
    pub id: String,
    /// "pendiente", "enviando" or "fallida".
    pub status_code: String,
    pub status: String,
    pub channel: String,
    pub recipient: String,
    pub template: String,
    pub radicado: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// Bogotá time, rendered as text so SSR and hydration agree.
    pub created_at: String,
    pub next_attempt_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationBacklog {
    pub items: Vec<UndeliveredNotification>,
    /// Only admins send a notification again; supervisors watch.
    pub can_retry: bool,
}

/// Failed and pending notifications. Admins and supervisors.
#[server(endpoint = "equipo/notificaciones")]
pub async fn failed_notifications() -> Result<NotificationBacklog, AppError> {
    session::as_role(&[Role::Admin, Role::Supervisor], |state, user| async move {
        Ok(NotificationBacklog {
            items: backlog::undelivered(&state.pool).await?,
            can_retry: user.role == Role::Admin,
        })
    })
    .await
}

/// Sends a failed or waiting notification again now. Admins only; audited.
#[server(endpoint = "equipo/notificaciones/reintentar")]
pub async fn retry_notification(id: String) -> Result<(), AppError> {
    session::as_role(&[Role::Admin], |state, admin| async move {
        backlog::retry(&state.pool, &Actor::user(&admin.id, &admin.full_name), &id).await
    })
    .await
}
