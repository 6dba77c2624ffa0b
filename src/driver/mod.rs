//! The only place with I/O. The machine ([`crate::machine`]) decides; the driver carries
//! out its [`Op`]s with the specified stack — HTTP through gloo-net ([`http`]), the
//! socket through gloo-net or an injected constructor ([`socket`]), timers, storage and
//! page events through js-sys and web-sys — and reports what happened back as
//! [`Report`]s, answers and frames. Promises are wasm-bindgen-futures futures.
//!
//! Every callback from JavaScript only schedules work (a task), so nothing the machine
//! asks for can drop a callback while it runs. Events, the snapshot's change and
//! settled promises are dispatched in that order in a task of their own, after every
//! borrow of the driver's state is released.

pub mod http;
mod idb;
pub mod js;
mod page;
mod socket;
pub mod storage;
pub mod tabs;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use futures_channel::oneshot;
use js_sys::{Array, Function, Promise};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, AbortSignal};

use crate::chat::IdMap;
use crate::error::Error;
use crate::machine::{Machine, Op, Outcome, Report};
use http::{Outgoing, Progress};
use js::{count, now, Timeout};
use socket::{Happened, Socket};
use storage::Storage;
use tabs::{Group, Told};

/// What a driver is given besides the machine's options.
#[derive(Default)]
pub struct Io {
    /// An injected `fetch`.
    pub fetch: Option<Function>,
    /// An injected `WebSocket` constructor (else gloo-net's, on the global one).
    pub websocket: Option<Function>,
    /// Where a session remembers its contact.
    pub storage: Option<Storage>,
}

impl Io {
    /// The session's storage outlives the page (not memory).
    fn persistent(&self) -> bool {
        matches!(self.storage, Some(Storage::Js(_)))
    }
}

/// What the owner of a driver is told, in order, after each step.
pub enum Emit {
    /// An event for the listeners (a plain object with `type`).
    Event(JsValue),
    /// The snapshot changed.
    Change,
}

/// What a caller's promise keeps besides its settling: the signal, the files and the
/// progress callback of its request.
#[derive(Default)]
pub struct Rec {
    /// The caller's `AbortSignal`.
    pub signal: Option<AbortSignal>,
    /// Files of the request.
    pub files: Option<Array>,
    /// Upload progress.
    pub progress: Option<Progress>,
}

type Settled = Result<JsValue, JsValue>;

/// A caller's promise, counted while it lives.
struct Pending {
    tx: Option<oneshot::Sender<Settled>>,
    rec: Rec,
}

impl Pending {
    fn new(tx: oneshot::Sender<Settled>, rec: Rec) -> Pending {
        count(|l| l.promises = l.promises.saturating_add(1));
        Pending { tx: Some(tx), rec }
    }

    fn settle(mut self, result: Settled) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(result);
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        count(|l| l.promises = l.promises.saturating_sub(1));
    }
}

/// One call in flight (or waiting to be retried), counted while it lives; its timers
/// and its listener on the caller's signal go with it.
struct CallCtx {
    attempt: u32,
    controller: Option<AbortController>,
    _deadline: Option<Timeout>,
    sleep: Option<Timeout>,
    signal: Option<(AbortSignal, Closure<dyn FnMut()>)>,
}

impl CallCtx {
    fn new(deadline: Option<Timeout>) -> CallCtx {
        count(|l| l.calls = l.calls.saturating_add(1));
        CallCtx {
            attempt: 0,
            controller: None,
            _deadline: deadline,
            sleep: None,
            signal: None,
        }
    }

    fn listen(&mut self, signal: AbortSignal, listener: Closure<dyn FnMut()>) {
        let _ = signal.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        count(|l| l.listeners = l.listeners.saturating_add(1));
        self.signal = Some((signal, listener));
    }
}

impl Drop for CallCtx {
    fn drop(&mut self) {
        count(|l| l.calls = l.calls.saturating_sub(1));
        if let Some((signal, listener)) = &self.signal {
            let _ = signal
                .remove_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
            count(|l| l.listeners = l.listeners.saturating_sub(1));
        }
    }
}

/// Files kept for a send, counted while kept.
struct Kept(Array);

impl Kept {
    fn new(files: Array) -> Kept {
        count(|l| l.files = l.files.saturating_add(1));
        Kept(files)
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        count(|l| l.files = l.files.saturating_sub(1));
    }
}

/// The session's socket: its own, or (a follower of shared tabs) the leader's, relayed.
enum Line {
    Own(Socket),
    /// The machine's socket `generation` to `url`, stood in for by the relay (opened
    /// for real if this tab is granted the lead first).
    StandIn {
        generation: u32,
        url: String,
    },
}

#[derive(Default)]
struct State {
    promises: IdMap<Pending>,
    calls: IdMap<CallCtx>,
    socket: Option<(u64, Line)>,
    sockets_made: u64,
    /// Shared tabs: the tabs of the session's contact, while its socket is shared.
    group: Option<Group>,
    /// Shared tabs cannot work here after all (the lock was refused): sockets are own.
    tabs_off: bool,
    timer: Option<Timeout>,
    page: Option<page::Watch>,
    /// Files of sends, and their progress callbacks, by key (a handful at most).
    files: Vec<(String, Kept, Option<Progress>)>,
    emits: Vec<Emit>,
    changed: bool,
    settles: Vec<(Pending, Settled)>,
    queued: bool,
    version: u64,
    retiring: bool,
}

struct Inner {
    machine: RefCell<Option<Machine>>,
    io: Io,
    st: RefCell<State>,
    sink: Rc<RefCell<Option<Sink>>>,
}

/// Where a driver's events and changes go.
pub type Sink = Rc<dyn Fn(Emit)>;

/// A machine and the I/O it asks for.
#[derive(Clone)]
pub struct Driver(Rc<Inner>);

impl Driver {
    /// A driver of a machine of `kind` with its plain-data `options`.
    pub fn new(kind: &str, options: &Value, io: Io) -> Result<Driver, Error> {
        let seed = (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64;
        let machine = Machine::new(kind, options, seed)?;
        Ok(Driver(Rc::new(Inner {
            machine: RefCell::new(Some(machine)),
            io,
            st: RefCell::new(State::default()),
            sink: Rc::new(RefCell::new(None)),
        })))
    }

    /// Where events and changes go.
    pub fn set_sink(&self, sink: Sink) {
        *self.0.sink.borrow_mut() = Some(sink);
    }

    /// Reads the machine's state (`None` once it was freed).
    pub fn with_machine<R>(&self, f: impl FnOnce(&Machine) -> R) -> Option<R> {
        self.0.machine.borrow().as_ref().map(f)
    }

    /// Whether the machine was freed (a closed session).
    pub fn is_retired(&self) -> bool {
        self.0.machine.borrow().is_none()
    }

    /// The snapshot version of the last step.
    pub fn version(&self) -> u64 {
        self.0.st.borrow().version
    }

    /// A method that returns at once: its value, or the error it throws.
    pub fn call_sync(&self, method: &str, args: &Value) -> Result<JsValue, JsValue> {
        let value = self
            .0
            .step(|m, now| m.call(method, args, now), |_, _| {})
            .ok_or_else(js::closed)?;
        match value {
            Ok(Some(text)) => Ok(js_sys::JSON::parse(&text).unwrap_or(JsValue::UNDEFINED)),
            Ok(None) => Ok(JsValue::UNDEFINED),
            Err(e) => Err(js::error(&e)),
        }
    }

    /// A method that returns a promise; `rec` keeps what its request needs.
    pub fn call_async(&self, method: &str, args: &Value, rec: Rec) -> Promise {
        let (tx, rx) = oneshot::channel::<Settled>();
        let mut slot = Some((tx, rec));
        let value = self.0.step(
            |m, now| m.call(method, args, now),
            |outcome, st| {
                // Registered before the step's operations run: they may settle it at
                // once, and its request reads the signal and files from here.
                if let (Ok(Some(text)), Some((tx, rec))) = (&outcome.value, slot.take()) {
                    if let Ok(p) = text.parse::<u32>() {
                        st.promises.insert(i64::from(p), Pending::new(tx, rec));
                    }
                }
            },
        );
        let refused = match value {
            None => Some(js::closed()),
            Some(Err(e)) => Some(js::error(&e)),
            Some(Ok(_)) => None,
        };
        // The driver lives until the promise settles (every call has a deadline), also
        // when the class that made it is garbage-collected meanwhile.
        let alive = self.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            if let Some(e) = refused {
                return Err(e);
            }
            let settled = rx.await.unwrap_or_else(|_| Err(js::closed()));
            drop(alive);
            settled
        })
    }

    /// Keeps the files of a session's send under `key` (with its progress callback).
    pub fn keep_files(&self, key: &str, files: Array, progress: Option<Progress>) {
        self.0.keep(key, files, progress);
    }

    /// Drops the files kept under `key`.
    pub fn drop_files(&self, key: &str) {
        self.0.drop_files(key);
    }

    /// Stops the socket, the timer and the page listeners (a session that failed to
    /// start), and drops its files.
    pub fn dispose(&self) {
        self.0.drop_socket();
        let (timer, page, files, group) = {
            let mut st = self.0.st.borrow_mut();
            let files = core::mem::take(&mut st.files);
            (st.timer.take(), st.page.take(), files, st.group.take())
        };
        drop((timer, page, files, group));
    }

    /// Shared tabs: `"leader"` (this tab holds the socket), `"follower"` (relayed), or
    /// `None` (the socket is the session's own, or not opened yet).
    pub fn tab(&self) -> Option<&'static str> {
        let st = self.0.st.borrow();
        if st.tabs_off {
            return Some("own");
        }
        let group = st.group.as_ref()?;
        Some(if group.is_leader() {
            "leader"
        } else {
            "follower"
        })
    }

    /// Frees the machine now rather than whenever the garbage collector gets to it (a
    /// closed session): at once when no request is in flight, else when the last one
    /// ends. Later calls fail with `closed`.
    pub fn retire(&self) {
        // A leader hands the lead on at once, not when its last request ends.
        let group = {
            let mut st = self.0.st.borrow_mut();
            st.retiring = true;
            st.group.take()
        };
        drop(group);
        self.0.retire_if_idle();
    }
}

impl Inner {
    /// Runs one machine step and carries out its operations. `before` sees the outcome
    /// first. `None` when the machine is gone.
    fn step(
        self: &Rc<Self>,
        run: impl FnOnce(&mut Machine, u64) -> Outcome,
        before: impl FnOnce(&Outcome, &mut State),
    ) -> Option<Result<Option<String>, Error>> {
        let outcome = {
            let mut m = self.machine.borrow_mut();
            run(m.as_mut()?, now())
        };
        before(&outcome, &mut self.st.borrow_mut());
        let Outcome {
            ops,
            value,
            version,
            ..
        } = outcome;
        for op in ops {
            self.perform(op);
        }
        if let Some(v) = version {
            let mut st = self.st.borrow_mut();
            if v != st.version {
                st.version = v;
                st.changed = true;
            }
        }
        self.schedule();
        Some(value)
    }

    fn report(self: &Rc<Self>, r: Report) {
        self.step(|m, now| m.input(r, now), |_, _| {});
    }

    fn perform(self: &Rc<Self>, op: Op) {
        match op {
            Op::Fetch {
                id,
                p,
                method,
                url,
                body,
                form,
                files,
                token,
                timeout,
            } => {
                let req = Outgoing {
                    method,
                    url,
                    body,
                    form,
                    files: None,
                    token,
                };
                self.fetch(id, p, req, files, timeout);
            }
            Op::Sleep { id, ms } => {
                let weak = Rc::downgrade(self);
                let timer = Timeout::after(ms, move || with(&weak, |i| i.report(Report::Wake(id))));
                if let Some(call) = self.st.borrow_mut().calls.get_mut(i64::from(id)) {
                    call.sleep = Some(timer);
                }
            }
            Op::End { id } => self.end(id),
            Op::Resolve { p, v } => {
                let value = match v {
                    Some(raw) => js_sys::JSON::parse(raw.get()).unwrap_or(JsValue::NULL),
                    None => JsValue::UNDEFINED,
                };
                self.settle(p, Ok(value));
            }
            Op::Reject { p, error } => self.settle(p, Err(js::error(&error))),
            Op::Event { e } => {
                self.st.borrow_mut().emits.push(Emit::Event(js::event(&e)));
            }
            Op::Open { socket, url, group } => self.open(socket, &url, group.as_deref()),
            Op::Send { text } => {
                // Not sent under the borrow: an injected socket's `send` is the page's code.
                let (out, stand_in) = {
                    let st = self.st.borrow();
                    match &st.socket {
                        Some((_, Line::Own(s))) => (Some(s.outlet()), None),
                        Some((token, Line::StandIn { .. })) => (None, Some(*token)),
                        None => (None, None),
                    }
                };
                if let Some(out) = out {
                    out.send(&text);
                }
                if let (Some(token), Some(group)) = (stand_in, self.st.borrow().group.as_ref()) {
                    group.send(token, &text);
                }
            }
            Op::Close => self.drop_socket(),
            Op::Moved { user } => {
                if let Some(group) = self.st.borrow().group.as_ref() {
                    group.moved(user);
                }
            }
            Op::Timer { at } => {
                let old = self.st.borrow_mut().timer.take();
                drop(old);
                if let Some(at) = at {
                    let weak = Rc::downgrade(self);
                    let timer = Timeout::after(at.saturating_sub(now()), move || {
                        with(&weak, |i| i.report(Report::Tick));
                    });
                    self.st.borrow_mut().timer = Some(timer);
                }
            }
            Op::Watch => {
                if self.st.borrow().page.is_none() {
                    let weak = Rc::downgrade(self);
                    let watch = page::Watch::start(move |page| {
                        let weak = weak.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            with(&weak, |i| i.report(Report::Page(page)));
                        });
                    });
                    self.st.borrow_mut().page = Some(watch);
                }
            }
            Op::Unwatch => {
                let old = self.st.borrow_mut().page.take();
                drop(old);
            }
            Op::Load { id, key } => {
                let weak = Rc::downgrade(self);
                wasm_bindgen_futures::spawn_local(async move {
                    let Some(inner) = weak.upgrade() else { return };
                    let value = match &inner.io.storage {
                        Some(s) => s.get(&key).await,
                        None => None,
                    };
                    inner.report(Report::Loaded { id, value });
                });
            }
            Op::Store { key, value } => {
                if let Some(s) = &self.io.storage {
                    s.set(&key, value.as_deref());
                }
            }
            Op::Forget { files } => self.drop_files(&files),
            // The files of unconfirmed sends outlive the page only where the session's
            // own storage does.
            Op::Persist { files, echo } => {
                let kept = self
                    .st
                    .borrow()
                    .files
                    .iter()
                    .find(|(k, _, _)| *k == files)
                    .map(|(_, f, _)| f.0.clone());
                if let (Some(kept), true) = (kept, self.io.persistent()) {
                    wasm_bindgen_futures::spawn_local(async move { idb::put(&echo, &kept).await });
                }
            }
            Op::Unpersist { echo } => {
                if self.io.persistent() {
                    wasm_bindgen_futures::spawn_local(async move { idb::delete(&echo).await });
                }
            }
            Op::Recall { id, echo, files } => {
                let weak = Rc::downgrade(self);
                let persistent = self.io.persistent();
                wasm_bindgen_futures::spawn_local(async move {
                    let found = if persistent {
                        idb::get(&echo).await
                    } else {
                        None
                    };
                    let Some(inner) = weak.upgrade() else { return };
                    let ok = found.is_some();
                    if let Some(list) = found {
                        inner.keep(&files, list, None);
                    }
                    inner.report(Report::Recalled { id, found: ok });
                });
            }
        }
    }

    fn settle(&self, p: u32, result: Settled) {
        let mut st = self.st.borrow_mut();
        if let Some(pending) = st.promises.remove(i64::from(p)) {
            // Settled after this step's events and change are dispatched: code after an
            // `await` sees the snapshot its listeners were told about.
            st.settles.push((pending, result));
        }
    }

    /// Dispatches what the steps queued, in a task of its own.
    fn schedule(self: &Rc<Self>) {
        {
            let mut st = self.st.borrow_mut();
            if st.queued || (st.emits.is_empty() && !st.changed && st.settles.is_empty()) {
                return;
            }
            st.queued = true;
        }
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            with(&weak, |i| i.flush());
        });
    }

    fn flush(&self) {
        let (emits, changed, settles) = {
            let mut st = self.st.borrow_mut();
            st.queued = false;
            let changed = core::mem::take(&mut st.changed);
            (
                core::mem::take(&mut st.emits),
                changed,
                core::mem::take(&mut st.settles),
            )
        };
        let sink = self.sink.borrow().clone();
        if let Some(sink) = sink {
            for e in emits {
                sink(e);
            }
            if changed {
                sink(Emit::Change);
            }
        }
        for (pending, result) in settles {
            pending.settle(result);
        }
    }

    fn keep(&self, key: &str, files: Array, progress: Option<Progress>) {
        let kept = Kept::new(files);
        self.drop_files(key);
        self.st
            .borrow_mut()
            .files
            .push((key.to_owned(), kept, progress));
    }

    fn drop_files(&self, key: &str) {
        let mut st = self.st.borrow_mut();
        let at = st.files.iter().position(|(k, _, _)| k == key);
        let kept = at.map(|at| st.files.remove(at));
        drop(st);
        drop(kept);
    }

    /// Sends (or sends again) call `id`'s request.
    fn fetch(
        self: &Rc<Self>,
        id: u32,
        p: Option<u32>,
        mut req: Outgoing,
        files_key: Option<String>,
        timeout: Option<u64>,
    ) {
        let weak = Rc::downgrade(self);
        let mut st = self.st.borrow_mut();
        let (signal, files, progress) = match p.and_then(|p| st.promises.get(i64::from(p))) {
            Some(pending) => (
                pending.rec.signal.clone(),
                pending.rec.files.clone(),
                pending.rec.progress.clone(),
            ),
            None => (None, None, None),
        };
        if !st.calls.contains(i64::from(id)) {
            let w = weak.clone();
            let deadline =
                timeout.map(|ms| Timeout::after(ms, move || with(&w, |i| i.abort(id, false))));
            let mut call = CallCtx::new(deadline);
            if let Some(signal) = signal {
                if signal.aborted() {
                    st.calls.insert(i64::from(id), call);
                    drop(st);
                    wasm_bindgen_futures::spawn_local(async move {
                        with(&weak, |i| i.abort(id, true));
                    });
                    return;
                }
                let w = weak.clone();
                let listener = Closure::wrap(Box::new(move || {
                    let w = w.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        with(&w, |i| i.abort(id, true));
                    });
                }) as Box<dyn FnMut()>);
                call.listen(signal, listener);
            }
            st.calls.insert(i64::from(id), call);
        }
        let Ok(controller) = AbortController::new() else {
            return;
        };
        let Some(call) = st.calls.get_mut(i64::from(id)) else {
            return;
        };
        call.attempt = call.attempt.saturating_add(1);
        call.controller = Some(controller.clone());
        let attempt = call.attempt;
        let kept = files_key
            .as_ref()
            .and_then(|key| st.files.iter().find(|(k, _, _)| k == key));
        req.files = kept.map(|(_, f, _)| f.0.clone()).or(files);
        let progress = progress.or_else(|| kept.and_then(|(_, _, p)| p.clone()));
        drop(st);
        let injected = self.io.fetch.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let signal = controller.signal();
            let result = http::send(req, &signal, injected.as_ref(), progress).await;
            let Some(inner) = weak.upgrade() else { return };
            let current = inner
                .st
                .borrow()
                .calls
                .get(i64::from(id))
                .is_some_and(|c| c.attempt == attempt);
            if !current {
                return;
            }
            match result {
                Ok(a) => {
                    inner.step(
                        |m, now| m.response(id, a.status, a.retry_after.as_deref(), &a.body, now),
                        |_, _| {},
                    );
                }
                // Only the network is caught: a fault in what follows must not pass for one.
                Err(()) if !signal.aborted() => inner.report(Report::Failed(id)),
                Err(()) => {}
            }
        });
    }

    /// Call `id` passed its deadline, or its caller's signal fired.
    fn abort(self: &Rc<Self>, id: u32, aborted: bool) {
        let controller = match self.st.borrow().calls.get(i64::from(id)) {
            Some(call) => call.controller.clone(),
            None => return,
        };
        if let Some(c) = controller {
            c.abort();
        }
        self.report(Report::Abort { id, aborted });
    }

    fn end(self: &Rc<Self>, id: u32) {
        let call = self.st.borrow_mut().calls.remove(i64::from(id));
        if call.is_none() {
            return;
        }
        drop(call);
        // The answer being processed still needs the machine: free it after this step.
        if self.st.borrow().retiring {
            let weak = Rc::downgrade(self);
            wasm_bindgen_futures::spawn_local(async move {
                with(&weak, |i| i.retire_if_idle());
            });
        }
    }

    fn retire_if_idle(&self) {
        let rejected = {
            let mut st = self.st.borrow_mut();
            if !st.retiring || !st.calls.is_empty() {
                return;
            }
            st.promises.drain().collect::<Vec<Pending>>()
        };
        let machine = self.machine.borrow_mut().take();
        drop(machine);
        // After the last dispatch (queued before this task), the listeners go too: a
        // listener that holds the session must not keep it alive.
        let sink = self.sink.clone();
        wasm_bindgen_futures::spawn_local(async move {
            sink.borrow_mut().take();
        });
        // Nothing can answer them now: no promise of a closed session stays pending.
        for p in rejected {
            p.settle(Err(js::closed()));
        }
    }

    /// Drops the socket (a follower's stand-in leaves the relay; a leader's real socket
    /// going is told to the followers).
    fn drop_socket(&self) {
        let old = self.st.borrow_mut().socket.take();
        let Some((token, line)) = old else {
            return;
        };
        if let Some(group) = self.st.borrow().group.as_ref() {
            match line {
                Line::StandIn { .. } => group.drop_stand_in(token),
                Line::Own(_) if group.is_leader() => group.lost(),
                Line::Own(_) => {}
            }
        }
        drop(line);
    }

    /// Takes part in the tabs named `name` (leaving others): whether it could.
    fn join_group(self: &Rc<Self>, name: Option<&str>) -> bool {
        let same = {
            let st = self.st.borrow();
            if st.tabs_off {
                return false;
            }
            st.group.as_ref().map(Group::name) == name
        };
        if same {
            return name.is_some();
        }
        let old = self.st.borrow_mut().group.take();
        drop(old);
        let Some(name) = name else {
            return false;
        };
        let weak = Rc::downgrade(self);
        let told = Rc::new(move |told: Told| {
            let weak = weak.clone();
            // (From a task of its own: the channel's handler may be dropped meanwhile.)
            wasm_bindgen_futures::spawn_local(async move {
                with(&weak, |i| match told {
                    Told::Leading => i.lead(),
                    Told::Ready => i.retry_now(),
                    Told::Moved(user) => i.report(Report::Follow { user }),
                    Told::Unavailable => i.tabs_off(),
                });
            });
        });
        match Group::join(name, told) {
            Ok(group) => {
                self.st.borrow_mut().group = Some(group);
                true
            }
            // No channel after all: the socket is the session's own.
            Err(_) => false,
        }
    }

    fn open(self: &Rc<Self>, generation: u32, url: &str, group: Option<&str>) {
        self.drop_socket();
        let shared = self.join_group(group);
        let leader = shared
            && self
                .st
                .borrow()
                .group
                .as_ref()
                .is_some_and(Group::is_leader);
        let token = {
            let mut st = self.st.borrow_mut();
            st.sockets_made = st.sockets_made.wrapping_add(1);
            st.sockets_made
        };
        if shared && !leader {
            // A follower (for now): the leader's socket, relayed. If this tab is granted
            // the lead before the stand-in opens, the real socket takes its place.
            let report = self.reporter(token, generation);
            if let Some(group) = self.st.borrow().group.as_ref() {
                group.stand_in(token, Rc::new(report));
            }
            let url = url.to_owned();
            self.st.borrow_mut().socket = Some((token, Line::StandIn { generation, url }));
            return;
        }
        self.connect(token, generation, url);
    }

    /// What the socket `token` (of the machine's generation `generation`) reports, for
    /// the machine; a leader's real socket is heard by the other tabs too.
    fn reporter(self: &Rc<Self>, token: u64, generation: u32) -> impl Fn(Happened) + 'static {
        let weak = Rc::downgrade(self);
        move |happened: Happened| {
            with(&weak, |i| {
                let relay = {
                    let st = i.st.borrow();
                    match &st.socket {
                        Some((t, line)) if *t == token => {
                            matches!(line, Line::Own(_))
                                && st.group.as_ref().is_some_and(Group::is_leader)
                        }
                        _ => return,
                    }
                };
                if relay {
                    if let Some(group) = i.st.borrow().group.as_ref() {
                        group.relay(&happened);
                    }
                }
                match happened {
                    Happened::Open => i.report(Report::Socket {
                        socket: generation,
                        open: true,
                    }),
                    Happened::Close => i.report(Report::Socket {
                        socket: generation,
                        open: false,
                    }),
                    Happened::Frame(text) => {
                        i.step(|m, now| m.frame(generation, &text, now), |_, _| {});
                    }
                }
            });
        }
    }

    /// Opens the real socket `token` to `url`.
    fn connect(self: &Rc<Self>, token: u64, generation: u32, url: &str) {
        let report = self.reporter(token, generation);
        match Socket::open(url, self.io.websocket.as_ref(), report) {
            Ok(s) => self.st.borrow_mut().socket = Some((token, Line::Own(s))),
            Err(thrown) => {
                // Refused before connecting (a CSP without the server in connect-src, a
                // constructor that rejects the URL): said on `error`, then retried like
                // a failed connection.
                let e = Error::new(
                    crate::error::ErrorCode::Network,
                    [
                        "the WebSocket could not be opened: ",
                        &js::message_of(&thrown),
                    ]
                    .concat(),
                );
                let event = js::event(&crate::chat::Event::Error { error: Some(e) });
                self.st.borrow_mut().emits.push(Emit::Event(event));
                let weak = Rc::downgrade(self);
                wasm_bindgen_futures::spawn_local(async move {
                    with(&weak, |i| {
                        i.report(Report::Socket {
                            socket: generation,
                            open: false,
                        })
                    });
                });
                self.schedule();
            }
        }
    }

    /// Shared tabs cannot work here: the group goes, and a stand-in is reported closed
    /// (the machine then opens a socket of its own).
    fn tabs_off(self: &Rc<Self>) {
        let (stand_in, group) = {
            let mut st = self.st.borrow_mut();
            st.tabs_off = true;
            let stand_in = match st.socket {
                Some((_, Line::StandIn { generation, .. })) => Some(generation),
                _ => None,
            };
            (stand_in, st.group.take())
        };
        drop(group);
        if let Some(generation) = stand_in {
            self.st.borrow_mut().socket = None;
            self.report(Report::Socket {
                socket: generation,
                open: false,
            });
        }
    }

    /// A socket retry waiting for its time goes now, as when the page becomes visible
    /// (the tabs' leader is ready, or this tab was granted the lead between sockets).
    fn retry_now(self: &Rc<Self>) {
        self.report(Report::Page(crate::machine::Page::Visible));
    }

    /// This tab was granted the lead of its tabs. A stand-in still waiting becomes the
    /// real socket (the machine sees the socket it asked for open); one that was open
    /// (the old leader's relay) closes, and the machine reconnects and catches up.
    fn lead(self: &Rc<Self>) {
        let (token, open, generation, url) = {
            let st = self.st.borrow();
            let Some((token, Line::StandIn { generation, url })) = st.socket.as_ref() else {
                let waiting = st.socket.is_none();
                drop(st);
                if waiting {
                    self.retry_now();
                }
                return;
            };
            let open = st.group.as_ref().and_then(|g| g.stand_in_open(*token));
            (*token, open, *generation, url.clone())
        };
        if open == Some(false) {
            if let Some(group) = self.st.borrow().group.as_ref() {
                group.drop_stand_in(token);
            }
            self.connect(token, generation, &url);
        } else if let Some(group) = self.st.borrow().group.as_ref() {
            group.close_stand_in();
        }
    }
}

/// Runs `f` on the driver if it still exists.
fn with(weak: &Weak<Inner>, f: impl FnOnce(&Rc<Inner>)) {
    if let Some(inner) = weak.upgrade() {
        f(&inner);
    }
}
