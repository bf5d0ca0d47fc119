//! On the staff request page: start the reply from a plantilla (agent-workspace requirement). The server fills
//! the placeholders for this request and the text lands in the reply box, where the agent
//! edits it before sending.

use leptos::prelude::*;

use crate::ui::choice::Choice;
use crate::workspace::api::canned_answers::fill_canned_answer;

#[component]
pub fn CannedAnswerPicker(
    radicado: String,
    plantillas: Vec<Choice>,
    draft: RwSignal<String>,
) -> impl IntoView {
    if plantillas.is_empty() {
        return ().into_any();
    }
    let chosen = RwSignal::new(plantillas[0].code.clone());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let use_it = move |_| {
        let radicado = radicado.clone();
        let id = chosen.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match fill_canned_answer(id, radicado).await {
                Ok(text) => {
                    error.set(None);
                    draft.set(text);
                }
                Err(err) => error.set(Some(err.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="canned-answer form">
            <label>
                "Plantilla"
                <select on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {plantillas.iter().map(|p| view! { <option value=p.code.clone()>{p.label.clone()}</option> }).collect_view()}
                </select>
            </label>
            <button type="button" on:click=use_it disabled=move || busy.get()>"Usar plantilla"</button>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
        </div>
    }
    .into_any()
}
