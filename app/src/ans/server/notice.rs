//! Telling customers of a new ANS version before it takes effect (seed 000 §11: "los cambios
//! se informan a los clientes con anticipación"): one e-mail per active customer through the
//! outbox, in the publishing transaction, and the portal's announcement ([`upcoming`]).
//!
//! "Active" is the campaigns' definition (seed 001 §5.2): an account whose service is active,
//! each person of it who may sign in. The notice is a service communication about the
//! conditions of their own service, which the data policy they accepted covers (Ley 1581 art.
//! 4 b: finalidad informada).

use serde_json::json;
use sqlx::Row;
use ventanilla::ans::AnsSettings;
use ventanilla::role::Role;
use ventanilla::sla::Priority;
use ventanilla::tier::Tier;

use crate::error::AppError;
use crate::platform::db::Batch;

/// The first-response times of a version in words, one line per tier, as the notice and the
/// admin's history show them.
pub fn summary(settings: &AnsSettings) -> Vec<String> {
    let mut lines: Vec<String> = Tier::ALL
        .into_iter()
        .map(|tier| {
            let times: Vec<String> = Priority::ALL
                .into_iter()
                .filter_map(|priority| {
                    settings
                        .matrix
                        .first_response_hours(tier, priority)
                        .map(|hours| format!("{} {hours} h", priority.label_es().to_lowercase()))
                })
                .collect();
            format!("{}: {}", tier.label_es(), times.join(", "))
        })
        .collect();
    lines.push(format!(
        "VIP desde un contrato mensual de más de {} SMLMV",
        format!("{}", settings.tiers.vip_threshold_smlmv).replace('.', ",")
    ));
    lines.push(business_hours_text(&settings.business_hours));
    if let Some(hours) = settings.first_contact_hours {
        lines.push(format!(
            "Primer contacto dentro de {hours} horas calendario desde la radicación"
        ));
    }
    lines
}

/// "Horario: lunes a viernes 08:00–18:00, sábados 08:00–12:00; no hábiles además de los festivos: 2027-07-15".
pub fn business_hours_text(hours: &ventanilla::ans::BusinessHours) -> String {
    let span = |(open, close): (chrono::NaiveTime, chrono::NaiveTime)| {
        format!("{}–{}", open.format("%H:%M"), close.format("%H:%M"))
    };
    let mut text = format!("Horario: lunes a viernes {}", span(hours.weekdays));
    match hours.saturday {
        Some(saturday) => text.push_str(&format!(", sábados {}", span(saturday))),
        None => text.push_str(", sábados cerrado"),
    }
    if !hours.extra_non_working_days.is_empty() {
        let days: Vec<String> = hours
            .extra_non_working_days
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect();
        text.push_str(&format!(
            "; días no hábiles además de los festivos: {}",
            days.join(", ")
        ));
    }
    text
}

/// Queues the notice for every active customer; returns how many.
pub async fn tell_customers(
    tx: &mut crate::platform::db::Tx,
    settings: &AnsSettings,
    effective_at: i64,
    note: &str,
) -> Result<i64, AppError> {
    let recipients = sqlx::query(
        "SELECT u.email, u.full_name FROM users u JOIN accounts a ON a.id = u.account_id \
         WHERE u.role = $1 AND u.active = 1 AND a.service_status = 'activo' ORDER BY u.id",
    )
    .bind(Role::Cliente.code())
    .fetch_all(&mut **tx)
    .await?;
    let effective = crate::timers::local_time(effective_at);
    let times = summary(settings).join("\n");
    let mut batch = Batch::new();
    for row in &recipients {
        crate::platform::outbox::add(
            &mut batch,
            "email",
            &row.get::<String, _>("email"),
            "aviso_ans",
            json!({
                "name": row.get::<String, _>("full_name"),
                "effective": effective,
                "times": times,
                "note": note,
            }),
        );
    }
    batch.run(tx).await?;
    Ok(recipients.len() as i64)
}
