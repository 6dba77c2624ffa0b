//! Shared tabs: the tabs of one contact keep one socket between them. The tabs elect a
//! leader with a Web Lock named after the contact; only the leader opens the socket, and
//! it relays what the socket says to the others over a `BroadcastChannel` of the same
//! name. A follower's engine gets a stand-in socket fed from the channel: it opens when
//! the leader's subscription is live, says `welcome` and confirms the follower's own
//! `subscribe` (same contact, same subscription), then carries the leader's frames, pings
//! included. The engine cannot tell the difference, so it catches up after a drop or a
//! change of leader exactly as it does with a socket of its own.
//!
//! The channel's messages (`[kind, text?]` arrays, same origin only):
//! - `join`: a follower's stand-in waits; a live leader answers `live`.
//! - `live`: the leader's subscription is confirmed; waiting stand-ins open.
//! - `frame`: a frame of the leader's socket.
//! - `close`: the leader's socket is gone; open stand-ins close (their engines retry).
//! - `leader`: a tab took the lead (the old one left); open stand-ins close.
//! - `moved`: a tab's session changed contact (`identify`/`reset`): its siblings follow.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, LockManager, MessageEvent};

use super::js::count;
use super::socket::Happened;
use crate::realtime::frame::{self, Frame};

/// A message on the channel.
#[derive(Debug)]
enum Relay {
    Join,
    Live,
    Frame { x: String },
    Close,
    Leader,
    Moved { user: Option<String> },
}

impl Relay {
    /// `[kind, text?]`.
    fn to_js(&self) -> JsValue {
        let (kind, text) = match self {
            Relay::Join => ("join", None),
            Relay::Live => ("live", None),
            Relay::Frame { x } => ("frame", Some(x.as_str())),
            Relay::Close => ("close", None),
            Relay::Leader => ("leader", None),
            Relay::Moved { user } => ("moved", user.as_deref()),
        };
        let out = Array::of1(&JsValue::from_str(kind));
        if let Some(text) = text {
            out.push(&JsValue::from_str(text));
        }
        out.into()
    }

    fn from_js(v: &JsValue) -> Option<Relay> {
        if !Array::is_array(v) {
            return None;
        }
        let list: &Array = v.unchecked_ref();
        let text = list.get(1).as_string();
        Some(match list.get(0).as_string()?.as_str() {
            "join" => Relay::Join,
            "live" => Relay::Live,
            "frame" => Relay::Frame { x: text? },
            "close" => Relay::Close,
            "leader" => Relay::Leader,
            "moved" => Relay::Moved { user: text },
            _ => return None,
        })
    }
}

/// What the group tells its driver (from a task of the driver's own).
pub enum Told {
    /// This tab was granted the lead.
    Leading,
    /// The leader's socket is live while this tab has no stand-in (it waits to retry):
    /// it may join now.
    Ready,
    /// The lead cannot be asked for here (the lock request failed): the socket must be
    /// the session's own.
    Unavailable,
    /// A sibling's session moved to another contact (`identify` with this user, as
    /// JSON, or `reset`).
    Moved(Option<String>),
}

/// Whether this platform has what shared tabs need (`BroadcastChannel`, Web Locks).
pub fn available() -> bool {
    let global = js_sys::global();
    let has = |name: &str| {
        Reflect::get(&global, &JsValue::from_str(name)).is_ok_and(|v| !v.is_undefined())
    };
    has("BroadcastChannel") && locks().is_some()
}

fn locks() -> Option<LockManager> {
    let navigator = Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

/// The channel's `message` handler.
type Handler = Closure<dyn FnMut(MessageEvent)>;

/// A follower's stand-in socket: its driver's report, and whether it is open.
struct StandIn {
    token: u64,
    report: Rc<dyn Fn(Happened)>,
    open: bool,
}

struct Inner {
    name: String,
    channel: BroadcastChannel,
    leader: Cell<bool>,
    /// (Leader) the socket's subscription is confirmed: followers may join.
    live: Cell<bool>,
    /// (Leader) a follower has asked to join: frames are relayed from now on (a tab
    /// alone posts none).
    followed: Cell<bool>,
    stand_in: RefCell<Option<StandIn>>,
    /// (Leader) resolves the promise the lock is held with.
    release: RefCell<Option<Function>>,
    gone: Cell<bool>,
    told: Rc<dyn Fn(Told)>,
    on_message: RefCell<Option<Handler>>,
}

/// The tabs of one contact, as this session takes part in them.
pub struct Group(Rc<Inner>);

impl Group {
    /// Joins the tabs named `name` and asks for the lead; `told` hears of the lead
    /// granted and of siblings that moved to another contact.
    pub fn join(name: &str, told: Rc<dyn Fn(Told)>) -> Result<Group, JsValue> {
        let channel = BroadcastChannel::new(name)?;
        let inner = Rc::new(Inner {
            name: name.to_owned(),
            channel,
            leader: Cell::new(false),
            live: Cell::new(false),
            followed: Cell::new(false),
            stand_in: RefCell::new(None),
            release: RefCell::new(None),
            gone: Cell::new(false),
            told,
            on_message: RefCell::new(None),
        });
        let weak = Rc::downgrade(&inner);
        let on_message = Closure::wrap(Box::new(move |e: MessageEvent| {
            let relay = Relay::from_js(&e.data());
            if let (Some(inner), Some(relay)) = (weak.upgrade(), relay) {
                inner.heard(relay);
            }
        }) as Box<dyn FnMut(MessageEvent)>);
        inner
            .channel
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        *inner.on_message.borrow_mut() = Some(on_message);
        count(|l| l.channels = l.channels.saturating_add(1));
        inner.ask_for_lead();
        Ok(Group(inner))
    }

    /// The group's name.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// Whether this tab holds the lead (and so the socket).
    pub fn is_leader(&self) -> bool {
        self.0.leader.get()
    }

    /// (Leader) something happened on the real socket: the followers hear it too.
    pub fn relay(&self, happened: &Happened) {
        let inner = &self.0;
        match happened {
            Happened::Open => {}
            Happened::Frame(text) => {
                let confirmed = || matches!(Frame::parse(text), Some((Frame::Confirm { .. }, _)));
                if !inner.live.get() && confirmed() {
                    inner.live.set(true);
                    inner.post(&Relay::Live);
                }
                if inner.live.get() && inner.followed.get() {
                    inner.post(&Relay::Frame { x: text.clone() });
                }
            }
            Happened::Close => self.lost(),
        }
    }

    /// (Leader) the real socket is gone (closed, or dropped by the engine).
    pub fn lost(&self) {
        if self.0.live.replace(false) {
            self.0.post(&Relay::Close);
        }
    }

    /// (Follower) a stand-in socket for the driver's socket `token`; it opens when the
    /// leader's subscription is live.
    pub fn stand_in(&self, token: u64, report: Rc<dyn Fn(Happened)>) {
        *self.0.stand_in.borrow_mut() = Some(StandIn {
            token,
            report,
            open: false,
        });
        self.0.post(&Relay::Join);
    }

    /// (Follower) the engine sends `text` on its stand-in: its `subscribe` is confirmed
    /// (the leader holds that very subscription); the rest (presence) is the leader's.
    pub fn send(&self, token: u64, text: &str) {
        if let Some(identifier) = frame::subscribed(text) {
            self.0
                .report(token, Happened::Frame(frame::confirm(&identifier)));
        }
    }

    /// Whether the stand-in `token` is open (`None`: it is not the current one).
    pub fn stand_in_open(&self, token: u64) -> Option<bool> {
        let slot = self.0.stand_in.borrow();
        slot.as_ref().filter(|s| s.token == token).map(|s| s.open)
    }

    /// Closes the stand-in if it is open: its engine reconnects (and catches up).
    pub fn close_stand_in(&self) {
        self.0.close_stand_in();
    }

    /// (Follower) the stand-in `token` is closed by its engine.
    pub fn drop_stand_in(&self, token: u64) {
        let mut slot = self.0.stand_in.borrow_mut();
        if slot.as_ref().is_some_and(|s| s.token == token) {
            *slot = None;
        }
    }

    /// Tells the siblings that this session moved to another contact.
    pub fn moved(&self, user: Option<String>) {
        self.0.post(&Relay::Moved { user });
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let inner = &self.0;
        inner.gone.set(true);
        if inner.leader.get() {
            // The followers' stand-ins close and one of them takes the lead.
            if inner.live.replace(false) {
                inner.post(&Relay::Close);
            }
            if let Some(release) = inner.release.borrow_mut().take() {
                let _ = release.call0(&JsValue::UNDEFINED);
            }
        }
        inner.channel.set_onmessage(None);
        inner.channel.close();
        inner.on_message.borrow_mut().take();
        inner.stand_in.borrow_mut().take();
        count(|l| l.channels = l.channels.saturating_sub(1));
    }
}

impl Inner {
    fn post(&self, relay: &Relay) {
        let _ = self.channel.post_message(&relay.to_js());
    }

    /// Reports `happened` on the stand-in `token` if it is still the current one, from
    /// a task of its own (never inside the driver's step that caused it).
    fn report(&self, token: u64, happened: Happened) {
        let report = self
            .stand_in
            .borrow()
            .as_ref()
            .filter(|s| s.token == token)
            .map(|s| Rc::clone(&s.report));
        if let Some(report) = report {
            wasm_bindgen_futures::spawn_local(async move { report(happened) });
        }
    }

    /// Opens the stand-in that waits, with the `welcome` ActionCable starts with.
    fn open_stand_in(&self) {
        let token = {
            let mut slot = self.stand_in.borrow_mut();
            match slot.as_mut() {
                Some(s) if !s.open => {
                    s.open = true;
                    s.token
                }
                _ => return,
            }
        };
        self.report(token, Happened::Open);
        self.report(token, Happened::Frame(r#"{"type":"welcome"}"#.to_owned()));
        // (A leader that took over never heard this tab's `join`: now it knows to relay.)
        self.post(&Relay::Join);
    }

    /// The stand-in's token, if it is open.
    fn open_stand_in_token(&self) -> Option<u64> {
        let slot = self.stand_in.borrow();
        slot.as_ref().filter(|s| s.open).map(|s| s.token)
    }

    /// Closes the stand-in if it is open: its engine retries, and joins again.
    fn close_stand_in(&self) {
        if let Some(token) = self.open_stand_in_token() {
            self.report(token, Happened::Close);
        }
    }

    fn heard(&self, relay: Relay) {
        if self.gone.get() {
            return;
        }
        match relay {
            Relay::Join => {
                self.followed.set(true);
                if self.leader.get() && self.live.get() {
                    self.post(&Relay::Live);
                }
            }
            Relay::Live => {
                if self.stand_in.borrow().is_some() {
                    self.open_stand_in();
                } else {
                    (self.told)(Told::Ready);
                }
            }
            Relay::Frame { x } => {
                if let Some(token) = self.open_stand_in_token() {
                    self.report(token, Happened::Frame(x));
                }
            }
            Relay::Close | Relay::Leader => self.close_stand_in(),
            Relay::Moved { user } => (self.told)(Told::Moved(user)),
        }
    }

    /// Asks for the Web Lock named after the group; holding it is leading. The lock is
    /// held with a promise that resolves when the group is left (or the page goes).
    fn ask_for_lead(self: &Rc<Self>) {
        let Some(locks) = locks() else {
            (self.told)(Told::Unavailable);
            return;
        };
        let weak: Weak<Inner> = Rc::downgrade(self);
        // Called once, when the lock is granted (perhaps long after this group is gone:
        // then it is handed on at once).
        let granted = Closure::once_into_js(move |_lock: JsValue| -> Promise {
            let Some(inner) = weak.upgrade().filter(|i| !i.gone.get()) else {
                return Promise::resolve(&JsValue::UNDEFINED);
            };
            let held = Promise::new(&mut |resolve, _reject| {
                *inner.release.borrow_mut() = Some(resolve);
            });
            inner.leader.set(true);
            inner.post(&Relay::Leader);
            (inner.told)(Told::Leading);
            held
        });
        let asked = locks.request(&self.name, granted.unchecked_ref());
        // The request settles when the lock is released: nothing to do then. If it is
        // refused (an opaque origin, a sandboxed frame), this tab can never lead.
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(asked).await.is_err() {
                if let Some(inner) = weak.upgrade().filter(|i| !i.gone.get()) {
                    (inner.told)(Told::Unavailable);
                }
            }
        });
    }
}
