//! The rules of the detractor recovery desk (seed 003, "Gestión de detractores"), one home for
//! the cases opened by our own surveys, by relationship campaigns and by imported survey
//! bases alike.
//!
//! Seed 003 §4 step 4 and step 5 give them:
//! - who is not called: "No se deben llamar clientes cortesía, pyme, CANCELADO o CANCELADO DEBE
//!   y las cuentas con solicitud de cancelación vigente" — the account kinds are configuration
//!   (`VENTANILLA_DETRACTOR_EXCLUDED_KINDS`, default cortesía and pyme), the service states are
//!   the seed's;
//! - "más de 2 intentos de contacto … sin obtener respuesta" closes the case as *no contactado*;
//! - "no puede superar las 24 horas de vigencia".

use crate::text::normalize;

/// Seed 003 §4 step 5: a case must be handled within 24 hours of opening.
pub const HANDLING_SECONDS: i64 = 24 * 3600;

/// Seed 003 §4 step 4: failed attempts beyond this many close the case as not contacted.
pub const MAX_FAILED_ATTEMPTS: u32 = 2;

/// How a closed case was typified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The customer was reached and gave the reason of the bad score.
    Contactado,
    /// More than [`MAX_FAILED_ATTEMPTS`] attempts without answer.
    NoContactado,
    /// Typified without a call: an account kind or service state the seed says not to call.
    Excluido,
}

impl Outcome {
    /// The code stored in `recovery_cases.outcome`.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Contactado => "contactado",
            Outcome::NoContactado => "no_contactado",
            Outcome::Excluido => "excluido",
        }
    }
}

/// Whether a service state, as stored (`cancelado`, `cancelacion_pendiente`) or as an imported
/// base writes it ("CANCELADO DEBE", "Cancelación pendiente"), is one the seed says not to call.
pub fn service_cancelled(service_status: &str) -> bool {
    normalize(service_status).contains("cancel")
}

/// Whether the customer of a detractor answer is typified without being called: an excluded
/// account kind (compared as people type it) or a cancelled or cancelling service.
pub fn not_called(kind: &str, service_status: &str, excluded_kinds: &[String]) -> bool {
    let kind = normalize(kind);
    excluded_kinds.iter().any(|k| normalize(k) == kind) || service_cancelled(service_status)
}

/// How the case stands after an attempt: closed as contacted on an effective contact, closed
/// as not contacted once the failed attempts (this one included) exceed the limit, else open.
pub fn after_attempt(effective: bool, failed_attempts: u32) -> Option<Outcome> {
    if effective {
        Some(Outcome::Contactado)
    } else if failed_attempts > MAX_FAILED_ATTEMPTS {
        Some(Outcome::NoContactado)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds() -> Vec<String> {
        vec!["cortesia".into(), "pyme".into()]
    }

    #[test]
    fn the_seed_says_whom_not_to_call() {
        assert!(not_called("Cortesía", "activo", &kinds()));
        assert!(not_called("PYME", "activo", &kinds()));
        assert!(not_called("hogar", "cancelado", &kinds()));
        assert!(not_called("hogar", "CANCELADO DEBE", &kinds()));
        assert!(not_called("hogar", "cancelacion_pendiente", &kinds()));
        assert!(not_called("hogar", "Cancelación pendiente", &kinds()));
        assert!(!not_called("hogar", "activo", &kinds()));
        assert!(!not_called("corporativo", "", &kinds()));
        assert!(!not_called("pyme", "activo", &[]));
    }

    #[test]
    fn more_than_two_failed_attempts_close_the_case() {
        assert_eq!(after_attempt(false, 1), None);
        assert_eq!(after_attempt(false, 2), None);
        assert_eq!(after_attempt(false, 3), Some(Outcome::NoContactado));
        assert_eq!(after_attempt(true, 2), Some(Outcome::Contactado));
        assert_eq!(Outcome::NoContactado.code(), "no_contactado");
        assert_eq!(HANDLING_SECONDS, 86_400);
    }
}
