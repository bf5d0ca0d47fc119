//! The pieces of every spreadsheet import's mapping page (detractor bases, customer
//! accounts): the preview of the first rows, one select per field to say which column fills
//! it, and the errors per row with their downloadable report.

use leptos::prelude::*;

use crate::tabular::{error_csv, ImportRowError, ImportUpload};

/// The file's name, format and size, and its first rows as they were read.
#[component]
pub fn ImportPreviewTable(upload: ImportUpload) -> impl IntoView {
    let preview = upload.preview;
    view! {
        <h2>"Vista previa"</h2>
        <p class="meta">
            {format!("{} · {} · {} filas de datos", upload.file_name, preview.format, preview.total_rows)}
        </p>
        <div class="table-wrap">
            <table class="queue import-preview">
                <thead><tr>{preview.headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {preview.rows.iter().map(|row| view! {
                        <tr>{row.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One `<select name="mapping[field]">` per field, the recognized column chosen.
#[component]
pub fn ColumnSelects(upload: ImportUpload) -> impl IntoView {
    let preview = upload.preview;
    let headers = preview.headers.clone();
    let suggested = preview.suggested.clone();
    preview
        .fields
        .iter()
        .map(|field| {
            let chosen = suggested
                .iter()
                .find(|m| m.field == field.code)
                .map(|m| m.column.clone())
                .unwrap_or_default();
            let label = if field.required {
                format!("{} (obligatorio)", field.label)
            } else {
                field.label.clone()
            };
            view! {
                <label>
                    {label}
                    <select name=format!("mapping[{}]", field.code)>
                        <option value="" selected=chosen.is_empty()>"— sin asignar —"</option>
                        {headers.iter().map(|h| view! {
                            <option value=h.clone() selected=*h == chosen>{h.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            }
        })
        .collect_view()
}

/// A `data:` address for the error report, so the download works without another request.
fn csv_data_url(csv: &str) -> String {
    let mut url = String::from("data:text/csv;charset=utf-8,");
    for byte in csv.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// The errors per row, with the report to download; nothing when there are none.
#[component]
pub fn RowErrors(errors: Vec<ImportRowError>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        let href = csv_data_url(&error_csv(&errors));
        view! {
            <h2>"Errores por fila"</h2>
            <p><a class="button" href=href download="errores-importacion.csv">"Descargar el reporte de errores"</a></p>
            <div class="table-wrap">
                <table class="queue import-errors">
                    <thead><tr><th>"Fila"</th><th>"Columna"</th><th>"Error"</th></tr></thead>
                    <tbody>
                        {errors.iter().map(|e| view! {
                            <tr><td>{e.row}</td><td>{e.column.clone()}</td><td>{e.message.clone()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_report_travels_in_a_data_address() {
        assert_eq!(
            csv_data_url("Fila;Ñ\n"),
            "data:text/csv;charset=utf-8,Fila%3B%C3%91%0A"
        );
    }
}
