//! The realtime socket: gloo-net's WebSocket where the platform has one, or the
//! constructor the caller injected (Node 20 has none: the `ws` package). Either way the
//! socket only reports what happened; the machine decides.

use core::future::poll_fn;
use core::pin::Pin;
use core::task::Poll;

use futures_channel::mpsc;
use futures_core::Stream;
use futures_sink::Sink;
use gloo_net::websocket::{futures::WebSocket, Message, State, WebSocketError};
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::js::count;

/// ActionCable's sub-protocols, as Rails' own client offers them.
const PROTOCOLS: [&str; 2] = ["actioncable-v1-json", "actioncable-unsupported"];

/// What a socket reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happened {
    /// Connected.
    Open,
    /// A text frame.
    Frame(String),
    /// Closed, or failed to connect.
    Close,
}

/// One socket; closed when dropped.
pub struct Socket {
    kind: Transport,
}

enum Transport {
    /// gloo-net's socket, owned by its task: frames to send go there.
    Gloo(mpsc::UnboundedSender<String>),
    /// An injected socket and its handlers.
    Injected(web_sys::WebSocket, #[allow(dead_code)] Handlers),
}

struct Handlers {
    _open: Closure<dyn FnMut(JsValue)>,
    _message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _close: Closure<dyn FnMut(JsValue)>,
}

thread_local! {
    /// Node's `ws` throws on an `error` event nobody listens to (closing while
    /// connecting): a closed socket keeps this one listener for the module's life.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::wrap(Box::new(|_| {}) as Box<dyn FnMut(JsValue)>);
}

impl Socket {
    /// Opens a socket to `url` with the injected constructor, or gloo-net's. `report`
    /// is called from a task of its own for each thing that happens.
    pub fn open(
        url: &str,
        constructor: Option<&Function>,
        report: impl Fn(Happened) + 'static,
    ) -> Result<Socket, JsValue> {
        let kind = match constructor {
            Some(ctor) => injected(url, ctor, report)?,
            None => global(url, report)?,
        };
        count(|l| l.sockets = l.sockets.saturating_add(1));
        Ok(Socket { kind })
    }

    /// Where frames for this socket go (usable without holding the socket).
    pub fn outlet(&self) -> Outlet {
        match &self.kind {
            Transport::Gloo(tx) => Outlet::Gloo(tx.clone()),
            Transport::Injected(ws, _) => Outlet::Injected(ws.clone()),
        }
    }
}

/// A socket's sending side.
pub enum Outlet {
    /// gloo-net's socket task.
    Gloo(mpsc::UnboundedSender<String>),
    /// An injected socket.
    Injected(web_sys::WebSocket),
}

impl Outlet {
    /// Sends a text frame; a socket that is not open drops it (the machine resends what
    /// matters after the next welcome).
    pub fn send(&self, text: &str) {
        match self {
            Outlet::Gloo(tx) => {
                let _ = tx.unbounded_send(text.to_owned());
            }
            Outlet::Injected(ws) => {
                let _ = ws.send_with_str(text);
            }
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // gloo-net's: the task sees its channel close, and closes the socket.
        if let Transport::Injected(ws, _) = &self.kind {
            ws.set_onopen(None);
            ws.set_onmessage(None);
            ws.set_onclose(None);
            IGNORE.with(|f| ws.set_onerror(Some(f.as_ref().unchecked_ref())));
            let _ = ws.close();
        }
        count(|l| l.sockets = l.sockets.saturating_sub(1));
    }
}

/// What the socket's task wakes up for.
enum Next {
    /// A frame to send; `None`: the `Socket` was dropped.
    Outgoing(Option<String>),
    /// No longer connecting: open (`true`) or failed.
    Ready(bool),
    /// Something arrived (or the stream ended).
    Incoming(Option<Result<Message, WebSocketError>>),
}

fn global(url: &str, report: impl Fn(Happened) + 'static) -> Result<Transport, JsValue> {
    let mut ws = WebSocket::open_with_protocols(url, &PROTOCOLS)
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let (tx, mut rx) = mpsc::unbounded::<String>();
    wasm_bindgen_futures::spawn_local(async move {
        let mut open = false;
        loop {
            let next = poll_fn(|cx| {
                if let Poll::Ready(out) = Pin::new(&mut rx).poll_next(cx) {
                    return Poll::Ready(Next::Outgoing(out));
                }
                if open {
                    Pin::new(&mut ws).poll_next(cx).map(Next::Incoming)
                } else {
                    Pin::new(&mut ws)
                        .poll_ready(cx)
                        .map(|r| Next::Ready(r.is_ok()))
                }
            })
            .await;
            match next {
                Next::Outgoing(Some(text)) => {
                    if open {
                        let _ = Pin::new(&mut ws).start_send(Message::Text(text));
                    }
                }
                Next::Outgoing(None) => {
                    let _ = ws.close(None, None);
                    return;
                }
                Next::Ready(ready) => {
                    if !ready || !matches!(ws.state(), State::Open) {
                        report(Happened::Close);
                        return;
                    }
                    open = true;
                    report(Happened::Open);
                }
                Next::Incoming(Some(Ok(Message::Text(text)))) => report(Happened::Frame(text)),
                // ActionCable only sends text; anything else is not ours to read.
                Next::Incoming(Some(Ok(Message::Bytes(_)))) => {}
                Next::Incoming(Some(Err(_)) | None) => {
                    report(Happened::Close);
                    return;
                }
            }
        }
    });
    Ok(Transport::Gloo(tx))
}

fn injected(
    url: &str,
    ctor: &Function,
    report: impl Fn(Happened) + 'static,
) -> Result<Transport, JsValue> {
    let protocols: Array = PROTOCOLS.iter().map(|p| JsValue::from_str(p)).collect();
    let args = Array::of2(&JsValue::from_str(url), &protocols);
    let ws: web_sys::WebSocket = Reflect::construct(ctor, &args)?.unchecked_into();
    let report = std::rc::Rc::new(report);
    let spawn = |happened: Happened, report: &std::rc::Rc<dyn Fn(Happened)>| {
        let report = std::rc::Rc::clone(report);
        wasm_bindgen_futures::spawn_local(async move { report(happened) });
    };
    let report: std::rc::Rc<dyn Fn(Happened)> = report;
    let r = std::rc::Rc::clone(&report);
    let open = Closure::wrap(
        Box::new(move |_: JsValue| spawn(Happened::Open, &r)) as Box<dyn FnMut(JsValue)>
    );
    let r = std::rc::Rc::clone(&report);
    let message = Closure::wrap(Box::new(move |e: web_sys::MessageEvent| {
        if let Some(text) = e.data().as_string() {
            spawn(Happened::Frame(text), &r);
        }
    }) as Box<dyn FnMut(web_sys::MessageEvent)>);
    let r = std::rc::Rc::clone(&report);
    let close = Closure::wrap(
        Box::new(move |_: JsValue| spawn(Happened::Close, &r)) as Box<dyn FnMut(JsValue)>
    );
    ws.set_onopen(Some(open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(close.as_ref().unchecked_ref()));
    ws.set_onerror(Some(close.as_ref().unchecked_ref()));
    Ok(Transport::Injected(
        ws,
        Handlers {
            _open: open,
            _message: message,
            _close: close,
        },
    ))
}
