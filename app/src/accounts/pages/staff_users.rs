//! Admins create staff users and see who is on the team.

use leptos::prelude::*;
use ventanilla::role::Role;

use crate::accounts::api::staff_users::{staff_members, CreateStaffMember};
use crate::ui::feedback::{action_error, ErrorNotice, QueryError};

#[component]
pub fn StaffUsersPage() -> impl IntoView {
    let create = ServerAction::<CreateStaffMember>::new();
    let members = Resource::new(move || create.version().get(), |_| staff_members());
    view! {
        <section>
            <h1>"Usuarios del equipo"</h1>
            <QueryError />
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match members.await {
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table>
                                    <thead>
                                        <tr><th>"Nombre"</th><th>"Correo"</th><th>"Rol"</th><th>"Estado"</th></tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|m| view! {
                                                <tr>
                                                    <td>{m.full_name}</td>
                                                    <td>{m.email}</td>
                                                    <td>{m.role.label_es()}</td>
                                                    <td>{if m.active { "Activo" } else { "Inactivo" }}</td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <h2>"Crear usuario"</h2>
                            <ActionForm action=create attr:class="form narrow">
                                <label>"Nombre completo" <input name="full_name" type="text" required maxlength="150" /></label>
                                <label>"Correo electrónico" <input name="email" type="email" required maxlength="254" /></label>
                                <label>
                                    "Rol"
                                    <select name="role">
                                        {Role::ALL
                                            .iter()
                                            .filter(|role| role.is_staff())
                                            .map(|role| view! { <option value=role.code()>{role.label_es()}</option> })
                                            .collect_view()}
                                    </select>
                                </label>
                                <label>
                                    "Contraseña inicial (8 a 128 caracteres)"
                                    <input name="password" type="password" autocomplete="new-password" required minlength="8"
                                        maxlength="128" />
                                </label>
                                {action_error(create.value())}
                                <button type="submit" disabled=move || create.pending().get()>"Crear usuario"</button>
                            </ActionForm>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
