//! `/equipo/llamadas/importar`: bring the switchboard's call detail records (issue 20).
//! Upload the export, say which column is which, look at the first rows, simulate or import.
//! A file with bad rows imports nothing: the page lists the errors per row with a
//! downloadable report, and the supervisor fixes the file or explicitly skips those rows.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::calls::api::{load_call_upload, RunCallImport};
use crate::calls::model::CallImportReport;
use crate::tabular::ImportUpload;
use crate::ui::feedback::{ErrorNotice, QueryError};
use crate::ui::spreadsheet::{ColumnSelects, ImportPreviewTable, RowErrors};

/// Where the page's upload form posts (a plain multipart form handled by the server crate).
pub const UPLOAD: &str = "/equipo/llamadas/importar/archivo";

#[component]
pub fn CallImportPage() -> impl IntoView {
    let query = use_query_map();
    let upload_id = move || query.read().get("archivo").unwrap_or_default();
    view! {
        <section class="call-import">
            <p><a href="/equipo/llamadas">"← Llamadas"</a></p>
            <h1>"Importar registros de llamadas"</h1>
            <p class="meta">
                "Suba la exportación de la central telefónica (.xlsx o .csv, hasta 5 MB y 5000 filas) con una llamada por fila: "
                "la fecha y hora (hora de Colombia) y el resultado (atendida o abandonada; también ANSWERED, NO ANSWER, BUSY) son obligatorios; "
                "la espera, la duración, el teléfono, el agente (su correo en Ventanilla o la extensión), el radicado de la solicitud "
                "y el id de la llamada en la central son opcionales. Una llamada cuyo id ya está registrado no se cuenta dos veces."
            </p>
            <QueryError />
            <form method="post" action=UPLOAD enctype="multipart/form-data" class="form">
                <label>
                    "Archivo de llamadas"
                    <input type="file" name="archivo" accept=".xlsx,.csv" required />
                </label>
                <button type="submit">"Cargar archivo"</button>
            </form>
            {move || {
                let id = upload_id();
                (!id.is_empty()).then(|| view! { <Mapping id /> })
            }}
        </section>
    }
}

#[component]
fn Mapping(id: String) -> impl IntoView {
    let run = ServerAction::<RunCallImport>::new();
    let upload = Resource::new(
        {
            let id = id.clone();
            move || id.clone()
        },
        load_call_upload,
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Leyendo el archivo…"</p> }>
            {move || {
                let id = id.clone();
                Suspend::new(async move {
                    match upload.await {
                        Ok(Some(upload)) => view! { <MappingForm id upload run /> }.into_any(),
                        Ok(None) => view! {
                            <p class="alert" role="alert">"No encontramos ese archivo. Súbalo de nuevo."</p>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Transition>
        {move || run.value().get().map(|outcome| match outcome {
            Ok(report) => view! { <Report report /> }.into_any(),
            Err(error) => view! { <ErrorNotice error /> }.into_any(),
        })}
    }
}

#[component]
fn MappingForm(
    id: String,
    upload: ImportUpload,
    run: ServerAction<RunCallImport>,
) -> impl IntoView {
    view! {
        <ImportPreviewTable upload=upload.clone() />
        <h2>"Columnas"</h2>
        <ActionForm action=run attr:class="form mapping">
            <input type="hidden" name="id" value=id />
            <ColumnSelects upload />
            <label class="check">
                <input type="checkbox" name="skip_bad_rows" value="si" />
                "Omitir las filas con errores e importar las demás"
            </label>
            <label class="check">
                <input type="checkbox" name="dry_run" value="si" />
                "Solo simular: revisar y contar sin guardar nada"
            </label>
            <button type="submit" disabled=move || run.pending().get()>"Importar"</button>
        </ActionForm>
    }
}

#[component]
fn Report(report: CallImportReport) -> impl IntoView {
    let counts = format!(
        "{} llamadas nuevas, {} ya registradas, {} filas con errores omitidas.",
        report.created, report.already_recorded, report.skipped
    );
    let summary = if report.imported {
        view! {
            <div class="success" role="status">
                <p>{format!("Importación terminada: {counts}")}</p>
                <a href="/equipo/llamadas">"Ver las llamadas"</a>
            </div>
        }
        .into_any()
    } else if report.dry_run && (report.errors.is_empty() || report.skipped > 0) {
        view! {
            <div class="success" role="status">
                <p>{format!("Simulación: no se guardó nada. Al importar quedarían {counts}")}</p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <p class="alert" role="alert">
                "El archivo tiene filas con errores y no se importó nada. Corríjalas y súbalo de nuevo, "
                "o marque «Omitir las filas con errores» para importar las demás."
            </p>
        }
        .into_any()
    };
    view! { {summary} <RowErrors errors=report.errors /> }
}
