//! String enums whose unknown values decode to `Unknown` instead of failing.

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
