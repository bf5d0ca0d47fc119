//! The e-mail itself, the same for every transport.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};
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

/// A file an e-mail carries: its name, content type and bytes (the monthly report's
/// workbook).
#[derive(Debug, Clone, PartialEq)]
pub struct MailFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub fn build(
    outbox_id: &str,
    from: &Mailbox,
    recipient: &str,
    rendered: &Rendered,
    encoding: BodyEncoding,
    file: Option<&MailFile>,
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
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(rendered.subject.clone())
        .message_id(Some(message_id(outbox_id, from)));
    let built = match file {
        None => builder.header(ContentType::TEXT_PLAIN).body(body),
        Some(file) => {
            let content_type = ContentType::parse(&file.content_type)
                .map_err(|err| format!("tipo de archivo inválido: {err}"))?;
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(body),
                    )
                    .singlepart(
                        Attachment::new(file.name.clone()).body(file.bytes.clone(), content_type),
                    ),
            )
        }
    };
    built.map_err(|err| format!("no se pudo armar el correo: {err}"))
}
