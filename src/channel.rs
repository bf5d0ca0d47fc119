//! The channel a request came through. The portal is the customer's own channel (seed 000
//! §5); agents register phone, e-mail and in-person contacts on the customer's behalf (seed 001
//! §6, seed 004 "canales oficiales"), and other systems file through the REST API (REST API requirement),
//! for instance the organization's own web form.

coded_enum! {
    pub enum Channel {
        /// The customer filed it in the portal.
        Portal => ("portal", "Portal"),
        /// A web form on the organization's own site, through the API.
        Web => ("web", "Formulario web"),
        /// A phone call, registered by an agent or a call-centre tool.
        Telefono => ("telefono", "Teléfono"),
        /// An e-mail, registered by an agent.
        Correo => ("correo", "Correo electrónico"),
        /// The customer came in person.
        Presencial => ("presencial", "Presencial"),
    }
}

impl Channel {
    /// The channels an agent registers a request through on the customer's behalf; the
    /// portal is the customer's own.
    pub const ON_BEHALF: [Channel; 3] = [Channel::Telefono, Channel::Correo, Channel::Presencial];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for channel in Channel::ALL {
            assert_eq!(Channel::from_code(channel.code()), Some(channel));
        }
        assert!(!Channel::ON_BEHALF.contains(&Channel::Portal));
    }
}
