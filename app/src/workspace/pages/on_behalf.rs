//! An agent registers a request on a customer's behalf (agent-workspace requirement; seed 001 §6: phone, e-mail
//! or in-person contacts): find the customer by document, or create the account with the
//! consent the customer gave through this channel, attach what the customer sent or handed
//! over (the portal's limits and checks), file, and read the radicado back to them.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use ventanilla::attachment::AttachmentKind;
use ventanilla::channel::Channel;
use ventanilla::document::DocumentType;
use ventanilla::legal::RequestType;
use ventanilla::sla::Priority;

use crate::ui::feedback::{ErrorNotice, QueryError};
use crate::ui::upload_form::UploadForm;
use crate::workspace::api::on_behalf::{find_customer, on_behalf_options};
use crate::{
    requests::model::{CustomerCard, OnBehalfFormOptions},
    ui::choice::Choice,
};

#[component]
pub fn OnBehalfPage() -> impl IntoView {
    let options = Resource::new(|| (), |_| on_behalf_options());
    let query = use_query_map();
    let filed = move || query.read().get("radicada").filter(|r| !r.is_empty());
    view! {
        <section class="narrow">
            <h1>"Registrar solicitud a nombre de un cliente"</h1>
            <p>"Para contactos por teléfono, correo electrónico o en persona. El cliente recibe la confirmación del radicado por correo."</p>
            {move || filed().map(|radicado| view! {
                <div class="success" role="status">
                    <p>
                        "Solicitud radicada con el número " <strong data-testid="radicado">{radicado.clone()}</strong>
                        ". Indíqueselo al cliente: con él puede consultarla."
                    </p>
                    <p>
                        <a href=format!("/equipo/solicitudes/{radicado}")>"Ver la solicitud"</a>
                        " · "
                        <a href="/equipo/nueva" rel="external">"Registrar otra"</a>
                    </p>
                </div>
            })}
            <QueryError />
            <Suspense fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match options.await {
                        Ok(options) => view! { <OnBehalfForm options /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn OnBehalfForm(options: OnBehalfFormOptions) -> impl IntoView {
    let document_type = RwSignal::new(DocumentType::Cc.code().to_string());
    let document_number = RwSignal::new(String::new());
    let lookup = Action::new(|(kind, number): &(String, String)| {
        let (kind, number) = (kind.clone(), number.clone());
        async move { find_customer(kind, number).await }
    });
    let card = move || lookup.value().get();
    let priorities = move || match card() {
        Some(Ok(Some(CustomerCard { priorities, .. }))) => priorities,
        _ => [Priority::Media, Priority::Baja]
            .iter()
            .map(|p| Choice::new(p.code(), p.label_es()))
            .collect(),
    };
    view! {
        <UploadForm action="/equipo/nueva/radicar".to_string() submit_label="Radicar">
            <fieldset>
                <legend>"Cliente"</legend>
                <label>
                    "Tipo de documento"
                    <select name="document_type" on:change=move |ev| document_type.set(event_target_value(&ev))>
                        {DocumentType::ALL
                            .iter()
                            .map(|t| view! { <option value=t.code()>{t.label_es()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Número de documento"
                    <input name="document_number" type="text" required maxlength="20" autocomplete="off"
                        on:input=move |ev| document_number.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="secondary"
                    on:click=move |_| { lookup.dispatch((document_type.get(), document_number.get())); }>
                    "Buscar cliente"
                </button>
                {move || match card() {
                    None => ().into_any(),
                    Some(Ok(Some(card))) => view! {
                        <p class="notice" data-testid="cliente">
                            "Cliente: " <strong>{card.name}</strong> " · " {card.email} " · " {card.tier}
                            {(!card.ans_guaranteed).then_some(" · sin garantía de ANS")}
                        </p>
                    }
                    .into_any(),
                    Some(Ok(None)) => view! {
                        <p class="notice warn">"No hay una cuenta con ese documento. Registre los datos del cliente para crearla:"</p>
                        <label>"Nombre o razón social" <input name="full_name" type="text" required maxlength="150" /></label>
                        <label>"Correo electrónico" <input name="email" type="email" required maxlength="254" /></label>
                        <label>"Celular (opcional)" <input name="phone" type="tel" maxlength="20" /></label>
                        <label class="check">
                            <input name="consent" type="checkbox" value="si" required />
                            " El cliente autorizó, por este canal, el tratamiento de sus datos personales según la "
                            <a href="/politica-de-datos" target="_blank">"política de datos"</a>
                            " (Ley 1581 de 2012)."
                        </label>
                    }
                    .into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                }}
            </fieldset>
            <label>
                "Canal"
                <select name="channel">
                    {Channel::ON_BEHALF
                        .iter()
                        .map(|c| view! { <option value=c.code()>{c.label_es()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Tipo de solicitud"
                <select name="request_type">
                    {RequestType::ALL
                        .iter()
                        .map(|t| view! { <option value=t.code()>{t.label_es()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Categoría"
                <select name="category_id">
                    <option value="">"Sin categoría"</option>
                    {options
                        .categories
                        .into_iter()
                        .map(|c| view! { <option value=c.code>{c.label}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Prioridad"
                <select name="priority">
                    {move || priorities()
                        .into_iter()
                        .map(|p| view! { <option value=p.code.clone() selected=p.code == "media">{p.label}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>"Asunto" <input name="subject" type="text" required minlength="5" maxlength="150" /></label>
            <label>
                "Descripción (lo que cuenta el cliente)"
                <textarea name="description" required minlength="10" maxlength="5000" rows="6"></textarea>
            </label>
            <label>
                "Adjuntos (opcional: lo que el cliente envió o entregó)"
                <input name="attachments" type="file" multiple accept=AttachmentKind::accept_attribute() />
                <small>
                    {format!(
                        "PDF, fotos, documentos de Office, texto o CSV. Máximo {} MB por archivo y {} MB en total.",
                        options.max_file_mb, options.max_message_mb
                    )}
                </small>
            </label>
            <input type="hidden" name="submission_token" value=options.submission_token />
        </UploadForm>
    }
}
