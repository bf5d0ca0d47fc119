//! Admins create staff users, see who is on the team, switch a person's access off and on
//! and send them a link to set their password (seed 001 §5.1).

use leptos::prelude::*;
use ventanilla::role::Role;

use crate::accounts::api::staff_users::{
    staff_members, CreateStaffMember, SendStaffPasswordLink, SetStaffMemberAccess,
    SetStaffMemberReview,
};
use crate::accounts::model::StaffMember;
use crate::ui::feedback::{action_error, action_outcome, ErrorNotice, QueryError};

#[component]
pub fn StaffUsersPage() -> impl IntoView {
    let create = ServerAction::<CreateStaffMember>::new();
    let access = ServerAction::<SetStaffMemberAccess>::new();
    let link = ServerAction::<SendStaffPasswordLink>::new();
    let review = ServerAction::<SetStaffMemberReview>::new();
    let members = Resource::new(
        move || {
            (
                create.version().get(),
                access.version().get(),
                review.version().get(),
            )
        },
        |_| staff_members(),
    );
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
                                        <tr><th scope="col">"Nombre"</th><th scope="col">"Correo"</th><th scope="col">"Rol"</th><th scope="col">"Estado"</th><th scope="col">"Revisión de calidad"</th><th scope="col">"Acceso"</th></tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|m| (m.clone(), m))
                                            .map(|(member, m)| view! {
                                                <tr>
                                                    <td>{m.full_name}</td>
                                                    <td>{m.email}</td>
                                                    <td>{m.role.label_es()}</td>
                                                    <td>{if m.active { "Activo" } else { "Inactivo" }}</td>
                                                    <td><MemberReview member=member.clone() review /></td>
                                                    <td><MemberAccess member access link /></td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {action_outcome(access.value())}
                            {action_outcome(link.value())}
                            {action_outcome(review.value())}
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

/// Whether all of a person's answers go to quality review, with the switch: for a new
/// asesor, above the ANS's share (seed 002 §4 sets a minimum).
#[component]
fn MemberReview(member: StaffMember, review: ServerAction<SetStaffMemberReview>) -> impl IntoView {
    let (state, label, next, button) = if member.review_all {
        (
            "Todas sus respuestas",
            format!("Volver a la muestra del ANS para {}", member.full_name),
            "no",
            "Según el ANS",
        )
    } else {
        (
            "Muestra del ANS",
            format!("Revisar todas las respuestas de {}", member.full_name),
            "si",
            "Revisar todas",
        )
    };
    view! {
        <span class="meta">{state}</span>
        <ActionForm action=review attr:class="inline">
            <input type="hidden" name="user_id" value=member.id />
            <input type="hidden" name="todas" value=next />
            <button type="submit" class="secondary" aria-label=label>{button}</button>
        </ActionForm>
    }
}

/// The access controls of one person: switch off (with the reason), switch back on, send
/// a password link. Nothing for the admin's own row: they cannot lock themselves out.
#[component]
fn MemberAccess(
    member: StaffMember,
    access: ServerAction<SetStaffMemberAccess>,
    link: ServerAction<SendStaffPasswordLink>,
) -> impl IntoView {
    if member.me {
        return view! { <span class="meta">"Usted"</span> }.into_any();
    }
    let name = member.full_name.clone();
    if !member.active {
        return view! {
            <ActionForm action=access>
                <input type="hidden" name="user_id" value=member.id.clone() />
                <input type="hidden" name="active" value="si" />
                <button type="submit" class="secondary" aria-label=format!("Reactivar el acceso de {name}")>"Reactivar"</button>
            </ActionForm>
        }
        .into_any();
    }
    let (id_off, id_link) = (member.id.clone(), member.id);
    let (name_off, name_link) = (name.clone(), name);
    view! {
        <details class="member-access">
            <summary>"Desactivar o enviar enlace"</summary>
            <ActionForm action=access attr:class="form narrow">
                <input type="hidden" name="user_id" value=id_off />
                <input type="hidden" name="active" value="no" />
                <label>
                    "Motivo de la desactivación"
                    <input name="reason" type="text" required minlength="5" maxlength="500" />
                </label>
                <button type="submit" class="danger" aria-label=format!("Desactivar acceso de {name_off}")>"Desactivar acceso"</button>
            </ActionForm>
            <ActionForm action=link>
                <input type="hidden" name="user_id" value=id_link />
                <button type="submit" class="secondary" aria-label=format!("Enviar enlace de contraseña a {name_link}")>"Enviar enlace de contraseña"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}
