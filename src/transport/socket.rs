//! The thin I/O under the realtime state machine: a WebSocket (the browser's, or an
//! injected constructor such as Node's `ws`) and a one-shot timer. Each owns its
//! JavaScript callbacks: dropping it detaches them, so nothing leaks across reconnects
//! and no callback of an old socket reaches the session.

use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::fetch::{clear_timeout, set_timeout};
use crate::error::{Error, ErrorCode};

/// What a socket reports.
#[derive(Debug)]
pub enum SocketEvent {
    /// Connected.
    Open,
    /// A text frame.
    Text(String),
    /// Closed or failed (an `error` is always followed by `close`; both end it).
    Closed,
}

type Handler = Closure<dyn FnMut(JsValue)>;

/// An open (or opening) WebSocket with its handlers.
pub struct Socket {
    ws: JsValue,
    handlers: Vec<(&'static str, Handler)>,
}

impl Socket {
    /// Opens `url` with the ActionCable subprotocols through `ctor` (`new ctor(url, protocols)`).
    pub fn open(
        ctor: &Function,
        url: &str,
        on_event: Rc<dyn Fn(SocketEvent)>,
    ) -> Result<Socket, Error> {
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
        let mut socket = Socket {
            ws,
            handlers: Vec::with_capacity(4),
        };
        let open = Rc::clone(&on_event);
        socket.handle("onopen", move |_| open(SocketEvent::Open));
        let message = Rc::clone(&on_event);
        socket.handle("onmessage", move |ev| {
            let data = Reflect::get(&ev, &"data".into()).unwrap_or(JsValue::UNDEFINED);
            // ActionCable only sends text; anything else is not ours to read.
            if let Some(text) = data.as_string() {
                message(SocketEvent::Text(text));
            }
        });
        let closed = Rc::clone(&on_event);
        socket.handle("onclose", move |_| closed(SocketEvent::Closed));
        socket.handle("onerror", move |_| on_event(SocketEvent::Closed));
        Ok(socket)
    }

    fn handle(&mut self, name: &'static str, f: impl FnMut(JsValue) + 'static) {
        let handler: Handler = Closure::new(f);
        let _ = Reflect::set(&self.ws, &name.into(), handler.as_ref());
        self.handlers.push((name, handler));
    }

    /// Sends a text frame; a socket that is not open drops it (the state machine
    /// resends what matters after the next `welcome`).
    pub fn send(&self, text: &str) {
        let Ok(send) = Reflect::get(&self.ws, &"send".into()) else {
            return;
        };
        if let Some(send) = send.dyn_ref::<Function>() {
            let _ = send.call1(&self.ws, &text.into());
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Node's `ws` raises an `error` event when a socket still connecting is closed,
        // and throws if nobody listens: `onerror` gets a harmless built-in instead of
        // null (a function made with `new Function` would break a strict CSP).
        let inert = Reflect::get(&js_sys::global(), &"Boolean".into()).unwrap_or(JsValue::NULL);
        for (name, _) in &self.handlers {
            let replacement = if *name == "onerror" {
                &inert
            } else {
                &JsValue::NULL
            };
            let _ = Reflect::set(&self.ws, &(*name).into(), replacement);
        }
        if let Ok(close) = Reflect::get(&self.ws, &"close".into()) {
            if let Some(close) = close.dyn_ref::<Function>() {
                let _ = close.call0(&self.ws);
            }
        }
        // `handlers` drop here: the JS functions they backed are gone with them.
    }
}

/// A pending `setTimeout`, cleared when dropped.
pub struct Timer {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Calls `f` once after `ms`.
    pub fn after(ms: f64, f: impl FnMut() + 'static) -> Timer {
        let callback: Closure<dyn FnMut()> = Closure::new(f);
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms.max(0.0));
        Timer {
            id,
            _callback: callback,
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
