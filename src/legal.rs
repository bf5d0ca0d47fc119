//! Request types and their legal response terms (Ley 1437 de 2011, Título II as substituted by
//! Ley 1755 de 2015), including the one extension the law allows (art. 14 parágrafo).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::calendar::{bogota, BusinessCalendar, Pause};
use crate::sla::Clock;

coded_enum! {
    /// What kind of PQRS a request is (DESIGN.md §3; REFERENCE.md §1.2).
    pub enum RequestType {
        /// Petición de interés general o particular.
        PeticionGeneral => ("peticion_general", "Petición general"),
        /// Petición de documentos e información.
        PeticionDocumentos => ("peticion_documentos", "Petición de documentos e información"),
        /// Consulta: asks for an opinion on matters in the organization's charge.
        Consulta => ("consulta", "Consulta"),
        /// Queja about staff conduct.
        Queja => ("queja", "Queja"),
        /// Reclamo about a service not provided or provided badly.
        Reclamo => ("reclamo", "Reclamo"),
        /// Sugerencia to improve a process or service.
        Sugerencia => ("sugerencia", "Sugerencia"),
        /// Denuncia of possibly irregular or illegal conduct.
        Denuncia => ("denuncia", "Denuncia"),
        /// Felicitación: recognition of good service; acknowledged, not analysed (seed 002).
        Felicitacion => ("felicitacion", "Felicitación"),
    }
}

impl RequestType {
    /// The legal term in días hábiles, `None` for a felicitación (no source gives it one).
    ///
    /// Ley 1755 de 2015, art. 14: 15 days in general (PQRSD practice applies it to quejas,
    /// reclamos, sugerencias and denuncias), 10 for documents and information (num. 1), 30 for
    /// consultas (num. 2).
    pub fn legal_term_days(&self) -> Option<u32> {
        match self {
            Self::PeticionGeneral
            | Self::Queja
            | Self::Reclamo
            | Self::Sugerencia
            | Self::Denuncia => Some(15),
            Self::PeticionDocumentos => Some(10),
            Self::Consulta => Some(30),
            Self::Felicitacion => None,
        }
    }

    /// One line explaining the type, for the filing form.
    pub fn description_es(&self) -> &'static str {
        match self {
            Self::PeticionGeneral => {
                "Solicite una actuación, un servicio o la solución de una situación."
            }
            Self::PeticionDocumentos => "Solicite copias de documentos o información que tengamos.",
            Self::Consulta => "Pida nuestro concepto sobre un tema a nuestro cargo.",
            Self::Queja => {
                "Manifieste su inconformidad con la conducta de alguien de nuestro equipo."
            }
            Self::Reclamo => "Exija la solución de un servicio que no se prestó o se prestó mal.",
            Self::Sugerencia => "Proponga una mejora a nuestros servicios o procesos.",
            Self::Denuncia => "Ponga en conocimiento una conducta posiblemente irregular o ilegal.",
            Self::Felicitacion => "Reconozca un buen servicio o a alguien de nuestro equipo.",
        }
    }
}

/// The end of a legal due date: its last second in Bogotá. The term runs through the whole
/// due day (Ley 4 de 1913 art. 62), so an answer sent that evening is on time.
pub fn legal_due_instant(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
        .and_local_timezone(bogota())
        .single()
        .map_or(DateTime::<Utc>::MAX_UTC, |local| local.to_utc())
}

coded_enum! {
    /// Where the doubled term of an extension is counted from. Art. 14 parágrafo says the new
    /// term "no podrá exceder del doble del inicialmente previsto" without saying from where
    /// (REFERENCE.md §7.3), so it is configuration.
    pub enum ExtensionBasis {
        /// The extended term, counted from the receipt like the initial one, is at most twice
        /// the initial term (the most natural reading; the default).
        FromReceipt => ("desde_radicacion", "Desde la radicación"),
        /// The extended term is counted from the first due date and is at most twice the
        /// initial term.
        FromFirstDue => ("desde_primer_vencimiento", "Desde el primer vencimiento"),
    }
}

/// How extensions are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ExtensionPolicy {
    /// Where the extended term is counted from.
    pub basis: ExtensionBasis,
}

impl Default for ExtensionPolicy {
    fn default() -> Self {
        Self {
            basis: ExtensionBasis::FromReceipt,
        }
    }
}

/// A declared extension (prórroga) of a legal term.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Extension {
    /// When the customer was told.
    pub declared_at: DateTime<Utc>,
    /// The reasons for the delay given to the customer.
    pub reason: String,
    /// The new term in días hábiles, counted from `basis`.
    pub business_days: u32,
    /// Where `business_days` is counted from.
    pub basis: ExtensionBasis,
}

/// The legal-term clock of one request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LegalTerm {
    /// When the request was received.
    pub received: DateTime<Utc>,
    /// The initial term in días hábiles.
    pub initial_days: u32,
    /// The extension, if one was declared.
    pub extension: Option<Extension>,
}

impl LegalTerm {
    /// The term of a request of `request_type` received at `received`; `None` for types without
    /// a legal term (felicitación).
    pub fn for_request(request_type: RequestType, received: DateTime<Utc>) -> Option<Self> {
        request_type.legal_term_days().map(|initial_days| Self {
            received,
            initial_days,
            extension: None,
        })
    }

    /// The due date of the initial term.
    pub fn initial_due(&self, calendar: &BusinessCalendar, pauses: &[Pause]) -> NaiveDate {
        calendar.legal_due_date(self.received, self.initial_days, pauses)
    }

    /// The due date in force: the extended one when an extension was declared.
    pub fn due(&self, calendar: &BusinessCalendar, pauses: &[Pause]) -> NaiveDate {
        match &self.extension {
            None => self.initial_due(calendar, pauses),
            Some(extension) => {
                self.extended_due(calendar, pauses, extension.basis, extension.business_days)
            }
        }
    }

    /// Declares the one extension the law allows (Ley 1755 de 2015 art. 14 parágrafo) and
    /// returns the new due date.
    ///
    /// It must be declared before the initial term expires (on the due date at the latest),
    /// give a reason, and ask for a new term longer than nothing and at most twice the initial
    /// one, counted as `policy` says. On error nothing changes.
    pub fn declare_extension(
        &mut self,
        calendar: &BusinessCalendar,
        pauses: &[Pause],
        policy: ExtensionPolicy,
        declared_at: DateTime<Utc>,
        reason: &str,
        business_days: u32,
    ) -> Result<NaiveDate, ExtensionError> {
        if self.extension.is_some() {
            return Err(ExtensionError::AlreadyExtended);
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ExtensionError::MissingReason);
        }
        let initial_due = self.initial_due(calendar, pauses);
        if declared_at.with_timezone(&bogota()).date_naive() > initial_due {
            return Err(ExtensionError::TermExpired { due: initial_due });
        }
        let max_days = self.initial_days.saturating_mul(2);
        let min_days = match policy.basis {
            ExtensionBasis::FromReceipt => self.initial_days + 1,
            ExtensionBasis::FromFirstDue => 1,
        };
        if business_days > max_days {
            return Err(ExtensionError::TooLong { max_days });
        }
        if business_days < min_days {
            return Err(ExtensionError::TooShort { min_days });
        }
        let due = self.extended_due(calendar, pauses, policy.basis, business_days);
        self.extension = Some(Extension {
            declared_at,
            reason: reason.to_owned(),
            business_days,
            basis: policy.basis,
        });
        Ok(due)
    }

    /// The clock of this term for readings ([`crate::sla::ClockPolicy::read`]): from the deemed
    /// receipt to the last second of the due date.
    pub fn clock<'a>(
        &self,
        calendar: &BusinessCalendar,
        pauses: &'a [Pause],
        paused: bool,
        met_at: Option<DateTime<Utc>>,
    ) -> Clock<'a> {
        Clock {
            start: calendar.deemed_receipt(self.received),
            due: legal_due_instant(self.due(calendar, pauses)),
            pauses,
            paused,
            met_at,
        }
    }

    fn extended_due(
        &self,
        calendar: &BusinessCalendar,
        pauses: &[Pause],
        basis: ExtensionBasis,
        business_days: u32,
    ) -> NaiveDate {
        match basis {
            ExtensionBasis::FromReceipt => {
                calendar.legal_due_date(self.received, business_days, pauses)
            }
            ExtensionBasis::FromFirstDue => calendar.add_business_days(
                self.initial_due(calendar, pauses),
                business_days,
                pauses,
            ),
        }
    }
}

/// Why an extension was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionError {
    /// The term was already extended once.
    AlreadyExtended,
    /// No reason was given.
    MissingReason,
    /// The initial term had already expired.
    TermExpired {
        /// The initial due date.
        due: NaiveDate,
    },
    /// The new term is longer than twice the initial one.
    TooLong {
        /// The most días hábiles allowed.
        max_days: u32,
    },
    /// The new term does not extend anything.
    TooShort {
        /// The fewest días hábiles that extend the term.
        min_days: u32,
    },
}

impl core::fmt::Display for ExtensionError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::AlreadyExtended => f.write_str("El término ya fue prorrogado; solo se permite una prórroga."),
            Self::MissingReason => f.write_str("Indique al ciudadano los motivos de la demora."),
            Self::TermExpired { due } => write!(
                f,
                "El término venció el {}; la prórroga debe informarse antes del vencimiento.",
                due.format("%d/%m/%Y")
            ),
            Self::TooLong { max_days } => write!(
                f,
                "El nuevo plazo no puede exceder el doble del inicial ({max_days} días hábiles)."
            ),
            Self::TooShort { min_days } => write!(
                f,
                "El nuevo plazo debe ser de al menos {min_days} días hábiles para prorrogar el término."
            ),
        }
    }
}

impl std::error::Error for ExtensionError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::{read_clock, ClockStatus};
    use chrono::TimeZone;

    fn bog(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        bogota()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn terms_by_type() {
        use RequestType::*;
        for kind in [PeticionGeneral, Queja, Reclamo, Sugerencia, Denuncia] {
            assert_eq!(kind.legal_term_days(), Some(15));
        }
        assert_eq!(PeticionDocumentos.legal_term_days(), Some(10));
        assert_eq!(Consulta.legal_term_days(), Some(30));
        assert_eq!(Felicitacion.legal_term_days(), None);
        assert!(LegalTerm::for_request(Felicitacion, bog(2026, 7, 3, 10)).is_none());
        let codes: Vec<_> = RequestType::ALL.iter().map(RequestType::code).collect();
        assert_eq!(
            codes,
            [
                "peticion_general",
                "peticion_documentos",
                "consulta",
                "queja",
                "reclamo",
                "sugerencia",
                "denuncia",
                "felicitacion"
            ]
        );
        assert!(RequestType::ALL
            .iter()
            .all(|t| !t.description_es().is_empty()));
    }

    /// REFERENCE.md §1.1: received Fri 2026-07-03, 15 days → Tue 28 Jul, 2× cap → Thu 20 Aug.
    #[test]
    fn extension_from_receipt_up_to_double() {
        let calendar = BusinessCalendar::default();
        let mut term = LegalTerm::for_request(RequestType::Reclamo, bog(2026, 7, 3, 10)).unwrap();
        assert_eq!(term.due(&calendar, &[]), date(2026, 7, 28));
        let declare = |term: &mut LegalTerm, days| {
            term.declare_extension(
                &calendar,
                &[],
                ExtensionPolicy::default(),
                bog(2026, 7, 20, 10),
                "Se requiere concepto del área jurídica.",
                days,
            )
        };
        assert_eq!(
            declare(&mut term, 31),
            Err(ExtensionError::TooLong { max_days: 30 })
        );
        assert_eq!(
            declare(&mut term, 15),
            Err(ExtensionError::TooShort { min_days: 16 })
        );
        assert_eq!(term.extension, None);
        assert_eq!(declare(&mut term, 30), Ok(date(2026, 8, 20)));
        assert_eq!(term.due(&calendar, &[]), date(2026, 8, 20));
        assert_eq!(declare(&mut term, 30), Err(ExtensionError::AlreadyExtended));
    }

    #[test]
    fn extension_from_first_due() {
        let calendar = BusinessCalendar::default();
        let mut term =
            LegalTerm::for_request(RequestType::PeticionDocumentos, bog(2026, 7, 3, 10)).unwrap();
        let policy = ExtensionPolicy {
            basis: ExtensionBasis::FromFirstDue,
        };
        let due = term.declare_extension(
            &calendar,
            &[],
            policy,
            bog(2026, 7, 21, 17),
            "Volumen de documentos",
            20,
        );
        assert_eq!(
            due,
            Ok(date(2026, 8, 20)),
            "20 días hábiles after Tue 21 Jul, skipping 7 and 17 Aug"
        );
        assert_eq!(term.due(&calendar, &[]), date(2026, 8, 20));
    }

    #[test]
    fn extension_must_be_timely_and_reasoned() {
        let calendar = BusinessCalendar::default();
        let mut term =
            LegalTerm::for_request(RequestType::PeticionGeneral, bog(2026, 7, 3, 10)).unwrap();
        let policy = ExtensionPolicy::default();
        assert_eq!(
            term.declare_extension(&calendar, &[], policy, bog(2026, 7, 20, 10), "  ", 20),
            Err(ExtensionError::MissingReason)
        );
        assert_eq!(
            term.declare_extension(&calendar, &[], policy, bog(2026, 7, 29, 8), "Tarde", 20),
            Err(ExtensionError::TermExpired {
                due: date(2026, 7, 28)
            })
        );
        assert!(term
            .declare_extension(&calendar, &[], policy, bog(2026, 7, 28, 23), "A tiempo", 20)
            .is_ok());
        assert_eq!(term.extension.as_ref().unwrap().reason, "A tiempo");
    }

    #[test]
    fn the_legal_clock_runs_to_the_end_of_the_due_date() {
        let calendar = BusinessCalendar::default();
        let term = LegalTerm::for_request(RequestType::Queja, bog(2026, 7, 3, 10)).unwrap();
        let clock = term.clock(&calendar, &[], false, None);
        assert_eq!(clock.due, legal_due_instant(date(2026, 7, 28)));
        assert_eq!(
            read_clock(&calendar, &clock, bog(2026, 7, 6, 9)).status,
            ClockStatus::OnTrack
        );
        assert_eq!(
            read_clock(&calendar, &clock, bog(2026, 7, 27, 9)).status,
            ClockStatus::AtRisk
        );
        assert_eq!(
            read_clock(&calendar, &clock, bog(2026, 7, 28, 22)).status,
            ClockStatus::AtRisk
        );
        assert_eq!(
            read_clock(&calendar, &clock, bog(2026, 7, 29, 0)).status,
            ClockStatus::Breached
        );
        assert_eq!(
            legal_due_instant(date(2026, 7, 28)),
            Utc.with_ymd_and_hms(2026, 7, 29, 4, 59, 59).unwrap()
        );
    }
}
