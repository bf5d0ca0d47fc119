//! A form that sends files. Before the WebAssembly loads it is a plain multipart HTML form and
//! the server answers with a redirect; once hydrated it sends the same form with
//! `XMLHttpRequest`, shows the upload progress (customers on slow mobile networks, customer-portal requirement),
//! keeps what was typed when the server refuses something, and cannot be sent twice at once.

use leptos::prelude::*;

#[component]
pub fn UploadForm(
    /// Where the form posts.
    action: String,
    /// The submit button's text.
    submit_label: &'static str,
    children: Children,
) -> impl IntoView {
    let progress = RwSignal::new(None::<u32>);
    let error = RwSignal::new(None::<String>);
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            event.prevent_default();
            send(&event, progress, error);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="form" on:submit=on_submit>
            {children()}
            {move || error.get().map(|message| view! { <p class="alert" role="alert">{message}</p> })}
            {move || {
                progress
                    .get()
                    .map(|done| {
                        view! {
                            <div class="progress" role="status">
                                <progress max="100" value=done></progress>
                                <span>{format!("Enviando… {done} %")}</span>
                            </div>
                        }
                    })
            }}
            <button type="submit" disabled=move || progress.get().is_some()>{submit_label}</button>
        </form>
    }
}

#[cfg(feature = "hydrate")]
fn send(
    event: &leptos::ev::SubmitEvent,
    progress: RwSignal<Option<u32>>,
    error: RwSignal<Option<String>>,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    const UNREACHABLE: &str =
        "No fue posible comunicarse con el servidor. Revise su conexión e intente de nuevo.";
    if progress.get_untracked().is_some() {
        return;
    }
    let Some(form) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return;
    };
    let (Ok(data), Ok(request)) = (
        web_sys::FormData::new_with_form(&form),
        web_sys::XmlHttpRequest::new(),
    ) else {
        error.set(Some(UNREACHABLE.into()));
        return;
    };
    // The attribute, not `form.action`: a control named "action" inside the form (the agent's
    // action picker) shadows that property.
    let target = form.get_attribute("action").unwrap_or_default();
    if request.open("POST", &target).is_err()
        || request
            .set_request_header("Accept", "application/json")
            .is_err()
    {
        error.set(Some(UNREACHABLE.into()));
        return;
    }
    error.set(None);
    progress.set(Some(0));
    if let Ok(upload) = request.upload() {
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    progress.set(Some((e.loaded() / e.total() * 100.0).round() as u32));
                }
            });
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let finished = request.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        let status = finished.status().unwrap_or(0);
        let text = finished.response_text().ok().flatten().unwrap_or_default();
        let body: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        if status == 200 {
            if let Some(url) = body["url"].as_str() {
                let _ = window().location().set_href(url);
                return;
            }
        }
        progress.set(None);
        error.set(Some(
            body["error"]
                .as_str()
                .unwrap_or("No fue posible enviar el formulario. Intente de nuevo.")
                .to_string(),
        ));
    });
    request.set_onload(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        error.set(Some(UNREACHABLE.into()));
    });
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    if request.send_with_opt_form_data(Some(&data)).is_err() {
        progress.set(None);
        error.set(Some(UNREACHABLE.into()));
    }
}
