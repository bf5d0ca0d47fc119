//! Admins (and supervisors, read-only) see the notifications that have not gone out: the
//! ones waiting for their next attempt and the ones given up on with their last error, and
//! send one again once the cause is fixed (seed 000 §6).

use leptos::prelude::*;

use crate::notify::api::{failed_notifications, RetryNotification};
use crate::ui::feedback::{action_error, ErrorNotice, QueryError};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let retry = ServerAction::<RetryNotification>::new();
    let backlog = Resource::new(move || retry.version().get(), |_| failed_notifications());
    view! {
        <section>
            <h1>"Notificaciones sin enviar"</h1>
            <p class="muted">
                "Los correos y mensajes de WhatsApp se reintentan solos, con esperas cada vez más largas. "
                "Los que agotan los intentos quedan como fallidos hasta que alguien los reintente."
            </p>
            <QueryError />
            {action_error(retry.value())}
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match backlog.await {
                        Ok(backlog) if backlog.items.is_empty() => view! {
                            <p class="notice">"Todas las notificaciones se enviaron."</p>
                        }
                        .into_any(),
                        Ok(backlog) => {
                            let can_retry = backlog.can_retry;
                            view! {
                                <div class="table-wrap">
                                    <table class="notifications">
                                        <thead>
                                            <tr>
                                                <th>"Estado"</th>
                                                <th>"Canal"</th>
                                                <th>"Destinatario"</th>
                                                <th>"Mensaje"</th>
                                                <th>"Intentos"</th>
                                                <th>"Último error"</th>
                                                <th>"Creada"</th>
                                                <th>"Próximo intento"</th>
                                                {can_retry.then(|| view! { <th>"Acción"</th> })}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {backlog
                                                .items
                                                .into_iter()
                                                .map(|n| {
                                                    let waiting = n.status_code != "enviando";
                                                    let message = match n.radicado {
                                                        Some(radicado) => format!("{} · {radicado}", n.template),
                                                        None => n.template,
                                                    };
                                                    view! {
                                                        <tr data-status=n.status_code.clone()>
                                                            <td>{n.status}</td>
                                                            <td>{n.channel}</td>
                                                            <td>{n.recipient}</td>
                                                            <td>{message}</td>
                                                            <td>{n.attempts}</td>
                                                            <td>{n.last_error.unwrap_or_default()}</td>
                                                            <td>{n.created_at}</td>
                                                            <td>{if n.status_code == "pendiente" { n.next_attempt_at } else { String::new() }}</td>
                                                            {can_retry.then(|| view! {
                                                                <td>
                                                                    {waiting.then(|| view! {
                                                                        <ActionForm action=retry attr:class="inline">
                                                                            <input type="hidden" name="id" value=n.id.clone() />
                                                                            <button type="submit">"Reintentar"</button>
                                                                        </ActionForm>
                                                                    })}
                                                                </td>
                                                            })}
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
