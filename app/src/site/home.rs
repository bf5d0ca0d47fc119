//! The landing page: what this is and where to go.

use leptos::prelude::*;

use crate::accounts::nav::use_current_user;

#[component]
pub fn HomePage() -> impl IntoView {
    let user = use_current_user();
    view! {
        <section class="hero">
            <h1>"Atención al cliente"</h1>
            <p>
                "Radique peticiones, quejas, reclamos, sugerencias, denuncias y felicitaciones, "
                "siga su trámite y reciba respuesta dentro de los términos de ley."
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) => view! {
                            <a class="button" href=user.home_path()>"Continuar"</a>
                        }
                        .into_any(),
                        _ => view! {
                            <div class="actions">
                                <a class="button" href="/ingresar">"Ingresar"</a>
                                <a class="button secondary" href="/registro">"Crear cuenta"</a>
                            </div>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="cards">
            <article>
                <h2>"Respuesta a tiempo"</h2>
                <p>"Cada solicitud tiene su radicado, su tiempo de primera respuesta y su término legal (Ley 1755 de 2015)."</p>
            </article>
            <article>
                <h2>"Desde su celular"</h2>
                <p>"Adjunte fotos y documentos, responda y cierre sus solicitudes desde el teléfono."</p>
            </article>
            <article>
                <h2>"Sus datos protegidos"</h2>
                <p>
                    "Tratamos sus datos según la Ley 1581 de 2012. "
                    <a href="/politica-de-datos">"Conozca la política"</a>
                </p>
            </article>
        </section>
    }
}
