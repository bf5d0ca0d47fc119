//! The filing form checked without the database: the rules the customer's portal, an
//! agent's on-behalf filing and the REST API share (seed 000 §4: the priorities a tier may
//! choose; seed 001 §4: subject, description, links). Pure, so it is unit-tested without a
//! database; what needs one (the category exists, the related request is the customer's and
//! closed, the files) stays in the filing itself.

use ventanilla::legal::RequestType;
use ventanilla::sla::{Priority, SlaMatrix};
use ventanilla::tier::Tier;

use crate::error::{AppError, Field};

/// The filing form's fields.
#[derive(Debug, Default, Clone)]
pub struct Filing {
    pub request_type: String,
    pub category_id: String,
    pub subject: String,
    pub description: String,
    pub priority: String,
    pub links: String,
    pub submission_token: String,
    pub related: String,
}

/// The fields of a [`Filing`] that are checked without the database.
#[derive(Debug, PartialEq)]
pub struct CheckedFiling<'a> {
    /// The form's one-time token: a second submit with it files nothing more.
    pub token: &'a str,
    pub request_type: RequestType,
    pub priority: Priority,
    pub subject: String,
    pub description: String,
    /// One web address per line.
    pub links: String,
}

/// Checks `form` for an account of `tier`: each error names its field, nothing is written.
/// `matrix` is the ANS version in force: the priorities the tier may choose come from it.
pub fn validate_filing<'a>(
    form: &'a Filing,
    tier: Tier,
    matrix: &SlaMatrix,
) -> Result<CheckedFiling<'a>, AppError> {
    let token = form.submission_token.trim();
    if token.is_empty() || token.len() > 64 {
        return Err(AppError::validation(
            "El formulario venció. Recargue la página e intente de nuevo.",
        ));
    }
    let request_type = RequestType::from_code(form.request_type.trim())
        .ok_or_else(|| AppError::invalid(Field::RequestType, "Elija el tipo de solicitud."))?;
    let priority = match form.priority.trim() {
        "" => Priority::Media,
        code => Priority::from_code(code).ok_or_else(|| {
            AppError::invalid(Field::Priority, "Elija una prioridad de la lista.")
        })?,
    };
    if !matrix.allowed_priorities(tier).contains(&priority) {
        return Err(AppError::invalid(
            Field::Priority,
            format!(
                "La prioridad {} no está disponible para clientes {}.",
                priority.label_es(),
                tier.label_es()
            ),
        ));
    }
    Ok(CheckedFiling {
        token,
        request_type,
        priority,
        subject: text(&form.subject, "Asunto", 5, 150).map_err(|e| e.on(Field::Subject))?,
        description: text(&form.description, "Descripción", 10, 5000)
            .map_err(|e| e.on(Field::Description))?,
        links: links(&form.links)?,
    })
}

/// A required free text of `min` to `max` characters, trimmed; `field` names it in the message.
pub fn text(value: &str, field: &str, min: usize, max: usize) -> Result<String, AppError> {
    let trimmed = value.trim();
    let count = trimmed.chars().count();
    if count < min {
        return Err(AppError::validation(format!(
            "{field}: escriba al menos {min} caracteres."
        )));
    }
    ventanilla::text::free_text(field, trimmed, max).map_err(AppError::validation)
}

/// Links are optional; each must be a web address, one per line.
fn links(value: &str) -> Result<String, AppError> {
    let lines: Vec<&str> = value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() > 10 {
        return Err(AppError::invalid(
            Field::Links,
            "Enlaces: escriba como máximo 10.",
        ));
    }
    for line in &lines {
        let valid = (line.starts_with("https://") || line.starts_with("http://"))
            && line.len() <= 500
            && url::Url::parse(line).is_ok()
            && !line.contains(char::is_whitespace);
        if !valid {
            return Err(AppError::invalid(
                Field::Links,
                format!(
                    "Enlaces: «{}» no es una dirección web válida (debe empezar por https://).",
                    line.chars().take(80).collect::<String>()
                ),
            ));
        }
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Filing {
        Filing {
            request_type: "peticion_general".into(),
            subject: "Factura duplicada".into(),
            description: "Me cobraron dos veces el mes de octubre.".into(),
            submission_token: "tok-1".into(),
            ..Filing::default()
        }
    }

    fn field_of(err: AppError) -> Option<Field> {
        match err {
            AppError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    #[test]
    fn a_complete_form_is_checked_and_trimmed() {
        let mut filing = form();
        filing.subject = "  Factura duplicada ".into();
        filing.links = "https://example.co/a\n\n  https://example.co/b ".into();
        let checked = validate_filing(&filing, Tier::Regular, &SlaMatrix::default()).unwrap();
        assert_eq!(checked.request_type, RequestType::PeticionGeneral);
        assert_eq!(checked.priority, Priority::Media);
        assert_eq!(checked.subject, "Factura duplicada");
        assert_eq!(checked.links, "https://example.co/a\nhttps://example.co/b");
    }

    #[test]
    fn each_error_names_its_field() {
        let mut f = form();
        f.request_type = "otra".into();
        assert_eq!(
            field_of(validate_filing(&f, Tier::Vip, &SlaMatrix::default()).unwrap_err()),
            Some(Field::RequestType)
        );
        let mut f = form();
        f.subject = "Hola".into();
        assert_eq!(
            field_of(validate_filing(&f, Tier::Vip, &SlaMatrix::default()).unwrap_err()),
            Some(Field::Subject)
        );
        let mut f = form();
        f.description = "x\u{7}yyyyyyyyyy".into();
        assert_eq!(
            field_of(validate_filing(&f, Tier::Vip, &SlaMatrix::default()).unwrap_err()),
            Some(Field::Description)
        );
        let mut f = form();
        f.links = "javascript:alert(1)".into();
        assert_eq!(
            field_of(validate_filing(&f, Tier::Vip, &SlaMatrix::default()).unwrap_err()),
            Some(Field::Links)
        );
        let mut f = form();
        f.submission_token = " ".into();
        assert_eq!(
            field_of(validate_filing(&f, Tier::Vip, &SlaMatrix::default()).unwrap_err()),
            None
        );
    }

    #[test]
    fn a_tier_chooses_only_its_priorities() {
        // Seed 000 §4: the priorities a tier may choose come from the ANS matrix.
        for tier in Tier::ALL {
            for priority in Priority::ALL {
                let mut f = form();
                f.priority = priority.code().into();
                let allowed = SlaMatrix::default()
                    .allowed_priorities(tier)
                    .contains(&priority);
                let outcome = validate_filing(&f, tier, &SlaMatrix::default());
                assert_eq!(outcome.is_ok(), allowed, "{tier:?} {priority:?}");
                if !allowed {
                    assert_eq!(field_of(outcome.unwrap_err()), Some(Field::Priority));
                }
            }
        }
    }
}
