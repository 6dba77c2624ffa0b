//! Error bodies: `{message, attributes}` (422), `{error}` (422 CSAT, 404/500 in
//! production as `{status, error}`), or plain text (429). Every shape decodes.

use super::json::Doc;

/// Whatever of the known error fields a body carried.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ErrorBody {
    /// `{message}` of a validation failure, else `{error}` of the other shapes.
    pub message: Option<String>,
    /// `{attributes}` of a validation failure.
    pub attributes: Vec<String>,
}

impl ErrorBody {
    /// Reads a body of any shape; text that is not a JSON object gives nothing.
    pub fn parse(text: &str) -> ErrorBody {
        let Ok(doc) = Doc::parse(text) else {
            return ErrorBody::default();
        };
        let r = doc.root();
        ErrorBody {
            message: r
                .get("message")
                .non_empty()
                .or_else(|| r.get("error").non_empty()),
            attributes: r.get("attributes").strings(),
        }
    }

    /// The sentence the server gave.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}
