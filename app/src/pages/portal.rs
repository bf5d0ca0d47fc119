//! The customer's portal: the requests of their account, newest activity first.

use leptos::prelude::*;

use crate::api::staff::my_requests;
use crate::components::feedback::ErrorNotice;
use crate::model::RequestSummary;

#[component]
pub fn PortalPage() -> impl IntoView {
    let requests = Resource::new(|| (), |_| my_requests());
    view! {
        <section>
            <h1>"Mis solicitudes"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Cargando sus solicitudes…"</p> }>
                {move || Suspend::new(async move {
                    match requests.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">"Aún no tiene solicitudes radicadas."</p>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <ul class="request-list">
                                {list.into_iter().map(|r| view! { <RequestCard request=r /> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RequestCard(request: RequestSummary) -> impl IntoView {
    view! {
        <li class="request-card">
            <div class="row">
                <strong class="radicado">{request.radicado}</strong>
                <span class=format!("state state-{}", request.state_code)>{request.state}</span>
            </div>
            <p class="subject">{request.subject}</p>
            <p class="meta">{request.request_type} " · radicada el " {request.received_at}</p>
            {request
                .legal_due_date
                .map(|date| view! { <p class="meta">"Respuesta de fondo a más tardar el " {date}</p> })}
            {(!request.ans_guaranteed)
                .then(|| view! { <p class="meta warn">"Sin garantía de ANS: su cuenta no está activa o tiene pagos pendientes."</p> })}
        </li>
    }
}
