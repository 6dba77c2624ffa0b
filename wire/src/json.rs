//! JSON as the SDK reads it: the whole text is checked once and laid out as a flat
//! *tape* of tokens (one allocation, no recursion, any depth up to [`MAX_DEPTH`]).
//! Reading is lazy: a number is parsed, a string unescaped, only when a model asks for
//! that field, so the many fields a widget never needs cost one scan and nothing else.
//!
//! Everything that crosses between JavaScript and the SDK is one JSON text each way
//! (the platform's `JSON.parse`/`JSON.stringify` on the JS side), so this reader and
//! [`super::out::Out`] are the whole data path, the same in wasm and natively.

use std::borrow::Cow;

/// Deeper nesting than this is refused (no chat payload comes close).
pub const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    True,
    False,
    Num,
    /// A string without escapes: its span is the text itself.
    Str,
    /// A string with escapes: unescaped when read.
    StrEsc,
    Arr,
    Obj,
}

/// One token. Strings span their content between the quotes; containers span their
/// whole source text and name the token after their end.
#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    start: u32,
    end: u32,
    next: u32,
}

/// Why a text is not JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset where reading stopped.
    pub at: usize,
    /// What was wrong.
    pub what: &'static str,
}

/// A checked JSON text.
#[derive(Debug)]
pub struct Doc<'s> {
    src: &'s str,
    tape: Vec<Tok>,
}

/// A value inside a [`Doc`], or *absent* (a missing key, past the end of an array).
#[derive(Clone, Copy)]
pub struct Node<'d> {
    doc: &'d Doc<'d>,
    at: u32,
}

/// The index of no value.
pub(crate) const ABSENT: u32 = u32::MAX;

impl<'s> Doc<'s> {
    /// Checks `src` (RFC 8259: one value, no trailing text) and builds its tape.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn parse(src: &'s str) -> Result<Doc<'s>, SyntaxError> {
        if u32::try_from(src.len()).is_err() {
            return Err(SyntaxError {
                at: 0,
                what: "text longer than 4 GB",
            });
        }
        let mut p = Parser {
            b: src.as_bytes(),
            i: 0,
            tape: Vec::with_capacity(src.len() / 8),
            open: Vec::new(),
        };
        p.document()?;
        Ok(Doc { src, tape: p.tape })
    }

    /// The top-level value.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: self,
            at: if self.tape.is_empty() { ABSENT } else { 0 },
        }
    }

    #[inline]
    #[cfg_attr(optimize_hot, optimize(speed))]
    fn tok(&self, at: u32) -> Option<&Tok> {
        self.tape.get(at as usize)
    }

    #[inline]
    #[cfg_attr(optimize_hot, optimize(speed))]
    fn text(&self, t: &Tok) -> &str {
        self.src.get(t.start as usize..t.end as usize).unwrap_or("")
    }
}

struct Parser<'b> {
    b: &'b [u8],
    i: usize,
    tape: Vec<Tok>,
    /// Tape indices of the containers not yet closed.
    open: Vec<usize>,
}

enum Step {
    Value,
    Key,
    After,
}

impl Parser<'_> {
    fn err<T>(&self, what: &'static str) -> Result<T, SyntaxError> {
        Err(SyntaxError { at: self.i, what })
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn bump(&mut self) {
        self.i = self.i.saturating_add(1);
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.bump();
        }
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn push(&mut self, kind: Kind, start: usize, end: usize) {
        let next = self.tape.len().saturating_add(1) as u32;
        self.tape.push(Tok {
            kind,
            start: start as u32,
            end: end as u32,
            next,
        });
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn document(&mut self) -> Result<(), SyntaxError> {
        let mut step = Step::Value;
        loop {
            self.ws();
            step = match step {
                Step::Value => self.value()?,
                Step::Key => {
                    if self.peek() != Some(b'"') {
                        return self.err("expected a key");
                    }
                    self.string()?;
                    self.ws();
                    if self.peek() != Some(b':') {
                        return self.err("expected ':'");
                    }
                    self.bump();
                    Step::Value
                }
                Step::After => {
                    let Some(&top) = self.open.last() else {
                        return if self.i == self.b.len() {
                            Ok(())
                        } else {
                            self.err("text after the value")
                        };
                    };
                    let is_obj = self.tape.get(top).is_some_and(|t| t.kind == Kind::Obj);
                    match (self.peek(), is_obj) {
                        (Some(b','), true) => {
                            self.bump();
                            Step::Key
                        }
                        (Some(b','), false) => {
                            self.bump();
                            Step::Value
                        }
                        (Some(b'}'), true) | (Some(b']'), false) => {
                            self.bump();
                            self.close();
                            Step::After
                        }
                        _ => return self.err("expected ',' or the end of the container"),
                    }
                }
            };
        }
    }

    /// Reads one value (a container only opens); says what comes next.
    #[cfg_attr(optimize_hot, optimize(speed))]
    fn value(&mut self) -> Result<Step, SyntaxError> {
        let start = self.i;
        match self.peek() {
            Some(c @ (b'{' | b'[')) => {
                if self.open.len() >= MAX_DEPTH {
                    return self.err("nested too deeply");
                }
                let kind = if c == b'{' { Kind::Obj } else { Kind::Arr };
                self.open.push(self.tape.len());
                self.push(kind, start, start);
                self.bump();
                self.ws();
                let empty = if kind == Kind::Obj { b'}' } else { b']' };
                if self.peek() == Some(empty) {
                    self.bump();
                    self.close();
                    return Ok(Step::After);
                }
                Ok(if kind == Kind::Obj {
                    Step::Key
                } else {
                    Step::Value
                })
            }
            Some(b'"') => {
                self.string()?;
                Ok(Step::After)
            }
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                Ok(Step::After)
            }
            Some(b't') => self.word(b"true", Kind::True),
            Some(b'f') => self.word(b"false", Kind::False),
            Some(b'n') => self.word(b"null", Kind::Null),
            Some(_) => self.err("expected a value"),
            None => self.err("unexpected end"),
        }
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn close(&mut self) {
        if let Some(at) = self.open.pop() {
            let next = self.tape.len() as u32;
            let end = self.i as u32;
            if let Some(t) = self.tape.get_mut(at) {
                t.end = end;
                t.next = next;
            }
        }
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn word(&mut self, w: &[u8], kind: Kind) -> Result<Step, SyntaxError> {
        let start = self.i;
        let end = start.saturating_add(w.len());
        if self.b.get(start..end) != Some(w) {
            return self.err("expected a value");
        }
        self.i = end;
        self.push(kind, start, end);
        Ok(Step::After)
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn digits(&mut self) -> usize {
        let from = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.bump();
        }
        self.i.saturating_sub(from)
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn number(&mut self) -> Result<(), SyntaxError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        let lead_zero = self.peek() == Some(b'0');
        let n = self.digits();
        if n == 0 || (lead_zero && n > 1) {
            return self.err("bad number");
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if self.digits() == 0 {
                return self.err("bad number");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if self.digits() == 0 {
                return self.err("bad number");
            }
        }
        self.push(Kind::Num, start, self.i);
        Ok(())
    }

    /// A string at the opening quote; its token spans the content.
    #[cfg_attr(optimize_hot, optimize(speed))]
    fn string(&mut self) -> Result<(), SyntaxError> {
        self.bump();
        let start = self.i;
        let mut escaped = false;
        loop {
            // The common case: a run of plain bytes.
            let rest = self.b.get(self.i..).unwrap_or(&[]);
            let run = rest
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .unwrap_or(rest.len());
            self.i = self.i.saturating_add(run);
            match self.peek() {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.bump();
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.bump(),
                        Some(b'u') => {
                            self.bump();
                            let hex = self.b.get(self.i..self.i.saturating_add(4));
                            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                                return self.err("bad \\u escape");
                            }
                            self.i = self.i.saturating_add(4);
                        }
                        _ => return self.err("bad escape"),
                    }
                }
                Some(_) => return self.err("control character in a string"),
                None => return self.err("unterminated string"),
            }
        }
        let kind = if escaped { Kind::StrEsc } else { Kind::Str };
        self.push(kind, start, self.i);
        self.bump();
        Ok(())
    }
}

static EMPTY: Doc<'static> = Doc {
    src: "",
    tape: Vec::new(),
};

impl Node<'static> {
    /// A missing value.
    pub fn absent() -> Node<'static> {
        Node {
            doc: &EMPTY,
            at: ABSENT,
        }
    }
}

impl<'d> Node<'d> {
    #[inline]
    #[cfg_attr(optimize_hot, optimize(speed))]
    fn tok(&self) -> Option<&'d Tok> {
        self.doc.tok(self.at)
    }

    #[inline]
    #[cfg_attr(optimize_hot, optimize(speed))]
    fn kind(&self) -> Option<Kind> {
        self.tok().map(|t| t.kind)
    }

    #[cfg_attr(optimize_hot, optimize(speed))]
    fn at(&self, at: u32) -> Node<'d> {
        Node { doc: self.doc, at }
    }

    /// The value's place in its document (for [`Node::in_doc`]).
    #[inline]
    pub(crate) fn index(&self) -> u32 {
        self.at
    }

    /// The value at `index` in this value's document.
    #[inline]
    pub(crate) fn in_doc(&self, index: u32) -> Node<'d> {
        self.at(index)
    }

    /// True for a missing value.
    pub fn is_absent(&self) -> bool {
        self.tok().is_none()
    }

    /// True for `null` or a missing value.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn is_null(&self) -> bool {
        matches!(self.kind(), None | Some(Kind::Null))
    }

    /// True for an object.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn is_object(&self) -> bool {
        self.kind() == Some(Kind::Obj)
    }

    /// True for an array.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn is_array(&self) -> bool {
        self.kind() == Some(Kind::Arr)
    }

    /// True for a string.
    pub fn is_string(&self) -> bool {
        matches!(self.kind(), Some(Kind::Str | Kind::StrEsc))
    }

    /// `Some(b)` for `true`/`false`.
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind() {
            Some(Kind::True) => Some(true),
            Some(Kind::False) => Some(false),
            _ => None,
        }
    }

    /// The number, for a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self.tok() {
            Some(t) if t.kind == Kind::Num => parse_number(self.doc.text(t)),
            _ => None,
        }
    }

    /// The number as text exactly as written, for a number.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn number_text(&self) -> Option<&'d str> {
        match self.tok() {
            Some(t) if t.kind == Kind::Num => Some(self.doc.text(t)),
            _ => None,
        }
    }

    /// The string, unescaped (borrowed when it has no escapes).
    #[inline]
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn as_str(&self) -> Option<Cow<'d, str>> {
        let t = self.tok()?;
        match t.kind {
            Kind::Str => Some(Cow::Borrowed(self.doc.text(t))),
            Kind::StrEsc => Some(Cow::Owned(unescape(self.doc.text(t)))),
            _ => None,
        }
    }

    /// The value's source text (for containers, the whole container).
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn source(&self) -> &'d str {
        match self.tok() {
            Some(t) if matches!(t.kind, Kind::Str | Kind::StrEsc) => self
                .doc
                .src
                .get((t.start as usize).saturating_sub(1)..(t.end as usize).saturating_add(1))
                .unwrap_or(""),
            Some(t) => self.doc.text(t),
            None => "",
        }
    }

    /// An object's members in order (nothing for any other value).
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn members(&self) -> Members<'d> {
        let (at, end) = self.children(Kind::Obj);
        Members {
            node: self.at(at),
            end,
        }
    }

    /// An array's items in order (nothing for any other value).
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn items(&self) -> Items<'d> {
        let (at, end) = self.children(Kind::Arr);
        Items {
            node: self.at(at),
            end,
        }
    }

    /// The tape range of a container's children when it is of `kind` (else empty).
    #[inline]
    fn children(&self, kind: Kind) -> (u32, u32) {
        match self.tok() {
            Some(t) if t.kind == kind => (self.at.saturating_add(1), t.next),
            _ => (0, 0),
        }
    }

    /// The member `key` of an object (the last one if repeated); absent otherwise.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn get(&self, key: &str) -> Node<'d> {
        let mut found = self.at(ABSENT);
        for (k, v) in self.members() {
            if k == key {
                found = v;
            }
        }
        found
    }

    /// The index of the value after this one.
    #[cfg_attr(optimize_hot, optimize(speed))]
    fn after(&self) -> u32 {
        self.tok()
            .map_or(ABSENT, |t| t.next)
            .max(self.at.saturating_add(1))
    }
}

impl core::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.source())
    }
}

/// Iterator over an object's `(key, value)` pairs.
pub struct Members<'d> {
    node: Node<'d>,
    end: u32,
}

impl<'d> Iterator for Members<'d> {
    type Item = (Cow<'d, str>, Node<'d>);
    #[cfg_attr(optimize_hot, optimize(speed))]
    fn next(&mut self) -> Option<Self::Item> {
        if self.node.at >= self.end {
            return None;
        }
        let key = self.node.as_str().unwrap_or_default();
        let value = self.node.at(self.node.at.saturating_add(1));
        self.node = value.at(value.after());
        Some((key, value))
    }
}

/// Iterator over an array's items.
pub struct Items<'d> {
    node: Node<'d>,
    end: u32,
}

impl<'d> Iterator for Items<'d> {
    type Item = Node<'d>;
    #[cfg_attr(optimize_hot, optimize(speed))]
    fn next(&mut self) -> Option<Node<'d>> {
        if self.node.at >= self.end {
            return None;
        }
        let item = self.node;
        self.node = item.at(item.after());
        Some(item)
    }
}

/// A checked escaped string's content, unescaped. Lone surrogates become U+FFFD.
#[inline(never)]
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('\\') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let tail = rest.get(at.saturating_add(1)..).unwrap_or("");
        let mut chars = tail.chars();
        let c = chars.next().unwrap_or('\\');
        rest = chars.as_str();
        match c {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let hi = hex4(rest);
                rest = rest.get(4..).unwrap_or("");
                let mut code = u32::from(hi);
                if (0xD800..0xDC00).contains(&hi) && rest.starts_with("\\u") {
                    let lo = hex4(rest.get(2..).unwrap_or(""));
                    if (0xDC00..0xE000).contains(&lo) {
                        rest = rest.get(6..).unwrap_or("");
                        let pair = (u32::from(hi) & 0x3FF) << 10 | (u32::from(lo) & 0x3FF);
                        code = pair.wrapping_add(0x10000);
                    }
                }
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            other => out.push(other),
        }
    }
    out.push_str(rest);
    out
}

fn hex4(s: &str) -> u16 {
    s.bytes().take(4).fold(0u16, |acc, c| {
        acc << 4 | char::from(c).to_digit(16).unwrap_or(0) as u16
    })
}

/// A whole number written as ASCII digits, with an optional `-` (no spaces, no `+`).
#[cfg_attr(optimize_hot, optimize(speed))]
pub fn digits(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if body.is_empty() || body.len() > 18 {
        return None;
    }
    let mut n: i64 = 0;
    for c in body.bytes() {
        if !c.is_ascii_digit() {
            return None;
        }
        // At most 18 digits: below i64::MAX, nothing wraps.
        n = n
            .wrapping_mul(10)
            .wrapping_add(i64::from(c.wrapping_sub(b'0')));
    }
    Some(if neg { n.saturating_neg() } else { n })
}

/// A plain decimal number written as text (`-?digits[.digits]`), such as a timestamp
/// sent as a string; `None` for anything else.
pub fn decimal(s: &str) -> Option<f64> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit());
    if digits(int) && digits(frac) {
        parse_number(s)
    } else {
        None
    }
}

/// A checked JSON number's value, without the float parser of `core` (its size is
/// not worth it here). Exact for integers below 2^53, which is every id and timestamp;
/// fractions and exponents are within an ulp or two, plenty for seconds → ms.
fn parse_number(s: &str) -> Option<f64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(at) => (s.get(..at)?, s.get(at.saturating_add(1)..)?),
        None => (s, ""),
    };
    let mut value = 0.0f64;
    let mut scale = 0i32;
    let mut in_fraction = false;
    for c in mantissa.bytes() {
        match c {
            b'.' => in_fraction = true,
            b'0'..=b'9' => {
                value = value * 10.0 + f64::from(c.wrapping_sub(b'0'));
                if in_fraction {
                    scale = scale.saturating_sub(1);
                }
            }
            _ => return None,
        }
    }
    if !exp.is_empty() {
        let (sign, digits) = match exp.as_bytes().first() {
            Some(b'-') => (-1i32, exp.get(1..)?),
            Some(b'+') => (1, exp.get(1..)?),
            _ => (1, exp),
        };
        let e = digits.bytes().fold(0i32, |acc, c| {
            acc.saturating_mul(10)
                .saturating_add(i32::from(c.wrapping_sub(b'0')))
        });
        scale = scale.saturating_add(sign.saturating_mul(e));
    }
    let value = if scale >= 0 {
        value * pow10(scale)
    } else {
        value / pow10(scale.saturating_neg())
    };
    Some(if neg { -value } else { value })
}

fn pow10(n: i32) -> f64 {
    let mut out = 1.0f64;
    let mut base = 10.0f64;
    let mut n = n.clamp(0, 400);
    while n > 0 {
        if n & 1 == 1 {
            out *= base;
        }
        base *= base;
        n >>= 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Doc<'_> {
        Doc::parse(s).unwrap()
    }

    #[test]
    fn reads_nested_values_lazily() {
        let d = doc(
            r#" {"a":1,"b":[true,false,null,"x\n\u00e9\ud83d\ude00"],"c":{"d":-2.5e1},"a":7} "#,
        );
        let r = d.root();
        assert_eq!(r.get("a").as_f64(), Some(7.0), "the last repeated key wins");
        let items: Vec<_> = r.get("b").items().collect();
        assert_eq!(items.len(), 4);
        assert_eq!(items[0].as_bool(), Some(true));
        assert!(items[2].is_null() && !items[2].is_absent());
        assert_eq!(items[3].as_str().unwrap(), "x\né😀");
        assert_eq!(r.get("c").get("d").as_f64(), Some(-25.0));
        assert!(r.get("zzz").is_absent() && r.get("zzz").is_null());
        assert_eq!(r.get("c").source(), r#"{"d":-2.5e1}"#);
        assert!(r.get("b").get("x").is_absent());
        let keys: Vec<String> = r.members().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(keys, ["a", "b", "c", "a"]);
    }

    #[test]
    fn refuses_what_json_parse_refuses() {
        for bad in [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\"}",
            "{\"a\":}",
            "01",
            "1.",
            "-",
            "1e",
            "tru",
            "nul",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"a\u{1}\"",
            "[1] 2",
            "{'a':1}",
            "NaN",
            "[1 2]",
            "{\"a\":1,}",
        ] {
            assert!(Doc::parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(Doc::parse(&deep).unwrap_err().what, "nested too deeply");
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(Doc::parse(&ok).is_ok());
    }

    #[test]
    fn numbers_without_the_core_float_parser() {
        for (text, want) in [
            ("0", 0.0),
            ("-0", 0.0),
            ("1717000123", 1_717_000_123.0),
            ("9007199254740991", 9_007_199_254_740_991.0),
            ("1723801933.123456", 1_723_801_933.123_456),
            ("1e3", 1000.0),
            ("25E-1", 2.5),
            ("-1.5e+2", -150.0),
        ] {
            let d = doc(text);
            let got = d.root().as_f64().unwrap();
            assert!((got - want).abs() <= want.abs() * 1e-15, "{text}: {got}");
        }
        assert_eq!(doc("1e999").root().as_f64(), Some(f64::INFINITY));
        // Found by the `json` fuzz target: legal JSON that serde_json refuses. It is
        // kept and written back as it was (JSON.parse reads it as Infinity), and no
        // reader takes it for an id or a time.
        let d = doc("[23E22201]");
        let n = d.root().items().next().unwrap();
        assert_eq!(n.as_f64(), Some(f64::INFINITY));
        assert_eq!((n.id(), n.millis()), (None, None));
        let mut o = crate::out::Out::new();
        o.node(d.root());
        assert_eq!(o.finish(), "[23E22201]");
        // Also found by it: a lone surrogate escape reads as U+FFFD and is written back
        // as it came (JSON.parse keeps it; serde_json would refuse it).
        let d = doc(r#"["\ud990z"]"#);
        let s = d.root().items().next().unwrap();
        assert_eq!(s.as_str().unwrap(), "\u{FFFD}z");
        let mut o = crate::out::Out::new();
        o.node(d.root());
        assert_eq!(o.finish(), r#"["\ud990z"]"#);
    }
}
