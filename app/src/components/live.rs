//! The page's one live connection (akarras/Ultros style): an `EventSource` on `/eventos`
//! opened after hydration for signed-in users, a status signal for the indicator, and a
//! version that pages read so their data refetches when something they show changed.
//! `EventSource` reconnects by itself after a dropped connection.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Live {
    /// Bumped on every event this user may see.
    pub version: RwSignal<u64>,
    pub connected: RwSignal<bool>,
}

pub fn provide_live() {
    provide_context(Live {
        version: RwSignal::new(0),
        connected: RwSignal::new(false),
    });
}

pub fn use_live() -> Live {
    expect_context::<Live>()
}

/// The indicator in the header; also opens the connection once the page is interactive.
#[component]
pub fn LiveIndicator() -> impl IntoView {
    let live = use_live();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| connect(live));
    view! {
        <span class="live" class:on=move || live.connected.get()
            title="Los cambios aparecen sin recargar la página">
            {move || if live.connected.get() { "● En vivo" } else { "○ Conectando…" }}
        </span>
    }
}

#[cfg(feature = "hydrate")]
fn connect(live: Live) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let Ok(source) = web_sys::EventSource::new("/eventos") else {
        return;
    };
    let on_open = Closure::<dyn FnMut()>::new(move || live.connected.set(true));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    let on_error = Closure::<dyn FnMut()>::new(move || live.connected.set(false));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let on_change = Closure::<dyn FnMut()>::new(move || live.version.update(|v| *v += 1));
    for name in ["solicitud", "recargar"] {
        let _ = source.add_event_listener_with_callback(name, on_change.as_ref().unchecked_ref());
    }
    // The connection lives as long as the page: closures and source stay for its lifetime.
    on_open.forget();
    on_error.forget();
    on_change.forget();
    std::mem::forget(source);
}
