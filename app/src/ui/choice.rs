//! One option of a select, as every form that offers stored codes shows it.

use serde::{Deserialize, Serialize};

/// One option of a select: stored code and what people read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub label: String,
    /// A one-line explanation (request types), empty when there is none.
    pub hint: String,
}

impl Choice {
    /// An option without an explanation line.
    pub fn new(code: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            label: label.into(),
            hint: String::new(),
        }
    }
}
