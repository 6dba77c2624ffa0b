//! `ChatSession` (SPEC §4) as steps of the machine: the pure engine of
//! [`crate::session`] and [`crate::realtime`] wired to requests, storage, the socket
//! and one timer. Each flow that waits for an answer (start, catch-up, history pages,
//! sends, retry, identify, reset) names its next step in [`Step`]; answers for an
//! earlier contact (before `identify`/`reset`) are dropped by comparing an epoch.

use super::client::{number_arg, object_arg};
use super::{Config, Cx, Page, Report, Then};
use crate::api::contacts::{ContactInput, Identity};
use crate::api::input::{arg, Input};
use crate::api::{self, Request};
use crate::error::{Error, ErrorCode};
use crate::model::{
    decode, decode_list, message_list, ContactSession, Conversation, DecodeError, FileType, Inbox,
    Local, Message, MessageStatus, Model,
};
use crate::realtime::{Action, Cable, Frame, Push, State, Timing};
use crate::session::event::Agents;
use crate::session::{storage_key, Change, Core, Event, IdMap, Pending, Toggle, TypingOut};
use crate::value::Loose;
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

/// `markSeen` calls within this window are sent once.
const SEEN_DEBOUNCE_MS: u64 = 300;
/// Safety bound on `before` pages in one catch-up (20 000 messages).
const MAX_CATCH_UP_PAGES: usize = 1_000;

/// Why a contact session is being opened.
#[derive(Debug)]
enum Purpose {
    Start { p: u32 },
    Identify { p: u32, identifier: Option<String> },
    Reset { p: u32 },
}

impl Purpose {
    fn promise(&self) -> u32 {
        match self {
            Purpose::Start { p } | Purpose::Identify { p, .. } | Purpose::Reset { p } => *p,
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
        Ok(Session {
            inbox,
            base_url: cfg.base_url.clone(),
            identifier: user.as_ref().and_then(|u| u.identifier.clone()),
            user,
            realtime,
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
        })
    }

    /// The snapshot version: bumped on every change `getSnapshot()` would show.
    pub fn version(&self) -> u64 {
        self.core.version()
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
                let open = Opening {
                    gen: self.openings,
                    key: storage_key(&self.base_url, &self.inbox, user.identifier.as_deref()),
                    purpose: Purpose::Identify {
                        p,
                        identifier: user.identifier.clone(),
                    },
                    user: Some(user),
                };
                self.open_stored(cx, open);
                Ok(())
            }
            "reset" => {
                let old = storage_key(&self.base_url, &self.inbox, self.identifier.as_deref());
                cx.ops.store(&old, None);
                let anon = storage_key(&self.base_url, &self.inbox, None);
                cx.ops.store(&anon, None);
                // The socket goes first: nothing of the old contact may arrive meanwhile.
                let actions = self.cable.as_mut().map(Cable::stop).unwrap_or_default();
                self.drive(cx, actions);
                self.openings = self.openings.wrapping_add(1);
                let open = Opening {
                    purpose: Purpose::Reset { p },
                    key: anon,
                    user: None,
                    gen: self.openings,
                };
                self.create(cx, open);
                Ok(())
            }
            _ => Err(Error::invalid_argument("unknown method")),
        }
    }

    // ----- opening a contact session ----------------------------------------------

    /// Reads the stored session of `open.key`, then checks it with the server.
    fn open_stored(&mut self, cx: &mut Cx<'_>, open: Opening) {
        let id = cx.promise();
        cx.ops.load(id, &open.key);
        self.loads.push((id, open));
    }

    fn on_loaded(&mut self, cx: &mut Cx<'_>, id: u32, value: Option<&str>) {
        let Some(at) = self.loads.iter().position(|(l, _)| *l == id) else {
            return;
        };
        let (_, open) = self.loads.remove(at);
        let stored = value.and_then(|text| {
            serde_json::from_str::<Value>(text)
                .ok()?
                .at("sourceId")
                .non_empty()
        });
        match stored {
            Some(source) => {
                let req = api::contacts::get(&self.inbox, &source, identity_of(open.user.as_ref()));
                match req {
                    Ok(req) => {
                        cx.send(req, None, Then::step(Step::Stored(open)));
                    }
                    Err(e) => self.open_failed(cx, open, &e),
                }
            }
            None => self.create(cx, open),
        }
    }

    fn create(&mut self, cx: &mut Cx<'_>, open: Opening) {
        let input = open.user.clone().unwrap_or_default();
        match api::contacts::create(&self.inbox, input) {
            Ok(req) => {
                cx.send(req, None, Then::step(Step::Create(open)));
            }
            Err(e) => self.open_failed(cx, open, &e),
        }
    }

    fn open_failed(&mut self, cx: &mut Cx<'_>, open: Opening, e: &Error) {
        cx.ops.reject(open.purpose.promise(), e);
        // A failed reset stopped the old contact's socket first: the session is still
        // that contact, so its realtime comes back (unless a later call took over).
        let current = open.gen == self.openings;
        if matches!(open.purpose, Purpose::Reset { .. }) && current && !self.closed {
            self.restart_cable(cx);
        }
    }

    /// A new socket on the current contact's token, if the old one was stopped.
    fn restart_cable(&mut self, cx: &mut Cx<'_>) {
        if !self.realtime
            || self
                .cable
                .as_ref()
                .is_some_and(|c| c.state() != State::Closed)
        {
            return;
        }
        let Some(token) = self.contact.as_ref().map(|c| c.pubsub_token.clone()) else {
            return;
        };
        self.start_cable(cx, &token, self.clock, self.clock);
    }

    /// A new socket on `token` (its jitter seeded by `seed`), started at `now`.
    fn start_cable(&mut self, cx: &mut Cx<'_>, token: &str, seed: u64, now: u64) {
        let mut cable = Cable::new(token, Timing::default(), seed);
        let actions = cable.start(now);
        self.cable = Some(cable);
        self.drive(cx, actions);
    }

    /// The contact session is known: remember it, then read its conversations.
    fn opened(&mut self, cx: &mut Cx<'_>, open: Opening, contact: ContactSession) {
        let text = serde_json::json!({
            "sourceId": contact.source_id,
            "pubsubToken": contact.pubsub_token,
        })
        .to_string();
        cx.ops.store(&open.key, Some(&text));
        match api::conversations::list(&self.inbox, &contact.source_id) {
            Ok(req) => {
                cx.send(req, None, Then::step(Step::Conversations(open, contact)));
            }
            Err(e) => self.open_failed(cx, open, &e),
        }
    }

    fn on_opened(
        &mut self,
        cx: &mut Cx<'_>,
        open: Opening,
        contact: ContactSession,
        list: Vec<Conversation>,
        now: u64,
    ) {
        if self.closed {
            cx.ops.reject(open.purpose.promise(), &closed_error());
            return;
        }
        if !matches!(open.purpose, Purpose::Start { .. }) && open.gen != self.openings {
            // identify(A) then reset() (or another identify): the latest call decides.
            cx.ops.reject(
                open.purpose.promise(),
                &Error::new(
                    ErrorCode::Aborted,
                    "superseded by a later identify() or reset() of this session",
                ),
            );
            return;
        }
        match open.purpose {
            Purpose::Start { p } => {
                let mut core = Core::new(&contact.source_id);
                for c in list {
                    core.on_conversation(c, false, false);
                }
                self.core = core;
                if self.realtime {
                    let seed = (cx.random() * 9.0e15) as u64;
                    cx.ops.watch(true);
                    self.start_cable(cx, &contact.pubsub_token, seed, now);
                }
                self.contact = Some(contact);
                cx.ops.resolve(p, "");
            }
            Purpose::Identify { p, identifier } => {
                self.switch(cx, contact, identifier, list, now);
                cx.ops.resolve(p, &self.contact_json());
            }
            Purpose::Reset { p } => {
                self.switch(cx, contact, None, list, now);
                cx.ops.resolve(p, &self.contact_json());
            }
        }
    }

    /// After `identify`/`reset`: a new contact, its conversations, and the socket on
    /// its token.
    fn switch(
        &mut self,
        cx: &mut Cx<'_>,
        contact: ContactSession,
        identifier: Option<String>,
        list: Vec<Conversation>,
        now: u64,
    ) {
        self.epoch = self.epoch.wrapping_add(1);
        self.identifier = identifier;
        self.core.switch(&contact.source_id);
        for c in list {
            self.core.on_conversation(c, false, false);
        }
        self.typing_out.clear();
        self.seen_due.clear();
        self.catch_up_retry.clear();
        self.relist_retry = None;
        for (_, _, key) in self.files.drain(..) {
            cx.ops.forget(&key);
        }
        let token = contact.pubsub_token.clone();
        self.contact = Some(contact);
        match self.cable.as_mut() {
            Some(cable) if cable.state() != State::Closed => {
                let actions = cable.set_token(&token, now);
                self.drive(cx, actions);
            }
            Some(_) => self.start_cable(cx, &token, now, now),
            None => {}
        }
    }

    fn contact_json(&self) -> String {
        to_json(&self.contact)
    }

    // ----- answers ----------------------------------------------------------------

    /// The answer to a step's request.
    pub(crate) fn on_answer(
        &mut self,
        cx: &mut Cx<'_>,
        step: Step,
        result: Result<String, Error>,
        now: u64,
    ) {
        self.clock = self.clock.max(now);
        match step {
            Step::Inbox(open) => {
                match result.and_then(|t| read::<Inbox>(&t, "inbox").map(|i| to_json(&i))) {
                    Ok(inbox) => {
                        self.inbox_json = inbox;
                        self.open_stored(cx, open);
                    }
                    Err(e) => self.open_failed(cx, open, &e),
                }
            }
            Step::Stored(open) => {
                match result.and_then(|t| read::<ContactSession>(&t, "contact session")) {
                    Ok(contact) => self.opened(cx, open, contact),
                    Err(e) if e.code == ErrorCode::NotFound => {
                        cx.ops.store(&open.key, None);
                        self.create(cx, open);
                    }
                    Err(e) => self.open_failed(cx, open, &e),
                }
            }
            Step::Create(open) => {
                match result.and_then(|t| read::<ContactSession>(&t, "contact session")) {
                    Ok(contact) if open.user.is_some() => {
                        // Create alone does not verify; GET with the hash does (§5).
                        let identity = identity_of(open.user.as_ref());
                        match api::contacts::get(&self.inbox, &contact.source_id, identity) {
                            Ok(req) => {
                                cx.send(req, None, Then::step(Step::Verify(open)));
                            }
                            Err(e) => self.open_failed(cx, open, &e),
                        }
                    }
                    Ok(contact) => self.opened(cx, open, contact),
                    Err(e) => self.open_failed(cx, open, &e),
                }
            }
            Step::Verify(open) => {
                match result.and_then(|t| read::<ContactSession>(&t, "contact session")) {
                    Ok(contact) => self.opened(cx, open, contact),
                    Err(e) => self.open_failed(cx, open, &e),
                }
            }
            Step::Conversations(open, contact) => {
                match result.and_then(|t| read_conversations(&t)) {
                    Ok(list) => self.on_opened(cx, open, contact, list, now),
                    Err(e) => self.open_failed(cx, open, &e),
                }
            }
            Step::FirstPage {
                conv,
                epoch,
                lost,
                live,
                p,
            } => {
                self.loading.retain(|x| *x != conv);
                let waiting = self.take_waiters(conv, p);
                let page = result.and_then(|t| read_page(&t));
                match page {
                    Ok(page) if epoch == self.epoch => {
                        let before = self.core.thread(conv).len();
                        let synced = live && lost == self.lost_count;
                        self.on_first_page(conv, page, synced);
                        let after = self.core.thread(conv).len();
                        for p in waiting {
                            cx.ops
                                .resolve(p, if after > before { "true" } else { "false" });
                        }
                        // Read before the socket was live (or across a drop), and the
                        // subscription came meanwhile: what arrived in between is read now.
                        if !synced && self.live() && !self.closed {
                            self.catch_up(cx, conv, 0);
                        }
                    }
                    Ok(_) => {
                        for p in waiting {
                            cx.ops.resolve(p, "false");
                        }
                    }
                    Err(e) => {
                        if waiting.is_empty() || p.is_none() {
                            self.core.emit(Event::Error {
                                error: Some(e.clone()),
                            });
                        }
                        for p in waiting {
                            cx.ops.reject(p, &e);
                        }
                    }
                }
            }
            Step::CatchUp(c) => self.on_catch_up_page(cx, c, result, now),
            Step::Older { conv, epoch, p } => {
                self.older_loading.retain(|x| *x != conv);
                let waiting = self.take_waiters(conv, Some(p));
                match result.and_then(|t| read_page(&t)) {
                    Ok(page) => {
                        let added = if epoch == self.epoch {
                            let n = self.core.thread(conv).on_older_page(page);
                            self.core.touch();
                            n
                        } else {
                            0
                        };
                        for p in waiting {
                            cx.ops.resolve(p, if added > 0 { "true" } else { "false" });
                        }
                    }
                    Err(e) => {
                        for p in waiting {
                            cx.ops.reject(p, &e);
                        }
                    }
                }
            }
            Step::Post { conv, echo, epoch } => {
                if epoch != self.epoch {
                    return;
                }
                let thread = self.core.thread(conv);
                match result.and_then(|t| read::<Message>(&t, "message")) {
                    Ok(message) => {
                        if let Some(change) = thread.on_sent(&echo, message) {
                            self.core.apply(conv, change);
                        }
                        // Stored: its files are not needed again, also when the socket
                        // echo confirmed it first.
                        self.forget_files(cx, &echo);
                    }
                    Err(error) => {
                        // A page read meanwhile holds its stored copy: sent after all.
                        if let Some(change) = thread.claim_held(&echo) {
                            self.core.apply(conv, change);
                            self.forget_files(cx, &echo);
                            return;
                        }
                        // Already confirmed by the socket echo: the error is moot.
                        if let Some(message) = thread.fail(&echo, error.clone()) {
                            self.core.emit(Event::MessageFailed {
                                conversation_id: conv,
                                echo_id: echo,
                                message,
                                error: Some(error),
                            });
                        }
                    }
                }
            }
            Step::RetryCheck {
                conv,
                echo,
                epoch,
                p,
            } => {
                self.retrying.retain(|e| *e != echo);
                match result.and_then(|t| read_page(&t)) {
                    Ok(page) => {
                        if epoch == self.epoch {
                            self.on_retry_page(cx, conv, echo, &page);
                        }
                        cx.ops.resolve(p, "");
                    }
                    Err(e) => cx.ops.reject(p, &e),
                }
            }
            Step::Conversation { epoch, p, announce } => {
                match result.and_then(|t| read_conversation(&t)) {
                    Ok(c) => {
                        cx.ops.resolve(p, &to_json(&without_messages(c.clone())));
                        if epoch == self.epoch {
                            let live = self.live();
                            self.core.on_conversation(c, announce, live);
                        }
                    }
                    Err(e) => cx.ops.reject(p, &e),
                }
            }
            Step::List { epoch, p } => match result.and_then(|t| read_conversations(&t)) {
                Ok(list) => {
                    let shown: Vec<Conversation> =
                        list.iter().cloned().map(without_messages).collect();
                    cx.ops.resolve(p, &to_json(&shown));
                    if epoch == self.epoch {
                        let live = self.live();
                        for c in list {
                            self.core.on_conversation(c, true, live);
                        }
                    }
                }
                Err(e) => cx.ops.reject(p, &e),
            },
            Step::Reply { conv, epoch, p } => {
                match result.and_then(|t| read::<Message>(&t, "message")) {
                    Ok(m) => {
                        cx.ops.resolve(p, &to_json(&m));
                        if epoch == self.epoch {
                            if let Some(change) = self.core.thread(conv).on_updated(m) {
                                self.core.apply(conv, change);
                            }
                        }
                    }
                    Err(e) => cx.ops.reject(p, &e),
                }
            }
            Step::Relist {
                epoch,
                lost,
                failures,
            } => {
                if epoch != self.epoch || self.closed {
                    return;
                }
                match result.and_then(|t| read_conversations(&t)) {
                    Ok(list) => {
                        let live = self.lost_count == lost && self.live();
                        for c in list {
                            self.core.on_relist(c, live);
                        }
                    }
                    Err(e) => {
                        self.core.emit(Event::Error { error: Some(e) });
                        // Keep trying: a conversation never read may be behind.
                        let failures = failures.saturating_add(1);
                        let step = (1_000.0 * f64::from(1u32 << failures.min(5))).min(30_000.0);
                        let wait = (step * (0.5 + 0.5 * cx.random())) as u64;
                        self.relist_retry = Some((now.saturating_add(wait), failures));
                    }
                }
            }
            Step::Fire => {}
        }
    }

    // ----- history and catch-up -----------------------------------------------------

    /// Reads the newest page of a thread never read before (for `loadOlder`, `p`).
    fn load_first(&mut self, cx: &mut Cx<'_>, conv: i64, p: Option<u32>) {
        let loaded = self.core.thread_ref(conv).is_some_and(|t| t.loaded());
        if self.closed || (p.is_none() && (loaded || self.loading.contains(&conv))) {
            return;
        }
        if let Some(p) = p.filter(|_| self.loading.contains(&conv)) {
            // The newest page is being read already (messages()): its answer is this one's.
            self.waiters.push((conv, p));
            return;
        }
        self.loading.push(conv);
        let step = Step::FirstPage {
            conv,
            epoch: self.epoch,
            lost: self.lost_count,
            live: self.live(),
            p,
        };
        let req = api::messages::list(&self.inbox, &self.source(), conv as f64, None);
        if let Err(e) = self.request(cx, req, step) {
            self.loading.retain(|x| *x != conv);
            match p {
                Some(p) => cx.ops.reject(p, &e),
                None => self.core.emit(Event::Error { error: Some(e) }),
            }
        }
    }

    fn on_first_page(&mut self, conv: i64, page: Vec<Message>, synced: bool) {
        let thread = self.core.thread(conv);
        if thread.loaded() {
            return;
        }
        let changes = thread.on_first_page(page);
        // Read while subscribed and nothing dropped since: later messages come by socket.
        if synced {
            thread.mark_synced();
        }
        for change in changes {
            self.core.apply(conv, change);
        }
        self.core.emit(Event::Synced {
            conversation_id: conv,
            recovered: 0,
        });
    }

    fn load_older(&mut self, cx: &mut Cx<'_>, conv: i64, p: u32) -> Result<(), Error> {
        let t = self.core.thread(conv);
        let (loaded, at_start, oldest) = (t.loaded(), t.at_start(), t.oldest());
        if !loaded {
            self.load_first(cx, conv, Some(p));
            return Ok(());
        }
        if at_start {
            cx.ops.resolve(p, "false");
            return Ok(());
        }
        if self.older_loading.contains(&conv) {
            // The same page is being read: one request, both calls get its answer.
            self.waiters.push((conv, p));
            return Ok(());
        }
        let req = api::messages::list(
            &self.inbox,
            &self.source(),
            conv as f64,
            oldest.map(|o| o as f64),
        );
        let epoch = self.epoch;
        self.older_loading.push(conv);
        let sent = self.request(cx, req, Step::Older { conv, epoch, p });
        if sent.is_err() {
            self.older_loading.retain(|x| *x != conv);
        }
        sent
    }

    /// `p` (if any) and the calls waiting on the same read of `conv`.
    fn take_waiters(&mut self, conv: i64, p: Option<u32>) -> Vec<u32> {
        let mut out: Vec<u32> = p.into_iter().collect();
        self.waiters.retain(|(c, w)| {
            if *c == conv {
                out.push(*w);
                false
            } else {
                true
            }
        });
        out
    }

    /// Reads the conversation list again (after the socket subscribed).
    fn relist(&mut self, cx: &mut Cx<'_>, failures: u32) {
        self.relist_retry = None;
        let req = api::conversations::list(&self.inbox, &self.source());
        let step = Step::Relist {
            epoch: self.epoch,
            lost: self.lost_count,
            failures,
        };
        let _ = self.request(cx, req, step);
    }

    /// Catches a thread up after the socket (re)subscribed: the newest page, then
    /// `before` pages until the gap is closed.
    fn catch_up(&mut self, cx: &mut Cx<'_>, conv: i64, failures: u32) {
        if self.catching_up.contains(&conv) {
            if !self.catch_up_again.contains(&conv) {
                self.catch_up_again.push(conv);
            }
            return;
        }
        self.catching_up.push(conv);
        let c = CatchUp {
            conv,
            epoch: self.epoch,
            lost: self.lost_count,
            live: self.live(),
            pages: Vec::new(),
            failures,
        };
        self.catch_up_page(cx, c, None);
    }

    fn catch_up_page(&mut self, cx: &mut Cx<'_>, c: CatchUp, before: Option<i64>) {
        let req = api::messages::list(
            &self.inbox,
            &self.source(),
            c.conv as f64,
            before.map(|b| b as f64),
        );
        match req {
            Ok(req) => {
                cx.send(req, None, Then::step(Step::CatchUp(c)));
            }
            Err(e) => {
                self.catching_up.retain(|x| *x != c.conv);
                self.core.emit(Event::Error { error: Some(e) });
            }
        }
    }

    fn on_catch_up_page(
        &mut self,
        cx: &mut Cx<'_>,
        mut c: CatchUp,
        result: Result<String, Error>,
        now: u64,
    ) {
        let conv = c.conv;
        if self.closed || c.epoch != self.epoch {
            // Another contact now (identify, reset) or closed: its pages are not ours.
            self.catching_up.retain(|x| *x != conv);
            return;
        }
        let page = match result.and_then(|t| read_page(&t)) {
            Ok(page) => page,
            Err(e) => {
                self.catching_up.retain(|x| *x != conv);
                self.core.emit(Event::Error { error: Some(e) });
                // Keep trying: a gap must not stay open.
                let failures = c.failures.saturating_add(1);
                let step = (1_000.0 * f64::from(1u32 << failures.min(5))).min(30_000.0);
                let wait = (step * (0.5 + 0.5 * cx.random())) as u64;
                self.catch_up_retry
                    .insert(conv, (now.saturating_add(wait), failures));
                return;
            }
        };
        let more = self.core.thread(conv).needs_more(&page);
        let before = page.first().map(|m| m.id);
        c.pages.push(page);
        if more && before.is_some() && c.pages.len() < MAX_CATCH_UP_PAGES {
            self.catch_up_page(cx, c, before);
            return;
        }
        if c.epoch != self.epoch || self.closed {
            self.catching_up.retain(|x| *x != conv);
            return;
        }
        let changes = self
            .core
            .thread(conv)
            .on_catch_up(core::mem::take(&mut c.pages));
        if self.lost_count != c.lost || !c.live {
            // The socket dropped meanwhile: not synced with it after all.
            self.core.thread(conv).unsync();
        }
        let recovered = changes
            .iter()
            .filter(|ch| matches!(ch, Change::Created(_)))
            .count() as u32;
        for change in changes {
            self.core.apply(conv, change);
        }
        if !self.files.is_empty() {
            self.sweep_files(cx);
        }
        self.core.emit(Event::Synced {
            conversation_id: conv,
            recovered,
        });
        let again = self.catch_up_again.contains(&conv);
        self.catch_up_again.retain(|x| *x != conv);
        self.catching_up.retain(|x| *x != conv);
        if again {
            self.catch_up(cx, conv, 0);
        }
    }

    // ----- sending ------------------------------------------------------------------

    fn send_message(
        &mut self,
        cx: &mut Cx<'_>,
        conv: i64,
        input: &Value,
        now: u64,
    ) -> Result<String, Error> {
        let input = send_input(input)?;
        // The same checks the request makes, before anything is shown.
        api::messages::create(
            &self.inbox,
            &self.source(),
            conv as f64,
            input.content.clone(),
            None,
            input.files.len(),
        )?;
        let echo = [
            "cw-",
            &now.to_string(),
            "-",
            &((cx.random() * 4.0e15) as i64).to_string(),
        ]
        .concat();
        let contact = self.contact.as_ref().ok_or_else(closed_error)?;
        let local_id = self.core.local_id();
        let mut message = Message::local(Local {
            id: local_id,
            content: input.content.as_deref(),
            created_at: now as i64,
            conversation_id: conv,
            sender_id: contact.id,
            sender_name: contact.name.as_deref(),
            files: &input.files,
        });
        message.echo_id = Some(echo.clone());
        self.core.thread(conv).push_pending(Pending {
            echo_id: echo.clone(),
            message: message.clone(),
            error: None,
        });
        if let Some(key) = &input.key {
            self.files.push((echo.clone(), conv, key.clone()));
        }
        self.core.emit(Event::MessagePending {
            conversation_id: conv,
            echo_id: echo.clone(),
            message: message.clone(),
        });
        if let Some(off) = self.typing_out.get_mut(conv).and_then(TypingOut::stop) {
            self.send_typing(cx, conv, off);
        }
        self.post(cx, conv, echo, input.content, input.files.len(), input.key);
        Ok(to_json(&message))
    }

    fn post(
        &mut self,
        cx: &mut Cx<'_>,
        conv: i64,
        echo: String,
        content: Option<String>,
        files: usize,
        key: Option<String>,
    ) {
        let req = api::messages::create(
            &self.inbox,
            &self.source(),
            conv as f64,
            content,
            Some(echo.clone()),
            files,
        );
        let epoch = self.epoch;
        match req {
            Ok(req) => {
                cx.send(req, key, Then::step(Step::Post { conv, echo, epoch }));
            }
            Err(error) => {
                if let Some(message) = self.core.thread(conv).fail(&echo, error.clone()) {
                    self.core.emit(Event::MessageFailed {
                        conversation_id: conv,
                        echo_id: echo,
                        message,
                        error: Some(error),
                    });
                }
            }
        }
    }

    /// Forgets the files of sends that are no longer waiting (confirmed by an echo or a
    /// catch-up): only a failed or sending message may need them again.
    fn sweep_files(&mut self, cx: &mut Cx<'_>) {
        let core = &self.core;
        self.files.retain(|(echo, conv, key)| {
            let waiting = core
                .thread_ref(*conv)
                .is_some_and(|t| t.pending(echo).is_some());
            if !waiting {
                cx.ops.forget(key);
            }
            waiting
        });
    }

    fn forget_files(&mut self, cx: &mut Cx<'_>, echo: &str) {
        if let Some(at) = self.files.iter().position(|(e, _, _)| e == echo) {
            let (_, _, key) = self.files.remove(at);
            cx.ops.forget(&key);
        }
    }

    fn retry(&mut self, cx: &mut Cx<'_>, echo: String, p: u32) -> Result<(), Error> {
        let failed = |t: &crate::session::Thread| {
            t.pending(&echo)
                .is_some_and(|p| p.message.status == Some(MessageStatus::Failed))
        };
        if self.retrying.contains(&echo) {
            // Already being retried (a double tap): that attempt speaks for both.
            cx.ops.resolve(p, "");
            return Ok(());
        }
        let found = self
            .core
            .threads()
            .find(|(_, t)| failed(t))
            .map(|(id, _)| id)
            .or_else(|| {
                self.files
                    .iter()
                    .find(|(e, _, _)| *e == echo)
                    .map(|(_, id, _)| *id)
            });
        let Some(conv) = found else {
            return Err(Error::invalid_argument(
                "no failed message with that echoId in this session",
            ));
        };
        let req = api::messages::list(&self.inbox, &self.source(), conv as f64, None);
        let epoch = self.epoch;
        self.retrying.push(echo.clone());
        let step = Step::RetryCheck {
            conv,
            echo: echo.clone(),
            epoch,
            p,
        };
        let sent = self.request(cx, req, step);
        if sent.is_err() {
            self.retrying.retain(|e| *e != echo);
        }
        sent
    }

    fn on_retry_page(&mut self, cx: &mut Cx<'_>, conv: i64, echo: String, page: &[Message]) {
        let thread = self.core.thread(conv);
        if let Some(stored) = thread.find_stored(&echo, page) {
            if let Some(change) = thread.on_sent(&echo, stored) {
                self.core.apply(conv, change);
            }
            self.forget_files(cx, &echo);
            return;
        }
        // Confirmed meanwhile (echo, catch-up): nothing to send again.
        if thread
            .pending(&echo)
            .is_none_or(|p| p.message.status != Some(MessageStatus::Failed))
        {
            self.sweep_files(cx);
            return;
        }
        let Some(message) = thread.resend(&echo) else {
            return;
        };
        let content = message.content.clone();
        let files = message.attachments.len();
        self.core.emit(Event::MessagePending {
            conversation_id: conv,
            echo_id: echo.clone(),
            message,
        });
        let key = self
            .files
            .iter()
            .find(|(e, _, _)| *e == echo)
            .map(|(_, _, k)| k.clone());
        self.post(cx, conv, echo, content, files, key);
    }

    fn send_typing(&mut self, cx: &mut Cx<'_>, conv: i64, toggle: Toggle) {
        let status = if toggle == Toggle::On { "on" } else { "off" };
        let req = api::conversations::set_typing(&self.inbox, &self.source(), conv as f64, status);
        let _ = self.request(cx, req, Step::Fire);
    }

    // ----- the socket, the timer and the page ---------------------------------------

    /// Carries out the cable's commands.
    fn drive(&mut self, cx: &mut Cx<'_>, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Open { socket } => cx.ops.open(socket, &cable_url(&self.base_url)),
                Action::Send(text) => cx.ops.send(&text),
                Action::Close => cx.ops.close(),
                Action::State {
                    state,
                    attempt,
                    retry_in_ms,
                } => self.core.emit(Event::State {
                    state: state.as_str(),
                    attempt: (attempt > 0).then_some(attempt),
                    retry_in_ms,
                }),
                Action::Subscribed => {
                    let loaded = self.core.loaded_threads();
                    // Back after a drop, or threads read before the socket was live:
                    // conversations may have been created, resolved or reopened meanwhile,
                    // and the ones never read catch up from the list's messages.
                    if self.lost_count > 0 || !loaded.is_empty() || self.core.behind() {
                        self.relist(cx, 0);
                    }
                    for conv in loaded {
                        self.catch_up(cx, conv, 0);
                    }
                }
                Action::Lost => {
                    self.lost_count = self.lost_count.wrapping_add(1);
                    self.core.lost();
                }
                Action::Deliver => {}
            }
        }
    }

    /// A text frame of socket `socket`.
    pub(crate) fn on_frame(&mut self, cx: &mut Cx<'_>, socket: u32, text: &str, now: u64) {
        self.clock = self.clock.max(now);
        let Some(cable) = self.cable.as_mut() else {
            return;
        };
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            return;
        };
        let actions = cable.on_frame(socket, &Frame::read(&frame), now);
        if actions.contains(&Action::Deliver) {
            self.core.on_push(&Push::read(&frame), now);
            if !self.files.is_empty() {
                self.sweep_files(cx);
            }
        }
        self.drive(cx, actions);
    }

    /// Socket, timer, page and storage reports.
    pub(crate) fn on_input(&mut self, cx: &mut Cx<'_>, input: Report, now: u64) {
        self.clock = self.clock.max(now);
        if let Report::Loaded { id, value } = input {
            self.on_loaded(cx, id, value.as_deref());
            return;
        }
        if input != Report::Tick {
            let actions = match self.cable.as_mut() {
                Some(cable) => match input {
                    Report::Socket { socket, open: true } => cable.on_open(socket, now),
                    Report::Socket {
                        socket,
                        open: false,
                    } => cable.on_close(socket, now),
                    Report::Page(Page::Online) => cable.on_network(true, now),
                    Report::Page(Page::Offline) => cable.on_network(false, now),
                    Report::Page(Page::Visible) => cable.on_visible(now),
                    _ => Vec::new(),
                },
                None => Vec::new(),
            };
            self.drive(cx, actions);
            return;
        }
        self.timer_at = None;
        if self.closed {
            return;
        }
        let mut actions = Vec::new();
        if let Some(cable) = self.cable.as_mut() {
            // A tick may move to a phase whose deadline has also passed.
            for _ in 0..3 {
                if cable.deadline().is_some_and(|d| d <= now) {
                    actions.extend(cable.tick(now));
                }
            }
        }
        self.drive(cx, actions);
        self.core.tick(now);
        let offs: Vec<i64> = self
            .typing_out
            .iter_mut()
            .filter_map(|(id, typing)| (typing.tick(now) == Some(Toggle::Off)).then_some(id))
            .collect();
        for conv in offs {
            self.send_typing(cx, conv, Toggle::Off);
        }
        let seen: Vec<i64> = self
            .seen_due
            .iter()
            .filter(|(_, due)| **due <= now)
            .map(|(id, _)| id)
            .collect();
        self.seen_due.retain(|_, due| *due > now);
        for conv in seen {
            let req =
                api::conversations::update_last_seen(&self.inbox, &self.source(), conv as f64);
            let _ = self.request(cx, req, Step::Fire);
        }
        let retry: Vec<(i64, u32)> = self
            .catch_up_retry
            .iter()
            .filter(|(_, (due, _))| *due <= now)
            .map(|(id, (_, failures))| (id, *failures))
            .collect();
        self.catch_up_retry.retain(|_, (due, _)| *due > now);
        for (conv, failures) in retry {
            self.catch_up(cx, conv, failures);
        }
        if let Some((due, failures)) = self.relist_retry {
            if due <= now {
                self.relist(cx, failures);
            }
        }
    }

    /// After every step: events out, and the timer armed for the earliest deadline.
    pub(crate) fn after(&mut self, cx: &mut Cx<'_>, _now: u64) {
        for e in self.core.take_events() {
            cx.ops.event(&e);
        }
        let deadline = if self.closed || !self.started {
            None
        } else {
            [
                self.cable.as_ref().and_then(Cable::deadline),
                self.core.deadline(),
                self.typing_out
                    .values()
                    .filter_map(TypingOut::deadline)
                    .min(),
                self.seen_due.values().copied().min(),
                self.catch_up_retry.values().map(|(due, _)| *due).min(),
                self.relist_retry.map(|(due, _)| due),
            ]
            .into_iter()
            .flatten()
            .min()
        };
        if deadline != self.timer_at {
            self.timer_at = deadline;
            cx.ops.timer(deadline);
        }
    }

    fn close(&mut self, cx: &mut Cx<'_>) {
        if self.closed {
            return;
        }
        self.closed = true;
        // identify() waiting on a storage read: nothing will answer it now.
        for (_, open) in self.loads.drain(..) {
            cx.ops.reject(open.purpose.promise(), &closed_error());
        }
        let actions = self.cable.as_mut().map(Cable::stop).unwrap_or_default();
        self.drive(cx, actions);
        if self.cable.is_some() {
            cx.ops.watch(false);
        }
        for (_, _, key) in self.files.drain(..) {
            cx.ops.forget(&key);
        }
    }

    fn state(&self) -> &'static str {
        if self.closed {
            return "closed";
        }
        self.cable.as_ref().map_or("closed", |c| c.state().as_str())
    }

    // ----- what a UI shows -----------------------------------------------------------

    fn snapshot(&self) -> String {
        to_json(&Snapshot(self))
    }
}

/// A value as JSON text.
fn to_json<T: Serialize + ?Sized>(t: &T) -> String {
    serde_json::to_string(t).unwrap_or_default()
}

/// Reads an answer's text as model `T`.
fn read<T: Model>(text: &str, what: &str) -> Result<T, Error> {
    decode::<T>(text).map_err(|e| decode_error(e, what, text))
}

fn decode_error(e: DecodeError, what: &str, text: &str) -> Error {
    match e {
        DecodeError::NotJson => Error::decode(what, "the body is not JSON", text),
        DecodeError::Shape => Error::decode(what, "not the documented shape", text),
    }
}

/// A page of messages: ordered by id, each id once.
fn read_page(text: &str) -> Result<Vec<Message>, Error> {
    decode_list::<Message>(text)
        .map(message_list)
        .map_err(|e| decode_error(e, "message list", text))
}

/// A conversation (with the messages it embeds: its thread's baseline).
fn read_conversation(text: &str) -> Result<Conversation, Error> {
    read::<Conversation>(text, "conversation")
}

fn read_conversations(text: &str) -> Result<Vec<Conversation>, Error> {
    decode_list::<Conversation>(text).map_err(|e| decode_error(e, "conversation list", text))
}

/// A conversation as the session shows it: its messages are in the threads.
fn without_messages(mut c: Conversation) -> Conversation {
    c.messages = Vec::new();
    c
}

/// A map of the `(key, value)` pairs a function lists.
struct Pairs<F>(F);

impl<F, I, K, V> Serialize for Pairs<F>
where
    F: Fn() -> I,
    I: Iterator<Item = (K, V)>,
    K: Serialize,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map((self.0)())
    }
}

/// One conversation's messages as a UI shows them.
struct Thread<'a>(&'a Session, i64);

impl Serialize for Thread<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let messages = self
            .0
            .core
            .thread_ref(self.1)
            .into_iter()
            .flat_map(|t| t.snapshot());
        s.collect_seq(messages)
    }
}

/// What `getSnapshot()` returns.
struct Snapshot<'a>(&'a Session);

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct History {
    loaded: bool,
    at_start: bool,
}

impl Serialize for Snapshot<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let session = self.0;
        let core = &session.core;
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("state", session.state())?;
        m.serialize_entry("contact", &session.contact)?;
        m.serialize_entry("conversations", &Seq(|| core.conversations()))?;
        // Every thread asked for, also of a conversation the list has not shown yet.
        m.serialize_entry(
            "messages",
            &Pairs(|| {
                core.threads()
                    .map(|(id, _)| (id.to_string(), Thread(session, id)))
            }),
        )?;
        m.serialize_entry(
            "history",
            &Pairs(|| {
                core.threads().map(|(id, t)| {
                    (
                        id.to_string(),
                        History {
                            loaded: t.loaded(),
                            at_start: t.at_start(),
                        },
                    )
                })
            }),
        )?;
        m.serialize_entry(
            "typing",
            &Pairs(|| core.typing().map(|(id, u)| (id.to_string(), u))),
        )?;
        m.serialize_entry("agents", &Agents(core.agents()))?;
        m.end()
    }
}

/// A sequence of what a function lists.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}
