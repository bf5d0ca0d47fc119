//! Reading the spreadsheets people bring from other systems (the detractor base of seed 003
//! §4, the ERP's customer accounts of issue 19): CSV or XLSX decided by the content, a header
//! row, a mapping of columns to fields, and the per-row checks that list every error at once.
//!
//! The format is decided by the content: a ZIP container is read as XLSX, text as CSV (comma,
//! semicolon or tab, whichever the header row uses; UTF-8, with or without BOM). A name ending
//! in `.csv` over a ZIP, or `.xlsx` over text, is a disguised file and is refused, and so is
//! anything else (old `.xls`, binaries). Files over [`MAX_BYTES`], over [`MAX_ROWS`] data rows,
//! or XLSX files that unpack to more than 60 MB (counted on the bytes that really come out,
//! not on what the ZIP declares) are refused with a Spanish message before any row is read.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use ventanilla::text::normalize;

use crate::error::AppError;
use crate::tabular::{ImportField, ImportMapping, ImportPreview, ImportRowError};

/// Largest file accepted: a day's cut of a large operation is a few thousand rows, far below.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Most data rows in one file.
pub const MAX_ROWS: usize = 5_000;
/// Largest total of the files inside an XLSX once unpacked: refuses ZIP bombs before parsing.
const MAX_UNPACKED_BYTES: u64 = 60 * 1024 * 1024;
const PREVIEW_ROWS: usize = 10;

/// A field a column can fill: (code, label, required, header words that suggest it, already
/// folded by `normalize`).
pub type FieldSpec = (&'static str, &'static str, bool, &'static [&'static str]);

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// The table in a file: header row and data rows, all cells as trimmed text.
pub struct Sheet {
    pub format: Format,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn refuse(message: impl Into<String>) -> AppError {
    AppError::validation(message)
}

/// Why a file cannot be read as a base at all, before any row is looked at. The REST API
/// answers each with its own status (422, 413, 415); the UI shows the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRefusal {
    Empty,
    TooLarge,
    /// Neither CSV nor XLSX by content, or a name that says otherwise (a disguised file).
    NotASpreadsheet,
}

/// What the bytes are, whatever the name says; a name that says otherwise is refused.
fn detect(bytes: &[u8], file_name: &str) -> Result<Format, (FileRefusal, String)> {
    let not_a_sheet = |message: &str| Err((FileRefusal::NotASpreadsheet, message.to_string()));
    if bytes.is_empty() {
        return Err((FileRefusal::Empty, "El archivo está vacío.".to_string()));
    }
    if bytes.len() > MAX_BYTES {
        return Err((
            FileRefusal::TooLarge,
            format!(
                "El archivo pesa más de {} MB. Divida la base en cortes más pequeños.",
                MAX_BYTES / (1024 * 1024)
            ),
        ));
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let format = if bytes.starts_with(b"PK\x03\x04") {
        Format::Xlsx
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return not_a_sheet(
            "El archivo es de Excel 97-2003 (.xls). Guárdelo como .xlsx o .csv e intente de nuevo.",
        );
    } else if std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0) {
        Format::Csv
    } else {
        return not_a_sheet(
            "El archivo no es una hoja de cálculo: suba un .xlsx o un .csv en UTF-8.",
        );
    };
    match (extension.as_str(), format) {
        ("xlsx", Format::Csv) => not_a_sheet(
            "El archivo dice ser .xlsx pero su contenido es texto. Revise que sea el archivo descargado.",
        ),
        ("csv" | "txt", Format::Xlsx) => not_a_sheet(
            "El archivo dice ser .csv pero su contenido no es texto. Revise que sea el archivo descargado.",
        ),
        ("xlsx" | "csv" | "txt" | "", _) => Ok(format),
        _ => not_a_sheet("Solo se importan archivos .xlsx o .csv."),
    }
}

/// The first check of every upload, by content: `Err` with the kind of refusal and its
/// Spanish message when the file is empty, too large, or not a CSV or XLSX.
pub fn check_file(bytes: &[u8], file_name: &str) -> Result<(), (FileRefusal, String)> {
    detect(bytes, file_name).map(|_| ())
}

fn read_csv(bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    let text = std::str::from_utf8(bytes).map_err(|_| refuse("El CSV no está en UTF-8."))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    // Spanish-locale Excel writes ';' because ',' is the decimal separator.
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|err| {
            refuse(format!(
                "No se pudo leer la fila {} del CSV: revise las comillas. ({err})",
                index + 1
            ))
        })?;
        records.push(record.iter().map(|cell| cell.trim().to_string()).collect());
        if records.len() > MAX_ROWS + 1 {
            break;
        }
    }
    split_header(records)
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
            format!("{}", *value as i64)
        }
        Data::DateTime(date) => date
            .as_datetime()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Data::Error(_) => String::new(),
        other => other.to_string().trim().to_string(),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    let unreadable =
        || refuse("No se pudo leer el archivo .xlsx: ábralo en Excel y guárdelo de nuevo.");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    // The sizes a ZIP declares are the attacker's to write: count what really comes out,
    // and stop reading at the limit (issue 17).
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|_| unreadable())?;
        let room = MAX_UNPACKED_BYTES.saturating_sub(unpacked) + 1;
        let mut limited = std::io::Read::take(entry, room);
        unpacked += std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| unreadable())?;
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(refuse(
                "El archivo .xlsx es demasiado grande una vez descomprimido. Divida la base en cortes más pequeños.",
            ));
        }
    }
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| refuse("El archivo .xlsx no tiene hojas."))?
        .map_err(|_| unreadable())?;
    let records = range
        .rows()
        .take(MAX_ROWS + 2)
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    split_header(records)
}

fn split_header(
    mut records: Vec<Vec<String>>,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    // Trailing empty lines are common in exports; they are not rows.
    while records
        .last()
        .is_some_and(|r| r.iter().all(String::is_empty))
    {
        records.pop();
    }
    if records.is_empty() {
        return Err(refuse("El archivo no tiene filas."));
    }
    let headers = records.remove(0);
    if headers.iter().all(String::is_empty) {
        return Err(refuse(
            "La primera fila debe tener los nombres de las columnas.",
        ));
    }
    if records.len() > MAX_ROWS {
        return Err(refuse(format!(
            "El archivo tiene más de {MAX_ROWS} filas. Divida la base en cortes más pequeños."
        )));
    }
    Ok((headers, records))
}

/// The file as a table, refused in Spanish when it is empty, too large, disguised or
/// unreadable.
pub fn read(bytes: &[u8], file_name: &str) -> Result<Sheet, AppError> {
    let format = detect(bytes, file_name).map_err(|(_, message)| refuse(message))?;
    let (headers, rows) = match format {
        Format::Csv => read_csv(bytes)?,
        Format::Xlsx => read_xlsx(bytes)?,
    };
    Ok(Sheet {
        format,
        headers,
        rows,
    })
}

/// The header row, the first rows and a suggested mapping for `fields`, for the mapping
/// step. Writes nothing. Errors are Spanish `Validation` messages (empty, too big,
/// disguised, unreadable).
pub fn preview(
    bytes: &[u8],
    file_name: &str,
    fields: &[FieldSpec],
) -> Result<ImportPreview, AppError> {
    let sheet = read(bytes, file_name)?;
    let normalized: Vec<String> = sheet.headers.iter().map(|h| normalize(h)).collect();
    let mut taken = HashSet::new();
    let mut suggested = Vec::new();
    for (code, _, _, words) in fields {
        let found = normalized
            .iter()
            .enumerate()
            .find(|(index, header)| !taken.contains(index) && words.contains(&header.as_str()));
        if let Some((index, _)) = found {
            taken.insert(index);
            suggested.push(ImportMapping {
                field: code.to_string(),
                column: sheet.headers[index].clone(),
            });
        }
    }
    Ok(ImportPreview {
        format: match sheet.format {
            Format::Csv => "CSV",
            Format::Xlsx => "XLSX",
        }
        .to_string(),
        total_rows: sheet.rows.len(),
        rows: sheet.rows.iter().take(PREVIEW_ROWS).cloned().collect(),
        headers: sheet.headers,
        fields: field_list(fields),
        suggested,
    })
}

/// The fields the mapping step offers.
pub fn field_list(fields: &[FieldSpec]) -> Vec<ImportField> {
    fields
        .iter()
        .map(|(code, label, required, _)| ImportField {
            code: code.to_string(),
            label: label.to_string(),
            required: *required,
        })
        .collect()
}

/// Field code → column index, checked: every required field mapped, every column exists, no
/// column feeds two fields.
/// `form` names the import in the message for an unknown field ("de detractores").
pub fn resolve(
    headers: &[String],
    mapping: &[ImportMapping],
    fields: &[FieldSpec],
    form: &str,
) -> Result<HashMap<&'static str, usize>, AppError> {
    let mut resolved = HashMap::new();
    let mut used = HashSet::new();
    for entry in mapping.iter().filter(|e| !e.column.trim().is_empty()) {
        let Some((code, label, _, _)) = fields.iter().find(|f| f.0 == entry.field.trim()) else {
            return Err(refuse(format!(
                "El campo «{}» no existe en el formulario {form}.",
                entry.field
            )));
        };
        let Some(index) = headers.iter().position(|h| h == entry.column.trim()) else {
            return Err(refuse(format!(
                "{label}: la columna «{}» no está en el archivo.",
                entry.column
            )));
        };
        if !used.insert(index) {
            return Err(refuse(format!(
                "La columna «{}» está asignada a más de un campo.",
                entry.column
            )));
        }
        if resolved.insert(*code, index).is_some() {
            return Err(refuse(format!("{label}: está asignado dos veces.")));
        }
    }
    let missing: Vec<&str> = fields
        .iter()
        .filter(|f| f.2 && !resolved.contains_key(f.0))
        .map(|f| f.1)
        .collect();
    if !missing.is_empty() {
        return Err(refuse(format!(
            "Falta asignar columna a: {}.",
            missing.join(", ")
        )));
    }
    Ok(resolved)
}

/// The checks of one data row: each failure is kept with its row and column, so the whole
/// file's errors are listed at once.
pub struct RowCheck<'a> {
    pub row: &'a [String],
    pub columns: &'a HashMap<&'static str, usize>,
    pub headers: &'a [String],
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub number: usize,
    pub errors: Vec<ImportRowError>,
}

impl RowCheck<'_> {
    /// The cell of `field`, empty when the field is not mapped.
    pub fn get(&self, field: &str) -> String {
        self.columns
            .get(field)
            .and_then(|&i| self.row.get(i))
            .cloned()
            .unwrap_or_default()
    }

    /// Records an error on the cell of `field`.
    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        let column = self
            .columns
            .get(field)
            .and_then(|&i| self.headers.get(i))
            .cloned()
            .unwrap_or_default();
        self.errors.push(ImportRowError {
            row: self.number,
            column,
            message: message.into(),
        });
    }

    /// A free-text cell, at most `max` characters, required or not.
    pub fn text(&mut self, field: &str, label: &str, required: bool, max: usize) -> String {
        let value = self.get(field);
        if required && value.is_empty() {
            self.fail(field, format!("{label}: está vacío."));
        } else if let Err(message) = ventanilla::text::free_text(label, &value, max) {
            self.fail(field, message);
        }
        value
    }

    /// A whole number in `range`; `None` when empty or wrong (wrong is recorded).
    pub fn score(
        &mut self,
        field: &str,
        label: &str,
        range: std::ops::RangeInclusive<u8>,
    ) -> Option<u8> {
        let value = self.get(field);
        if value.is_empty() {
            return None;
        }
        // Spanish-locale files write "3,0".
        let parsed = value
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= 255.0)
            .map(|v| v as u8)
            .filter(|v| range.contains(v));
        if parsed.is_none() {
            self.fail(
                field,
                format!(
                    "{label}: «{value}» no es un número entero de {} a {}.",
                    range.start(),
                    range.end()
                ),
            );
        }
        parsed
    }
}

/// `YYYY-MM-DD` (with an optional time after it) or `DD/MM/YYYY`, as `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<String> {
    use chrono::NaiveDate;
    let day = text.split([' ', 'T']).next().unwrap_or_default();
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(day, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(day, "%d-%m-%Y"))
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// Where an import keeps the files waiting between the upload and the mapping step: a table
/// with the columns (id, sha256, file_name, uploaded_by, uploaded_at), and the audit action
/// that records an upload.
#[derive(Debug, Clone, Copy)]
pub struct Staging {
    pub table: &'static str,
    pub uploaded_action: &'static str,
    pub entity: &'static str,
}

/// The first step of an import in the UI: checks that the file reads as a table (as
/// [`read`] does), keeps its bytes in the attachment store and one row in `staging.table`,
/// audited, so the mapping step can refer to it by id. Returns that id.
pub async fn stage(
    pool: &sqlx::AnyPool,
    attachments_dir: &std::path::Path,
    staging: Staging,
    uploader: (&str, &str),
    bytes: &[u8],
    file_name: &str,
) -> Result<String, AppError> {
    read(bytes, file_name)?;
    let store = crate::platform::files::AttachmentStore::new(attachments_dir);
    let stored = store.put(bytes).await?;
    let id = crate::platform::db::new_id();
    let shown_name: String = file_name.trim().chars().take(200).collect();
    let written = async {
        let mut tx = crate::platform::db::begin(pool).await?;
        sqlx::query(&format!(
            "INSERT INTO {} (id, sha256, file_name, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5)",
            staging.table
        ))
        .bind(&id)
        .bind(&stored.sha256)
        .bind(&shown_name)
        .bind(uploader.0)
        .bind(crate::platform::db::now())
        .execute(&mut *tx)
        .await?;
        crate::platform::audit::record(
            &mut tx,
            &crate::platform::audit::Actor::user(uploader.0, uploader.1),
            staging.uploaded_action,
            staging.entity,
            &id,
            serde_json::json!({ "file_name": shown_name }),
        )
        .await?;
        tx.commit().await.map_err(crate::platform::db::internal)
    }
    .await;
    if let Err(err) = written {
        store.discard(&[stored]).await;
        return Err(err);
    }
    Ok(id)
}

/// The bytes and name of the upload `upload_id` of `uploader_id`; `None` when it is not
/// theirs or not there.
pub async fn staged(
    pool: &sqlx::AnyPool,
    attachments_dir: &std::path::Path,
    staging: Staging,
    uploader_id: &str,
    upload_id: &str,
) -> Result<Option<(Vec<u8>, String)>, AppError> {
    use sqlx::Row;
    let Some(row) = sqlx::query(&format!(
        "SELECT sha256, file_name FROM {} WHERE id = $1 AND uploaded_by = $2",
        staging.table
    ))
    .bind(upload_id)
    .bind(uploader_id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let store = crate::platform::files::AttachmentStore::new(attachments_dir);
    let path = store
        .path(&row.get::<String, _>("sha256"))
        .ok_or(AppError::Internal)?;
    let bytes = tokio::fs::read(&path).await.map_err(|err| {
        tracing::error!(error = %err, table = staging.table, "a staged spreadsheet is missing from the store");
        AppError::Internal
    })?;
    Ok(Some((bytes, row.get("file_name"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disguised_and_foreign_files_are_refused() {
        let zip = b"PK\x03\x04rest";
        assert!(detect(zip, "base.csv").is_err());
        assert!(detect(b"a,b\n1,2\n", "base.xlsx").is_err());
        assert!(detect(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0], "base.xls").is_err());
        assert!(detect(b"MZ\x90\x00\x03", "base.csv").is_err());
        assert!(detect(b"a,b\n", "base.exe").is_err());
        assert_eq!(detect(b"a,b\n", "base.csv").unwrap(), Format::Csv);
        assert_eq!(
            detect(&vec![b'a'; MAX_BYTES + 1], "base.csv")
                .unwrap_err()
                .0,
            FileRefusal::TooLarge
        );
        assert_eq!(
            check_file(zip, "base.csv").unwrap_err().0,
            FileRefusal::NotASpreadsheet
        );
        assert_eq!(
            check_file(b"", "base.csv").unwrap_err().0,
            FileRefusal::Empty
        );
    }

    /// A ZIP of 61 MB of zeros packs into a few dozen KB: under the upload limit, over the
    /// unpacked one. It is refused by what really comes out.
    #[test]
    fn a_zip_bomb_is_refused_by_the_bytes_it_unpacks() {
        use std::io::Write;
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer
            .start_file("xl/worksheets/sheet1.xml", options)
            .unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..61 {
            writer.write_all(&zeros).unwrap();
        }
        let bytes = writer.finish().unwrap().into_inner();
        assert!(bytes.len() < MAX_BYTES, "{}", bytes.len());
        let err = read(&bytes, "base.xlsx").err().expect("refused");
        assert!(err.to_string().contains("descomprimido"), "{err}");
    }
}
