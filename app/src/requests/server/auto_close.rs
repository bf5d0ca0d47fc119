//! The automatic close (seed 000 §5 e): "al pasar tres días sin tener respuesta por parte del
//! cliente posterior a una respuesta, la solicitud se cerrará automáticamente".
//!
//! The instant is computed by the domain when the request is answered and stored, so finding
//! what is due is one indexed query. Each close is its own transaction whose state update is
//! conditional on the request still being `respondida`: with several server instances running
//! the worker, exactly one closes each request, and only that one writes the audit event and
//! the e-mail. A customer reply in the window moves the request back to `en_gestion`, so it is
//! no longer due.

use chrono::{DateTime, Utc};
use sqlx::Row;
use ventanilla::lifecycle::{Action, RequestState};
use ventanilla::role::Role;

use crate::error::AppError;
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::Actor;
use crate::requests::server::lifecycle;
use crate::requests::server::service::notify_closed;
use crate::state::AppState;

/// Closes every answered request whose automatic-close instant is at or before `now`.
/// Returns how many this call closed. `now` is a parameter so tests control the clock.
pub async fn close_due(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let due: Vec<String> = sqlx::query(
        "SELECT id FROM requests WHERE state = $1 AND auto_close_at IS NOT NULL AND auto_close_at <= $2 \
         ORDER BY auto_close_at LIMIT 200",
    )
    .bind(RequestState::Respondida.code())
    .bind(now.timestamp())
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|row| row.get("id"))
    .collect();
    let mut closed = 0;
    for id in due {
        let mut tx = crate::platform::db::begin(&state.pool).await?;
        let current = lifecycle::load(&mut tx, &id).await?;
        if current.state != RequestState::Respondida {
            continue;
        }
        // The worker acts with the system role the domain reserves for automatic closing.
        match lifecycle::apply(
            &mut tx,
            state,
            &current,
            Action::AutoClose,
            Role::Admin,
            &Actor::system("cierre automático"),
            now,
        )
        .await
        {
            Ok(_) => {
                notify_closed(&mut tx, &state.config.surveys, &id, "sistema").await?;
                let row = sqlx::query("SELECT radicado, account_id FROM requests WHERE id = $1")
                    .bind(&id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                closed += 1;
                state
                    .live
                    .publish(
                        Scope::request(
                            &row.get::<String, _>("radicado"),
                            &row.get::<String, _>("account_id"),
                        ),
                        LiveChange::Estado,
                    )
                    .await;
            }
            // Another instance (or the customer) got there first: nothing to do.
            Err(AppError::Conflict(_)) => continue,
            Err(other) => return Err(other),
        }
    }
    Ok(closed)
}

/// Runs [`close_due`] every `every` until `stop` resolves.
pub async fn run(
    state: AppState,
    every: std::time::Duration,
    stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut stop = stop;
    loop {
        match close_due(&state, Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(closed = n, "automatic close"),
            Err(err) => tracing::error!(error = %err, "automatic close failed; will retry"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}
