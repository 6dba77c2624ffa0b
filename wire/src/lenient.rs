//! Field readers that never fail on an unexpected JSON type: a server that changes a
//! field's type degrades that field to "absent" instead of failing the whole answer.

use super::json::Node;

impl Node<'_> {
    /// A string, or `None` for null or any other type. Numbers become their text
    /// (some servers send ids as strings, some as numbers).
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn text(&self) -> Option<String> {
        match self.as_str() {
            Some(s) => Some(s.into_owned()),
            None => self.number_text().map(str::to_owned),
        }
    }

    /// Like [`Node::text`], but an empty string is `None` too.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn non_empty(&self) -> Option<String> {
        self.text().filter(|s| !s.is_empty())
    }

    /// An integer id: a whole number, or a string of digits; `None` otherwise.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn id(&self) -> Option<i64> {
        // The usual case first: a number written as plain digits.
        if let Some(n) = self.number_text().and_then(super::json::digits) {
            return (n.unsigned_abs() < 9_000_000_000_000_000).then_some(n);
        }
        let n = match self.as_str() {
            Some(s) => super::json::digits(s.trim_ascii())? as f64,
            None => self.as_f64()?,
        };
        (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
    }

    /// `true` only for `true`.
    #[cfg_attr(optimize_hot, optimize(speed))]
    pub fn flag(&self) -> bool {
        self.as_bool() == Some(true)
    }

    /// An array of strings; non-string items are skipped (numbers become text), a
    /// non-array is empty.
    pub fn strings(&self) -> Vec<String> {
        self.items().filter_map(|n| n.text()).collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::json::Doc;

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
