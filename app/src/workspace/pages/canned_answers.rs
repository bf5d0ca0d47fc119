//! Supervisors and admins keep the canned answers (plantillas, agent-workspace requirement): create, edit,
//! deactivate and reactivate. The placeholders the server can fill are listed beside the
//! form; any other one is refused when saving.

use leptos::prelude::*;
use ventanilla::legal::RequestType;

use crate::ui::feedback::{action_error, ErrorNotice, QueryError};
use crate::workspace::api::canned_answers::{
    canned_answers, SaveCannedAnswer, SetCannedAnswerActive,
};
use crate::workspace::model::{CannedAnswer, CANNED_ANSWER_PLACEHOLDERS};

#[component]
pub fn CannedAnswersPage() -> impl IntoView {
    let save = ServerAction::<SaveCannedAnswer>::new();
    let toggle = ServerAction::<SetCannedAnswerActive>::new();
    let list = Resource::new(
        move || (save.version().get(), toggle.version().get()),
        |_| canned_answers(),
    );
    // The plantilla being edited; none: the form creates a new one.
    let editing = RwSignal::new(None::<CannedAnswer>);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            editing.set(None);
        }
    });
    view! {
        <section>
            <h1>"Plantillas de respuesta"</h1>
            <QueryError />
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p class="empty">"Aún no hay plantillas."</p> }.into_any(),
                        Ok(items) => view! { <CannedAnswerTable items toggle editing /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            <h2>{move || if editing.get().is_some() { "Editar plantilla" } else { "Nueva plantilla" }}</h2>
            <ActionForm action=save attr:class="form narrow">
                <input type="hidden" name="id" value=move || editing.get().map(|c| c.id).unwrap_or_default() />
                <label>
                    "Nombre"
                    <input name="name" type="text" required minlength="3" maxlength="120"
                        prop:value=move || editing.get().map(|c| c.name).unwrap_or_default() />
                </label>
                <label>
                    "Tipo de solicitud"
                    <select name="request_type"
                        prop:value=move || editing.get().and_then(|c| c.request_type).unwrap_or_default()>
                        <option value="">"Todos los tipos"</option>
                        {RequestType::ALL.iter().map(|t| view! { <option value=t.code()>{t.label_es()}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    "Texto"
                    <textarea name="body" rows="8" required maxlength="5000"
                        prop:value=move || editing.get().map(|c| c.body).unwrap_or_default()></textarea>
                </label>
                <p class="meta">"Campos que se llenan solos:"</p>
                <ul class="meta placeholders">
                    {CANNED_ANSWER_PLACEHOLDERS.iter().map(|(p, what)| view! { <li><code>{format!("{{{p}}}")}</code> " — " {*what}</li> }).collect_view()}
                </ul>
                {action_error(save.value())}
                <button type="submit" disabled=move || save.pending().get()>"Guardar plantilla"</button>
                {move || editing.get().is_some().then(|| view! {
                    <button type="button" class="link" on:click=move |_| editing.set(None)>"Cancelar la edición"</button>
                })}
            </ActionForm>
        </section>
    }
}

#[component]
fn CannedAnswerTable(
    items: Vec<CannedAnswer>,
    toggle: ServerAction<SetCannedAnswerActive>,
    editing: RwSignal<Option<CannedAnswer>>,
) -> impl IntoView {
    view! {
        {action_error(toggle.value())}
        <div class="table-wrap">
            <table class="canned-answers">
                <thead>
                    <tr><th>"Nombre"</th><th>"Tipo"</th><th>"Texto"</th><th>"Estado"</th><th>"Acciones"</th></tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|c| {
                        let for_edit = c.clone();
                        view! {
                            <tr>
                                <td>{c.name.clone()}</td>
                                <td>{c.request_type_label.clone()}</td>
                                <td class="body">{c.body.clone()}</td>
                                <td>{if c.active { "Activa" } else { "Inactiva" }}</td>
                                <td>
                                    <button type="button" class="link"
                                        on:click=move |_| editing.set(Some(for_edit.clone()))>"Editar"</button>
                                    <ActionForm action=toggle attr:class="inline">
                                        <input type="hidden" name="id" value=c.id.clone() />
                                        <input type="hidden" name="active" value=if c.active { "no" } else { "si" } />
                                        <button type="submit" class="link">
                                            {if c.active { "Desactivar" } else { "Activar" }}
                                        </button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
