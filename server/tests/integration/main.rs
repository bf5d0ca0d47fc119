//! Integration tests: the real router, the real binary, real SQLite and PostgreSQL.
//! One test binary, so the large app is linked once.

#[macro_use]
mod support;

mod accounts;
mod cli;
mod instances;
mod live;
mod notifications;
mod portal;
mod storage;
mod surveys;
mod working_a_request;
mod workspace;
