//! How pages tell people what went wrong: one alert style, and a sign-in prompt when the
//! session is missing instead of a bare error.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;

/// An error from a server function, shown in words.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthenticated => view! {
            <div class="notice" role="alert">
                <p>"Debe iniciar sesión para ver esta página."</p>
                <a class="button" href="/ingresar">"Ingresar"</a>
            </div>
        }
        .into_any(),
        other => view! { <p class="alert" role="alert">{other.to_string()}</p> }.into_any(),
    }
}

/// The message a plain HTML form post (before the WebAssembly loaded) was sent back with,
/// shown only when the server sealed it (`platform::flash`): a link someone else crafted
/// with `?error=` text shows nothing.
#[component]
pub fn QueryError() -> impl IntoView {
    let query = use_query_map();
    let notice = Resource::new(
        move || {
            let query = query.read();
            (query.get("error"), query.get("firma"))
        },
        |sealed| async move {
            match sealed {
                (Some(message), Some(signature)) => {
                    sealed_notice(message, signature).await.ok().flatten()
                }
                _ => None,
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                notice
                    .await
                    .map(|message| view! { <p class="alert" role="alert">{message}</p> })
            })}
        </Suspense>
    }
}

/// `message` if `signature` is this server's seal of it.
#[server(endpoint = "aviso")]
pub async fn sealed_notice(message: String, signature: String) -> Result<Option<String>, AppError> {
    Ok(crate::platform::flash::open(&message, &signature))
}

/// The error of the last submission of a form, if it failed.
pub fn action_error<T, V>(value: V) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    move || {
        value
            .get()
            .and_then(Result::err)
            .map(|error| view! { <p class="alert" role="alert">{error.to_string()}</p> })
    }
}

/// What the last submission of a form that answers with a sentence did: the sentence, or
/// why nothing changed.
pub fn action_outcome<V>(value: V) -> impl IntoView
where
    V: Get<Value = Option<Result<String, AppError>>> + Send + Sync + 'static,
{
    move || {
        value.get().map(|result| match result {
            Ok(done) => view! { <p class="success" role="status">{done}</p> }.into_any(),
            Err(error) => {
                view! { <p class="alert" role="alert">{error.to_string()}</p> }.into_any()
            }
        })
    }
}

/// Sends the browser to `path` with a full load once `value` holds a success, so the new
/// session cookie is read by a fresh server render.
pub fn go_on_success<V>(value: V)
where
    V: Get<Value = Option<Result<String, AppError>>> + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            let _ = window().location().set_href(&path);
        }
    });
}
