//! Colombian identity documents: the NIT check digit and the format of the other numbers
//! (REFERENCE.md §6).
//!
//! Only the NIT has a check digit (DIAN, Orden Administrativa 4 de 1989); the Registraduría and
//! Migración Colombia publish none for CC, CE or TI, so those are checked for form only.
//! Numbers are normalized for storage without dots or spaces: digits for CC, CE and TI,
//! `base-DV` for a NIT (e.g. `900123456-7`), upper-case letters and digits for a passport.

coded_enum! {
    /// Kind of identity document (DIAN's "Tipo de Identificador Fiscal" abbreviations).
    pub enum DocumentType {
        /// Cédula de ciudadanía: Colombians aged 18 or more.
        Cc => ("CC", "Cédula de ciudadanía"),
        /// Cédula de extranjería, issued by Migración Colombia.
        Ce => ("CE", "Cédula de extranjería"),
        /// Número de Identificación Tributaria, assigned by the DIAN.
        Nit => ("NIT", "NIT"),
        /// Tarjeta de identidad: Colombians aged 7 to 17.
        Ti => ("TI", "Tarjeta de identidad"),
        /// Passport (DIAN code 41; "PP" or "PA" depending on the system).
        Pp => ("PP", "Pasaporte"),
    }
}

/// DV weights from the rightmost digit of the NIT base (DIAN; python-stdnum `co/nit.py`).
const NIT_WEIGHTS: [u32; 15] = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

/// The dígito de verificación of a NIT base (dots and spaces allowed); `None` when it is
/// empty, longer than 15 digits or has other characters.
///
/// Weighted modulus 11: multiply the digits from the right by 3, 7, 13, 17, …; with
/// r = sum mod 11, the DV is r when r is 0 or 1 and 11 − r otherwise.
pub fn nit_check_digit(nit_digits: &str) -> Option<u8> {
    let digits = compact(nit_digits, &['.', ' '])?;
    if digits.is_empty() || digits.len() > NIT_WEIGHTS.len() {
        return None;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .zip(NIT_WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    let remainder = (sum % 11) as u8;
    Some(if remainder < 2 {
        remainder
    } else {
        11 - remainder
    })
}

/// Removes `separators`; `None` if anything left is not an ASCII digit.
fn compact(raw: &str, separators: &[char]) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !separators.contains(c)).collect();
    digits.bytes().all(|b| b.is_ascii_digit()).then_some(digits)
}

/// Checks `raw` as a number of document `kind` and returns it normalized.
///
/// - CC: 3 to 10 digits (old cédulas are short, new ones have 10), not starting with 0.
/// - CE: 3 to 10 digits.
/// - TI: 10 or 11 digits (the NUIP has 10; older cards 11).
/// - NIT: base of 7 to 15 digits and its DV, as `900.123.456-7`, `900123456-7` or
///   `9001234567` (the last digit is then the DV, as DIAN prints it and python-stdnum reads
///   it); normalized `900123456-7`.
/// - Passport: 5 to 20 letters or digits (ICAO 9303 numbers have up to 9, other countries'
///   documents vary); normalized upper case.
///
/// Dots, spaces and (for NIT and passport) hyphens are accepted as separators.
pub fn validate_document(kind: DocumentType, raw: &str) -> Result<String, DocumentError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(DocumentError::Empty);
    }
    match kind {
        DocumentType::Cc => numeric(kind, raw, 3, 10, false),
        DocumentType::Ce => numeric(kind, raw, 3, 10, true),
        DocumentType::Ti => numeric(kind, raw, 10, 11, true),
        DocumentType::Nit => nit(raw),
        DocumentType::Pp => passport(raw),
    }
}

fn numeric(
    kind: DocumentType,
    raw: &str,
    min: usize,
    max: usize,
    leading_zero_allowed: bool,
) -> Result<String, DocumentError> {
    let digits = compact(raw, &['.', ' ']).ok_or(DocumentError::OnlyDigits(kind))?;
    if !(min..=max).contains(&digits.len()) {
        return Err(DocumentError::Length { kind, min, max });
    }
    if !leading_zero_allowed && digits.starts_with('0') {
        return Err(DocumentError::LeadingZero(kind));
    }
    Ok(digits)
}

fn nit(raw: &str) -> Result<String, DocumentError> {
    let (base, check) = match raw.rsplit_once('-') {
        Some((base, check)) => (base, check.trim()),
        None => raw.split_at(raw.len() - raw.chars().last().map_or(0, char::len_utf8)),
    };
    let base = compact(base, &['.', ' ']).ok_or(DocumentError::OnlyDigits(DocumentType::Nit))?;
    if check.len() != 1 || !check.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DocumentError::NitCheckDigitMissing);
    }
    if !(7..=15).contains(&base.len()) {
        return Err(DocumentError::Length {
            kind: DocumentType::Nit,
            min: 7,
            max: 15,
        });
    }
    let expected = nit_check_digit(&base).ok_or(DocumentError::OnlyDigits(DocumentType::Nit))?;
    if check.as_bytes()[0] - b'0' != expected {
        return Err(DocumentError::NitCheckDigit);
    }
    Ok(format!("{base}-{expected}"))
}

fn passport(raw: &str) -> Result<String, DocumentError> {
    let number: String = raw
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !number.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(DocumentError::OnlyLettersAndDigits);
    }
    if !(5..=20).contains(&number.len()) {
        return Err(DocumentError::Length {
            kind: DocumentType::Pp,
            min: 5,
            max: 20,
        });
    }
    Ok(number)
}

/// Why a document number was refused; `Display` is the message for the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentError {
    /// Nothing was typed.
    Empty,
    /// Characters other than digits (and separators).
    OnlyDigits(DocumentType),
    /// Characters other than letters and digits in a passport number.
    OnlyLettersAndDigits,
    /// Too short or too long.
    Length {
        /// The document kind.
        kind: DocumentType,
        /// Fewest digits or characters.
        min: usize,
        /// Most digits or characters.
        max: usize,
    },
    /// The number starts with 0.
    LeadingZero(DocumentType),
    /// The NIT has no single check digit after the hyphen.
    NitCheckDigitMissing,
    /// The NIT's check digit does not match its base.
    NitCheckDigit,
}

impl core::fmt::Display for DocumentError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Empty => f.write_str("Escriba el número del documento."),
            Self::OnlyDigits(kind) => write!(
                f,
                "El número de {} solo puede tener dígitos.",
                kind_name(*kind)
            ),
            Self::OnlyLettersAndDigits => {
                f.write_str("El número de pasaporte solo puede tener letras y dígitos.")
            }
            Self::Length { kind, min, max } => write!(
                f,
                "El número de {} debe tener entre {min} y {max} {}.",
                kind_name(*kind),
                if *kind == DocumentType::Pp {
                    "caracteres"
                } else {
                    "dígitos"
                }
            ),
            Self::LeadingZero(kind) => {
                write!(
                    f,
                    "El número de {} no puede empezar por cero.",
                    kind_name(*kind)
                )
            }
            Self::NitCheckDigitMissing => f.write_str(
                "Escriba el NIT con su dígito de verificación, por ejemplo 900123456-7.",
            ),
            Self::NitCheckDigit => f.write_str("El dígito de verificación del NIT no es correcto."),
        }
    }
}

fn kind_name(kind: DocumentType) -> &'static str {
    match kind {
        DocumentType::Cc => "cédula de ciudadanía",
        DocumentType::Ce => "cédula de extranjería",
        DocumentType::Nit => "NIT",
        DocumentType::Ti => "tarjeta de identidad",
        DocumentType::Pp => "pasaporte",
    }
}

impl std::error::Error for DocumentError {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// REFERENCE.md §6 worked examples.
    #[test]
    fn nit_check_digits_from_the_reference() {
        for (base, dv) in [
            ("800191045", 1),
            ("213123432", 1),
            ("900206480", 2),
            ("15252525", 0),
            ("800197268", 4),
            ("213123435", 1),
        ] {
            assert_eq!(nit_check_digit(base), Some(dv), "{base}");
        }
        assert_eq!(nit_check_digit("800.197.268"), Some(4));
        assert_eq!(nit_check_digit(""), None);
        assert_eq!(nit_check_digit("80019726A"), None);
        assert_eq!(nit_check_digit("1234567890123456"), None);
    }

    #[test]
    fn nit_validation_and_normalization() {
        for raw in [
            "800.197.268-4",
            "800197268-4",
            "8001972684",
            " 800 197 268 - 4 ",
        ] {
            assert_eq!(
                validate_document(DocumentType::Nit, raw),
                Ok("800197268-4".to_owned()),
                "{raw}"
            );
        }
        assert_eq!(
            validate_document(DocumentType::Nit, "213.123.432-1"),
            Ok("213123432-1".to_owned())
        );
        assert_eq!(
            validate_document(DocumentType::Nit, "2131234350"),
            Err(DocumentError::NitCheckDigit),
            "python-stdnum's InvalidChecksum example"
        );
        let error = validate_document(DocumentType::Nit, "800197268-5").unwrap_err();
        assert_eq!(
            error.to_string(),
            "El dígito de verificación del NIT no es correcto."
        );
        assert_eq!(
            validate_document(DocumentType::Nit, "800197268-"),
            Err(DocumentError::NitCheckDigitMissing)
        );
        assert!(validate_document(DocumentType::Nit, "123-4").is_err());
    }

    #[test]
    fn personal_documents() {
        assert_eq!(
            validate_document(DocumentType::Cc, "1.020.304.050"),
            Ok("1020304050".to_owned())
        );
        assert_eq!(
            validate_document(DocumentType::Cc, "79 123 456"),
            Ok("79123456".to_owned())
        );
        assert_eq!(
            validate_document(DocumentType::Cc, "0123456"),
            Err(DocumentError::LeadingZero(DocumentType::Cc))
        );
        assert_eq!(
            validate_document(DocumentType::Cc, "12345678901"),
            Err(DocumentError::Length {
                kind: DocumentType::Cc,
                min: 3,
                max: 10
            })
        );
        assert_eq!(
            validate_document(DocumentType::Cc, "12a45"),
            Err(DocumentError::OnlyDigits(DocumentType::Cc))
        );
        assert_eq!(
            validate_document(DocumentType::Ce, "456789"),
            Ok("456789".to_owned())
        );
        assert_eq!(
            validate_document(DocumentType::Ti, "1012345678"),
            Ok("1012345678".to_owned())
        );
        assert!(validate_document(DocumentType::Ti, "123456789").is_err());
        assert_eq!(
            validate_document(DocumentType::Pp, "ab-123456"),
            Ok("AB123456".to_owned())
        );
        assert_eq!(
            validate_document(DocumentType::Pp, "AB12#"),
            Err(DocumentError::OnlyLettersAndDigits)
        );
        assert_eq!(
            validate_document(DocumentType::Cc, "   "),
            Err(DocumentError::Empty)
        );
        let codes: Vec<_> = DocumentType::ALL.iter().map(DocumentType::code).collect();
        assert_eq!(codes, ["CC", "CE", "NIT", "TI", "PP"]);
    }

    proptest! {
        #[test]
        fn a_computed_check_digit_always_validates(base in "[1-9][0-9]{6,14}") {
            let dv = nit_check_digit(&base).unwrap();
            let normalized = format!("{base}-{dv}");
            prop_assert_eq!(validate_document(DocumentType::Nit, &normalized), Ok(normalized.clone()));
            let wrong = format!("{base}-{}", (dv + 1) % 10);
            prop_assert_eq!(validate_document(DocumentType::Nit, &wrong), Err(DocumentError::NitCheckDigit));
        }
    }
}
