//! The messages of a request's thread: which kind each step writes and who may read it.
//!
//! Seed 002 §5.2.10 keeps the area's work for staff ("la respuesta del área se registra como
//! nota interna"), §5.2.14 holds a drafted answer in quality review until it is approved, and
//! seed 000 §6 tells the customer of every public follow-up. The codes are what
//! `request_messages.visibility` and `.kind` store.

use crate::lifecycle::Action;

coded_enum! {
    /// Who may read a message.
    pub enum Visibility {
        /// The customer and staff.
        Publica => ("publica", "Pública"),
        /// Staff only: never shown to the customer, never in the REST API's thread.
        Interna => ("interna", "Interna"),
    }
}

coded_enum! {
    /// What a message is, as the thread and the audit trail name it.
    pub enum MessageKind {
        /// The customer's own description when filing.
        Descripcion => ("descripcion", "Descripción"),
        /// A staff note with no transition.
        Nota => ("nota", "Nota interna"),
        /// The reason for escalating to an area.
        Escalamiento => ("escalamiento", "Escalamiento"),
        /// The customer's notice that the request went to an area.
        AvisoEscalamiento => ("aviso_escalamiento", "Aviso de escalamiento"),
        /// The area's answer to the agent.
        RespuestaArea => ("respuesta_area", "Respuesta del área"),
        /// An answer waiting for quality review.
        Borrador => ("borrador", "Borrador"),
        /// A draft quality sent back.
        BorradorDevuelto => ("borrador_devuelto", "Borrador devuelto"),
        /// A draft quality approved (the customer reads its published copy).
        BorradorAprobado => ("borrador_aprobado", "Borrador aprobado"),
        /// Why quality returned a draft.
        Devolucion => ("devolucion", "Devolución de calidad"),
        /// Quality's note on approving.
        NotaCalidad => ("nota_calidad", "Nota de calidad"),
        /// A request to the customer for more information.
        SolicitudInformacion => ("solicitud_informacion", "Solicitud de información"),
        /// The answer to the request.
        Respuesta => ("respuesta", "Respuesta"),
        /// Any other public follow-up.
        Seguimiento => ("seguimiento", "Seguimiento"),
        /// The prórroga notice (Ley 1755 art. 14 parágrafo).
        Prorroga => ("prorroga", "Prórroga"),
        /// A priority change with its reason.
        CambioPrioridad => ("cambio_prioridad", "Cambio de prioridad"),
    }
}

/// Whether an agent's action cannot be taken without writing a message: what goes to the
/// customer, and the reasons staff must read (escalating, the area's answer, a return).
pub fn needs_message(action: Action) -> bool {
    matches!(
        action,
        Action::PublicReply
            | Action::AskCustomer
            | Action::Answer
            | Action::AcknowledgeFelicitacion
            | Action::Escalate
            | Action::AreaAnswers
            | Action::ReturnFromReview
    )
}

/// The message an agent's action writes (`None`: an internal note with no transition).
pub fn message_of(action: Option<Action>) -> (Visibility, MessageKind) {
    use MessageKind as K;
    use Visibility::{Interna, Publica};
    match action {
        None => (Interna, K::Nota),
        Some(Action::Escalate) => (Interna, K::Escalamiento),
        Some(Action::AreaAnswers) => (Interna, K::RespuestaArea),
        Some(Action::SubmitForReview) => (Interna, K::Borrador),
        Some(Action::ReturnFromReview) => (Interna, K::Devolucion),
        Some(Action::Approve) => (Interna, K::NotaCalidad),
        Some(Action::AskCustomer) => (Publica, K::SolicitudInformacion),
        Some(Action::Answer | Action::AcknowledgeFelicitacion) => (Publica, K::Respuesta),
        Some(_) => (Publica, K::Seguimiento),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_area_and_quality_stay_internal_the_answer_goes_out() {
        assert_eq!(message_of(None), (Visibility::Interna, MessageKind::Nota));
        assert_eq!(
            message_of(Some(Action::AreaAnswers)),
            (Visibility::Interna, MessageKind::RespuestaArea)
        );
        assert_eq!(
            message_of(Some(Action::SubmitForReview)).0,
            Visibility::Interna
        );
        assert_eq!(
            message_of(Some(Action::Answer)),
            (Visibility::Publica, MessageKind::Respuesta)
        );
        assert_eq!(
            message_of(Some(Action::AskCustomer)).1.code(),
            "solicitud_informacion"
        );
        assert_eq!(
            message_of(Some(Action::PublicReply)).1,
            MessageKind::Seguimiento
        );
    }

    #[test]
    fn steps_that_speak_need_a_message() {
        assert!(needs_message(Action::Escalate));
        assert!(needs_message(Action::Answer));
        assert!(!needs_message(Action::Take));
        assert!(!needs_message(Action::Approve));
        for code in ["publica", "interna"] {
            assert_eq!(Visibility::from_code(code).map(|v| v.code()), Some(code));
        }
    }
}
