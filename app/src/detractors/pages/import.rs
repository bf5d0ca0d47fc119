//! Import of a detractor base (seed 003 §4 steps 1–2): upload the file the client's BI tool
//! exported, say which column is which, look at the first rows, import. A file with bad rows
//! imports nothing: the page lists the errors per row with a downloadable report, and the
//! supervisor fixes the file or explicitly skips those rows.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::detractors::api::import::{load_import_upload, RunDetractorImport};
use crate::detractors::model::{ImportReport, ImportUpload};
use crate::ui::feedback::{ErrorNotice, QueryError};
use crate::ui::spreadsheet::{ColumnSelects, ImportPreviewTable, RowErrors};

#[component]
pub fn DetractorImportPage() -> impl IntoView {
    let query = use_query_map();
    let upload_id = move || query.read().get("archivo").unwrap_or_default();
    view! {
        <section class="detractor-import">
            <p><a href="/equipo/detractores">"← Detractores"</a></p>
            <h1>"Importar base de detractores"</h1>
            <p class="meta">
                "Suba la base descargada (.xlsx o .csv, hasta 5 MB y 5000 filas). Luego indique qué columna trae cada dato, "
                "revise la vista previa e importe. Los registros ya gestionados en cortes anteriores no se vuelven a crear."
            </p>
            <QueryError />
            <form method="post" action="/equipo/detractores/importar/archivo" enctype="multipart/form-data" class="form">
                <label>
                    "Archivo de la base"
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
    let run = ServerAction::<RunDetractorImport>::new();
    let upload = Resource::new(
        {
            let id = id.clone();
            move || id.clone()
        },
        load_import_upload,
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
    run: ServerAction<RunDetractorImport>,
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
            <button type="submit" disabled=move || run.pending().get()>"Importar"</button>
        </ActionForm>
    }
}

#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let summary = if report.imported {
        view! {
            <div class="success" role="status">
                <p>
                    {format!(
                        "Importación terminada: {} casos nuevos, {} ya gestionados o repetidos (no se replican), {} filas con errores omitidas.",
                        report.created, report.duplicates, report.skipped
                    )}
                </p>
                <a href="/equipo/detractores">"Ir a la bandeja de detractores"</a>
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
