//! WhatsApp through the Cloud API (Meta). Best effort (seed 000 §6: "estas no se pueden
//! presentar en algunas ocasiones"): each message is its own outbox row, retried like any
//! other, and its failure never holds back an e-mail or the change that caused it.

use std::time::Duration;

use serde_json::{json, Value};

use crate::notify::server::render::Rendered;
use crate::platform::config::notifications::{WhatsAppCloud, SEND_TIMEOUT_SECONDS};

/// The number as the Cloud API wants it: digits only, with the country code. A ten-digit
/// number starting with 3 is a Colombian mobile written without +57.
pub fn phone_number(recipient: &str) -> Result<String, String> {
    let digits: String = recipient.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        10 if digits.starts_with('3') => Ok(format!("57{digits}")),
        11..=15 => Ok(digits),
        _ => Err(format!("el número de WhatsApp «{recipient}» no es válido")),
    }
}

/// The body of the API call: a template message, because WhatsApp only lets a business
/// start a conversation with an approved template. `biz_opaque_callback_data` carries the
/// outbox id into Meta's delivery webhooks, so a copy sent again after a crash can be told
/// apart as the same notification.
pub fn message(
    outbox_id: &str,
    recipient: &str,
    rendered: &Rendered,
    template: &str,
    language: &str,
) -> Result<Value, String> {
    let parameter = |text: &str| json!({ "type": "text", "text": text });
    Ok(json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": phone_number(recipient)?,
        "type": "template",
        "template": {
            "name": template,
            "language": { "code": language },
            "components": [{
                "type": "body",
                "parameters": [
                    parameter(rendered.radicado.as_deref().unwrap_or("-")),
                    parameter(&rendered.headline),
                ],
            }],
        },
        "biz_opaque_callback_data": outbox_id,
    }))
}

pub struct CloudApi {
    client: reqwest::Client,
    config: WhatsAppCloud,
}

impl CloudApi {
    pub fn new(config: &WhatsAppCloud) -> Result<CloudApi, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(SEND_TIMEOUT_SECONDS))
            .build()
            .map_err(|err| format!("no se pudo preparar el cliente HTTP de WhatsApp: {err}"))?;
        Ok(CloudApi {
            client,
            config: config.clone(),
        })
    }

    pub async fn send(&self, message: &Value) -> Result<(), String> {
        let url = format!(
            "{}/{}/messages",
            self.config.base_url.trim_end_matches('/'),
            self.config.phone_number_id
        );
        let response = self
            .client
            .post(url)
            .bearer_auth(&self.config.token.0)
            .json(message)
            .send()
            .await
            .map_err(|err| format!("no se pudo llamar a la API de WhatsApp: {err}"))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let detail: String = response
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect();
        Err(format!("la API de WhatsApp respondió {status}: {detail}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colombian_mobiles_get_the_country_code() {
        assert_eq!(phone_number("310 555 1234").unwrap(), "573105551234");
        assert_eq!(phone_number("+57 310 555 1234").unwrap(), "573105551234");
        assert!(phone_number("555").is_err());
    }
}
