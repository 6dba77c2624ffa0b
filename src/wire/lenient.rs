//! Field readers that never fail on an unexpected JSON type: a server that changes a
//! field's type degrades that field to "absent" instead of failing the whole answer.

use super::json::Node;

impl Node<'_> {
    /// A string, or `None` for null or any other type. Numbers become their text
    /// (some servers send ids as strings, some as numbers).
    pub fn text(&self) -> Option<String> {
        match self.as_str() {
            Some(s) => Some(s.into_owned()),
            None => self.number_text().map(str::to_owned),
        }
    }

    /// Like [`Node::text`], but an empty string is `None` too.
    pub fn non_empty(&self) -> Option<String> {
        self.text().filter(|s| !s.is_empty())
    }

    /// An integer id: a whole number, or a string of digits; `None` otherwise.
    pub fn id(&self) -> Option<i64> {
        let n = match self.as_str() {
            Some(s) => super::json::digits(s.trim_ascii())? as f64,
            None => self.as_f64()?,
        };
        (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
    }

    /// `true` only for `true`.
    pub fn flag(&self) -> bool {
        self.as_bool() == Some(true)
    }

    /// An array of strings; non-string items are skipped (numbers become text), a
    /// non-array is empty.
    pub fn strings(&self) -> Vec<String> {
        self.items().filter_map(|n| n.text()).collect()
    }
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
            /// Reads a JSON value; anything but a known string is `Unknown`.
            pub fn read(n: $crate::wire::json::Node<'_>) -> Self {
                n.as_str().map_or($name::Unknown, |s| $name::parse(&s))
            }
        }
    };
}
pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use crate::wire::json::Doc;

    #[test]
    fn wrong_types_degrade_instead_of_failing() {
        let d = Doc::parse(
            r#"{"s":{"x":[1]},"i":"42","b":"yes","l":["a",1,null,"b",{}],"n":7,"f":3.0,"g":2.5,"e":""}"#,
        )
        .unwrap();
        let r = d.root();
        assert_eq!(r.get("s").text(), None);
        assert_eq!(r.get("n").text().as_deref(), Some("7"));
        assert_eq!(r.get("i").id(), Some(42));
        assert_eq!(r.get("f").id(), Some(3));
        assert_eq!(r.get("g").id(), None);
        assert_eq!(r.get("s").id(), None);
        assert!(!r.get("b").flag() && !r.get("missing").flag());
        assert_eq!(r.get("l").strings(), ["a", "1", "b"]);
        assert!(r.get("s").strings().is_empty());
        assert_eq!(r.get("e").non_empty(), None);
    }
}
