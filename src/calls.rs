//! Calls to the service line, as the PBX records them (issue 20): what the indicator
//! *Atención oportuna de llamadas* counts. Seed 001 §5.3 sets it as "llamadas atendidas ÷
//! llamadas recibidas" with a goal of 90 %; a call is received whatever happened to it, and
//! attended when an agent took it.
//!
//! Switchboards export their call detail records in their own words (Asterisk writes
//! `ANSWERED`, `NO ANSWER`, `BUSY`; others "Atendida", "Abandonada") and durations as seconds
//! or as `HH:MM:SS`. This module reads those words and checks the numbers, so the CSV import
//! and `POST /api/v1/calls` refuse the same things with the same Spanish message.

use chrono::{DateTime, NaiveDateTime, TimeZone};

use crate::text::normalize;

coded_enum! {
    /// What became of a call.
    pub enum CallOutcome {
        /// An agent took the call.
        Attended => ("atendida", "Atendida"),
        /// The caller hung up before an agent took it, or nobody answered.
        Abandoned => ("abandonada", "Abandonada"),
    }
}

impl CallOutcome {
    /// The outcome as a switchboard or a person writes it, accents and case forgiven.
    pub fn parse(text: &str) -> Option<CallOutcome> {
        match normalize(text).as_str() {
            "atendida" | "atendido" | "contestada" | "contestado" | "answered" | "answer"
            | "attended" | "si" => Some(CallOutcome::Attended),
            "abandonada" | "abandonado" | "abandoned" | "no contestada" | "no answer"
            | "noanswer" | "perdida" | "missed" | "busy" | "ocupado" | "failed" | "fallida"
            | "no" => Some(CallOutcome::Abandoned),
            _ => None,
        }
    }
}

/// The longest wait or conversation a record may state: a day. Anything longer is a PBX
/// error, not a call.
pub const MAX_CALL_SECONDS: i64 = 24 * 3600;

/// A wait or a duration: whole seconds (`83`) or a clock (`1:23`, `00:01:23`), at most a day.
pub fn parse_seconds(label: &str, text: &str) -> Result<i64, String> {
    let text = text.trim();
    let wrong =
        || format!("{label}: «{text}» no es un número de segundos ni una duración HH:MM:SS.");
    let seconds = if text.contains(':') {
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(wrong());
        }
        let mut total: i64 = 0;
        for (index, part) in parts.iter().enumerate() {
            let value: i64 = part.parse().map_err(|_| wrong())?;
            if value < 0 || (index > 0 && value >= 60) {
                return Err(wrong());
            }
            total = total.saturating_mul(60).saturating_add(value);
        }
        total
    } else {
        text.parse::<i64>().map_err(|_| wrong())?
    };
    if seconds < 0 {
        return Err(format!("{label}: no puede ser negativa."));
    }
    if seconds > MAX_CALL_SECONDS {
        return Err(format!(
            "{label}: supera un día; revise el registro de la central."
        ));
    }
    Ok(seconds)
}

/// When the call started, in Unix seconds: RFC 3339 with its offset, or a Bogotá wall-clock
/// time as `YYYY-MM-DD HH:MM[:SS]` or `DD/MM/YYYY HH:MM[:SS]` (the way PBX exports and
/// Spanish-locale spreadsheets write it). A start after `now` is refused: a record is of a
/// call that happened.
pub fn parse_start(text: &str, now: i64) -> Result<i64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Fecha y hora: está vacía.".into());
    }
    let at = DateTime::parse_from_rfc3339(text)
        .map(|d| d.timestamp())
        .ok()
        .or_else(|| {
            [
                "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M",
                "%d/%m/%Y %H:%M:%S",
                "%d/%m/%Y %H:%M",
            ]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
            .and_then(|local| crate::bogota().from_local_datetime(&local).single())
            .map(|d| d.timestamp())
        })
        .ok_or_else(|| {
            format!(
                "Fecha y hora: «{text}» no se entiende; escríbala como AAAA-MM-DD HH:MM (hora de Colombia)."
            )
        })?;
    if at > now + 60 {
        return Err(format!("Fecha y hora: «{text}» está en el futuro."));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_as_switchboards_write_them() {
        assert_eq!(CallOutcome::parse("ANSWERED"), Some(CallOutcome::Attended));
        assert_eq!(
            CallOutcome::parse(" Atendida "),
            Some(CallOutcome::Attended)
        );
        assert_eq!(
            CallOutcome::parse("NO ANSWER"),
            Some(CallOutcome::Abandoned)
        );
        assert_eq!(
            CallOutcome::parse("no_answer"),
            Some(CallOutcome::Abandoned)
        );
        assert_eq!(
            CallOutcome::parse("Abandonada"),
            Some(CallOutcome::Abandoned)
        );
        assert_eq!(CallOutcome::parse("BUSY"), Some(CallOutcome::Abandoned));
        assert_eq!(CallOutcome::parse("transferida"), None);
        assert_eq!(
            CallOutcome::from_code("atendida"),
            Some(CallOutcome::Attended)
        );
    }

    #[test]
    fn waits_and_durations_in_seconds_or_as_a_clock() {
        assert_eq!(parse_seconds("Espera", "83"), Ok(83));
        assert_eq!(parse_seconds("Espera", "1:23"), Ok(83));
        assert_eq!(parse_seconds("Duración", "01:00:05"), Ok(3605));
        assert!(parse_seconds("Espera", "-4")
            .unwrap_err()
            .contains("negativa"));
        assert!(parse_seconds("Espera", "1:75")
            .unwrap_err()
            .contains("«1:75»"));
        assert!(parse_seconds("Espera", "dos")
            .unwrap_err()
            .contains("Espera"));
        assert!(parse_seconds("Duración", "90000")
            .unwrap_err()
            .contains("un día"));
    }

    #[test]
    fn starts_are_read_in_bogota_and_never_in_the_future() {
        // 2026-11-03 08:15 in Bogotá is 13:15 UTC.
        let expected = 1_793_711_700;
        let now = expected + 3600;
        assert_eq!(parse_start("2026-11-03 08:15", now), Ok(expected));
        assert_eq!(parse_start("03/11/2026 08:15:00", now), Ok(expected));
        assert_eq!(parse_start("2026-11-03T13:15:00Z", now), Ok(expected));
        assert!(parse_start("2026-11-03 10:15", now)
            .unwrap_err()
            .contains("futuro"));
        assert!(parse_start("ayer", now).unwrap_err().contains("AAAA-MM-DD"));
        assert!(parse_start("", now).unwrap_err().contains("vacía"));
    }
}
