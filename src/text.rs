//! Comparing labels the way people type them.
//!
//! Survey bases come from other systems (seed 003 §4 step 1: "la base de encuestas"), so a
//! column called "Teléfono_ANI " must match our "telefono ani", and a segment written
//! "Móvil" our `movil`. The configuration of segments and account kinds is compared the same
//! way, which is why this lives in the domain and not in the import.

/// Lower case, Spanish accents and `_ - .` separators folded, runs of spaces collapsed.
pub fn normalize(text: &str) -> String {
    let folded: String = text
        .trim()
        .chars()
        .map(|c| match c {
            'á' | 'Á' | 'à' | 'À' => 'a',
            'é' | 'É' | 'è' | 'È' => 'e',
            'í' | 'Í' | 'ì' | 'Ì' => 'i',
            'ó' | 'Ó' | 'ò' | 'Ò' => 'o',
            'ú' | 'Ú' | 'ü' | 'Ü' => 'u',
            'ñ' | 'Ñ' => 'n',
            '_' | '-' | '.' => ' ',
            other => other.to_ascii_lowercase(),
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A free-text answer or note as people may write it: trimmed, at most `max` characters, and
/// no control characters but line breaks and tabs (a pasted NUL or escape sequence would
/// reach e-mails and exports). `Err` is the Spanish message for the form, naming `label`.
pub fn free_text(label: &str, text: &str, max: usize) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(format!("{label}: admite como máximo {max} caracteres."));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!("{label}: contiene caracteres no permitidos."));
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::{free_text, normalize};

    #[test]
    fn free_text_is_trimmed_bounded_and_printable() {
        assert_eq!(
            free_text("Comentario", "  bien\n gracias ", 20).unwrap(),
            "bien\n gracias"
        );
        assert_eq!(free_text("Comentario", "ñandú", 5).unwrap(), "ñandú");
        assert_eq!(
            free_text("Comentario", "ñandús", 5).unwrap_err(),
            "Comentario: admite como máximo 5 caracteres."
        );
        assert_eq!(
            free_text("Nota", "a\u{0}b", 10).unwrap_err(),
            "Nota: contiene caracteres no permitidos."
        );
    }

    #[test]
    fn headers_and_segments_compare_as_people_read_them() {
        assert_eq!(normalize("Teléfono_ANI "), "telefono ani");
        assert_eq!(normalize("  MÓVIL "), "movil");
        assert_eq!(normalize("Año.de-corte"), "ano de corte");
        assert_eq!(
            normalize("cancelación   pendiente"),
            "cancelacion pendiente"
        );
        assert_eq!(normalize(""), "");
    }
}
