//! `ChatSession` (SPEC §4): the pure engine of [`crate::session`] and
//! [`crate::realtime`] driven by real I/O: `fetch`, a WebSocket, one timer, storage,
//! and the page's `online`/`visibilitychange` events.
//!
//! Rules that keep it sound: the state sits in one `RefCell` that is never held across
//! an `await` or a call into user code; events queue up inside it and are dispatched by
//! [`flush`] after it is released; callbacks hold a `Weak` so a dropped session frees
//! everything; results of calls made for an earlier contact (before `identify`/`reset`)
//! are dropped by comparing an epoch.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

use super::args::{self, field};
use super::call::{call, from_json, promise, spawn};
use super::errors::to_js;
use crate::api::{self, contacts::ContactInput, contacts::Identity};
use crate::error::{Error, ErrorCode};
use crate::model::{
    message_list, schema, ContactSession, Conversation, Local, Message, MessageStatus, INBOX,
};
use crate::realtime::{Action, Cable, Frame, Push, Timing};
use crate::session::event::write_agents;
use crate::session::{storage_key, Change, Core, Event, IdMap, Pending, Toggle, TypingOut};
use crate::transport::{self, sleep, CallOptions, Handler, Socket, SocketEvent, Timer, Transport};
use crate::wire::json::Doc;
use crate::wire::out::{int_text, Out};

const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
const DEFAULT_RETRIES: u32 = 2;
/// `markSeen` calls within this window are sent once.
const SEEN_DEBOUNCE_MS: u64 = 300;
/// Safety bound on `before` pages in one catch-up (20 000 messages).
const MAX_CATCH_UP_PAGES: usize = 1_000;

fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// Where the session is remembered.
enum Storage {
    Memory(RefCell<Vec<(String, String)>>),
    Js(JsValue),
}

impl Storage {
    fn from_option(v: &JsValue) -> Result<Storage, Error> {
        let global = js_sys::global();
        let named = |name: &str| -> Option<Storage> {
            // Reading `localStorage` throws in sandboxed frames: fall back to memory.
            let s = Reflect::get(&global, &name.into()).ok()?;
            s.is_object().then_some(Storage::Js(s))
        };
        let memory = || Storage::Memory(RefCell::new(Vec::new()));
        if v.is_undefined() || v.is_null() {
            return Ok(named("localStorage").unwrap_or_else(memory));
        }
        if let Some(name) = v.as_string() {
            return match name.as_str() {
                "local" => Ok(named("localStorage").unwrap_or_else(memory)),
                "session" => Ok(named("sessionStorage").unwrap_or_else(memory)),
                "memory" => Ok(memory()),
                _ => Err(Error::invalid_argument(
                    "storage must be \"local\", \"session\", \"memory\" or { getItem, setItem, removeItem }",
                )),
            };
        }
        let has = |m: &str| field(v, m).is_function();
        if has("getItem") && has("setItem") && has("removeItem") {
            return Ok(Storage::Js(v.clone()));
        }
        Err(Error::invalid_argument(
            "storage must be \"local\", \"session\", \"memory\" or { getItem, setItem, removeItem }",
        ))
    }

    fn invoke(&self, method: &str, args: &Array) -> Option<JsValue> {
        let Storage::Js(obj) = self else { return None };
        let f = field(obj, method).dyn_into::<Function>().ok()?;
        f.apply(obj, args).ok()
    }

    /// The stored value; an async storage (a Promise) is awaited.
    async fn get(&self, key: &str) -> Option<String> {
        if let Storage::Memory(m) = self {
            let m = m.try_borrow().ok()?;
            return m.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        }
        let v = self.invoke("getItem", &Array::of1(&key.into()))?;
        let v = match v.dyn_into::<Promise>() {
            Ok(p) => JsFuture::from(p).await.ok()?,
            Err(v) => v,
        };
        v.as_string()
    }

    fn set(&self, key: &str, value: &str) {
        if let Storage::Memory(m) = self {
            if let Ok(mut m) = m.try_borrow_mut() {
                m.retain(|(k, _)| k != key);
                m.push((key.to_owned(), value.to_owned()));
            }
            return;
        }
        // Quota errors and the like: the session still works, it is just not remembered.
        let _ = self.invoke("setItem", &Array::of2(&key.into(), &value.into()));
    }

    fn remove(&self, key: &str) {
        if let Storage::Memory(m) = self {
            if let Ok(mut m) = m.try_borrow_mut() {
                m.retain(|(k, _)| k != key);
            }
            return;
        }
        let _ = self.invoke("removeItem", &Array::of1(&key.into()));
    }
}

struct Listener {
    id: u32,
    kind: String,
    f: Function,
}

struct St {
    core: Core,
    contact: ContactSession,
    identifier: Option<String>,
    epoch: u64,
    closed: bool,
    cable: Option<Cable>,
    socket: Option<Socket>,
    timer: Option<(u64, Timer)>,
    lost_count: u64,
    typing_out: IdMap<TypingOut>,
    seen_due: IdMap<u64>,
    /// The files of sends in flight, by echo id, for `retry`.
    files: Vec<(String, i64, Vec<Blob>)>,
    loading: Vec<i64>,
    catching_up: Vec<i64>,
    catch_up_again: Vec<i64>,
    listeners: Vec<Listener>,
    next_listener: u32,
    notified: u64,
    snapshot: Option<(u64, JsValue)>,
    /// The page-event listener and where it is registered.
    dom: Option<(Handler, Vec<(JsValue, &'static str)>)>,
}

struct Shared {
    transport: Transport,
    inbox_identifier: String,
    base_url: String,
    inbox_js: JsValue,
    storage: Storage,
    ws_ctor: Option<Function>,
    st: RefCell<St>,
}

impl Shared {
    /// Runs `f` on the state; `None` only if it is already borrowed (never expected:
    /// no user code runs while it is).
    fn with<R>(&self, f: impl FnOnce(&mut St) -> R) -> Option<R> {
        self.st.try_borrow_mut().ok().map(|mut st| f(&mut st))
    }

    fn opts(&self) -> CallOptions {
        CallOptions::default()
    }
}

/// The stateful widget engine: one contact session on one inbox, kept in sync in
/// real time, with optimistic sends. Create it with `await ChatSession.start({...})`.
#[wasm_bindgen]
pub struct ChatSession {
    shared: Rc<Shared>,
}

// ----- start ---------------------------------------------------------------------------

struct StartOptions {
    transport: Transport,
    base_url: String,
    inbox: String,
    user: Option<ContactInput>,
    storage: Storage,
    realtime: bool,
    ws_ctor: Option<Function>,
}

fn start_options(o: &JsValue) -> Result<StartOptions, Error> {
    if !o.is_object() {
        return Err(Error::invalid_argument(
            "ChatSession.start needs { baseUrl, inboxIdentifier }",
        ));
    }
    let base_url = args::base_url(&field(o, "baseUrl"))?;
    let inbox = args::string(&field(o, "inboxIdentifier"), "inboxIdentifier")?;
    api::path::segment("inboxIdentifier", &inbox)?;
    let user_v = field(o, "user");
    let user = if user_v.is_undefined() || user_v.is_null() {
        None
    } else {
        let user = args::read(&user_v, "user", ContactInput::read)?;
        if user.identifier.as_deref().is_none_or(str::is_empty) {
            return Err(Error::invalid_argument(
                "user.identifier must be a non-empty string",
            ));
        }
        Some(user)
    };
    let realtime = field(o, "realtime");
    let realtime = match realtime.as_bool() {
        Some(b) => b,
        None if realtime.is_undefined() => true,
        None => return Err(Error::invalid_argument("realtime must be a boolean")),
    };
    let ws_ctor = args::opt_function(&field(o, "WebSocket"), "WebSocket")?.or_else(|| {
        Reflect::get(&js_sys::global(), &"WebSocket".into())
            .ok()
            .and_then(|w| w.dyn_into::<Function>().ok())
    });
    if realtime && ws_ctor.is_none() {
        return Err(Error::invalid_argument(
            "no WebSocket here: pass { WebSocket } (in Node, from the \"ws\" package) or { realtime: false }",
        ));
    }
    let retries = args::opt_number(&field(o, "retries"), "retries")?
        .map_or(DEFAULT_RETRIES, |r| r.min(10.0) as u32);
    Ok(StartOptions {
        transport: Transport {
            base_url: base_url.clone(),
            fetch: args::opt_function(&field(o, "fetch"), "fetch")?,
            timeout_ms: args::opt_number(&field(o, "timeoutMs"), "timeoutMs")?
                .unwrap_or(DEFAULT_TIMEOUT_MS),
            retries,
        },
        base_url,
        inbox,
        user,
        storage: Storage::from_option(&field(o, "storage"))?,
        realtime,
        ws_ctor,
    })
}

/// The inbox as JavaScript receives it.
fn read_inbox(n: crate::wire::json::Node<'_>) -> Option<String> {
    let mut o = Out::new();
    schema::write(n, &INBOX, &mut o).then(|| o.finish())
}

/// A model's JSON text as a plain JavaScript value.
fn js_of(write: impl FnOnce(&mut Out)) -> JsValue {
    let mut o = Out::new();
    write(&mut o);
    from_json(o.as_str())
}

/// What is remembered of a session: `{"sourceId":…,"pubsubToken":…}`.
fn stored_text(contact: &ContactSession) -> String {
    let mut o = Out::new();
    o.open()
        .key("sourceId")
        .str(&contact.source_id)
        .key("pubsubToken")
        .str(&contact.pubsub_token)
        .close();
    o.finish()
}

fn stored_source_id(text: &str) -> Option<String> {
    let doc = Doc::parse(text).ok()?;
    doc.root().get("sourceId").non_empty()
}

fn identity_of(user: Option<&ContactInput>) -> Identity {
    Identity {
        identifier: user.and_then(|u| u.identifier.clone()),
        identifier_hash: user.and_then(|u| u.identifier_hash.clone()),
    }
}

/// The stored session if the server still knows it, else a new one (self-healing).
async fn open_contact(
    transport: &Transport,
    storage: &Storage,
    inbox: &str,
    key: &str,
    user: Option<&ContactInput>,
) -> Result<ContactSession, Error> {
    let stored = storage.get(key).await.and_then(|s| stored_source_id(&s));
    if let Some(source_id) = stored {
        let req = api::contacts::get(inbox, &source_id, identity_of(user))?;
        match call(
            transport,
            "contact session",
            &req,
            &[],
            ContactSession::read,
        )
        .await
        {
            Ok(contact) => return Ok(contact),
            Err(e) if e.code == ErrorCode::NotFound => storage.remove(key),
            Err(e) => return Err(e),
        }
    }
    let input = user.cloned().unwrap_or_default();
    let req = api::contacts::create(inbox, input)?;
    let mut contact: ContactSession = call(
        transport,
        "contact session",
        &req,
        &[],
        ContactSession::read,
    )
    .await?;
    if user.is_some() {
        // Create alone does not verify; GET with the hash does (reference §5).
        let req = api::contacts::get(inbox, &contact.source_id, identity_of(user))?;
        contact = call(
            transport,
            "contact session",
            &req,
            &[],
            ContactSession::read,
        )
        .await?;
    }
    storage.set(key, &stored_text(&contact));
    Ok(contact)
}

/// The session's conversations, read from the server.
async fn read_conversations(
    transport: &Transport,
    inbox: &str,
    source: &str,
) -> Result<Vec<Conversation>, Error> {
    let req = api::conversations::list(inbox, source)?;
    call(
        transport,
        "conversation list",
        &req,
        &[],
        Conversation::read_list,
    )
    .await
}

async fn start(o: JsValue) -> Result<ChatSession, Error> {
    let o = start_options(&o)?;
    let inbox: String = call(
        &o.transport,
        "inbox",
        &api::inbox::get(&o.inbox)?,
        &[],
        read_inbox,
    )
    .await?;
    let identifier = o.user.as_ref().and_then(|u| u.identifier.clone());
    let key = storage_key(&o.base_url, &o.inbox, identifier.as_deref());
    let contact = open_contact(&o.transport, &o.storage, &o.inbox, &key, o.user.as_ref()).await?;
    let conversations = read_conversations(&o.transport, &o.inbox, &contact.source_id).await?;
    let mut core = Core::new(&contact.source_id);
    for c in conversations {
        core.on_conversation(c, false);
    }
    let cable = o.realtime.then(|| {
        Cable::new(
            &contact.pubsub_token,
            Timing::default(),
            (js_sys::Math::random() * 9.0e15) as u64,
        )
    });
    let inbox_js = from_json(&inbox);
    let shared = Rc::new(Shared {
        transport: o.transport,
        inbox_identifier: o.inbox,
        base_url: o.base_url,
        inbox_js,
        storage: o.storage,
        ws_ctor: o.ws_ctor,
        st: RefCell::new(St {
            core,
            contact,
            identifier,
            epoch: 0,
            closed: false,
            cable,
            socket: None,
            timer: None,
            lost_count: 0,
            typing_out: IdMap::default(),
            seen_due: IdMap::default(),
            files: Vec::new(),
            loading: Vec::new(),
            catching_up: Vec::new(),
            catch_up_again: Vec::new(),
            listeners: Vec::new(),
            next_listener: 1,
            notified: 0,
            snapshot: None,
            dom: None,
        }),
    });
    let actions = shared
        .with(|st| st.cable.as_mut().map(|c| c.start(now())))
        .flatten()
        .unwrap_or_default();
    if !actions.is_empty() {
        watch_page(&shared);
    }
    drive(&shared, actions);
    rearm(&shared);
    Ok(ChatSession { shared })
}

// ----- the realtime driver -----------------------------------------------------------

/// Carries out the state machine's commands.
fn drive(s: &Rc<Shared>, actions: Vec<Action>) {
    for action in actions {
        match action {
            Action::Open { socket } => open_socket(s, socket),
            Action::Send(text) => {
                s.with(|st| {
                    if let Some(sock) = &st.socket {
                        sock.send(&text);
                    }
                });
            }
            Action::Close => {
                // Dropped outside the borrow: `close()` is a call into JavaScript.
                let old = s.with(|st| st.socket.take()).flatten();
                drop(old);
            }
            Action::State {
                state,
                attempt,
                retry_in_ms,
            } => {
                s.with(|st| {
                    st.core.emit(Event::State {
                        state: state.as_str(),
                        attempt: (attempt > 0).then_some(attempt),
                        retry_in_ms,
                    })
                });
            }
            Action::Subscribed => {
                let ids = s.with(|st| st.core.loaded_threads()).unwrap_or_default();
                for id in ids {
                    spawn_catch_up(s, id);
                }
            }
            Action::Lost => {
                s.with(|st| {
                    st.lost_count = st.lost_count.wrapping_add(1);
                    st.core.lost();
                });
            }
            Action::Deliver => {}
        }
    }
}

fn open_socket(s: &Rc<Shared>, generation: u32) {
    let Some(ctor) = s.ws_ctor.clone() else {
        return;
    };
    let url = cable_url(&s.base_url);
    let old = s.with(|st| st.socket.take()).flatten();
    drop(old);
    match Socket::open(&ctor, &url, handler(s, Source::Socket(generation))) {
        Ok(sock) => {
            s.with(|st| st.socket = Some(sock));
        }
        Err(e) => {
            let actions = s
                .with(|st| {
                    st.core.emit(Event::Error { error: Some(e) });
                    st.cable.as_mut().map(|c| c.on_close(generation, now()))
                })
                .flatten()
                .unwrap_or_default();
            drive(s, actions);
        }
    }
}

/// `http(s)://host` → `ws(s)://host/cable`.
fn cable_url(base: &str) -> String {
    let rest = base.strip_prefix("https://").map(|r| ("wss://", r));
    let (scheme, host) = rest.unwrap_or(("ws://", base.strip_prefix("http://").unwrap_or(base)));
    [scheme, host, "/cable"].concat()
}

fn on_socket(s: &Rc<Shared>, generation: u32, ev: SocketEvent) {
    let t = now();
    let actions = s
        .with(|st| {
            let cable = st.cable.as_mut()?;
            Some(match ev {
                SocketEvent::Open => cable.on_open(generation, t),
                SocketEvent::Closed => cable.on_close(generation, t),
                SocketEvent::Other => Vec::new(),
                SocketEvent::Text(text) => {
                    let Ok(doc) = Doc::parse(&text) else {
                        return Some(Vec::new());
                    };
                    let frame = doc.root();
                    let actions = cable.on_frame(generation, &Frame::read(frame), t);
                    if actions.contains(&Action::Deliver) {
                        st.core.on_push(&Push::read(frame), t);
                    }
                    actions
                }
            })
        })
        .flatten()
        .unwrap_or_default();
    drive(s, actions);
    rearm(s);
    flush(s);
}

/// Arms the one timer for the earliest deadline of the cable, typing and read receipts.
fn rearm(s: &Rc<Shared>) {
    let next = s.with(|st| {
        if st.closed {
            st.timer = None;
            return None;
        }
        let deadline = [
            st.cable.as_ref().and_then(Cable::deadline),
            st.core.deadline(),
            st.typing_out.values().filter_map(TypingOut::deadline).min(),
            st.seen_due.values().copied().min(),
        ]
        .into_iter()
        .flatten()
        .min();
        match deadline {
            None => {
                st.timer = None;
                None
            }
            Some(d) if st.timer.as_ref().is_some_and(|(at, _)| *at == d) => None,
            Some(d) => Some(d),
        }
    });
    if let Some(Some(d)) = next {
        let wait = d.saturating_sub(now()) as f64;
        let timer = Timer::after(wait, handler(s, Source::Timer));
        // The old timer (if any) is cleared as it drops, outside the borrow.
        let old = s.with(|st| st.timer.replace((d, timer)));
        drop(old);
    }
}

fn on_timer(s: &Rc<Shared>) {
    let t = now();
    let work = s.with(|st| {
        st.timer = None;
        let mut actions = Vec::new();
        if let Some(cable) = st.cable.as_mut() {
            // A tick may move to a phase whose deadline has also passed.
            for _ in 0..3 {
                if cable.deadline().is_some_and(|d| d <= t) {
                    actions.extend(cable.tick(t));
                }
            }
        }
        st.core.tick(t);
        let offs: Vec<i64> = st
            .typing_out
            .iter_mut()
            .filter_map(|(id, typing)| (typing.tick(t) == Some(Toggle::Off)).then_some(id))
            .collect();
        let seen: Vec<i64> = st
            .seen_due
            .iter()
            .filter(|(_, due)| **due <= t)
            .map(|(id, _)| id)
            .collect();
        st.seen_due.retain(|_, due| *due > t);
        (actions, offs, seen, st.contact.source_id.clone())
    });
    let Some((actions, offs, seen, source)) = work else {
        return;
    };
    drive(s, actions);
    for id in offs {
        send_typing(s, &source, id, Toggle::Off);
    }
    for id in seen {
        let req = api::conversations::update_last_seen(&s.inbox_identifier, &source, id as f64);
        fire(s, req);
    }
    rearm(s);
    flush(s);
}

/// Sends a request whose answer does not matter (typing, last seen).
fn fire(s: &Rc<Shared>, req: Result<api::Request, Error>) {
    let Ok(req) = req else { return };
    let s = Rc::clone(s);
    spawn(async move {
        let _ = transport::send(&s.transport, &req, &[], s.opts()).await;
    });
}

fn send_typing(s: &Rc<Shared>, source: &str, id: i64, toggle: Toggle) {
    let status = if toggle == Toggle::On { "on" } else { "off" };
    fire(
        s,
        api::conversations::set_typing(&s.inbox_identifier, source, id as f64, status),
    );
}

/// Which callback a [`Handler`] is.
#[derive(Clone, Copy)]
enum Source {
    /// The socket of this generation.
    Socket(u32),
    /// The one timer.
    Timer,
    /// `online`, `offline` or `visibilitychange`.
    Page,
}

/// A callback into the session. Every callback has this one type, holding only a
/// `Weak`: a dropped session frees everything, and a late callback finds nobody.
fn handler(s: &Rc<Shared>, source: Source) -> Handler {
    let weak = Rc::downgrade(s);
    Closure::new(move |ev: JsValue| {
        let Some(s) = weak.upgrade() else { return };
        match source {
            Source::Socket(generation) => on_socket(&s, generation, SocketEvent::read(&ev)),
            Source::Timer => on_timer(&s),
            Source::Page => on_page(&s, &ev),
        }
    })
}

fn on_page(s: &Rc<Shared>, ev: &JsValue) {
    let kind = field(ev, "type").as_string().unwrap_or_default();
    let t = now();
    let actions = s
        .with(|st| {
            let cable = st.cable.as_mut()?;
            Some(match kind.as_str() {
                "online" => cable.on_network(true, t),
                "offline" => cable.on_network(false, t),
                _ => {
                    let document = field(&js_sys::global(), "document");
                    let visible = field(&document, "visibilityState").as_string();
                    if visible.as_deref() == Some("visible") {
                        cable.on_visible(t)
                    } else {
                        Vec::new()
                    }
                }
            })
        })
        .flatten()
        .unwrap_or_default();
    drive(s, actions);
    rearm(s);
    flush(s);
}

/// `online`/`offline` and the page becoming visible wake the cable at once.
fn watch_page(s: &Rc<Shared>) {
    let global: JsValue = js_sys::global().into();
    let document = field(&global, "document");
    let f = handler(s, Source::Page);
    let mut targets = Vec::new();
    for (target, name) in [
        (&global, "online"),
        (&global, "offline"),
        (&document, "visibilitychange"),
    ] {
        if let Some(add) = field(target, "addEventListener").dyn_ref::<Function>() {
            if add.call2(target, &name.into(), f.as_ref()).is_ok() {
                targets.push((target.clone(), name));
            }
        }
    }
    s.with(|st| st.dom = Some((f, targets)));
}

// ----- catch-up and history ----------------------------------------------------------

fn spawn_catch_up(s: &Rc<Shared>, id: i64) {
    let busy = s.with(|st| {
        if st.catching_up.contains(&id) {
            if !st.catch_up_again.contains(&id) {
                st.catch_up_again.push(id);
            }
            true
        } else {
            st.catching_up.push(id);
            false
        }
    });
    if busy != Some(false) {
        return;
    }
    let s = Rc::clone(s);
    spawn(async move {
        let mut failures = 0u32;
        while let Some((epoch, lost, source, live)) = s.with(|st| {
            (
                st.epoch,
                st.lost_count,
                st.contact.source_id.clone(),
                st.cable.as_ref().is_some_and(Cable::is_live),
            )
        }) {
            match catch_up_once(&s, &source, id).await {
                Ok(pages) => {
                    failures = 0;
                    s.with(|st| {
                        if st.epoch != epoch || st.closed {
                            return;
                        }
                        let changes = st.core.thread(id).on_catch_up(pages);
                        if st.lost_count != lost || !live {
                            // The socket dropped meanwhile: not synced with it after all.
                            st.core.thread(id).unsync();
                        }
                        let recovered = changes
                            .iter()
                            .filter(|c| matches!(c, Change::Created(_)))
                            .count() as u32;
                        for change in changes {
                            st.core.apply(id, change);
                        }
                        st.core.emit(Event::Synced {
                            conversation_id: id,
                            recovered,
                        });
                    });
                    // A status change made while we were away (reference §6.6).
                    if let Ok(req) =
                        api::conversations::get(&s.inbox_identifier, &source, id as f64)
                    {
                        if let Ok(c) =
                            call(&s.transport, "conversation", &req, &[], Conversation::read).await
                        {
                            s.with(|st| {
                                if st.epoch == epoch {
                                    st.core.on_conversation(c, false);
                                }
                            });
                        }
                    }
                    flush(&s);
                    let again = s.with(|st| {
                        let again = st.catch_up_again.contains(&id) && !st.closed;
                        st.catch_up_again.retain(|x| *x != id);
                        again
                    });
                    if again != Some(true) {
                        break;
                    }
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let give_up = s
                        .with(|st| {
                            st.core.emit(Event::Error { error: Some(e) });
                            st.closed || st.epoch != epoch
                        })
                        .unwrap_or(true);
                    flush(&s);
                    if give_up {
                        break;
                    }
                    // Keep trying: a gap must not stay open.
                    let wait = (1_000.0 * f64::from(1u32 << failures.min(5))).min(30_000.0);
                    sleep(wait * (0.5 + 0.5 * js_sys::Math::random())).await;
                }
            }
        }
        s.with(|st| st.catching_up.retain(|x| *x != id));
    });
}

/// One page of history (the newest, or the one before `before`), ascending by id.
async fn read_page(
    s: &Rc<Shared>,
    source: &str,
    id: i64,
    before: Option<i64>,
) -> Result<Vec<Message>, Error> {
    let req = api::messages::list(
        &s.inbox_identifier,
        source,
        id as f64,
        before.map(|b| b as f64),
    )?;
    let page = call(&s.transport, "message list", &req, &[], Message::read_page).await?;
    Ok(message_list(page))
}

/// Newest page, then `before` pages until the thread says the gap is closed.
async fn catch_up_once(s: &Rc<Shared>, source: &str, id: i64) -> Result<Vec<Vec<Message>>, Error> {
    let mut pages: Vec<Vec<Message>> = Vec::new();
    let mut before: Option<i64> = None;
    while pages.len() < MAX_CATCH_UP_PAGES {
        let page = read_page(s, source, id, before).await?;
        let more = s
            .with(|st| st.core.thread(id).needs_more(&page))
            .unwrap_or(false);
        before = page.first().map(|m| m.id);
        pages.push(page);
        if !more || before.is_none() {
            break;
        }
    }
    Ok(pages)
}

/// Reads the newest page of a thread never read before.
async fn load_first(s: &Rc<Shared>, id: i64) -> Result<(), Error> {
    let Some((epoch, lost, source, live)) = s.with(|st| {
        (
            st.epoch,
            st.lost_count,
            st.contact.source_id.clone(),
            st.cable.as_ref().is_some_and(Cable::is_live),
        )
    }) else {
        return Ok(());
    };
    let page = read_page(s, &source, id, None).await?;
    s.with(|st| {
        if st.epoch != epoch {
            return;
        }
        let thread = st.core.thread(id);
        if thread.loaded() {
            return;
        }
        let changes = thread.on_first_page(page);
        // Read while subscribed and nothing dropped since: later messages come by socket.
        if live && st.lost_count == lost {
            thread.mark_synced();
        }
        for change in changes {
            st.core.apply(id, change);
        }
        st.core.emit(Event::Synced {
            conversation_id: id,
            recovered: 0,
        });
    });
    Ok(())
}

fn spawn_load_first(s: &Rc<Shared>, id: i64) {
    let start = s.with(|st| {
        let loaded = st.core.thread_ref(id).is_some_and(|t| t.loaded());
        if loaded || st.loading.contains(&id) || st.closed {
            return false;
        }
        st.loading.push(id);
        true
    });
    if start != Some(true) {
        return;
    }
    let s = Rc::clone(s);
    spawn(async move {
        let result = load_first(&s, id).await;
        s.with(|st| {
            st.loading.retain(|x| *x != id);
            if let Err(e) = result {
                st.core.emit(Event::Error { error: Some(e) });
            }
        });
        flush(&s);
    });
}

// ----- dispatch ------------------------------------------------------------------------

/// Delivers queued events to listeners, then tells subscribers the snapshot changed.
/// Runs with the state released, so listeners may call back into the session.
fn flush(s: &Rc<Shared>) {
    for _ in 0..16 {
        let Some((events, listeners, changed)) = s.with(|st| {
            let events = st.core.take_events();
            let version = st.core.version();
            let changed = version != st.notified;
            st.notified = version;
            let wanted: Vec<(String, Function)> = st
                .listeners
                .iter()
                .map(|l| (l.kind.clone(), l.f.clone()))
                .collect();
            (events, wanted, changed)
        }) else {
            return;
        };
        if events.is_empty() && !changed {
            return;
        }
        for event in &events {
            if !listeners.iter().any(|(kind, _)| kind == event.name()) {
                continue;
            }
            let mut o = Out::new();
            event.write(&mut o);
            let js = from_json(o.as_str());
            if let Some(e) = event.error() {
                let _ = Reflect::set(&js, &"error".into(), &to_js(e.clone()));
            }
            for (kind, f) in &listeners {
                if kind == event.name() {
                    if let Err(thrown) = f.call1(&JsValue::NULL, &js) {
                        if event.name() != "error" {
                            report_listener(s, &thrown);
                        }
                    }
                }
            }
        }
        if changed {
            for (kind, f) in &listeners {
                if kind == "change" {
                    if let Err(thrown) = f.call0(&JsValue::NULL) {
                        report_listener(s, &thrown);
                    }
                }
            }
        }
    }
}

fn report_listener(s: &Rc<Shared>, thrown: &JsValue) {
    let detail = thrown
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| thrown.as_string())
        .unwrap_or_default();
    let error = Error::new(
        ErrorCode::Listener,
        ["an event listener threw: ", &detail].concat(),
    );
    s.with(|st| st.core.emit(Event::Error { error: Some(error) }));
}

/// Writes a thread's snapshot as `[...]` (`[]` for none).
fn write_thread(o: &mut Out, thread: Option<&crate::session::Thread>) {
    o.open_list();
    for m in thread.into_iter().flat_map(|t| t.snapshot()) {
        m.write(o);
    }
    o.close_list();
}

fn closed_error() -> Error {
    Error::new(ErrorCode::Closed, "this ChatSession is closed")
}

fn random_id() -> String {
    let a = (js_sys::Math::random() * 4.0e15) as u64;
    let b = now();
    ["cw-", &int_text(b as i64), "-", &int_text(a as i64)].concat()
}

/// The `file_type` the server will give a file, from its MIME type (reference §3.12).
fn file_type(blob: &Blob) -> &'static str {
    let t = blob.type_();
    if t.starts_with("image/") {
        "image"
    } else if t.starts_with("video/") {
        "video"
    } else if t.contains("audio/") {
        "audio"
    } else {
        "file"
    }
}

// ----- the class -----------------------------------------------------------------------

impl ChatSession {
    fn promise<F>(&self, f: F) -> Promise
    where
        F: std::future::Future<Output = Result<JsValue, Error>> + 'static,
    {
        let s = Rc::clone(&self.shared);
        promise(async move {
            let result = f.await;
            flush(&s);
            result
        })
    }

    fn context(&self) -> Result<(Rc<Shared>, String, u64), Error> {
        let s = Rc::clone(&self.shared);
        let (closed, source, epoch) = s
            .with(|st| (st.closed, st.contact.source_id.clone(), st.epoch))
            .ok_or_else(closed_error)?;
        if closed {
            return Err(closed_error());
        }
        Ok((s, source, epoch))
    }

    fn post(&self, id: i64, echo_id: String, content: Option<String>, files: Vec<Blob>) {
        let Ok((s, source, epoch)) = self.context() else {
            return;
        };
        spawn(async move {
            let req = api::messages::create(
                &s.inbox_identifier,
                &source,
                id as f64,
                content,
                Some(echo_id.clone()),
                files.len(),
            );
            let result = match req {
                Ok(req) => call(&s.transport, "message", &req, &files, Message::read).await,
                Err(e) => Err(e),
            };
            s.with(|st| {
                if st.epoch != epoch {
                    return;
                }
                let thread = st.core.thread(id);
                match result {
                    Ok(message) => {
                        if let Some(change) = thread.on_sent(&echo_id, message) {
                            st.files.retain(|(e, _, _)| *e != echo_id);
                            st.core.apply(id, change);
                        }
                    }
                    Err(error) => {
                        // Already confirmed by the socket echo: the error is moot.
                        if let Some(message) = thread.fail(&echo_id, error.clone()) {
                            st.core.emit(Event::MessageFailed {
                                conversation_id: id,
                                echo_id,
                                message,
                                error: Some(error),
                            });
                        }
                    }
                }
            });
            flush(&s);
        });
    }
}

#[wasm_bindgen]
impl ChatSession {
    /// Opens (or resumes) the contact session and connects. Rejects with a
    /// `ChatwootError` when the inbox or the session cannot be read.
    #[wasm_bindgen(unchecked_return_type = "Promise<ChatSession>")]
    pub fn start(
        #[wasm_bindgen(unchecked_param_type = "ChatSessionOptions")] options: JsValue,
    ) -> Promise {
        promise(async move {
            let session = start(options).await?;
            let s = Rc::clone(&session.shared);
            flush(&s);
            Ok(session.into())
        })
    }

    /// The inbox's details.
    #[wasm_bindgen(getter, unchecked_return_type = "Inbox")]
    pub fn inbox(&self) -> JsValue {
        self.shared.inbox_js.clone()
    }

    /// The contact session (changes after `identify()` and `reset()`).
    #[wasm_bindgen(getter, unchecked_return_type = "ContactSession")]
    pub fn contact(&self) -> JsValue {
        self.shared
            .with(|st| js_of(|o| st.contact.write(o)))
            .unwrap_or(JsValue::NULL)
    }

    /// `connecting`, `open`, `reconnecting`, `offline` or `closed`.
    #[wasm_bindgen(getter, unchecked_return_type = "ConnectionState")]
    pub fn state(&self) -> String {
        self.shared
            .with(|st| {
                if st.closed {
                    return "closed";
                }
                st.cable.as_ref().map_or("closed", |c| c.state().as_str())
            })
            .unwrap_or("closed")
            .to_owned()
    }

    /// Adds a listener for one event type (or `"change"`: the snapshot changed);
    /// returns an id for `removeListener`. `on()` wraps this.
    #[wasm_bindgen(js_name = addListener)]
    pub fn add_listener(
        &self,
        #[wasm_bindgen(unchecked_param_type = "keyof ChatEventMap | \"change\"")] kind: String,
        #[wasm_bindgen(unchecked_param_type = "(event: ChatEvent) => void")] listener: Function,
    ) -> u32 {
        self.shared
            .with(|st| {
                let id = st.next_listener;
                st.next_listener = st.next_listener.wrapping_add(1);
                st.listeners.push(Listener {
                    id,
                    kind,
                    f: listener,
                });
                id
            })
            .unwrap_or(0)
    }

    /// Removes a listener added with `addListener`.
    #[wasm_bindgen(js_name = removeListener)]
    pub fn remove_listener(&self, id: u32) {
        self.shared.with(|st| st.listeners.retain(|l| l.id != id));
    }

    /// The current, ordered, de-duplicated messages of a conversation; reads its
    /// newest page in the background on first use (then `synced` fires).
    #[wasm_bindgen(unchecked_return_type = "Message[]")]
    pub fn messages(&self, conversation_id: f64) -> Result<JsValue, JsValue> {
        let id = api::path::id("conversationId", conversation_id).map_err(to_js)?;
        spawn_load_first(&self.shared, id);
        let text = self
            .shared
            .with(|st| {
                let mut o = Out::new();
                write_thread(&mut o, st.core.thread_ref(id));
                o.finish()
            })
            .unwrap_or_default();
        Ok(from_json(&text))
    }

    /// Reads the next older page. Resolves `true` when messages were added, `false`
    /// when the start of the conversation had already been reached.
    #[wasm_bindgen(js_name = loadOlder, unchecked_return_type = "Promise<boolean>")]
    pub fn load_older(&self, conversation_id: f64) -> Promise {
        let ctx = self.context();
        let id = api::path::id("conversationId", conversation_id);
        self.promise(async move {
            let (s, source, epoch) = ctx?;
            let id = id?;
            let state = s
                .with(|st| {
                    let t = st.core.thread(id);
                    (t.loaded(), t.at_start(), t.oldest())
                })
                .ok_or_else(closed_error)?;
            let (loaded, at_start, oldest) = state;
            if !loaded {
                let before = s.with(|st| st.core.thread(id).len()).unwrap_or(0);
                load_first(&s, id).await?;
                let after = s.with(|st| st.core.thread(id).len()).unwrap_or(0);
                return Ok(JsValue::from_bool(after > before));
            }
            if at_start {
                return Ok(JsValue::FALSE);
            }
            let page = read_page(&s, &source, id, oldest).await?;
            let added = s
                .with(|st| {
                    if st.epoch != epoch {
                        return 0;
                    }
                    let n = st.core.thread(id).on_older_page(page);
                    st.core.touch();
                    n
                })
                .unwrap_or(0);
            Ok(JsValue::from_bool(added > 0))
        })
    }

    /// The session's conversations, read from the server.
    #[wasm_bindgen(js_name = listConversations, unchecked_return_type = "Promise<Conversation[]>")]
    pub fn list_conversations(&self) -> Promise {
        let ctx = self.context();
        self.promise(async move {
            let (s, source, epoch) = ctx?;
            let list = read_conversations(&s.transport, &s.inbox_identifier, &source).await?;
            s.with(|st| {
                if st.epoch == epoch {
                    for c in &list {
                        st.core.on_conversation(c.clone(), true);
                    }
                }
            });
            Ok(js_of(|o| {
                o.open_list();
                for c in &list {
                    c.write(o);
                }
                o.close_list();
            }))
        })
    }

    /// Starts a conversation (`conversation.created` fires).
    #[wasm_bindgen(js_name = startConversation, unchecked_return_type = "Promise<Conversation>")]
    pub fn start_conversation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConversationInput | undefined")] input: JsValue,
    ) -> Promise {
        let ctx = self.context();
        let attrs = args::read(&input, "conversation", |i| i.object("customAttributes"));
        self.promise(async move {
            let (s, source, epoch) = ctx?;
            let req = api::conversations::create(&s.inbox_identifier, &source, attrs?)?;
            let c: Conversation =
                call(&s.transport, "conversation", &req, &[], Conversation::read).await?;
            s.with(|st| {
                if st.epoch == epoch {
                    st.core.on_conversation(c.clone(), true);
                }
            });
            Ok(from_json(c.json()))
        })
    }

    /// Sends a message optimistically: returns the local message (`status: "sending"`,
    /// `echoId`) at once; `message.sent` or `message.failed` follows. Throws a
    /// `ChatwootError` (`invalid_argument`) for an empty or too long message.
    #[wasm_bindgen(unchecked_return_type = "Message")]
    pub fn send(
        &self,
        conversation_id: f64,
        #[wasm_bindgen(unchecked_param_type = "string | SendInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (s, source, _) = self.context().map_err(to_js)?;
        let id = api::path::id("conversationId", conversation_id).map_err(to_js)?;
        let (content, files) = if let Some(text) = input.as_string() {
            (Some(text), Vec::new())
        } else if input.is_object() {
            let content = args::opt_string(&field(&input, "content"), "content").map_err(to_js)?;
            let list = field(&input, "attachments");
            let files: Vec<Blob> = if list.is_undefined() || list.is_null() {
                Vec::new()
            } else if Array::is_array(&list) {
                Array::from(&list)
                    .iter()
                    .map(|f| f.dyn_into::<Blob>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| {
                        to_js(Error::invalid_argument(
                            "attachments must be Blobs or Files",
                        ))
                    })?
            } else {
                return Err(to_js(Error::invalid_argument(
                    "attachments must be an array",
                )));
            };
            (content, files)
        } else {
            return Err(to_js(Error::invalid_argument(
                "send takes a string or { content?, attachments? }",
            )));
        };
        // The same checks the request makes, before anything is shown.
        api::messages::create(
            &s.inbox_identifier,
            &source,
            id as f64,
            content.clone(),
            None,
            files.len(),
        )
        .map_err(to_js)?;
        let echo_id = random_id();
        let t = now() as i64;
        let local = s
            .with(|st| {
                let local_id = st.core.local_id();
                let kinds: Vec<(&str, i64)> = files
                    .iter()
                    .map(|f| (file_type(f), f.size() as i64))
                    .collect();
                let mut message = Message::local(Local {
                    id: local_id,
                    content: content.as_deref(),
                    created_at: t,
                    conversation_id: id,
                    sender_id: st.contact.id,
                    sender_name: st.contact.name.as_deref(),
                    files: &kinds,
                })?;
                message.echo_id = Some(echo_id.clone());
                st.core.thread(id).push_pending(Pending {
                    echo_id: echo_id.clone(),
                    message: message.clone(),
                    error: None,
                });
                if !files.is_empty() {
                    st.files.push((echo_id.clone(), id, files.clone()));
                }
                st.core.emit(Event::MessagePending {
                    conversation_id: id,
                    echo_id: echo_id.clone(),
                    message: message.clone(),
                });
                let off = st.typing_out.get_mut(id).and_then(TypingOut::stop);
                Some((message, off))
            })
            .flatten()
            .ok_or_else(|| to_js(closed_error()))?;
        let (message, off) = local;
        if let Some(off) = off {
            send_typing(&s, &source, id, off);
        }
        self.post(id, echo_id, content, files);
        let js = from_json(&message.to_json());
        // Listeners see `message.pending` after `send` has returned.
        let s2 = Rc::clone(&s);
        spawn(async move { flush(&s2) });
        Ok(js)
    }

    /// Sends a failed message again, unless the server turns out to hold it already
    /// (its answer was lost): then `message.sent` fires with the stored copy.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn retry(&self, echo_id: String) -> Promise {
        let ctx = self.context();
        let this = ChatSession {
            shared: Rc::clone(&self.shared),
        };
        self.promise(async move {
            let (s, source, epoch) = ctx?;
            let found = s
                .with(|st| {
                    st.core
                        .conversations()
                        .map(|c| c.id)
                        .chain(st.core.loaded_threads())
                        .find(|id| {
                            st.core
                                .thread_ref(*id)
                                .and_then(|t| t.pending(&echo_id))
                                .is_some_and(|p| p.message.status == Some(MessageStatus::Failed))
                        })
                })
                .flatten();
            let Some(id) = found.or_else(|| {
                s.with(|st| {
                    st.files
                        .iter()
                        .find(|(e, _, _)| *e == echo_id)
                        .map(|(_, id, _)| *id)
                })
                .flatten()
            }) else {
                return Err(Error::invalid_argument(
                    "no failed message with that echoId in this session",
                ));
            };
            let page = read_page(&s, &source, id, None).await?;
            let resend = s
                .with(|st| {
                    if st.epoch != epoch {
                        return None;
                    }
                    let thread = st.core.thread(id);
                    if let Some(stored) = thread.find_stored(&echo_id, &page) {
                        if let Some(change) = thread.on_sent(&echo_id, stored) {
                            st.core.apply(id, change);
                        }
                        st.files.retain(|(e, _, _)| *e != echo_id);
                        return None;
                    }
                    let message = thread.resend(&echo_id)?;
                    let content = message.content.clone();
                    st.core.emit(Event::MessagePending {
                        conversation_id: id,
                        echo_id: echo_id.clone(),
                        message,
                    });
                    let files = st
                        .files
                        .iter()
                        .find(|(e, _, _)| *e == echo_id)
                        .map(|(_, _, f)| f.clone())
                        .unwrap_or_default();
                    Some((content, files))
                })
                .flatten();
            if let Some((content, files)) = resend {
                this.post(id, echo_id, content, files);
            }
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The user is typing: `on` at most every 3 s, `off` after 5 s idle.
    pub fn typing(&self, conversation_id: f64) -> Result<(), JsValue> {
        self.toggle_typing(conversation_id, true)
    }

    /// The user stopped typing (left the field): `off` now if it was on.
    #[wasm_bindgen(js_name = stopTyping)]
    pub fn stop_typing(&self, conversation_id: f64) -> Result<(), JsValue> {
        self.toggle_typing(conversation_id, false)
    }

    fn toggle_typing(&self, conversation_id: f64, on: bool) -> Result<(), JsValue> {
        let (s, source, _) = self.context().map_err(to_js)?;
        let id = api::path::id("conversationId", conversation_id).map_err(to_js)?;
        let toggle = s
            .with(|st| {
                let t = st.typing_out.get_or_insert_with(id, TypingOut::default);
                if on {
                    t.key(now())
                } else {
                    t.stop()
                }
            })
            .flatten();
        if let Some(toggle) = toggle {
            send_typing(&s, &source, id, toggle);
        }
        rearm(&s);
        Ok(())
    }

    /// The user sees the conversation: `update_last_seen`, debounced.
    #[wasm_bindgen(js_name = markSeen)]
    pub fn mark_seen(&self, conversation_id: f64) -> Result<(), JsValue> {
        let (s, _, _) = self.context().map_err(to_js)?;
        let id = api::path::id("conversationId", conversation_id).map_err(to_js)?;
        s.with(|st| {
            st.seen_due
                .get_or_insert_with(id, || now().saturating_add(SEEN_DEBOUNCE_MS));
        });
        rearm(&s);
        Ok(())
    }

    /// Resolves the conversation; resolves to it as the server now has it.
    #[wasm_bindgen(unchecked_return_type = "Promise<Conversation>")]
    pub fn resolve(&self, conversation_id: f64) -> Promise {
        let ctx = self.context();
        self.promise(async move {
            let (s, source, epoch) = ctx?;
            let req = api::conversations::resolve(&s.inbox_identifier, &source, conversation_id)?;
            let c: Conversation =
                call(&s.transport, "conversation", &req, &[], Conversation::read).await?;
            s.with(|st| {
                if st.epoch == epoch {
                    st.core.on_conversation(c.clone(), false);
                }
            });
            Ok(from_json(c.json()))
        })
    }

    /// Answers an interactive message (`input_select`, `form`, `cards`) with
    /// `[{ title, value }]`, or a CSAT message with `{ csatSurveyResponse }`.
    #[wasm_bindgen(js_name = submitReply, unchecked_return_type = "Promise<Message>")]
    pub fn submit_reply(
        &self,
        conversation_id: f64,
        message_id: f64,
        #[wasm_bindgen(
            unchecked_param_type = "SubmittedValue[] | { csatSurveyResponse: { rating: number; feedbackMessage?: string } }"
        )]
        submitted_values: JsValue,
    ) -> Promise {
        let ctx = self.context();
        let values = super::client::submitted_values(&submitted_values);
        self.promise(async move {
            let (s, source, epoch) = ctx?;
            let req = api::messages::update(
                &s.inbox_identifier,
                &source,
                conversation_id,
                message_id,
                values?,
            )?;
            let m: Message = call(&s.transport, "message", &req, &[], Message::read).await?;
            let id = conversation_id as i64;
            s.with(|st| {
                if st.epoch == epoch {
                    if let Some(change) = st.core.thread(id).on_updated(m.clone()) {
                        st.core.apply(id, change);
                    }
                }
            });
            Ok(from_json(&m.to_json()))
        })
    }

    /// Becomes the identified user (create with identifier + hash, then verify with a
    /// GET), and re-subscribes with the new token. Resolves to the new contact session.
    #[wasm_bindgen(unchecked_return_type = "Promise<ContactSession>")]
    pub fn identify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ChatUser")] user: JsValue,
    ) -> Promise {
        let ctx = self.context();
        let user = args::read(&user, "user", ContactInput::read).and_then(|u| {
            if u.identifier.as_deref().is_none_or(str::is_empty) {
                Err(Error::invalid_argument(
                    "user.identifier must be a non-empty string",
                ))
            } else {
                Ok(u)
            }
        });
        self.promise(async move {
            let (s, _, _) = ctx?;
            let user = user?;
            let key = storage_key(&s.base_url, &s.inbox_identifier, user.identifier.as_deref());
            let contact = open_contact(
                &s.transport,
                &s.storage,
                &s.inbox_identifier,
                &key,
                Some(&user),
            )
            .await?;
            switch_contact(&s, contact.clone(), user.identifier.clone()).await?;
            Ok(js_of(|o| contact.write(o)))
        })
    }

    /// Forgets the stored session, closes the socket, and continues as a new anonymous
    /// contact. Resolves to the new contact session.
    #[wasm_bindgen(unchecked_return_type = "Promise<ContactSession>")]
    pub fn reset(&self) -> Promise {
        let ctx = self.context();
        self.promise(async move {
            let (s, _, _) = ctx?;
            let old_key = s
                .with(|st| storage_key(&s.base_url, &s.inbox_identifier, st.identifier.as_deref()))
                .ok_or_else(closed_error)?;
            s.storage.remove(&old_key);
            let anon = storage_key(&s.base_url, &s.inbox_identifier, None);
            s.storage.remove(&anon);
            // The socket goes first: nothing of the old contact may arrive meanwhile.
            let actions = s
                .with(|st| st.cable.as_mut().map(Cable::stop))
                .flatten()
                .unwrap_or_default();
            drive(&s, actions);
            let contact =
                open_contact(&s.transport, &s.storage, &s.inbox_identifier, &anon, None).await?;
            switch_contact(&s, contact.clone(), None).await?;
            Ok(js_of(|o| contact.write(o)))
        })
    }

    /// Closes the socket and stops every timer; the session cannot be used afterwards.
    pub fn close(&self) {
        let s = &self.shared;
        let actions = s
            .with(|st| {
                st.closed = true;
                st.timer = None;
                st.cable.as_mut().map(Cable::stop)
            })
            .flatten()
            .unwrap_or_default();
        drive(s, actions);
        let (socket, dom) = s
            .with(|st| (st.socket.take(), st.dom.take()))
            .unwrap_or((None, None));
        drop(socket);
        if let Some((f, targets)) = dom {
            for (target, name) in targets {
                if let Some(remove) = field(&target, "removeEventListener").dyn_ref::<Function>() {
                    let _ = remove.call2(&target, &name.into(), f.as_ref());
                }
            }
        }
        flush(s);
    }

    /// A stable snapshot of everything a UI shows, new only when something changed
    /// (for React's `useSyncExternalStore` with `subscribe`).
    #[wasm_bindgen(js_name = getSnapshot, unchecked_return_type = "ChatSnapshot")]
    pub fn get_snapshot(&self) -> JsValue {
        let state = self.state();
        self.shared
            .with(|st| {
                let version = st.core.version();
                if let Some((v, snap)) = &st.snapshot {
                    if *v == version {
                        return snap.clone();
                    }
                }
                let snap = build_snapshot(st, &state);
                st.snapshot = Some((version, snap.clone()));
                snap
            })
            .unwrap_or(JsValue::NULL)
    }
}

fn build_snapshot(st: &St, state: &str) -> JsValue {
    let mut o = Out::new();
    o.open().key("state").str(state).key("contact");
    st.contact.write(&mut o);
    o.key("conversations").open_list();
    for c in st.core.conversations() {
        c.write(&mut o);
    }
    o.close_list().key("messages").open();
    for c in st.core.conversations() {
        if let Some(t) = st.core.thread_ref(c.id) {
            o.key(&int_text(c.id));
            write_thread(&mut o, Some(t));
        }
    }
    o.close().key("typing").open();
    for (id, user) in st.core.typing() {
        o.key(&int_text(id));
        match user {
            Some(json) => o.json(json),
            None => o.null(),
        };
    }
    o.close().key("agents");
    write_agents(&mut o, st.core.agents());
    o.close();
    from_json(o.as_str())
}

/// After `identify`/`reset`: a new contact, its conversations, and the socket on its token.
async fn switch_contact(
    s: &Rc<Shared>,
    contact: ContactSession,
    identifier: Option<String>,
) -> Result<(), Error> {
    let list = read_conversations(&s.transport, &s.inbox_identifier, &contact.source_id).await?;
    let t = now();
    let actions = s
        .with(|st| {
            st.epoch = st.epoch.wrapping_add(1);
            st.identifier = identifier;
            st.core.switch(&contact.source_id);
            for c in list {
                st.core.on_conversation(c, false);
            }
            st.typing_out.clear();
            st.seen_due.clear();
            st.files.clear();
            st.snapshot = None;
            let token = contact.pubsub_token.clone();
            st.contact = contact;
            match st.cable.as_mut() {
                Some(cable) if cable.state() != crate::realtime::State::Closed => {
                    cable.set_token(&token, t)
                }
                Some(_) => {
                    let mut cable = Cable::new(&token, Timing::default(), t);
                    let actions = cable.start(t);
                    st.cable = Some(cable);
                    actions
                }
                None => Vec::new(),
            }
        })
        .unwrap_or_default();
    drive(s, actions);
    rearm(s);
    Ok(())
}
