//! The admin's list of staff users, the creation of one (seed 002 §3: roles of the desk),
//! switching a person's access off and on, sending them a password link (seed 001 §5.1), and
//! sending all of a new asesor's answers to quality review (seed 002 §4).

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use ventanilla::role::Role;

use crate::accounts::model::StaffMember;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    accounts::server::{accounts, session, staff_access},
    platform::audit::Actor,
};

/// Staff users. Admins only.
#[server(endpoint = "equipo/usuarios")]
pub async fn staff_members() -> Result<Vec<StaffMember>, AppError> {
    session::as_role(&[Role::Admin], |state, admin| async move {
        accounts::list_staff(&state.pool, &admin.id).await
    })
    .await
}

/// An admin creates a staff user with a role and an initial password.
#[server(endpoint = "equipo/usuarios/crear")]
pub async fn create_staff_member(
    full_name: String,
    email: String,
    role: String,
    password: String,
) -> Result<StaffMember, AppError> {
    session::as_role(&[Role::Admin], |state, admin| async move {
        let role = Role::from_code(&role)
            .ok_or_else(|| AppError::validation("Elija un rol de la lista."))?;
        accounts::create_staff(
            &state.pool,
            &Actor::user(&admin.id, &admin.full_name),
            role,
            &full_name,
            &email,
            &password,
        )
        .await
    })
    .await
}

/// An admin switches a staff member's access off (`active` = "no", with the reason) or back
/// on; returns what happened, in words.
#[server(endpoint = "equipo/usuarios/acceso")]
pub async fn set_staff_member_access(
    user_id: String,
    active: String,
    reason: Option<String>,
) -> Result<String, AppError> {
    session::as_role(&[Role::Admin], |state, admin| async move {
        let active = match active.as_str() {
            "si" => true,
            "no" => false,
            _ => return Err(AppError::validation("Elija activar o desactivar el acceso.")),
        };
        let returned = staff_access::set_active(
            &state,
            &admin,
            &user_id,
            active,
            reason.as_deref().unwrap_or_default(),
        )
        .await?;
        Ok(match (active, returned) {
            (true, _) => "Acceso reactivado.".to_string(),
            (false, 0) => "Acceso desactivado y sesiones cerradas.".to_string(),
            (false, n) => format!(
                "Acceso desactivado y sesiones cerradas. {n} solicitud(es) abiertas volvieron a «Sin asignar»."
            ),
        })
    })
    .await
}

/// An admin sends every answer of a staff member to quality review (`todas` = "si") or back
/// to the ANS's share ("no"); returns what happened, in words.
#[server(endpoint = "equipo/usuarios/revision")]
pub async fn set_staff_member_review(user_id: String, todas: String) -> Result<String, AppError> {
    session::as_role(&[Role::Admin], |state, admin| async move {
        let all = match todas.as_str() {
            "si" => true,
            "no" => false,
            _ => {
                return Err(AppError::validation(
                    "Elija revisar todas o volver a la muestra.",
                ))
            }
        };
        staff_access::set_review_all(&state, &admin, &user_id, all).await
    })
    .await
}

/// An admin sends a staff member a link to set their password.
#[server(endpoint = "equipo/usuarios/enlace")]
pub async fn send_staff_password_link(user_id: String) -> Result<String, AppError> {
    session::as_role(&[Role::Admin], |state, admin| async move {
        staff_access::send_password_link(&state, &admin, &user_id).await
    })
    .await
}
