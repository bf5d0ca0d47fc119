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

/// At most this many argon2 computations at once (19 MiB and tens of milliseconds each): a
/// burst of registrations or sign-ins waits its turn instead of taking every core and the
/// memory with it.
const AT_ONCE: usize = 2;

fn permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);
    &PERMITS
}

/// [`hash`] on the blocking pool, bounded: the async workers keep serving pages meanwhile.
pub async fn hash_off_thread(password: &str) -> PasswordHashText {
    let _permit = permits()
        .acquire()
        .await
        .expect("the semaphore is never closed");
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .expect("argon2 hashing does not panic")
}

/// [`verify`] on the blocking pool, bounded like [`hash_off_thread`].
pub async fn verify_off_thread(password: &str, stored: &PasswordHashText) -> bool {
    let _permit = permits()
        .acquire()
        .await
        .expect("the semaphore is never closed");
    let (password, stored) = (password.to_string(), stored.clone());
    tokio::task::spawn_blocking(move || verify(&password, &stored))
        .await
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
