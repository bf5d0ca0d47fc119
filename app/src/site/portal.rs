//! "Mis solicitudes": every request of the customer's account with its radicado, type,
//! subject, state in plain Spanish and the next step; newest activity first; paged.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::requests::api::my_requests;
use crate::requests::model::{RequestPage, RequestSummary};
use crate::surveys::api::campaigns::my_campaign_surveys;
use crate::ui::feedback::ErrorNotice;

#[component]
pub fn PortalPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("pagina")
            .and_then(|p| p.parse::<i64>().ok())
    };
    let live = crate::live::client::use_live();
    let requests = Resource::new(
        move || (page(), live.version.get()),
        |(page, _)| my_requests(page),
    );
    view! {
        <section>
            <div class="title-row">
                <h1>"Mis solicitudes"</h1>
                <a class="button" href="/portal/nueva">"Nueva solicitud"</a>
            </div>
            <crate::ans::pages::notice::AnsNotices />
            <PendingCampaignSurveys />
            <Transition fallback=|| view! { <p class="loading">"Cargando sus solicitudes…"</p> }>
                {move || Suspend::new(async move {
                    match requests.await {
                        Ok(list) if list.items.is_empty() => view! {
                            <p class="empty">"Aún no tiene solicitudes radicadas."</p>
                        }
                        .into_any(),
                        Ok(list) => view! { <RequestList list /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Relationship surveys (seed 001 §5.2) the customer was drawn for and has not answered: the
/// same survey as the e-mail link, for whoever signs in instead of opening their mail.
#[component]
fn PendingCampaignSurveys() -> impl IntoView {
    let live = crate::live::client::use_live();
    let pending = Resource::new(move || live.version.get(), |_| my_campaign_surveys());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                pending.await.ok().filter(|list| !list.is_empty()).map(|list| view! {
                    <aside class="notice campaign-pending" aria-label="Encuestas pendientes">
                        {list.into_iter().map(|survey| view! {
                            <p>
                                "Queremos conocer su opinión: " <strong>{survey.campaign}</strong>
                                ". Puede responder hasta el " {survey.closes} "."
                            </p>
                            <a class="button" href=format!("/portal/campanas/{}", survey.invitation_id)>
                                "Responder esta encuesta"
                            </a>
                        }).collect_view()}
                    </aside>
                })
            })}
        </Transition>
    }
}

#[component]
fn RequestList(list: RequestPage) -> impl IntoView {
    let RequestPage { items, page, pages } = list;
    view! {
        <ul class="request-list">
            {items.into_iter().map(|r| view! { <RequestCard request=r /> }).collect_view()}
        </ul>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="Páginas">
                {(page > 1).then(|| view! { <a href=format!("/portal?pagina={}", page - 1)>"← Anteriores"</a> })}
                <span>{format!("Página {page} de {pages}")}</span>
                {(page < pages).then(|| view! { <a href=format!("/portal?pagina={}", page + 1)>"Siguientes →"</a> })}
            </nav>
        })}
    }
}

#[component]
fn RequestCard(request: RequestSummary) -> impl IntoView {
    view! {
        <li class="request-card">
            <div class="row">
                <a class="radicado" href=format!("/portal/solicitudes/{}", request.radicado)>{request.radicado.clone()}</a>
                <span class=format!("state state-{}", request.state_code)>{request.state}</span>
            </div>
            <p class="subject">{request.subject}</p>
            <p class="meta">{request.request_type} " · radicada el " {request.received_at}</p>
            <p class="meta">"Última actualización: " {request.updated_at}</p>
            <p class="meta next">{request.next_step}</p>
            {request
                .legal_due_date
                .map(|date| view! { <p class="meta">"Respuesta de fondo a más tardar el " {date}</p> })}
            {(!request.ans_guaranteed)
                .then(|| view! { <p class="meta warn">"Sin garantía de ANS: su cuenta no está activa o tiene pagos pendientes."</p> })}
        </li>
    }
}
