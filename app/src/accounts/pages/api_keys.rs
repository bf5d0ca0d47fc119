//! Admins create and revoke the API keys other systems use (REST API requirement). A key's secret is
//! shown once, right after it is created; the list only ever shows its visible prefix.

use leptos::prelude::*;

use crate::accounts::api::api_keys::{list_api_keys, CreateApiKey, RevokeApiKey};
use crate::accounts::model::API_SCOPES;
use crate::ui::feedback::{action_error, ErrorNotice, QueryError};

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    view! {
        <section>
            <h1>"Llaves de API"</h1>
            <p>
                "Otros sistemas (un formulario web, la central telefónica, un reporte) usan la "
                <a href="/api/v1/referencia" rel="external">"API"</a>
                " con una llave. Cada llamada queda en el historial a nombre de la llave."
            </p>
            <QueryError />
            {move || create.value().get().and_then(Result::ok).map(|key| view! {
                <div class="success" role="status">
                    <p>"Llave «" {key.name} "» creada. Cópiela ahora: no se vuelve a mostrar."</p>
                    <p><code data-testid="secreto">{key.secret}</code></p>
                </div>
            })}
            <Transition fallback=|| view! { <p class="loading">"Cargando…"</p> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) if list.is_empty() => view! { <p>"Aún no hay llaves."</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table>
                                    <thead>
                                        <tr>
                                            <th>"Nombre"</th><th>"Prefijo"</th><th>"Permisos"</th>
                                            <th>"Límite por minuto"</th><th>"Creada"</th><th>"Estado"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|key| view! {
                                                <tr>
                                                    <td>{key.name.clone()}</td>
                                                    <td><code>{key.prefix.clone()} "…"</code></td>
                                                    <td>{key.scopes.join(", ")}</td>
                                                    <td>{key.rate_limit_per_minute}</td>
                                                    <td>{key.created_at.clone()} " · " {key.created_by.clone()}</td>
                                                    <td>
                                                        {match key.revoked_at.clone() {
                                                            Some(at) => view! { <span>"Revocada " {at}</span> }.into_any(),
                                                            None => view! {
                                                                <ActionForm action=revoke attr:class="inline">
                                                                    <input type="hidden" name="id" value=key.id.clone() />
                                                                    <span>"Activa "</span>
                                                                    <button type="submit" class="link danger"
                                                                        aria-label=format!("Revocar {}", key.name)>
                                                                        "Revocar"
                                                                    </button>
                                                                </ActionForm>
                                                            }
                                                            .into_any(),
                                                        }}
                                                    </td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            {action_error(revoke.value())}
            <h2>"Crear llave"</h2>
            <ActionForm action=create attr:class="form narrow">
                <label>"Nombre (para qué sistema es)" <input name="name" type="text" required minlength="3" maxlength="80" /></label>
                <fieldset>
                    <legend>"Permisos"</legend>
                    {API_SCOPES
                        .iter()
                        .map(|(code, label)| {
                            let field = code.replace(':', "_");
                            view! {
                                <label class="check">
                                    <input type="checkbox" name=field value="si" />
                                    " " <code>{*code}</code> " — " {*label}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <label>
                    "Límite de llamadas por minuto"
                    <input name="rate_limit_per_minute" type="number" min="1" max="1000000" value="600" required />
                </label>
                {action_error(create.value())}
                <button type="submit" disabled=move || create.pending().get()>"Crear llave"</button>
            </ActionForm>
        </section>
    }
}
