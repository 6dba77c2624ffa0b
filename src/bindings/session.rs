//! `ChatSession` (SPEC §4): the widget engine's handle. Its rules live in the machine;
//! this class hands calls over, keeps the listeners, and caches the snapshot by version.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::args::{files, function, get, options, plain};
use super::snapshot::Shared;
use crate::chat::Event;
use crate::driver::storage::Storage;
use crate::driver::{js, Driver, Emit, Io, Rec};
use crate::error::{Error, ErrorCode};

#[derive(Default)]
struct Listeners {
    next: u32,
    list: Vec<(u32, String, Function)>,
}

/// Calls the listeners of `kind`; a throwing listener is reported on `error` and
/// never breaks the SDK.
fn dispatch(listeners: &Rc<RefCell<Listeners>>, kind: &str, event: &JsValue) {
    let matching: Vec<Function> = listeners
        .borrow()
        .list
        .iter()
        .filter(|(_, t, _)| t == kind)
        .map(|(_, _, f)| f.clone())
        .collect();
    for f in matching {
        let result = if kind == "change" {
            f.call0(&JsValue::UNDEFINED)
        } else {
            f.call1(&JsValue::UNDEFINED, event)
        };
        if let (Err(thrown), false) = (result, kind == "error") {
            let e = Error::new(
                ErrorCode::Listener,
                ["an event listener threw: ", &js::message_of(&thrown)].concat(),
            );
            let event = js::event(&Event::Error { error: Some(e) });
            let listeners = Rc::clone(listeners);
            wasm_bindgen_futures::spawn_local(async move {
                dispatch(&listeners, "error", &event);
            });
        }
    }
}

use wasm_bindgen::JsCast;

/// A live chat for one visitor: the socket, the threads, optimistic sends.
#[wasm_bindgen]
pub struct ChatSession {
    d: Driver,
    listeners: Rc<RefCell<Listeners>>,
    snapshot: RefCell<Option<(u64, JsValue)>>,
    /// The objects of the last snapshot, reused where nothing changed.
    shared: RefCell<Shared>,
    inbox: RefCell<Option<JsValue>>,
    /// What a closed session still shows: its contact and last snapshot.
    closed: RefCell<Option<(JsValue, JsValue)>>,
    next_files: Cell<u32>,
    /// `tabs: "shared"` took effect.
    tabs_shared: bool,
}

fn no_args() -> Value {
    Value::Array(Vec::new())
}

fn args(list: &[&JsValue]) -> Result<Value, JsValue> {
    list.iter()
        .map(|a| plain(a))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

impl ChatSession {
    fn call(&self, method: &str, list: &[&JsValue]) -> Promise {
        match args(list) {
            Ok(a) => self.d.call_async(method, &a, Rec::default()),
            Err(e) => Promise::reject(&e),
        }
    }

    fn sync(&self, method: &str, list: &[&JsValue]) -> Result<JsValue, JsValue> {
        self.d.call_sync(method, &args(list)?)
    }

    async fn open(options: JsValue) -> Result<JsValue, JsValue> {
        if !options.is_object() {
            return Err(js::invalid(
                "ChatSession.start needs { baseUrl, inboxIdentifier }",
            ));
        }
        let storage = Storage::from_option(&get(&options, "storage")).ok_or_else(|| {
            js::invalid(
                "storage must be \"local\", \"session\", \"memory\" or { getItem, setItem, removeItem }",
            )
        })?;
        let fetch = function(&get(&options, "fetch"), "fetch")?;
        let injected = get(&options, "WebSocket");
        let websocket = if injected.is_undefined() || injected.is_null() {
            None
        } else {
            Some(
                injected
                    .dyn_into::<Function>()
                    .map_err(|_| js::invalid("WebSocket must be a constructor"))?,
            )
        };
        let global = get(&js_sys::global().into(), "WebSocket");
        let realtime = get(&options, "realtime") != JsValue::FALSE;
        if realtime && websocket.is_none() && !global.is_function() {
            return Err(js::invalid(
                "no WebSocket here: pass { WebSocket } (in Node, from the \"ws\" package) or { realtime: false }",
            ));
        }
        // gloo-net takes the platform's WebSocket; a global that is not an EventTarget
        // (the "ws" package put there by a Node program) is driven like an injected one.
        // (It also builds a `CloseEvent` when dropped: Node 22's global WebSocket has no
        // global CloseEvent beside it.)
        let event_target = get(&get(&global, "prototype"), "dispatchEvent").is_function()
            && get(&js_sys::global().into(), "CloseEvent").is_function();
        let websocket = match websocket {
            None if global.is_function() && !event_target => global.dyn_into::<Function>().ok(),
            w => w,
        };
        let mut data = options_without(&options)?;
        // Shared tabs: asked for (the default), where the platform has what they need,
        // and only with a storage the tabs share (in memory or in sessionStorage each
        // tab is its own visitor, or a copy of one).
        let tabs = get(&options, "tabs");
        let wanted = tabs.is_undefined() || tabs.as_string().as_deref() == Some("shared");
        let per_tab = get(&options, "storage").as_string().as_deref() == Some("session");
        let tabs_shared = wanted
            && realtime
            && !per_tab
            && matches!(storage, Storage::Js(_))
            && crate::driver::tabs::available();
        if wanted || tabs.as_string().as_deref() == Some("own") {
            if let Value::Object(map) = &mut data {
                let mode = if tabs_shared { "shared" } else { "own" };
                map.insert("tabs".to_owned(), Value::String(mode.to_owned()));
            }
        }
        let d = Driver::new(
            "session",
            &data,
            Io {
                fetch,
                websocket,
                storage: Some(storage),
            },
        )
        .map_err(|e| js::error(&e))?;
        let listeners = Rc::new(RefCell::new(Listeners::default()));
        let l = Rc::clone(&listeners);
        d.set_sink(Rc::new(move |e: Emit| match e {
            Emit::Event(event) => {
                let kind = get(&event, "type").as_string().unwrap_or_default();
                dispatch(&l, &kind, &event);
            }
            Emit::Change => dispatch(&l, "change", &JsValue::UNDEFINED),
        }));
        let started = d.call_async("start", &no_args(), Rec::default());
        if let Err(e) = wasm_bindgen_futures::JsFuture::from(started).await {
            d.dispose();
            return Err(e);
        }
        Ok(ChatSession {
            d,
            listeners,
            snapshot: RefCell::new(None),
            shared: RefCell::new(Shared::default()),
            inbox: RefCell::new(None),
            closed: RefCell::new(None),
            next_files: Cell::new(1),
            tabs_shared,
        }
        .into())
    }
}

fn options_without(o: &JsValue) -> Result<Value, JsValue> {
    options(o, &["fetch", "WebSocket", "storage"])
}

#[wasm_bindgen]
impl ChatSession {
    /// Opens (or resumes) the contact session and connects; resolves to the session.
    pub fn start(options: JsValue) -> Promise {
        wasm_bindgen_futures::future_to_promise(ChatSession::open(options))
    }

    /// The inbox's details.
    #[wasm_bindgen(getter)]
    pub fn inbox(&self) -> Result<JsValue, JsValue> {
        if let Some(inbox) = self.inbox.borrow().as_ref() {
            return Ok(inbox.clone());
        }
        let inbox = self.sync("inbox", &[])?;
        *self.inbox.borrow_mut() = Some(inbox.clone());
        Ok(inbox)
    }

    /// The contact session (changes after `identify()` and `reset()`).
    #[wasm_bindgen(getter)]
    pub fn contact(&self) -> Result<JsValue, JsValue> {
        if let Some((contact, _)) = self.closed.borrow().as_ref() {
            return Ok(contact.clone());
        }
        self.sync("contact", &[])
    }

    /// Shared tabs: `"leader"` (this tab holds the socket of the visitor's tabs),
    /// `"follower"` (the leader's socket, relayed), or `"own"` (a socket of its own).
    #[wasm_bindgen(getter)]
    pub fn tab(&self) -> JsValue {
        let tab = if !self.tabs_shared || self.closed.borrow().is_some() {
            "own"
        } else {
            self.d.tab().unwrap_or("follower")
        };
        JsValue::from_str(tab)
    }

    /// `connecting`, `open`, `reconnecting`, `offline` or `closed`.
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> Result<JsValue, JsValue> {
        if self.closed.borrow().is_some() {
            return Ok(JsValue::from_str("closed"));
        }
        self.sync("state", &[])
    }

    /// Adds a listener for one event type (or `"change"`); returns an id for
    /// `removeListener`.
    #[wasm_bindgen(js_name = addListener)]
    pub fn add_listener(&self, kind: String, listener: Function) -> u32 {
        let mut l = self.listeners.borrow_mut();
        l.next = l.next.wrapping_add(1);
        let id = l.next;
        l.list.push((id, kind, listener));
        id
    }

    /// Removes a listener added with `addListener`.
    #[wasm_bindgen(js_name = removeListener)]
    pub fn remove_listener(&self, id: u32) {
        self.listeners
            .borrow_mut()
            .list
            .retain(|(i, _, _)| *i != id);
    }

    /// A stable snapshot of everything a UI shows, a new object only when something
    /// changed.
    #[wasm_bindgen(js_name = getSnapshot)]
    pub fn get_snapshot(&self) -> Result<JsValue, JsValue> {
        if let Some((_, snapshot)) = self.closed.borrow().as_ref() {
            return Ok(snapshot.clone());
        }
        let version = self.d.version();
        if let Some((v, s)) = self.snapshot.borrow().as_ref() {
            if *v == version {
                return Ok(s.clone());
            }
        }
        let built = self.d.with_machine(|m| {
            let (state, contact, core) = m.session()?.view();
            Some(self.shared.borrow_mut().build(state, contact, core))
        });
        let s = built.flatten().ok_or_else(js::closed)?;
        *self.snapshot.borrow_mut() = Some((version, s.clone()));
        Ok(s)
    }

    /// The current, ordered, de-duplicated messages of a conversation (reads its
    /// newest page on first use).
    pub fn messages(&self, conversation_id: JsValue) -> Result<JsValue, JsValue> {
        self.sync("messages", &[&conversation_id])
    }

    /// Reads the next older page; resolves `false` when the start was reached.
    #[wasm_bindgen(js_name = loadOlder)]
    pub fn load_older(&self, conversation_id: JsValue) -> Promise {
        self.call("loadOlder", &[&conversation_id])
    }

    /// The session's conversations, read from the server.
    #[wasm_bindgen(js_name = listConversations)]
    pub fn list_conversations(&self) -> Promise {
        self.call("listConversations", &[])
    }

    /// Starts a conversation (`conversation.created` fires).
    #[wasm_bindgen(js_name = startConversation)]
    pub fn start_conversation(&self, input: JsValue) -> Promise {
        self.call("startConversation", &[&input])
    }

    /// Sends optimistically: returns the local message at once; `message.sent` or
    /// `message.failed` follows.
    pub fn send(&self, conversation_id: JsValue, input: JsValue) -> Result<JsValue, JsValue> {
        if !input.is_object() {
            return self.sync("send", &[&conversation_id, &input]);
        }
        let list = files(&get(&input, "attachments"))?;
        let data = Object::new();
        let _ = Reflect::set(&data, &"content".into(), &get(&input, "content"));
        let mut key = None;
        let sent: Rc<RefCell<Option<(JsValue, JsValue)>>> = Rc::new(RefCell::new(None));
        if let Some(list) = list.filter(|l| l.length() > 0) {
            let n = self.next_files.get();
            self.next_files.set(n.wrapping_add(1));
            let k = ["f", &n.to_string()].concat();
            let described: js_sys::Array = list
                .iter()
                .map(|f| {
                    let d = Object::new();
                    let _ = Reflect::set(&d, &"type".into(), &get(&f, "type"));
                    let _ = Reflect::set(&d, &"size".into(), &get(&f, "size"));
                    JsValue::from(d)
                })
                .collect();
            let _ = Reflect::set(&data, &"attachments".into(), &described);
            let _ = Reflect::set(&data, &"files".into(), &JsValue::from_str(&k));
            // The upload's progress, as `message.progress` events (retries included).
            let listeners = Rc::clone(&self.listeners);
            let about = Rc::clone(&sent);
            let progress = Rc::new(move |update: JsValue| {
                let Some((conversation, echo)) = about.borrow().clone() else {
                    return;
                };
                let event = Object::new();
                let _ = Reflect::set(&event, &"type".into(), &"message.progress".into());
                let _ = Reflect::set(&event, &"conversationId".into(), &conversation);
                let _ = Reflect::set(&event, &"echoId".into(), &echo);
                let _ = Reflect::set(&event, &"loaded".into(), &get(&update, "loaded"));
                let _ = Reflect::set(&event, &"total".into(), &get(&update, "total"));
                dispatch(&listeners, "message.progress", &event);
            });
            self.d.keep_files(&k, list, Some(progress));
            key = Some(k);
        }
        match self.sync("send", &[&conversation_id, &data.into()]) {
            Ok(message) => {
                let conversation = get(&message, "conversationId");
                let conversation = if conversation.is_undefined() || conversation.is_null() {
                    conversation_id
                } else {
                    conversation
                };
                *sent.borrow_mut() = Some((conversation, get(&message, "echoId")));
                Ok(message)
            }
            Err(e) => {
                if let Some(k) = key {
                    self.d.drop_files(&k);
                }
                Err(e)
            }
        }
    }

    /// Sends a failed message again, unless the server already holds it.
    pub fn retry(&self, echo_id: JsValue) -> Promise {
        self.call("retry", &[&echo_id])
    }

    /// Drops a queued or failed message (from the view and the outbox): `true` if there
    /// was one with that echo id.
    pub fn discard(&self, echo_id: JsValue) -> Result<JsValue, JsValue> {
        self.sync("discard", &[&echo_id])
    }

    /// The user is typing: `on` at most every 3 s, `off` after 5 s idle.
    pub fn typing(&self, conversation_id: JsValue) -> Result<(), JsValue> {
        self.sync("typing", &[&conversation_id]).map(drop)
    }

    /// The user stopped typing: `off` now if it was on.
    #[wasm_bindgen(js_name = stopTyping)]
    pub fn stop_typing(&self, conversation_id: JsValue) -> Result<(), JsValue> {
        self.sync("stopTyping", &[&conversation_id]).map(drop)
    }

    /// The user sees the conversation: `update_last_seen`, debounced.
    #[wasm_bindgen(js_name = markSeen)]
    pub fn mark_seen(&self, conversation_id: JsValue) -> Result<(), JsValue> {
        self.sync("markSeen", &[&conversation_id]).map(drop)
    }

    /// Resolves the conversation.
    pub fn resolve(&self, conversation_id: JsValue) -> Promise {
        self.call("resolve", &[&conversation_id])
    }

    /// Answers an interactive message (`input_select`, `form`, `cards`, CSAT).
    #[wasm_bindgen(js_name = submitReply)]
    pub fn submit_reply(
        &self,
        conversation_id: JsValue,
        message_id: JsValue,
        submitted_values: JsValue,
    ) -> Promise {
        self.call(
            "submitReply",
            &[&conversation_id, &message_id, &submitted_values],
        )
    }

    /// Becomes the identified user and re-subscribes with the new token.
    pub fn identify(&self, user: JsValue) -> Promise {
        self.call("identify", &[&user])
    }

    /// Forgets the stored session and continues as a new anonymous contact.
    pub fn reset(&self) -> Promise {
        self.call("reset", &[])
    }

    /// Closes the socket and stops every timer; the session cannot be used afterwards.
    pub fn close(&self) -> Result<(), JsValue> {
        if self.closed.borrow().is_some() || self.d.is_retired() {
            return Ok(());
        }
        self.sync("close", &[])?;
        let contact = self.contact()?;
        let snapshot = self.get_snapshot()?;
        let _ = self.inbox();
        *self.closed.borrow_mut() = Some((contact, snapshot));
        // What a closed session still shows stays; its memory goes back at once.
        self.d.retire();
        Ok(())
    }
}
