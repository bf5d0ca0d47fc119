//! The site header: separate navigation for customers (portal) and staff (workspace).

use leptos::prelude::*;
use leptos_router::components::A;
use ventanilla::role::Role;

use crate::accounts::api::account::{current_user, SignOut};
use crate::accounts::model::SessionUser;
use crate::error::AppError;
use crate::ui::feedback::go_on_success;

pub type CurrentUser = Resource<Result<Option<SessionUser>, AppError>>;

/// Loads the signed-in user once per page load and shares it with every component.
pub fn provide_current_user() {
    let user: CurrentUser = Resource::new(|| (), |_| current_user());
    provide_context(user);
}

pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let user = use_current_user();
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Ventanilla"</a>
            <nav aria-label="Principal">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(user)) => view! { <SignedInLinks user /> }.into_any(),
                            _ => view! {
                                <A href="/ingresar">"Ingresar"</A>
                                <A href="/registro">"Crear cuenta"</A>
                            }
                            .into_any(),
                        }
                    })}
                </Suspense>
            </nav>
        </header>
    }
}

#[component]
fn SignedInLinks(user: SessionUser) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    go_on_success(sign_out.value());
    let links = if user.role.is_staff() {
        view! {
            <A href="/equipo">"Espacio de trabajo"</A>
            <A href="/equipo/detractores">"Detractores"</A>
            {matches!(user.role, Role::Asesor | Role::Supervisor | Role::Admin)
                .then(|| view! {
                    <A href="/equipo/nueva">"Registrar solicitud"</A>
                    <A href="/equipo/clientes">"Clientes"</A>
                })}
            {(user.role == Role::Admin).then(|| view! {
                <A href="/equipo/usuarios">"Usuarios"</A>
                <A href="/equipo/llaves">"Llaves de API"</A>
                <A href="/equipo/ans">"ANS"</A>
            })}
            {matches!(user.role, Role::Admin | Role::Supervisor)
                .then(|| view! {
                    <A href="/equipo/indicadores">"Indicadores"</A>
                    <A href="/equipo/llamadas">"Llamadas"</A>
                    <A href="/equipo/resultados">"Resultados"</A>
                    <A href="/equipo/campanas">"Campañas"</A>
                    <A href="/equipo/notificaciones">"Notificaciones"</A>
                })}
            {matches!(user.role, Role::Admin | Role::Supervisor)
                .then(|| view! {
                    <A href="/equipo/plantillas">"Plantillas"</A>
                    <A href="/equipo/catalogo">"Catálogo"</A>
                })}
        }
        .into_any()
    } else {
        view! { <A href="/portal">"Mis solicitudes"</A> }.into_any()
    };
    view! {
        {links}
        <A href="/perfil">"Mi perfil"</A>
        <crate::live::client::LiveIndicator />
        <span class="who" title=user.email.clone()>
            {user.full_name.clone()}
            <small>{user.role.label_es()}</small>
        </span>
        <ActionForm action=sign_out attr:class="inline">
            <button type="submit" class="link">"Salir"</button>
        </ActionForm>
    }
}
