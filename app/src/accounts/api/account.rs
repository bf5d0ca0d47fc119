//! Registration, sign-in and out, the current user, the profile.

use leptos::prelude::*;

use crate::error::AppError;
use crate::{
    accounts::model::{PasswordLinkView, Profile, SessionUser},
    organization::Organization,
};

#[cfg(feature = "ssr")]
use crate::{
    accounts::server::{accounts, password_links, session},
    platform::respond::{navigate_after, respond},
    state::app_state,
};

/// The signed-in user, or `None` for a visitor. Not an error: the shell renders for both.
#[server(endpoint = "sesion")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    respond(async { session::current_user(&app_state()?).await }.await)
}

/// The Responsable's identity for the personal-data notice (Ley 1581 art. 12 d).
#[server(endpoint = "organizacion")]
pub async fn get_organization() -> Result<Organization, AppError> {
    respond(app_state().map(|state| state.config.organization.clone()))
}

/// Customer self-registration (seed 002 §5.2.2). On success the customer is signed in and
/// the path of their portal is returned.
#[server(endpoint = "registro")]
pub async fn register(
    document_type: String,
    document_number: String,
    full_name: String,
    email: String,
    phone: String,
    address: String,
    password: String,
    password_confirmation: String,
    consent: Option<String>,
) -> Result<String, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = accounts::register(
                &state,
                accounts::Registration {
                    document_type,
                    document_number,
                    full_name,
                    email,
                    phone,
                    address,
                    password,
                    password_confirmation,
                    consent: consent.is_some_and(|v| !v.is_empty() && v != "false"),
                },
            )
            .await?;
            navigate_after(user.home_path());
            Ok(user.home_path().to_string())
        }
        .await,
    )
}

/// Sign-in with document number or e-mail; returns where to go next.
#[server(endpoint = "ingresar")]
pub async fn sign_in(login: String, password: String) -> Result<String, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user = accounts::sign_in(&state, &login, &password).await?;
            navigate_after(user.home_path());
            Ok(user.home_path().to_string())
        }
        .await,
    )
}

#[server(endpoint = "salir")]
pub async fn sign_out() -> Result<String, AppError> {
    respond(
        async {
            session::end(&app_state()?).await?;
            navigate_after("/");
            Ok("/".to_string())
        }
        .await,
    )
}

#[server(endpoint = "perfil")]
pub async fn my_profile() -> Result<Profile, AppError> {
    session::signed_in(|state, user| async move { accounts::profile(&state, &user).await }).await
}

/// Seed 002 §5.2.4: update name, e-mail, phone and address. A new e-mail needs the current
/// password and is confirmed from the link sent to it (`email_change`).
#[server(endpoint = "perfil/actualizar")]
pub async fn update_profile(
    full_name: String,
    email: String,
    phone: String,
    address: String,
    current_password: Option<String>,
) -> Result<Profile, AppError> {
    session::signed_in(|state, user| async move {
        accounts::update_profile(
            &state,
            &user,
            &full_name,
            &email,
            &phone,
            &address,
            current_password.as_deref().unwrap_or_default(),
        )
        .await
    })
    .await
}

/// Confirms an e-mail change from the link sent to the new address; returns the address.
/// Anyone holding the link may confirm it: the link is the proof of owning the mailbox.
#[server(endpoint = "correo/confirmar")]
pub async fn confirm_email_change(token: String) -> Result<String, AppError> {
    respond(
        async {
            let state = app_state()?;
            crate::accounts::server::email_change::confirm(&state, &token).await
        }
        .await,
    )
}

#[server(endpoint = "perfil/contrasena")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirmation: String,
) -> Result<(), AppError> {
    session::signed_in(|state, user| async move {
        accounts::change_password(
            &state,
            &user,
            &current_password,
            &new_password,
            &new_password_confirmation,
        )
        .await
    })
    .await
}

/// "¿Olvidó su contraseña?": e-mails a link to the customer with that address, if any. The
/// answer is the same sentence whether or not the address has an account.
#[server(endpoint = "contrasena/olvido")]
pub async fn forgot_password(email: String) -> Result<String, AppError> {
    respond(
        async {
            let state = app_state()?;
            password_links::request_reset(&state, &email).await
        }
        .await,
    )
}

/// What the page of a set-password link shows. Opening the link changes nothing.
#[server(endpoint = "contrasena/enlace")]
pub async fn password_link(token: String) -> Result<PasswordLinkView, AppError> {
    respond(
        async {
            let state = app_state()?;
            password_links::status(&state, &token).await
        }
        .await,
    )
}

/// Sets the password with the e-mailed link and signs the customer in; returns where to go.
#[server(endpoint = "contrasena/crear")]
pub async fn set_password(
    token: String,
    password: String,
    password_confirmation: String,
) -> Result<String, AppError> {
    respond(
        async {
            let state = app_state()?;
            let user =
                password_links::set_password(&state, &token, &password, &password_confirmation)
                    .await?;
            navigate_after(user.home_path());
            Ok(user.home_path().to_string())
        }
        .await,
    )
}
