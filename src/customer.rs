//! A customer's commercial data: what sets their tier, their ANS guarantee and whether the
//! detractor desk calls them (seed 000 §3, §9; seed 003 §4 step 4), and the rules a change of
//! it must follow before it is stored.
//!
//! Issue 19: until staff can maintain these fields every real customer was *Flotante*, always
//! guaranteed and always called. The ERP is the usual source; this module is the single
//! gate every path (the staff screen, the REST API, an import) goes through.

use crate::tier::ServiceStatus;

coded_enum! {
    /// What kind of account it is. Seed 003 §4 step 4: "No se deben llamar clientes cortesía,
    /// pyme, …" — the detractor desk leaves the excluded kinds out.
    pub enum AccountKind {
        /// A paying customer.
        Normal => ("normal", "Normal"),
        /// A courtesy account (service given at no charge).
        Cortesia => ("cortesia", "Cortesía"),
        /// A small or medium business account.
        Pyme => ("pyme", "Pyme"),
    }
}

/// The largest monthly contract accepted, in COP: a thousand times the 2026 SMLMV is far
/// beyond any real contract, so a larger figure is a typing error (an extra group of zeros).
pub const MAX_MONTHLY_CONTRACT_COP: i64 = 1_750_905_000;

/// The commercial fields of an account as staff, the API or an import set them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommercialData {
    /// Monthly contract value in COP; `None` is no contract (Flotante).
    pub monthly_contract_cop: Option<i64>,
    pub service_status: ServiceStatus,
    pub payments_up_to_date: bool,
    pub kind: AccountKind,
    /// Free segment label (hogar, empresa, …): the detractor desk routes by it.
    pub segment: String,
}

/// Why a change of commercial data was refused; `Display` is the message people read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommercialError {
    NegativeContract,
    NotAnAmount,
    ContractTooLarge,
    BadSegment,
    UnknownServiceStatus,
    UnknownKind,
}

impl core::fmt::Display for CommercialError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::NegativeContract => "El valor del contrato mensual no puede ser negativo.",
            Self::NotAnAmount => "Escriba el valor del contrato mensual en pesos, solo con números (por ejemplo 2.700.000), o déjelo vacío si no tiene contrato.",
            Self::ContractTooLarge => "El valor del contrato mensual parece errado: supera $1.750.905.000 al mes.",
            Self::BadSegment => "Escriba el segmento del cliente (1 a 60 letras, números, espacios o guiones).",
            Self::UnknownServiceStatus => "El estado del servicio debe ser activo, suspendido, cancelado o cancelación pendiente.",
            Self::UnknownKind => "El tipo de cuenta debe ser normal, cortesía o pyme.",
        })
    }
}

/// Parses a contract value as people type it ("30.000.000", "$ 30000000", empty for none).
pub fn parse_contract(raw: &str) -> Result<Option<i64>, CommercialError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.starts_with('-') {
        return Err(CommercialError::NegativeContract);
    }
    let digits: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '$' | '.' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(CommercialError::NotAnAmount);
    }
    // Only digits are left, so the one way to fail is a number too large for i64.
    let value: i64 = digits
        .parse()
        .map_err(|_| CommercialError::ContractTooLarge)?;
    check_contract(Some(value))
}

/// Checks a contract value given as a number (the API's JSON).
pub fn check_contract(value: Option<i64>) -> Result<Option<i64>, CommercialError> {
    match value {
        Some(v) if v < 0 => Err(CommercialError::NegativeContract),
        Some(v) if v > MAX_MONTHLY_CONTRACT_COP => Err(CommercialError::ContractTooLarge),
        Some(0) | None => Ok(None),
        some => Ok(some),
    }
}

/// The service state of `code` (activo, suspendido, cancelado, cancelacion_pendiente). Only
/// *activo* earns the ANS guarantee (seed 000 §9).
pub fn service_status(code: &str) -> Result<ServiceStatus, CommercialError> {
    ServiceStatus::from_code(code.trim()).ok_or(CommercialError::UnknownServiceStatus)
}

/// The account kind of `code` (as stored: normal, cortesia, pyme; accents and case forgiven).
pub fn account_kind(code: &str) -> Result<AccountKind, CommercialError> {
    let folded = crate::text::normalize(code);
    AccountKind::ALL
        .into_iter()
        .find(|kind| kind.code() == folded)
        .ok_or(CommercialError::UnknownKind)
}

/// A segment label, trimmed and lower-cased so that "Hogar" and "hogar " are one segment.
pub fn segment(raw: &str) -> Result<String, CommercialError> {
    let value = raw.trim().to_lowercase();
    let valid = (1..=60).contains(&value.chars().count())
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_');
    if valid {
        Ok(value)
    } else {
        Err(CommercialError::BadSegment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_values_are_read_as_people_type_them() {
        assert_eq!(parse_contract(""), Ok(None));
        assert_eq!(parse_contract("0"), Ok(None));
        assert_eq!(parse_contract("30.000.000"), Ok(Some(30_000_000)));
        assert_eq!(parse_contract("$ 2 700 000"), Ok(Some(2_700_000)));
        assert_eq!(parse_contract("-5"), Err(CommercialError::NegativeContract));
        assert_eq!(parse_contract("treinta"), Err(CommercialError::NotAnAmount));
        assert_eq!(
            parse_contract("99999999999999999999"),
            Err(CommercialError::ContractTooLarge)
        );
        assert_eq!(
            check_contract(Some(MAX_MONTHLY_CONTRACT_COP + 1)),
            Err(CommercialError::ContractTooLarge)
        );
    }

    #[test]
    fn kinds_states_and_segments_accept_only_known_values() {
        assert_eq!(account_kind("Cortesía"), Ok(AccountKind::Cortesia));
        assert_eq!(account_kind("PYME"), Ok(AccountKind::Pyme));
        assert_eq!(account_kind("vip"), Err(CommercialError::UnknownKind));
        assert_eq!(service_status("cancelado"), Ok(ServiceStatus::Cancelado));
        assert_eq!(
            service_status("borrado"),
            Err(CommercialError::UnknownServiceStatus)
        );
        assert_eq!(segment(" Hogar "), Ok("hogar".into()));
        assert_eq!(segment(""), Err(CommercialError::BadSegment));
        assert_eq!(segment("<b>"), Err(CommercialError::BadSegment));
    }
}
