//! The hydrate entry: the browser takes over the server-rendered page.
//! It stays a few lines on purpose (DESIGN.md §4, start-axum-workspace).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(ventanilla_app::App);
}
