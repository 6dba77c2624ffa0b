//! String enums with an `"unknown"` fallback: a value the server adds later never fails
//! decoding (SPEC §2).

/// A string enum: each variant's wire name, and `Unknown` (`#[serde(other)]`) for the
/// rest. Read tolerantly with [`crate::lenient::known`].
macro_rules! string_enum {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $s)] $v,)*
            /// A value this version of the SDK does not know.
            #[default]
            #[serde(other, rename = "unknown")]
            Unknown,
        }

        impl $name {
            /// Every known value's wire name, in order.
            pub const NAMES: &'static [&'static str] = &[$($s),*];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$v => $s,)*
                    $name::Unknown => "unknown",
                }
            }
        }
    };
}
pub(crate) use string_enum;
