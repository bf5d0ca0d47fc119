//! Customer self-registration (seed 002 §5.2.2) with the Habeas Data authorization
//! (Ley 1581 de 2012 art. 9 and 12): the notice is shown before the submit button and the
//! consent box starts unchecked and is required.

use leptos::prelude::*;
use ventanilla::document::DocumentType;

use crate::accounts::api::account::{get_organization, Register};
use crate::accounts::pages::policy::DataNotice;
use crate::ui::feedback::{action_error, go_on_success, ErrorNotice, QueryError};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    go_on_success(action.value());
    let org = Resource::new(|| (), |_| get_organization());
    view! {
        <section class="narrow">
            <h1>"Crear cuenta"</h1>
            <QueryError />
            <ActionForm action=action attr:class="form">
                <fieldset>
                    <legend>"Identificación"</legend>
                    <label>
                        "Tipo de documento"
                        <select name="document_type" required>
                            {DocumentType::ALL
                                .iter()
                                .map(|kind| view! { <option value=kind.code()>{kind.label_es()}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label>
                        "Número de documento"
                        <input name="document_number" type="text" inputmode="text" required maxlength="20"
                            autocomplete="off" />
                        <small>"Para NIT escriba el número con su dígito de verificación, por ejemplo 900123456-8."</small>
                    </label>
                    <label>
                        "Nombre completo o razón social"
                        <input name="full_name" type="text" autocomplete="name" required maxlength="150" />
                    </label>
                </fieldset>
                <fieldset>
                    <legend>"Contacto"</legend>
                    <label>
                        "Correo electrónico"
                        <input name="email" type="email" autocomplete="email" required maxlength="254" />
                    </label>
                    <label>
                        "Celular"
                        <input name="phone" type="tel" inputmode="tel" autocomplete="tel" required maxlength="20"
                            placeholder="300 123 4567" />
                        <small>"Le avisaremos por WhatsApp de las respuestas a sus solicitudes."</small>
                    </label>
                    <label>
                        "Dirección"
                        <input name="address" type="text" autocomplete="street-address" required maxlength="200" />
                    </label>
                </fieldset>
                <fieldset>
                    <legend>"Contraseña"</legend>
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
                </fieldset>
                <fieldset class="consent">
                    <legend>"Autorización de tratamiento de datos personales"</legend>
                    <div class="notice-text">
                        <Suspense fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                            {move || Suspend::new(async move {
                                match org.await {
                                    Ok(org) => view! { <DataNotice org /> }.into_any(),
                                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                                }
                            })}
                        </Suspense>
                        <p><a href="/politica-de-datos" target="_blank">"Leer la política completa"</a></p>
                    </div>
                    <label class="check">
                        <input name="consent" type="checkbox" value="si" required />
                        "Autorizo de manera previa, expresa e informada el tratamiento de mis datos personales para las finalidades descritas."
                    </label>
                </fieldset>
                {action_error(action.value())}
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creando cuenta…" } else { "Crear cuenta" }}
                </button>
            </ActionForm>
            <p>"¿Ya tiene cuenta? " <a href="/ingresar">"Ingrese aquí"</a></p>
        </section>
    }
}
