//! The thin I/O under the realtime state machine: a WebSocket (the browser's, or an
//! injected constructor such as Node's `ws`) and a one-shot timer. Each owns the
//! JavaScript callback it was given: dropping it detaches and frees it, so nothing
//! leaks across reconnects and no callback of an old socket reaches the session.
//!
//! Every callback is the same type, [`Handler`] (it receives the DOM event, or
//! `undefined` from a timer), so wasm-bindgen makes its glue once.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::fetch::{clear_timeout, set_timeout};
use crate::error::{Error, ErrorCode};

/// A JavaScript callback owned by Rust.
pub type Handler = Closure<dyn FnMut(JsValue)>;

/// What a socket reports, read from the event its handler received.
#[derive(Debug)]
pub enum SocketEvent {
    /// Connected.
    Open,
    /// A text frame.
    Text(String),
    /// Closed or failed (an `error` is always followed by `close`; both end it).
    Closed,
    /// Not a socket event (a binary frame, say): ignored.
    Other,
}

impl SocketEvent {
    /// Reads a WebSocket event.
    pub fn read(ev: &JsValue) -> SocketEvent {
        let kind = Reflect::get(ev, &"type".into())
            .ok()
            .and_then(|t| t.as_string());
        match kind.as_deref() {
            Some("open") => SocketEvent::Open,
            // ActionCable only sends text; anything else is not ours to read.
            Some("message") => Reflect::get(ev, &"data".into())
                .ok()
                .and_then(|d| d.as_string())
                .map_or(SocketEvent::Other, SocketEvent::Text),
            Some("close" | "error") => SocketEvent::Closed,
            _ => SocketEvent::Other,
        }
    }
}

const EVENTS: [&str; 4] = ["onopen", "onmessage", "onclose", "onerror"];

/// An open (or opening) WebSocket with its handler.
pub struct Socket {
    ws: JsValue,
    _handler: Handler,
}

impl Socket {
    /// Opens `url` with the ActionCable subprotocols through `ctor`
    /// (`new ctor(url, protocols)`); every event of the socket goes to `handler`.
    pub fn open(ctor: &Function, url: &str, handler: Handler) -> Result<Socket, Error> {
        let protocols = Array::of2(
            &"actioncable-v1-json".into(),
            &"actioncable-unsupported".into(),
        );
        let ws = Reflect::construct(ctor, &Array::of2(&url.into(), &protocols)).map_err(|e| {
            let detail = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default();
            Error::new(
                ErrorCode::Network,
                ["could not open the realtime socket: ", &detail].concat(),
            )
        })?;
        for name in EVENTS {
            let _ = Reflect::set(&ws, &name.into(), handler.as_ref());
        }
        Ok(Socket {
            ws,
            _handler: handler,
        })
    }

    /// Sends a text frame; a socket that is not open drops it (the state machine
    /// resends what matters after the next `welcome`).
    pub fn send(&self, text: &str) {
        call_method(&self.ws, "send", &text.into());
    }
}

fn call_method(target: &JsValue, name: &str, arg: &JsValue) {
    if let Ok(f) = Reflect::get(target, &name.into()) {
        if let Some(f) = f.dyn_ref::<Function>() {
            let _ = f.call1(target, arg);
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Node's `ws` raises an `error` event when a socket still connecting is closed,
        // and throws if nobody listens: `onerror` gets a harmless built-in instead of
        // null (a function made with `new Function` would break a strict CSP).
        let inert = Reflect::get(&js_sys::global(), &"Boolean".into()).unwrap_or(JsValue::NULL);
        for name in EVENTS {
            let replacement = if name == "onerror" {
                &inert
            } else {
                &JsValue::NULL
            };
            let _ = Reflect::set(&self.ws, &name.into(), replacement);
        }
        call_method(&self.ws, "close", &JsValue::UNDEFINED);
        // The handler drops here: the JS function it backed is gone with it.
    }
}

/// A pending `setTimeout`, cleared when dropped.
pub struct Timer {
    id: JsValue,
    _handler: Handler,
}

impl Timer {
    /// Calls `handler` once after `ms`.
    pub fn after(ms: f64, handler: Handler) -> Timer {
        let id = set_timeout(handler.as_ref().unchecked_ref(), ms.max(0.0));
        Timer {
            id,
            _handler: handler,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// Resolves after `ms`.
pub async fn sleep(ms: f64) {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms.max(0.0));
    });
    let _ = JsFuture::from(promise).await;
}
