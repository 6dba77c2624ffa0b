//! The tolerant rules of reference §4 as serde `deserialize_with` helpers: a field of an
//! unexpected JSON type degrades to "absent" (or its type's empty value) instead of
//! failing the whole answer. Every helper reads through [`Scalar`] or [`LooseList`],
//! which accept any JSON value and skip what they do not keep without buffering it.

use core::fmt;
use core::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, StrDeserializer};
use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::millis;

/// Ids and numbers above this are not exact in JavaScript: they read as absent.
const MAX_EXACT: f64 = 9.0e15;

/// The visits of every JSON value but arrays and objects, each answering `$v`.
macro_rules! scalars_are {
    ($v:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($v)
        }
    };
}

/// One JSON value as far as a scalar field cares: objects and arrays are `Other`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Scalar {
    /// `null`, or the field is absent.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number that fits an `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(String),
    /// An object or an array (skipped, not kept).
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(i64::try_from(v).map_or(Scalar::Float(v as f64), Scalar::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(v))
    }
    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

impl Scalar {
    /// An integer id: a whole number, or a string of digits; `None` otherwise.
    pub fn id(&self) -> Option<i64> {
        match self {
            Scalar::Int(n) => (n.unsigned_abs() < 9_000_000_000_000_000).then_some(*n),
            Scalar::Float(f) => exact(*f),
            Scalar::Str(s) => digits(s.trim_ascii()).and_then(|n| exact(n as f64)),
            _ => None,
        }
    }

    /// A string; numbers become their text (servers send ids either way).
    pub fn text(self) -> Option<String> {
        match self {
            Scalar::Str(s) => Some(s),
            Scalar::Int(n) => Some(n.to_string()),
            // serde_json's shortest form (core's float formatting is not in the module).
            Scalar::Float(f) => Some(serde_json::Value::from(f).to_string()),
            _ => None,
        }
    }

    /// Any timestamp shape as integer milliseconds; "never" (`0`, null) is `None`.
    pub fn millis(&self) -> Option<i64> {
        match self {
            Scalar::Int(secs) => millis::from_seconds_int(*secs),
            Scalar::Float(secs) => millis::from_seconds(*secs),
            Scalar::Str(s) => millis::parse_text(s),
            _ => None,
        }
    }
}

fn exact(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() < MAX_EXACT).then_some(f as i64)
}

/// An optionally signed run of at most 18 ASCII digits.
pub fn digits(s: &str) -> Option<i64> {
    let body = s.strip_prefix('-').unwrap_or(s);
    if body.is_empty() || body.len() > 18 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// An array whose items are read with `T` (which must accept any value); anything but
/// an array is empty.
#[derive(Debug)]
pub struct LooseList<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for LooseList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = LooseList<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element::<T>()? {
                    out.push(item);
                }
                Ok(LooseList(out))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                ScalarVisitor.visit_map(map).map(|_| LooseList(Vec::new()))
            }
            scalars_are!(LooseList(Vec::new()));
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A model where one is expected: an object read as `T`, anything else `None`.
#[derive(Debug)]
pub struct Loose<T>(pub Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Loose<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|t| Loose(Some(t)))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                ScalarVisitor.visit_seq(seq).map(|_| Loose(None))
            }
            scalars_are!(Loose(None));
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A model: what makes a value of it one (an object without its `id` is not).
pub trait Model: DeserializeOwned {
    /// Whether the required fields were there.
    fn valid(&self) -> bool {
        true
    }

    /// Rules across fields, applied once the object is read (a fallback key, a flag
    /// read from another field).
    fn fix(&mut self) {}
}

/// A value read as `T`, fixed, and kept when it is one.
fn accept<T: Model>(t: Option<T>) -> Option<T> {
    let mut t = t?;
    t.fix();
    t.valid().then_some(t)
}

/// `i64` for a required id: [`crate::NO_ID`] when it is not one (the model's
/// [`Model::valid`] then refuses it).
pub fn int_or_missing<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    int(d).map(|n| n.unwrap_or(crate::NO_ID))
}

/// `Option<i64>`: a whole number or a string of digits.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Scalar::deserialize(d).map(|s| s.id())
}

/// `Option<String>`: a string, or a number's text.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Scalar::deserialize(d).map(Scalar::text)
}

/// Like [`text`], and `""` is `None` too.
pub fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text(d).map(|t| t.filter(|s| !s.is_empty()))
}

/// A `String` field: like [`text`], with `""` for absent.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    text(d).map(Option::unwrap_or_default)
}

/// Timestamps of any shape as integer milliseconds; "never" is `None`.
pub fn millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Scalar::deserialize(d).map(|s| s.millis())
}

/// `true` only for `true`.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Scalar::deserialize(d).map(|s| s == Scalar::Bool(true))
}

/// A plain object kept as it is (`raw`); `{}` for anything else.
pub fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    match Value::deserialize(d)? {
        Value::Object(map) => Ok(map),
        _ => Ok(Map::new()),
    }
}

/// An array of strings (numbers become text, other items are dropped); `[]`.
pub fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    LooseList::<Scalar>::deserialize(d).map(|l| l.0.into_iter().filter_map(Scalar::text).collect())
}

/// An array of objects kept as they are (other items are dropped); `[]`.
pub fn objects<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Map<String, Value>>, D::Error> {
    LooseList::<Value>::deserialize(d).map(|l| {
        l.0.into_iter()
            .filter_map(|v| match v {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .collect()
    })
}

/// An object's members as `(key, text)` pairs (members that are not text are left
/// out); `None` when the value is not an object.
pub fn pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<(String, String)>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Vec<(String, String)>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, Scalar>()? {
                if let Some(text) = v.text() {
                    out.push((k, text));
                }
            }
            Ok(Some(out))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            ScalarVisitor.visit_seq(seq).map(|_| None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        scalars_are!(None);
    }
    d.deserialize_any(V)
}

/// A nested model, or `None` when it is not one.
pub fn one<'de, D: Deserializer<'de>, T: Model>(d: D) -> Result<Option<T>, D::Error> {
    Loose::<T>::deserialize(d).map(|l| accept(l.0))
}

/// An array of a model; items that are not one are left out; `[]` otherwise.
pub fn list<'de, D: Deserializer<'de>, T: Model>(d: D) -> Result<Vec<T>, D::Error> {
    LooseList::<Loose<T>>::deserialize(d)
        .map(|l| l.0.into_iter().filter_map(|i| accept(i.0)).collect())
}

/// A string enum whose unknown values (and non-strings) read as its `Default`, the
/// `#[serde(other)] Unknown` variant.
pub fn known<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(
    d: D,
) -> Result<T, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Str(s) => parse_enum(&s),
        _ => T::default(),
    })
}

/// Like [`known`], but absent or `null` is `None`.
pub fn opt_known<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Null => None,
        Scalar::Str(s) => Some(parse_enum(&s)),
        _ => Some(T::default()),
    })
}

/// One of a string enum's values, else its `Default`.
pub fn parse_enum<T: DeserializeOwned + Default>(s: &str) -> T {
    T::deserialize(StrDeserializer::<serde::de::value::Error>::new(s)).unwrap_or_default()
}

/// A model from a whole answer's JSON text; `None` when the text is not JSON or not
/// this model.
pub fn decode<T: Model>(text: &str) -> Result<T, DecodeError> {
    let loose: Loose<T> = serde_json::from_str(text).map_err(|_| DecodeError::NotJson)?;
    accept(loose.0).ok_or(DecodeError::Shape)
}

/// A list of a model from a whole answer's JSON text (items that are not one are left
/// out); an error when the answer is not an array.
pub fn decode_list<T: Model>(text: &str) -> Result<Vec<T>, DecodeError> {
    let v: ListOrNot<T> = serde_json::from_str(text).map_err(|_| DecodeError::NotJson)?;
    v.0.ok_or(DecodeError::Shape)
}

/// Why an answer did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// The body is not JSON.
    NotJson,
    /// JSON, but not the documented shape.
    Shape,
}

/// An array of a model, or `None` when the value is not an array.
pub struct ListOrNot<T>(pub Option<Vec<T>>);

impl<'de, T: Model> Deserialize<'de> for ListOrNot<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Model> Visitor<'de> for V<T> {
            type Value = ListOrNot<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element::<Loose<T>>()? {
                    if let Some(t) = accept(item.0) {
                        out.push(t);
                    }
                }
                Ok(ListOrNot(Some(out)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                ScalarVisitor.visit_map(map).map(|_| ListOrNot(None))
            }
            scalars_are!(ListOrNot(None));
        }
        d.deserialize_any(V(PhantomData))
    }
}
