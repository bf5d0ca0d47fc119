//! The message a plain HTML form post is sent back with, sealed so that only this server can
//! write one (issue 17, security review: `?error=` echoed any text, so a crafted link could
//! put words of the attacker's choosing on our page, under our name — content spoofing).
//!
//! The redirect carries the message and an HMAC-SHA-256 tag (`?error=…&firma=…`) made with a
//! key drawn at start; the page shows the message only if the server finds the tag right.
//! The key lives in this process: behind a load balancer the redirect may reach another
//! instance, which then shows no message (the form is still there) rather than a forged one.

use std::sync::OnceLock;

use rand::RngCore;
use sha2::{Digest, Sha256};

static KEY: OnceLock<[u8; 32]> = OnceLock::new();

fn key() -> &'static [u8; 32] {
    KEY.get_or_init(|| {
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        key
    })
}

/// HMAC-SHA-256 (RFC 2104) of `message` under this process's key, in hex.
fn tag(message: &str) -> String {
    const BLOCK: usize = 64;
    let mut padded = [0u8; BLOCK];
    padded[..32].copy_from_slice(key());
    let pad = |byte: u8| padded.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message.as_bytes())
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    hex::encode(outer)
}

/// The query string (without `?`) that carries `message` back to a page.
pub fn seal(message: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(message.as_bytes()).collect();
    format!("error={encoded}&firma={}", tag(message))
}

/// `message` when `signature` is this server's tag of it; `None` for anything else.
pub fn open(message: &str, signature: &str) -> Option<String> {
    let expected = tag(message);
    // Compared in full whatever the first difference, so the time says nothing of the tag.
    let same = expected.len() == signature.len()
        && expected
            .bytes()
            .zip(signature.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0;
    same.then(|| message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_sealed_message_opens() {
        let sealed = seal("Escriba el asunto.");
        let signature = sealed.split("firma=").nth(1).unwrap();
        assert_eq!(
            open("Escriba el asunto.", signature).as_deref(),
            Some("Escriba el asunto.")
        );
        assert_eq!(
            open("Llame al 300 000 0000 para reclamar su premio.", signature),
            None
        );
        assert_eq!(open("Escriba el asunto.", "00"), None);
        assert_eq!(open("Escriba el asunto.", ""), None);
    }
}
