//! `ChatSession` (SPEC §4) as steps of the machine: the pure engine of
//! [`crate::session`] and [`crate::realtime`] wired to requests, storage, the socket
//! and one timer. Each flow that waits for an answer (start, catch-up, history pages,
//! sends, retry, identify, reset) names its next step in [`Step`]; answers for an
//! earlier contact (before `identify`/`reset`) are dropped by comparing an epoch.

use super::{Config, Cx, Page, Report, Then};
use crate::api::contacts::{ContactInput, Identity};
use crate::api::input::{arg, number_arg, object_arg, Input};
use crate::api::{self, Request};
use crate::chat::event::Agents;
use crate::chat::{storage_key, Change, Core, Event, IdMap, Pending, Toggle, TypingOut};
use crate::error::{Error, ErrorCode};
use crate::model::{
    decode, decode_list, message_list, ContactSession, Conversation, DecodeError, FileType, Inbox,
    Local, Message, MessageStatus, Model,
};
use crate::realtime::{Action, Cable, Frame, State, Timing};
use crate::value::Loose;

mod answers;
mod catch_up;
mod history;
mod opening;
mod outbox;
mod send;
mod snapshot;
mod socket;

use serde::ser::{Serialize, Serializer};
use serde_json::Value;
use snapshot::*;

/// `markSeen` calls within this window are sent once.
const SEEN_DEBOUNCE_MS: u64 = 300;
/// Safety bound on `before` pages in one catch-up (20 000 messages).
const MAX_CATCH_UP_PAGES: usize = 1_000;

/// Why a contact session is being opened.
#[derive(Debug)]
enum Purpose {
    Start {
        p: u32,
    },
    Identify {
        p: u32,
        identifier: Option<String>,
    },
    Reset {
        p: u32,
    },
    /// A sibling tab's `identify`/`reset`: the stored session it left, followed.
    Follow {
        p: u32,
        identifier: Option<String>,
    },
}

impl Purpose {
    fn promise(&self) -> u32 {
        match self {
            Purpose::Start { p }
            | Purpose::Identify { p, .. }
            | Purpose::Reset { p }
            | Purpose::Follow { p, .. } => *p,
        }
    }
}

/// Opening a contact session: the stored one if the server still knows it, else a
/// new one (self-healing); with a user, verified with its hash (reference §5).
#[derive(Debug)]
pub struct Opening {
    purpose: Purpose,
    key: String,
    user: Option<ContactInput>,
    /// Which `identify`/`reset` call this is: only the latest one may switch.
    gen: u64,
    /// The unconfirmed sends stored with the session being opened.
    outbox: Vec<outbox::Entry>,
}

/// What an answer continues.
#[derive(Debug)]
pub enum Step {
    /// `start`: the inbox.
    Inbox(Opening),
    /// The stored session, checked.
    Stored(Opening),
    /// A new session.
    Create(Opening),
    /// The new session, verified with the user's hash.
    Verify(Opening),
    /// The session's conversations.
    Conversations(Opening, ContactSession),
    /// The newest page of a thread never read (for `loadOlder`, its promise).
    FirstPage {
        conv: i64,
        epoch: u64,
        lost: u64,
        live: bool,
        p: Option<u32>,
    },
    /// A page of a catch-up.
    CatchUp(CatchUp),
    /// An older page for `loadOlder`.
    Older { conv: i64, epoch: u64, p: u32 },
    /// The answer to a send.
    Post { conv: i64, echo: String, epoch: u64 },
    /// The outbox: the newest page, to see whether the server holds the send already.
    Flush { conv: i64, echo: String, epoch: u64 },
    /// `retry`: the newest page, to see whether the server holds the send already.
    RetryCheck {
        conv: i64,
        echo: String,
        epoch: u64,
        p: u32,
    },
    /// A conversation answer (`startConversation` announces it, `resolve` does not).
    Conversation { epoch: u64, p: u32, announce: bool },
    /// `listConversations`.
    List { epoch: u64, p: u32 },
    /// The conversations again after (re)subscribing: created, resolved or reopened
    /// while away (§6.6), also ones whose messages were never read.
    Relist {
        epoch: u64,
        /// `lost_count` when it was asked for: a drop meanwhile leaves threads behind.
        lost: u64,
        /// Failures in a row so far.
        failures: u32,
    },
    /// `submitReply`.
    Reply { conv: i64, epoch: u64, p: u32 },
    /// Typing and read receipts: the answer does not matter.
    Fire,
}

/// A catch-up in progress.
#[derive(Debug)]
pub struct CatchUp {
    conv: i64,
    epoch: u64,
    lost: u64,
    live: bool,
    pages: Vec<Vec<Message>>,
    failures: u32,
}

/// A session.
#[derive(Debug)]
pub struct Session {
    inbox: String,
    base_url: String,
    user: Option<ContactInput>,
    realtime: bool,
    /// `tabs: "shared"`: the socket is shared with the other tabs of the contact.
    shared: bool,
    started: bool,
    closed: bool,
    core: Core,
    contact: Option<ContactSession>,
    identifier: Option<String>,
    epoch: u64,
    inbox_json: String,
    cable: Option<Cable>,
    lost_count: u64,
    typing_out: IdMap<TypingOut>,
    seen_due: IdMap<u64>,
    /// Sends with files: echo id, conversation, the driver's key for the files.
    files: Vec<(String, i64, String)>,
    loading: Vec<i64>,
    catching_up: Vec<i64>,
    catch_up_again: Vec<i64>,
    /// Catch-ups to try again: when, and how many failures so far.
    catch_up_retry: IdMap<(u64, u32)>,
    /// A failed re-list is asked for again at this time (failures in a row so far).
    relist_retry: Option<(u64, u32)>,
    /// Storage reads under way.
    loads: Vec<(u32, Opening)>,
    timer_at: Option<u64>,
    /// Bumped by every `identify`/`reset` call.
    openings: u64,
    /// The latest clock a call, answer or report brought.
    clock: u64,
    /// Sends whose `retry` is checking the server: a second tap waits for that one.
    retrying: Vec<String>,
    /// `loadOlder` calls waiting on a read of the same conversation already under way.
    waiters: Vec<(i64, u32)>,
    /// Conversations with an older page being read.
    older_loading: Vec<i64>,
    /// The queued send going out now (looked for, then posted).
    flushing: Option<String>,
    /// Sends whose request timed out, and when the outbox may look for them.
    not_before: Vec<(String, u64)>,
    /// Restored sends whose files are being read back: read, conversation, send, key.
    recalling: Vec<(u32, i64, String, String)>,
    /// Failed attempts in a row to empty the outbox.
    outbox_failures: u32,
    /// When to try the outbox again.
    outbox_due: Option<u64>,
    /// The contact session as last written to the storage.
    saved: String,
    /// `reset()` forgot the stored session: nothing is written until the new one.
    forgetting: bool,
    /// An `identify`/`reset` of this session is under way: a sibling tab's move is not
    /// followed meanwhile (this one's own call decides; its siblings follow it after).
    moving: bool,
}

fn closed_error() -> Error {
    Error::new(ErrorCode::Closed, "this ChatSession is closed")
}

fn read_user(i: Input<'_>) -> Result<ContactInput, Error> {
    let user = ContactInput::read(i)?;
    if user.identifier.as_deref().is_none_or(str::is_empty) {
        return Err(Error::invalid_argument(
            "user.identifier must be a non-empty string",
        ));
    }
    Ok(user)
}

fn identity_of(user: Option<&ContactInput>) -> Identity {
    Identity {
        identifier: user.and_then(|u| u.identifier.clone()),
        identifier_hash: user.and_then(|u| u.identifier_hash.clone()),
    }
}

/// `http(s)://host` → `ws(s)://host/cable`.
fn cable_url(base: &str) -> String {
    let rest = base.strip_prefix("https://").map(|r| ("wss://", r));
    let (scheme, host) = rest.unwrap_or(("ws://", base.strip_prefix("http://").unwrap_or(base)));
    [scheme, host, "/cable"].concat()
}

/// The `file_type` the server will give a file, from its MIME type (reference §3.12).
fn file_type(mime: &str) -> FileType {
    if mime.starts_with("image/") {
        FileType::Image
    } else if mime.starts_with("video/") {
        FileType::Video
    } else if mime.as_bytes().windows(6).any(|w| w == b"audio/") {
        FileType::Audio
    } else {
        FileType::File
    }
}

/// What JavaScript passed to `send`: `"text"` or `{ content?, attachments?, files? }`
/// (the driver keeps the files and sends `[{ type, size }]` and its key for them).
struct SendInput {
    content: Option<String>,
    files: Vec<(FileType, i64)>,
    key: Option<String>,
}

fn send_input(n: &Value) -> Result<SendInput, Error> {
    if let Some(text) = n.as_str() {
        return Ok(SendInput {
            content: Some(text.to_owned()),
            files: Vec::new(),
            key: None,
        });
    }
    if !n.is_object() {
        return Err(Error::invalid_argument(
            "send takes a string or { content?, attachments? }",
        ));
    }
    let i = Input::new(n, "message")?;
    let files = match i.node("attachments") {
        Value::Array(list) => list
            .iter()
            .map(|f| {
                let mime = f.at("type").as_str().unwrap_or_default();
                (file_type(mime), f.at("size").id().unwrap_or(0))
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(SendInput {
        content: i.string("content")?,
        files,
        key: i.string("files")?,
    })
}

impl Session {
    /// A session to be started, from `ChatSession.start` options.
    pub fn new(cfg: &Config, inbox: String, o: Input<'_>) -> Result<Session, Error> {
        let user_node = o.node("user");
        let user = if user_node.is_null() {
            None
        } else {
            Some(read_user(Input::new(user_node, "user")?)?)
        };
        let realtime = match o.present("realtime") {
            None => true,
            Some(n) => n
                .as_bool()
                .ok_or_else(|| Error::invalid_argument("realtime must be a boolean"))?,
        };
        let shared = match o.present("tabs") {
            None => false,
            Some(n) => match n.as_str() {
                Some("shared") => true,
                Some("own") => false,
                _ => {
                    return Err(Error::invalid_argument(
                        "tabs must be \"shared\" or \"own\"",
                    ))
                }
            },
        };
        Ok(Session {
            inbox,
            base_url: cfg.base_url.clone(),
            identifier: user.as_ref().and_then(|u| u.identifier.clone()),
            user,
            realtime,
            shared,
            started: false,
            closed: false,
            core: Core::default(),
            contact: None,
            epoch: 0,
            inbox_json: String::new(),
            cable: None,
            lost_count: 0,
            typing_out: IdMap::default(),
            seen_due: IdMap::default(),
            files: Vec::new(),
            loading: Vec::new(),
            catching_up: Vec::new(),
            catch_up_again: Vec::new(),
            catch_up_retry: IdMap::default(),
            relist_retry: None,
            loads: Vec::new(),
            timer_at: None,
            openings: 0,
            clock: 0,
            retrying: Vec::new(),
            waiters: Vec::new(),
            older_loading: Vec::new(),
            flushing: None,
            recalling: Vec::new(),
            not_before: Vec::new(),
            outbox_failures: 0,
            outbox_due: None,
            saved: String::new(),
            forgetting: false,
            moving: false,
        })
    }

    /// The snapshot version: bumped on every change `getSnapshot()` would show.
    pub fn version(&self) -> u64 {
        self.core.version()
    }

    /// What a UI shows, for a driver that builds the snapshot itself: the connection
    /// state, the contact, and the session's state (conversations, threads, typing,
    /// agents).
    pub fn view(&self) -> (&'static str, Option<&ContactSession>, &Core) {
        (self.state(), self.contact.as_ref(), &self.core)
    }

    fn source(&self) -> String {
        self.contact
            .as_ref()
            .map(|c| c.source_id.clone())
            .unwrap_or_default()
    }

    fn live(&self) -> bool {
        self.cable.as_ref().is_some_and(Cable::is_live)
    }

    fn request(
        &self,
        cx: &mut Cx<'_>,
        req: Result<Request, Error>,
        step: Step,
    ) -> Result<(), Error> {
        cx.send(req?, None, Then::step(step));
        Ok(())
    }

    /// A method of `ChatSession`.
    pub(crate) fn call(
        &mut self,
        cx: &mut Cx<'_>,
        method: &str,
        args: &Value,
        now: u64,
    ) -> Result<Option<String>, Error> {
        self.clock = self.clock.max(now);
        if method == "start" {
            let p = cx.promise();
            if self.started {
                cx.ops
                    .reject(p, &Error::invalid_argument("already started"));
            } else {
                self.started = true;
                let open = Opening {
                    purpose: Purpose::Start { p },
                    key: storage_key(&self.base_url, &self.inbox, self.identifier.as_deref()),
                    user: self.user.clone(),
                    gen: self.openings,
                    outbox: Vec::new(),
                };
                let req = api::inbox::get(&self.inbox);
                if let Err(e) = self.request(cx, req, Step::Inbox(open)) {
                    cx.ops.reject(p, &e);
                }
            }
            return Ok(Some(p.to_string()));
        }
        if self.contact.is_none() {
            return Err(Error::invalid_argument("the session has not started"));
        }
        match method {
            "inbox" => return Ok(Some(self.inbox_json.clone())),
            "contact" => return Ok(Some(self.contact_json())),
            "state" => return Ok(Some(to_json(&self.state()))),
            "getSnapshot" => return Ok(Some(self.snapshot())),
            "close" => {
                self.close(cx);
                return Ok(None);
            }
            _ => {}
        }
        let promised = matches!(
            method,
            "loadOlder"
                | "listConversations"
                | "startConversation"
                | "retry"
                | "resolve"
                | "submitReply"
                | "identify"
                | "reset"
        );
        if !promised {
            if self.closed {
                return Err(closed_error());
            }
            return self.call_sync(cx, method, args, now);
        }
        let p = cx.promise();
        let result = if self.closed {
            Err(closed_error())
        } else {
            self.call_async(cx, method, args, p)
        };
        if let Err(e) = result {
            cx.ops.reject(p, &e);
        }
        Ok(Some(p.to_string()))
    }

    fn call_sync(
        &mut self,
        cx: &mut Cx<'_>,
        method: &str,
        args: &Value,
        now: u64,
    ) -> Result<Option<String>, Error> {
        if method == "discard" {
            let echo = arg(args, 0)
                .as_str()
                .ok_or_else(|| Error::invalid_argument("echoId must be a string"))?;
            return Ok(Some(to_json(&self.discard(cx, echo))));
        }
        let id = api::path::id("conversationId", number_arg(args, 0))?;
        match method {
            "messages" => {
                if self.core.thread_ref(id).is_none() {
                    // A new thread is in the snapshot (empty, not loaded yet).
                    self.core.thread(id);
                    self.core.touch();
                }
                self.load_first(cx, id, None);
                Ok(Some(to_json(&Thread(self, id))))
            }
            "send" => self.send_message(cx, id, arg(args, 1), now).map(Some),
            "typing" | "stopTyping" => {
                let t = self.typing_out.get_or_insert_with(id, TypingOut::default);
                let toggle = if method == "typing" {
                    t.key(now)
                } else {
                    t.stop()
                };
                if let Some(toggle) = toggle {
                    self.send_typing(cx, id, toggle);
                }
                Ok(None)
            }
            "markSeen" => {
                self.seen_due
                    .get_or_insert_with(id, || now.saturating_add(SEEN_DEBOUNCE_MS));
                Ok(None)
            }
            _ => Err(Error::invalid_argument("unknown method")),
        }
    }

    fn call_async(
        &mut self,
        cx: &mut Cx<'_>,
        method: &str,
        args: &Value,
        p: u32,
    ) -> Result<(), Error> {
        let source = self.source();
        let inbox = self.inbox.clone();
        let epoch = self.epoch;
        match method {
            "listConversations" => {
                let req = api::conversations::list(&inbox, &source);
                self.request(cx, req, Step::List { epoch, p })
            }
            "startConversation" => {
                let attrs = object_arg(args, 0, "conversation")?.object("customAttributes")?;
                let req = api::conversations::create(&inbox, &source, attrs);
                let step = Step::Conversation {
                    epoch,
                    p,
                    announce: true,
                };
                self.request(cx, req, step)
            }
            "resolve" => {
                let req = api::conversations::resolve(&inbox, &source, number_arg(args, 0));
                let step = Step::Conversation {
                    epoch,
                    p,
                    announce: false,
                };
                self.request(cx, req, step)
            }
            "submitReply" => {
                let conv = api::path::id("conversationId", number_arg(args, 0))?;
                let values = api::messages::submitted_values(arg(args, 2))?;
                let req = api::messages::update(
                    &inbox,
                    &source,
                    conv as f64,
                    number_arg(args, 1),
                    values,
                );
                self.request(cx, req, Step::Reply { conv, epoch, p })
            }
            "loadOlder" => {
                let conv = api::path::id("conversationId", number_arg(args, 0))?;
                self.load_older(cx, conv, p)
            }
            "retry" => {
                let echo = arg(args, 0)
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Error::invalid_argument("echoId must be a string"))?;
                self.retry(cx, echo, p)
            }
            "identify" => {
                let user = read_user(object_arg(args, 0, "user")?)?;
                self.openings = self.openings.wrapping_add(1);
                self.moving = true;
                let open = Opening {
                    gen: self.openings,
                    key: storage_key(&self.base_url, &self.inbox, user.identifier.as_deref()),
                    purpose: Purpose::Identify {
                        p,
                        identifier: user.identifier.clone(),
                    },
                    user: Some(user),
                    outbox: Vec::new(),
                };
                self.open_stored(cx, open);
                Ok(())
            }
            "reset" => {
                let old = storage_key(&self.base_url, &self.inbox, self.identifier.as_deref());
                cx.ops.store(&old, None);
                let anon = storage_key(&self.base_url, &self.inbox, None);
                cx.ops.store(&anon, None);
                // The outbox goes with the contact: nothing of it is written again.
                self.forgetting = true;
                self.moving = true;
                // The socket goes first: nothing of the old contact may arrive meanwhile.
                let actions = self.cable.as_mut().map(Cable::stop).unwrap_or_default();
                self.drive(cx, actions);
                self.openings = self.openings.wrapping_add(1);
                let open = Opening {
                    purpose: Purpose::Reset { p },
                    key: anon,
                    user: None,
                    gen: self.openings,
                    outbox: Vec::new(),
                };
                self.create(cx, open);
                Ok(())
            }
            _ => Err(Error::invalid_argument("unknown method")),
        }
    }
}
