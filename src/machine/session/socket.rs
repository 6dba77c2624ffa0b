//! The socket, the one timer and the page: what they report, and what the session does.

use super::*;

impl Session {
    // ----- the socket, the timer and the page ---------------------------------------

    /// Carries out the cable's commands.
    pub(super) fn drive(&mut self, cx: &mut Cx<'_>, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Open { socket } => {
                    cx.ops
                        .open(socket, &cable_url(&self.base_url), self.group());
                }
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
                    // The server is reachable again: the outbox goes.
                    self.flush(cx);
                }
                Action::Lost => {
                    self.lost_count = self.lost_count.wrapping_add(1);
                    self.core.lost();
                }
                Action::Deliver => {}
            }
        }
    }

    /// Shared tabs: the name of the tabs of this contact (base URL, inbox, contact).
    fn group(&self) -> Option<String> {
        let contact = self.contact.as_ref().filter(|_| self.shared)?;
        Some(
            [
                "chatwoot-inbox-sdk ",
                &self.base_url,
                " ",
                &self.inbox,
                " ",
                &contact.source_id,
            ]
            .concat(),
        )
    }

    /// A text frame of socket `socket`.
    pub(crate) fn on_frame(&mut self, cx: &mut Cx<'_>, socket: u32, text: &str, now: u64) {
        self.clock = self.clock.max(now);
        let Some(cable) = self.cable.as_mut() else {
            return;
        };
        let Some((frame, push)) = Frame::parse(text) else {
            return;
        };
        let actions = cable.on_frame(socket, &frame, now);
        if let (true, Some(push)) = (actions.contains(&Action::Deliver), push) {
            self.core.on_push(&push, now);
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
        if let Report::Recalled { id, found } = input {
            self.on_recalled(cx, id, found);
            return;
        }
        if let Report::Follow { user } = input {
            self.follow(cx, user.as_deref());
            return;
        }
        if input == Report::Page(Page::Online) && !self.closed {
            self.flush(cx);
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
        if self.outbox_due.is_some_and(|due| due <= now) {
            self.flush(cx);
        }
    }

    /// After every step: events out, and the timer armed for the earliest deadline.
    pub(crate) fn after(&mut self, cx: &mut Cx<'_>, _now: u64) {
        self.save_outbox(cx);
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
                self.outbox_due,
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

    pub(super) fn close(&mut self, cx: &mut Cx<'_>) {
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

    pub(super) fn state(&self) -> &'static str {
        if self.closed {
            return "closed";
        }
        self.cable.as_ref().map_or("closed", |c| c.state().as_str())
    }
}
