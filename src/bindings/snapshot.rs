//! `getSnapshot()` with structural sharing: a message, conversation or thread that did
//! not change keeps the object JavaScript already holds, so `React.memo` and
//! `useSyncExternalStore` selectors see what changed and nothing else. Only new or
//! changed values are converted; the rest is compared in Rust and reused.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::driver::js;
use crate::model::{ContactSession, Conversation, Message};
use crate::session::{Core, IdMap};

/// The objects of the last snapshot, with the values they were made from.
#[derive(Default)]
pub struct Shared {
    /// By conversation: its messages in order, and their array.
    threads: IdMap<(Vec<(Message, JsValue)>, JsValue)>,
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
        // thread's old objects are walked in step with its messages (both ascending), so
        // this costs one comparison per message and no copy of the unchanged ones.
        let threads_o = Object::new();
        let history = Object::new();
        let mut threads = IdMap::default();
        for (conv, t) in core.threads() {
            let (old, old_array) = match self.threads.remove(conv) {
                Some((items, array)) => (items, Some(array)),
                None => (Vec::new(), None),
            };
            let mut same = old_array.is_some() && old.len() == t.len();
            let mut old = old.into_iter().peekable();
            let mut items: Vec<(Message, JsValue)> = Vec::with_capacity(t.len());
            for m in t.snapshot() {
                while old.next_if(|(was, _)| was.id < m.id).is_some() {
                    same = false;
                }
                match old.next_if(|(was, _)| was.id == m.id) {
                    Some((was, js)) if was == *m => items.push((was, js)),
                    _ => {
                        same = false;
                        items.push((m.clone(), js::to_js(m)));
                    }
                }
            }
            let array = match old_array {
                Some(array) if same => array,
                _ => items
                    .iter()
                    .map(|(_, js)| js.clone())
                    .collect::<Array>()
                    .into(),
            };
            let key = conv.to_string();
            set(&threads_o, &key, &array);
            threads.insert(conv, (items, array));
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
