//! The collision warning on a staff request page (agent-workspace requirement): "X también está viendo / está
//! escribiendo". The page holds one presence stream open for as long as it shows the request
//! (the server takes the seat away when the stream closes) and, while the reply box changes,
//! marks its person as writing at most every few seconds.

use leptos::prelude::*;

use crate::live::model::Presence;

/// How often, at most, typing is announced while the reply box keeps changing (ms). Below the
/// server's typing mark (`ssr::presence::TYPING_SECONDS`) so a steady writer stays marked.
#[cfg(feature = "hydrate")]
const TYPING_EVERY_MS: f64 = 3000.0;

fn describe(person: &Presence) -> String {
    if person.typing {
        format!(
            "{} también está escribiendo una respuesta",
            person.full_name
        )
    } else {
        format!("{} también está viendo esta solicitud", person.full_name)
    }
}

/// The other people on this request, live. Staff pages only.
#[component]
pub fn PresenceNotice(radicado: String) -> impl IntoView {
    let people = RwSignal::new(Vec::<Presence>::new());
    #[cfg(feature = "hydrate")]
    {
        let source = StoredValue::new_local(None::<web_sys::EventSource>);
        Effect::new(move |_| {
            source.set_value(listen(&radicado, people));
        });
        on_cleanup(move || {
            source.with_value(|s| {
                if let Some(s) = s {
                    s.close();
                }
            })
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = radicado;
    view! {
        <ul class="presence" role="status" aria-live="polite" aria-label="Quién más está en esta solicitud">
            {move || people.get().iter().map(|p| {
                view! { <li class:typing=p.typing>{describe(p)}</li> }
            }).collect_view()}
        </ul>
    }
}

#[cfg(feature = "hydrate")]
fn listen(radicado: &str, people: RwSignal<Vec<Presence>>) -> Option<web_sys::EventSource> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let path = format!(
        "/equipo/presencia/{}",
        js_sys::encode_uri_component(radicado)
    );
    let source = web_sys::EventSource::new(&path).ok()?;
    let on_presence =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(data) = event.data().as_string() {
                if let Ok(list) = serde_json::from_str::<Vec<Presence>>(&data) {
                    people.set(list);
                }
            }
        });
    let _ =
        source.add_event_listener_with_callback("presencia", on_presence.as_ref().unchecked_ref());
    // Lives as long as the source; the source is closed when the page leaves the request.
    on_presence.forget();
    Some(source)
}

/// Tells the others that `draft` is being written, at most every few seconds. Browser only.
pub fn announce_typing(
    radicado: impl Fn() -> String + Send + Sync + 'static,
    draft: RwSignal<String>,
) {
    #[cfg(feature = "hydrate")]
    {
        let last = StoredValue::new(f64::NEG_INFINITY);
        Effect::new(move |first_run: Option<()>| {
            let text = draft.get();
            // The first run is the page loading (or a draft restored), not typing.
            if first_run.is_none() || text.is_empty() {
                return;
            }
            let now = js_sys::Date::now();
            if now - last.get_value() < TYPING_EVERY_MS {
                return;
            }
            last.set_value(now);
            let radicado = radicado();
            leptos::task::spawn_local(async move {
                let _ = crate::workspace::api::presence::mark_typing(radicado).await;
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (radicado, draft);
}
