//! The admin's list of staff users and the creation of one (seed 002 §3: roles of the desk).

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use ventanilla::role::Role;

use crate::accounts::model::StaffMember;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    accounts::server::{accounts, session},
    platform::audit::Actor,
};

/// Staff users. Admins only.
#[server(endpoint = "equipo/usuarios")]
pub async fn staff_members() -> Result<Vec<StaffMember>, AppError> {
    session::as_role(&[Role::Admin], |state, _| async move {
        accounts::list_staff(&state.pool).await
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
