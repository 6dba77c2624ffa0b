//! Sending: optimistic messages, their files, retry, and typing out.

use super::*;

impl Session {
    // ----- sending ------------------------------------------------------------------

    pub(super) fn send_message(
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
        // Older sends wait in the outbox: this one queues behind them, in order.
        let behind = self.outbox_busy();
        if behind {
            message.status = Some(MessageStatus::Queued);
        }
        self.core.thread(conv).push_pending(Pending {
            echo_id: echo.clone(),
            message: message.clone(),
            error: None,
        });
        if let Some(key) = &input.key {
            self.files.push((echo.clone(), conv, key.clone()));
            // Kept beyond the page while the send is not confirmed (the outbox).
            cx.ops.persist(key, &echo);
        }
        if let Some(off) = self.typing_out.get_mut(conv).and_then(TypingOut::stop) {
            self.send_typing(cx, conv, off);
        }
        if behind {
            self.core.emit(Event::MessageQueued {
                conversation_id: conv,
                echo_id: echo,
                message: message.clone(),
            });
            self.flush(cx);
            return Ok(to_json(&message));
        }
        self.core.emit(Event::MessagePending {
            conversation_id: conv,
            echo_id: echo.clone(),
            message: message.clone(),
        });
        self.post(cx, conv, echo, input.content, input.files.len(), input.key);
        Ok(to_json(&message))
    }

    pub(super) fn post(
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
                self.fail_send(conv, echo.clone(), error);
                // (A stored send that cannot be asked for must not hold up the rest.)
                if self.flushing.as_deref() == Some(echo.as_str()) {
                    self.flushing = None;
                    self.flush(cx);
                }
            }
        }
    }

    /// Forgets the files of sends that are no longer waiting (confirmed by an echo or a
    /// catch-up): only a failed or sending message may need them again.
    pub(super) fn sweep_files(&mut self, cx: &mut Cx<'_>) {
        let core = &self.core;
        self.files.retain(|(echo, conv, key)| {
            let waiting = core
                .thread_ref(*conv)
                .is_some_and(|t| t.pending(echo).is_some());
            if !waiting {
                cx.ops.forget(key);
                cx.ops.unpersist(echo);
            }
            waiting
        });
    }

    pub(super) fn forget_files(&mut self, cx: &mut Cx<'_>, echo: &str) {
        if let Some(at) = self.files.iter().position(|(e, _, _)| e == echo) {
            let (_, _, key) = self.files.remove(at);
            cx.ops.forget(&key);
            cx.ops.unpersist(echo);
        }
    }

    pub(super) fn retry(&mut self, cx: &mut Cx<'_>, echo: String, p: u32) -> Result<(), Error> {
        let failed = |t: &crate::chat::Thread| {
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

    pub(super) fn on_retry_page(
        &mut self,
        cx: &mut Cx<'_>,
        conv: i64,
        echo: String,
        page: &[Message],
    ) {
        if self.claim_stored(cx, conv, &echo, page) {
            return;
        }
        // Confirmed meanwhile (echo, catch-up): nothing to send again.
        if !self.post_again(cx, conv, echo, MessageStatus::Failed) {
            self.sweep_files(cx);
        }
    }

    /// The page holds the stored copy of send `echo` (its answer was lost): it is sent.
    pub(super) fn claim_stored(
        &mut self,
        cx: &mut Cx<'_>,
        conv: i64,
        echo: &str,
        page: &[Message],
    ) -> bool {
        let thread = self.core.thread(conv);
        let Some(stored) = thread.find_stored(echo, page) else {
            return false;
        };
        if let Some(change) = thread.on_sent(echo, stored) {
            self.core.apply(conv, change);
        }
        self.forget_files(cx, echo);
        true
    }

    /// Posts send `echo` again if it is still `status` (failed or queued), with its
    /// files; says whether it did.
    pub(super) fn post_again(
        &mut self,
        cx: &mut Cx<'_>,
        conv: i64,
        echo: String,
        status: MessageStatus,
    ) -> bool {
        let thread = self.core.thread(conv);
        if thread
            .pending(&echo)
            .is_none_or(|p| p.message.status != Some(status))
        {
            return false;
        }
        let Some(message) = thread.resend(&echo) else {
            return false;
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
        true
    }

    pub(super) fn send_typing(&mut self, cx: &mut Cx<'_>, conv: i64, toggle: Toggle) {
        let status = if toggle == Toggle::On { "on" } else { "off" };
        let req = api::conversations::set_typing(&self.inbox, &self.source(), conv as f64, status);
        let _ = self.request(cx, req, Step::Fire);
    }
}
