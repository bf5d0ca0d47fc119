//! Filing a request from the portal (seed 000 §5 a, seed 002 §5.2.5): type with its
//! explanation, category, subject, description, priority allowed by the tier, links and
//! attachments (photos from the phone's camera included).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::requests::api::load_filing_options;
use crate::requests::model::FilingOptions;
use crate::ui::feedback::{ErrorNotice, QueryError};
use crate::ui::upload_form::UploadForm;

#[component]
pub fn NewRequestPage() -> impl IntoView {
    let query = use_query_map();
    let related = move || query.read().get("relacionada");
    let options = Resource::new(related, load_filing_options);
    view! {
        <section class="narrow">
            <h1>"Nueva solicitud"</h1>
            <QueryError />
            <Suspense fallback=|| view! { <p class="loading">"Cargando el formulario…"</p> }>
                {move || Suspend::new(async move {
                    match options.await {
                        Ok(options) => view! { <FilingForm options /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FilingForm(options: FilingOptions) -> impl IntoView {
    let hints = options.types.clone();
    let chosen = RwSignal::new(
        options
            .types
            .first()
            .map(|t| t.code.clone())
            .unwrap_or_default(),
    );
    let hint = move || {
        hints
            .iter()
            .find(|t| t.code == chosen.get())
            .map(|t| t.hint.clone())
            .unwrap_or_default()
    };
    view! {
        {options.related.clone().map(|radicado| view! {
            <p class="notice">"Esta solicitud queda relacionada con la solicitud cerrada " <strong>{radicado}</strong> "."</p>
        })}
        {(!options.ans_guaranteed).then(|| view! {
            <p class="notice warn" role="note">
                "Su cuenta no tiene el servicio activo o tiene pagos pendientes: puede radicar, pero la solicitud "
                "queda sin garantía de ANS (tiempo de primera respuesta). El término legal de respuesta sí aplica."
            </p>
        })}
        <UploadForm action="/portal/solicitudes".to_string() submit_label="Radicar solicitud">
            <input type="hidden" name="submission_token" value=options.submission_token.clone() />
            <input type="hidden" name="related" value=options.related.clone().unwrap_or_default() />
            <label>
                "Tipo de solicitud"
                <select name="request_type" required on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {options
                        .types
                        .iter()
                        .map(|t| view! { <option value=t.code.clone()>{t.label.clone()}</option> })
                        .collect_view()}
                </select>
                <small class="type-hint">{hint}</small>
            </label>
            <label>
                "Categoría"
                <select name="category_id">
                    <option value="">"Sin categoría"</option>
                    {options
                        .categories
                        .iter()
                        .map(|c| view! { <option value=c.code.clone()>{c.label.clone()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Asunto"
                <input name="subject" type="text" required minlength="5" maxlength="150" />
            </label>
            <label>
                "Descripción"
                <textarea name="description" rows="6" required minlength="10" maxlength="5000"></textarea>
            </label>
            <label>
                "Prioridad (cliente " {options.tier.clone()} ")"
                <select name="priority">
                    {options
                        .priorities
                        .iter()
                        .map(|p| {
                            view! { <option value=p.code.clone() selected=p.code == "media">{p.label.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Enlaces (opcional, uno por línea)"
                <textarea name="links" rows="2" maxlength="5000" placeholder="https://…"></textarea>
            </label>
            <label>
                "Adjuntos (opcional)"
                <input name="attachments" type="file" multiple accept=options.accept.clone() />
                <small>
                    {format!(
                        "PDF, fotos, documentos de Office, texto o CSV. Máximo {} MB por archivo y {} MB en total.",
                        options.max_file_mb, options.max_message_mb
                    )}
                </small>
            </label>
        </UploadForm>
    }
}
