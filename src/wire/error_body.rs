//! Error bodies: `{message, attributes}` (422), `{error}` (422 CSAT, 404/500 in
//! production as `{status, error}`), or plain text (429). Every shape decodes.

use serde::Deserialize;

use super::lenient;

/// Whatever of the known error fields a body carried.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    /// `{message}` of a validation failure.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    /// `{error}` of the other shapes.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
    /// `{attributes}` of a validation failure.
    #[serde(deserialize_with = "lenient::string_list")]
    pub attributes: Vec<String>,
}

impl ErrorBody {
    /// The sentence the server gave, preferring `message` over `error`.
    pub fn message(&self) -> Option<&str> {
        self.message
            .as_deref()
            .or(self.error.as_deref())
            .filter(|m| !m.is_empty())
    }
}
