//! Ventanilla's web application: the Leptos components and routes, the server functions
//! they call, and (under the `ssr` feature) the persistence and services behind them.

pub mod api;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod timers;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::nav::SiteHeader;
use pages::{
    home::HomePage, new_request::NewRequestPage, not_found::NotFound, policy::DataPolicyPage,
    portal::PortalPage, profile::ProfilePage, register::RegisterPage, request_page::RequestPage,
    sign_in::SignInPage, staff_request::StaffRequestPage, staff_users::StaffUsersPage,
    workspace::WorkspacePage,
};

/// An instant as people in Colombia read it, in the browser as on the server.
pub fn local_time(epoch: i64) -> String {
    chrono::DateTime::from_timestamp(epoch, 0)
        .map(|d| {
            d.with_timezone(&ventanilla::calendar::bogota())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="es">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5cab" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    components::nav::provide_current_user();
    components::live::provide_live();
    components::sla_timer::provide_ticker();
    // Effects run only in the browser, after hydration: the end-to-end tests wait for this
    // mark before they click, so they exercise the hydrated page.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/ventanilla.css" />
        <Title text="Ventanilla — atención al cliente" />
        <Router>
            <SiteHeader />
            <main class="page">
                <ErrorBoundary fallback=|errors| {
                    view! {
                        <section class="narrow" role="alert">
                            <h1>"Algo salió mal"</h1>
                            <ul>
                                {move || {
                                    errors
                                        .get()
                                        .into_iter()
                                        .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                                        .collect_view()
                                }}
                            </ul>
                            <a class="button" href="/">"Volver al inicio"</a>
                        </section>
                    }
                }>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/registro") view=RegisterPage />
                    <Route path=path!("/ingresar") view=SignInPage />
                    <Route path=path!("/ingresar/recuperar") view=pages::password::ForgotPasswordPage />
                    <Route path=path!("/contrasena/:token") view=pages::password::SetPasswordPage />
                    <Route path=path!("/politica-de-datos") view=DataPolicyPage />
                    <Route path=path!("/portal") view=PortalPage />
                    <Route path=path!("/portal/nueva") view=NewRequestPage />
                    <Route path=path!("/portal/solicitudes/:radicado") view=RequestPage />
                    <Route path=path!("/perfil") view=ProfilePage />
                    <Route path=path!("/equipo") view=WorkspacePage />
                    <Route path=path!("/equipo/solicitudes/:radicado") view=StaffRequestPage />
                    <Route path=path!("/equipo/usuarios") view=StaffUsersPage />
                    <Route path=path!("/equipo/plantillas") view=pages::canned_answers::CannedAnswersPage />
                    <Route path=path!("/equipo/catalogo") view=pages::catalogue::CataloguePage />
                    <Route path=path!("/equipo/nueva") view=pages::on_behalf::OnBehalfPage />
                    <Route path=path!("/equipo/llaves") view=pages::api_keys::ApiKeysPage />
                    <Route path=path!("/equipo/notificaciones") view=pages::notifications::NotificationsPage />
                    <Route path=path!("/encuesta/:token") view=pages::survey::SurveyPage />
                    <Route path=path!("/campana/:token") view=pages::campaign_survey::CampaignSurveyPage />
                    <Route path=path!("/portal/campanas/:id") view=pages::campaign_survey::MyCampaignSurveyPage />
                    <Route path=path!("/equipo/campanas") view=pages::campaigns::CampaignsPage />
                    <Route path=path!("/equipo/campanas/:id") view=pages::campaigns::CampaignPage />
                    <Route path=path!("/equipo/detractores") view=pages::detractors::DetractorsPage />
                    <Route path=path!("/equipo/resultados") view=pages::survey_results::SurveyResultsPage />
                    <Route path=path!("/equipo/detractores/importar") view=pages::detractor_import::DetractorImportPage />
                    <Route path=path!("/equipo/detractores/perfiles") view=pages::recovery_profiles::RecoveryProfilesPage />
                    <Route path=path!("/equipo/detractores/:id") view=pages::detractors::RecoveryCasePage />
                </Routes>
                </ErrorBoundary>
            </main>
        </Router>
    }
}
