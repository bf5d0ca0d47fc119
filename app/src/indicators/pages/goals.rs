//! `/equipo/indicadores/metas` (admins): the goal and the owner of each ratio of the indicator
//! catalogue (seed 001 §5.3). The formulas stay as the code computes them; an empty goal
//! measures the indicator without one.

use leptos::prelude::*;

use crate::indicators::api::{load_goals, SaveGoals};
use crate::indicators::model::GoalLine;
use crate::ui::feedback::ErrorNotice;

#[component]
pub fn GoalsPage() -> impl IntoView {
    let save = ServerAction::<SaveGoals>::new();
    let lines = Resource::new(move || save.version().get(), |_| load_goals());
    view! {
        <section class="indicator-goals">
            <p><a href="/equipo/indicadores">"← Indicadores"</a></p>
            <h1>"Metas y responsables de los indicadores"</h1>
            <p class="meta">
                "Cada indicador se calcula siempre con la fórmula que se muestra en su tarjeta; aquí se fija la meta con la que "
                "se compara (un porcentaje, vacío si no tiene meta) y quién responde por él."
            </p>
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(lines) => view! { <GoalsForm lines save /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn GoalsForm(lines: Vec<GoalLine>, save: ServerAction<SaveGoals>) -> impl IntoView {
    view! {
        <ActionForm action=save attr:class="form">
            <div class="table-wrap">
                <table class="queue">
                    <thead>
                        <tr><th>"Indicador"</th><th>"Meta (%)"</th><th>"Responsable"</th><th>"Último cambio"</th></tr>
                    </thead>
                    <tbody>
                        {lines.into_iter().map(|line| {
                            let hint = if line.default_goal.is_empty() {
                                "Sin meta de fábrica".to_string()
                            } else {
                                format!("Meta de fábrica: {} %", line.default_goal)
                            };
                            view! {
                                <tr>
                                    <th scope="row">{line.name.clone()}<br /><small class="meta">{hint}</small></th>
                                    <td>
                                        <input type="text" inputmode="decimal" size="6"
                                            name=format!("goal[{}]", line.key) value=line.goal
                                            aria-label=format!("{}: meta (%)", line.name) />
                                    </td>
                                    <td>
                                        <input type="text" maxlength="120"
                                            name=format!("owner[{}]", line.key) value=line.owner
                                            aria-label=format!("{}: responsable", line.name) />
                                    </td>
                                    <td>{line.changed}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <button type="submit" disabled=move || save.pending().get()>"Guardar metas"</button>
        </ActionForm>
        {move || save.value().get().map(|outcome| match outcome {
            Ok(message) => view! { <p class="success" role="status">{message}</p> }.into_any(),
            Err(error) => view! { <ErrorNotice error /> }.into_any(),
        })}
    }
}
