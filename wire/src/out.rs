//! JSON as the SDK writes it: request bodies, and every value it hands to JavaScript
//! (which `JSON.parse` turns into plain objects in one call). Commas are placed from
//! what was written last, so callers only say keys and values.

use super::json::Node;

/// A JSON text being written.
#[derive(Debug, Default)]
pub struct Out {
    buf: String,
}

impl Out {
    /// An empty text.
    pub fn new() -> Self {
        Out::default()
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.buf
    }

    /// Where the text ends now, for [`Out::rewind`].
    #[inline]
    pub fn mark(&self) -> usize {
        self.buf.len()
    }

    /// Takes back everything written since `mark`.
    pub fn rewind(&mut self, mark: usize) {
        self.buf.truncate(mark);
    }

    /// Whether the last value written is `null`.
    #[inline]
    pub fn ends_with_null(&self) -> bool {
        self.buf.ends_with(":null") || self.buf.ends_with(",null") || self.buf.ends_with("[null")
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn sep(&mut self) {
        if !matches!(self.buf.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.buf.push(',');
        }
    }

    /// `{`
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn open(&mut self) -> &mut Self {
        self.sep();
        self.buf.push('{');
        self
    }

    /// `}`
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn close(&mut self) -> &mut Self {
        self.buf.push('}');
        self
    }

    /// `[`
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn open_list(&mut self) -> &mut Self {
        self.sep();
        self.buf.push('[');
        self
    }

    /// `]`
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn close_list(&mut self) -> &mut Self {
        self.buf.push(']');
        self
    }

    /// A key; the next value written is its value.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn key(&mut self, key: &str) -> &mut Self {
        self.sep();
        quote_into(&mut self.buf, key);
        self.buf.push(':');
        self
    }

    /// A key that needs no escaping (a model's own camelCase names).
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn name(&mut self, key: &'static str) -> &mut Self {
        self.sep();
        self.buf.reserve(key.len().saturating_add(3));
        self.buf.push('"');
        self.buf.push_str(key);
        self.buf.push_str("\":");
        self
    }

    /// A string.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.sep();
        quote_into(&mut self.buf, s);
        self
    }

    /// A string, or `null`.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn opt_str(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }

    /// An integer.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn int(&mut self, n: i64) -> &mut Self {
        self.sep();
        push_int(&mut self.buf, n);
        self
    }

    /// An integer, or `null`.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn opt_int(&mut self, n: Option<i64>) -> &mut Self {
        match n {
            Some(n) => self.int(n),
            None => self.null(),
        }
    }

    /// `true`/`false`.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn bool(&mut self, b: bool) -> &mut Self {
        self.sep();
        self.buf.push_str(if b { "true" } else { "false" });
        self
    }

    /// `null`.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn null(&mut self) -> &mut Self {
        self.sep();
        self.buf.push_str("null");
        self
    }

    /// A JSON text written by this module or checked by the reader, copied as it is.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn json(&mut self, text: &str) -> &mut Self {
        self.sep();
        self.buf.push_str(text);
        self
    }

    /// Any value read by [`super::json`], re-written compactly.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn node(&mut self, n: Node<'_>) -> &mut Self {
        if n.is_object() {
            self.open();
            for (k, v) in n.members() {
                self.key(&k).node(v);
            }
            self.close()
        } else if n.is_array() {
            self.open_list();
            for item in n.items() {
                self.node(item);
            }
            self.close_list()
        } else if n.is_absent() {
            self.null()
        } else {
            // Scalars were checked by the reader: their source is valid JSON.
            self.json(n.source())
        }
    }
}

/// Appends `value` as a JSON string literal.
#[cfg_attr(optimize_hot, optimize(speed))]
pub fn quote_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(value.len().saturating_add(2));
    out.push('"');
    let mut rest = value;
    while let Some(at) = rest
        .bytes()
        .position(|b| b == b'"' || b == b'\\' || b < 0x20)
    {
        out.push_str(rest.get(..at).unwrap_or(""));
        let b = rest.as_bytes().get(at).copied().unwrap_or(b' ');
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                out.push_str("\\u00");
                for nibble in [b >> 4, b & 15] {
                    out.push(char::from(
                        HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                    ));
                }
            }
        }
        rest = rest.get(at.saturating_add(1)..).unwrap_or("");
    }
    out.push_str(rest);
    out.push('"');
}

/// Appends an integer's decimal digits (no `core::fmt`).
#[cfg_attr(optimize_hot, optimize(speed))]
pub fn push_int(out: &mut String, n: i64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut v = n.unsigned_abs();
    loop {
        i = i.saturating_sub(1);
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' | (v % 10) as u8;
        }
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    let text = digits.get(i..).unwrap_or(&[]);
    out.push_str(core::str::from_utf8(text).unwrap_or("0"));
}

/// An integer's decimal text.
pub fn int_text(n: i64) -> String {
    let mut s = String::new();
    push_int(&mut s, n);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    #[test]
    fn commas_escapes_and_integers() {
        let mut o = Out::new();
        o.open()
            .key("a")
            .int(-42)
            .key("b")
            .open_list()
            .str("x\"\\\n\u{1}é")
            .null()
            .bool(true)
            .opt_int(Some(i64::MIN))
            .close_list()
            .key("c")
            .open()
            .close()
            .close();
        let text = o.finish();
        assert_eq!(
            text,
            r#"{"a":-42,"b":["x\"\\\n\u0001é",null,true,-9223372036854775808],"c":{}}"#
        );
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["b"][0], "x\"\\\n\u{1}é");
    }

    #[test]
    fn any_node_is_rewritten_compactly() {
        let src = r#" { "a" : [ 1 , { "b" : "\u00e9\n" } ] , "c" : null } "#;
        let d = Doc::parse(src).unwrap();
        let mut o = Out::new();
        o.node(d.root());
        assert_eq!(
            o.finish(),
            r#"{"a":[1,{"b":"\u00e9\n"}],"c":null}"#,
            "strings keep their (valid) escapes"
        );
    }
}
