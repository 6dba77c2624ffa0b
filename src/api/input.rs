//! What a caller passes in, read strictly: JavaScript hands plain-data arguments over as
//! one JSON text (`JSON.stringify`), and a field of the wrong type is an
//! `invalid_argument` before any request is made. Absent and `null` mean "not given".

use crate::error::Error;
use crate::wire::json::{Doc, Node};
use crate::wire::raw::Raw;

/// A caller's object, with its name for error messages.
#[derive(Clone, Copy)]
pub struct Input<'d> {
    node: Node<'d>,
    what: &'static str,
}

impl<'d> Input<'d> {
    /// `node` must be an object, or absent/null (then every field is absent).
    pub fn new(node: Node<'d>, what: &'static str) -> Result<Input<'d>, Error> {
        if node.is_null() || node.is_object() {
            Ok(Input { node, what })
        } else {
            Err(Error::invalid_argument(
                [what, " must be an object"].concat(),
            ))
        }
    }

    fn wrong(&self, key: &str, must: &str) -> Error {
        Error::invalid_argument([self.what, ".", key, " must be ", must].concat())
    }

    /// The raw value of `key`.
    pub fn node(&self, key: &str) -> Node<'d> {
        self.node.get(key)
    }

    /// A string field.
    pub fn string(&self, key: &str) -> Result<Option<String>, Error> {
        let v = self.node(key);
        if v.is_null() {
            return Ok(None);
        }
        v.as_str()
            .map(|s| Some(s.into_owned()))
            .ok_or_else(|| self.wrong(key, "a string"))
    }

    /// A number field.
    pub fn number(&self, key: &str) -> Result<Option<f64>, Error> {
        let v = self.node(key);
        if v.is_null() {
            return Ok(None);
        }
        v.as_f64()
            .map(Some)
            .ok_or_else(|| self.wrong(key, "a number"))
    }

    /// A plain-object field, kept as it is.
    pub fn object(&self, key: &str) -> Result<Option<Raw>, Error> {
        let v = self.node(key);
        if v.is_null() {
            return Ok(None);
        }
        if v.is_object() {
            Ok(Some(Raw::read(v)))
        } else {
            Err(self.wrong(key, "a plain object"))
        }
    }

    /// Refuses keys outside `known` (a typo would otherwise be dropped silently).
    pub fn only(&self, known: &[&str]) -> Result<(), Error> {
        for (key, _) in self.node.members() {
            if !known.contains(&&*key) {
                return Err(Error::invalid_argument(
                    [self.what, " has an unknown field \"", &key, "\""].concat(),
                ));
            }
        }
        Ok(())
    }
}

/// Parses the JSON text of a caller's argument (`"null"` for none). The bindings make
/// it with `JSON.stringify`, so it is always JSON; anything else is refused.
pub fn parse<'s>(json: &'s str, what: &str) -> Result<Doc<'s>, Error> {
    Doc::parse(json)
        .map_err(|_| Error::invalid_argument([what, " must be plain JSON data"].concat()))
}
