//! The attention profiles of the detractor desk (seed 003 §4 step 2: cases are assigned "de
//! acuerdo con el número de registros y el perfil de atención con el que cuentan"): which
//! segments each asesor attends, and how many open cases each has now.

use leptos::prelude::*;

use crate::detractors::api::cases::{load_recovery_profiles, SetRecoveryProfile};
use crate::detractors::model::{AgentProfile, RecoveryProfiles};
use crate::ui::feedback::{action_error, ErrorNotice};

#[component]
pub fn RecoveryProfilesPage() -> impl IntoView {
    let save = ServerAction::<SetRecoveryProfile>::new();
    let profiles = Resource::new(move || save.version().get(), |_| load_recovery_profiles());
    view! {
        <section class="recovery-profiles">
            <p><a href="/equipo/detractores">"← Detractores"</a></p>
            <h1>"Perfiles de atención"</h1>
            <p class="meta">
                "Cada caso nuevo va al asesor con menos casos abiertos entre los que atienden su segmento. "
                "Un asesor sin segmentos marcados atiende todos. Los casos ya asignados no se mueven."
            </p>
            {action_error(save.value())}
            {move || save.value().get().and_then(Result::ok).map(|_| view! {
                <p class="success" role="status">"Perfil guardado."</p>
            })}
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match profiles.await {
                        Ok(data) if data.agents.is_empty() => view! {
                            <p class="empty">"No hay asesores activos. Créelos en Usuarios del equipo."</p>
                        }
                        .into_any(),
                        Ok(data) => view! { <ProfileTable data save /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ProfileTable(data: RecoveryProfiles, save: ServerAction<SetRecoveryProfile>) -> impl IntoView {
    let segments = data.segments;
    view! {
        <div class="table-wrap">
            <table class="queue profiles">
                <thead>
                    <tr><th>"Asesor"</th><th>"Casos abiertos"</th><th>"Segmentos que atiende"</th></tr>
                </thead>
                <tbody>
                    {data
                        .agents
                        .into_iter()
                        .map(|agent| view! { <ProfileRow agent segments=segments.clone() save /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ProfileRow(
    agent: AgentProfile,
    segments: Vec<String>,
    save: ServerAction<SetRecoveryProfile>,
) -> impl IntoView {
    let summary = if agent.segments.is_empty() {
        "Todos".to_string()
    } else {
        agent.segments.join(", ")
    };
    let boxes = segments
        .into_iter()
        .map(|segment| {
            let checked = agent.segments.contains(&segment);
            view! {
                <label class="check">
                    <input type="checkbox" name=format!("segments[{segment}]") value="si" checked=checked />
                    {segment.clone()}
                </label>
            }
        })
        .collect_view();
    view! {
        <tr data-agent=agent.name.clone()>
            <td>{agent.name.clone()} <small class="meta">{format!(" · {summary}")}</small></td>
            <td>{agent.open_cases}</td>
            <td>
                <ActionForm action=save attr:class="inline-form" attr:aria-label=format!("Perfil de {}", agent.name)>
                    <input type="hidden" name="agent_id" value=agent.id.clone() />
                    {boxes}
                    <button type="submit" disabled=move || save.pending().get()>"Guardar"</button>
                </ActionForm>
            </td>
        </tr>
    }
}
