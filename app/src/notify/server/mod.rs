//! Delivering the notification outbox (seed 000 §6): e-mail on registration, on every
//! follow-up and on close; WhatsApp, best effort, on follow-ups.
//!
//! Services write rows to `notification_outbox` in the transaction of the change that causes
//! them ([`crate::platform::outbox::enqueue`]); the [`worker`] sends them afterwards.
//!
//! **The guarantee is at-least-once, with duplicates confined to one narrow window and
//! recognisable.** A worker claims a row (`pendiente` → `enviando`, with a random token and
//! a lease) before sending it, and records the outcome only under that token. So:
//!
//! - nothing is lost: a worker killed before it records the outcome leaves the row
//!   `enviando`; when the lease runs out, any worker claims it again and delivers it;
//! - several workers (server instances on one PostgreSQL) never send the same row at once:
//!   the claim is one `UPDATE … WHERE status = 'pendiente'`, and only one of them changes
//!   the row;
//! - a graceful stop (SIGTERM, Ctrl-C) finishes the notification in hand and records it
//!   before the worker exits, so a restart sends nothing twice;
//! - only a process killed between the transport accepting a message and the commit that
//!   marks it `enviada` sends it again (the worker records a batch's outcomes together, so
//!   that window spans the rest of its batch, at most 50 messages). That copy is the same message: an e-mail keeps the
//!   Message-ID derived from the outbox id, a file is rewritten under the same name, and a
//!   WhatsApp message carries the outbox id in `biz_opaque_callback_data`. Exactly-once is
//!   not possible here, because neither SMTP nor the WhatsApp API can take part in our
//!   transaction.

pub mod backlog;
pub mod email;
pub mod file;
pub mod render;
pub mod smtp;
pub mod whatsapp;
pub mod worker;

use lettre::message::Mailbox;

use crate::platform::config::notifications::NotificationConfig;
use email::BodyEncoding;
use render::Rendered;
use smtp::Smtp;
use whatsapp::CloudApi;

/// The transports chosen by the configuration, built once and shared by every delivery.
pub struct Notifier {
    config: NotificationConfig,
    from: Mailbox,
    smtp: Option<Smtp>,
    whatsapp: Option<CloudApi>,
    /// Whose name and NIT head the files some e-mails carry (the monthly report).
    organization: Option<crate::organization::Organization>,
}

impl Notifier {
    pub fn new(config: &NotificationConfig) -> Result<Notifier, String> {
        let from = config.from.parse().map_err(|err| {
            format!(
                "el remitente de los correos «{}» no es válido: {err}",
                config.from
            )
        })?;
        Ok(Notifier {
            from,
            smtp: config.smtp.as_ref().map(Smtp::new).transpose()?,
            whatsapp: config
                .whatsapp
                .cloud
                .as_ref()
                .map(CloudApi::new)
                .transpose()?,
            config: config.clone(),
            organization: None,
        })
    }

    /// The organization named in the files e-mails carry.
    pub fn for_organization(mut self, organization: crate::organization::Organization) -> Self {
        self.organization = Some(organization);
        self
    }

    pub fn organization(&self) -> Option<&crate::organization::Organization> {
        self.organization.as_ref()
    }

    pub fn config(&self) -> &NotificationConfig {
        &self.config
    }

    /// Sends one notification through the transport of its channel.
    pub async fn send(
        &self,
        outbox_id: &str,
        channel: &str,
        recipient: &str,
        rendered: &Rendered,
        file: Option<&email::MailFile>,
    ) -> Result<(), String> {
        match channel {
            "email" => match &self.smtp {
                Some(smtp) => {
                    let message = email::build(
                        outbox_id,
                        &self.from,
                        recipient,
                        rendered,
                        BodyEncoding::Portable,
                        file,
                    )?;
                    smtp.send(message).await
                }
                None => {
                    let message = email::build(
                        outbox_id,
                        &self.from,
                        recipient,
                        rendered,
                        BodyEncoding::Readable,
                        file,
                    )?;
                    let name = format!("{outbox_id}.eml");
                    file::write(&self.config.outbox_dir, &name, &message.formatted()).await
                }
            },
            "whatsapp" => {
                let settings = &self.config.whatsapp;
                let message = whatsapp::message(
                    outbox_id,
                    recipient,
                    rendered,
                    &settings.template,
                    &settings.language,
                )?;
                match &self.whatsapp {
                    Some(api) => api.send(&message).await,
                    None => {
                        let name = format!("{outbox_id}.whatsapp.json");
                        let text = serde_json::to_vec_pretty(&message)
                            .map_err(|err| format!("no se pudo escribir el mensaje: {err}"))?;
                        file::write(&self.config.outbox_dir, &name, &text).await
                    }
                }
            }
            other => Err(format!("canal de notificación desconocido: «{other}»")),
        }
    }
}
