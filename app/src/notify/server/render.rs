//! The words of each notification (seed 000 §6: e-mail on registration, on every follow-up
//! and on close; WhatsApp on follow-ups). Plain text in Spanish: the payload is inserted as
//! text and never read as markup. Subject lines are fixed ASCII words around the radicado,
//! so the customer can find the thread by number and nothing they typed reaches a header.

use serde_json::Value;

/// A notification ready for any channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
    /// The radicado the notification is about, when it is about a request.
    pub radicado: Option<String>,
    /// What happened, in a few words, for channels with no room for the body (WhatsApp).
    pub headline: String,
}

/// The templates the services enqueue, with the label the admins' page shows.
const TEMPLATES: [(&str, &str); 17] = [
    ("bienvenida", "Bienvenida"),
    ("crear_contrasena", "Crear su contraseña"),
    ("recuperar_contrasena", "Recuperar la contraseña"),
    ("contrasena_equipo", "Contraseña del equipo"),
    ("confirmar_correo", "Confirmar el correo nuevo"),
    ("aviso_cambio_correo", "Aviso de cambio de correo"),
    ("solicitud_radicada", "Solicitud radicada"),
    ("seguimiento_publico", "Seguimiento"),
    ("informacion_solicitada", "Información solicitada"),
    ("prorroga", "Prórroga del término"),
    ("solicitud_cerrada", "Solicitud cerrada"),
    ("encuesta", "Encuesta de satisfacción"),
    ("encuesta_llamada", "Encuesta sobre la llamada de servicio"),
    ("encuesta_campana", "Encuesta de percepción y satisfacción"),
    ("aviso_ans", "Aviso de cambio del ANS"),
    ("informe_mensual", "Informe mensual de PQRS"),
    ("reporte_fallas", "Reporte de fallas del área"),
];

pub fn template_label(template: &str) -> String {
    TEMPLATES
        .iter()
        .find(|(code, _)| *code == template)
        .map(|(_, label)| label.to_string())
        .unwrap_or_else(|| template.to_string())
}

const SIGNATURE: &str = "Atentamente,\nAtención al cliente\n\n\
    Este mensaje se envió automáticamente. Para responder, ingrese al portal.";

pub fn render(template: &str, payload: &str) -> Result<Rendered, String> {
    let payload: Value = serde_json::from_str(payload)
        .map_err(|err| format!("los datos de la notificación no son JSON válido: {err}"))?;
    let field = |key: &str| -> Result<&str, String> {
        payload
            .get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("a la plantilla «{template}» le falta el dato «{key}»"))
    };
    let optional = |key: &str| payload.get(key).and_then(Value::as_str);
    let (subject, headline, radicado, lines) = match template {
        "bienvenida" => (
            "Bienvenida a Ventanilla".to_string(),
            "su cuenta quedó creada".to_string(),
            None,
            format!(
                "Hola, {}:\n\n\
                 Su cuenta quedó creada. Desde el portal puede radicar peticiones, quejas, \
                 reclamos, sugerencias, denuncias y felicitaciones, y seguir cada una hasta su \
                 cierre.\n\n\
                 Le escribiremos cuando radiquemos una solicitud suya, cuando tenga un \
                 seguimiento y cuando se cierre.",
                field("name")?
            ),
        ),
        // The account was created on the customer's behalf (by phone, e-mail, in person or
        // through another system): it has no password until they create one.
        "crear_contrasena" => (
            "Cree su contrasena de Ventanilla".to_string(),
            "tiene una cuenta; cree su contraseña".to_string(),
            None,
            format!(
                "Hola, {}:\n\n\
                 Registramos una cuenta a su nombre cuando nos contactó, para que pueda seguir \
                 sus solicitudes en el portal, responderlas y radicar otras.\n\n\
                 Para entrar, cree su contraseña aquí:\n{}\n\n\
                 El enlace sirve una sola vez y vence en 7 días. Si usted no nos contactó, \
                 ignore este mensaje.",
                field("name")?,
                field("url")?
            ),
        ),
        // An admin sent a staff member the link from Usuarios (`accounts::server::staff_access`).
        "contrasena_equipo" => (
            "Cree su contrasena del equipo de Ventanilla".to_string(),
            "el administrador le envió un enlace".to_string(),
            None,
            format!(
                "Hola, {}:\n\n\
                 El administrador de Ventanilla le envió este enlace para que cree la \
                 contraseña con la que entra al espacio de trabajo del equipo:\n{}\n\n\
                 El enlace sirve una sola vez y vence en 24 horas. Si no esperaba este \
                 mensaje, avise al administrador.",
                field("name")?,
                field("url")?
            ),
        ),
        // The new address of an e-mail change: used only once its owner follows the link
        // (`accounts::server::email_change`).
        "confirmar_correo" => (
            "Confirme su correo nuevo en Ventanilla".to_string(),
            "confirme su correo nuevo".to_string(),
            None,
            format!(
                "Hola, {}:\n\n\
                 Pidió que le escribamos a este correo de ahora en adelante. Para confirmarlo, \
                 abra este enlace y pulse «Confirmar el cambio de correo»:\n{}\n\n\
                 El enlace sirve una sola vez y vence en 24 horas. Si usted no lo pidió, \
                 ignore este mensaje: no cambiará nada.",
                field("name")?,
                field("url")?
            ),
        ),
        // The old address of an e-mail change, told at once.
        "aviso_cambio_correo" => (
            "Aviso: pidieron cambiar su correo en Ventanilla".to_string(),
            "pidieron cambiar su correo".to_string(),
            None,
            format!(
                "Hola, {}:\n\n\
                 Desde su cuenta pidieron cambiar el correo de contacto a {}. El cambio se hará \
                 solo cuando se confirme desde ese correo.\n\n\
                 Si no fue usted, cambie su contraseña de inmediato y comuníquese con nosotros.",
                field("name")?,
                field("new_email")?
            ),
        ),
        "recuperar_contrasena" => (
            "Recupere su contrasena de Ventanilla".to_string(),
            "pidió una contraseña nueva".to_string(),
            None,
            format!(
                "Hola, {}:\n\n\
                 Recibimos una solicitud para crear una contraseña nueva para su cuenta.\n\n\
                 Créela aquí:\n{}\n\n\
                 El enlace sirve una sola vez y vence en 2 horas. Si usted no lo pidió, ignore \
                 este mensaje: su contraseña actual sigue igual.",
                field("name")?,
                field("url")?
            ),
        ),
        "solicitud_radicada" => {
            let radicado = field("radicado")?;
            let mut text = format!(
                "Recibimos su solicitud «{}» y quedó radicada con el número {radicado}.\n",
                field("subject")?
            );
            if let Some(due) = optional("first_response_due") {
                text.push_str(&format!("\nPrimera respuesta a más tardar: {due}."));
            }
            if let Some(due) = optional("legal_due_date") {
                // Ley 1755 de 2015, art. 14: the term for the answer on the merits.
                text.push_str(&format!(
                    "\nFecha límite de la respuesta de fondo (Ley 1755 de 2015, art. 14): {due}."
                ));
            }
            text.push_str("\n\nPuede seguirla en el portal con ese número.");
            (
                format!("Radicado {radicado}: recibimos su solicitud"),
                "quedó radicada".to_string(),
                Some(radicado),
                text,
            )
        }
        "seguimiento_publico" => {
            let radicado = field("radicado")?;
            (
                format!("Radicado {radicado}: nuevo seguimiento"),
                "tiene un nuevo seguimiento".to_string(),
                Some(radicado),
                format!(
                    "{} agregó un seguimiento a su solicitud {radicado} «{}»:\n\n{}\n\n\
                     Para verlo completo o responder, ingrese al portal.",
                    field("author")?,
                    field("subject")?,
                    field("excerpt")?
                ),
            )
        }
        "informacion_solicitada" => {
            let radicado = field("radicado")?;
            (
                format!("Radicado {radicado}: le pedimos datos adicionales"),
                "requiere información adicional".to_string(),
                Some(radicado),
                // Ley 1755 de 2015, art. 17: the term is suspended while the petitioner
                // completes the request.
                format!(
                    "Para continuar con su solicitud {radicado} «{}» necesitamos que complete \
                     la información:\n\n{}\n\n\
                     Respóndanos desde el portal. Mientras tanto, el término de respuesta \
                     queda suspendido (Ley 1755 de 2015, art. 17).",
                    field("subject")?,
                    field("excerpt")?
                ),
            )
        }
        "prorroga" => {
            let radicado = field("radicado")?;
            (
                format!("Radicado {radicado}: nueva fecha de respuesta"),
                format!("tiene nueva fecha de respuesta: {}", field("due")?),
                Some(radicado),
                // Ley 1755 de 2015, art. 14 parágrafo: the petitioner is told before the term
                // expires, with the reasons for the delay and the new term.
                format!(
                    "No nos es posible responder su solicitud {radicado} «{}» dentro del \
                     término inicial, por estos motivos:\n\n{}\n\n\
                     Le daremos respuesta a más tardar el {} (prórroga del término, Ley 1755 \
                     de 2015, art. 14 parágrafo).",
                    field("subject")?,
                    field("reason")?,
                    field("due")?
                ),
            )
        }
        "solicitud_cerrada" => {
            let radicado = field("radicado")?;
            let why = match field("closed_by")? {
                "cliente" => "Usted la cerró desde el portal.",
                "asesor" => "Nuestro equipo la cerró después de responderla.",
                "sistema" => {
                    "Se cerró automáticamente porque no recibimos respuesta suya en el plazo \
                     previsto después de nuestra respuesta."
                }
                other => return Err(format!("quién cerró la solicitud no es válido: «{other}»")),
            };
            (
                format!("Radicado {radicado}: solicitud cerrada"),
                "fue cerrada".to_string(),
                Some(radicado),
                // Seed 000 §5: a closed request never reopens; a new one is filed instead.
                format!(
                    "Su solicitud {radicado} «{}» quedó cerrada. {why}\n\n\
                     Una solicitud cerrada no se puede reabrir; si necesita algo más, radique \
                     una nueva desde el portal.",
                    field("subject")?
                ),
            )
        }
        "encuesta" => {
            let radicado = field("radicado")?;
            (
                format!("Radicado {radicado}: encuesta sobre su solicitud"),
                "tiene una encuesta de satisfacción".to_string(),
                Some(radicado),
                // Issue 6: the link opens a page that records nothing until the customer
                // submits it, so a mail scanner following it answers nothing.
                format!(
                    "Su solicitud {radicado} «{}» quedó cerrada. Queremos saber cómo lo \
                     atendimos: son cuatro preguntas y toma menos de un minuto.\n\n\
                     Responda la encuesta aquí:\n{}\n\n\
                     El enlace es personal y admite una sola respuesta.",
                    field("subject")?,
                    field("url")?
                ),
            )
        }
        // Seed 003 §4 step 4: the second survey, about the recovery call itself.
        "encuesta_llamada" => (
            "Cuéntenos cómo lo atendimos en nuestra llamada".to_string(),
            "tiene una encuesta sobre nuestra llamada".to_string(),
            None,
            format!(
                "Hola, {}. Hace poco lo llamamos para conocer su experiencia y buscarle una \
                 solución. Queremos saber cómo lo atendió nuestro asesor: son tres preguntas.\n\n\
                 Responda la encuesta aquí:\n{}\n\n\
                 El enlace es personal y admite una sola respuesta.",
                field("name")?,
                field("url")?
            ),
        ),
        // Seed 001 §5.2: the semiannual "Encuesta de Percepción y Satisfacción del Cliente",
        // sent to the accounts drawn in the campaign's sample.
        "encuesta_campana" => (
            "Encuesta de percepcion y satisfaccion".to_string(),
            "tiene una encuesta de satisfacción".to_string(),
            None,
            format!(
                "Hola, {}. Su cuenta fue elegida al azar para nuestra encuesta «{}». Queremos \
                 saber cómo percibe nuestro servicio: toma menos de un minuto.\n\n\
                 Responda la encuesta aquí:\n{}\n\n\
                 Puede responderla hasta el {}. El enlace es personal y admite una sola \
                 respuesta; también la encuentra en el portal al ingresar.",
                field("name")?,
                field("campaign")?,
                field("url")?,
                field("closes")?
            ),
        ),
        // Seed 000 §11: customers are told of ANS changes in advance.
        "aviso_ans" => (
            "Cambios en los tiempos de respuesta".to_string(),
            "cambian los tiempos de respuesta".to_string(),
            None,
            format!(
                "Hola, {}. A partir del {} cambian los tiempos de atención de sus solicitudes \
                 (Acuerdo de Niveles de Servicio):\n\n{}\n\n\
                 Motivo: {}\n\n\
                 Las solicitudes que ya radicó conservan los tiempos con los que se radicaron.",
                field("name")?,
                field("effective")?,
                field("times")?,
                field("note")?
            ),
        ),
        // Seed 001 act. 5, seed 002 §5.2.23–27: the month's report to the supervisors, the
        // workbook attached when it is sent (`indicators::server::schedule`).
        "informe_mensual" => (
            format!("Informe mensual de PQRS {}", field("mes")?),
            "informe mensual de PQRS".to_string(),
            None,
            format!(
                "Informe mensual de {} de {}.\n\n\
                 Los indicadores del mes:\n{}\n\n\
                 El libro adjunto trae una hoja por sección y la Bitácora de PQR. \
                 El informe completo, para imprimir:\n{}",
                field("mes_nombre")?,
                field("organizacion")?,
                field("resumen")?,
                field("enlace")?
            ),
        ),
        // Seed 002 §6: each area hears of its escalated requests that are late or about to be.
        "reporte_fallas" => (
            format!("Reporte de fallas {}", field("semana")?),
            "solicitudes del área vencidas o en riesgo".to_string(),
            None,
            format!(
                "Reporte de fallas del área {} (semana {}).\n\n\
                 {} solicitudes escaladas al área siguen sin respuesta con su término legal \
                 vencido o en riesgo:\n\n{}\n\n\
                 Respóndalas desde el espacio de trabajo:\n{}",
                field("area")?,
                field("semana")?,
                field("cantidad")?,
                field("detalle")?,
                field("enlace")?
            ),
        ),
        other => return Err(format!("plantilla desconocida: «{other}»")),
    };
    Ok(Rendered {
        subject,
        body: wrap(&format!("{lines}\n\n{SIGNATURE}\n")),
        radicado: radicado.map(str::to_string),
        headline,
    })
}

/// Lines of plain-text mail stay short (RFC 5322 §2.1.1 recommends 78 characters); under
/// 76 bytes the body can also travel as readable 8-bit text instead of quoted-printable.
const LINE_BYTES: usize = 72;

/// Breaks long lines at spaces. A single word longer than a line is left whole.
fn wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / LINE_BYTES);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut width = 0;
        for (i, word) in line.split(' ').enumerate() {
            if i > 0 && width + 1 + word.len() > LINE_BYTES {
                out.push('\n');
                width = 0;
            } else if i > 0 {
                out.push(' ');
                width += 1;
            }
            out.push_str(word);
            width += word.len();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_with_the_radicado_in_the_subject() {
        let cases = [
            (
                "solicitud_radicada",
                r#"{"radicado":"2026-000007","subject":"Factura","first_response_due":null,"legal_due_date":"2026-03-20"}"#,
            ),
            (
                "seguimiento_publico",
                r#"{"radicado":"2026-000007","subject":"Factura","author":"Andrés","excerpt":"Ya revisamos."}"#,
            ),
            (
                "informacion_solicitada",
                r#"{"radicado":"2026-000007","subject":"Factura","excerpt":"Envíe la copia."}"#,
            ),
            (
                "solicitud_cerrada",
                r#"{"radicado":"2026-000007","subject":"Factura","closed_by":"sistema"}"#,
            ),
            (
                "encuesta",
                r#"{"radicado":"2026-000007","subject":"Factura","url":"http://127.0.0.1:3000/encuesta/abc"}"#,
            ),
            (
                "prorroga",
                r#"{"radicado":"2026-000007","subject":"Factura","due":"20/08/2026","reason":"Concepto jurídico."}"#,
            ),
        ];
        for (template, payload) in cases {
            let rendered = render(template, payload).unwrap();
            assert!(rendered.subject.contains("2026-000007"), "{template}");
            assert!(rendered.subject.is_ascii(), "{template}");
            assert!(rendered.body.contains("Factura"), "{template}");
        }
    }

    #[test]
    fn password_links_travel_whole_on_their_own_line() {
        let url = format!("http://127.0.0.1:3000/contrasena/{}", "a".repeat(64));
        for template in [
            "crear_contrasena",
            "recuperar_contrasena",
            "contrasena_equipo",
        ] {
            let rendered = render(
                template,
                &serde_json::json!({ "name": "Marta", "url": url }).to_string(),
            )
            .unwrap();
            assert!(rendered.subject.is_ascii(), "{template}");
            assert!(rendered.body.lines().any(|line| line == url), "{template}");
            assert!(rendered.body.starts_with("Hola, Marta:"), "{template}");
        }
    }

    #[test]
    fn the_scheduled_reports_say_what_they_carry() {
        let monthly = render(
            "informe_mensual",
            r#"{"mes":"2026-11","mes_nombre":"noviembre de 2026","organizacion":"Servicios Andinos SAS",
               "resumen":"- Cierre efectivo de PQR: 95,0 % (meta 97 %, no cumple)",
               "enlace":"https://pqrs.example.co/equipo/indicadores/informe?mes=2026-11"}"#,
        )
        .unwrap();
        assert_eq!(monthly.subject, "Informe mensual de PQRS 2026-11");
        assert!(monthly
            .body
            .contains("- Cierre efectivo de PQR: 95,0 % (meta 97 %, no cumple)"));
        assert!(monthly
            .body
            .contains("https://pqrs.example.co/equipo/indicadores/informe?mes=2026-11"));
        let failures = render(
            "reporte_fallas",
            r#"{"area":"Facturación","semana":"2026-W49","cantidad":"1",
               "detalle":"- 2026-000007 · Factura · vence 2026-12-01 17:00 · VENCIDA",
               "enlace":"https://pqrs.example.co/equipo"}"#,
        )
        .unwrap();
        assert!(failures.subject.is_ascii());
        assert!(failures.body.contains("Facturación"));
        assert!(failures.body.contains("2026-000007 · Factura"));
        assert_eq!(
            template_label("reporte_fallas"),
            "Reporte de fallas del área"
        );
    }

    #[test]
    fn the_ans_notice_says_when_and_what_changes() {
        let rendered = render(
            "aviso_ans",
            r#"{"name":"Ana","effective":"2026-12-10 00:00","times":"VIP: alta 1 h","note":"Revisión anual."}"#,
        )
        .unwrap();
        assert!(rendered.subject.is_ascii());
        assert!(rendered.body.contains("A partir del 2026-12-10 00:00"));
        assert!(rendered.body.contains("VIP: alta 1 h"));
        assert!(rendered.body.contains("conservan los tiempos"));
    }

    #[test]
    fn the_campaign_invitation_carries_its_link_and_last_day() {
        let rendered = render(
            "encuesta_campana",
            r#"{"name":"Ana","campaign":"Semestre 2","url":"http://127.0.0.1:3000/campana/abc","closes":"31/12/2026"}"#,
        )
        .unwrap();
        assert!(rendered.subject.is_ascii());
        assert!(rendered
            .body
            .lines()
            .any(|line| line == "http://127.0.0.1:3000/campana/abc"));
        assert!(rendered.body.contains("«Semestre 2»"));
        assert!(rendered.body.contains("31/12/2026"));
    }

    #[test]
    fn optional_dates_are_left_out_when_null() {
        let rendered = render(
            "solicitud_radicada",
            r#"{"radicado":"2026-000001","subject":"Cobro","first_response_due":null,"legal_due_date":"2026-03-20"}"#,
        )
        .unwrap();
        let words = rendered
            .body
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(!words.contains("Primera respuesta"));
        assert!(words.contains("art. 14): 2026-03-20."));
    }

    #[test]
    fn long_lines_are_wrapped_at_spaces() {
        let rendered = render("bienvenida", r#"{"name":"Ana"}"#).unwrap();
        assert!(rendered.body.lines().all(|line| line.len() <= LINE_BYTES));
        assert_eq!(wrap("corto\n\notro"), "corto\n\notro");
        let long = "palabra ".repeat(20);
        assert!(wrap(long.trim_end()).lines().count() > 1);
    }

    #[test]
    fn payload_is_text_not_markup() {
        let rendered = render("bienvenida", r#"{"name":"<b>Ana</b>"}"#).unwrap();
        assert!(rendered.body.starts_with("Hola, <b>Ana</b>:"));
    }

    #[test]
    fn missing_fields_and_unknown_templates_are_errors_in_words() {
        assert_eq!(
            render("seguimiento_publico", r#"{"radicado":"2026-000001"}"#).unwrap_err(),
            "a la plantilla «seguimiento_publico» le falta el dato «author»"
        );
        assert!(render("boletin", "{}").unwrap_err().contains("desconocida"));
    }
}
