//! A real 404: the right status on the server render, and a way back.

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="narrow">
            <h1>"Página no encontrada"</h1>
            <p>"La dirección que abrió no existe o cambió."</p>
            <a class="button" href="/">"Ir al inicio"</a>
        </section>
    }
}
