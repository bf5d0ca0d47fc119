//! Ventanilla's domain: the rules of a Colombian PQRS help desk as plain Rust.
//!
//! This crate has no I/O and no async so that the server and the WebAssembly client run the
//! same code: the SLA timers an agent sees tick in the browser with the arithmetic the server
//! used to store the due dates (DESIGN.md §2).
//!
//! - [`calendar`]: Colombian holidays and the business calendar (hours, days, pauses).
//! - [`calls`]: the service line's call records, as the switchboard writes them.
//! - [`sla`]: the first-response matrix (seed 000 §4) and clock readings.
//! - [`ans`]: the ANS settings an organization publishes, versioned, and their checks.
//! - [`legal`]: request types and legal terms (Ley 1755 de 2015, art. 14), prórroga.
//! - [`lifecycle`]: the request state machine and who may move it.
//! - [`tier`]: customer tier from the contract value in SMLMV, ANS guarantee.
//! - [`review`]: which answers go to quality review, a guaranteed minimum per agent.
//! - [`survey`]: NPS, CSAT, survey sample size and stratified allocation.
//! - [`document`]: identity document validation, NIT check digit.
//! - [`radicado`]: the human request number `YYYY-NNNNNN`.
//! - [`role`]: who is acting; [`access`]: which requests staff may open and act on.
//! - [`text`]: comparing labels typed by people or other systems.

#[macro_use]
mod coded;

pub mod access;
pub mod ans;
pub mod attachment;
pub mod calendar;
pub mod calls;
pub mod channel;
pub mod customer;
pub mod document;
pub mod legal;
pub mod lifecycle;
pub mod radicado;
pub mod recovery;
pub mod review;
pub mod role;
pub mod sla;
pub mod survey;
pub mod text;
pub mod thread;
pub mod tier;

pub use calendar::{bogota, colombian_holidays, BusinessCalendar, Pause, BOGOTA_OFFSET_SECS};
