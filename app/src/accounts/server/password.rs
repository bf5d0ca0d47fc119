//! Password hashing with argon2id (the crate's defaults: m = 19 MiB, t = 2, p = 1, the
//! OWASP minimum), so a stolen table does not give the passwords away.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// A PHC-format hash. Deliberately not `Serialize`: it must never reach a response
/// (leptos `projects/session_auth_axum`).
#[derive(Debug, Clone)]
pub struct PasswordHashText(pub String);

pub fn hash(password: &str) -> PasswordHashText {
    let salt = SaltString::generate(&mut OsRng);
    let hashed = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters and a generated salt cannot fail");
    PasswordHashText(hashed.to_string())
}

pub fn verify(password: &str, stored: &PasswordHashText) -> bool {
    PasswordHash::new(&stored.0)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that a wrong login and a
/// wrong password take the same time and do not reveal which accounts exist.
pub fn decoy() -> &'static PasswordHashText {
    static DECOY: std::sync::OnceLock<PasswordHashText> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("ventanilla-decoy-password"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_password() {
        let stored = hash("correcto horse");
        assert!(stored.0.starts_with("$argon2id$"));
        assert!(verify("correcto horse", &stored));
        assert!(!verify("incorrecto", &stored));
        assert!(!verify("x", &PasswordHashText("no es un hash".into())));
    }
}
