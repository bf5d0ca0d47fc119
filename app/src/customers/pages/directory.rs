//! `/equipo/clientes`: find a customer by document, e-mail, mobile or name (issue 19). The
//! words live in the address (`?q=`), so a search can be bookmarked, shared and reloaded, and
//! the form works before the page hydrates.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::customers::api::search_customers;
use crate::customers::model::{CustomerRow, SEARCH_LIMIT};
use crate::ui::feedback::ErrorNotice;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let words = move || query.read().get("q").unwrap_or_default();
    let found = Resource::new(words, |q| search_customers(Some(q)));
    view! {
        <section>
            <h1>"Clientes"</h1>
            <ImportLink />
            <form method="get" action="/equipo/clientes" class="filters" role="search">
                <label>
                    "Buscar cliente"
                    <input type="search" name="q" value=words maxlength="100"
                        placeholder="Documento, correo, celular o nombre" />
                </label>
                <button type="submit">"Buscar"</button>
            </form>
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(rows) if rows.is_empty() => view! {
                            <p class="empty">"Ningún cliente coincide con la búsqueda."</p>
                        }.into_any(),
                        Ok(rows) => {
                            let full = rows.len() >= SEARCH_LIMIT;
                            view! {
                                {full.then(|| view! {
                                    <p class="meta">{format!(
                                        "Se muestran {SEARCH_LIMIT} clientes. Escriba más palabras del nombre, o el documento, para precisar."
                                    )}</p>
                                })}
                                <CustomerTable rows />
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CustomerTable(rows: Vec<CustomerRow>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="customers">
                <thead>
                    <tr>
                        <th scope="col">"Cliente"</th>
                        <th scope="col">"Documento"</th>
                        <th scope="col">"Contacto"</th>
                        <th scope="col">"Segmento"</th>
                        <th scope="col">"Tipo"</th>
                        <th scope="col">"Servicio"</th>
                        <th scope="col">"Abiertas"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <td>
                                <a href=format!("/equipo/clientes/{}", row.id)>{row.name}</a>
                                {row.blocked.then(|| view! { " " <span class="badge-blocked">"Portal bloqueado"</span> })}
                                {(!row.registered).then(|| view! { " " <span class="badge-pending">"Sin registro en el portal"</span> })}
                            </td>
                            <td>{row.document}</td>
                            <td>{row.email}<br /><span class="meta">{row.phone}</span></td>
                            <td>{row.tier} <span class="meta">{format!(" · {}", row.segment)}</span></td>
                            <td>{row.kind}</td>
                            <td>{row.service_status}</td>
                            <td>{row.open_requests}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Supervisors and admins bring customers in bulk from the ERP.
#[component]
fn ImportLink() -> impl IntoView {
    let user = crate::accounts::nav::use_current_user();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let manages = matches!(
                    user.await,
                    Ok(Some(user)) if matches!(user.role, ventanilla::role::Role::Supervisor | ventanilla::role::Role::Admin)
                );
                manages.then(|| view! {
                    <p><a href="/equipo/clientes/importar">"Importar clientes desde el ERP"</a></p>
                })
            })}
        </Suspense>
    }
}
