//! Relationship survey campaigns for supervisors (seed 001 §5.2: "una muestra estadística de
//! acuerdo a los clientes activos"): the list with the create form, and the campaign page that
//! shows the population and the sample before the launch and the results, live, after it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use ventanilla::survey::Confidence;

use crate::surveys::api::campaigns::{
    load_campaign, load_campaigns, CreateCampaign, LaunchCampaign,
};
use crate::surveys::model::{CampaignStratum, CampaignSummary, CampaignView, CampaignsOverview};
use crate::ui::charts::NpsSplitBar;
use crate::ui::feedback::{action_error, ErrorNotice, QueryError};
use crate::ui::not_found::NotFound;

fn pct(value: Option<f64>) -> String {
    value
        .map(|v| format!("{v:.1} %"))
        .unwrap_or_else(|| "—".to_string())
}

fn nps_text(nps: Option<ventanilla::survey::NpsSummary>) -> String {
    nps.map(|n| format!("{:+.0}", n.score))
        .unwrap_or_else(|| "—".to_string())
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let create = ServerAction::<CreateCampaign>::new();
    let overview = Resource::new(|| (), |_| load_campaigns());
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/equipo/campanas/{id}"), Default::default());
        }
    });
    view! {
        <section>
            <h1>"Encuestas de percepción y satisfacción"</h1>
            <p class="meta">
                "Encuesta semestral a una muestra estadística de los clientes activos. La muestra se calcula con el nivel de confianza y el margen de error que elija; se sortea al lanzar la campaña."
            </p>
            <QueryError />
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(data) => view! { <Overview data create /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Overview(data: CampaignsOverview, create: ServerAction<CreateCampaign>) -> impl IntoView {
    let CampaignsOverview {
        population,
        default_sample,
        today,
        default_end,
        campaigns,
    } = data;
    view! {
        <p class="meta" data-testid="poblacion">
            {format!(
                "Población hoy: {population} cuentas activas de clientes. Con 95 % de confianza y 5 % de margen, la muestra es de {default_sample}."
            )}
        </p>
        {if campaigns.is_empty() {
            view! { <p class="empty">"Aún no hay campañas."</p> }.into_any()
        } else {
            view! { <CampaignTable campaigns /> }.into_any()
        }}
        <h2>"Nueva campaña"</h2>
        <ActionForm action=create attr:class="form narrow campaign-form">
            <label>
                "Nombre de la campaña"
                <input name="name" type="text" required minlength="3" maxlength="120" />
            </label>
            <fieldset>
                <legend>"Preguntas (al menos una)"</legend>
                <label class="check">
                    <input type="checkbox" name="nps" value="si" checked />
                    "NPS: ¿qué tan probable es que nos recomiende? (0 a 10)"
                </label>
                <label class="check">
                    <input type="checkbox" name="csat" value="si" checked />
                    "CSAT: satisfacción con el servicio (1 a 5)"
                </label>
                <label class="check">
                    <input type="checkbox" name="texto" value="si" />
                    "Texto libre: comentarios"
                </label>
            </fieldset>
            <label>"Inicio del periodo" <input name="desde" type="date" required value=today /></label>
            <label>"Fin del periodo" <input name="hasta" type="date" required value=default_end /></label>
            <label>
                "Nivel de confianza"
                <select name="confianza">
                    {Confidence::ALL
                        .iter()
                        .map(|c| view! {
                            <option value=c.code() selected=*c == Confidence::P95>{c.label_es()}</option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Margen de error (%)"
                <input name="margen" type="number" min="1" max="10" step="1" required value="5" />
            </label>
            <label class="check">
                <input type="checkbox" name="estratificar" value="si" />
                "Estratificar por tipo de cliente (VIP, Regular, Flotante)"
            </label>
            {action_error(create.value())}
            <button type="submit" disabled=move || create.pending().get()>"Crear campaña"</button>
        </ActionForm>
    }
}

#[component]
fn CampaignTable(campaigns: Vec<CampaignSummary>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="queue campaigns">
                <thead>
                    <tr>
                        <th>"Campaña"</th><th>"Estado"</th><th>"Periodo"</th><th>"Preguntas"</th>
                        <th>"Muestra"</th><th>"Invitadas"</th><th>"Respondidas"</th>
                    </tr>
                </thead>
                <tbody>
                    {campaigns.into_iter().map(|c| view! {
                        <tr>
                            <td><a href=format!("/equipo/campanas/{}", c.id)>{c.name.clone()}</a></td>
                            <td>{c.state.clone()}</td>
                            <td>{c.period.clone()}</td>
                            <td>{c.questions.clone()}</td>
                            <td>{c.sample_size}</td>
                            <td>{c.invited}</td>
                            <td>{c.answered}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let launch = ServerAction::<LaunchCampaign>::new();
    // Answers arrive as live events: the figures refetch without a reload.
    let live = crate::live::client::use_live();
    let campaign = Resource::new(
        move || (id(), launch.version().get(), live.version.get()),
        |(id, _, _)| load_campaign(id),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Cargando la campaña…"</p> }>
            {move || Suspend::new(async move {
                match campaign.await {
                    Ok(Some(data)) => view! { <Campaign data launch /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Figure(label: &'static str, value: String, test_id: &'static str) -> impl IntoView {
    view! {
        <div class="figure" data-testid=test_id>
            <span class="figure-label">{label}</span>
            <strong class="figure-value">{value}</strong>
        </div>
    }
}

#[component]
fn Campaign(data: CampaignView, launch: ServerAction<LaunchCampaign>) -> impl IntoView {
    let design = format!(
        "Confianza {} · margen de error {} % · {}",
        data.confidence,
        data.margin_percent,
        if data.stratified {
            "muestra estratificada por tipo de cliente"
        } else {
            "muestra aleatoria simple"
        }
    );
    view! {
        <section class="campaign">
            <p><a href="/equipo/campanas">"← Campañas"</a></p>
            <h1>{data.name.clone()}</h1>
            <p class="meta">
                <span class="state">{data.state.clone()}</span>
                {format!(" · Periodo {} · Preguntas: {}", data.period, data.questions)}
            </p>
            <p class="meta">{design}</p>
            <QueryError />
            {if data.launched {
                view! { <Results data /> }.into_any()
            } else {
                view! { <Draft data launch /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Draft(data: CampaignView, launch: ServerAction<LaunchCampaign>) -> impl IntoView {
    let stratified = data.stratified;
    view! {
        <div class="figures">
            <Figure label="Población (cuentas activas de clientes)" value=data.population.to_string() test_id="poblacion" />
            <Figure label="Tamaño de la muestra" value=data.sample_size.to_string() test_id="muestra" />
        </div>
        <h2>"Por tipo de cliente"</h2>
        <StrataTable strata=data.strata.clone() draft=true stratified />
        {match data.launch_blocked.clone() {
            Some(why) => view! { <p class="notice" role="status">{why}</p> }.into_any(),
            None => view! {
                <ActionForm action=launch attr:class="form">
                    <input type="hidden" name="id" value=data.id.clone() />
                    <p class="meta">
                        "Al lanzarla se sortea la muestra y se envía una invitación por correo a cada cuenta elegida. Una campaña se lanza una sola vez."
                    </p>
                    {action_error(launch.value())}
                    <button type="submit" disabled=move || launch.pending().get()>"Lanzar campaña"</button>
                </ActionForm>
            }
            .into_any(),
        }}
    }
}

#[component]
fn Results(data: CampaignView) -> impl IntoView {
    view! {
        <p class="meta">
            {format!(
                "Lanzada el {}: población de {} cuentas activas, muestra de {}, {} invitaciones enviadas.",
                data.launched_at.clone().unwrap_or_default(),
                data.population,
                data.sample_size,
                data.invited
            )}
        </p>
        <div class="figures">
            <Figure label="Invitadas" value=data.invited.to_string() test_id="invitadas" />
            <Figure label="Respondidas" value=data.answered.to_string() test_id="respondidas" />
            <Figure label="Tasa de respuesta" value=pct(data.response_rate) test_id="tasa" />
            {data.ask_nps.then(|| view! { <Figure label="NPS" value=nps_text(data.nps) test_id="nps" /> })}
            {data.ask_csat.then(|| view! { <Figure label="CSAT" value=pct(data.csat) test_id="csat" /> })}
        </div>
        {data.nps.map(|nps| view! {
            <h2>"Promotores, neutros y detractores"</h2>
            <p class="meta">
                {format!("Promotores {} · Neutros {} · Detractores {}", nps.promoters, nps.passives, nps.detractors)}
            </p>
            <NpsSplitBar nps />
        })}
        <h2>"Por tipo de cliente"</h2>
        <StrataTable strata=data.strata.clone() draft=false stratified=data.stratified />
        <h2>"Comentarios"</h2>
        {if data.comments.is_empty() {
            view! { <p class="empty">"Aún no hay comentarios."</p> }.into_any()
        } else {
            view! {
                <ul class="comments">
                    {data.comments.iter().map(|c| {
                        let scores = [
                            c.nps.map(|n| format!("NPS {n}")),
                            c.csat.map(|n| format!("CSAT {n}")),
                        ]
                        .into_iter()
                        .flatten()
                        .fold(String::new(), |text, part| format!("{text} · {part}"));
                        view! {
                            <li>
                                <span class="meta">{format!("{} · {}{scores}", c.at, c.tier)}</span>
                                <blockquote>{c.comment.clone()}</blockquote>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

/// Before the launch: accounts per tier and, when stratified, each tier's part of the sample.
/// After it: invitations, answers and results per tier.
#[component]
fn StrataTable(strata: Vec<CampaignStratum>, draft: bool, stratified: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="queue results-table strata">
                <thead>
                    {if draft {
                        view! {
                            <tr>
                                <th>"Tipo de cliente"</th><th>"Cuentas activas"</th>
                                {stratified.then(|| view! { <th>"En la muestra"</th> })}
                            </tr>
                        }
                        .into_any()
                    } else {
                        view! {
                            <tr>
                                <th>"Tipo de cliente"</th><th>"Invitadas"</th><th>"Respondidas"</th>
                                <th>"Tasa"</th><th>"NPS"</th><th>"CSAT"</th>
                            </tr>
                        }
                        .into_any()
                    }}
                </thead>
                <tbody>
                    {strata.into_iter().map(|s| {
                        if draft {
                            view! {
                                <tr>
                                    <td>{s.tier.clone()}</td>
                                    <td>{s.population}</td>
                                    {stratified.then(|| view! { <td>{s.sample}</td> })}
                                </tr>
                            }
                            .into_any()
                        } else {
                            let rate = (s.sample > 0).then(|| s.answered as f64 * 100.0 / s.sample as f64);
                            view! {
                                <tr>
                                    <td>{s.tier.clone()}</td>
                                    <td>{s.sample}</td>
                                    <td>{s.answered}</td>
                                    <td>{pct(rate)}</td>
                                    <td>{nps_text(s.nps)}</td>
                                    <td>{pct(s.csat)}</td>
                                </tr>
                            }
                            .into_any()
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
