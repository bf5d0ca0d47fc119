//! The personal-data notice shown before registration.
//!
//! Ley 1581 de 2012 art. 12 obliges the Responsable to tell the Titular, when asking for the
//! authorization: (a) the processing and its purpose, (b) that answering questions about
//! sensitive data or data of minors is optional, (c) the Titular's rights, and (d) the
//! Responsable's identity, address and telephone. Decreto 1377 de 2013 art. 7: silence or a
//! pre-ticked box is not consent, so the box starts unchecked and is required.
//! The version and a hash of the exact text are stored with each consent (art. 17 b).

use crate::organization::Organization;

/// Bump whenever the wording below changes: consents record which version was accepted.
pub const DATA_POLICY_VERSION: &str = "2026-11-25";

pub struct NoticeSection {
    pub title: &'static str,
    pub body: String,
}

pub fn notice(org: &Organization) -> Vec<NoticeSection> {
    vec![
        NoticeSection {
            title: "Responsable del tratamiento",
            body: format!(
                "{}, NIT {}, {}, teléfono {}, correo {}.",
                org.name, org.nit, org.address, org.phone, org.email
            ),
        },
        NoticeSection {
            title: "Tratamiento y finalidad",
            body: "Recolectamos su documento, nombre, correo, celular y dirección para crear su \
                   cuenta, radicar y responder sus peticiones, quejas, reclamos, sugerencias, \
                   denuncias y felicitaciones, enviarle avisos sobre ellas por correo y WhatsApp, \
                   y medir la calidad del servicio con encuestas de satisfacción."
                .to_string(),
        },
        NoticeSection {
            title: "Datos sensibles y de menores",
            body: "No le pedimos datos sensibles. Si en una solicitud decide contarnos datos \
                   sensibles o de niños, niñas o adolescentes, hacerlo es facultativo: no está \
                   obligado a responder preguntas sobre ellos."
                .to_string(),
        },
        NoticeSection {
            title: "Sus derechos",
            body: "Puede conocer, actualizar y rectificar sus datos; pedir prueba de esta \
                   autorización; saber qué uso les hemos dado; presentar quejas ante la \
                   Superintendencia de Industria y Comercio; revocar la autorización o pedir que \
                   se supriman sus datos; y acceder a ellos gratuitamente (Ley 1581 de 2012, art. 8)."
                .to_string(),
        },
    ]
}

/// The text exactly as shown, for hashing into the consent record.
pub fn notice_text(org: &Organization) -> String {
    notice(org)
        .iter()
        .map(|s| format!("{}: {}", s.title, s.body))
        .collect::<Vec<_>>()
        .join("\n")
}
