//! What the calls pages show and the import answers.

use serde::{Deserialize, Serialize};

/// One call as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallRow {
    /// Bogotá time, `YYYY-MM-DD HH:MM`.
    pub started: String,
    /// The outcome's label: Atendida or Abandonada.
    pub outcome: String,
    pub attended: bool,
    /// Seconds waiting before an agent took it (or before the caller hung up), as `M:SS`.
    pub wait: String,
    pub duration: String,
    pub caller: String,
    /// The staff member who took it (their name), or what the PBX wrote.
    pub agent: String,
    /// The request the call was about.
    pub radicado: Option<String>,
}

/// The calls of a period: the counts behind the indicator and the newest calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallsView {
    pub from: String,
    pub to: String,
    pub received: i64,
    pub attended: i64,
    pub abandoned: i64,
    /// Attended ÷ received × 100, as the indicator card shows it; "sin datos" without calls.
    pub attended_share: String,
    /// Mean wait of the attended calls that state one, as `M:SS`.
    pub mean_wait: String,
    pub rows: Vec<CallRow>,
    /// More calls than [`CALLS_SHOWN`] in the period: only the newest are listed.
    pub truncated: bool,
}

/// How many calls the list shows at most.
pub const CALLS_SHOWN: usize = 200;

/// What an import of call records did (or, with `dry_run`, would do). When `imported` and
/// `dry_run` are false nothing was written: there were bad rows and skipping them was not
/// asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallImportReport {
    pub imported: bool,
    pub dry_run: bool,
    /// Calls new to Ventanilla.
    pub created: u64,
    /// Records whose switchboard id was already stored: left as they were, so importing the
    /// same export twice counts every call once.
    pub already_recorded: u64,
    /// Bad rows left out because skipping them was asked for.
    pub skipped: u64,
    pub errors: Vec<crate::tabular::ImportRowError>,
}

/// `83` seconds as `1:23`; an absent figure as `—`.
pub fn clock_text(seconds: Option<i64>) -> String {
    match seconds {
        Some(s) if s >= 3600 => format!("{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60),
        Some(s) => format!("{}:{:02}", s / 60, s % 60),
        None => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_as_a_clock() {
        assert_eq!(clock_text(Some(83)), "1:23");
        assert_eq!(clock_text(Some(3605)), "1:00:05");
        assert_eq!(clock_text(Some(0)), "0:00");
        assert_eq!(clock_text(None), "—");
    }
}
