//! The page's one live connection (akarras/Ultros style): an `EventSource` on `/eventos`
//! opened after hydration for signed-in users, a status signal for the indicator, and a
//! version that pages read so their data refetches when something they show changed.
//! `EventSource` reconnects by itself after a dropped connection, sending `Last-Event-ID`;
//! the server replays what was missed (`server/src/http/live.rs`).

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
    open(live, std::rc::Rc::new(Resume::default()));
}

/// Where a manual reconnect resumes from, and how long it waits.
#[cfg(feature = "hydrate")]
#[derive(Default)]
struct Resume {
    /// The id of the last event received (`MessageEvent.lastEventId`).
    last_id: std::cell::RefCell<String>,
    /// Milliseconds before the next manual reconnect; doubles up to a minute.
    delay_ms: std::cell::Cell<u32>,
}

/// Opens the stream. The browser reconnects by itself after a dropped connection, sending
/// `Last-Event-ID`; but after a refused one (the server restarting behind a proxy answers
/// 502) it gives up for good, so the page opens a new `EventSource` itself, which cannot set
/// headers: the last id goes in `?ultimo=` and the server replays what was missed.
#[cfg(feature = "hydrate")]
fn open(live: Live, resume: std::rc::Rc<Resume>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    let url = match resume.last_id.borrow().as_str() {
        "" => "/eventos".to_string(),
        id => format!("/eventos?ultimo={id}"),
    };
    let Ok(source) = EventSource::new(&url) else {
        return;
    };
    let opened = resume.clone();
    let on_open = Closure::<dyn FnMut()>::new(move || {
        opened.delay_ms.set(0);
        live.connected.set(true);
    });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    let failed = resume.clone();
    let closed_source = source.clone();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        live.connected.set(false);
        if closed_source.ready_state() != EventSource::CLOSED {
            return; // The browser is already reconnecting.
        }
        let delay = failed.delay_ms.get().clamp(2_000, 60_000);
        failed.delay_ms.set(delay * 2);
        let again = failed.clone();
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(delay).await;
            open(live, again);
        });
    });
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let remember = |resume: &Resume, event: &MessageEvent| {
        let id = event.last_event_id();
        if !id.is_empty() {
            *resume.last_id.borrow_mut() = id;
        }
    };
    let seen = resume.clone();
    let on_change = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        remember(&seen, &event);
        live.version.update(|v| *v += 1);
    });
    for name in ["solicitud", "recargar"] {
        let _ = source.add_event_listener_with_callback(name, on_change.as_ref().unchecked_ref());
    }
    let on_connected = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        remember(&resume, &event);
    });
    let _ =
        source.add_event_listener_with_callback("conectado", on_connected.as_ref().unchecked_ref());
    // The connection lives as long as the page (or until refused): closures stay with it.
    on_open.forget();
    on_error.forget();
    on_change.forget();
    on_connected.forget();
}
