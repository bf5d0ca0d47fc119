//! The agent desk on the server: actions on a request, queues, canned answers, typification.

pub mod act;
pub mod canned_answers;
pub mod queues;
pub mod review_turn;
pub mod typification;
