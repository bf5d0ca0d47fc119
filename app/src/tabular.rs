//! What every spreadsheet import shows and answers, on both sides of the wire: the fields a
//! column can fill, the mapping, the preview of the first rows, the errors per row.
//!
//! Two imports share it: the detractor base (seed 003 §4 steps 1–2) and the customer accounts
//! from the ERP (issue 19). The reading itself is `platform::spreadsheet`, on the server only;
//! the mapping page pieces are `ui::spreadsheet`.

use serde::{Deserialize, Serialize};

/// One field that an imported column can fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportField {
    pub code: String,
    pub label: String,
    pub required: bool,
}

/// Which column of the file fills which field: `column` is the header text as it appears in
/// the file's first row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportMapping {
    pub field: String,
    pub column: String,
}

/// What the mapping step shows: the header row, the first rows, a suggested mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// "CSV" or "XLSX", from the content.
    pub format: String,
    pub headers: Vec<String>,
    /// Up to ten data rows, as text.
    pub rows: Vec<Vec<String>>,
    /// Data rows in the file (the header row not counted).
    pub total_rows: usize,
    pub fields: Vec<ImportField>,
    /// Fields whose column was recognized by its header.
    pub suggested: Vec<ImportMapping>,
}

/// Why one row was refused. `row` is the row number as a spreadsheet shows it (the header is
/// row 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// An uploaded file at its mapping step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportUpload {
    pub file_name: String,
    pub preview: ImportPreview,
}

/// The errors as a CSV the operator downloads, fixes the file with, and imports again:
/// `;`-separated, the way Spanish-locale Excel opens it, UTF-8 with a BOM so accents survive.
pub fn error_csv(errors: &[ImportRowError]) -> String {
    fn cell(text: &str) -> String {
        if text.contains([';', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    }
    let mut csv = String::from("\u{feff}Fila;Columna;Error\n");
    for error in errors {
        csv.push_str(&format!(
            "{};{};{}\n",
            error.row,
            cell(&error.column),
            cell(&error.message)
        ));
    }
    csv
}

/// How many distinct rows the errors name.
pub fn bad_row_count(errors: &[ImportRowError]) -> u64 {
    errors
        .iter()
        .map(|e| e.row)
        .collect::<std::collections::BTreeSet<_>>()
        .len() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_report_quotes_what_excel_would_split() {
        let errors = vec![
            ImportRowError {
                row: 3,
                column: "Estado".into(),
                message: "Dice \"x\"; no sirve".into(),
            },
            ImportRowError {
                row: 3,
                column: "Tipo".into(),
                message: "Vacío".into(),
            },
        ];
        assert_eq!(
            error_csv(&errors),
            "\u{feff}Fila;Columna;Error\n3;Estado;\"Dice \"\"x\"\"; no sirve\"\n3;Tipo;Vacío\n"
        );
        assert_eq!(bad_row_count(&errors), 1);
    }
}
