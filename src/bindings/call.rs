//! One request, decoded, and the two ways values cross to JavaScript: a model as one
//! JSON text for `JSON.parse`, a future as one `Promise`. Futures are boxed before they
//! reach `wasm-bindgen-futures`, so its machinery is compiled once, not per method.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::{Promise, JSON};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, spawn_local};
use web_sys::Blob;

use super::errors::to_js;
use crate::api::Request;
use crate::error::Error;
use crate::model::Shape;
use crate::transport::{self, CallOptions, Transport};
use crate::wire::json::{Doc, Node};

/// Sends `req` and reads the answer with `read` (`what` names it in a decode error).
/// The request is one boxed future whatever the answer is.
pub fn call<'a, T>(
    transport: &'a Transport,
    what: &'static str,
    req: &'a Request,
    files: &'a [Blob],
    read: fn(Node<'_>) -> Option<T>,
) -> Call<'a, T> {
    Call {
        text: Box::pin(transport::send(
            transport,
            req,
            files,
            CallOptions::default(),
        )),
        what,
        read,
    }
}

/// The future of [`call`].
pub struct Call<'a, T> {
    text: Pin<Box<dyn Future<Output = Result<String, Error>> + 'a>>,
    what: &'static str,
    read: fn(Node<'_>) -> Option<T>,
}

impl<T> Future for Call<'_, T> {
    type Output = Result<T, Error>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.text.as_mut().poll(cx) {
            Poll::Ready(text) => Poll::Ready(text.and_then(|t| decode(self.what, &t, self.read))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Reads an answer's text with `read`.
pub fn decode<T>(what: &str, text: &str, read: fn(Node<'_>) -> Option<T>) -> Result<T, Error> {
    let doc = Doc::parse(text).map_err(|_| Error::decode(what, "the body is not JSON", text))?;
    read(doc.root()).ok_or_else(|| Error::decode(what, "not the documented shape", text))
}

/// An answer's text as the plain JavaScript value of `shape`.
pub fn reply(what: &str, text: &str, shape: Shape) -> Result<JsValue, Error> {
    if let Shape::Empty = shape {
        return Ok(JsValue::UNDEFINED);
    }
    let doc = Doc::parse(text).map_err(|_| Error::decode(what, "the body is not JSON", text))?;
    let mut o = crate::wire::out::Out::new();
    if !shape.write(doc.root(), &mut o) {
        return Err(Error::decode(what, "not the documented shape", text));
    }
    Ok(from_json(o.as_str()))
}

/// A JSON text written by the SDK as the plain JavaScript value it describes.
pub fn from_json(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or(JsValue::NULL)
}

type Boxed<T> = Pin<Box<dyn Future<Output = T>>>;

/// A `Promise` of a future; an `Err` rejects with a `ChatwootError`.
pub fn promise(f: impl Future<Output = Result<JsValue, Error>> + 'static) -> Promise {
    to_promise(Box::pin(f))
}

fn to_promise(f: Boxed<Result<JsValue, Error>>) -> Promise {
    future_to_promise(async move { f.await.map_err(to_js) })
}

/// Runs a future in the background.
pub fn spawn(f: impl Future<Output = ()> + 'static) {
    spawn_boxed(Box::pin(f));
}

fn spawn_boxed(f: Boxed<()>) {
    spawn_local(f);
}
