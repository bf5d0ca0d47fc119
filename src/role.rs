//! Who is acting: the customer or a member of staff (DESIGN.md §3, "People and accounts").

coded_enum! {
    /// The role a user acts with; it decides which request transitions they may perform.
    pub enum Role {
        /// A customer account's user: files, answers and closes their own requests.
        Cliente => ("cliente", "Cliente"),
        /// Front-line agent who takes, investigates and answers requests.
        Asesor => ("asesor", "Asesor"),
        /// Area official who investigates escalated requests and answers the agent (seed 002).
        Especialista => ("especialista", "Especialista"),
        /// Quality reviewer who approves or returns drafted answers before they are sent (seed 002).
        Calidad => ("calidad", "Calidad"),
        /// Head of customer service: may do any staff step on a request.
        Supervisor => ("supervisor", "Supervisor"),
        /// Configuration and automatic processes (the background worker acts as admin).
        Admin => ("admin", "Administrador"),
    }
}

impl Role {
    /// Every role of the organization's staff: who may open the workspace.
    pub const STAFF: [Role; 5] = [
        Role::Asesor,
        Role::Especialista,
        Role::Calidad,
        Role::Supervisor,
        Role::Admin,
    ];

    /// Who keeps the desk's settings (catalogue, canned answers, campaigns): the head of
    /// customer service and the administrator.
    pub const MANAGERS: [Role; 2] = [Role::Supervisor, Role::Admin];

    /// Whether the role belongs to the organization rather than to a customer.
    pub fn is_staff(&self) -> bool {
        !matches!(self, Self::Cliente)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_staff() {
        let codes: Vec<_> = Role::ALL.iter().map(Role::code).collect();
        assert_eq!(
            codes,
            [
                "cliente",
                "asesor",
                "especialista",
                "calidad",
                "supervisor",
                "admin"
            ]
        );
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
            assert_eq!(role.is_staff(), role != Role::Cliente);
            assert_eq!(Role::STAFF.contains(&role), role.is_staff());
        }
        assert!(Role::MANAGERS.iter().all(Role::is_staff));
    }
}
