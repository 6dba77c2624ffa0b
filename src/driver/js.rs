//! The few JavaScript bindings no crate of the stack has (the global timer functions,
//! `queueMicrotask`-free scheduling), the `ChatwootError` class, and the counts that
//! `diagnostics()` reports.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, ErrorCode};

#[wasm_bindgen]
extern "C" {
    // The global functions, as windows, workers and Node all have them (web-sys binds
    // them on `Window` and `WorkerGlobalScope` only).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// What the driver holds right now, across every client and session.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Live {
    /// Pending timers.
    pub timers: i32,
    /// Event listeners the SDK registered (page events, abort signals).
    pub listeners: i32,
    /// Open sockets.
    pub sockets: i32,
    /// Requests in flight (or waiting to be retried).
    pub calls: i32,
    /// Promises not settled yet.
    pub promises: i32,
    /// Kept files.
    pub files: i32,
    /// Shared-tab groups taken part in (a `BroadcastChannel` and a Web Lock each).
    pub channels: i32,
}

thread_local! {
    static LIVE: Cell<Live> = Cell::new(Live::default());
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Changes one count of [`Live`].
pub fn count(change: impl FnOnce(&mut Live)) {
    LIVE.with(|l| {
        let mut v = l.get();
        change(&mut v);
        l.set(v);
    });
}

/// The counts now.
pub fn live() -> Live {
    LIVE.with(Cell::get)
}

/// The package's `ChatwootError` class, handed over by the JS entry at load.
pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

/// A `ChatwootError` for `e` (a plain `Error` named so when the class was not handed
/// over, as in the wasm tests).
pub fn error(e: &Error) -> JsValue {
    let extra = to_js(e);
    let class = ERROR_CLASS.with(|c| c.borrow().clone());
    if let Some(class) = class {
        let args = js_sys::Array::of3(
            &JsValue::from_str(e.code.as_str()),
            &JsValue::from_str(&e.message),
            &extra,
        );
        if let Ok(made) = Reflect::construct(&class, &args) {
            return made;
        }
    }
    let plain = js_sys::Error::new(&e.message);
    plain.set_name("ChatwootError");
    let _ = Object::assign(&plain, extra.unchecked_ref());
    plain.into()
}

/// An `invalid_argument` error.
pub fn invalid(message: &str) -> JsValue {
    error(&Error::invalid_argument(message))
}

/// The `closed` error of a session that was closed.
pub fn closed() -> JsValue {
    error(&Error::new(ErrorCode::Closed, "this ChatSession is closed"))
}

/// What a thrown JavaScript value says: an `Error`'s message, or a thrown string.
pub fn message_of(thrown: &JsValue) -> String {
    thrown
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| thrown.as_string())
        .unwrap_or_default()
}

/// An event as listeners receive it: its plain object, with a `ChatwootError`.
pub fn event(e: &crate::chat::Event) -> JsValue {
    let object = to_js(e);
    if let Some(why) = e.error() {
        let _ = Reflect::set(&object, &JsValue::from_str("error"), &error(why));
    }
    object
}

/// A value as the plain object JavaScript receives (`null` for `None`, maps as
/// objects, numbers as numbers): its serde_json text through `JSON.parse`. Against
/// serde-wasm-bindgen's serializer (a call into JavaScript per field) this measured the
/// same for events (P4, in one page: 2,146 ms vs 2,132 ms for 10,000 frames) and keeps
/// one `Serialize` per model in the module instead of two: 6.6 KB less gzipped.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or(JsValue::NULL)
}

/// Milliseconds since the epoch.
pub fn now() -> u64 {
    let ms = js_sys::Date::now();
    if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    }
}

/// A timer that is cancelled when dropped. Its callback runs `run` in a task, so the
/// timer may be replaced (and dropped) by what `run` does.
pub struct Timeout {
    handle: JsValue,
    fired: Rc<Cell<bool>>,
    _callback: Closure<dyn FnMut()>,
}

/// The longest delay `setTimeout` keeps (a longer one fires at once).
const MAX_DELAY_MS: u64 = 2_147_483_647;

impl Timeout {
    /// Runs `run` after `ms`.
    pub fn after(ms: u64, run: impl FnOnce() + 'static) -> Timeout {
        let fired = Rc::new(Cell::new(false));
        let mut run = Some(run);
        let flag = Rc::clone(&fired);
        let callback = Closure::wrap(Box::new(move || {
            if let Some(run) = run.take() {
                flag.set(true);
                count(|l| l.timers = l.timers.saturating_sub(1));
                wasm_bindgen_futures::spawn_local(async move { run() });
            }
        }) as Box<dyn FnMut()>);
        let handle = set_timeout(
            callback.as_ref().unchecked_ref(),
            ms.min(MAX_DELAY_MS) as f64,
        );
        count(|l| l.timers = l.timers.saturating_add(1));
        Timeout {
            handle,
            fired,
            _callback: callback,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if !self.fired.replace(true) {
            clear_timeout(&self.handle);
            count(|l| l.timers = l.timers.saturating_sub(1));
        }
    }
}
