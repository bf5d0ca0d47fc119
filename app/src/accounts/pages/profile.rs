//! The profile page: update contact data (seed 002 §5.2.4), change the password, and — for a
//! customer — download all their data (Ley 1581 art. 14).

use leptos::prelude::*;

use crate::accounts::api::account::{my_profile, ChangePassword, UpdateProfile};
use crate::accounts::model::Profile;
use crate::ui::feedback::{action_error, ErrorNotice, QueryError};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| my_profile());
    view! {
        <section class="narrow">
            <h1>"Mi perfil"</h1>
            <QueryError />
            <Suspense fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(profile) => {
                            let customer = profile.document.is_some();
                            view! {
                                <ProfileForm profile />
                                <PasswordForm />
                                {customer.then(|| view! { <MyData /> })}
                            }
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
fn ProfileForm(profile: Profile) -> impl IntoView {
    let action = ServerAction::<UpdateProfile>::new();
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    // The change waiting for confirmation: the latest answer's, else the loaded profile's.
    let loaded_pending = profile.pending_email.clone();
    let pending = move || match action.value().get() {
        Some(Ok(updated)) => updated.pending_email,
        _ => loaded_pending.clone(),
    };
    view! {
        {profile.document.map(|d| view! { <p class="meta">"Documento: " {d}</p> })}
        <ActionForm action=action attr:class="form">
            <label>
                "Nombre completo o razón social"
                <input name="full_name" type="text" required maxlength="150" value=profile.full_name />
            </label>
            <label>
                "Correo electrónico"
                <input name="email" type="email" required maxlength="254" value=profile.email />
            </label>
            <label>
                "Contraseña actual (solo si cambia el correo)"
                <input name="current_password" type="password" autocomplete="current-password" maxlength="128" />
            </label>
            <label>
                "Celular"
                <input name="phone" type="tel" maxlength="20" value=profile.phone />
            </label>
            <label>
                "Dirección"
                <input name="address" type="text" maxlength="200" value=profile.address />
            </label>
            {action_error(action.value())}
            <Show when=saved>
                <p class="success" role="status">"Sus datos quedaron actualizados."</p>
            </Show>
            {move || pending().map(|email| view! {
                <p class="notice pending-email">
                    {format!("Le enviamos un enlace a {email}: su correo cambiará cuando lo abra (vence en 24 horas).")}
                </p>
            })}
            <button type="submit" disabled=move || action.pending().get()>"Guardar cambios"</button>
        </ActionForm>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <h2>"Cambiar contraseña"</h2>
        <ActionForm action=action attr:class="form">
            <label>
                "Contraseña actual"
                <input name="current_password" type="password" autocomplete="current-password" required maxlength="128" />
            </label>
            <label>
                "Contraseña nueva (8 a 128 caracteres)"
                <input name="new_password" type="password" autocomplete="new-password" required minlength="8" maxlength="128" />
            </label>
            <label>
                "Confirme la contraseña nueva"
                <input name="new_password_confirmation" type="password" autocomplete="new-password" required minlength="8"
                    maxlength="128" />
            </label>
            {action_error(action.value())}
            <Show when=saved>
                <p class="success" role="status">"Contraseña cambiada. Se cerraron sus otras sesiones."</p>
            </Show>
            <button type="submit" disabled=move || action.pending().get()>"Cambiar contraseña"</button>
        </ActionForm>
    }
}

/// Ley 1581 art. 14: the data subject may get all the data held about them, at any time and
/// free of charge. A plain link: the server builds the ZIP (`accounts::server::data_export`).
#[component]
fn MyData() -> impl IntoView {
    view! {
        <h2>"Mis datos personales"</h2>
        <p class="meta">
            "Descargue en un archivo ZIP todo lo que guardamos sobre usted: su perfil, las autorizaciones "
            "de tratamiento de datos que aceptó, sus solicitudes con sus conversaciones y archivos, y sus "
            "respuestas a encuestas (Ley 1581 de 2012)."
        </p>
        <p><a class="button secondary" href="/perfil/mis-datos.zip" download="mis-datos-ventanilla.zip">"Descargar mis datos (ZIP)"</a></p>
    }
}
