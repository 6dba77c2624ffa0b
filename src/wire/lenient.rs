//! Field readers that never fail on an unexpected JSON type: a server that changes a
//! field's type degrades that field to "absent" instead of failing the whole answer.

use core::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// One visitor for every scalar reader: it sees the JSON value and keeps what fits.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// An array or object: consumed and dropped.
    Other,
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
        // The browser's JSON parser hands every number over as f64.
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(Scalar::Int(v as i64))
        } else {
            Ok(Scalar::Float(v))
        }
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

pub(crate) fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
    d.deserialize_any(ScalarVisitor)
}

/// A string, or `None` for null or any other type. Numbers become their decimal text
/// (some servers send ids as strings, some as numbers).
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match scalar(d)? {
        Scalar::Str(s) => Some(s),
        Scalar::Int(i) => Some(i.to_string()),
        _ => None,
    })
}

/// A string, or `""` when absent or not a string.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_string(d)?.unwrap_or_default())
}

/// An integer id: a number, or a string of digits; `None` otherwise.
pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match scalar(d)? {
        Scalar::Int(i) => Some(i),
        Scalar::Str(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// An integer that must be there for the object to make sense (an `id`).
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    opt_int(d)?.ok_or_else(|| de::Error::custom("expected an integer id"))
}

/// A boolean; anything else is `false`.
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(matches!(scalar(d)?, Scalar::Bool(true)))
}

/// An array of strings; non-string items are skipped, a non-array is empty.
pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct ListVisitor;
    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element_seed(StringOrNothing)? {
                out.extend(item);
            }
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Vec::new())
        }
        fn visit_unit<E>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E>(self, _: bool) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_str<E>(self, _: &str) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
    }
    struct StringOrNothing;
    impl<'de> de::DeserializeSeed<'de> for StringOrNothing {
        type Value = Option<String>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
            opt_string(d)
        }
    }
    d.deserialize_any(ListVisitor)
}

/// Declares a string enum whose unknown values decode to `Unknown` instead of failing,
/// and which crosses to JavaScript as its string (`"unknown"` for the fallback).
macro_rules! string_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this SDK version does not know yet.
            #[default]
            Unknown,
        }
        impl $name {
            /// The value's text, as the server and JavaScript spell it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* $name::Unknown => "unknown" }
            }
            /// Reads the server's text; anything unknown is `Unknown`.
            pub fn parse(text: &str) -> Self {
                match text { $($text => $name::$variant,)* _ => $name::Unknown }
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(match $crate::wire::lenient::scalar(d)? {
                    $crate::wire::lenient::Scalar::Str(s) => $name::parse(&s),
                    _ => $name::Unknown,
                })
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "super::opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "super::opt_int")]
        i: Option<i64>,
        #[serde(default, deserialize_with = "super::bool")]
        b: bool,
        #[serde(default, deserialize_with = "super::string_list")]
        l: Vec<String>,
    }

    #[test]
    fn wrong_types_degrade_instead_of_failing() {
        let t: T = serde_json::from_str(
            r#"{"s":{"x":[1]},"i":"42","b":"yes","l":["a",1,null,"b"],"extra":true}"#,
        )
        .unwrap();
        assert_eq!(
            (t.s, t.i, t.b, t.l),
            (
                None,
                Some(42),
                false,
                vec!["a".into(), "1".into(), "b".into()]
            )
        );
        let t: T = serde_json::from_str(r#"{"s":7,"i":3.0,"b":true,"l":{"a":1}}"#).unwrap();
        assert_eq!(
            (t.s.as_deref(), t.i, t.b, t.l.len()),
            (Some("7"), Some(3), true, 0)
        );
        let t: T = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!((t.s, t.i, t.b, t.l.len()), (None, None, false, 0));
    }
}
