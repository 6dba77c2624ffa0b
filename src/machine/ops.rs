//! Writing the operations of one step (see the table in [`super`]).

use super::{Call, Config};
use crate::api::Body;
use crate::error::Error;
use crate::session::Event;
use crate::wire::out::Out;

/// The operations of the step being taken.
#[derive(Debug, Default)]
pub struct Ops {
    o: Out,
}

impl Ops {
    /// Starts a step.
    pub fn begin(&mut self) {
        self.o = Out::new();
        self.o.open_list();
    }

    fn op(&mut self, name: &str) -> &mut Out {
        self.o.open().key("op").str(name)
    }

    /// `fetch`: the request of `call`; its deadline is named on the first attempt only.
    pub fn fetch(&mut self, cfg: &Config, call: &Call, first: bool) {
        let o = self.op("fetch");
        o.key("id").int(i64::from(call.id));
        if let Some(p) = call.p {
            o.key("p").int(i64::from(p));
        }
        o.key("method")
            .str(call.req.method.as_str())
            .key("url")
            .str(&[cfg.base_url.as_str(), call.req.path.as_str()].concat());
        match &call.req.body {
            Body::Empty => {}
            Body::Json(text) => {
                o.key("body").str(text);
            }
            Body::Multipart(fields) => {
                o.key("form").open_list();
                for (k, v) in fields {
                    o.open_list().str(k).str(v).close_list();
                }
                o.close_list();
            }
        }
        if let Some(key) = &call.files {
            o.key("files").str(key);
        }
        if let Some(token) = &cfg.token {
            o.key("token").str(token);
        }
        if first {
            o.key("timeout").int(call.timeout_ms as i64);
        }
        o.close();
    }

    /// `sleep`: wait `ms`, then wake call `id`.
    pub fn sleep(&mut self, id: u32, ms: u64) {
        self.op("sleep")
            .key("id")
            .int(i64::from(id))
            .key("ms")
            .int(ms as i64)
            .close();
    }

    /// `end`: call `id` is over.
    pub fn end(&mut self, id: u32) {
        self.op("end").key("id").int(i64::from(id)).close();
    }

    /// `resolve`: promise `p` with the value written as JSON (`""`: `undefined`).
    pub fn resolve(&mut self, p: u32, json: &str) {
        let o = self.op("resolve").key("p").int(i64::from(p));
        if !json.is_empty() {
            o.key("v").json(json);
        }
        o.close();
    }

    /// `reject`: promise `p` with `error`.
    pub fn reject(&mut self, p: u32, error: &Error) {
        let o = self.op("reject").key("p").int(i64::from(p)).key("error");
        error.write(o);
        o.close();
    }

    /// `event`: one event for the listeners.
    pub fn event(&mut self, e: &Event) {
        let o = self.op("event").key("e");
        e.write(o);
        o.close();
    }

    /// `open`: a socket of generation `socket` to `url`.
    pub fn open(&mut self, socket: u32, url: &str) {
        self.op("open")
            .key("socket")
            .int(i64::from(socket))
            .key("url")
            .str(url)
            .close();
    }

    /// `send`: a text frame on the current socket.
    pub fn send(&mut self, text: &str) {
        self.op("send").key("text").str(text).close();
    }

    /// A bare op: `close`, `watch`, `unwatch`.
    pub fn bare(&mut self, name: &str) {
        self.op(name).close();
    }

    /// `timer`: arm the one timer for `at`, or disarm it.
    pub fn timer(&mut self, at: Option<u64>) {
        self.op("timer")
            .key("at")
            .opt_int(at.map(|t| t as i64))
            .close();
    }

    /// `load`: read `key` from storage.
    pub fn load(&mut self, id: u32, key: &str) {
        self.op("load")
            .key("id")
            .int(i64::from(id))
            .key("key")
            .str(key)
            .close();
    }

    /// `store`: write (or, with `None`, remove) `key`.
    pub fn store(&mut self, key: &str, value: Option<&str>) {
        self.op("store")
            .key("key")
            .str(key)
            .key("value")
            .opt_str(value)
            .close();
    }

    /// `forget`: the files kept under `key` are no longer needed.
    pub fn forget(&mut self, key: &str) {
        self.op("forget").key("files").str(key).close();
    }

    /// Ends the step: `{"ops": [...], "v": value}` or `{"ops": [...], "throw": error}`,
    /// with `"ver"` for sessions.
    pub fn finish(
        &mut self,
        result: Result<Option<String>, Error>,
        version: Option<u64>,
    ) -> String {
        let mut list = core::mem::take(&mut self.o);
        list.close_list();
        let mut o = Out::new();
        o.open().key("ops").json(list.as_str());
        match result {
            Ok(v) => {
                o.key("v").json(v.as_deref().unwrap_or("null"));
            }
            Err(e) => {
                o.key("throw");
                e.write(&mut o);
            }
        }
        if let Some(v) = version {
            o.key("ver").int(v as i64);
        }
        o.close();
        o.finish()
    }
}
