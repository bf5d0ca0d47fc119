//! The server side of live updates: the event log and bus, and the presence board.

pub mod bus;
pub mod presence;
pub mod presence_relay;
