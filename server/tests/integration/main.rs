//! Integration tests: the real router, the real binary, real SQLite and PostgreSQL.
//! One test binary, so the large app is linked once.

#[macro_use]
mod support;

mod accounts;
mod ans;
mod api;
mod api_survey_import;
mod calls;
mod campaigns;
mod canned_answers;
mod catalogue;
mod cli;
mod collision;
mod contention;
mod customer_import;
mod customers;
mod data_export;
mod detractor_import;
mod detractors;
mod indicators;
mod instances;
mod live;
mod monthly_report;
mod notifications;
mod on_behalf;
mod page_speed;
mod password_links;
mod portal;
mod queues;
mod scheduled_reports;
mod staff_access;
mod staff_reach;
mod storage;
mod surveys;
mod working_a_request;
mod workspace;
