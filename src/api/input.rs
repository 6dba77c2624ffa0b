//! What a caller passes in, read strictly: a field of the wrong type is an
//! `invalid_argument` before any request is made. Absent and `null` mean "not given".

use serde_json::{Map, Value};

use crate::error::Error;

static NULL: Value = Value::Null;

/// A caller's object, with its name for error messages.
#[derive(Clone, Copy)]
pub struct Input<'d> {
    value: &'d Value,
    what: &'static str,
}

impl<'d> Input<'d> {
    /// `value` must be an object, or absent/null (then every field is absent).
    pub fn new(value: &'d Value, what: &'static str) -> Result<Input<'d>, Error> {
        if value.is_null() || value.is_object() {
            Ok(Input { value, what })
        } else {
            Err(Error::invalid_argument(
                [what, " must be an object"].concat(),
            ))
        }
    }

    fn wrong(&self, key: &str, must: &str) -> Error {
        Error::invalid_argument([self.what, ".", key, " must be ", must].concat())
    }

    /// The raw value of `key` (`null` when absent).
    pub fn node(&self, key: &str) -> &'d Value {
        self.value.get(key).unwrap_or(&NULL)
    }

    /// The value of `key` when the object has that key (even `null`).
    pub fn present(&self, key: &str) -> Option<&'d Value> {
        self.value.get(key)
    }

    /// A string field.
    pub fn string(&self, key: &str) -> Result<Option<String>, Error> {
        match self.node(key) {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            _ => Err(self.wrong(key, "a string")),
        }
    }

    /// A number field.
    pub fn number(&self, key: &str) -> Result<Option<f64>, Error> {
        match self.node(key) {
            Value::Null => Ok(None),
            v => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a number")),
        }
    }

    /// A plain-object field, kept as it is.
    pub fn object(&self, key: &str) -> Result<Option<Map<String, Value>>, Error> {
        match self.node(key) {
            Value::Null => Ok(None),
            Value::Object(map) => Ok(Some(map.clone())),
            _ => Err(self.wrong(key, "a plain object")),
        }
    }

    /// Refuses keys outside `known` (a typo would otherwise be dropped silently).
    pub fn only(&self, known: &[&str]) -> Result<(), Error> {
        if let Value::Object(map) = self.value {
            if let Some(key) = map.keys().find(|k| !known.contains(&k.as_str())) {
                return Err(Error::invalid_argument(
                    [self.what, " has an unknown field \"", key, "\""].concat(),
                ));
            }
        }
        Ok(())
    }
}

/// The `i`-th item of an argument list (`null` past its end).
pub fn arg(args: &Value, i: usize) -> &Value {
    args.get(i).unwrap_or(&NULL)
}

/// A required string argument.
pub fn string_arg(args: &Value, i: usize, what: &str) -> Result<String, Error> {
    arg(args, i)
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::invalid_argument([what, " must be a string"].concat()))
}

/// A number argument (anything else is NaN, which every id check refuses).
pub fn number_arg(args: &Value, i: usize) -> f64 {
    arg(args, i).as_f64().unwrap_or(f64::NAN)
}

/// An object argument (absent or null = all fields absent).
pub fn object_arg<'d>(args: &'d Value, i: usize, what: &'static str) -> Result<Input<'d>, Error> {
    Input::new(arg(args, i), what)
}
