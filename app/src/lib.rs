//! Ventanilla's web application: the Leptos components and routes, the server functions
//! they call, and (under the `ssr` feature) the persistence and services behind them.

pub mod accounts;
pub mod ans;
pub mod calls;
pub mod catalogue;
pub mod customers;
pub mod detractors;
#[cfg(feature = "ssr")]
pub mod dev;
pub mod error;
pub mod indicators;
pub mod live;
pub mod notify;
pub mod organization;
#[cfg(feature = "ssr")]
pub mod platform;
pub mod requests;
pub mod site;
#[cfg(feature = "ssr")]
pub mod startup;
#[cfg(feature = "ssr")]
pub mod state;
pub mod surveys;
pub mod tabular;
pub mod timers;
pub mod ui;
pub mod workspace;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use accounts::nav::SiteHeader;

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
    accounts::nav::provide_current_user();
    live::client::provide_live();
    ui::sla_timer::provide_ticker();
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
                <Routes fallback=ui::not_found::NotFound>
                    <Route path=path!("/") view=site::home::HomePage />
                    <Route path=path!("/registro") view=accounts::pages::register::RegisterPage />
                    <Route path=path!("/ingresar") view=accounts::pages::sign_in::SignInPage />
                    <Route path=path!("/ingresar/recuperar") view=accounts::pages::password::ForgotPasswordPage />
                    <Route path=path!("/contrasena/:token") view=accounts::pages::password::SetPasswordPage />
                    <Route path=path!("/correo/:token") view=accounts::pages::password::ConfirmEmailPage />
                    <Route path=path!("/politica-de-datos") view=accounts::pages::policy::DataPolicyPage />
                    <Route path=path!("/portal") view=site::portal::PortalPage />
                    <Route path=path!("/portal/nueva") view=requests::pages::new_request::NewRequestPage />
                    <Route path=path!("/portal/solicitudes/:radicado") view=requests::pages::request_page::RequestPage />
                    <Route path=path!("/perfil") view=accounts::pages::profile::ProfilePage />
                    <Route path=path!("/equipo") view=workspace::pages::queues::WorkspacePage />
                    <Route path=path!("/equipo/solicitudes/:radicado") view=workspace::pages::staff_request::StaffRequestPage />
                    <Route path=path!("/equipo/ans") view=ans::pages::settings::AnsSettingsPage />
                    <Route path=path!("/equipo/indicadores") view=indicators::pages::dashboard::IndicatorsPage />
                    <Route path=path!("/equipo/indicadores/detalle") view=indicators::pages::drill_down::DrillDownPage />
                    <Route path=path!("/equipo/indicadores/informe") view=indicators::pages::monthly::MonthlyReportPage />
                    <Route path=path!("/equipo/indicadores/metas") view=indicators::pages::goals::GoalsPage />
                    <Route path=path!("/equipo/llamadas") view=calls::pages::list::CallsPage />
                    <Route path=path!("/equipo/llamadas/importar") view=calls::pages::import::CallImportPage />
                    <Route path=path!("/equipo/clientes") view=customers::pages::directory::CustomersPage />
                    <Route path=path!("/equipo/clientes/importar") view=customers::pages::import::CustomerImportPage />
                    <Route path=path!("/equipo/clientes/:id") view=customers::pages::customer::CustomerPage />
                    <Route path=path!("/equipo/usuarios") view=accounts::pages::staff_users::StaffUsersPage />
                    <Route path=path!("/equipo/plantillas") view=workspace::pages::canned_answers::CannedAnswersPage />
                    <Route path=path!("/equipo/catalogo") view=catalogue::pages::catalogue::CataloguePage />
                    <Route path=path!("/equipo/nueva") view=workspace::pages::on_behalf::OnBehalfPage />
                    <Route path=path!("/equipo/llaves") view=accounts::pages::api_keys::ApiKeysPage />
                    <Route path=path!("/equipo/notificaciones") view=notify::pages::notifications::NotificationsPage />
                    <Route path=path!("/encuesta/:token") view=surveys::pages::survey::SurveyPage />
                    <Route path=path!("/campana/:token") view=surveys::pages::campaign_survey::CampaignSurveyPage />
                    <Route path=path!("/portal/campanas/:id") view=surveys::pages::campaign_survey::MyCampaignSurveyPage />
                    <Route path=path!("/equipo/campanas") view=surveys::pages::campaigns::CampaignsPage />
                    <Route path=path!("/equipo/campanas/:id") view=surveys::pages::campaigns::CampaignPage />
                    <Route path=path!("/equipo/detractores") view=detractors::pages::desk::DetractorsPage />
                    <Route path=path!("/equipo/resultados") view=surveys::pages::results::SurveyResultsPage />
                    <Route path=path!("/equipo/detractores/importar") view=detractors::pages::import::DetractorImportPage />
                    <Route path=path!("/equipo/detractores/perfiles") view=detractors::pages::profiles::RecoveryProfilesPage />
                    <Route path=path!("/equipo/detractores/:id") view=detractors::pages::desk::RecoveryCasePage />
                </Routes>
                </ErrorBoundary>
            </main>
        </Router>
    }
}
