//! The monthly report (seed 001 act. 5 "elaborar el informe mensual"; seed 002 §5.2.23–27):
//! the month's indicators and first-response times, the volumes by type, channel, category,
//! tier and area, and the trend of the last six months, with the organization's name and NIT.
//! The printable page, the XLSX workbook and `GET /api/v1/reports/monthly/{YYYY-MM}` are three
//! readings of this one report, so their numbers cannot differ.

use chrono::{Datelike, NaiveDate};
use sqlx::Row;
use ventanilla::calendar::bogota;

use crate::error::AppError;
use crate::indicators::model::{
    AreaEscalations, Breakdown, BreakdownRow, MonthFigures, MonthlyReport,
};
use crate::indicators::server::compute;
use crate::organization::Organization;

/// How many months the trend shows, the report's month last.
pub const TREND_MONTHS: u32 = 6;

/// A calendar month in Bogotá.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// `YYYY-MM` as typed; empty is the previous month (the one a report is usually asked
    /// for). A month that has not begun yet is refused in words.
    pub fn parse(text: &str) -> Result<Month, AppError> {
        let today = chrono::Utc::now().with_timezone(&bogota()).date_naive();
        let text = text.trim();
        let month = if text.is_empty() {
            Month::of(today).previous()
        } else {
            let first =
                NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").map_err(|_| {
                    AppError::validation("Mes: escríbalo como AAAA-MM, por ejemplo 2026-11.")
                })?;
            Month::of(first)
        };
        if month.first_day() > today {
            return Err(AppError::validation(
                "Ese mes aún no empieza: elija el mes en curso o uno anterior.",
            ));
        }
        if month.year < 2000 {
            return Err(AppError::validation("Mes: elija un mes desde el año 2000."));
        }
        Ok(month)
    }

    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or_default()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                month: self.month - 1,
                ..self
            }
        }
    }

    /// "2026-11".
    pub fn code(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }

    /// "noviembre de 2026".
    pub fn label(self) -> String {
        format!("{} de {}", crate::timers::month_name(self.month), self.year)
    }

    /// `[start, end)` in Unix seconds, Bogotá midnights.
    pub fn window(self) -> (i64, i64) {
        (
            compute::day_start(self.first_day()),
            compute::day_start(self.next().first_day()),
        )
    }
}

/// One dimension of the volumes: its title, the grouping expression on `requests r` and the
/// joins it needs, and how a stored code reads.
struct Dimension {
    title: &'static str,
    key: &'static str,
    joins: &'static str,
    label: fn(Option<String>) -> String,
}

/// A stored code in words; an unknown code as stored.
fn coded(code: Option<String>, label: impl Fn(&str) -> Option<&'static str>) -> String {
    let code = code.unwrap_or_default();
    label(&code).map(str::to_string).unwrap_or(code)
}

fn type_label(code: Option<String>) -> String {
    coded(code, |c| {
        ventanilla::legal::RequestType::from_code(c).map(|t| t.label_es())
    })
}

fn channel_label(code: Option<String>) -> String {
    coded(code, |c| {
        ventanilla::channel::Channel::from_code(c).map(|t| t.label_es())
    })
}

fn tier_label(code: Option<String>) -> String {
    coded(code, |c| {
        ventanilla::tier::Tier::from_code(c).map(|t| t.label_es())
    })
}

fn category_label(name: Option<String>) -> String {
    name.unwrap_or_else(|| "Sin categoría".to_string())
}

fn area_label(name: Option<String>) -> String {
    name.unwrap_or_else(|| "Sin escalar".to_string())
}

const DIMENSIONS: [Dimension; 5] = [
    Dimension {
        title: "Por tipo de solicitud",
        key: "r.request_type",
        joins: "",
        label: type_label,
    },
    Dimension {
        title: "Por canal",
        key: "r.channel",
        joins: "",
        label: channel_label,
    },
    Dimension {
        title: "Por categoría",
        key: "c.name",
        joins: "LEFT JOIN categories c ON c.id = r.category_id",
        label: category_label,
    },
    Dimension {
        title: "Por segmento",
        key: "r.tier",
        joins: "",
        label: tier_label,
    },
    Dimension {
        title: "Por área de escalamiento",
        key: "ar.name",
        joins: "LEFT JOIN areas ar ON ar.id = r.area_id",
        label: area_label,
    },
];

/// Received in the month, answered in the month and open at its end, by `dimension`, with the
/// same conditions as the indicators' counts; largest first.
async fn breakdown(
    pool: &sqlx::AnyPool,
    dimension: &Dimension,
    (start, end): (i64, i64),
) -> Result<Breakdown, AppError> {
    let sql = format!(
        "SELECT {key} AS k, \
         SUM(CASE WHEN r.received_at >= $1 THEN 1 ELSE 0 END) AS received, \
         SUM(CASE WHEN r.answered_at >= $1 AND r.answered_at < $2 THEN 1 ELSE 0 END) AS answered, \
         SUM(CASE WHEN r.closed_at IS NULL OR r.closed_at >= $2 THEN 1 ELSE 0 END) AS open_at_end \
         FROM requests r {joins} \
         WHERE r.received_at < $2 AND (r.received_at >= $1 OR (r.answered_at >= $1 AND r.answered_at < $2) \
         OR r.closed_at IS NULL OR r.closed_at >= $2) \
         GROUP BY {key}",
        key = dimension.key,
        joins = dimension.joins,
    );
    let mut rows: Vec<BreakdownRow> = sqlx::query(&sql)
        .bind(start)
        .bind(end)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| BreakdownRow {
            label: (dimension.label)(row.get::<Option<String>, _>("k")),
            received: row.get("received"),
            answered: row.get("answered"),
            open_at_end: row.get("open_at_end"),
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.received, b.open_at_end, &a.label).cmp(&(a.received, a.open_at_end, &b.label))
    });
    Ok(Breakdown {
        title: dimension.title.to_string(),
        rows,
    })
}

/// The escalations to each area in `[start, end)` (seed 002 §6: the areas answer the agents
/// within the term; seed 004 PQRS 4): how many, how many the area answered and in how long,
/// and how many are still unanswered past their legal term at `now`. By area name.
async fn escalations(
    pool: &sqlx::AnyPool,
    (start, end): (i64, i64),
    now: i64,
) -> Result<Vec<AreaEscalations>, AppError> {
    let rows = sqlx::query(
        "SELECT a.name AS area, ra.first_at, r.clock_legal_due, \
         (SELECT MIN(m.created_at) FROM request_messages m WHERE m.request_id = ra.request_id \
          AND m.kind = 'respuesta_area' AND m.created_at >= ra.first_at) AS answered_at \
         FROM request_areas ra JOIN areas a ON a.id = ra.area_id JOIN requests r ON r.id = ra.request_id \
         WHERE ra.first_at >= $1 AND ra.first_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_all(pool)
    .await?;
    let mut by_area: std::collections::BTreeMap<String, (i64, Vec<i64>, i64)> = Default::default();
    for row in &rows {
        let entry = by_area.entry(row.get("area")).or_default();
        entry.0 += 1;
        let first_at: i64 = row.get("first_at");
        match row.get::<Option<i64>, _>("answered_at") {
            Some(answered) => entry.1.push(answered - first_at),
            None => {
                if row
                    .get::<Option<i64>, _>("clock_legal_due")
                    .is_some_and(|due| due < now)
                {
                    entry.2 += 1;
                }
            }
        }
    }
    Ok(by_area
        .into_iter()
        .map(|(area, (escalated, mut times, overdue_unanswered))| {
            let answered = times.len() as i64;
            let (mean, median) = if times.is_empty() {
                (None, None)
            } else {
                let (mean, median) = compute::mean_and_median(&mut times);
                (Some(mean), Some(median))
            };
            let text = |s: Option<i64>| s.map(compute::duration_text).unwrap_or_else(|| "—".into());
            AreaEscalations {
                area,
                escalated,
                answered,
                mean: text(mean),
                median: text(median),
                mean_seconds: mean,
                median_seconds: median,
                overdue_unanswered,
            }
        })
        .collect())
}

/// The report of `month`, as of `now`.
pub async fn report(
    pool: &sqlx::AnyPool,
    organization: &Organization,
    month: Month,
    now: i64,
) -> Result<MonthlyReport, AppError> {
    let figures = compute::report(pool, (month.first_day(), month.last_day()), now).await?;
    let window = month.window();
    let mut breakdowns = Vec::with_capacity(DIMENSIONS.len());
    for dimension in &DIMENSIONS {
        breakdowns.push(breakdown(pool, dimension, window).await?);
    }
    let mut months = vec![month];
    for _ in 1..TREND_MONTHS {
        let earliest = months[0].previous();
        months.insert(0, earliest);
    }
    let mut trend = Vec::with_capacity(months.len());
    for m in months {
        let (received, answered, closed) = compute::volumes(pool, m.window(), now).await?;
        trend.push(MonthFigures {
            month: m.code(),
            label: m.label(),
            received,
            answered,
            closed,
        });
    }
    Ok(MonthlyReport {
        month: month.code(),
        month_label: month.label(),
        organization: organization.name.clone(),
        nit: organization.nit.clone(),
        generated_at: crate::timers::local_time(now),
        indicators: figures.indicators,
        first_response_times: figures.first_response_times,
        breakdowns,
        trend,
        escalations: escalations(pool, window, now).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_step_and_read_in_spanish() {
        let november = Month::parse("2026-11").unwrap();
        assert_eq!(november.code(), "2026-11");
        assert_eq!(november.label(), "noviembre de 2026");
        assert_eq!(
            november.last_day(),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        assert_eq!(november.next().next().code(), "2027-01");
        assert_eq!(
            Month {
                year: 2027,
                month: 1
            }
            .previous()
            .code(),
            "2026-12"
        );
        let (start, end) = november.window();
        assert_eq!(end - start, 30 * 24 * 3600);
        for bad in ["noviembre", "2026-13", "2026/11"] {
            let message = Month::parse(bad).unwrap_err().to_string();
            assert!(message.contains("AAAA-MM"), "{bad}: {message}");
        }
        let message = Month::parse("2999-01").unwrap_err().to_string();
        assert!(message.contains("aún no empieza"), "{message}");
        assert!(Month::parse("").is_ok());
    }
}
