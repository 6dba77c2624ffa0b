//! Tolerant reads of a parsed JSON value (a socket frame, a caller's argument), by the
//! same rules as the models ([`chatwoot_inbox_model::lenient`]).

use chatwoot_inbox_model::lenient::Scalar;
use serde_json::Value;

static NULL: Value = Value::Null;

/// Reads that never fail on an unexpected type.
pub trait Loose {
    /// The member `key` of an object, else `null`.
    fn at(&self, key: &str) -> &Value;
    /// The value as far as a scalar field cares.
    fn scalar(&self) -> Scalar;
    /// An id: a whole number or a string of digits.
    fn id(&self) -> Option<i64> {
        self.scalar().id()
    }
    /// A string, or a number's text.
    fn text(&self) -> Option<String> {
        self.scalar().text()
    }
    /// Like [`Loose::text`], and `""` is `None` too.
    fn non_empty(&self) -> Option<String> {
        self.text().filter(|s| !s.is_empty())
    }
    /// `true` only for `true`.
    fn flag(&self) -> bool {
        self.scalar() == Scalar::Bool(true)
    }
}

impl Loose for Value {
    fn at(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }

    fn scalar(&self) -> Scalar {
        match self {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Scalar::Int(i),
                None => Scalar::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Scalar::Str(s.clone()),
            Value::Array(_) | Value::Object(_) => Scalar::Other,
        }
    }
}

/// Reads a model out of a parsed value (a socket payload): `None` when it is not one.
/// Read from its text again, so each model's decoder exists once, for text.
pub fn model<T: chatwoot_inbox_model::Model>(v: &Value) -> Option<T> {
    chatwoot_inbox_model::decode::<T>(&v.to_string()).ok()
}
