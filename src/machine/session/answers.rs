//! What each answer continues: the step a request named when it was sent.

use super::*;

impl Session {
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
                        // A contact the server forgot: its sends cannot go as the new one.
                        let mut open = open;
                        open.outbox.clear();
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
                        let (added, further) = if epoch == self.epoch {
                            let thread = self.core.thread(conv);
                            let cursor = thread.oldest();
                            let n = thread.on_older_page(page);
                            // A page of messages held already (news that came before the
                            // thread was read): the history goes on below it.
                            let further = n == 0 && !thread.at_start() && thread.oldest() < cursor;
                            self.core.touch();
                            (n, further)
                        } else {
                            (0, false)
                        };
                        if further {
                            let mut waiting = waiting.into_iter();
                            if let Some(first) = waiting.next() {
                                self.waiters.extend(waiting.map(|w| (conv, w)));
                                if let Err(e) = self.load_older(cx, conv, first) {
                                    for p in self.take_waiters(conv, Some(first)) {
                                        cx.ops.reject(p, &e);
                                    }
                                }
                            }
                            return;
                        }
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
                        // The server is reachable: whatever waits goes now.
                        self.sent_from_outbox(cx, &echo);
                    }
                    Err(error) => {
                        // A page read meanwhile holds its stored copy: sent after all.
                        if let Some(change) = thread.claim_held(&echo) {
                            self.core.apply(conv, change);
                            self.forget_files(cx, &echo);
                            self.sent_from_outbox(cx, &echo);
                            return;
                        }
                        if self.flushing.as_deref() == Some(echo.as_str()) {
                            self.flushing = None;
                        }
                        if outbox::unreachable(&error) {
                            self.queue(cx, conv, echo, error);
                            return;
                        }
                        // (Already confirmed by the socket echo: the error is moot.)
                        self.fail_send(conv, echo, error);
                        // Whatever waits behind it goes on.
                        self.flush(cx);
                    }
                }
            }
            Step::Flush { conv, echo, epoch } => {
                if epoch != self.epoch {
                    return;
                }
                self.on_flush_page(cx, conv, echo, result.and_then(|t| read_page(&t)));
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
}
