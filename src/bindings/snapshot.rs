//! `getSnapshot()` with structural sharing: a message, conversation or thread that did
//! not change keeps the object JavaScript already holds, so `React.memo` and
//! `useSyncExternalStore` selectors see what changed and nothing else. Only new or
//! changed values are converted; the rest is compared in Rust and reused.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::chat::{Core, IdMap, Thread};
use crate::driver::js;
use crate::model::{ContactSession, Conversation, Message};

/// What a message's object was made from: a stored message's change stamp, or a send
/// not yet confirmed, whole.
#[derive(PartialEq)]
enum Made {
    Stamp(u64),
    Local(Box<Message>),
}

impl Made {
    fn of(m: &Message, stamp: Option<u64>) -> Made {
        match stamp {
            Some(s) => Made::Stamp(s),
            None => Made::Local(Box::new(m.clone())),
        }
    }

    fn is(&self, m: &Message, stamp: Option<u64>) -> bool {
        match (self, stamp) {
            (Made::Stamp(a), Some(b)) => *a == b,
            (Made::Local(was), None) => **was == *m,
            _ => false,
        }
    }
}

/// A message in a snapshot: its id, what its object was made from, the object.
type Item = (i64, Made, JsValue);

/// The objects of the last snapshot, with what they were made from.
#[derive(Default)]
pub struct Shared {
    /// By conversation: its messages in order (id, made from, object), and their array.
    /// (And the thread's own stamp and its last change's then.)
    threads: IdMap<(Vec<Item>, JsValue, u64, u64)>,
    conversations: IdMap<(Conversation, JsValue)>,
    list: Option<(Vec<i64>, JsValue)>,
}

fn set(o: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(key), value);
}

/// The object for `value`: the old one when `value` did not change.
fn reuse<T: Clone + PartialEq + serde::Serialize>(
    old: &mut IdMap<(T, JsValue)>,
    next: &mut IdMap<(T, JsValue)>,
    id: i64,
    value: &T,
) -> (JsValue, bool) {
    match old.remove(id) {
        Some((was, js)) if was == *value => {
            next.insert(id, (was, js.clone()));
            (js, true)
        }
        _ => {
            let js = js::to_js(value);
            next.insert(id, (value.clone(), js.clone()));
            (js, false)
        }
    }
}

/// An array of `items`, or the old one when it holds the same objects.
fn array(
    old: Option<&(Vec<i64>, JsValue)>,
    ids: Vec<i64>,
    items: Vec<JsValue>,
    same: bool,
) -> (Vec<i64>, JsValue) {
    match old {
        Some((was, js)) if same && *was == ids => (ids, js.clone()),
        _ => (ids, items.into_iter().collect::<Array>().into()),
    }
}

impl Shared {
    /// The snapshot of `core` (with the connection `state` and the `contact`).
    pub fn build(&mut self, state: &str, contact: Option<&ContactSession>, core: &Core) -> JsValue {
        let o = Object::new();
        set(&o, "state", &JsValue::from_str(state));
        set(&o, "contact", &js::to_js(&contact));

        let mut conversations = IdMap::default();
        let (mut ids, mut items, mut same) = (Vec::new(), Vec::new(), true);
        for c in core.conversations() {
            let (js, reused) = reuse(&mut self.conversations, &mut conversations, c.id, c);
            same &= reused;
            ids.push(c.id);
            items.push(js);
        }
        let list = array(self.list.as_ref(), ids, items, same);
        set(&o, "conversations", &list.1);
        self.list = Some(list);
        self.conversations = conversations;

        // Every thread asked for, also of a conversation the list has not shown yet. A
        // thread's old objects are walked in step with its messages by their change
        // stamps: one integer comparison per message, and the old array extended when
        // messages only arrived at its end.
        let threads_o = Object::new();
        let history = Object::new();
        let mut threads = IdMap::default();
        for (conv, t) in core.threads() {
            let (items, array) = match self.threads.remove(conv) {
                Some((old, array, born, seen)) if born == t.born() => {
                    thread_again(old, array, seen, t)
                }
                _ => thread_new(t.stamped()),
            };
            let key = conv.to_string();
            set(&threads_o, &key, &array);
            threads.insert(conv, (items, array, t.born(), t.last_stamp()));
            let h = Object::new();
            set(&h, "loaded", &JsValue::from_bool(t.loaded()));
            set(&h, "atStart", &JsValue::from_bool(t.at_start()));
            set(&history, &key, &h);
        }
        self.threads = threads;
        set(&o, "messages", &threads_o);
        set(&o, "history", &history);

        let typing = Object::new();
        for (conv, user) in core.typing() {
            set(&typing, &conv.to_string(), &js::to_js(&user));
        }
        set(&o, "typing", &typing);
        let agents = Object::new();
        for (id, status) in core.agents() {
            set(&agents, id, &JsValue::from_str(status));
        }
        set(&o, "agents", &agents);
        o.into()
    }
}

/// A thread's array made anew.
fn thread_new<'a>(
    messages: impl Iterator<Item = (&'a Message, Option<u64>)>,
) -> (Vec<Item>, JsValue) {
    let messages: Vec<(&Message, Option<u64>)> = messages.collect();
    let array = objects(&messages);
    let items: Vec<Item> = messages
        .iter()
        .zip(array.iter())
        .map(|((m, stamp), js)| (m.id, Made::of(m, *stamp), js))
        .collect();
    (items, array.into())
}

/// The objects of `messages`, in one array: one JSON text read by one `JSON.parse`.
/// A first snapshot of a thread of 2,000 messages measured 5.1 ms this way, 6.0 ms
/// through serde-wasm-bindgen and 8.7 ms with a text per message (medians of 9, the
/// builds side by side in one page).
fn objects(messages: &[(&Message, Option<u64>)]) -> Array {
    let all: Vec<&Message> = messages.iter().map(|(m, _)| *m).collect();
    match js::to_js(&all).dyn_into::<Array>() {
        Ok(array) if array.length() as usize == all.len() => array,
        _ => all.iter().map(js::to_js).collect(),
    }
}

/// A thread's array again: the same one when nothing changed; the old one extended
/// when messages only arrived at its end; else one made of the old objects of what did
/// not change and new ones for the rest.
fn thread_again(
    old: Vec<Item>,
    array: JsValue,
    seen: u64,
    thread: &Thread,
) -> (Vec<Item>, JsValue) {
    // Nothing but new messages at the end since the last snapshot: only those are read.
    let last = old
        .last()
        .map(|(id, made, _)| (*id, matches!(made, Made::Stamp(_))));
    if let Some((last, true)) = last {
        if thread.only_added_above(seen, last) {
            let added: Vec<(&Message, Option<u64>)> = thread
                .stamped_above(last)
                .map(|(m, stamp)| (m, Some(stamp)))
                .collect();
            return extend(old, array, &added);
        }
    }
    let mut walk = thread.stamped();
    let unchanged_prefix = old.iter().all(|(id, made, _)| {
        walk.next()
            .is_some_and(|(m, stamp)| m.id == *id && made.is(m, stamp))
    });
    if unchanged_prefix {
        let added: Vec<(&Message, Option<u64>)> = walk.collect();
        return extend(old, array, &added);
    }
    // Walked in step (both ascending by id, sends not yet confirmed last).
    let mut old = old.into_iter().peekable();
    let mut items: Vec<Item> = Vec::new();
    for (m, stamp) in thread.stamped() {
        while old.next_if(|(id, _, _)| *id < m.id).is_some() {}
        match old.next_if(|(id, made, _)| *id == m.id && made.is(m, stamp)) {
            Some(item) => items.push(item),
            None => items.push((m.id, Made::of(m, stamp), js::to_js(m))),
        }
    }
    let array = items.iter().map(|(_, _, js)| js.clone()).collect::<Array>();
    (items, array.into())
}

/// The old array extended by the objects of `added` (the same array when none was).
fn extend(
    mut old: Vec<Item>,
    array: JsValue,
    added: &[(&Message, Option<u64>)],
) -> (Vec<Item>, JsValue) {
    if added.is_empty() {
        return (old, array);
    }
    let objects = objects(added);
    for ((m, stamp), js) in added.iter().zip(objects.iter()) {
        old.push((m.id, Made::of(m, *stamp), js));
    }
    // (`concat` on the array itself: `Array::from` would copy it once more first.)
    let joined = match array.dyn_ref::<Array>() {
        Some(array) => array.concat(&objects),
        None => old.iter().map(|(_, _, js)| js.clone()).collect(),
    };
    (old, joined.into())
}
