//! Opening a contact session: the stored one if the server still knows it, else a new
//! one (self-healing); identify and reset switch to another, the latest call winning.

use super::*;

impl Session {
    // ----- opening a contact session ----------------------------------------------

    /// Reads the stored session of `open.key`, then checks it with the server.
    pub(super) fn open_stored(&mut self, cx: &mut Cx<'_>, open: Opening) {
        let id = cx.promise();
        cx.ops.load(id, &open.key);
        self.loads.push((id, open));
    }

    pub(super) fn on_loaded(&mut self, cx: &mut Cx<'_>, id: u32, value: Option<&str>) {
        let Some(at) = self.loads.iter().position(|(l, _)| *l == id) else {
            return;
        };
        let (_, mut open) = self.loads.remove(at);
        // (A sibling's move: the queue stored there is that tab's to send, not this one's.)
        if !matches!(open.purpose, Purpose::Follow { .. }) {
            open.outbox = value.map(outbox::stored_outbox).unwrap_or_default();
        }
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

    pub(super) fn create(&mut self, cx: &mut Cx<'_>, open: Opening) {
        let input = open.user.clone().unwrap_or_default();
        match api::contacts::create(&self.inbox, input) {
            Ok(req) => {
                cx.send(req, None, Then::step(Step::Create(open)));
            }
            Err(e) => self.open_failed(cx, open, &e),
        }
    }

    pub(super) fn open_failed(&mut self, cx: &mut Cx<'_>, open: Opening, e: &Error) {
        cx.ops.reject(open.purpose.promise(), e);
        // A failed reset stopped the old contact's socket first: the session is still
        // that contact, so its realtime comes back (unless a later call took over).
        let current = open.gen == self.openings;
        if current {
            self.moving = false;
        }
        if matches!(open.purpose, Purpose::Reset { .. }) && current && !self.closed {
            // Still that contact: its session (and outbox) is written again, and sent.
            self.forgetting = false;
            self.saved.clear();
            self.restart_cable(cx);
            self.flush(cx);
        }
    }

    /// A new socket on the current contact's token, if the old one was stopped.
    pub(super) fn restart_cable(&mut self, cx: &mut Cx<'_>) {
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
    pub(super) fn start_cable(&mut self, cx: &mut Cx<'_>, token: &str, seed: u64, now: u64) {
        let mut cable = Cable::new(token, Timing::default(), seed);
        let actions = cable.start(now);
        self.cable = Some(cable);
        self.drive(cx, actions);
    }

    /// The contact session is known: remember it, then read its conversations.
    pub(super) fn opened(&mut self, cx: &mut Cx<'_>, open: Opening, contact: ContactSession) {
        // (Following a sibling, the session is the one it stored: left as it is.)
        if !matches!(open.purpose, Purpose::Follow { .. }) {
            let text = outbox::session_text(&contact, &open.outbox);
            cx.ops.store(&open.key, Some(&text));
        }
        match api::conversations::list(&self.inbox, &contact.source_id) {
            Ok(req) => {
                cx.send(req, None, Then::step(Step::Conversations(open, contact)));
            }
            Err(e) => self.open_failed(cx, open, &e),
        }
    }

    pub(super) fn on_opened(
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
                let token = contact.pubsub_token.clone();
                // (Before the socket: a shared socket is named after the contact.)
                self.contact = Some(contact);
                if self.realtime {
                    let seed = (cx.random() * 9.0e15) as u64;
                    cx.ops.watch(true);
                    self.start_cable(cx, &token, seed, now);
                }
                cx.ops.resolve(p, "");
            }
            Purpose::Identify { p, identifier } => {
                self.moved(cx, open.user.as_ref());
                self.switch(cx, contact, identifier, list, now);
                cx.ops.resolve(p, &self.contact_json());
            }
            Purpose::Reset { p } => {
                self.moved(cx, None);
                self.switch(cx, contact, None, list, now);
                cx.ops.resolve(p, &self.contact_json());
            }
            Purpose::Follow { p, identifier } => {
                // What the sibling stored stays (its queue included) until this tab has
                // sends of its own to keep.
                self.saved = outbox::session_text(&contact, &[]);
                self.switch(cx, contact, identifier, list, now);
                cx.ops.resolve(p, &self.contact_json());
            }
        }
        // What the last page left unsent goes first.
        self.restore(cx, open.outbox);
        self.flush(cx);
    }

    /// This session's own `identify` (as `user`) or `reset` (no user) is done: with shared
    /// tabs, the siblings follow, from the session now stored.
    fn moved(&mut self, cx: &mut Cx<'_>, user: Option<&ContactInput>) {
        self.moving = false;
        if self.shared {
            let identity = user.map(|u| {
                serde_json::json!({ "identifier": u.identifier, "identifierHash": u.identifier_hash })
                    .to_string()
            });
            cx.ops.moved(identity);
        }
    }

    /// After `identify`/`reset`: a new contact, its conversations, and the socket on
    /// its token.
    pub(super) fn switch(
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
        // The old contact's sends stay with it (in its storage, unless reset).
        self.flushing = None;
        self.recalling.clear();
        self.not_before.clear();
        self.outbox_due = None;
        self.outbox_failures = 0;
        let forgotten = core::mem::replace(&mut self.forgetting, false);
        for (echo, _, key) in self.files.drain(..) {
            cx.ops.forget(&key);
            // After reset() the old contact's unsent files go from the browser too; after
            // identify() they stay with its stored session.
            if forgotten {
                cx.ops.unpersist(&echo);
            }
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

    /// A sibling tab moved to another contact (shared tabs): this session goes to the
    /// session it stored, for `user` (its `identify`) or the anonymous one (its `reset`).
    pub(super) fn follow(&mut self, cx: &mut Cx<'_>, user: Option<&str>) {
        if self.closed || self.contact.is_none() || self.moving {
            return;
        }
        let user = user
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
            .and_then(|v| read_user(Input::new(&v, "user").ok()?).ok());
        let identifier = user.as_ref().and_then(|u| u.identifier.clone());
        if identifier == self.identifier && user.is_some() {
            return; // already that user (this tab moved too)
        }
        self.openings = self.openings.wrapping_add(1);
        let open = Opening {
            gen: self.openings,
            key: storage_key(&self.base_url, &self.inbox, identifier.as_deref()),
            purpose: Purpose::Follow {
                p: cx.promise(),
                identifier,
            },
            user,
            outbox: Vec::new(),
        };
        self.open_stored(cx, open);
    }

    pub(super) fn contact_json(&self) -> String {
        to_json(&self.contact)
    }
}
