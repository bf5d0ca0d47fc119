//! The monthly report as an XLSX workbook, one sheet per section, and the Bitácora de PQR
//! (seed 001, formato FOR-AX-SC-03): one row per request received in the month with every
//! timestamp, clock, typification, outcome, agent, area and survey answer — as a sheet of the
//! workbook and as CSV.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use sqlx::Row;

use crate::error::AppError;
use crate::indicators::model::MonthlyReport;
use crate::indicators::server::monthly::Month;
use crate::timers::local_time;

/// The bitácora's columns, in order.
pub const BITACORA_COLUMNS: [&str; 24] = [
    "Radicado",
    "Tipo",
    "Categoría",
    "Subcategoría",
    "Canal",
    "Segmento",
    "Prioridad",
    "Garantía ANS",
    "Estado",
    "Documento",
    "Cliente",
    "Recibida",
    "Vence primera respuesta",
    "Primera respuesta",
    "Primera respuesta a tiempo",
    "Término legal",
    "Prórroga declarada",
    "Respondida",
    "Respuesta en término",
    "Cerrada",
    "Resultado",
    "Área",
    "Asesor",
    "Encuesta (CSAT / NPS)",
];

/// The bitácora of `month`: the cells of each request received in it, oldest first.
pub async fn bitacora(pool: &sqlx::AnyPool, month: Month) -> Result<Vec<[String; 24]>, AppError> {
    let (start, end) = month.window();
    let rows = sqlx::query(
        "SELECT r.radicado, r.request_type, c.name AS category, s.name AS subcategory, r.channel, \
         r.tier, r.priority, r.ans_guaranteed, r.state, a.document_type, a.document_number, \
         a.name AS customer, r.received_at, r.clock_first_due, r.first_response_due, \
         r.first_response_at, r.first_response_on_time, r.legal_due_date, r.extension_declared_at, \
         r.answered_at, r.legal_on_time, r.closed_at, r.answer_outcome, ar.name AS area, \
         u.full_name AS agent, \
         (SELECT MAX(i.csat) FROM survey_invitations i WHERE i.request_id = r.id AND i.answered_at IS NOT NULL) AS csat, \
         (SELECT MAX(i.nps) FROM survey_invitations i WHERE i.request_id = r.id AND i.answered_at IS NOT NULL) AS nps \
         FROM requests r JOIN accounts a ON a.id = r.account_id \
         LEFT JOIN categories c ON c.id = r.category_id \
         LEFT JOIN subcategories s ON s.id = r.subcategory_id \
         LEFT JOIN areas ar ON ar.id = r.area_id \
         LEFT JOIN users u ON u.id = r.assignee_id \
         WHERE r.received_at >= $1 AND r.received_at < $2 \
         ORDER BY r.received_at, r.radicado",
    )
    .bind(start)
    .bind(end)
    .fetch_all(pool)
    .await?;
    let when = |row: &sqlx::any::AnyRow, column: &str| {
        row.get::<Option<i64>, _>(column)
            .map(local_time)
            .unwrap_or_default()
    };
    let yes_no = |value: Option<i64>| match value {
        Some(1) => "Sí".to_string(),
        Some(_) => "No".to_string(),
        None => String::new(),
    };
    let label = |code: String, read: fn(&str) -> Option<&'static str>| {
        read(&code).map(str::to_string).unwrap_or(code)
    };
    Ok(rows
        .iter()
        .map(|row| {
            let survey = match (
                row.get::<Option<i64>, _>("csat"),
                row.get::<Option<i64>, _>("nps"),
            ) {
                (None, None) => String::new(),
                (csat, nps) => format!(
                    "{} / {}",
                    csat.map(|v| v.to_string()).unwrap_or_default(),
                    nps.map(|v| v.to_string()).unwrap_or_default()
                ),
            };
            [
                row.get("radicado"),
                label(row.get("request_type"), |c| {
                    ventanilla::legal::RequestType::from_code(c).map(|t| t.label_es())
                }),
                row.get::<Option<String>, _>("category").unwrap_or_default(),
                row.get::<Option<String>, _>("subcategory")
                    .unwrap_or_default(),
                label(row.get("channel"), |c| {
                    ventanilla::channel::Channel::from_code(c).map(|t| t.label_es())
                }),
                label(row.get("tier"), |c| {
                    ventanilla::tier::Tier::from_code(c).map(|t| t.label_es())
                }),
                label(row.get("priority"), |c| {
                    ventanilla::sla::Priority::from_code(c).map(|t| t.label_es())
                }),
                yes_no(Some(row.get("ans_guaranteed"))),
                label(row.get("state"), |c| {
                    ventanilla::lifecycle::RequestState::from_code(c).map(|t| t.label_es())
                }),
                format!(
                    "{} {}",
                    row.get::<String, _>("document_type"),
                    row.get::<String, _>("document_number")
                ),
                row.get("customer"),
                when(row, "received_at"),
                row.get::<Option<i64>, _>("clock_first_due")
                    .or(row.get::<Option<i64>, _>("first_response_due"))
                    .map(local_time)
                    .unwrap_or_default(),
                when(row, "first_response_at"),
                yes_no(row.get("first_response_on_time")),
                row.get::<Option<String>, _>("legal_due_date")
                    .unwrap_or_default(),
                when(row, "extension_declared_at"),
                when(row, "answered_at"),
                yes_no(row.get("legal_on_time")),
                when(row, "closed_at"),
                row.get::<Option<String>, _>("answer_outcome")
                    .and_then(|code| {
                        ventanilla::lifecycle::AnswerOutcome::from_code(&code)
                            .map(|o| o.label_es().to_string())
                    })
                    .unwrap_or_default(),
                row.get::<Option<String>, _>("area").unwrap_or_default(),
                row.get::<Option<String>, _>("agent").unwrap_or_default(),
                survey,
            ]
        })
        .collect())
}

/// The bitácora as CSV for a spreadsheet in Spanish: `;` between fields, a byte-order mark so
/// Excel reads the accents, every field quoted when it needs it.
pub fn bitacora_csv(rows: &[[String; 24]]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_line(BITACORA_COLUMNS.iter().copied()));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&csv_line(row.iter().map(String::as_str)));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn csv_line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    cells
        .map(|cell| {
            // A leading = + - @ would make a spreadsheet run the cell as a formula.
            let cell = if cell.starts_with(['=', '+', '-', '@']) {
                format!("'{cell}")
            } else {
                cell.to_string()
            };
            if cell.contains([';', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn failed(err: XlsxError) -> AppError {
    tracing::error!(error = %err, "the monthly workbook could not be written");
    AppError::Internal
}

/// A sheet with a bold header row and `rows` of text or numbers under it.
fn table(
    sheet: &mut Worksheet,
    header: &[&str],
    rows: &[Vec<Cell>],
    bold: &Format,
) -> Result<(), XlsxError> {
    for (col, title) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 34 } else { 16 })?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            let (r, col) = (r as u32 + 1, col as u16);
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(r, col, text)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(r, col, *n)?;
                }
                Cell::Empty => {}
            }
        }
    }
    Ok(())
}

/// One cell of a sheet.
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn number(value: i64) -> Cell {
    Cell::Number(value as f64)
}

fn maybe(value: Option<f64>) -> Cell {
    value.map(Cell::Number).unwrap_or(Cell::Empty)
}

/// Hours with two decimals, for a spreadsheet to add up.
fn hours(seconds: i64) -> Cell {
    Cell::Number((seconds as f64 / 36.0).round() / 100.0)
}

/// The workbook: Resumen, Indicadores, Tiempo primera respuesta, one sheet per volume
/// breakdown, Tendencia and Bitácora.
pub fn workbook(report: &MonthlyReport, bitacora: &[[String; 24]]) -> Result<Vec<u8>, AppError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);

    let sheet = book.add_worksheet().set_name("Resumen").map_err(failed)?;
    sheet
        .write_string_with_format(0, 0, "Informe mensual de PQRS", &title)
        .map_err(failed)?;
    sheet.set_column_width(0, 28).map_err(failed)?;
    sheet.set_column_width(1, 40).map_err(failed)?;
    for (row, (label, value)) in [
        ("Organización", report.organization.as_str()),
        ("NIT", report.nit.as_str()),
        ("Mes", report.month_label.as_str()),
        ("Generado", report.generated_at.as_str()),
    ]
    .into_iter()
    .enumerate()
    {
        let row = row as u32 + 2;
        sheet
            .write_string_with_format(row, 0, label, &bold)
            .map_err(failed)?;
        sheet.write_string(row, 1, value).map_err(failed)?;
    }

    let rows: Vec<Vec<Cell>> = report
        .indicators
        .iter()
        .map(|i| {
            vec![
                text(&i.name),
                text(&i.key),
                number(i.numerator),
                maybe(i.denominator.map(|d| d as f64)),
                maybe(i.value.map(|v| (v * 10.0).round() / 10.0)),
                maybe(i.goal),
                text(match i.meets {
                    Some(true) => "Sí",
                    Some(false) => "No",
                    None => "",
                }),
                text(&i.owner),
                text(&i.formula),
            ]
        })
        .collect();
    let sheet = book
        .add_worksheet()
        .set_name("Indicadores")
        .map_err(failed)?;
    table(
        sheet,
        &[
            "Indicador",
            "Clave",
            "Numerador",
            "Denominador",
            "Valor",
            "Meta",
            "Cumple",
            "Responsable",
            "Fórmula",
        ],
        &rows,
        &bold,
    )
    .map_err(failed)?;

    let rows: Vec<Vec<Cell>> = report
        .first_response_times
        .iter()
        .map(|t| {
            vec![
                text(&t.tier),
                text(&t.priority),
                number(t.responses),
                hours(t.mean_seconds),
                hours(t.median_seconds),
            ]
        })
        .collect();
    let sheet = book
        .add_worksheet()
        .set_name("Tiempo primera respuesta")
        .map_err(failed)?;
    table(
        sheet,
        &[
            "Segmento",
            "Prioridad",
            "Respuestas",
            "Promedio (horas hábiles)",
            "Mediana (horas hábiles)",
        ],
        &rows,
        &bold,
    )
    .map_err(failed)?;

    for breakdown in &report.breakdowns {
        let rows: Vec<Vec<Cell>> = breakdown
            .rows
            .iter()
            .map(|r| {
                vec![
                    text(&r.label),
                    number(r.received),
                    number(r.answered),
                    number(r.open_at_end),
                ]
            })
            .collect();
        // Sheet names are at most 31 characters: "Por área de escalamiento" fits.
        let sheet = book
            .add_worksheet()
            .set_name(&breakdown.title)
            .map_err(failed)?;
        table(
            sheet,
            &["", "Recibidas", "Respondidas", "Abiertas al cierre del mes"],
            &rows,
            &bold,
        )
        .map_err(failed)?;
    }

    let rows: Vec<Vec<Cell>> = report
        .trend
        .iter()
        .map(|m| {
            vec![
                text(&m.label),
                number(m.received),
                number(m.answered),
                number(m.closed),
            ]
        })
        .collect();
    let sheet = book.add_worksheet().set_name("Tendencia").map_err(failed)?;
    table(
        sheet,
        &["Mes", "Recibidas", "Respondidas", "Cerradas"],
        &rows,
        &bold,
    )
    .map_err(failed)?;

    let rows: Vec<Vec<Cell>> = report
        .escalations
        .iter()
        .map(|e| {
            vec![
                text(&e.area),
                number(e.escalated),
                number(e.answered),
                e.mean_seconds.map(hours).unwrap_or(Cell::Empty),
                e.median_seconds.map(hours).unwrap_or(Cell::Empty),
                number(e.overdue_unanswered),
            ]
        })
        .collect();
    let sheet = book
        .add_worksheet()
        .set_name("Escalamientos")
        .map_err(failed)?;
    table(
        sheet,
        &[
            "Área",
            "Escaladas",
            "Respondidas por el área",
            "Tiempo en el área, promedio (horas)",
            "Mediana (horas)",
            "Sin respuesta y vencidas",
        ],
        &rows,
        &bold,
    )
    .map_err(failed)?;

    let rows: Vec<Vec<Cell>> = bitacora
        .iter()
        .map(|row| row.iter().map(|cell| text(cell.as_str())).collect())
        .collect();
    let sheet = book.add_worksheet().set_name("Bitácora").map_err(failed)?;
    table(sheet, &BITACORA_COLUMNS, &rows, &bold).map_err(failed)?;

    book.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_quotes_what_it_must_and_never_starts_a_formula() {
        let mut row: [String; 24] = Default::default();
        row[0] = "2026-000001".into();
        row[10] = "Pérez; Hermanos \"S.A.S.\"".into();
        row[23] = "=HYPERLINK(\"x\")".into();
        let csv = String::from_utf8(bitacora_csv(&[row])).unwrap();
        let mut lines = csv.lines();
        assert!(lines.next().unwrap().starts_with("\u{feff}Radicado;Tipo;"));
        let line = lines.next().unwrap();
        assert!(line.starts_with("2026-000001;"), "{line}");
        assert!(
            line.contains(";\"Pérez; Hermanos \"\"S.A.S.\"\"\";"),
            "{line}"
        );
        assert!(line.ends_with(";\"'=HYPERLINK(\"\"x\"\")\""), "{line}");
    }
}
