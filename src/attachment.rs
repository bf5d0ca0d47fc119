//! What a customer or agent may attach, decided from the file's content and not from its name
//! (customer-portal requirement: "the real type sniffed from the content"). A `.pdf` that is really a Windows
//! executable is refused as disguised; a photo from the phone's camera (JPEG or HEIC) is
//! accepted; text must really be text.
//!
//! Pure: the server sniffs before writing anything, and the browser could run the same check.

coded_enum! {
    /// The kinds of file Ventanilla accepts (seed 000 §5: "documentos adjuntos o enlaces").
    pub enum AttachmentKind {
        Pdf => ("pdf", "PDF"),
        Png => ("png", "Imagen PNG"),
        Jpeg => ("jpeg", "Imagen JPEG"),
        Gif => ("gif", "Imagen GIF"),
        Webp => ("webp", "Imagen WebP"),
        Heic => ("heic", "Foto HEIC"),
        Docx => ("docx", "Documento de Word"),
        Xlsx => ("xlsx", "Hoja de cálculo de Excel"),
        Pptx => ("pptx", "Presentación de PowerPoint"),
        LegacyOffice => ("office97", "Documento de Office 97-2003"),
        OpenDocument => ("odf", "Documento OpenDocument"),
        Text => ("txt", "Texto"),
        Csv => ("csv", "CSV"),
    }
}

impl AttachmentKind {
    /// The `Content-Type` the file is served with.
    pub fn mime(&self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Heic => "image/heic",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Self::LegacyOffice => "application/octet-stream",
            Self::OpenDocument => "application/vnd.oasis.opendocument",
            Self::Text => "text/plain; charset=utf-8",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The extensions a file of this kind may carry.
    fn extensions(&self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Png => &["png"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Gif => &["gif"],
            Self::Webp => &["webp"],
            Self::Heic => &["heic", "heif"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
            Self::Pptx => &["pptx"],
            Self::LegacyOffice => &["doc", "xls", "ppt"],
            Self::OpenDocument => &["odt", "ods", "odp"],
            Self::Text => &["txt"],
            Self::Csv => &["csv"],
        }
    }

    /// The accepted extensions, for the file picker's `accept` attribute.
    pub fn accept_attribute() -> String {
        let mut parts = vec!["image/*".to_string()];
        for kind in Self::ALL {
            parts.extend(kind.extensions().iter().map(|e| format!(".{e}")));
        }
        parts.join(",")
    }
}

/// Size limits, configurable (customer-portal requirement defaults: 10 MB a file, 25 MB a message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentPolicy {
    pub max_file_bytes: u64,
    pub max_message_bytes: u64,
    pub max_files: usize,
}

impl Default for AttachmentPolicy {
    fn default() -> Self {
        Self {
            max_file_bytes: 10 * 1024 * 1024,
            max_message_bytes: 25 * 1024 * 1024,
            max_files: 10,
        }
    }
}

/// Why a file was refused; the text is shown to the person who attached it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentError {
    Empty { name: String },
    FileTooLarge { name: String, limit_mb: u64 },
    MessageTooLarge { limit_mb: u64 },
    TooManyFiles { limit: usize },
    NotAllowed { name: String },
    Disguised { name: String, claimed: &'static str },
}

impl core::fmt::Display for AttachmentError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Empty { name } => write!(f, "El archivo «{name}» está vacío."),
            Self::FileTooLarge { name, limit_mb } => {
                write!(f, "El archivo «{name}» supera el máximo de {limit_mb} MB por archivo.")
            }
            Self::MessageTooLarge { limit_mb } => write!(
                f,
                "Los adjuntos superan el máximo de {limit_mb} MB por mensaje. Envíe algunos en otro mensaje."
            ),
            Self::TooManyFiles { limit } => {
                write!(f, "Puede adjuntar como máximo {limit} archivos por mensaje.")
            }
            Self::NotAllowed { name } => write!(
                f,
                "El archivo «{name}» no es de un tipo permitido. Adjunte PDF, imágenes, documentos de Office, texto o CSV."
            ),
            Self::Disguised { name, claimed } => write!(
                f,
                "El archivo «{name}» no es realmente un archivo {claimed}: su contenido no corresponde a su extensión."
            ),
        }
    }
}

impl std::error::Error for AttachmentError {}

/// A file name safe to store and show: no folders, no control characters, at most 120
/// characters, never empty.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    let mut cleaned: String = cleaned
        .chars()
        .rev()
        .take(120)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if cleaned.is_empty() {
        cleaned = "adjunto".to_string();
    }
    cleaned
}

fn extension(name: &str) -> Option<String> {
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// Decides the kind of one file from its name and content.
pub fn sniff(name: &str, bytes: &[u8]) -> Result<AttachmentKind, AttachmentError> {
    let name = clean_file_name(name);
    if bytes.is_empty() {
        return Err(AttachmentError::Empty { name });
    }
    let claimed = extension(&name)
        .and_then(|ext| {
            AttachmentKind::ALL
                .into_iter()
                .find(|k| k.extensions().contains(&ext.as_str()))
        })
        .ok_or_else(|| AttachmentError::NotAllowed { name: name.clone() })?;
    let disguised = |claimed: AttachmentKind| AttachmentError::Disguised {
        name: name.clone(),
        claimed: claimed.label_es(),
    };
    let actual = content_kind(bytes, claimed).ok_or_else(|| disguised(claimed))?;
    if actual == claimed {
        Ok(actual)
    } else {
        Err(disguised(claimed))
    }
}

/// The kind the content shows. Zip-based formats are told apart by the extension they
/// claim, once the content is known to be a zip archive with the part that format requires.
fn content_kind(bytes: &[u8], claimed: AttachmentKind) -> Option<AttachmentKind> {
    use AttachmentKind::*;
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"%PDF-") {
        return Some(Pdf);
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Some(Png);
    }
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Some(Jpeg);
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Some(Gif);
    }
    if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Some(Webp);
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        let brand = bytes.get(8..12)?;
        let heic: [&[u8]; 6] = [b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1"];
        return heic.contains(&brand).then_some(Heic);
    }
    if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(LegacyOffice);
    }
    if starts(b"PK\x03\x04") {
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        return match claimed {
            Docx if has(b"word/") => Some(Docx),
            Xlsx if has(b"xl/") => Some(Xlsx),
            Pptx if has(b"ppt/") => Some(Pptx),
            OpenDocument if has(b"mimetypeapplication/vnd.oasis.opendocument") => {
                Some(OpenDocument)
            }
            _ => None,
        };
    }
    if looks_like_text(bytes) {
        return match claimed {
            Csv => Some(Csv),
            _ => Some(Text),
        };
    }
    None
}

/// UTF-8 (or Latin-1 from older spreadsheets) without NUL or other binary control bytes.
fn looks_like_text(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    !sample
        .iter()
        .any(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)))
}

/// Checks a whole message's files against the policy, in order: count, each file's size,
/// the total. Returns the first problem.
pub fn check_sizes(
    policy: &AttachmentPolicy,
    files: &[(&str, u64)],
) -> Result<(), AttachmentError> {
    const MB: u64 = 1024 * 1024;
    if files.len() > policy.max_files {
        return Err(AttachmentError::TooManyFiles {
            limit: policy.max_files,
        });
    }
    for (name, size) in files {
        if *size > policy.max_file_bytes {
            return Err(AttachmentError::FileTooLarge {
                name: clean_file_name(name),
                limit_mb: policy.max_file_bytes / MB,
            });
        }
    }
    if files.iter().map(|(_, s)| s).sum::<u64>() > policy.max_message_bytes {
        return Err(AttachmentError::MessageTooLarge {
            limit_mb: policy.max_message_bytes / MB,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_files_are_recognized() {
        assert_eq!(
            sniff("factura.pdf", b"%PDF-1.7\n...").unwrap(),
            AttachmentKind::Pdf
        );
        assert_eq!(
            sniff("foto.JPG", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]).unwrap(),
            AttachmentKind::Jpeg
        );
        assert_eq!(
            sniff("IMG_0001.HEIC", b"\0\0\0\x18ftypheic\0\0\0\0").unwrap(),
            AttachmentKind::Heic
        );
        assert_eq!(
            sniff("datos.csv", "id;nombre\n1;Peña\n".as_bytes()).unwrap(),
            AttachmentKind::Csv
        );
        assert_eq!(
            sniff("nota.txt", b"hola\r\n").unwrap(),
            AttachmentKind::Text
        );
        assert_eq!(
            sniff(
                "carta.docx",
                b"PK\x03\x04....[Content_Types].xml....word/document.xml"
            )
            .unwrap(),
            AttachmentKind::Docx
        );
    }

    #[test]
    fn disguised_and_disallowed_files_are_refused() {
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00";
        assert!(matches!(
            sniff("factura.pdf", exe),
            Err(AttachmentError::Disguised { .. })
        ));
        assert!(matches!(
            sniff("nota.txt", exe),
            Err(AttachmentError::Disguised { .. })
        ));
        assert!(matches!(
            sniff("foto.png", b"%PDF-1.4"),
            Err(AttachmentError::Disguised { .. })
        ));
        assert!(matches!(
            sniff("virus.exe", exe),
            Err(AttachmentError::NotAllowed { .. })
        ));
        assert!(matches!(
            sniff("script.sh", b"#!/bin/sh\n"),
            Err(AttachmentError::NotAllowed { .. })
        ));
        assert!(matches!(
            sniff("sin-extension", b"hola"),
            Err(AttachmentError::NotAllowed { .. })
        ));
        assert!(matches!(
            sniff("vacio.pdf", b""),
            Err(AttachmentError::Empty { .. })
        ));
        assert!(matches!(
            sniff("carta.docx", b"PK\x03\x04 other zip"),
            Err(AttachmentError::Disguised { .. })
        ));
        let message = sniff("factura.pdf", exe).unwrap_err().to_string();
        assert_eq!(
            message,
            "El archivo «factura.pdf» no es realmente un archivo PDF: su contenido no corresponde a su extensión."
        );
    }

    #[test]
    fn names_lose_folders_and_control_characters() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\ana\\foto.jpg"), "foto.jpg");
        assert_eq!(clean_file_name("a\u{0}b<script>.pdf"), "abscript.pdf");
        assert_eq!(clean_file_name("..."), "adjunto");
        assert_eq!(
            clean_file_name(&format!("{}.pdf", "x".repeat(300)))
                .chars()
                .count(),
            120
        );
    }

    #[test]
    fn sizes_are_limited_per_file_and_per_message() {
        let policy = AttachmentPolicy::default();
        const MB: u64 = 1024 * 1024;
        assert!(check_sizes(&policy, &[("a.pdf", 9 * MB), ("b.pdf", 9 * MB)]).is_ok());
        assert!(matches!(
            check_sizes(&policy, &[("a.pdf", 11 * MB)]),
            Err(AttachmentError::FileTooLarge { limit_mb: 10, .. })
        ));
        assert!(matches!(
            check_sizes(
                &policy,
                &[("a.pdf", 9 * MB), ("b.pdf", 9 * MB), ("c.pdf", 9 * MB)]
            ),
            Err(AttachmentError::MessageTooLarge { limit_mb: 25 })
        ));
        let many: Vec<(&str, u64)> = (0..11).map(|_| ("a.txt", 1)).collect();
        assert!(matches!(
            check_sizes(&policy, &many),
            Err(AttachmentError::TooManyFiles { limit: 10 })
        ));
    }
}
