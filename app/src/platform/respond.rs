//! How a server function's outcome becomes an HTTP response.
//!
//! Two kinds of caller reach a server function: the hydrated page (fetch, JSON) and a plain
//! HTML form posted before the WebAssembly loaded (slow mobile networks, seed 000's portal).
//! The first gets a proper status code; the second is sent back to the page it came from,
//! with the message in `?error=` and its tag (`platform::flash`) so the page can show it.

use http::header::{ACCEPT, REFERER};
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::error::AppError;

/// Sets the status (or the redirect for plain forms) that goes with an error.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        if err == &AppError::Internal {
            tracing::warn!("server function answered with an internal error");
        }
        match plain_form_referer() {
            Some(back) => {
                let path = strip_query(&back);
                let sealed = crate::platform::flash::seal(&err.to_string());
                leptos_axum::redirect(&format!("{path}?{sealed}"));
            }
            None => {
                if let Some(options) = use_context::<ResponseOptions>() {
                    options.set_status(err.status_code());
                    if let Some(seconds) = err.retry_after() {
                        options.insert_header(http::header::RETRY_AFTER, seconds.into());
                    }
                }
            }
        }
    }
    result
}

/// After a successful plain form post, go to `path` instead of back to the form. The
/// hydrated page does its own navigation from the returned value.
pub fn navigate_after(path: &str) {
    if plain_form_referer().is_some() {
        leptos_axum::redirect(path);
    }
}

fn plain_form_referer() -> Option<String> {
    let parts = use_context::<Parts>()?;
    let accepts_html = parts
        .headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if !accepts_html {
        return None;
    }
    let referer = parts.headers.get(REFERER)?.to_str().ok()?;
    Some(path_within_site(referer))
}

/// Only ever redirect within this site: the path of the referer, without its origin. A path
/// that starts `//` (or `/\`) would be read by the browser as another host, an open
/// redirect: it becomes the home page.
fn path_within_site(referer: &str) -> String {
    let path = url::Url::parse(referer)
        .map(|parsed| parsed.path().to_string())
        .unwrap_or_default();
    if !path.starts_with('/') || path.starts_with("//") || path.starts_with("/\\") {
        return "/".to_string();
    }
    path
}

fn strip_query(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::path_within_site;

    #[test]
    fn the_way_back_never_leaves_the_site() {
        assert_eq!(
            path_within_site("https://ventanilla.co/portal/nueva?error=x"),
            "/portal/nueva"
        );
        assert_eq!(
            path_within_site("https://ventanilla.co//evil.example/x"),
            "/"
        );
        assert_eq!(
            path_within_site("https://ventanilla.co/\\evil.example"),
            "/"
        );
        assert_eq!(path_within_site("no es una url"), "/");
    }
}
