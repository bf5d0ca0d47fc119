//! Sign-in with document number or e-mail (seed 002 §5.2.3).

use leptos::prelude::*;

use crate::accounts::api::account::SignIn;
use crate::ui::feedback::{action_error, go_on_success, QueryError};

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    go_on_success(action.value());
    view! {
        <section class="narrow">
            <h1>"Ingresar"</h1>
            <QueryError />
            <ActionForm action=action attr:class="form">
                <label>
                    "Documento o correo electrónico"
                    <input name="login" type="text" autocomplete="username" required maxlength="254" />
                </label>
                <label>
                    "Contraseña"
                    <input name="password" type="password" autocomplete="current-password" required maxlength="128" />
                </label>
                {action_error(action.value())}
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Ingresando…" } else { "Ingresar" }}
                </button>
            </ActionForm>
            <p><a href="/ingresar/recuperar">"¿Olvidó su contraseña?"</a></p>
            <p>"¿No tiene cuenta? " <a href="/registro">"Créela aquí"</a></p>
        </section>
    }
}
