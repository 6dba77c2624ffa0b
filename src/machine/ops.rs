//! The operations of one step (see the table in [`super`]), typed; the bindings hand
//! them to the driver.

use serde::Serialize;
use serde_json::value::RawValue;

use super::{Call, Config};
use crate::api::Body;
use crate::chat::Event;
use crate::error::Error;

/// One operation for the driver.
#[derive(Debug, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Op {
    /// Send an HTTP request.
    Fetch {
        /// The call.
        id: u32,
        /// The promise whose signal and files the driver keeps, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        p: Option<u32>,
        /// `GET`, `POST`, …
        method: &'static str,
        /// Base URL + path.
        url: String,
        /// A JSON body.
        #[serde(skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        /// Multipart text fields (the files are the driver's).
        #[serde(skip_serializing_if = "Option::is_none")]
        form: Option<Vec<(&'static str, String)>>,
        /// Key of the files the driver keeps for this request.
        #[serde(skip_serializing_if = "Option::is_none")]
        files: Option<String>,
        /// The application API's token, as a header.
        #[serde(skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// The call's deadline in ms (first attempt only).
        #[serde(skip_serializing_if = "Option::is_none")]
        timeout: Option<u64>,
    },
    /// Wait `ms`, then wake call `id`.
    Sleep {
        /// The call.
        id: u32,
        /// How long.
        ms: u64,
    },
    /// Call `id` is over.
    End {
        /// The call.
        id: u32,
    },
    /// Resolve promise `p` with `v` (absent: `undefined`).
    Resolve {
        /// The promise.
        p: u32,
        /// The value, as JSON.
        #[serde(skip_serializing_if = "Option::is_none")]
        v: Option<Box<RawValue>>,
    },
    /// Reject promise `p`.
    Reject {
        /// The promise.
        p: u32,
        /// Why.
        error: Error,
    },
    /// Dispatch an event to the listeners.
    Event {
        /// The event.
        e: Box<Event>,
    },
    /// Open the socket of generation `socket`.
    Open {
        /// Its generation.
        socket: u32,
        /// `ws(s)://…/cable`.
        url: String,
        /// Shared tabs: the tabs of this contact (one name per base URL, inbox and
        /// contact) keep one socket between them; absent: the socket is this tab's own.
        #[serde(skip_serializing_if = "Option::is_none")]
        group: Option<String>,
    },
    /// Shared tabs: this session moved to another contact (`identify` with this user,
    /// as JSON; `reset` without): its sibling tabs follow.
    Moved {
        /// The user given to `identify`.
        #[serde(skip_serializing_if = "Option::is_none")]
        user: Option<String>,
    },
    /// A text frame on the current socket.
    Send {
        /// The frame.
        text: String,
    },
    /// Close the socket.
    Close,
    /// Start reporting `online` / `offline` / visible.
    Watch,
    /// Stop reporting them.
    Unwatch,
    /// Arm the one timer for `at` (ms since the epoch), or disarm it.
    Timer {
        /// When.
        at: Option<u64>,
    },
    /// Read `key` from storage.
    Load {
        /// The read.
        id: u32,
        /// The key.
        key: String,
    },
    /// Write (or, with `None`, remove) `key`.
    Store {
        /// The key.
        key: String,
        /// The value.
        value: Option<String>,
    },
    /// The files kept under this key are no longer needed.
    Forget {
        /// The key.
        files: String,
    },
    /// Keep the files under `files` beyond this page too (IndexedDB, where the
    /// session's storage persists): send `echo` may be sent after a reload.
    Persist {
        /// The key of the files kept now.
        files: String,
        /// The send.
        echo: String,
    },
    /// The files of send `echo` are no longer needed beyond this page.
    Unpersist {
        /// The send.
        echo: String,
    },
    /// Read back the files of send `echo` kept by an earlier page, keep them under
    /// `files`, and report `Recalled` for `id`.
    Recall {
        /// The read.
        id: u32,
        /// The send.
        echo: String,
        /// The key to keep them under.
        files: String,
    },
}

/// The operations of the step being taken.
#[derive(Debug, Default)]
pub struct Ops {
    list: Vec<Op>,
}

/// What one step of the machine asks for: operations to perform, in order, and the
/// step's own value (the call's return, as JSON text; a refused call's error). For
/// sessions, `version` is the snapshot version after the step.
#[derive(Debug)]
pub struct Outcome {
    /// The operations.
    pub ops: Vec<Op>,
    /// What a synchronous call returns (JSON text; `None`: nothing), or its error.
    pub value: Result<Option<String>, Error>,
    /// The snapshot version (sessions).
    pub version: Option<u64>,
}

/// `{"ops": [...], "v": value}` or `{"ops": [...], "throw": error}`, with `"ver"` for
/// sessions (tests and fuzzing read outcomes this way; the driver does not).
impl Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("ops", &self.ops)?;
        match &self.value {
            Ok(v) => {
                m.serialize_entry("v", &raw(v.clone().unwrap_or_else(|| "null".to_owned())))?
            }
            Err(e) => m.serialize_entry("throw", e)?,
        }
        if let Some(ver) = self.version {
            m.serialize_entry("ver", &ver)?;
        }
        m.end()
    }
}

/// JSON text as a raw value (`null` if it is not JSON, which the machine never writes).
pub fn raw(json: String) -> Box<RawValue> {
    RawValue::from_string(json).unwrap_or_else(|_| null())
}

fn null() -> Box<RawValue> {
    RawValue::NULL.to_owned()
}

impl Ops {
    /// Starts a step.
    pub fn begin(&mut self) {
        self.list.clear();
    }

    fn push(&mut self, op: Op) {
        self.list.push(op);
    }

    /// `fetch`: the request of `call`; its deadline is named on the first attempt only.
    pub fn fetch(&mut self, cfg: &Config, call: &Call, first: bool) {
        let (body, form) = match &call.req.body {
            Body::Empty => (None, None),
            Body::Json(text) => (Some(text.clone()), None),
            Body::Multipart(fields) => (None, Some(fields.clone())),
        };
        self.push(Op::Fetch {
            id: call.id,
            p: call.p,
            method: call.req.method.as_str(),
            url: [cfg.base_url.as_str(), call.req.path.as_str()].concat(),
            body,
            form,
            files: call.files.clone(),
            token: cfg.token.clone(),
            timeout: first.then_some(call.timeout_ms),
        });
    }

    /// `sleep`: wait `ms`, then wake call `id`.
    pub fn sleep(&mut self, id: u32, ms: u64) {
        self.push(Op::Sleep { id, ms });
    }

    /// `end`: call `id` is over.
    pub fn end(&mut self, id: u32) {
        self.push(Op::End { id });
    }

    /// `resolve`: promise `p` with the value written as JSON (`""`: `undefined`).
    pub fn resolve(&mut self, p: u32, json: &str) {
        let v = (!json.is_empty()).then(|| raw(json.to_owned()));
        self.push(Op::Resolve { p, v });
    }

    /// `reject`: promise `p` with `error`.
    pub fn reject(&mut self, p: u32, error: &Error) {
        self.push(Op::Reject {
            p,
            error: error.clone(),
        });
    }

    /// `event`: one event for the listeners.
    pub fn event(&mut self, e: &Event) {
        self.push(Op::Event {
            e: Box::new(e.clone()),
        });
    }

    /// `open`: a socket of generation `socket` to `url`.
    pub fn open(&mut self, socket: u32, url: &str, group: Option<String>) {
        self.push(Op::Open {
            socket,
            url: url.to_owned(),
            group,
        });
    }

    /// `moved`: tell the sibling tabs (shared tabs) that this session changed contact.
    pub fn moved(&mut self, user: Option<String>) {
        self.push(Op::Moved { user });
    }

    /// `send`: a text frame on the current socket.
    pub fn send(&mut self, text: &str) {
        self.push(Op::Send {
            text: text.to_owned(),
        });
    }

    /// `close`: the socket.
    pub fn close(&mut self) {
        self.push(Op::Close);
    }

    /// `watch` / `unwatch`: page events.
    pub fn watch(&mut self, on: bool) {
        self.push(if on { Op::Watch } else { Op::Unwatch });
    }

    /// `timer`: arm the one timer for `at`, or disarm it.
    pub fn timer(&mut self, at: Option<u64>) {
        self.push(Op::Timer { at });
    }

    /// `load`: read `key` from storage.
    pub fn load(&mut self, id: u32, key: &str) {
        self.push(Op::Load {
            id,
            key: key.to_owned(),
        });
    }

    /// `store`: write (or, with `None`, remove) `key`.
    pub fn store(&mut self, key: &str, value: Option<&str>) {
        self.push(Op::Store {
            key: key.to_owned(),
            value: value.map(str::to_owned),
        });
    }

    /// `forget`: the files kept under `key` are no longer needed.
    pub fn forget(&mut self, key: &str) {
        self.push(Op::Forget {
            files: key.to_owned(),
        });
    }

    /// `persist`: the files under `key` are kept for send `echo` beyond this page.
    pub fn persist(&mut self, key: &str, echo: &str) {
        self.push(Op::Persist {
            files: key.to_owned(),
            echo: echo.to_owned(),
        });
    }

    /// `unpersist`: the files of send `echo` are no longer needed beyond this page.
    pub fn unpersist(&mut self, echo: &str) {
        self.push(Op::Unpersist {
            echo: echo.to_owned(),
        });
    }

    /// `recall`: read back the files of send `echo`, to keep under `key`.
    pub fn recall(&mut self, id: u32, echo: &str, key: &str) {
        self.push(Op::Recall {
            id,
            echo: echo.to_owned(),
            files: key.to_owned(),
        });
    }

    /// Ends the step.
    pub fn finish(
        &mut self,
        value: Result<Option<String>, Error>,
        version: Option<u64>,
    ) -> Outcome {
        Outcome {
            ops: core::mem::take(&mut self.list),
            value,
            version,
        }
    }
}
