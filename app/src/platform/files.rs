//! Attachment files on the local disk, content-addressed: `ab/cdef…` under the configured
//! folder, named by the SHA-256 of the content. The same file attached twice is stored once,
//! and a name can never point outside the folder.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct AttachmentStore {
    root: PathBuf,
}

/// A file written by this call, so that a failed transaction can remove exactly what it added.
#[derive(Debug)]
pub struct Stored {
    pub sha256: String,
    pub created: bool,
}

impl AttachmentStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Where the file with this hash lives; `None` for anything that is not a SHA-256 in hex.
    pub fn path(&self, sha256: &str) -> Option<PathBuf> {
        let valid = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        valid.then(|| self.root.join(&sha256[..2]).join(&sha256[2..]))
    }

    /// Writes the bytes (atomically: a temporary file renamed into place).
    pub async fn put(&self, bytes: &[u8]) -> Result<Stored, AppError> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        let path = self.path(&sha256).ok_or(AppError::Internal)?;
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(Stored {
                sha256,
                created: false,
            });
        }
        let parent = path.parent().ok_or(AppError::Internal)?;
        tokio::fs::create_dir_all(parent).await.map_err(io_error)?;
        let temporary = parent.join(format!(
            ".{}.{}",
            &sha256[2..],
            crate::platform::db::new_id()
        ));
        tokio::fs::write(&temporary, bytes)
            .await
            .map_err(io_error)?;
        tokio::fs::rename(&temporary, &path)
            .await
            .map_err(io_error)?;
        Ok(Stored {
            sha256,
            created: true,
        })
    }

    /// Removes files this request created when its transaction did not commit, so a failed
    /// upload leaves no orphan on disk.
    pub async fn discard(&self, stored: &[Stored]) {
        for file in stored.iter().filter(|s| s.created) {
            if let Some(path) = self.path(&file.sha256) {
                if let Err(err) = tokio::fs::remove_file(&path).await {
                    tracing::warn!(error = %err, path = %path.display(), "could not remove an uncommitted attachment");
                }
            }
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

fn io_error(err: std::io::Error) -> AppError {
    tracing::error!(error = %err, "attachment storage error");
    AppError::Internal
}
