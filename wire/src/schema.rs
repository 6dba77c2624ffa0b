//! Models as data. Each model is a table of fields: where a field comes from in the
//! server's snake_case JSON, what it is called in the camelCase object JavaScript
//! receives, and how it is read. One interpreter, [`transcode`], applies any table, so
//! adding a field is one line, every model is normalised by the same rules (SPEC §2),
//! and answers go from the server's text to the text `JSON.parse` reads in one pass,
//! without building Rust values for fields nobody inspects.

use crate::json::{Node, ABSENT};
use crate::out::Out;

/// How one field is read and written.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// An integer (a number, or a string of digits); `null` otherwise.
    Int,
    /// A string (numbers become their text); `null` otherwise.
    Text,
    /// Like [`Kind::Text`], and `""` is `null` too.
    NonEmpty,
    /// Like [`Kind::Text`], but `""` instead of `null` (a field typed `string`).
    Str,
    /// Any timestamp shape → integer milliseconds; "never" (`0`, null) is `null`.
    Millis,
    /// `true` only for `true`.
    Flag,
    /// `true` only when the source object's member of this name is `true`.
    FlagIn(&'static str),
    /// An object passed through as it is; `{}` otherwise.
    Object,
    /// Any JSON value passed through as it is; `null` when absent.
    Any,
    /// An array of strings (numbers become text, other items are dropped); `[]`.
    Strings,
    /// An array of objects passed through as they are (other items are dropped); `[]`.
    Objects,
    /// One of these strings, else `"unknown"`.
    Enum(&'static [&'static str]),
    /// Like [`Kind::Enum`], but absent or null is `null`.
    OptEnum(&'static [&'static str]),
    /// `message_type`: 0–3 (or their names) → `incoming`, `outgoing`, `activity`,
    /// `template`; else `"unknown"`.
    MessageType,
    /// A nested model, or `null`.
    One(&'static Schema),
    /// An array of a model; items that are not one are left out; `[]` otherwise.
    List(&'static Schema),
    /// An array of messages, ordered by id, a repeated id kept once (its last copy).
    Messages(&'static Schema),
}

/// One field: its source keys (the first one present wins; later ones are fallbacks,
/// such as `thumbnail` for `avatar_url`), its JavaScript name, and its kind.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Keys in the server's object, in order of preference.
    pub from: &'static [&'static str],
    /// Key in the object JavaScript receives.
    pub to: &'static str,
    /// How it is read.
    pub kind: Kind,
}

/// A model: its fields, in the order JavaScript sees them.
#[derive(Debug)]
pub struct Schema {
    /// The fields.
    pub fields: &'static [Field],
    /// The indices of the fields that must read as non-null (the `id`): without them
    /// the value is not this model.
    pub required: &'static [usize],
}

/// A [`Field`]: `field!("snake" => "camel", Kind)`, or with fallback source keys
/// `field!(["avatar_url", "thumbnail"] => "avatarUrl", NonEmpty)`.
#[macro_export]
macro_rules! field {
    ([$($from:literal),+] => $to:literal, $($kind:tt)+) => {
        $crate::schema::Field {
            from: &[$($from),+],
            to: $to,
            kind: $crate::schema::Kind::$($kind)+,
        }
    };
    ($from:literal => $to:literal, $($kind:tt)+) => {
        field!([$from] => $to, $($kind)+)
    };
}
pub use crate::field;

/// Most slots a model may read (fields times their source keys).
const SLOTS: usize = 48;

/// Writes `n` as `schema`'s camelCase object; writes nothing and says `false` when `n`
/// is not this model. `upto` limits the fields written to the first ones (the session
/// appends the rest itself).
#[cfg_attr(optimize_hot, optimize(speed))]
pub fn transcode(n: Node<'_>, schema: &Schema, upto: usize, o: &mut Out) -> bool {
    if !n.is_object() {
        return false;
    }
    let slots = gather(n, schema);
    let written = schema.fields.len().min(upto);
    if schema.required.iter().any(|&i| i >= written) && !complete(n, &slots, schema) {
        return false;
    }
    // Written at once; taken back if a required field turns out null (cheaper than
    // reading those fields twice).
    let mark = o.mark();
    o.open();
    let mut first = 0usize;
    for (i, field) in schema.fields.iter().enumerate().take(upto) {
        o.name(field.to);
        write_value(pick(n, &slots, first, field), field.kind, o);
        if schema.required.contains(&i) && o.ends_with_null() {
            o.rewind(mark);
            return false;
        }
        first = first.saturating_add(field.from.len());
    }
    o.close();
    true
}

/// Every field, as [`transcode`] with no limit.
#[cfg_attr(optimize_hot, optimize(speed))]
pub fn write(n: Node<'_>, schema: &Schema, o: &mut Out) -> bool {
    transcode(n, schema, usize::MAX, o)
}

/// Where each slot's value is in the document (`ABSENT` when missing).
type Slots = [u32; SLOTS];

/// The members of `n` that `schema` reads, by slot (last repeated key wins).
#[cfg_attr(optimize_hot, optimize(speed))]
fn gather(n: Node<'_>, schema: &Schema) -> Slots {
    let fields = schema.fields;
    let total: usize = fields
        .iter()
        .map(|f| f.from.len())
        .fold(0, usize::saturating_add);
    let mut slots = [ABSENT; SLOTS];
    // Servers write an object's keys in about the order of the table, so the search
    // for each key starts where the previous key's search ended: usually the first
    // comparison is the hit. The cursor is a field, a source key of it, and its slot.
    let mut cursor = (0usize, 0usize, 0usize);
    for (key, value) in n.members() {
        let key = key.as_bytes();
        let (mut f, mut k, mut slot) = cursor;
        let mut found = false;
        for _ in 0..total {
            let from = fields.get(f).and_then(|field| field.from.get(k));
            let hit = from.is_some_and(|from| same(from.as_bytes(), key));
            if hit {
                // Every field reading this key gets it (`deleted` reads
                // `content_attributes` too); such slots are adjacent (a test checks).
                if let Some(s) = slots.get_mut(slot) {
                    *s = value.index();
                }
                found = true;
            } else if found {
                break;
            }
            k = k.saturating_add(1);
            slot = slot.saturating_add(1);
            if fields.get(f).is_none_or(|field| k >= field.from.len()) {
                k = 0;
                f = f.saturating_add(1);
            }
            if f >= fields.len() {
                (f, k, slot) = (0, 0, 0);
            }
        }
        if found {
            cursor = (f, k, slot);
        }
    }
    slots
}

/// Whether fields reading the same source key are adjacent in the table (what
/// [`gather`] relies on).
pub fn shared_keys_adjacent(schema: &Schema) -> bool {
    let keys: Vec<&str> = schema
        .fields
        .iter()
        .flat_map(|f| f.from.iter().copied())
        .collect();
    keys.iter().enumerate().all(|(i, k)| {
        let last = keys.iter().rposition(|x| x == k).unwrap_or(i);
        keys.get(i..=last)
            .is_some_and(|run| run.iter().all(|x| x == k))
    })
}

/// Byte equality, inline: keys are short, and a call to `memcmp` per comparison costs
/// more than comparing them.
#[cfg_attr(optimize_hot, optimize(speed))]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// The value of the field whose slots start at `first`: its first source key whose
/// value reads as non-null.
#[cfg_attr(optimize_hot, optimize(speed))]
fn pick<'d>(n: Node<'d>, slots: &Slots, first: usize, field: &Field) -> Option<Node<'d>> {
    let at = |k: usize| {
        let index = slots
            .get(first.saturating_add(k))
            .copied()
            .unwrap_or(ABSENT);
        (index != ABSENT).then(|| n.in_doc(index))
    };
    if let [_] = field.from {
        // One source key: whatever it holds.
        return at(0);
    }
    let mut fallback = None;
    for k in 0..field.from.len() {
        if let Some(v) = at(k) {
            if !value_is_null(Some(v), field.kind) {
                return Some(v);
            }
            fallback = fallback.or(Some(v));
        }
    }
    fallback
}

/// Whether a value would be written as `null` (or be missing) for this kind.
#[cfg_attr(optimize_hot, optimize(speed))]
fn value_is_null(v: Option<Node<'_>>, kind: Kind) -> bool {
    let Some(v) = v else { return true };
    match kind {
        Kind::Int => v.id().is_none(),
        Kind::Text => v.as_str().is_none() && v.number_text().is_none(),
        Kind::NonEmpty => v.non_empty().is_none(),
        Kind::Millis => v.millis().is_none(),
        Kind::One(s) => !fits(v, s),
        _ => v.is_null(),
    }
}

/// Whether `n` reads as `schema` (is an object with its required fields).
#[cfg_attr(optimize_hot, optimize(speed))]
pub fn fits(n: Node<'_>, schema: &Schema) -> bool {
    n.is_object() && (schema.required.is_empty() || complete(n, &gather(n, schema), schema))
}

#[cfg_attr(optimize_hot, optimize(speed))]
fn complete(n: Node<'_>, slots: &Slots, schema: &Schema) -> bool {
    schema.required.iter().all(|&i| {
        let first: usize = schema
            .fields
            .iter()
            .take(i)
            .map(|f| f.from.len())
            .fold(0, usize::saturating_add);
        schema
            .fields
            .get(i)
            .is_some_and(|field| !value_is_null(pick(n, slots, first, field), field.kind))
    })
}

const MESSAGE_TYPES: [&str; 4] = ["incoming", "outgoing", "activity", "template"];

#[cfg_attr(optimize_hot, optimize(speed))]
fn write_value(v: Option<Node<'_>>, kind: Kind, o: &mut Out) {
    let absent = v.is_none();
    let v = match v {
        Some(v) => v,
        None => Node::absent(),
    };
    match kind {
        Kind::Int => {
            o.opt_int(v.id());
        }
        Kind::Text => match v.as_str() {
            Some(s) => {
                o.str(&s);
            }
            None => {
                o.opt_str(v.number_text());
            }
        },
        Kind::NonEmpty => {
            o.opt_str(v.non_empty().as_deref());
        }
        Kind::Str => {
            o.str(&v.text().unwrap_or_default());
        }
        Kind::Millis => {
            o.opt_int(v.millis());
        }
        Kind::Flag => {
            o.bool(v.flag());
        }
        Kind::FlagIn(key) => {
            o.bool(v.get(key).flag());
        }
        Kind::Object => {
            if v.is_object() {
                o.node(v);
            } else {
                o.json("{}");
            }
        }
        Kind::Any => {
            if absent {
                o.null();
            } else {
                o.node(v);
            }
        }
        Kind::Strings => {
            o.open_list();
            for item in v.items() {
                if let Some(s) = item.as_str() {
                    o.str(&s);
                } else if let Some(n) = item.number_text() {
                    o.str(n);
                }
            }
            o.close_list();
        }
        Kind::Objects => {
            o.open_list();
            for item in v.items().filter(|i| i.is_object()) {
                o.node(item);
            }
            o.close_list();
        }
        Kind::Enum(values) => {
            o.str(one_of(v, values));
        }
        Kind::OptEnum(values) => {
            if v.is_null() {
                o.null();
            } else {
                o.str(one_of(v, values));
            }
        }
        Kind::MessageType => {
            o.str(message_type(v));
        }
        Kind::One(schema) => {
            if !write(v, schema, o) {
                o.null();
            }
        }
        Kind::List(schema) => {
            o.open_list();
            for item in v.items() {
                write(item, schema, o);
            }
            o.close_list();
        }
        Kind::Messages(schema) => {
            o.open_list();
            for item in by_id(v) {
                write(item, schema, o);
            }
            o.close_list();
        }
    }
}

/// The value if it is one of `values`, else `"unknown"`.
#[cfg_attr(optimize_hot, optimize(speed))]
pub fn one_of(v: Node<'_>, values: &'static [&'static str]) -> &'static str {
    let s = v.as_str();
    let known = s.as_deref().and_then(|s| values.iter().find(|k| **k == s));
    known.copied().unwrap_or("unknown")
}

/// `message_type` as JavaScript's name for it.
#[cfg_attr(optimize_hot, optimize(speed))]
pub fn message_type(v: Node<'_>) -> &'static str {
    let by_number = v
        .id()
        .and_then(|n| usize::try_from(n).ok())
        .and_then(|n| MESSAGE_TYPES.get(n));
    let by_name = v
        .as_str()
        .and_then(|s| MESSAGE_TYPES.iter().find(|k| **k == s));
    by_number.or(by_name).copied().unwrap_or("unknown")
}

/// The items of an array with an `id`, ordered by id; of a repeated id the last copy.
#[cfg_attr(optimize_hot, optimize(speed))]
pub fn by_id(list: Node<'_>) -> Vec<Node<'_>> {
    let mut keyed: Vec<(i64, usize, Node<'_>)> = list
        .items()
        .enumerate()
        .filter_map(|(i, n)| Some((n.get("id").id()?, i, n)))
        .collect();
    sort_by_key(&mut keyed, |(id, i, _)| (*id, *i));
    let mut out: Vec<Node<'_>> = Vec::with_capacity(keyed.len());
    let mut last_id = None;
    for (id, _, n) in keyed {
        if last_id == Some(id) {
            out.pop();
        }
        out.push(n);
        last_id = Some(id);
    }
    out
}

/// Sorts in place by `key` (heapsort: small code, O(n log n), no allocation; input
/// that is already in order, the usual case, is left as it is after one scan).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    let sorted = v.windows(2).all(|w| match w {
        [a, b] => key(a) <= key(b),
        _ => true,
    });
    if sorted {
        return;
    }
    let len = v.len();
    let sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let left = root.saturating_mul(2).saturating_add(1);
        if left >= end {
            break;
        }
        let right = left.saturating_add(1);
        let child = match (v.get(left), v.get(right)) {
            (Some(l), Some(r)) if right < end && key(l) < key(r) => right,
            _ => left,
        };
        match (v.get(root), v.get(child)) {
            (Some(r), Some(c)) if key(r) < key(c) => {
                v.swap(root, child);
                root = child;
            }
            _ => break,
        }
    };
    for start in (0..len / 2).rev() {
        sift(v, start, len);
    }
    for end in (1..len).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heapsort_orders_and_keeps_sorted_input() {
        let mut v = vec![5, 3, 9, 1, 1, 7, 0, 8, 2, 6, 4];
        sort_by_key(&mut v, |x| *x);
        assert_eq!(v, [0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        let mut big: Vec<i64> = (0..1000).rev().collect();
        sort_by_key(&mut big, |x| *x);
        assert!(big.windows(2).all(|w| w[0] <= w[1]));
        let mut empty: Vec<i64> = Vec::new();
        sort_by_key(&mut empty, |x| *x);
    }
}
