//! The outbox: a send that cannot reach the server (offline, a network error, a
//! timeout) waits as `queued`, and goes out by itself when the connection returns, oldest
//! first and one at a time, each first looked for on the server (its answer may have
//! been lost, and the server does not de-duplicate). Every send not yet confirmed is kept
//! with the contact in the session's storage, so a reload loses none: the next start
//! queues them again. Its files are kept by the driver beyond the page (IndexedDB) and
//! read back; where they cannot be, such a send comes back `failed`, its text kept.

use super::*;
use serde::Deserialize;

/// One unconfirmed send as stored with the contact session.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    conversation_id: i64,
    echo_id: String,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    created_at: i64,
    /// Its files' types and sizes.
    #[serde(default)]
    files: Vec<(FileType, i64)>,
}

/// How long after a timed-out send the outbox first looks for it on the server.
const TIMED_OUT_WAIT_MS: u64 = 2_000;

/// The server was not reached, or its answer never came.
pub(super) fn unreachable(e: &Error) -> bool {
    matches!(e.code, ErrorCode::Network | ErrorCode::Timeout)
}

/// An error that waiting will not cure: the send fails instead of staying queued.
fn hopeless(e: &Error) -> bool {
    matches!(
        e.code,
        ErrorCode::NotFound
            | ErrorCode::Validation
            | ErrorCode::Unauthorized
            | ErrorCode::Forbidden
            | ErrorCode::Identity
            | ErrorCode::InvalidArgument
    )
}

/// The stored form of a contact session: `{ sourceId, pubsubToken, outbox? }`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Stored<'a> {
    source_id: &'a str,
    pubsub_token: &'a str,
    #[serde(skip_serializing_if = "<[Entry]>::is_empty")]
    outbox: &'a [Entry],
}

/// What is read back of it here (the contact is read by the opening).
#[derive(Deserialize)]
struct StoredOutbox {
    #[serde(default)]
    outbox: Vec<Entry>,
}

pub(super) fn session_text(contact: &ContactSession, outbox: &[Entry]) -> String {
    to_json(&Stored {
        source_id: &contact.source_id,
        pubsub_token: &contact.pubsub_token,
        outbox,
    })
}

/// The outbox of a stored session text (nothing when it has none, or it does not read).
pub(super) fn stored_outbox(text: &str) -> Vec<Entry> {
    serde_json::from_str::<StoredOutbox>(text)
        .map(|s| s.outbox)
        .unwrap_or_default()
}

impl Session {
    /// Every send not yet confirmed (sending or queued), oldest first.
    fn unconfirmed(&self) -> Vec<Entry> {
        let mut list: Vec<Entry> = self
            .core
            .threads()
            .flat_map(|(conv, t)| {
                // (In the order they were sent: a thread keeps its sends in that order.)
                t.pending_all()
                    .filter(|p| {
                        matches!(
                            p.message.status,
                            Some(MessageStatus::Sending | MessageStatus::Queued)
                        )
                    })
                    .map(move |p| Entry {
                        conversation_id: conv,
                        echo_id: p.echo_id.clone(),
                        content: p.message.content.clone(),
                        created_at: p.message.created_at.unwrap_or(0),
                        files: p
                            .message
                            .attachments
                            .iter()
                            .map(|a| (a.file_type, a.file_size.unwrap_or(0)))
                            .collect(),
                    })
            })
            .collect();
        list.sort_by_key(|e| e.created_at);
        list
    }

    /// After every step: the stored session follows the unconfirmed sends.
    pub(super) fn save_outbox(&mut self, cx: &mut Cx<'_>) {
        if !self.started || self.closed || self.forgetting {
            return;
        }
        let Some(contact) = &self.contact else {
            return;
        };
        let text = session_text(contact, &self.unconfirmed());
        if text != self.saved {
            let key = storage_key(&self.base_url, &self.inbox, self.identifier.as_deref());
            cx.ops.store(&key, Some(&text));
            self.saved = text;
        }
    }

    /// The stored sends of the contact just opened: queued again, their files read back
    /// first (a send whose files are gone fails, its text kept), then sent.
    pub(super) fn restore(&mut self, cx: &mut Cx<'_>, outbox: Vec<Entry>) {
        let Some(contact) = self.contact.clone() else {
            return;
        };
        for e in outbox {
            let conv = e.conversation_id;
            if self
                .core
                .threads()
                .any(|(_, t)| t.pending(&e.echo_id).is_some())
            {
                continue;
            }
            let local_id = self.core.local_id();
            let mut message = Message::local(Local {
                id: local_id,
                content: e.content.as_deref(),
                created_at: e.created_at,
                conversation_id: conv,
                sender_id: contact.id,
                sender_name: contact.name.as_deref(),
                files: &e.files,
            });
            message.echo_id = Some(e.echo_id.clone());
            message.status = Some(MessageStatus::Queued);
            self.core.thread(conv).push_pending(Pending {
                echo_id: e.echo_id.clone(),
                message: message.clone(),
                error: None,
            });
            if !e.files.is_empty() {
                let id = cx.promise();
                let key = ["r", &id.to_string()].concat();
                cx.ops.recall(id, &e.echo_id, &key);
                self.recalling.push((id, conv, e.echo_id.clone(), key));
            }
            self.core.touch();
            self.core.emit(Event::MessageQueued {
                conversation_id: conv,
                echo_id: e.echo_id,
                message,
            });
        }
    }

    /// The files of a restored send were read back (kept under its key), or are gone.
    pub(super) fn on_recalled(&mut self, cx: &mut Cx<'_>, id: u32, found: bool) {
        let Some(at) = self.recalling.iter().position(|(r, ..)| *r == id) else {
            return;
        };
        let (_, conv, echo, key) = self.recalling.remove(at);
        if found {
            self.files.push((echo, conv, key));
        } else {
            let error = Error::new(
                ErrorCode::Aborted,
                "its files did not survive the page being closed; the text was kept",
            );
            let thread = self.core.thread(conv);
            if let Some(mut message) = thread.fail(&echo, error.clone()) {
                // What is left to retry is the text.
                message.attachments.clear();
                thread.replace_pending(&echo, message.clone());
                self.core.emit(Event::MessageFailed {
                    conversation_id: conv,
                    echo_id: echo,
                    message,
                    error: Some(error),
                });
            }
        }
        self.flush(cx);
    }

    /// Whether a new send must wait behind older ones.
    pub(super) fn outbox_busy(&self) -> bool {
        self.flushing.is_some()
            || self
                .core
                .threads()
                .any(|(_, t)| t.queued().next().is_some())
    }

    /// A send could not reach the server: it waits, and a later attempt is planned.
    pub(super) fn queue(&mut self, cx: &mut Cx<'_>, conv: i64, echo: String, error: Error) {
        // A timed-out request may still be on its way to the server: the look for it
        // waits long enough for it to land, whatever else makes the outbox go.
        let floor = if error.code == ErrorCode::Timeout {
            self.not_before.retain(|(e, _)| *e != echo);
            self.not_before
                .push((echo.clone(), self.clock.saturating_add(TIMED_OUT_WAIT_MS)));
            TIMED_OUT_WAIT_MS
        } else {
            0
        };
        if let Some(message) = self.core.thread(conv).queue(&echo, error) {
            self.core.emit(Event::MessageQueued {
                conversation_id: conv,
                echo_id: echo,
                message,
            });
        }
        self.plan_flush(cx, floor);
    }

    /// The next attempt after a backoff (1 s doubling to 30 s, jittered, at least
    /// `floor`); the socket coming back or the page going online try at once.
    fn plan_flush(&mut self, cx: &mut Cx<'_>, floor: u64) {
        self.outbox_failures = self.outbox_failures.saturating_add(1);
        let step = (500.0 * f64::from(1u32 << self.outbox_failures.min(6))).min(30_000.0);
        let wait = ((step * (0.5 + 0.5 * cx.random())) as u64).max(floor);
        self.outbox_due = Some(self.clock.saturating_add(wait));
    }

    /// Sends the oldest queued message, if none is under way.
    pub(super) fn flush(&mut self, cx: &mut Cx<'_>) {
        // (Files being read back: the oldest may be among them. A reset under way: the
        // old contact's sends stay unsent.)
        if self.flushing.is_some()
            || self.closed
            || self.forgetting
            || self.contact.is_none()
            || !self.recalling.is_empty()
        {
            return;
        }
        self.outbox_due = None;
        let oldest = self
            .core
            .threads()
            .flat_map(|(conv, t)| t.queued().map(move |p| (p, conv)))
            // Oldest first; of one millisecond, the first made (local ids count down).
            .min_by_key(|(p, _)| (p.message.created_at, std::cmp::Reverse(p.message.id)))
            .map(|(p, conv)| (conv, p.echo_id.clone()));
        let Some((conv, echo)) = oldest else {
            self.outbox_failures = 0;
            return;
        };
        // Its request timed out not long ago: not before it may have landed.
        let clock = self.clock;
        self.not_before.retain(|(_, at)| *at > clock);
        if let Some((_, at)) = self.not_before.iter().find(|(e, _)| *e == echo) {
            self.outbox_due = Some(*at);
            return;
        }
        // First the newest page: the server may hold it already (an answer lost).
        let req = api::messages::list(&self.inbox, &self.source(), conv as f64, None);
        let step = Step::Flush {
            conv,
            echo: echo.clone(),
            epoch: self.epoch,
        };
        self.flushing = Some(echo.clone());
        if let Err(e) = self.request(cx, req, step) {
            // A stored send that cannot be asked about: failed, and the rest go on.
            self.flushing = None;
            self.fail_send(conv, echo, e);
            self.flush(cx);
        }
    }

    /// The newest page of a queued send's conversation.
    pub(super) fn on_flush_page(
        &mut self,
        cx: &mut Cx<'_>,
        conv: i64,
        echo: String,
        page: Result<Vec<Message>, Error>,
    ) {
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                self.flushing = None;
                if hopeless(&e) {
                    self.fail_send(conv, echo, e);
                    self.flush(cx);
                } else {
                    self.plan_flush(cx, 0);
                }
                return;
            }
        };
        if self.claim_stored(cx, conv, &echo, &page) {
            self.sent_from_outbox(cx, &echo);
            return;
        }
        if !self.post_again(cx, conv, echo, MessageStatus::Queued) {
            // Confirmed or discarded meanwhile.
            self.flushing = None;
            self.flush(cx);
        }
    }

    /// Send `echo` failed for good: `failed` (unless confirmed meanwhile), `message.failed`.
    pub(super) fn fail_send(&mut self, conv: i64, echo: String, error: Error) {
        if let Some(message) = self.core.thread(conv).fail(&echo, error.clone()) {
            self.core.emit(Event::MessageFailed {
                conversation_id: conv,
                echo_id: echo,
                message,
                error: Some(error),
            });
        }
    }

    /// A send is confirmed: if it was the outbox's, the next one goes.
    pub(super) fn sent_from_outbox(&mut self, cx: &mut Cx<'_>, echo: &str) {
        self.outbox_failures = 0;
        if self.flushing.as_deref() == Some(echo) {
            self.flushing = None;
        }
        self.flush(cx);
    }

    /// `discard(echoId)`: drops a queued or failed send.
    pub(super) fn discard(&mut self, cx: &mut Cx<'_>, echo: &str) -> bool {
        let found = self.core.threads().find_map(|(conv, t)| {
            t.pending(echo)
                .filter(|p| {
                    matches!(
                        p.message.status,
                        Some(MessageStatus::Queued | MessageStatus::Failed)
                    )
                })
                .map(|_| conv)
        });
        let Some(conv) = found else {
            return false;
        };
        self.core.thread(conv).drop_pending(echo);
        self.core.touch();
        self.forget_files(cx, echo);
        cx.ops.unpersist(echo);
        true
    }
}
