//! `/equipo/catalogo` (agent-workspace requirement): supervisors and admins keep the typification catalogue —
//! categories with the area each escalates to, their subcategories, the causes — and the
//! areas of the escalation matrix with their members. Every list can be added to, renamed,
//! reordered and deactivated; nothing is deleted, because requests keep naming what they
//! were filed or typified under. Every form is a plain HTML form first (`ActionForm`), so it
//! works before the WebAssembly arrives.

use leptos::prelude::*;

use crate::catalogue::api::{
    load_catalogue, MoveCatalogueEntry, SaveArea, SaveCatalogueEntry, SaveCategory, SetAreaMember,
    SetCatalogueEntryActive,
};
use crate::error::AppError;
use crate::ui::feedback::{action_error, ErrorNotice, QueryError};
use crate::{
    catalogue::model::{AreaEntry, CatalogueAdmin, CatalogueEntry, CategoryEntry},
    ui::choice::Choice,
};

/// Reloads the catalogue after a successful change; a refused one keeps the form as typed,
/// with its message.
fn reload_on_success<T, V>(value: V, changed: RwSignal<u64>)
where
    T: Clone + Send + Sync + 'static,
    V: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    clear_on_success(value, changed, NodeRef::new());
}

/// Like [`reload_on_success`], and empties `form` for the next entry. The reloaded list is
/// patched into the page in place, so the browser would otherwise keep what was typed.
fn clear_on_success<T, V>(value: V, changed: RwSignal<u64>, form: NodeRef<leptos::html::Form>)
where
    T: Clone + Send + Sync + 'static,
    V: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            changed.update(|n| *n += 1);
        }
    });
}

/// What every row needs: the shared actions of the lists and which entry is being edited.
#[derive(Clone, Copy)]
struct Rows {
    toggle: ServerAction<SetCatalogueEntryActive>,
    reorder: ServerAction<MoveCatalogueEntry>,
    /// The id of the entry whose edit form is open.
    editing: RwSignal<Option<String>>,
    changed: RwSignal<u64>,
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let changed = RwSignal::new(0u64);
    let data = Resource::new(move || changed.get(), |_| load_catalogue());
    view! {
        <section class="catalogue">
            <h1>"Catálogo de solicitudes"</h1>
            <p class="meta">
                "Las categorías que el cliente elige al radicar, con el área a la que se escalan, y las "
                "subcategorías y causas con que el equipo tipifica. Lo que se desactiva deja de ofrecerse "
                "en solicitudes nuevas; las solicitudes que ya lo tienen lo siguen mostrando."
            </p>
            <section class="notice effective-close" aria-label="Cierre efectivo">
                <h2>"Resultado de la respuesta y cierre efectivo"</h2>
                <p>
                    "Quien responde una solicitud elige su resultado: "
                    {ventanilla::lifecycle::AnswerOutcome::ALL
                        .iter()
                        .map(|o| o.label_es())
                        .collect::<Vec<_>>()
                        .join(", ")}
                    "."
                </p>
                <p>{ventanilla::lifecycle::EFFECTIVE_CLOSE_RULE}</p>
                <p class="meta">"El indicador «Cierre efectivo de PQR» (meta 97 %, seed 001 §5.3) cuenta las quejas y los reclamos así cerrados."</p>
            </section>
            <QueryError />
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(catalogue) => view! { <CatalogueLists catalogue changed /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CatalogueLists(catalogue: CatalogueAdmin, changed: RwSignal<u64>) -> impl IntoView {
    let toggle = ServerAction::<SetCatalogueEntryActive>::new();
    let reorder = ServerAction::<MoveCatalogueEntry>::new();
    reload_on_success(toggle.value(), changed);
    reload_on_success(reorder.value(), changed);
    let rows = Rows {
        toggle,
        reorder,
        editing: RwSignal::new(None),
        changed,
    };
    let area_choices: Vec<Choice> = catalogue
        .areas
        .iter()
        .map(|a| Choice::new(a.id.clone(), a.name.clone()))
        .collect();
    let categories = catalogue.categories.len();
    let causes = catalogue.causes.len();
    let staff = catalogue.staff.clone();
    view! {
        {action_error(toggle.value())}
        {action_error(reorder.value())}
        <h2>"Categorías"</h2>
        {(categories == 0).then(|| view! { <p class="empty">"Aún no hay categorías: cree la primera."</p> })}
        <ol class="catalogue-list">
            {catalogue.categories.into_iter().enumerate().map(|(i, category)| {
                let areas = area_choices.clone();
                view! { <CategoryCard category areas first=i == 0 last=i + 1 == categories rows /> }
            }).collect_view()}
        </ol>
        <details class="catalogue-new" open=categories == 0>
            <summary>"Nueva categoría"</summary>
            <CategoryForm category=None areas=area_choices.clone() changed />
        </details>

        <h2>"Causas"</h2>
        {(causes == 0).then(|| view! { <p class="empty">"Aún no hay causas: cree la primera."</p> })}
        <ol class="catalogue-entries">
            {catalogue.causes.into_iter().enumerate().map(|(i, entry)| view! {
                <EntryRow kind="causa" entry first=i == 0 last=i + 1 == causes rows />
            }).collect_view()}
        </ol>
        <NewEntryForm kind="causa" category_id=String::new() label="Nueva causa".to_string() changed />

        <h2>"Áreas y especialistas"</h2>
        <p class="meta">
            "Los miembros de un área ven en «Mi área» las solicitudes escaladas a ella y responden por el área."
        </p>
        {catalogue.areas.is_empty().then(|| view! { <p class="empty">"Aún no hay áreas: cree la primera."</p> })}
        <ul class="catalogue-list">
            {catalogue.areas.into_iter().map(|area| view! { <AreaCard area staff=staff.clone() rows /> }).collect_view()}
        </ul>
        <AreaForm area=None changed />
    }
}

/// Up and down buttons; the first cannot go up nor the last down.
#[component]
fn MoveButtons(
    kind: &'static str,
    id: String,
    name: String,
    first: bool,
    last: bool,
    rows: Rows,
) -> impl IntoView {
    view! {
        <MoveButton kind id=id.clone() name=name.clone() direction="subir" label="Subir" arrow="↑" off=first rows />
        <MoveButton kind id name direction="bajar" label="Bajar" arrow="↓" off=last rows />
    }
}

#[component]
fn MoveButton(
    kind: &'static str,
    id: String,
    name: String,
    direction: &'static str,
    label: &'static str,
    arrow: &'static str,
    off: bool,
    rows: Rows,
) -> impl IntoView {
    view! {
        <ActionForm action=rows.reorder attr:class="inline">
            <input type="hidden" name="kind" value=kind />
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="direction" value=direction />
            <button type="submit" class="icon" disabled=off aria-label=format!("{label} {name}") title=label>
                {arrow}
            </button>
        </ActionForm>
    }
}

#[component]
fn ToggleButton(
    kind: &'static str,
    id: String,
    name: String,
    active: bool,
    rows: Rows,
) -> impl IntoView {
    let label = if active { "Desactivar" } else { "Activar" };
    view! {
        <ActionForm action=rows.toggle attr:class="inline">
            <input type="hidden" name="kind" value=kind />
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="active" value=if active { "no" } else { "si" } />
            <button type="submit" class="small secondary" aria-label=format!("{label} {name}")>{label}</button>
        </ActionForm>
    }
}

#[component]
fn CategoryCard(
    category: CategoryEntry,
    areas: Vec<Choice>,
    first: bool,
    last: bool,
    rows: Rows,
) -> impl IntoView {
    let id = category.id.clone();
    let name = category.name.clone();
    let editing = {
        let id = id.clone();
        move || rows.editing.get().as_deref() == Some(id.as_str())
    };
    let edit_id = id.clone();
    let for_form = category.clone();
    let count = category.subcategories.len();
    view! {
        <li class="catalogue-category" class:inactive=!category.active>
            <div class="entry">
                <span class="name">{category.name.clone()}</span>
                <span class="meta">
                    {category.area_name.clone().map(|a| format!("Escala a {a}")).unwrap_or_else(|| "Sin área".into())}
                </span>
                {(!category.active).then(|| view! { <span class="state">"Inactiva"</span> })}
                <span class="tools">
                    <MoveButtons kind="categoria" id=id.clone() name=name.clone() first last rows />
                    <button type="button" class="small secondary" aria-label=format!("Editar {name}")
                        on:click=move |_| rows.editing.set(Some(edit_id.clone()))>"Editar"</button>
                    <ToggleButton kind="categoria" id=id.clone() name=name.clone() active=category.active rows />
                </span>
            </div>
            {(!category.description.is_empty()).then(|| view! { <p class="meta">{category.description.clone()}</p> })}
            {move || editing().then(|| view! {
                <CategoryForm category=Some(for_form.clone()) areas=areas.clone() changed=rows.changed />
                <button type="button" class="small secondary" on:click=move |_| rows.editing.set(None)>"Cancelar"</button>
            })}
            <ol class="catalogue-entries">
                {category.subcategories.into_iter().enumerate().map(|(i, entry)| view! {
                    <EntryRow kind="subcategoria" entry first=i == 0 last=i + 1 == count rows />
                }).collect_view()}
            </ol>
            <NewEntryForm kind="subcategoria" category_id=id label=format!("Nueva subcategoría de {name}") changed=rows.changed />
        </li>
    }
}

/// Creates a category (`category` none) or edits one: name, the hint customers read, area.
#[component]
fn CategoryForm(
    category: Option<CategoryEntry>,
    areas: Vec<Choice>,
    changed: RwSignal<u64>,
) -> impl IntoView {
    let save = ServerAction::<SaveCategory>::new();
    let form = NodeRef::new();
    clear_on_success(save.value(), changed, form);
    let current_area = category.as_ref().and_then(|c| c.area_id.clone());
    let (id, name, description) = category
        .map(|c| (c.id, c.name, c.description))
        .unwrap_or_default();
    let editing = !id.is_empty();
    view! {
        <ActionForm action=save node_ref=form attr:class="form narrow">
            <input type="hidden" name="id" value=id />
            <label>"Nombre de la categoría" <input name="name" type="text" required maxlength="120" value=name /></label>
            <label>
                "Descripción para el cliente " <small>"(opcional)"</small>
                <input name="description" type="text" maxlength="300" value=description />
            </label>
            <label>
                "Área a la que se escala"
                <select name="area_id">
                    <option value="">"Sin área"</option>
                    {areas.into_iter().map(|a| {
                        let selected = current_area.as_deref() == Some(a.code.as_str());
                        view! { <option value=a.code selected=selected>{a.label}</option> }
                    }).collect_view()}
                </select>
            </label>
            {action_error(save.value())}
            <button type="submit" disabled=move || save.pending().get()>
                {if editing { "Guardar categoría" } else { "Crear categoría" }}
            </button>
        </ActionForm>
    }
}

/// A subcategory or a cause: its name (or the rename form), order, state.
#[component]
fn EntryRow(
    kind: &'static str,
    entry: CatalogueEntry,
    first: bool,
    last: bool,
    rows: Rows,
) -> impl IntoView {
    let rename = ServerAction::<SaveCatalogueEntry>::new();
    reload_on_success(rename.value(), rows.changed);
    let CatalogueEntry { id, name, active } = entry;
    let editing = {
        let id = id.clone();
        move || rows.editing.get().as_deref() == Some(id.as_str())
    };
    let edit_id = id.clone();
    let view_name = name.clone();
    let view_id = id.clone();
    view! {
        <li class:inactive=!active>
            {move || if editing() {
                let (id, name) = (id.clone(), name.clone());
                view! {
                    <ActionForm action=rename attr:class="entry rename">
                        <input type="hidden" name="kind" value=kind />
                        <input type="hidden" name="id" value=id.clone() />
                        <input name="name" type="text" required maxlength="120" value=name.clone()
                            aria-label=format!("Nuevo nombre de {name}") />
                        <button type="submit" class="small" disabled=move || rename.pending().get()>"Guardar"</button>
                        <button type="button" class="small secondary" on:click=move |_| rows.editing.set(None)>"Cancelar"</button>
                    </ActionForm>
                    {action_error(rename.value())}
                }
                .into_any()
            } else {
                let edit_id = edit_id.clone();
                view! {
                    <div class="entry">
                        <span class="name">{view_name.clone()}</span>
                        {(!active).then(|| view! { <span class="state">"Inactiva"</span> })}
                        <span class="tools">
                            <MoveButtons kind id=view_id.clone() name=view_name.clone() first last rows />
                            <button type="button" class="small secondary" aria-label=format!("Renombrar {view_name}")
                                on:click=move |_| rows.editing.set(Some(edit_id.clone()))>"Renombrar"</button>
                            <ToggleButton kind id=view_id.clone() name=view_name.clone() active rows />
                        </span>
                    </div>
                }
                .into_any()
            }}
        </li>
    }
}

/// Adds a subcategory to `category_id`, or a cause (`kind` "causa").
#[component]
fn NewEntryForm(
    kind: &'static str,
    category_id: String,
    label: String,
    changed: RwSignal<u64>,
) -> impl IntoView {
    let save = ServerAction::<SaveCatalogueEntry>::new();
    let form = NodeRef::new();
    clear_on_success(save.value(), changed, form);
    view! {
        <ActionForm action=save node_ref=form attr:class="entry add">
            <input type="hidden" name="kind" value=kind />
            <input type="hidden" name="category_id" value=category_id />
            <label>{label} <input name="name" type="text" required maxlength="120" /></label>
            <button type="submit" class="small" disabled=move || save.pending().get()>"Agregar"</button>
        </ActionForm>
        {action_error(save.value())}
    }
}

#[component]
fn AreaCard(area: AreaEntry, staff: Vec<Choice>, rows: Rows) -> impl IntoView {
    let membership = ServerAction::<SetAreaMember>::new();
    reload_on_success(membership.value(), rows.changed);
    let AreaEntry { id, name, members } = area;
    let editing = {
        let id = id.clone();
        move || rows.editing.get().as_deref() == Some(id.as_str())
    };
    let edit_id = id.clone();
    let for_form = (id.clone(), name.clone());
    let candidates: Vec<Choice> = staff
        .into_iter()
        .filter(|s| !members.iter().any(|m| m.code == s.code))
        .collect();
    let has_candidates = !candidates.is_empty();
    let area_id = id.clone();
    let area_name = name.clone();
    view! {
        <li class="catalogue-area">
            <div class="entry">
                <span class="name">{name.clone()}</span>
                <span class="tools">
                    <button type="button" class="small secondary" aria-label=format!("Renombrar el área {name}")
                        on:click=move |_| rows.editing.set(Some(edit_id.clone()))>"Renombrar"</button>
                </span>
            </div>
            {move || editing().then(|| view! {
                <AreaForm area=Some(for_form.clone()) changed=rows.changed />
                <button type="button" class="small secondary" on:click=move |_| rows.editing.set(None)>"Cancelar"</button>
            })}
            {members.is_empty().then(|| view! { <p class="empty">"Sin miembros: una escalación a esta área no le llega a nadie."</p> })}
            <ul class="members">
                {members.into_iter().map(|m| {
                    let who = m.label.split(" — ").next().unwrap_or_default().to_string();
                    let (area_id, area_name) = (area_id.clone(), area_name.clone());
                    view! {
                        <li>
                            {m.label.clone()} " "
                            <ActionForm action=membership attr:class="inline">
                                <input type="hidden" name="area_id" value=area_id.clone() />
                                <input type="hidden" name="user_id" value=m.code.clone() />
                                <input type="hidden" name="member" value="no" />
                                <button type="submit" class="small secondary"
                                    aria-label=format!("Quitar a {who} de {area_name}")>"Quitar"</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {has_candidates.then(|| view! {
                <ActionForm action=membership attr:class="entry add">
                    <input type="hidden" name="area_id" value=id.clone() />
                    <input type="hidden" name="member" value="si" />
                    <label>
                        {format!("Agregar miembro a {name}")}
                        <select name="user_id">
                            {candidates.iter().map(|c| view! { <option value=c.code.clone()>{c.label.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="small" disabled=move || membership.pending().get()>"Agregar"</button>
                </ActionForm>
            })}
            {action_error(membership.value())}
        </li>
    }
}

/// Creates an area (`area` none) or renames one (id, name).
#[component]
fn AreaForm(area: Option<(String, String)>, changed: RwSignal<u64>) -> impl IntoView {
    let save = ServerAction::<SaveArea>::new();
    let form = NodeRef::new();
    clear_on_success(save.value(), changed, form);
    let editing = area.is_some();
    let (id, name) = area.unwrap_or_default();
    view! {
        <ActionForm action=save node_ref=form attr:class="entry add">
            <input type="hidden" name="id" value=id />
            <label>
                {if editing { "Nuevo nombre del área" } else { "Nueva área" }}
                <input name="name" type="text" required maxlength="120" value=name />
            </label>
            <button type="submit" class="small" disabled=move || save.pending().get()>
                {if editing { "Guardar" } else { "Crear área" }}
            </button>
        </ActionForm>
        {action_error(save.value())}
    }
}
