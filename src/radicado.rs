//! The radicado: the number a person quotes for a request, `YYYY-NNNNNN` (e.g. `2026-000123`).
//!
//! The sequence restarts every year, and the year is the Bogotá calendar year of the filing: a
//! request filed at 23:00 on 31 Dec in Bogotá (04:00 UTC on 1 Jan) belongs to the old year.

use core::fmt;
use core::str::FromStr;

use chrono::{DateTime, Datelike, Utc};

use crate::calendar::bogota;

/// The largest sequence that fits the six digits of the format.
pub const MAX_SEQUENCE: u32 = 999_999;

/// A request number: the filing year and the sequence within that year (from 1).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Radicado {
    /// Filing year (Bogotá time), four digits.
    pub year: i32,
    /// Position in the year, 1 to [`MAX_SEQUENCE`].
    pub sequence: u32,
}

impl Radicado {
    /// A radicado, if `year` has four digits and `sequence` is between 1 and [`MAX_SEQUENCE`].
    pub fn new(year: i32, sequence: u32) -> Result<Self, RadicadoError> {
        if !(1000..=9999).contains(&year) {
            return Err(RadicadoError::Year);
        }
        if !(1..=MAX_SEQUENCE).contains(&sequence) {
            return Err(RadicadoError::Sequence);
        }
        Ok(Self { year, sequence })
    }

    /// The first radicado of `year`.
    pub fn first(year: i32) -> Result<Self, RadicadoError> {
        Self::new(year, 1)
    }

    /// The following radicado of the same year; an error once the year's numbers run out.
    pub fn next(&self) -> Result<Self, RadicadoError> {
        Self::new(self.year, self.sequence.saturating_add(1))
    }
}

/// The year a request filed at `at` is numbered in: the calendar year in Bogotá.
pub fn filing_year(at: DateTime<Utc>) -> i32 {
    at.with_timezone(&bogota()).year()
}

impl fmt::Display for Radicado {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:06}", self.year, self.sequence)
    }
}

impl FromStr for Radicado {
    type Err = RadicadoError;

    /// Parses exactly `YYYY-NNNNNN` (surrounding spaces allowed).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (year, sequence) = text.split_once('-').ok_or(RadicadoError::Format)?;
        let all_digits = |part: &str, len: usize| {
            part.len() == len && part.bytes().all(|byte| byte.is_ascii_digit())
        };
        if !all_digits(year, 4) || !all_digits(sequence, 6) {
            return Err(RadicadoError::Format);
        }
        let year = year.parse().map_err(|_| RadicadoError::Format)?;
        let sequence = sequence.parse().map_err(|_| RadicadoError::Format)?;
        Self::new(year, sequence)
    }
}

/// Why a radicado is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RadicadoError {
    /// Not of the form `YYYY-NNNNNN`.
    Format,
    /// The year does not have four digits.
    Year,
    /// The sequence is 0 or does not fit six digits.
    Sequence,
}

impl fmt::Display for RadicadoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Format => "El radicado debe tener la forma AAAA-NNNNNN, por ejemplo 2026-000123.",
            Self::Year => "El año del radicado debe tener cuatro dígitos.",
            Self::Sequence => "El consecutivo del radicado debe estar entre 000001 y 999999.",
        })
    }
}

impl std::error::Error for RadicadoError {}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn displays_and_parses() {
        let radicado = Radicado::new(2026, 123).unwrap();
        assert_eq!(radicado.to_string(), "2026-000123");
        assert_eq!("2026-000123".parse(), Ok(radicado));
        assert_eq!(" 2026-000123 ".parse(), Ok(radicado));
    }

    #[test]
    fn refuses_malformed_numbers() {
        for bad in [
            "2026-123",
            "26-000123",
            "2026000123",
            "2026-00012a",
            "2026-+00123",
            "",
        ] {
            assert_eq!(bad.parse::<Radicado>(), Err(RadicadoError::Format), "{bad}");
        }
        assert_eq!(
            "2026-000000".parse::<Radicado>(),
            Err(RadicadoError::Sequence)
        );
        assert_eq!("0999-000001".parse::<Radicado>(), Err(RadicadoError::Year));
    }

    #[test]
    fn sequence_is_per_year_and_bounded() {
        let first = Radicado::first(2027).unwrap();
        assert_eq!(first.next().unwrap().to_string(), "2027-000002");
        let last = Radicado::new(2027, MAX_SEQUENCE).unwrap();
        assert_eq!(last.next(), Err(RadicadoError::Sequence));
        assert!(Radicado::new(2026, 999_999).unwrap() < first);
    }

    #[test]
    fn filing_year_is_bogota_year() {
        let new_year_eve = Utc.with_ymd_and_hms(2027, 1, 1, 4, 0, 0).unwrap();
        assert_eq!(filing_year(new_year_eve), 2026);
        let new_year = Utc.with_ymd_and_hms(2027, 1, 1, 5, 0, 0).unwrap();
        assert_eq!(filing_year(new_year), 2027);
    }
}
