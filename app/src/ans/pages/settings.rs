//! `/equipo/ans` (admins): the ANS in force as a form, publishing a new version with an
//! effective date and, optionally, a notice to customers; and the history of versions — who
//! published what, when it took effect.

use leptos::prelude::*;

use crate::ans::api::{load_ans, PublishAns};
use crate::ans::model::{AnsForm, AnsScreen, AnsVersionLine};
use crate::ui::feedback::ErrorNotice;

#[component]
pub fn AnsSettingsPage() -> impl IntoView {
    let publish = ServerAction::<PublishAns>::new();
    let screen = Resource::new(move || publish.version().get(), |_| load_ans());
    view! {
        <section class="ans-settings">
            <h1>"Acuerdo de Niveles de Servicio (ANS)"</h1>
            <p class="meta">
                "Los tiempos de primera respuesta por segmento y prioridad, el umbral VIP y las demás reglas se publican como "
                "versiones con fecha de vigencia. Cada solicitud conserva la versión con la que se radicó: publicar una versión "
                "nueva no cambia los tiempos de las solicitudes ya radicadas."
            </p>
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(screen) => view! { <Screen screen publish /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Screen(screen: AnsScreen, publish: ServerAction<PublishAns>) -> impl IntoView {
    view! {
        <p class="meta">{format!("Versión vigente: {}", screen.in_force)}</p>
        <PublishForm form=screen.form today=screen.today publish />
        <h2>"Versiones publicadas"</h2>
        <div class="table-wrap">
            <table class="queue ans-versions">
                <thead>
                    <tr>
                        <th>"Versión"</th><th>"Vigencia"</th><th>"Estado"</th><th>"Tiempos y umbral"</th>
                        <th>"Cierre automático"</th><th>"Muestra de calidad"</th><th>"Motivo"</th><th>"Publicó"</th>
                    </tr>
                </thead>
                <tbody>
                    {screen.versions.into_iter().map(|line| view! { <VersionRow line /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn VersionRow(line: AnsVersionLine) -> impl IntoView {
    let told = (line.customers_notified > 0)
        .then(|| format!(" · avisada a {} clientes", line.customers_notified));
    view! {
        <tr>
            <td>{line.number}</td>
            <td>{line.effective}</td>
            <td>{line.status}</td>
            <td><ul class="plain">{line.summary.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul></td>
            <td>{format!("{} días", line.auto_close_days)}</td>
            <td>{format!("{} %", line.review_sample_percent)}</td>
            <td>{line.note}</td>
            <td>{format!("{} · {}", line.published_by, line.published_at)}{told}</td>
        </tr>
    }
}

#[component]
fn PublishForm(form: AnsForm, today: String, publish: ServerAction<PublishAns>) -> impl IntoView {
    let rows = form
        .matrix
        .into_iter()
        .map(|row| {
            let cells = ["alta", "media", "baja"]
                .into_iter()
                .zip(row.hours)
                .map(|(priority, hours)| {
                    let label =
                        format!("{} · prioridad {priority} (horas hábiles)", row.tier_label);
                    view! {
                        <td>
                            <input type="number" min="1" max="240" inputmode="numeric"
                                name=format!("hours[{}_{priority}]", row.tier_code)
                                value=hours aria-label=label />
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{row.tier_label.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <h2>"Publicar una versión nueva"</h2>
        <ActionForm action=publish attr:class="form ans-form">
            <table class="ans-matrix">
                <caption>"Horas hábiles hasta la primera respuesta (vacío: el segmento no puede usar esa prioridad)"</caption>
                <thead><tr><th>"Segmento"</th><th>"Alta"</th><th>"Media"</th><th>"Baja"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <label>
                "Umbral VIP (SMLMV): VIP si el contrato mensual supera este número de salarios mínimos"
                <input name="vip_threshold_smlmv" type="text" inputmode="decimal" required
                    value=form.vip_threshold_smlmv />
            </label>
            <label>
                "SMLMV de años nuevos o corregidos (uno por línea, «2027: 1.900.000»)"
                <textarea name="smlmv_overrides" rows="3">{form.smlmv_overrides}</textarea>
            </label>
            <label>
                "Días hábiles sin respuesta del cliente para el cierre automático"
                <input name="auto_close_days" type="number" min="1" max="30" required
                    value=form.auto_close_days.to_string() />
            </label>
            <label>
                "Muestra de respuestas para revisión de calidad (%)"
                <input name="review_sample_percent" type="number" min="0" max="100" required
                    value=form.review_sample_percent.to_string() />
            </label>
            <fieldset class="business-hours">
                <legend>"Horario de atención (cuenta las horas hábiles de los ANS y los días hábiles del término legal)"</legend>
                <label>
                    "Lunes a viernes, apertura"
                    <input name="weekday_open" type="time" required value=form.weekday_open />
                </label>
                <label>
                    "Lunes a viernes, cierre"
                    <input name="weekday_close" type="time" required value=form.weekday_close />
                </label>
                <label>
                    "Sábado, apertura (vacío: no se atiende)"
                    <input name="saturday_open" type="time" value=form.saturday_open />
                </label>
                <label>
                    "Sábado, cierre"
                    <input name="saturday_close" type="time" value=form.saturday_close />
                </label>
                <label>
                    "Días no hábiles además de los festivos nacionales (uno por línea, «2027-07-15»)"
                    <textarea name="non_working_days" rows="3">{form.non_working_days}</textarea>
                </label>
            </fieldset>
            <label>
                "Primer contacto dentro de (horas calendario, para toda solicitud; vacío: no se mide)"
                <input name="first_contact_hours" type="number" min="1" max="720" inputmode="numeric"
                    value=form.first_contact_hours />
            </label>
            <label>
                "Rige desde"
                <input name="effective_on" type="date" required min=today.clone() value=today />
            </label>
            <label>
                "Motivo del cambio (queda en el historial y en el aviso)"
                <input name="note" type="text" required minlength="5" maxlength="500" />
            </label>
            <label class="check">
                <input type="checkbox" name="notify_customers" value="si" />
                "Avisar a los clientes activos por correo y en el portal"
            </label>
            <button type="submit" disabled=move || publish.pending().get()>"Publicar versión"</button>
        </ActionForm>
        {move || publish.value().get().map(|outcome| match outcome {
            Ok(message) => view! { <p class="success" role="status">{message}</p> }.into_any(),
            Err(error) => view! { <ErrorNotice error /> }.into_any(),
        })}
    }
}
