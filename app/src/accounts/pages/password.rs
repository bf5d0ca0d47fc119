//! Setting a password with an e-mailed link: the first one of an account created on the
//! customer's behalf, or a new one after "¿Olvidó su contraseña?" (see
//! `ssr::password_links`). Both are plain forms that work before the WebAssembly loads, on a
//! phone first: the link is opened from the mail app.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::accounts::api::account::{password_link, ForgotPassword, SetPassword};
use crate::ui::feedback::{action_error, go_on_success, ErrorNotice, QueryError};

/// `/ingresar/recuperar`: asks for the e-mail and says the same thing whatever it is.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    view! {
        <section class="narrow">
            <h1>"¿Olvidó su contraseña?"</h1>
            <p>"Escriba el correo electrónico de su cuenta y le enviaremos un enlace para crear una contraseña nueva."</p>
            <QueryError />
            <ActionForm action=action attr:class="form">
                <label>
                    "Correo electrónico"
                    <input name="email" type="email" autocomplete="email" required maxlength="254" />
                </label>
                {action_error(action.value())}
                {move || {
                    action
                        .value()
                        .get()
                        .and_then(Result::ok)
                        .map(|message| view! { <p class="success" role="status">{message}</p> })
                }}
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Enviando…" } else { "Enviar enlace" }}
                </button>
            </ActionForm>
            <p><a href="/ingresar">"Volver a ingresar"</a></p>
        </section>
    }
}

/// `/contrasena/:token`: the form when the link works, the reason when it does not.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, password_link);
    view! {
        <section class="narrow">
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(view) if view.valid => view! {
                            <SetPasswordForm token=token() name=view.name creating=view.creating />
                        }
                        .into_any(),
                        Ok(view) => view! {
                            <h1>"Enlace no disponible"</h1>
                            <p class="alert" role="alert">{view.problem}</p>
                            <p><a class="button" href="/ingresar/recuperar">"Pedir un enlace nuevo"</a></p>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SetPasswordForm(token: String, name: String, creating: bool) -> impl IntoView {
    let action = ServerAction::<SetPassword>::new();
    go_on_success(action.value());
    view! {
        <h1>{if creating { "Crear su contraseña" } else { "Crear una contraseña nueva" }}</h1>
        <p>{format!("Hola, {name}. ")}
            {if creating {
                "Su cuenta ya tiene sus solicitudes; con esta contraseña podrá entrar al portal a seguirlas."
            } else {
                "Escriba su contraseña nueva; la anterior dejará de servir."
            }}
        </p>
        <QueryError />
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="token" value=token />
            <label>
                "Contraseña (8 a 128 caracteres)"
                <input name="password" type="password" autocomplete="new-password" required minlength="8"
                    maxlength="128" />
            </label>
            <label>
                "Confirme la contraseña"
                <input name="password_confirmation" type="password" autocomplete="new-password" required
                    minlength="8" maxlength="128" />
            </label>
            {action_error(action.value())}
            <button type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Guardando…" } else { "Guardar contraseña" }}
            </button>
        </ActionForm>
    }
}

/// `/correo/:token`: confirms a new e-mail from the link sent to it. A button, not the visit
/// itself: mail scanners open links on their own, and that must not change anything.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<crate::accounts::api::account::ConfirmEmailChange>::new();
    view! {
        <section class="narrow">
            <h1>"Confirmar su correo nuevo"</h1>
            {move || match action.value().get() {
                Some(Ok(email)) => view! {
                    <p class="success" role="status">{format!("Listo: desde ahora le escribiremos a {email}.")}</p>
                    <p><a class="button" href="/ingresar">"Ingresar"</a></p>
                }
                .into_any(),
                _ => view! {
                    <p>"Confirme que este es el correo en el que quiere recibir los avisos de sus solicitudes."</p>
                    <ActionForm action=action attr:class="form">
                        <input type="hidden" name="token" value=token />
                        {action_error(action.value())}
                        <button type="submit" disabled=move || action.pending().get()>"Confirmar el cambio de correo"</button>
                    </ActionForm>
                }
                .into_any(),
            }}
        </section>
    }
}
