//! The embedded default transport: one file per notification, named by its outbox id, so a
//! newcomer can open `data/outbox/` and read what would have been sent.
//!
//! Writing is idempotent: a notification delivered again after a crash rewrites the same
//! file. The file appears whole or not at all (written aside, then renamed).

use std::path::Path;

pub async fn write(dir: &Path, name: &str, contents: &[u8]) -> Result<(), String> {
    let shown = dir.display().to_string();
    let failed = move |err: std::io::Error| format!("no se pudo escribir en {shown}: {err}");
    let (dir, name, contents) = (dir.to_path_buf(), name.to_string(), contents.to_vec());
    // One trip to the blocking pool for the three calls instead of one each: the worker
    // writes a file per notification, one per filing under load.
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir)?;
        let partial = dir.join(format!(".{name}.parcial"));
        std::fs::write(&partial, contents)?;
        std::fs::rename(&partial, dir.join(name))
    })
    .await
    .map_err(|err| format!("no se pudo escribir el archivo: {err}"))?
    .map_err(failed)
}
