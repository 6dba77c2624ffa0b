//! `getSnapshot()` with structural sharing: a message, conversation or thread that did
//! not change keeps the object JavaScript already holds, so `React.memo` and
//! `useSyncExternalStore` selectors see what changed and nothing else. Only new or
//! changed values are converted; the rest is compared in Rust and reused.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::driver::js;
use crate::model::{ContactSession, Conversation, Message};
use crate::session::{Core, IdMap};

/// The objects of the last snapshot, by id, with the values they were made from.
#[derive(Default)]
pub struct Shared {
    messages: IdMap<(Message, JsValue)>,
    threads: IdMap<(Vec<i64>, JsValue)>,
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

        // Every thread asked for, also of a conversation the list has not shown yet.
        let threads_o = Object::new();
        let history = Object::new();
        let mut messages = IdMap::default();
        let mut threads = IdMap::default();
        for (conv, t) in core.threads() {
            let (mut ids, mut items, mut same) = (Vec::new(), Vec::new(), true);
            for m in t.snapshot() {
                let (js, reused) = reuse(&mut self.messages, &mut messages, m.id, m);
                same &= reused;
                ids.push(m.id);
                items.push(js);
            }
            let thread = array(self.threads.get(conv), ids, items, same);
            let key = conv.to_string();
            set(&threads_o, &key, &thread.1);
            threads.insert(conv, thread);
            let h = Object::new();
            set(&h, "loaded", &JsValue::from_bool(t.loaded()));
            set(&h, "atStart", &JsValue::from_bool(t.at_start()));
            set(&history, &key, &h);
        }
        self.messages = messages;
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
