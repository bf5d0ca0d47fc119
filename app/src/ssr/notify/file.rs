//! The embedded default transport: one file per notification, named by its outbox id, so a
//! newcomer can open `data/outbox/` and read what would have been sent.
//!
//! Writing is idempotent: a notification delivered again after a crash rewrites the same
//! file. The file appears whole or not at all (written aside, then renamed).

use std::path::Path;

pub async fn write(dir: &Path, name: &str, contents: &[u8]) -> Result<(), String> {
    let failed = |err: std::io::Error| format!("no se pudo escribir en {}: {err}", dir.display());
    tokio::fs::create_dir_all(dir).await.map_err(failed)?;
    let partial = dir.join(format!(".{name}.parcial"));
    tokio::fs::write(&partial, contents).await.map_err(failed)?;
    tokio::fs::rename(&partial, dir.join(name))
        .await
        .map_err(failed)
}
