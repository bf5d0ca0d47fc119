//! The personal-data policy page linked from the registration form (Decreto 1377 art. 13).

use leptos::prelude::*;

use crate::accounts::api::account::get_organization;
use crate::accounts::policy::{notice, DATA_POLICY_VERSION};
use crate::ui::feedback::ErrorNotice;

#[component]
pub fn DataPolicyPage() -> impl IntoView {
    let org = Resource::new(|| (), |_| get_organization());
    view! {
        <section class="narrow">
            <h1>"Política de tratamiento de datos personales"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match org.await {
                        Ok(org) => view! { <DataNotice org /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p class="muted">"Versión " {DATA_POLICY_VERSION}</p>
        </section>
    }
}

/// The Ley 1581 art. 12 information, shared by this page and the registration form.
#[component]
pub fn DataNotice(org: crate::organization::Organization) -> impl IntoView {
    notice(&org)
        .into_iter()
        .map(|section| {
            view! {
                <h3>{section.title}</h3>
                <p>{section.body}</p>
            }
        })
        .collect_view()
}
