//! The one error type for rejected configuration values.

use std::fmt;

/// A configuration value was rejected. The model keeps its last good state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The parameter's key (snake_case, as in the URL), e.g. `"vnodes"`.
    pub field: String,
    /// A sentence for the learner saying what is allowed, e.g. `"must be between 1 and 1000"`.
    pub message: String,
}

impl ConfigError {
    /// Builds an error for `field` with a human-readable `message`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ConfigError {}
