//! The e-mail itself, the same for every transport.

use lettre::message::header::ContentType;
use lettre::message::{Body, Mailbox};
use lettre::Message;

use crate::notify::server::render::Rendered;

/// How the body is encoded: quoted-printable works through any SMTP server; 8-bit UTF-8
/// keeps a file readable as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    Portable,
    Readable,
}

/// The Message-ID is derived from the outbox id, so a message sent again after a crash
/// carries the same id as the first copy and mail clients recognise it as the same
/// message (RFC 5322 §3.6.4).
pub fn message_id(outbox_id: &str, from: &Mailbox) -> String {
    format!("<{outbox_id}@{}>", from.email.domain())
}

pub fn build(
    outbox_id: &str,
    from: &Mailbox,
    recipient: &str,
    rendered: &Rendered,
    encoding: BodyEncoding,
) -> Result<Message, String> {
    let to: Mailbox = recipient
        .parse()
        .map_err(|err| format!("la dirección de correo «{recipient}» no es válida: {err}"))?;
    let body = match encoding {
        BodyEncoding::Portable => Body::new(rendered.body.clone()),
        // Falls back to the portable encoding for a body 8-bit cannot carry (a line
        // longer than SMTP allows).
        BodyEncoding::Readable => Body::new_with_encoding(
            rendered.body.clone(),
            lettre::message::header::ContentTransferEncoding::EightBit,
        )
        .unwrap_or_else(Body::new),
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(rendered.subject.clone())
        .message_id(Some(message_id(outbox_id, from)))
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|err| format!("no se pudo armar el correo: {err}"))
}
