//! Bulk import of customer accounts from the ERP's export (issue 19: "Bulk import of
//! customer accounts from CSV/XLSX … upsert by document, audited"). The ERP is where contract
//! values, service states and payments live; this brings them in so that tiers, ANS
//! guarantees and detractor exclusions (seed 000 §3, §9; seed 003 §4 step 4) are right for
//! every customer, not only the ones staff edit by hand.
//!
//! The flow is the detractor import's: upload, say which column is which, preview, import;
//! the reading is [`crate::platform::spreadsheet`]. Each row names a document (type and
//! number, the NIT with its check digit) and a name, and any of the commercial fields:
//!
//! - a **known document** gets the fields the row fills; an empty cell leaves its field as
//!   it is, a contract of 0 removes the contract (Flotante). The name is the customer's own
//!   data and is not overwritten. A change is audited as a staff edit is
//!   (`cliente_datos_comerciales`, with the import named as the reason); a row that changes
//!   nothing writes nothing.
//! - an **unknown document** becomes an account without portal access (`cliente_importado`).
//!   When that customer registers, or an agent registers them, they take this account with
//!   its data (see `accounts::server::accounts::insert_customer`).
//!
//! Requests already filed keep the tier and guarantee they were filed with; the next filing
//! reads the new data. **A file with bad rows imports nothing** unless the bad rows are
//! explicitly skipped; a dry run does every check and every look-up and writes nothing. The
//! whole import is one transaction.

use std::collections::HashMap;

use serde_json::json;
use sqlx::Row;
use ventanilla::customer::{self as rules, CommercialData};
use ventanilla::document::{validate_document, DocumentType};
use ventanilla::role::Role;
use ventanilla::text::normalize;

use crate::accounts::model::SessionUser;
use crate::accounts::server::{name_words, validate};
use crate::customers::model::CustomerImportReport;
use crate::customers::server::commercial::{self, CommercialPatch};
use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::{new_id, now};
use crate::platform::spreadsheet::{self as sheet, read, FieldSpec, RowCheck};
use crate::state::AppState;
use crate::tabular::{bad_row_count, ImportField, ImportMapping, ImportPreview, ImportRowError};

pub use crate::platform::spreadsheet::{check_file, FileRefusal, MAX_BYTES};

/// The fields a column can fill: (code, label, required, header words that suggest it,
/// folded as `normalize` folds headers: no accents, `_` as a space).
const FIELDS: [FieldSpec; 8] = [
    (
        "tipo_documento",
        "Tipo de documento",
        true,
        &[
            "tipo documento",
            "tipo de documento",
            "tipo doc",
            "tipo identificacion",
            "tipo de identificacion",
        ],
    ),
    (
        "documento",
        "Número de documento",
        true,
        &[
            "documento",
            "numero documento",
            "numero de documento",
            "identificacion",
            "numero identificacion",
            "cedula",
            "nit",
        ],
    ),
    (
        "nombre",
        "Nombre o razón social",
        true,
        &["nombre", "razon social", "cliente", "nombre cliente"],
    ),
    (
        "contrato",
        "Contrato mensual (COP)",
        false,
        &[
            "contrato",
            "valor contrato",
            "valor del contrato",
            "contrato mensual",
            "valor mensual",
            "monthly contract cop",
        ],
    ),
    (
        "estado_servicio",
        "Estado del servicio",
        false,
        &[
            "estado",
            "estado servicio",
            "estado del servicio",
            "service status",
        ],
    ),
    (
        "pagos_al_dia",
        "Pagos al día",
        false,
        &[
            "pagos al dia",
            "al dia",
            "pagos",
            "cartera al dia",
            "payments up to date",
        ],
    ),
    (
        "tipo_cuenta",
        "Tipo de cuenta",
        false,
        &["tipo cuenta", "tipo de cuenta", "tipo", "kind"],
    ),
    (
        "segmento",
        "Segmento",
        false,
        &["segmento", "segmentacion", "segment"],
    ),
];

/// The fields the mapping step offers.
pub fn fields() -> Vec<ImportField> {
    sheet::field_list(&FIELDS)
}

/// The header row, the first rows and a suggested mapping. Writes nothing.
pub fn preview(bytes: &[u8], file_name: &str) -> Result<ImportPreview, AppError> {
    sheet::preview(bytes, file_name, &FIELDS)
}

/// One good row: whose account, and what to change in it.
struct Record {
    number: usize,
    kind: DocumentType,
    document: String,
    name: String,
    patch: CommercialPatch,
}

/// The document type as an ERP writes it: the code (CC, NIT, "PA" for passport) or the
/// name, accents and case forgiven.
fn document_type(text: &str) -> Option<DocumentType> {
    let folded = normalize(text);
    if folded == "pa" {
        return Some(DocumentType::Pp);
    }
    DocumentType::ALL
        .into_iter()
        .find(|kind| normalize(kind.code()) == folded || normalize(kind.label_es()) == folded)
}

/// "Sí"/"No" as spreadsheets write it.
fn yes_no(text: &str) -> Option<bool> {
    match normalize(text).as_str() {
        "si" | "s" | "true" | "verdadero" | "1" | "x" | "al dia" => Some(true),
        "no" | "n" | "false" | "falso" | "0" | "en mora" | "mora" => Some(false),
        _ => None,
    }
}

fn check_row(
    number: usize,
    row: &[String],
    headers: &[String],
    columns: &HashMap<&'static str, usize>,
) -> Result<Record, Vec<ImportRowError>> {
    let mut check = RowCheck {
        row,
        columns,
        headers,
        number,
        errors: Vec::new(),
    };
    let kind_text = check.get("tipo_documento");
    let kind = document_type(&kind_text);
    if kind_text.is_empty() {
        check.fail("tipo_documento", "Tipo de documento: está vacío.");
    } else if kind.is_none() {
        check.fail(
            "tipo_documento",
            format!("Tipo de documento: «{kind_text}» no es CC, CE, NIT, TI ni PP."),
        );
    }
    let number_text = check.get("documento");
    let mut document = String::new();
    if number_text.chars().count() > 20 {
        check.fail(
            "documento",
            "Número de documento: admite como máximo 20 caracteres.",
        );
    } else if let Some(kind) = kind {
        match validate_document(kind, &number_text) {
            Ok(valid) => document = valid,
            Err(error) => check.fail("documento", format!("Número de documento: {error}")),
        }
    }
    let name = check.get("nombre");
    let name = match validate::full_name(&name) {
        Ok(name) => name,
        Err(error) => {
            check.fail("nombre", error.to_string());
            String::new()
        }
    };
    let mut patch = CommercialPatch::default();
    let contract = check.get("contrato");
    if !contract.is_empty() {
        match rules::parse_contract(&contract).and_then(rules::check_contract) {
            Ok(value) => patch.monthly_contract_cop = Some(value),
            Err(error) => check.fail("contrato", format!("«{contract}»: {error}")),
        }
    }
    let status = check.get("estado_servicio");
    if !status.is_empty() {
        let code = normalize(&status).replace(' ', "_");
        match rules::service_status(&code) {
            Ok(status) => patch.service_status = Some(status.code().to_string()),
            Err(error) => check.fail("estado_servicio", format!("«{status}»: {error}")),
        }
    }
    let payments = check.get("pagos_al_dia");
    if !payments.is_empty() {
        match yes_no(&payments) {
            Some(value) => patch.payments_up_to_date = Some(value),
            None => check.fail(
                "pagos_al_dia",
                format!("Pagos al día: «{payments}» debe ser Sí o No."),
            ),
        }
    }
    let account_kind = check.get("tipo_cuenta");
    if !account_kind.is_empty() {
        match rules::account_kind(&account_kind) {
            Ok(kind) => patch.kind = Some(kind.code().to_string()),
            Err(error) => check.fail("tipo_cuenta", format!("«{account_kind}»: {error}")),
        }
    }
    let segment = check.get("segmento");
    if !segment.is_empty() {
        match rules::segment(&segment) {
            Ok(segment) => patch.segment = Some(segment),
            Err(error) => check.fail("segmento", format!("«{segment}»: {error}")),
        }
    }
    match kind {
        Some(kind) if check.errors.is_empty() => Ok(Record {
            number,
            kind,
            document,
            name,
            patch,
        }),
        _ => Err(check.errors),
    }
}

/// Who imports: a supervisor or admin in the UI, or an API key with `customers:write`.
#[derive(Clone, Copy)]
pub enum Importer<'a> {
    Person(&'a SessionUser),
    ApiKey { id: &'a str, label: &'a str },
}

impl Importer<'_> {
    fn actor(&self) -> Actor<'_> {
        match self {
            Importer::Person(user) => Actor::user(&user.id, &user.full_name),
            Importer::ApiKey { id, label } => Actor::api_key(id, label),
        }
    }
}

/// Whether `user` may import customers: the ones who may change commercial data.
fn may_import(user: &SessionUser) -> Result<(), AppError> {
    if matches!(user.role, Role::Supervisor | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// What to do with a file: the options of the form or the API call.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Import the good rows and leave the bad ones out.
    pub skip_bad_rows: bool,
    /// Every check and look-up, nothing written.
    pub dry_run: bool,
}

/// Imports a customer file; see the module documentation for the whole contract. `Err` only
/// for what makes the whole file unusable (permission, size, format, mapping, no rows); row
/// problems come back inside the report.
pub async fn import(
    state: &AppState,
    importer: Importer<'_>,
    bytes: &[u8],
    file_name: &str,
    mapping: &[ImportMapping],
    options: ImportOptions,
) -> Result<CustomerImportReport, AppError> {
    if let Importer::Person(user) = importer {
        may_import(user)?;
    }
    let shown_name: String = file_name.trim().chars().take(200).collect();
    let table = read(bytes, file_name)?;
    let columns = sheet::resolve(&table.headers, mapping, &FIELDS, "de clientes")?;
    let mut errors = Vec::new();
    let mut records: Vec<Record> = Vec::new();
    let mut first_row_of: HashMap<(DocumentType, String), usize> = HashMap::new();
    for (index, row) in table.rows.iter().enumerate() {
        if row.iter().all(String::is_empty) {
            continue;
        }
        match check_row(index + 2, row, &table.headers, &columns) {
            Ok(record) => {
                let key = (record.kind, validate::document_key(&record.document));
                match first_row_of.get(&key) {
                    Some(first) => errors.push(ImportRowError {
                        row: record.number,
                        column: table.headers[columns["documento"]].clone(),
                        message: format!(
                            "Número de documento: {} {} ya está en la fila {first}; cada cliente va una sola vez.",
                            record.kind.code(),
                            record.document
                        ),
                    }),
                    None => {
                        first_row_of.insert(key, record.number);
                        records.push(record);
                    }
                }
            }
            Err(row_errors) => errors.extend(row_errors),
        }
    }
    let skipped = bad_row_count(&errors);
    let mut report = CustomerImportReport {
        imported: false,
        dry_run: options.dry_run,
        created: 0,
        updated: 0,
        unchanged: 0,
        skipped,
        errors,
    };
    if !report.errors.is_empty() && !options.skip_bad_rows {
        report.skipped = 0;
        return Ok(report);
    }
    if records.is_empty() {
        return Err(AppError::validation(if skipped > 0 {
            "Ninguna fila del archivo es válida: no hay nada que importar."
        } else {
            "El archivo no tiene clientes para importar."
        }));
    }

    let actor = importer.actor();
    let import_id = new_id();
    let reason = format!("Importación de clientes «{shown_name}»");
    let at = now();
    let tiers = crate::ans::server::versions::tiers(&state.pool, &state.ans).await?;
    let mut tx = crate::platform::db::begin(&state.pool).await?;
    for record in &records {
        let existing = sqlx::query(
            "SELECT id, monthly_contract_cop, service_status, payments_up_to_date, kind, segment, revision \
             FROM accounts WHERE document_type = $1 AND document_key = $2",
        )
        .bind(record.kind.code())
        .bind(validate::document_key(&record.document))
        .fetch_optional(&mut *tx)
        .await?;
        match existing {
            Some(row) => {
                let before = commercial::of_row(&row);
                let after = commercial::patched(&before, &record.patch)?;
                if after == before {
                    report.unchanged += 1;
                    continue;
                }
                commercial::store_change(
                    &mut tx,
                    &tiers,
                    &actor,
                    &row.get::<String, _>("id"),
                    (&before, &after),
                    row.get("revision"),
                    json!({ "reason": reason, "import_id": import_id, "row": record.number }),
                )
                .await?;
                report.updated += 1;
            }
            None => {
                let data = commercial::patched(&commercial::for_new_account(), &record.patch)?;
                insert_account(&mut tx, &actor, record, &data, &import_id, at).await?;
                report.created += 1;
            }
        }
    }
    if options.dry_run {
        tx.rollback().await?;
        return Ok(report);
    }
    sqlx::query(
        "INSERT INTO customer_imports (id, file_name, imported_by, imported_by_api_key_id, imported_at, \
         created_count, updated_count, unchanged_count, skipped_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&import_id)
    .bind(&shown_name)
    .bind(actor.user_id)
    .bind(actor.api_key_id)
    .bind(at)
    .bind(report.created as i64)
    .bind(report.updated as i64)
    .bind(report.unchanged as i64)
    .bind(report.skipped as i64)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &actor,
        "base_clientes_importada",
        "customer_import",
        &import_id,
        json!({
            "file_name": shown_name,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
        }),
    )
    .await?;
    tx.commit().await?;
    report.imported = true;
    Ok(report)
}

/// A customer the ERP knows and we did not: an account with no one who may sign in yet.
async fn insert_account(
    tx: &mut crate::platform::db::Tx,
    actor: &Actor<'_>,
    record: &Record,
    data: &CommercialData,
    import_id: &str,
    at: i64,
) -> Result<(), AppError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO accounts (id, document_type, document_number, document_key, name, kind, segment, \
         monthly_contract_cop, service_status, payments_up_to_date, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(record.kind.code())
    .bind(&record.document)
    .bind(validate::document_key(&record.document))
    .bind(&record.name)
    .bind(data.kind.code())
    .bind(&data.segment)
    .bind(data.monthly_contract_cop)
    .bind(data.service_status.code())
    .bind(i64::from(data.payments_up_to_date))
    .bind(at)
    .execute(&mut **tx)
    .await?;
    name_words::index(tx, &id, &record.name).await?;
    audit::record(
        tx,
        actor,
        "cliente_importado",
        "account",
        &id,
        json!({
            "document_type": record.kind.code(),
            "after": commercial::as_json(data),
            "import_id": import_id,
            "row": record.number,
        }),
    )
    .await?;
    Ok(())
}

const STAGING: sheet::Staging = sheet::Staging {
    table: "customer_uploads",
    uploaded_action: "base_clientes_cargada",
    entity: "customer_upload",
};

/// The UI's first step: checks the file and keeps it for the mapping step. Returns its id.
pub async fn stage(
    state: &AppState,
    user: &SessionUser,
    bytes: &[u8],
    file_name: &str,
) -> Result<String, AppError> {
    may_import(user)?;
    sheet::stage(
        &state.pool,
        &state.config.attachments_dir,
        STAGING,
        (&user.id, &user.full_name),
        bytes,
        file_name,
    )
    .await
}

/// The mapping step of an upload of `user`: its name and preview; `None` when it is not
/// theirs.
pub async fn staged_preview(
    state: &AppState,
    user: &SessionUser,
    upload_id: &str,
) -> Result<Option<(String, ImportPreview)>, AppError> {
    may_import(user)?;
    let staged = sheet::staged(
        &state.pool,
        &state.config.attachments_dir,
        STAGING,
        &user.id,
        upload_id,
    )
    .await?;
    match staged {
        Some((bytes, name)) => Ok(Some((name.clone(), preview(&bytes, &name)?))),
        None => Ok(None),
    }
}

/// [`import`] of a staged upload of `user`.
pub async fn import_staged(
    state: &AppState,
    user: &SessionUser,
    upload_id: &str,
    mapping: &[ImportMapping],
    options: ImportOptions,
) -> Result<CustomerImportReport, AppError> {
    may_import(user)?;
    let (bytes, name) = sheet::staged(
        &state.pool,
        &state.config.attachments_dir,
        STAGING,
        &user.id,
        upload_id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    import(
        state,
        Importer::Person(user),
        &bytes,
        &name,
        mapping,
        options,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> (Vec<String>, HashMap<&'static str, usize>) {
        let headers: Vec<String> = FIELDS.iter().map(|f| f.1.to_string()).collect();
        let columns = FIELDS.iter().enumerate().map(|(i, f)| (f.0, i)).collect();
        (headers, columns)
    }

    fn row(cells: [&str; 8]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_good_row_names_only_what_it_fills() {
        let (headers, columns) = columns();
        let record = check_row(
            2,
            &row([
                "nit",
                "900.123.456-8",
                "Ferretería Andina SAS",
                "30.000.000",
                "Cancelación pendiente",
                "Sí",
                "",
                "",
            ]),
            &headers,
            &columns,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(record.kind, DocumentType::Nit);
        assert_eq!(record.patch.monthly_contract_cop, Some(Some(30_000_000)));
        assert_eq!(
            record.patch.service_status.as_deref(),
            Some("cancelacion_pendiente")
        );
        assert_eq!(record.patch.payments_up_to_date, Some(true));
        assert_eq!(record.patch.kind, None);
        assert_eq!(record.patch.segment, None);
    }

    #[test]
    fn every_bad_cell_of_a_row_is_named_in_spanish() {
        let (headers, columns) = columns();
        let errors = check_row(
            7,
            &row([
                "NIT",
                "900123456-1",
                "Ferretería",
                "-5",
                "vendido",
                "quizás",
                "vip",
                "",
            ]),
            &headers,
            &columns,
        )
        .err()
        .expect("refused");
        let named: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(
            named,
            [
                "Número de documento",
                "Contrato mensual (COP)",
                "Estado del servicio",
                "Pagos al día",
                "Tipo de cuenta"
            ]
        );
        assert!(errors.iter().all(|e| e.row == 7));
        assert!(
            errors[0].message.contains("dígito de verificación"),
            "{}",
            errors[0].message
        );
        assert!(
            errors[1].message.contains("negativo"),
            "{}",
            errors[1].message
        );
        let errors = check_row(
            3,
            &row(["DNI", "123", "Ana", "", "", "", "", ""]),
            &headers,
            &columns,
        )
        .err()
        .expect("refused");
        assert!(errors[0].message.contains("no es CC, CE, NIT, TI ni PP"));
    }

    #[test]
    fn document_types_and_yes_no_as_erps_write_them() {
        assert_eq!(
            document_type("Cédula de ciudadanía"),
            Some(DocumentType::Cc)
        );
        assert_eq!(document_type(" pa "), Some(DocumentType::Pp));
        assert_eq!(document_type("nit"), Some(DocumentType::Nit));
        assert_eq!(document_type("RUT"), None);
        assert_eq!(yes_no("SÍ"), Some(true));
        assert_eq!(yes_no("En mora"), Some(false));
        assert_eq!(yes_no("tal vez"), None);
    }
}
