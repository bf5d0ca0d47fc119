//! The portal's announcement of ANS changes (seed 000 §11: customers are told in advance).

use leptos::prelude::*;

use crate::ans::api::ans_notices;

/// Nothing when there is nothing to announce.
#[component]
pub fn AnsNotices() -> impl IntoView {
    let notices = Resource::new(|| (), |_| ans_notices());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                notices.await.ok().filter(|list| !list.is_empty()).map(|list| view! {
                    <aside class="notice ans-notice" aria-label="Cambios en los tiempos de respuesta">
                        {list.into_iter().map(|notice| {
                            let heading = if notice.in_force {
                                format!("Desde el {} rigen nuevos tiempos de respuesta", notice.effective)
                            } else {
                                format!("A partir del {} cambian los tiempos de respuesta", notice.effective)
                            };
                            view! {
                                <h2>{heading}</h2>
                                <ul>{notice.summary.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                                <p>{notice.note}</p>
                                <p class="meta">"Sus solicitudes ya radicadas conservan los tiempos con los que se radicaron."</p>
                            }
                        }).collect_view()}
                    </aside>
                })
            })}
        </Transition>
    }
}
