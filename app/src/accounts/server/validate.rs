//! Input rules for people's data, with the Spanish message each failure shows on the form.
//! Lengths are checked in characters before anything else, so a 1 MB field is refused
//! cheaply and nothing is written.

use crate::error::AppError;

pub const PASSWORD_MIN: usize = 8;
/// Long enough for passphrases, short enough that hashing cannot be used to burn CPU.
pub const PASSWORD_MAX: usize = 128;

fn bounded(value: &str, field: &str, min: usize, max: usize) -> Result<String, AppError> {
    let trimmed = value.trim();
    let count = trimmed.chars().count();
    if count < min {
        return Err(AppError::validation(format!(
            "{field}: escriba al menos {min} caracteres."
        )));
    }
    if count > max {
        return Err(AppError::validation(format!(
            "{field}: admite como máximo {max} caracteres."
        )));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(AppError::validation(format!(
            "{field}: contiene caracteres no permitidos."
        )));
    }
    Ok(trimmed.to_string())
}

pub fn full_name(value: &str) -> Result<String, AppError> {
    bounded(value, "Nombre o razón social", 3, 150)
}

pub fn address(value: &str) -> Result<String, AppError> {
    bounded(value, "Dirección", 5, 200)
}

/// A practical e-mail check: one `@`, a non-empty local part, a dotted domain, no spaces.
/// Stored lower-case so that sign-in and uniqueness ignore case.
pub fn email(value: &str) -> Result<String, AppError> {
    let email = bounded(value, "Correo electrónico", 6, 254)?.to_lowercase();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(email)
    } else {
        Err(AppError::validation(
            "Correo electrónico: escriba una dirección válida, por ejemplo nombre@dominio.co.",
        ))
    }
}

/// A Colombian mobile number (10 digits starting with 3), with or without +57, spaces or
/// dashes; stored as `+57` followed by the 10 digits, ready for WhatsApp (seed 000 §6).
pub fn mobile(value: &str) -> Result<String, AppError> {
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = compact
        .strip_prefix("+57")
        .or_else(|| compact.strip_prefix("57").filter(|d| d.len() == 10))
        .unwrap_or(&compact);
    if digits.len() == 10 && digits.starts_with('3') && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(format!("+57{digits}"))
    } else {
        Err(AppError::validation(
            "Celular: escriba un número colombiano de 10 dígitos que empiece por 3.",
        ))
    }
}

pub fn password(value: &str) -> Result<(), AppError> {
    let count = value.chars().count();
    if count < PASSWORD_MIN {
        Err(AppError::validation(format!(
            "La contraseña debe tener al menos {PASSWORD_MIN} caracteres."
        )))
    } else if count > PASSWORD_MAX {
        Err(AppError::validation(format!(
            "La contraseña admite como máximo {PASSWORD_MAX} caracteres."
        )))
    } else {
        Ok(())
    }
}

/// The letters and digits of a document number, upper case: the form sign-in compares.
pub fn document_key(number: &str) -> String {
    number
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_normalized() {
        assert_eq!(mobile("300 123 4567").unwrap(), "+573001234567");
        assert_eq!(mobile("+57 300-123-4567").unwrap(), "+573001234567");
        assert_eq!(mobile("573001234567").unwrap(), "+573001234567");
        assert!(mobile("6011234567").is_err());
        assert!(mobile("30012345").is_err());
    }

    #[test]
    fn emails_are_checked_and_lowercased() {
        assert_eq!(email(" Ana@Correo.CO ").unwrap(), "ana@correo.co");
        for bad in [
            "ana",
            "ana@",
            "@correo.co",
            "ana@correo",
            "a b@correo.co",
            "a@b@c.co",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        assert!(full_name("Ñoño").is_ok());
        assert!(full_name(&"ñ".repeat(151)).is_err());
        assert!(full_name("ab").is_err());
        assert!(password(&"x".repeat(128)).is_ok());
        assert!(password(&"x".repeat(129)).is_err());
        assert!(password("corta").is_err());
    }

    #[test]
    fn document_keys_ignore_punctuation() {
        assert_eq!(document_key("900.123.456-8"), "9001234568");
        assert_eq!(document_key("ab 12"), "AB12");
    }
}
