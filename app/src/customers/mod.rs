//! The customers as staff keep them (issue 19; seed 002 §5.2.8 "consulta la información del
//! usuario"; seed 004 PQRS 7–8 "registrar la información relevante"): find a customer, read
//! everything we know of them in one page, maintain the commercial data that sets their tier
//! and ANS guarantee, block their web access, and leave notes for colleagues.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
