//! Which requests a member of staff may open and act on: least privilege for personal data.
//!
//! Ley 1581 de 2012 art. 4 lit. g (principio de acceso y circulación restringida): personal
//! data may be reached only by the people the processing needs. A PQRS desk needs the
//! front line (asesores), its head (supervisor) and the administrator to see every request;
//! an area's specialist only what was escalated to their area (seed 002 §5.2.9–10); quality
//! only what went through review before being sent (seed 002 §5.2.14–16). Who may *act* is
//! narrower still: an asesor works the requests assigned to them or to nobody, and a
//! colleague's request needs the supervisor to reassign it first (seed 000 §5 c: "el
//! supervisor asigna").
//!
//! The database turns [`Reach`] into a condition; this module is the rule in words.

use crate::role::Role;

/// How far a staff member sees into the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every request (asesor, supervisor, admin).
    Every,
    /// The requests escalated, now or before, to an area the person belongs to (especialista).
    OwnAreas,
    /// The requests in quality review now or reviewed before (calidad).
    Reviewed,
}

impl Reach {
    /// The reach of `role`; `None` for a customer, who sees only their account's requests
    /// and never through the workspace.
    pub fn of(role: Role) -> Option<Reach> {
        match role {
            Role::Cliente => None,
            Role::Asesor | Role::Supervisor | Role::Admin => Some(Reach::Every),
            Role::Especialista => Some(Reach::OwnAreas),
            Role::Calidad => Some(Reach::Reviewed),
        }
    }
}

/// Whether `role`, signed in as `me`, may act on a request it can see that is assigned to
/// `assignee` (`None`: nobody yet). Only the asesor is held to their own and the unassigned:
/// the other roles act in their own step (the specialist answers for the area, quality
/// approves), which the lifecycle already limits by role.
pub fn may_act(role: Role, me: &str, assignee: Option<&str>) -> bool {
    match role {
        Role::Cliente => false,
        Role::Asesor => assignee.is_none_or(|holder| holder == me),
        Role::Especialista | Role::Calidad | Role::Supervisor | Role::Admin => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_front_line_and_its_heads_see_every_request() {
        assert_eq!(Reach::of(Role::Cliente), None);
        assert_eq!(Reach::of(Role::Asesor), Some(Reach::Every));
        assert_eq!(Reach::of(Role::Supervisor), Some(Reach::Every));
        assert_eq!(Reach::of(Role::Admin), Some(Reach::Every));
        assert_eq!(Reach::of(Role::Especialista), Some(Reach::OwnAreas));
        assert_eq!(Reach::of(Role::Calidad), Some(Reach::Reviewed));
    }

    #[test]
    fn an_asesor_acts_on_their_own_and_the_unassigned_only() {
        assert!(may_act(Role::Asesor, "ana", None));
        assert!(may_act(Role::Asesor, "ana", Some("ana")));
        assert!(!may_act(Role::Asesor, "ana", Some("beto")));
        assert!(may_act(Role::Supervisor, "sara", Some("beto")));
        assert!(may_act(Role::Especialista, "eva", Some("beto")));
        assert!(!may_act(Role::Cliente, "ana", None));
    }
}
