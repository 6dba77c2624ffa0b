//! The whole SDK as one synchronous machine, free of I/O ("sans-IO"). JavaScript hands
//! it what happened (a method call, an HTTP answer, a socket frame, a timer) and gets
//! back, as one JSON text, what to do: requests to send, sockets to open, a timer to
//! arm, events to dispatch, promises to settle. Every rule lives here and is tested
//! natively: request building and checking, retries with backoff, the ActionCable
//! state machine, catch-up after reconnects, optimistic sends, identify and reset.
//! The JS driver (`pkg-template/driver.js`) only carries the operations out.
//!
//! Every answer is `{"v": value, "ops": [...], "ver": n}`, or `{"throw": error}` for
//! a call refused synchronously. `ver` is the snapshot version (sessions only).
//!
//! | op | meaning |
//! |---|---|
//! | `fetch {id, p?, method, url, body?, form?, files?, token?, timeout}` | send an HTTP request; answer with [`Machine::response`] or `{"failed": id}`; `timeout` (ms) is the call's deadline, retries included: past it, or when promise `p`'s signal aborts, send `{"abort": id, "why": "timeout" \| "aborted"}` |
//! | `sleep {id, ms}` | wait, then send `{"wake": id}` |
//! | `end {id}` | call `id` is over: forget its timer and signal |
//! | `resolve {p, v}` / `reject {p, error}` | settle promise `p` |
//! | `open {socket, url}` / `send {text}` / `close` | the realtime socket; report `{"socket": n, "type": "open" \| "close"}` and frames with [`Machine::frame`] |
//! | `timer {at}` | arm the one timer for `at` (ms since the epoch; `null` disarms); then send `{"tick": 1}` |
//! | `watch` / `unwatch` | start / stop reporting `{"page": "online" \| "offline" \| "visible"}` |
//! | `load {id, key}` | read storage; answer `{"loaded": id, "value": text \| null}` |
//! | `store {key, value}` | write storage (`value` null removes) |
//! | `event {e}` | dispatch event `e` to listeners (after the current call returns) |
//! | `forget {files}` | the files kept under this key are no longer needed |

mod client;
mod ops;
pub mod reply;
pub mod retry;
mod session;
pub use session::Session;

use crate::api::Request;
use crate::error::{Error, ErrorCode};
use serde_json::Value;

use client::Role;
use ops::Ops;
pub use ops::{Op, Outcome};

/// What the driver reports, for [`Machine::input`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// Request `id` could not reach the server.
    Failed(u32),
    /// Request `id` passed its deadline (`aborted: false`) or its caller's signal fired.
    Abort {
        /// The call.
        id: u32,
        /// The caller's signal (else the deadline).
        aborted: bool,
    },
    /// Call `id`'s backoff is over: send it again.
    Wake(u32),
    /// The socket of generation `socket` opened or closed.
    Socket {
        /// Its generation.
        socket: u32,
        /// Opened (else closed or failed).
        open: bool,
    },
    /// The one timer fired.
    Tick,
    /// The page went online, offline or became visible.
    Page(Page),
    /// A storage read finished.
    Loaded {
        /// The read.
        id: u32,
        /// What was stored.
        value: Option<String>,
    },
    /// A `Recall` finished: the files were found (and are kept under its key) or not.
    Recalled {
        /// The read.
        id: u32,
        /// Found.
        found: bool,
    },
    /// A sibling tab moved to another contact (`identify` with this user, as JSON, or
    /// `reset` without one): this session follows it, from the stored session.
    Follow {
        /// The user given to `identify`, as JSON.
        user: Option<String>,
    },
}

/// Page events that matter to the socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// `online`.
    Online,
    /// `offline`.
    Offline,
    /// `visibilitychange` to visible.
    Visible,
}

/// Default deadline of one call, retries included.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
/// Default number of retries of an idempotent call.
pub const DEFAULT_RETRIES: u32 = 2;

/// Where and how a machine's requests go.
#[derive(Debug, Clone)]
pub struct Config {
    /// `https://host`, no trailing slash.
    pub base_url: String,
    /// Deadline of one call in ms, retries included.
    pub timeout_ms: u64,
    /// How many times an idempotent call is repeated after a retryable failure.
    pub retries: u32,
    /// The application API's token (`AccountClient` only), sent as a header.
    pub token: Option<String>,
}

/// What happens when a call's answer arrives.
#[derive(Debug)]
enum Then {
    /// A client method: settle promise `p` with the answer read as `shape`.
    Reply {
        p: u32,
        what: &'static str,
        shape: reply::Shape,
    },
    /// A step of a session flow.
    Session(Box<session::Step>),
}

impl Then {
    fn step(step: session::Step) -> Then {
        Then::Session(Box::new(step))
    }
}

/// An HTTP call in flight, or waiting to be retried.
#[derive(Debug)]
struct Call {
    id: u32,
    req: Request,
    attempt: u32,
    /// The promise whose options (signal, files) the JS side keeps, if any.
    p: Option<u32>,
    /// Key of the files the JS side keeps for this request, if any.
    files: Option<String>,
    timeout_ms: u64,
    then: Then,
}

/// The machine.
#[derive(Debug)]
pub struct Machine {
    cfg: Config,
    role: Role,
    calls: Vec<Call>,
    next_id: u32,
    rng: u64,
    ops: Ops,
}

impl Machine {
    /// The session this machine runs, if it is a `ChatSession`'s.
    pub fn session(&self) -> Option<&Session> {
        match &self.role {
            Role::Session(s) => Some(s),
            _ => None,
        }
    }

    /// A machine of `kind` (`"inbox"`, `"account"` or `"session"`) with its options
    /// (JSON). `seed` feeds backoff jitter and echo ids.
    pub fn new(kind: &str, options: &Value, seed: u64) -> Result<Machine, Error> {
        let (cfg, role) = client::configure(kind, options)?;
        Ok(Machine {
            cfg,
            role,
            calls: Vec::new(),
            next_id: 1,
            rng: seed | 1,
            ops: Ops::default(),
        })
    }

    /// A method of the public API, with its plain-data arguments as an array.
    pub fn call(&mut self, method: &str, args: &Value, now: u64) -> Outcome {
        self.ops.begin();
        let result = self.dispatch(method, args, now);
        self.finish(result, now)
    }

    /// Something that happened.
    pub fn input(&mut self, input: Report, now: u64) -> Outcome {
        self.ops.begin();
        self.on_input(input, now);
        self.finish(Ok(None), now)
    }

    /// The answer to request `id`: its status, `Retry-After` header and body bytes.
    pub fn response(
        &mut self,
        id: u32,
        status: u16,
        retry_after: Option<&str>,
        body: &[u8],
        now: u64,
    ) -> Outcome {
        self.ops.begin();
        if let Some(at) = self.calls.iter().position(|c| c.id == id) {
            let result = answer(&self.calls, at, status, retry_after, body, now);
            self.settle(at, result, now);
        }
        self.finish(Ok(None), now)
    }

    /// A text frame of the realtime socket of generation `socket`.
    pub fn frame(&mut self, socket: u32, text: &str, now: u64) -> Outcome {
        self.ops.begin();
        if let Role::Session(s) = &mut self.role {
            let mut cx = Cx {
                cfg: &self.cfg,
                calls: &mut self.calls,
                next_id: &mut self.next_id,
                rng: &mut self.rng,
                ops: &mut self.ops,
            };
            s.on_frame(&mut cx, socket, text, now);
        }
        self.finish(Ok(None), now)
    }

    fn dispatch(&mut self, method: &str, args: &Value, now: u64) -> Result<Option<String>, Error> {
        let mut cx = Cx {
            cfg: &self.cfg,
            calls: &mut self.calls,
            next_id: &mut self.next_id,
            rng: &mut self.rng,
            ops: &mut self.ops,
        };
        match &mut self.role {
            Role::Session(s) => s.call(&mut cx, method, args, now),
            other => client::call(other, &mut cx, method, args),
        }
    }

    fn on_input(&mut self, input: Report, now: u64) {
        let at = |id: u32| self.calls.iter().position(|c| c.id == id);
        match input {
            Report::Failed(id) => {
                if let Some(at) = at(id) {
                    let e =
                        Error::new(ErrorCode::Network, "the request could not reach the server");
                    self.settle(at, Err(e), now);
                }
                return;
            }
            Report::Abort { id, aborted } => {
                if let Some(at) = at(id) {
                    let e = if aborted {
                        Error::new(ErrorCode::Aborted, "the request was aborted by its signal")
                    } else {
                        Error::new(ErrorCode::Timeout, "the request took longer than timeoutMs")
                    };
                    // No retry after the deadline or the caller's abort.
                    self.end(at, Err(e), now);
                }
                return;
            }
            Report::Wake(id) => {
                if let Some(call) = self.calls.iter().find(|c| c.id == id) {
                    self.ops.fetch(&self.cfg, call, false);
                }
                return;
            }
            _ => {}
        }
        if let Role::Session(s) = &mut self.role {
            let mut cx = Cx {
                cfg: &self.cfg,
                calls: &mut self.calls,
                next_id: &mut self.next_id,
                rng: &mut self.rng,
                ops: &mut self.ops,
            };
            s.on_input(&mut cx, input, now);
        }
    }

    /// A call's attempt finished: retry it, or end it.
    fn settle(&mut self, at: usize, result: Result<String, Error>, now: u64) {
        let retry = match (&result, self.calls.get(at)) {
            (Err(e), Some(call)) if call.req.idempotent && call.attempt < self.cfg.retries => {
                let retryable = match e.code {
                    ErrorCode::Network | ErrorCode::RateLimited => true,
                    ErrorCode::Http | ErrorCode::Identity => {
                        e.status.is_some_and(retry::retryable_status)
                    }
                    _ => false,
                };
                retryable.then_some(e.retry_after_ms)
            }
            _ => None,
        };
        match (retry, self.calls.get_mut(at)) {
            (Some(retry_after), Some(call)) => {
                call.attempt = call.attempt.saturating_add(1);
                let ms = retry::delay_ms(call.attempt, retry_after, random(&mut self.rng));
                let id = call.id;
                self.ops.sleep(id, ms);
            }
            _ => self.end(at, result, now),
        }
    }

    /// A call is over: tell the JS side, then carry on with what waited for it.
    fn end(&mut self, at: usize, result: Result<String, Error>, now: u64) {
        if at >= self.calls.len() {
            return;
        }
        let call = self.calls.remove(at);
        self.ops.end(call.id);
        match call.then {
            Then::Reply { p, what, shape } => {
                match result.and_then(|text| reply::reply(what, &text, shape)) {
                    Ok(json) => self.ops.resolve(p, &json),
                    Err(e) => self.ops.reject(p, &e),
                }
            }
            Then::Session(step) => {
                if let Role::Session(s) = &mut self.role {
                    let mut cx = Cx {
                        cfg: &self.cfg,
                        calls: &mut self.calls,
                        next_id: &mut self.next_id,
                        rng: &mut self.rng,
                        ops: &mut self.ops,
                    };
                    s.on_answer(&mut cx, *step, result, now);
                }
            }
        }
    }

    fn finish(&mut self, result: Result<Option<String>, Error>, now: u64) -> Outcome {
        let version = match &mut self.role {
            Role::Session(s) => {
                let mut cx = Cx {
                    cfg: &self.cfg,
                    calls: &mut self.calls,
                    next_id: &mut self.next_id,
                    rng: &mut self.rng,
                    ops: &mut self.ops,
                };
                s.after(&mut cx, now);
                Some(s.version())
            }
            _ => None,
        };
        self.ops.finish(result, version)
    }
}

/// What a flow may touch while it runs: the calls and the ops being written.
pub(crate) struct Cx<'m> {
    cfg: &'m Config,
    calls: &'m mut Vec<Call>,
    next_id: &'m mut u32,
    rng: &'m mut u64,
    ops: &'m mut Ops,
}

impl Cx<'_> {
    /// Starts a request with the machine's deadline; its answer goes to `then`.
    fn send(&mut self, req: Request, files: Option<String>, then: Then) -> u32 {
        let timeout = self.cfg.timeout_ms;
        self.send_with(req, None, files, timeout, then)
    }

    /// Starts a request for promise `p` (whose signal and files the JS side keeps).
    fn send_with(
        &mut self,
        req: Request,
        p: Option<u32>,
        files: Option<String>,
        timeout_ms: u64,
        then: Then,
    ) -> u32 {
        let id = *self.next_id;
        *self.next_id = id.wrapping_add(1).max(1);
        let call = Call {
            id,
            req,
            attempt: 0,
            p,
            files,
            timeout_ms,
            then,
        };
        self.ops.fetch(self.cfg, &call, true);
        self.calls.push(call);
        id
    }

    /// A new promise id.
    fn promise(&mut self) -> u32 {
        let id = *self.next_id;
        *self.next_id = id.wrapping_add(1).max(1);
        id
    }

    /// A number in [0, 1).
    fn random(&mut self) -> f64 {
        random(self.rng)
    }
}

/// xorshift64*, in [0, 1).
fn random(state: &mut u64) -> f64 {
    let mut x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
}

/// An answer's outcome: its text for a 2xx (checked UTF-8; `""` for the empty-body
/// routes), else the error its status means.
fn answer(
    calls: &[Call],
    at: usize,
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
    now: u64,
) -> Result<String, Error> {
    let Some(call) = calls.get(at) else {
        return Err(Error::new(ErrorCode::Network, "unknown request"));
    };
    if (200..300).contains(&status) {
        if call.req.empty_answer {
            return Ok(String::new());
        }
        return String::from_utf8(body.to_vec()).map_err(|e| {
            let text = String::from_utf8_lossy(e.as_bytes());
            Error::decode("answer", "the body is not UTF-8 text", &text)
        });
    }
    let text = String::from_utf8_lossy(body);
    let retry_after = retry_after.and_then(|v| retry::parse_retry_after(v, now));
    Err(Error::from_status(
        status,
        &text,
        crate::error::ErrorBody::parse(&text),
        retry_after,
        call.req.contacts_route,
    ))
}
