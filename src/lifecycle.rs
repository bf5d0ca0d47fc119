//! The life of a request: states, who may move it, and what each move does to its clocks
//! (DESIGN.md §3).
//!
//! ```text
//! radicada ──take/assign──▶ en_gestion ──ask customer──▶ pendiente_cliente (clocks paused)
//!                            │  ▲   ◀──customer replies──┘
//!                            │  └──── area answers ◀── escalada
//!                            ├──submit──▶ en_revision ──return──▶ en_gestion
//!                            └──answer / approve──▶ respondida ──customer replies──▶ en_gestion
//!                                                      └──close (customer, 3 days, agent)──▶ cerrada
//! felicitación: acknowledged ──▶ cerrada          any open state: customer withdraws ──▶ cerrada
//! ```
//!
//! `cerrada` is final: seed 000 §5(e) says a closed request cannot be reopened and a new one
//! must be filed.

use chrono::{DateTime, Duration, Utc};

use crate::calendar::BusinessCalendar;
use crate::legal::RequestType;
use crate::role::Role;

coded_enum! {
    /// Where a request is in its life.
    pub enum RequestState {
        /// Filed, nobody working on it yet.
        Radicada => ("radicada", "Radicada"),
        /// An agent is working on it.
        EnGestion => ("en_gestion", "En gestión"),
        /// Waiting on the customer for more information; clocks paused (Ley 1755 art. 17).
        PendienteCliente => ("pendiente_cliente", "Pendiente del cliente"),
        /// With an area or specialist (seed 000 §5(c), seed 002 escalation matrix).
        Escalada => ("escalada", "Escalada"),
        /// The drafted answer is with quality review (seed 002).
        EnRevision => ("en_revision", "En revisión"),
        /// Answered; the customer may reply or close, or it closes by itself.
        Respondida => ("respondida", "Respondida"),
        /// Closed for good.
        Cerrada => ("cerrada", "Cerrada"),
    }
}

impl RequestState {
    /// Whether the request is still open (anything but `cerrada`).
    pub fn is_open(&self) -> bool {
        *self != Self::Cerrada
    }

    /// Whether both clocks are paused in this state: only while waiting on the customer
    /// (DESIGN.md §3; Ley 1755 de 2015 art. 17).
    pub fn clocks_paused(&self) -> bool {
        *self == Self::PendienteCliente
    }
}

coded_enum! {
    /// Something a person (or the automatic closer) does to a request.
    pub enum Action {
        /// An agent takes an unassigned request.
        Take => ("take", "Tomar"),
        /// A supervisor assigns (or reassigns) the request to an agent.
        Assign => ("assign", "Asignar"),
        /// The agent returns the case to the customer for more information (seed 000 §5(b)).
        AskCustomer => ("ask_customer", "Solicitar información al cliente"),
        /// The customer answers: information supplied, or a reply to the answer.
        CustomerReplies => ("customer_replies", "Responder"),
        /// The agent escalates to an area or specialist.
        Escalate => ("escalate", "Escalar"),
        /// The area answers the agent.
        AreaAnswers => ("area_answers", "Responder al asesor"),
        /// The agent posts a public follow-up without changing the state.
        PublicReply => ("public_reply", "Enviar seguimiento"),
        /// The agent sends the drafted answer to quality review.
        SubmitForReview => ("submit_for_review", "Enviar a revisión"),
        /// Quality returns the draft to the agent.
        ReturnFromReview => ("return_from_review", "Devolver al asesor"),
        /// The agent sends the answer (the request was not sampled for review).
        Answer => ("answer", "Enviar respuesta"),
        /// Quality approves the draft, which is sent to the customer.
        Approve => ("approve", "Aprobar y enviar"),
        /// The customer closes the answered request (seed 000 §5(e)).
        CustomerCloses => ("customer_closes", "Cerrar solicitud"),
        /// Closed automatically after days without a customer reply (seed 000 §5(e)).
        AutoClose => ("auto_close", "Cierre automático"),
        /// The agent closes the answered request.
        AgentCloses => ("agent_closes", "Cerrar solicitud"),
        /// A felicitación is acknowledged and closed without analysis (seed 002).
        AcknowledgeFelicitacion => ("acknowledge_felicitacion", "Agradecer y cerrar"),
        /// The customer withdraws the request (desistimiento expreso, Ley 1755 de 2015 art. 18).
        Withdraw => ("withdraw", "Desistir"),
    }
}

/// What a transition does to a clock. A clock that has stopped stays stopped whatever later
/// transitions say, and a request without a legal term (felicitación) ignores legal effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ClockEffect {
    /// Nothing changes.
    Keep,
    /// The clock stops counting from now (a pause starts).
    Pause,
    /// The clock counts again from now (the pause ends).
    Resume,
    /// The clock ends now: met if it is the response, ended if the request is withdrawn.
    Stop,
}

/// An allowed transition and its effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Transition {
    /// The state after the action.
    pub to: RequestState,
    /// Effect on the first-response (ANS) clock.
    pub first_response: ClockEffect,
    /// Effect on the legal-term clock.
    pub legal_term: ClockEffect,
}

/// Why a transition was refused. The `Display` text is safe to show to the person acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransitionError {
    /// The request is closed; nothing reopens it.
    RequestClosed,
    /// The action does not apply in this state.
    NotAllowedInState {
        /// The current state.
        state: RequestState,
        /// The refused action.
        action: Action,
    },
    /// The actor's role may not perform this action.
    RoleNotAllowed {
        /// The actor's role.
        role: Role,
        /// The refused action.
        action: Action,
    },
    /// Only felicitaciones are closed by acknowledging them.
    NotAFelicitacion,
    /// Felicitaciones are not analysed: they are taken or assigned, acknowledged, or withdrawn.
    FelicitacionNotAnalysed {
        /// The refused action.
        action: Action,
    },
}

impl core::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::RequestClosed => f.write_str(
                "La solicitud está cerrada y no se puede reabrir. Si lo necesita, radique una nueva solicitud.",
            ),
            Self::NotAllowedInState { state, action } => write!(
                f,
                "La acción «{}» no está disponible cuando la solicitud está en estado «{}».",
                action.label_es(),
                state.label_es()
            ),
            Self::RoleNotAllowed { role, action } => write!(
                f,
                "El rol {} no puede realizar la acción «{}».",
                role.label_es(),
                action.label_es()
            ),
            Self::NotAFelicitacion => {
                f.write_str("Solo las felicitaciones se cierran con un agradecimiento.")
            }
            Self::FelicitacionNotAnalysed { action } => write!(
                f,
                "Las felicitaciones no requieren análisis: la acción «{}» no aplica.",
                action.label_es()
            ),
        }
    }
}

impl std::error::Error for TransitionError {}

const AGENTS: &[Role] = &[Role::Asesor, Role::Supervisor];
const QUALITY: &[Role] = &[Role::Calidad, Role::Supervisor];
const CUSTOMER: &[Role] = &[Role::Cliente];

/// What `action` does in `state`: the new state, who may do it and the clock effects.
fn rule(
    state: RequestState,
    action: Action,
) -> Option<(RequestState, &'static [Role], ClockEffect, ClockEffect)> {
    use Action::*;
    use ClockEffect::{Keep, Pause, Resume, Stop};
    use RequestState::*;
    let rule = match (action, state) {
        (Take, Radicada) => (EnGestion, AGENTS, Keep, Keep),
        (Assign, Radicada | EnGestion) => (EnGestion, &[Role::Supervisor][..], Keep, Keep),
        (AskCustomer, EnGestion) => (PendienteCliente, AGENTS, Pause, Pause),
        (CustomerReplies, PendienteCliente) => (EnGestion, CUSTOMER, Resume, Resume),
        (CustomerReplies, Respondida) => (EnGestion, CUSTOMER, Keep, Keep),
        (Escalate, EnGestion) => (Escalada, AGENTS, Keep, Keep),
        (AreaAnswers, Escalada) => (
            EnGestion,
            &[Role::Especialista, Role::Supervisor][..],
            Keep,
            Keep,
        ),
        (PublicReply, EnGestion | Escalada) => (state, AGENTS, Stop, Keep),
        (SubmitForReview, EnGestion) => (EnRevision, AGENTS, Keep, Keep),
        (ReturnFromReview, EnRevision) => (EnGestion, QUALITY, Keep, Keep),
        (Approve, EnRevision) => (Respondida, QUALITY, Stop, Stop),
        (Answer, EnGestion) => (Respondida, AGENTS, Stop, Stop),
        (CustomerCloses, Respondida) => (Cerrada, CUSTOMER, Keep, Keep),
        (AutoClose, Respondida) => (Cerrada, &[Role::Admin][..], Keep, Keep),
        (AgentCloses, Respondida) => (Cerrada, AGENTS, Keep, Keep),
        (AcknowledgeFelicitacion, Radicada | EnGestion) => (Cerrada, AGENTS, Stop, Stop),
        (Withdraw, _) if state.is_open() => (Cerrada, CUSTOMER, Stop, Stop),
        _ => return None,
    };
    Some(rule)
}

/// Whether a felicitación may go through `action` (seed 002: felicitaciones skip the analysis).
fn felicitacion_allows(action: Action) -> bool {
    matches!(
        action,
        Action::Take | Action::Assign | Action::AcknowledgeFelicitacion | Action::Withdraw
    )
}

/// The result of `actor` doing `action` on a request of `request_type` in `state`.
///
/// Checks, in order: the request is open; felicitaciones only take the short path and only
/// they are acknowledged; the action applies in `state`; `actor` may perform it. Whether the
/// customer owns the request or the agent is the assignee is the caller's check.
pub fn transition(
    state: RequestState,
    action: Action,
    actor: Role,
    request_type: RequestType,
) -> Result<Transition, TransitionError> {
    if !state.is_open() {
        return Err(TransitionError::RequestClosed);
    }
    let is_felicitacion = request_type == RequestType::Felicitacion;
    if is_felicitacion && !felicitacion_allows(action) {
        return Err(TransitionError::FelicitacionNotAnalysed { action });
    }
    if !is_felicitacion && action == Action::AcknowledgeFelicitacion {
        return Err(TransitionError::NotAFelicitacion);
    }
    let (to, roles, first_response, legal_term) =
        rule(state, action).ok_or(TransitionError::NotAllowedInState { state, action })?;
    if !roles.contains(&actor) {
        return Err(TransitionError::RoleNotAllowed {
            role: actor,
            action,
        });
    }
    Ok(Transition {
        to,
        first_response,
        legal_term,
    })
}

/// The actions `actor` may perform now, for buttons and menus.
pub fn available_actions(
    state: RequestState,
    actor: Role,
    request_type: RequestType,
) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|&action| transition(state, action, actor, request_type).is_ok())
        .collect()
}

coded_enum! {
    /// What the answer did for the customer, chosen by whoever answers (issue 20: "Cierre
    /// efectivo de PQR", seed 001 §5.3). It decides whether the close is **effective**:
    ///
    /// A queja or reclamo is closed effectively when it was answered with the outcome
    /// *solucionada* or *no procede* (with its explanation), it is closed, the customer did
    /// not file a related request within [`EFFECTIVE_CLOSE_DAYS`] days of the close, and they
    /// did not answer the survey "no se resolvió".
    pub enum AnswerOutcome {
        /// The request was solved.
        Solucionada => ("solucionada", "Solucionada"),
        /// What was asked cannot be granted; the answer explains why.
        NoProcede => ("no_procede", "No procede (con explicación)"),
        /// It could not be solved.
        SinSolucion => ("sin_solucion", "Sin solución"),
    }
}

/// Days after a close within which a related request makes the close not effective.
pub const EFFECTIVE_CLOSE_DAYS: i64 = 30;

/// The rule of an effective close in words, where people read it (the catalogue page and the
/// indicator's card). It must say what [`AnswerOutcome`] says.
pub const EFFECTIVE_CLOSE_RULE: &str = "Un cierre es efectivo si la respuesta fue «Solucionada» o «No procede» (con explicación), la solicitud está cerrada, el cliente no radicó una solicitud relacionada dentro de los 30 días siguientes al cierre y no respondió en la encuesta que no se resolvió.";

/// When an answered request closes by itself (seed 000 §5(e): "al pasar tres días sin tener
/// respuesta por parte del cliente posterior a una respuesta").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct AutoClosePolicy {
    /// Days without a customer reply. Default 3.
    pub days: u32,
    /// Whether they are business days (default) or calendar days. The seed does not say; in
    /// Colombian terms "días" are usually hábiles (Ley 4 de 1913 art. 62), and business days
    /// give the customer the full three working days the seed intends for checking the answer.
    pub business_days: bool,
}

impl Default for AutoClosePolicy {
    fn default() -> Self {
        Self {
            days: 3,
            business_days: true,
        }
    }
}

impl AutoClosePolicy {
    /// When a request answered at `answered_at` closes if the customer does not reply: with
    /// business days, at closing time of the `days`-th business day after the answer's day
    /// (the next business day's if answered after hours); with calendar days, exactly
    /// `days` × 24 h later.
    pub fn closes_at(
        &self,
        calendar: &BusinessCalendar,
        answered_at: DateTime<Utc>,
    ) -> DateTime<Utc> {
        if !self.business_days {
            return answered_at + Duration::days(i64::from(self.days));
        }
        let date = calendar.legal_due_date(answered_at, self.days, &[]);
        calendar
            .closing_instant(date)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::bogota;
    use chrono::TimeZone;
    use Action::*;
    use RequestState::*;

    const RECLAMO: RequestType = RequestType::Reclamo;

    fn go(state: RequestState, action: Action, actor: Role) -> RequestState {
        transition(state, action, actor, RECLAMO).unwrap().to
    }

    #[test]
    fn the_full_path_with_review() {
        let mut state = Radicada;
        for (action, actor, expected) in [
            (Take, Role::Asesor, EnGestion),
            (AskCustomer, Role::Asesor, PendienteCliente),
            (CustomerReplies, Role::Cliente, EnGestion),
            (Escalate, Role::Asesor, Escalada),
            (AreaAnswers, Role::Especialista, EnGestion),
            (SubmitForReview, Role::Asesor, EnRevision),
            (ReturnFromReview, Role::Calidad, EnGestion),
            (SubmitForReview, Role::Asesor, EnRevision),
            (Approve, Role::Calidad, Respondida),
            (CustomerReplies, Role::Cliente, EnGestion),
            (Answer, Role::Asesor, Respondida),
            (CustomerCloses, Role::Cliente, Cerrada),
        ] {
            state = go(state, action, actor);
            assert_eq!(state, expected, "{action:?}");
        }
    }

    #[test]
    fn clock_effects() {
        let effects = |state, action, actor| {
            let t = transition(state, action, actor, RECLAMO).unwrap();
            (t.first_response, t.legal_term)
        };
        use ClockEffect::*;
        assert_eq!(
            effects(EnGestion, AskCustomer, Role::Asesor),
            (Pause, Pause)
        );
        assert_eq!(
            effects(PendienteCliente, CustomerReplies, Role::Cliente),
            (Resume, Resume)
        );
        assert_eq!(effects(EnGestion, PublicReply, Role::Asesor), (Stop, Keep));
        assert_eq!(effects(EnGestion, Answer, Role::Asesor), (Stop, Stop));
        assert_eq!(effects(EnRevision, Approve, Role::Calidad), (Stop, Stop));
        assert_eq!(effects(EnGestion, Escalate, Role::Asesor), (Keep, Keep));
        assert_eq!(
            effects(Respondida, CustomerReplies, Role::Cliente),
            (Keep, Keep)
        );
        assert_eq!(
            transition(Escalada, PublicReply, Role::Supervisor, RECLAMO)
                .unwrap()
                .to,
            Escalada
        );
    }

    #[test]
    fn closes_three_ways_and_never_reopens() {
        assert_eq!(go(Respondida, CustomerCloses, Role::Cliente), Cerrada);
        assert_eq!(go(Respondida, AutoClose, Role::Admin), Cerrada);
        assert_eq!(go(Respondida, AgentCloses, Role::Asesor), Cerrada);
        for action in Action::ALL {
            for role in Role::ALL {
                for kind in RequestType::ALL {
                    assert_eq!(
                        transition(Cerrada, action, role, kind),
                        Err(TransitionError::RequestClosed)
                    );
                }
            }
        }
    }

    #[test]
    fn roles_are_enforced() {
        assert_eq!(
            transition(EnRevision, Approve, Role::Asesor, RECLAMO),
            Err(TransitionError::RoleNotAllowed {
                role: Role::Asesor,
                action: Approve
            })
        );
        assert_eq!(
            transition(Radicada, Take, Role::Cliente, RECLAMO),
            Err(TransitionError::RoleNotAllowed {
                role: Role::Cliente,
                action: Take
            })
        );
        assert!(transition(Radicada, Assign, Role::Asesor, RECLAMO).is_err());
        assert!(transition(EnGestion, Assign, Role::Supervisor, RECLAMO).is_ok());
        assert!(transition(Respondida, AutoClose, Role::Supervisor, RECLAMO).is_err());
        assert!(transition(PendienteCliente, CustomerReplies, Role::Asesor, RECLAMO).is_err());
    }

    #[test]
    fn states_are_enforced() {
        assert_eq!(
            transition(Radicada, Answer, Role::Asesor, RECLAMO),
            Err(TransitionError::NotAllowedInState {
                state: Radicada,
                action: Answer
            })
        );
        assert!(transition(EnGestion, CustomerCloses, Role::Cliente, RECLAMO).is_err());
        assert!(transition(PendienteCliente, Answer, Role::Asesor, RECLAMO).is_err());
        assert!(PendienteCliente.clocks_paused() && !EnGestion.clocks_paused());
        for state in RequestState::ALL.into_iter().filter(RequestState::is_open) {
            assert_eq!(go(state, Withdraw, Role::Cliente), Cerrada, "{state:?}");
        }
    }

    #[test]
    fn felicitaciones_are_acknowledged_without_analysis() {
        let felicitacion = RequestType::Felicitacion;
        let acknowledged = transition(
            Radicada,
            AcknowledgeFelicitacion,
            Role::Asesor,
            felicitacion,
        );
        assert_eq!(acknowledged.unwrap().to, Cerrada);
        assert_eq!(
            transition(EnGestion, Escalate, Role::Asesor, felicitacion),
            Err(TransitionError::FelicitacionNotAnalysed { action: Escalate })
        );
        assert_eq!(
            transition(Radicada, AcknowledgeFelicitacion, Role::Asesor, RECLAMO),
            Err(TransitionError::NotAFelicitacion)
        );
        assert_eq!(
            available_actions(Radicada, Role::Asesor, felicitacion),
            vec![Take, AcknowledgeFelicitacion]
        );
    }

    #[test]
    fn available_actions_for_buttons() {
        assert_eq!(
            available_actions(EnGestion, Role::Asesor, RECLAMO),
            vec![AskCustomer, Escalate, PublicReply, SubmitForReview, Answer]
        );
        assert_eq!(
            available_actions(Respondida, Role::Cliente, RECLAMO),
            vec![CustomerReplies, CustomerCloses, Withdraw]
        );
        assert!(available_actions(Cerrada, Role::Supervisor, RECLAMO).is_empty());
    }

    #[test]
    fn errors_read_in_spanish() {
        let error = transition(Cerrada, Take, Role::Asesor, RECLAMO).unwrap_err();
        assert!(error.to_string().contains("no se puede reabrir"));
        let error = transition(Radicada, Answer, Role::Asesor, RECLAMO).unwrap_err();
        assert_eq!(
            error.to_string(),
            "La acción «Enviar respuesta» no está disponible cuando la solicitud está en estado «Radicada»."
        );
    }

    #[test]
    fn auto_close_after_three_business_days() {
        let calendar = BusinessCalendar::default();
        let bog = |d, h| {
            bogota()
                .with_ymd_and_hms(2026, 7, d, h, 0, 0)
                .single()
                .unwrap()
                .with_timezone(&Utc)
        };
        let policy = AutoClosePolicy::default();
        assert_eq!(
            policy.closes_at(&calendar, bog(8, 10)),
            bog(14, 18),
            "Thu 9, Fri 10 and Tue 14 (Mon 13 is Chiquinquirá)"
        );
        let calendar_days = AutoClosePolicy {
            business_days: false,
            ..policy
        };
        assert_eq!(calendar_days.closes_at(&calendar, bog(8, 10)), bog(11, 10));
    }
}
