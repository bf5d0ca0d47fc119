//! Import of external detractor bases (seed 003 §4 steps 1–2: "se ejecuta la descarga de los
//! registros existentes de clientes con encuestas de satisfacción negativas … en un archivo
//! Excel"; the backoffice then segments and assigns them).
//!
//! Two calls make the whole service, for the UI and the REST API alike:
//!
//! 1. [`preview`]`(bytes, file_name)` reads the header row and the first rows and suggests a
//!    column mapping. It writes nothing and needs no database.
//! 2. [`import`]`(state, actor, bytes, file_name, mapping, skip_bad_rows)` checks every row and,
//!    in one transaction, opens one recovery case per good new row (segmented, assigned by
//!    load, excluded kinds typified without a call — the same rules as a case from our own
//!    survey, see [`crate::detractors::server::cases`]), with its audit events. It returns an
//!    [`ImportReport`]: cases created, duplicates skipped, and the errors per row in Spanish.
//!    **A file with bad rows imports nothing** (`imported: false`, the errors listed) unless
//!    `skip_bad_rows` is true, in which case the good rows go in and the bad ones are counted
//!    as skipped. Only supervisors and admins may import (`Forbidden` otherwise); an API key
//!    imports through [`import_as`] on behalf of the supervisor or admin who created it, and
//!    the history names the key. [`import_as`] also has a dry run: the same checks and
//!    duplicate look-ups, nothing written.
//!
//! Reading the file (format by content, disguised files, size and row limits) is
//! [`crate::platform::spreadsheet`], shared with the customer import.
//!
//! Deduplication: each record has a key — the survey id column when mapped, otherwise account
//! code + survey date + NPS — stored unique on the case. A record whose key is already in the
//! desk, open or closed, is counted as a duplicate and not created again: "evitar que vuelva a
//! salir replicado el registro en otro corte de gestión" (seed 003 §4 step 4).

use std::collections::{HashMap, HashSet};

use serde_json::json;
use sqlx::Row;
use ventanilla::role::Role;
use ventanilla::text::normalize;

use crate::accounts::server::validate;
use crate::detractors::server::cases::{self, NewCase};
use crate::error::AppError;
use crate::live::server::bus::{LiveChange, Scope};
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, now};
use crate::platform::spreadsheet::{self as sheet, parse_date, read, FieldSpec, RowCheck};
use crate::state::AppState;
use crate::{
    accounts::model::SessionUser,
    detractors::model::{ImportField, ImportMapping, ImportPreview, ImportReport, ImportRowError},
};

pub use crate::platform::spreadsheet::{check_file, FileRefusal, MAX_BYTES, MAX_ROWS};
const COMMENT_MAX: usize = 2_000;

/// The fields a column can fill: (code, label, required, header words that suggest it).
const FIELDS: [FieldSpec; 13] = [
    (
        "cuenta",
        "Cuenta (custcode)",
        true,
        &["cuenta", "custcode", "codigo cuenta", "contrato"],
    ),
    (
        "nombre",
        "Nombre del cliente",
        true,
        &["nombre", "cliente", "nombre cliente", "razon social"],
    ),
    (
        "telefono",
        "Teléfono (ANI)",
        true,
        &[
            "telefono",
            "ani",
            "celular",
            "movil contacto",
            "numero contacto",
        ],
    ),
    (
        "nps",
        "NPS (0 a 10)",
        true,
        &["nps", "recomendacion", "calificacion nps"],
    ),
    (
        "csat",
        "CSAT (1 a 5)",
        false,
        &["csat", "satisfaccion", "calificacion"],
    ),
    (
        "comentario",
        "Comentario",
        false,
        &["comentario", "observacion", "verbatim", "observaciones"],
    ),
    (
        "segmento",
        "Segmento",
        false,
        &["segmento", "segmentacion", "negocio"],
    ),
    (
        "correo",
        "Correo electrónico",
        false,
        &["correo", "email", "e-mail", "correo electronico"],
    ),
    (
        "documento",
        "Documento",
        false,
        &["documento", "cedula", "nit", "identificacion"],
    ),
    (
        "tipo_cuenta",
        "Tipo de cuenta",
        false,
        &["tipo cuenta", "tipo de cuenta", "tipo"],
    ),
    (
        "estado_servicio",
        "Estado del servicio",
        false,
        &[
            "estado",
            "estado servicio",
            "estado cuenta",
            "estado del servicio",
        ],
    ),
    (
        "fecha_encuesta",
        "Fecha de la encuesta",
        false,
        &["fecha", "fecha encuesta", "fecha de la encuesta"],
    ),
    (
        "id_encuesta",
        "Id de la encuesta",
        false,
        &["id", "id encuesta", "id_encuesta", "consecutivo"],
    ),
];

/// The fields the mapping step offers.
pub fn fields() -> Vec<ImportField> {
    sheet::field_list(&FIELDS)
}

/// The header row, the first rows and a suggested mapping, for the mapping step. Writes
/// nothing.
pub fn preview(bytes: &[u8], file_name: &str) -> Result<ImportPreview, AppError> {
    sheet::preview(bytes, file_name, &FIELDS)
}

fn refuse(message: impl Into<String>) -> AppError {
    AppError::validation(message)
}

/// One good row, ready to become a case.
struct Record {
    key: String,
    account_code: String,
    name: String,
    phone: String,
    email: String,
    document_key: Option<String>,
    segment: Option<String>,
    kind: Option<String>,
    service_status: Option<String>,
    nps: u8,
    csat: Option<u8>,
    comment: String,
}

fn phone_ok(value: &str) -> bool {
    // Seed 003 speaks of "los números registrados": several may come in one cell.
    value
        .split(['/', ',', ';', '|'])
        .map(|n| n.chars().filter(char::is_ascii_digit).count())
        .all(|digits| (7..=15).contains(&digits))
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()/,;|.".contains(c))
}

fn check_row(
    number: usize,
    row: &[String],
    headers: &[String],
    columns: &HashMap<&'static str, usize>,
    segments: &[String],
) -> Result<Record, Vec<ImportRowError>> {
    let mut check = RowCheck {
        row,
        columns,
        headers,
        number,
        errors: Vec::new(),
    };
    let account_code = check.text("cuenta", "Cuenta", true, 60);
    let name = check.text("nombre", "Nombre del cliente", true, 200);
    let phone = check.text("telefono", "Teléfono", true, 100);
    if !phone.is_empty() && !phone_ok(&phone) {
        check.fail(
            "telefono",
            format!("Teléfono: «{phone}» no es un número de 7 a 15 dígitos."),
        );
    }
    let nps = check.score("nps", "NPS", 0..=10);
    if check.get("nps").is_empty() {
        check.fail("nps", "NPS: está vacío.");
    }
    let csat = check.score("csat", "CSAT", 1..=5);
    if let Some(score) = nps {
        if !ventanilla::survey::is_detractor(Some(score), csat) {
            check.fail(
                "nps",
                format!(
                    "NPS {score} no es de un detractor (0 a 6, o CSAT 1 o 2): esta base solo debe traer encuestas negativas."
                ),
            );
        }
    }
    let comment = check.text("comentario", "Comentario", false, COMMENT_MAX);
    let email = check.get("correo");
    let email = if email.is_empty() {
        String::new()
    } else {
        match validate::email(&email) {
            Ok(email) => email,
            Err(_) => {
                check.fail(
                    "correo",
                    format!("Correo electrónico: «{email}» no es una dirección válida."),
                );
                String::new()
            }
        }
    };
    let segment = check.get("segmento");
    let segment = (!segment.is_empty()).then(|| normalize(&segment));
    if let Some(segment) = &segment {
        if !segments.contains(segment) {
            check.fail(
                "segmento",
                format!(
                    "Segmento: «{}» no es uno de los configurados ({}).",
                    check.get("segmento"),
                    segments.join(", ")
                ),
            );
        }
    }
    let date = check.get("fecha_encuesta");
    let date = if date.is_empty() {
        String::new()
    } else {
        match parse_date(&date) {
            Some(date) => date,
            None => {
                check.fail(
                    "fecha_encuesta",
                    format!(
                        "Fecha de la encuesta: «{date}» no es una fecha (AAAA-MM-DD o DD/MM/AAAA)."
                    ),
                );
                String::new()
            }
        }
    };
    let survey_id = check.text("id_encuesta", "Id de la encuesta", false, 100);
    let document = check.text("documento", "Documento", false, 20);
    let kind = check.get("tipo_cuenta");
    let service_status = check.get("estado_servicio");
    if !check.errors.is_empty() {
        return Err(check.errors);
    }
    let nps = nps.unwrap_or_default();
    let key = if survey_id.is_empty() {
        format!("cuenta:{}|{}|{}", normalize(&account_code), date, nps)
    } else {
        format!("id:{}", normalize(&survey_id))
    };
    Ok(Record {
        key,
        account_code,
        name,
        phone,
        email,
        document_key: (!document.is_empty()).then(|| validate::document_key(&document)),
        segment,
        kind: (!kind.is_empty()).then(|| normalize(&kind)),
        service_status: (!service_status.is_empty()).then(|| normalize(&service_status)),
        nps,
        csat,
        comment,
    })
}

/// Who imports: a supervisor or admin in the UI, or an API key with the `surveys:import`
/// scope acting for the supervisor or admin who answers for it (who created it).
#[derive(Clone, Copy)]
pub struct Importer<'a> {
    /// The person whose permission the import uses and who is recorded as importing.
    pub user: &'a SessionUser,
    /// The key that made the call, when it came through the REST API: the history says the
    /// key did it.
    pub api_key: Option<(&'a str, &'a str)>,
}

impl Importer<'_> {
    fn actor(&self) -> Actor<'_> {
        match self.api_key {
            Some((id, label)) => Actor::api_key(id, label),
            None => Actor::user(&self.user.id, &self.user.full_name),
        }
    }
}

/// Imports a detractor base; see the module documentation for the whole contract.
///
/// - `bytes`, `file_name`: the uploaded file as received (the name only names it in the
///   history and catches disguised files; the content decides the format);
/// - `mapping`: which header feeds which field (codes from [`fields`]);
/// - `skip_bad_rows`: import the good rows and leave the bad ones out;
/// - `actor`: the signed-in supervisor or admin.
///
/// `Err` only for what makes the whole file unusable (permission, size, format, mapping);
/// row problems come back inside the report.
pub async fn import(
    state: &AppState,
    actor: &SessionUser,
    bytes: &[u8],
    file_name: &str,
    mapping: &[ImportMapping],
    skip_bad_rows: bool,
) -> Result<ImportReport, AppError> {
    let importer = Importer {
        user: actor,
        api_key: None,
    };
    import_as(
        state,
        importer,
        bytes,
        file_name,
        mapping,
        skip_bad_rows,
        false,
    )
    .await
}

/// [`import`] for any [`Importer`]. With `dry_run` every row is checked and every duplicate
/// looked up exactly as in a real import, and the report says what it would do, but nothing
/// is written (`imported` stays false).
pub async fn import_as(
    state: &AppState,
    importer: Importer<'_>,
    bytes: &[u8],
    file_name: &str,
    mapping: &[ImportMapping],
    skip_bad_rows: bool,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let actor = importer.user;
    may_import(actor)?;
    let file_name = file_name.trim();
    let shown_name: String = file_name.chars().take(200).collect();
    let sheet = read(bytes, file_name)?;
    let columns = sheet::resolve(&sheet.headers, mapping, &FIELDS, "de detractores")?;
    let policy = &state.config.surveys;
    let mut errors = Vec::new();
    let mut records = Vec::new();
    for (index, row) in sheet.rows.iter().enumerate() {
        if row.iter().all(String::is_empty) {
            continue;
        }
        match check_row(index + 2, row, &sheet.headers, &columns, &policy.segments) {
            Ok(record) => records.push(record),
            Err(row_errors) => errors.extend(row_errors),
        }
    }
    let bad_rows = errors.iter().map(|e| e.row).collect::<HashSet<_>>().len() as u64;
    if !errors.is_empty() && !skip_bad_rows {
        return Ok(ImportReport {
            imported: false,
            created: 0,
            duplicates: 0,
            skipped: 0,
            errors,
        });
    }
    if records.is_empty() {
        return Err(refuse(if bad_rows > 0 {
            "Ninguna fila del archivo es válida: no hay nada que importar."
        } else {
            "El archivo no tiene registros para importar."
        }));
    }

    let at = now();
    let import_id = new_id();
    let audit_actor = importer.actor();
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    if !dry_run {
        sqlx::query(
            "INSERT INTO detractor_imports (id, file_name, imported_by, imported_by_api_key_id, imported_at, created_count, duplicate_count, skipped_count) \
             VALUES ($1, $2, $3, $4, $5, 0, 0, $6)",
        )
        .bind(&import_id)
        .bind(&shown_name)
        .bind(&actor.id)
        .bind(importer.api_key.map(|(id, _)| id))
        .bind(at)
        .bind(bad_rows as i64)
        .execute(&mut *tx)
        .await?;
    }
    let mut seen = HashSet::new();
    let (mut created, mut duplicates) = (0u64, 0u64);
    for record in records {
        let known = !seen.insert(record.key.clone())
            || sqlx::query("SELECT 1 FROM recovery_cases WHERE external_key = $1")
                .bind(&record.key)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
        if known {
            duplicates += 1;
            continue;
        }
        if dry_run {
            created += 1;
            continue;
        }
        let account = match &record.document_key {
            Some(key) => sqlx::query(
                "SELECT id, kind, segment, service_status FROM accounts WHERE document_key = $1 ORDER BY created_at, id LIMIT 1",
            )
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?,
            None => None,
        };
        let account_id: Option<String> = account.as_ref().map(|a| a.get("id"));
        let kind = record
            .kind
            .clone()
            .or_else(|| {
                account
                    .as_ref()
                    .map(|a| a.get::<String, _>("kind").to_lowercase())
            })
            .unwrap_or_default();
        let service = record
            .service_status
            .clone()
            .or_else(|| account.as_ref().map(|a| a.get("service_status")))
            .unwrap_or_default();
        let segment = record
            .segment
            .clone()
            .or_else(|| account.as_ref().map(|a| a.get("segment")))
            .or_else(|| policy.segments.first().cloned())
            .unwrap_or_else(|| "hogar".to_string());
        cases::insert_case(
            &mut tx,
            &audit_actor,
            NewCase {
                source: "importacion",
                invitation_id: None,
                campaign_answer_id: None,
                request_id: None,
                account_id: account_id.as_deref(),
                import_id: Some(&import_id),
                external_key: Some(&record.key),
                customer_name: &record.name,
                phone: &record.phone,
                email: &record.email,
                account_code: &record.account_code,
                nps: Some(record.nps),
                csat: record.csat,
                comment: &record.comment,
                segment: &segment,
                excluded: ventanilla::recovery::not_called(&kind, &service, &policy.excluded_kinds),
                opened_at: at,
            },
        )
        .await?;
        created += 1;
    }
    if dry_run {
        tx.rollback().await?;
        return Ok(ImportReport {
            imported: false,
            created,
            duplicates,
            skipped: bad_rows,
            errors,
        });
    }
    sqlx::query(
        "UPDATE detractor_imports SET created_count = $1, duplicate_count = $2 WHERE id = $3",
    )
    .bind(created as i64)
    .bind(duplicates as i64)
    .bind(&import_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &audit_actor,
        "base_detractores_importada",
        "detractor_import",
        &import_id,
        json!({
            "file_name": shown_name,
            "created": created,
            "duplicates": duplicates,
            "skipped": bad_rows,
        }),
    )
    .await?;
    tx.commit().await?;
    if created > 0 {
        state
            .live
            .publish(Scope::Staff, LiveChange::Detractor)
            .await;
    }
    Ok(ImportReport {
        imported: true,
        created,
        duplicates,
        skipped: bad_rows,
        errors,
    })
}

fn may_import(actor: &SessionUser) -> Result<(), AppError> {
    if matches!(actor.role, Role::Supervisor | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

const STAGING: sheet::Staging = sheet::Staging {
    table: "detractor_uploads",
    uploaded_action: "base_detractores_cargada",
    entity: "detractor_upload",
};

/// The UI's first step: checks the file as [`preview`] does and keeps it (attachment store +
/// one row) so the mapping step can refer to it by id. Returns that id.
pub async fn stage(
    state: &AppState,
    actor: &SessionUser,
    bytes: &[u8],
    file_name: &str,
) -> Result<String, AppError> {
    may_import(actor)?;
    sheet::stage(
        &state.pool,
        &state.config.attachments_dir,
        STAGING,
        (&actor.id, &actor.full_name),
        bytes,
        file_name,
    )
    .await
}

/// The bytes and name of an upload of `actor`; `None` when it is not theirs or not there.
async fn staged(
    state: &AppState,
    actor: &SessionUser,
    upload_id: &str,
) -> Result<Option<(Vec<u8>, String)>, AppError> {
    sheet::staged(
        &state.pool,
        &state.config.attachments_dir,
        STAGING,
        &actor.id,
        upload_id,
    )
    .await
}

/// The mapping step of an upload: its name and preview; `None` when it is not the actor's.
pub async fn staged_preview(
    state: &AppState,
    actor: &SessionUser,
    upload_id: &str,
) -> Result<Option<(String, ImportPreview)>, AppError> {
    may_import(actor)?;
    match staged(state, actor, upload_id).await? {
        Some((bytes, name)) => Ok(Some((name.clone(), preview(&bytes, &name)?))),
        None => Ok(None),
    }
}

/// [`import`] of a staged upload.
pub async fn import_staged(
    state: &AppState,
    actor: &SessionUser,
    upload_id: &str,
    mapping: &[ImportMapping],
    skip_bad_rows: bool,
) -> Result<ImportReport, AppError> {
    may_import(actor)?;
    let (bytes, name) = staged(state, actor, upload_id)
        .await?
        .ok_or(AppError::NotFound)?;
    import(state, actor, &bytes, &name, mapping, skip_bad_rows).await
}

/// The errors of a report as the CSV the UI offers for download (see
/// [`ImportReport::error_csv`]).
pub fn error_report_csv(report: &ImportReport) -> String {
    report.error_csv()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognized_without_accents_or_case() {
        let csv = "Cuenta;Nombre Cliente;Teléfono;NPS;Comentario;Otra\n1;Ana;3001234567;3;Mal;x\n";
        let preview = preview(csv.as_bytes(), "data.csv").unwrap();
        assert_eq!(preview.format, "CSV");
        assert_eq!(preview.total_rows, 1);
        let suggested: Vec<(&str, &str)> = preview
            .suggested
            .iter()
            .map(|m| (m.field.as_str(), m.column.as_str()))
            .collect();
        assert_eq!(
            suggested,
            [
                ("cuenta", "Cuenta"),
                ("nombre", "Nombre Cliente"),
                ("telefono", "Teléfono"),
                ("nps", "NPS"),
                ("comentario", "Comentario"),
            ]
        );
    }

    #[test]
    fn too_many_rows_are_refused_in_spanish() {
        let mut csv = String::from("cuenta,nombre\n");
        for i in 0..=MAX_ROWS {
            csv.push_str(&format!("{i},x\n"));
        }
        let err = preview(csv.as_bytes(), "base.csv").unwrap_err();
        assert!(err.to_string().contains("más de 5000 filas"), "{err}");
    }

    #[test]
    fn dates_phones_and_the_error_report() {
        assert_eq!(parse_date("25/11/2026").as_deref(), Some("2026-11-25"));
        assert_eq!(
            parse_date("2026-11-25 08:00").as_deref(),
            Some("2026-11-25")
        );
        assert_eq!(parse_date("mañana"), None);
        assert!(phone_ok("300 123 4567"));
        assert!(phone_ok("6017435000 / 3001234567"));
        assert!(!phone_ok("123"));
        assert!(!phone_ok("llamar"));
        let report = ImportReport {
            imported: false,
            created: 0,
            duplicates: 0,
            skipped: 0,
            errors: vec![ImportRowError {
                row: 3,
                column: "NPS".into(),
                message: "NPS: está vacío.".into(),
            }],
        };
        assert_eq!(
            error_report_csv(&report),
            "\u{feff}Fila;Columna;Error\n3;NPS;NPS: está vacío.\n"
        );
    }
}
