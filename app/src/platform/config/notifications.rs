//! How notifications leave the building, read once from the environment at start-up.
//! README.md lists every variable with its default.
//!
//! With nothing configured (the embedded setup) every message is written to a file under
//! `data/outbox/`, so a newcomer can read what would have been sent. Setting an SMTP host
//! sends e-mail through it; setting a WhatsApp token sends WhatsApp messages through the
//! Cloud API. The two channels are chosen independently.

use std::path::PathBuf;

/// A password or token: kept out of `Debug` output, which ends up in logs.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed (usually port 587).
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// No encryption: only for a relay on the same host or a test server.
    Plain,
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// Sign-in, when the relay asks for one; sent only over the protected connection
    /// unless `security` is `Plain`.
    pub credentials: Option<(String, Secret)>,
    pub security: SmtpSecurity,
}

/// WhatsApp messages: the approved template they use, and the Cloud API account when
/// there is one.
#[derive(Debug, Clone)]
pub struct WhatsAppConfig {
    /// An approved message template whose body takes two parameters: {{1}} the radicado
    /// and {{2}} what happened. WhatsApp only lets a business start a conversation with a
    /// template, and seed 000 uses WhatsApp only for follow-ups.
    pub template: String,
    pub language: String,
    /// `None`: WhatsApp messages go to files in `outbox_dir`.
    pub cloud: Option<WhatsAppCloud>,
}

/// The WhatsApp Cloud API (Meta): `POST {base_url}/{phone_number_id}/messages`.
#[derive(Debug, Clone)]
pub struct WhatsAppCloud {
    pub base_url: String,
    pub token: Secret,
    pub phone_number_id: String,
}

#[derive(Debug, Clone)]
pub struct NotificationConfig {
    /// `None`: e-mail goes to files in `outbox_dir`.
    pub smtp: Option<SmtpConfig>,
    /// The `From` of every e-mail; its domain also names the Message-ID.
    pub from: String,
    pub whatsapp: WhatsAppConfig,
    /// Where the file transport writes, one file per notification.
    pub outbox_dir: PathBuf,
    /// Attempts before a notification is marked `fallida` for an admin to look at.
    pub max_attempts: i64,
    /// Wait after the first failed attempt; it doubles after each further failure.
    pub first_retry_seconds: i64,
    /// How long a worker holds a claimed notification. Longer than any one delivery can
    /// take (transports time out after [`SEND_TIMEOUT_SECONDS`]), so a live worker never
    /// loses its claim; a dead worker's claim runs out and another worker delivers.
    pub lease_seconds: i64,
}

/// Every transport gives up on one delivery after this long.
pub const SEND_TIMEOUT_SECONDS: u64 = 30;

impl NotificationConfig {
    pub fn from_env() -> Self {
        fn var(name: &str) -> Option<String> {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        }
        fn number(name: &str, default: i64) -> i64 {
            var(name)
                .and_then(|v| v.parse().ok())
                .filter(|v| *v > 0)
                .unwrap_or(default)
        }
        let security = match var("VENTANILLA_SMTP_SECURITY").as_deref() {
            Some("tls") => SmtpSecurity::Tls,
            Some("none") => SmtpSecurity::Plain,
            _ => SmtpSecurity::StartTls,
        };
        let default_port = if security == SmtpSecurity::Tls {
            465
        } else {
            587
        };
        let smtp = var("VENTANILLA_SMTP_HOST").map(|host| SmtpConfig {
            host,
            port: var("VENTANILLA_SMTP_PORT")
                .and_then(|v| v.parse().ok())
                .unwrap_or(default_port),
            credentials: var("VENTANILLA_SMTP_USER").map(|user| {
                (
                    user,
                    Secret(var("VENTANILLA_SMTP_PASSWORD").unwrap_or_default()),
                )
            }),
            security,
        });
        let whatsapp = WhatsAppConfig {
            template: var("VENTANILLA_WHATSAPP_TEMPLATE")
                .unwrap_or_else(|| "seguimiento_pqrs".to_string()),
            language: var("VENTANILLA_WHATSAPP_LANGUAGE").unwrap_or_else(|| "es".to_string()),
            cloud: var("VENTANILLA_WHATSAPP_TOKEN").map(|token| WhatsAppCloud {
                base_url: var("VENTANILLA_WHATSAPP_BASE_URL")
                    .unwrap_or_else(|| "https://graph.facebook.com/v21.0".to_string()),
                token: Secret(token),
                phone_number_id: var("VENTANILLA_WHATSAPP_PHONE_NUMBER_ID").unwrap_or_default(),
            }),
        };
        NotificationConfig {
            smtp,
            from: var("VENTANILLA_MAIL_FROM")
                .unwrap_or_else(|| "Ventanilla <notificaciones@ventanilla.local>".to_string()),
            whatsapp,
            outbox_dir: var("VENTANILLA_OUTBOX_DIR")
                .unwrap_or_else(|| "data/outbox".to_string())
                .into(),
            max_attempts: number("VENTANILLA_NOTIFY_MAX_ATTEMPTS", 8),
            first_retry_seconds: number("VENTANILLA_NOTIFY_RETRY_SECONDS", 60),
            lease_seconds: number("VENTANILLA_NOTIFY_LEASE_SECONDS", 300),
        }
    }
}
