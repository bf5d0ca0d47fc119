//! "Descargar mis datos": everything the desk holds about a customer, in one ZIP (Ley 1581 de
//! 2012 art. 8 lit. a and art. 14 — the data subject may know and get their personal data;
//! REFERENCE.md §Habeas Data). `datos.json` holds the profile, the consents with the policy
//! text version they accepted, every request with its public thread, and the survey answers;
//! `adjuntos/` the files of that thread; `LEAME.txt` says what is where.
//!
//! Internal notes, drafts and the access log are the organization's working papers about
//! the case, not data the customer gave or received; they stay out, as they stay off the
//! customer's request page. Downloading is recorded in the audit trail.

use std::io::Write;

use serde_json::{json, Value};
use sqlx::Row;

use crate::accounts::model::SessionUser;
use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::files::AttachmentStore;
use crate::state::AppState;
use crate::timers::local_time;

/// The ZIP's file name, as the browser saves it.
pub const FILE_NAME: &str = "mis-datos-ventanilla.zip";

const README: &str = "Sus datos en Ventanilla\n\
=======================\n\n\
datos.json   su perfil, las autorizaciones de tratamiento de datos que aceptó (con la versión\n\
             del texto), cada solicitud con su conversación y sus respuestas a encuestas.\n\
adjuntos/    los archivos de esas conversaciones, en una carpeta por radicado.\n\n\
Ley 1581 de 2012: puede pedir que corrijamos, actualicemos o suprimamos estos datos, o revocar\n\
su autorización, radicando una solicitud desde el portal.\n";

/// A file of the thread to put in the ZIP: where, and the stored file it copies.
struct FileEntry {
    path: String,
    sha256: String,
}

/// The customer's data as a ZIP, and the audit event of the download.
pub async fn export(state: &AppState, user: &SessionUser) -> Result<Vec<u8>, AppError> {
    if user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let profile = sqlx::query(
        "SELECT u.account_id, u.full_name, u.email, u.phone, u.address, u.created_at, \
         a.document_type, a.document_number, a.name AS account_name, a.kind, a.segment \
         FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = $1",
    )
    .bind(&user.id)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let account_id: String = profile.get("account_id");
    let consents: Vec<Value> = sqlx::query(
        "SELECT policy_version, policy_sha256, accepted_at, client_ip, channel FROM data_consents \
         WHERE user_id = $1 ORDER BY accepted_at",
    )
    .bind(&user.id)
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|c| {
        json!({
            "version_politica": c.get::<String, _>("policy_version"),
            "sha256_texto": c.get::<String, _>("policy_sha256"),
            "aceptada": local_time(c.get("accepted_at")),
            "canal": c.get::<String, _>("channel"),
            "desde": c.get::<String, _>("client_ip"),
        })
    })
    .collect();
    let (requests, files) = requests_of(state, &account_id).await?;
    let surveys: Vec<Value> = sqlx::query(
        "SELECT r.radicado, s.answered_at, s.csat, s.nps, s.resolved, s.comment FROM survey_invitations s \
         JOIN requests r ON r.id = s.request_id WHERE s.account_id = $1 AND s.answered_at IS NOT NULL \
         ORDER BY s.answered_at",
    )
    .bind(&account_id)
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|s| {
        json!({
            "radicado": s.get::<String, _>("radicado"),
            "respondida": local_time(s.get("answered_at")),
            "csat": s.get::<Option<i64>, _>("csat"),
            "nps": s.get::<Option<i64>, _>("nps"),
            "resuelta": s.get::<Option<i64>, _>("resolved").map(|r| r == 1),
            "comentario": s.get::<Option<String>, _>("comment"),
        })
    })
    .collect();
    let data = json!({
        "generado": local_time(crate::platform::db::now()),
        "responsable": state.config.organization.name,
        "perfil": {
            "nombre": profile.get::<String, _>("full_name"),
            "titular_de_la_cuenta": profile.get::<String, _>("account_name"),
            "tipo_documento": profile.get::<String, _>("document_type"),
            "numero_documento": profile.get::<String, _>("document_number"),
            "correo": profile.get::<String, _>("email"),
            "celular": profile.get::<String, _>("phone"),
            "direccion": profile.get::<String, _>("address"),
            "tipo_de_cliente": profile.get::<String, _>("kind"),
            "segmento": profile.get::<String, _>("segment"),
            "registrado": local_time(profile.get("created_at")),
        },
        "autorizaciones": consents,
        "solicitudes": requests,
        "encuestas": surveys,
    });
    let mut contents = Vec::with_capacity(files.len());
    let store = AttachmentStore::new(&state.config.attachments_dir);
    for file in files {
        let path = store.path(&file.sha256).ok_or(AppError::Internal)?;
        match tokio::fs::read(&path).await {
            Ok(bytes) => contents.push((file.path, bytes)),
            // A file missing on disk is reported, not a failed export.
            Err(err) => {
                tracing::error!(path = %path.display(), error = %err, "attachment missing on disk")
            }
        }
    }
    let json_text = serde_json::to_vec_pretty(&data).map_err(|_| AppError::Internal)?;
    let zip = tokio::task::spawn_blocking(move || write_zip(&json_text, &contents))
        .await
        .map_err(|_| AppError::Internal)??;
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        "datos_descargados",
        "account",
        &account_id,
        json!({ "bytes": zip.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(zip)
}

/// Every request of the account with its public thread, and the files that thread carries.
async fn requests_of(
    state: &AppState,
    account_id: &str,
) -> Result<(Vec<Value>, Vec<FileEntry>), AppError> {
    let rows = sqlx::query(
        "SELECT id, radicado, request_type, subject, description, state, channel, received_at \
         FROM requests WHERE account_id = $1 ORDER BY received_at, radicado",
    )
    .bind(account_id)
    .fetch_all(&state.pool)
    .await?;
    let mut requests = Vec::with_capacity(rows.len());
    let mut files = Vec::new();
    for row in rows {
        let request_id: String = row.get("id");
        let radicado: String = row.get("radicado");
        let mut messages = Vec::new();
        for message in sqlx::query(
            "SELECT id, author_label, from_customer, body, created_at FROM request_messages \
             WHERE request_id = $1 AND visibility = 'publica' ORDER BY created_at, id",
        )
        .bind(&request_id)
        .fetch_all(&state.pool)
        .await?
        {
            let message_id: String = message.get("id");
            let mut attached = Vec::new();
            for file in sqlx::query(
                "SELECT id, file_name, sha256 FROM attachments WHERE message_id = $1 ORDER BY created_at, id",
            )
            .bind(&message_id)
            .fetch_all(&state.pool)
            .await?
            {
                let file_name: String = file.get("file_name");
                let id: String = file.get("id");
                // The id keeps two files of the same name apart.
                let path = format!("adjuntos/{radicado}/{}-{file_name}", &id[..8.min(id.len())]);
                attached.push(Value::String(path.clone()));
                files.push(FileEntry {
                    path,
                    sha256: file.get("sha256"),
                });
            }
            messages.push(json!({
                "autor": message.get::<String, _>("author_label"),
                "del_cliente": message.get::<i64, _>("from_customer") == 1,
                "fecha": local_time(message.get("created_at")),
                "mensaje": message.get::<String, _>("body"),
                "adjuntos": attached,
            }));
        }
        let request_type: String = row.get("request_type");
        let state_code: String = row.get("state");
        requests.push(json!({
            "radicado": radicado,
            "tipo": ventanilla::legal::RequestType::from_code(&request_type)
                .map(|t| t.label_es().to_string())
                .unwrap_or(request_type),
            "asunto": row.get::<String, _>("subject"),
            "descripcion": row.get::<String, _>("description"),
            "estado": ventanilla::lifecycle::RequestState::from_code(&state_code)
                .map(|s| s.label_es().to_string())
                .unwrap_or(state_code),
            "canal": row.get::<String, _>("channel"),
            "radicada": local_time(row.get("received_at")),
            "conversacion": messages,
        }));
    }
    Ok((requests, files))
}

/// The ZIP itself, stored without compression: the JSON is small and most attachments
/// (PDF, images) are compressed already.
fn write_zip(json_text: &[u8], files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, AppError> {
    let fail = |_| AppError::Internal;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("LEAME.txt", options).map_err(fail)?;
    writer
        .write_all(README.as_bytes())
        .map_err(|_| AppError::Internal)?;
    writer.start_file("datos.json", options).map_err(fail)?;
    writer
        .write_all(json_text)
        .map_err(|_| AppError::Internal)?;
    for (path, bytes) in files {
        writer.start_file(path.as_str(), options).map_err(fail)?;
        writer.write_all(bytes).map_err(|_| AppError::Internal)?;
    }
    Ok(writer.finish().map_err(fail)?.into_inner())
}
