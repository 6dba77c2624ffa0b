//! A JSON object passed through untouched (custom attributes, content attributes,
//! submitted values): kept as its compact JSON text, which JavaScript gets back as a
//! plain object. Absent, null or not an object becomes `{}`.

use super::json::{Doc, Node};
use super::out::Out;

/// The server's (or the caller's) object as it was (SPEC §2: `raw`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Raw(String);

impl Raw {
    /// The object at `n`, re-written compactly; `{}` for anything else.
    pub fn read(n: Node<'_>) -> Raw {
        if n.is_object() && n.members().next().is_some() {
            let mut o = Out::new();
            o.node(n);
            Raw(o.finish())
        } else {
            Raw::default()
        }
    }

    /// Any JSON value at `n` (an array of submitted values, say), re-written compactly.
    pub fn any(n: Node<'_>) -> Raw {
        let mut o = Out::new();
        o.node(n);
        Raw(o.finish())
    }

    /// A JSON text written by [`Out`].
    pub(crate) fn from_json(text: String) -> Raw {
        Raw(text)
    }

    /// The JSON text (`{}` when empty).
    pub fn json(&self) -> &str {
        if self.0.is_empty() {
            "{}"
        } else {
            &self.0
        }
    }

    /// Reads it again, for a look inside.
    pub fn with<R>(&self, f: impl FnOnce(Node<'_>) -> R) -> Option<R> {
        let doc = Doc::parse(self.json()).ok()?;
        Some(f(doc.root()))
    }
}
