//! The agent's action form as a plain multipart HTTP endpoint, so a public reply or an
//! internal note can carry files (issue 5) and the form still works before the WebAssembly
//! loads. It shares the customer's form reading, size limit and answers (`portal_http`):
//! a redirect back to the request page for a plain post, JSON for the hydrated page.

use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use http::HeaderMap;
use ventanilla_app::ssr::state::AppState;
use ventanilla_app::ssr::workspace;

use crate::portal_http::{answer, failure, field, read_form, signed_in, wants_json};

pub async fn act(
    State(state): State<AppState>,
    Path(radicado): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let json_wanted = wants_json(&headers);
    let page = format!("/equipo/solicitudes/{radicado}");
    let outcome = async {
        let user = signed_in(&state, &headers).await.map_err(failure)?;
        let (fields, files) = read_form(multipart).await?;
        // Collision warning: the newest customer message the page had when the agent began
        // writing; checking "enviar de todos modos" sends over a newer one on purpose.
        let seen = fields
            .iter()
            .any(|(k, _)| k == "seen_customer_message")
            .then(|| field(&fields, "seen_customer_message"))
            .filter(|_| field(&fields, "send_anyway") != "si");
        workspace::act(
            &state,
            &user,
            &radicado,
            &field(&fields, "action"),
            &field(&fields, "message"),
            &field(&fields, "area_id"),
            &field(&fields, "assignee_id"),
            files,
            seen.as_deref(),
        )
        .await
        .map_err(failure)?;
        Ok(page.clone())
    }
    .await;
    answer(json_wanted, outcome, &page)
}
