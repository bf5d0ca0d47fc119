//! Canned answers (plantillas, agent-workspace requirement): supervisors keep the texts, agents start a reply from
//! one. The placeholders are filled on the server for one request, so the dates are the ones
//! the domain calendar computed for it (the legal due date already counts holidays and
//! pauses, Ley 1755 art. 14), never a date the browser guessed.

use chrono::Utc;
use serde_json::json;
use sqlx::Row;
use ventanilla::calendar::Pause;
use ventanilla::legal::{LegalTerm, RequestType};
use ventanilla::role::Role;

use crate::error::AppError;
use crate::platform::audit::{self, Actor};
use crate::platform::db::new_id;
use crate::workspace::model::CANNED_ANSWER_PLACEHOLDERS as PLACEHOLDERS;
use crate::{accounts::model::SessionUser, workspace::model::CannedAnswer};

const MAX_BODY: usize = 5000;

/// Who keeps the plantillas: the head of customer service, and admins.
pub fn can_manage(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Admin)
}

/// The `{name}` placeholders in `body`, in order, repeated ones once.
fn placeholders_in(body: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find(['}', '{']) {
            Some(end) if after.as_bytes()[end] == b'}' => {
                let name = &after[..end];
                if !found.contains(&name) {
                    found.push(name);
                }
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

/// Refuses a body whose placeholders the server could not fill, naming them, so a supervisor
/// learns about `{fecha}` when saving rather than a customer reading it in an answer.
pub fn check_placeholders(body: &str) -> Result<(), AppError> {
    let unknown: Vec<String> = placeholders_in(body)
        .into_iter()
        .filter(|name| !PLACEHOLDERS.iter().any(|(known, _)| known == name))
        .map(|name| format!("{{{name}}}"))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let known: Vec<String> = PLACEHOLDERS
        .iter()
        .map(|(p, _)| format!("{{{p}}}"))
        .collect();
    Err(AppError::validation(format!(
        "La plantilla usa {} que no existe{}: {}. Use solo {}.",
        if unknown.len() == 1 {
            "un campo"
        } else {
            "campos"
        },
        if unknown.len() == 1 { "" } else { "n" },
        unknown.join(", "),
        known.join(", ")
    )))
}

/// Replaces every known placeholder; `values` holds one value per name in [`PLACEHOLDERS`].
pub fn fill(body: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(body.to_string(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

/// A date as a Colombian letter writes it: "25 de noviembre de 2026".
pub fn long_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} de {} de {}",
        date.day(),
        crate::timers::month_name(date.month()),
        date.year()
    )
}

fn from_row(row: &sqlx::any::AnyRow) -> CannedAnswer {
    let request_type: Option<String> = row.get("request_type");
    CannedAnswer {
        id: row.get("id"),
        name: row.get("name"),
        body: row.get("body"),
        request_type_label: request_type
            .as_deref()
            .and_then(RequestType::from_code)
            .map(|t| t.label_es().to_string())
            .unwrap_or_else(|| "Todos los tipos".to_string()),
        request_type,
        active: row.get::<i64, _>("active") == 1,
    }
}

/// Every plantilla, active first, for the management page.
pub async fn list_all(pool: &sqlx::AnyPool) -> Result<Vec<CannedAnswer>, AppError> {
    Ok(sqlx::query(
        "SELECT id, name, body, request_type, active FROM canned_answers ORDER BY active DESC, name, id",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(from_row)
    .collect())
}

/// The active plantillas that fit a request of `request_type`.
pub async fn offered_for(
    pool: &sqlx::AnyPool,
    request_type: &str,
) -> Result<Vec<CannedAnswer>, AppError> {
    Ok(sqlx::query(
        "SELECT id, name, body, request_type, active FROM canned_answers \
         WHERE active = 1 AND (request_type IS NULL OR request_type = $1) ORDER BY name, id",
    )
    .bind(request_type)
    .fetch_all(pool)
    .await?
    .iter()
    .map(from_row)
    .collect())
}

/// Creates (`id` empty) or edits a plantilla. Supervisors and admins only.
pub async fn save(
    pool: &sqlx::AnyPool,
    user: &SessionUser,
    id: &str,
    name: &str,
    body: &str,
    request_type: &str,
) -> Result<CannedAnswer, AppError> {
    if !can_manage(user.role) {
        return Err(AppError::Forbidden);
    }
    let name = name.trim();
    let body = body.trim();
    if name.chars().count() < 3 || name.chars().count() > 120 {
        return Err(AppError::validation(
            "Nombre: escriba entre 3 y 120 caracteres.",
        ));
    }
    if body.is_empty() || body.chars().count() > MAX_BODY {
        return Err(AppError::validation(format!(
            "Texto: escriba entre 1 y {MAX_BODY} caracteres."
        )));
    }
    check_placeholders(body)?;
    let request_type = match request_type.trim() {
        "" => None,
        code => Some(
            RequestType::from_code(code)
                .ok_or_else(|| AppError::validation("Elija un tipo de solicitud de la lista."))?
                .code(),
        ),
    };
    let now = Utc::now().timestamp();
    let actor = Actor::user(&user.id, &user.full_name);
    let mut tx = crate::platform::db::begin(pool).await?;
    let id = if id.is_empty() {
        let id = new_id();
        sqlx::query(
            "INSERT INTO canned_answers (id, name, body, request_type, active, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 1, $5, $6, $6)",
        )
        .bind(&id)
        .bind(name)
        .bind(body)
        .bind(request_type)
        .bind(&user.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &actor,
            "plantilla_creada",
            "canned_answer",
            &id,
            json!({ "name": name }),
        )
        .await?;
        id
    } else {
        let changed = sqlx::query(
            "UPDATE canned_answers SET name = $1, body = $2, request_type = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(name)
        .bind(body)
        .bind(request_type)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(AppError::NotFound);
        }
        audit::record(
            &mut tx,
            &actor,
            "plantilla_editada",
            "canned_answer",
            id,
            json!({ "name": name }),
        )
        .await?;
        id.to_string()
    };
    let row = sqlx::query(
        "SELECT id, name, body, request_type, active FROM canned_answers WHERE id = $1",
    )
    .bind(&id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(from_row(&row))
}

/// Turns a plantilla on or off. Agents stop seeing an inactive one; its text stays.
pub async fn set_active(
    pool: &sqlx::AnyPool,
    user: &SessionUser,
    id: &str,
    active: bool,
) -> Result<(), AppError> {
    if !can_manage(user.role) {
        return Err(AppError::Forbidden);
    }
    let mut tx = crate::platform::db::begin(pool).await?;
    let changed =
        sqlx::query("UPDATE canned_answers SET active = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(active))
            .bind(Utc::now().timestamp())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if changed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        &Actor::user(&user.id, &user.full_name),
        if active {
            "plantilla_activada"
        } else {
            "plantilla_desactivada"
        },
        "canned_answer",
        id,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The text of plantilla `id` filled in for request `radicado`, as `user` would send it.
/// Only an active plantilla that fits the request's type is filled.
pub async fn render_for_request(
    pool: &sqlx::AnyPool,
    user: &SessionUser,
    id: &str,
    radicado: &str,
) -> Result<String, AppError> {
    if !user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let request = sqlx::query(
        "SELECT a.name AS customer, r.radicado, r.request_type, r.received_at, ar.name AS area, \
         v.settings AS ans_settings \
         FROM requests r JOIN accounts a ON a.id = r.account_id LEFT JOIN areas ar ON ar.id = r.area_id \
         LEFT JOIN ans_versions v ON v.number = r.ans_version \
         WHERE r.radicado = $1",
    )
    .bind(radicado)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let request_type: String = request.get("request_type");
    let template = sqlx::query(
        "SELECT body FROM canned_answers WHERE id = $1 AND active = 1 AND (request_type IS NULL OR request_type = $2)",
    )
    .bind(id)
    .bind(&request_type)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::validation("Elija una plantilla de la lista."))?;
    let received_at =
        chrono::DateTime::from_timestamp(request.get("received_at"), 0).unwrap_or_default();
    // The same legal term the request page shows: time waiting on the customer (art. 17)
    // pushes the due date later.
    let pauses: Vec<Pause> = sqlx::query(
        "SELECT p.started_at, p.ended_at FROM request_pauses p JOIN requests r ON r.id = p.request_id WHERE r.radicado = $1",
    )
    .bind(radicado)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|p| Pause {
        start: chrono::DateTime::from_timestamp(p.get("started_at"), 0).unwrap_or_default(),
        end: p
            .get::<Option<i64>, _>("ended_at")
            .and_then(|e| chrono::DateTime::from_timestamp(e, 0))
            .unwrap_or(chrono::DateTime::<Utc>::MAX_UTC),
    })
    .collect();
    let calendar = crate::timers::calendar_of(&crate::requests::server::clocks::business_hours_in(
        request.get::<Option<String>, _>("ans_settings").as_deref(),
    ));
    let legal_due = RequestType::from_code(&request_type)
        .and_then(|t| LegalTerm::for_request(t, received_at))
        .map(|term| long_date(term.due(&calendar, &pauses)))
        // Felicitaciones have no legal term (Ley 1755 art. 14 lists the ones that do).
        .unwrap_or_else(|| "no aplica".to_string());
    let received = received_at
        .with_timezone(&ventanilla::calendar::bogota())
        .date_naive();
    let values = [
        ("cliente", request.get::<String, _>("customer")),
        ("radicado", request.get::<String, _>("radicado")),
        ("fecha_radicacion", long_date(received)),
        ("fecha_limite", legal_due),
        ("agente", user.full_name.clone()),
        (
            "area",
            request
                .get::<Option<String>, _>("area")
                .unwrap_or_else(|| "Servicio al cliente".to_string()),
        ),
    ];
    Ok(fill(&template.get::<String, _>("body"), &values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_placeholder_once_and_ignores_stray_braces() {
        assert_eq!(
            placeholders_in("Hola {cliente}, su {radicado} {cliente} { {x"),
            vec!["cliente", "radicado"]
        );
    }

    #[test]
    fn unknown_placeholders_are_named() {
        assert!(check_placeholders("Hola {cliente}, vence el {fecha_limite}.").is_ok());
        let err = check_placeholders("Hola {nombre}, vence el {fecha}.").unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("{nombre}") && message.contains("{fecha}"),
            "{message}"
        );
    }

    #[test]
    fn dates_read_in_spanish() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
        assert_eq!(long_date(date), "9 de diciembre de 2026");
    }
}
