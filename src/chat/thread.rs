//! One conversation's messages as a `ChatSession` holds them: upserted by server id,
//! with the optimistic sends in flight, and the bookkeeping that lets a catch-up after a
//! reconnect find exactly what was missed (reference §6.6, §9.6–9.9).

use super::idmap::IdMap;
use crate::error::Error;
use crate::model::{message_list, Message, MessageStatus, MessageType};

/// The server's page size for message history.
pub const PAGE: usize = 20;

/// What a change to the thread means for listeners.
#[derive(Debug, Clone)]
pub enum Change {
    /// A message this session did not have.
    Created(Message),
    /// A message it had, changed (status, content, deletion, submitted values).
    Updated(Message),
    /// An optimistic send was confirmed by the server.
    Sent {
        /// The client's id of the send.
        echo_id: String,
        /// The server's message.
        message: Message,
    },
}

/// A message this session is sending (or failed to send).
#[derive(Debug, Clone)]
pub struct Pending {
    /// The client's id, sent as `echo_id`.
    pub echo_id: String,
    /// The local message shown meanwhile (`status` `sending`, `queued` or `failed`).
    pub message: Message,
    /// Why the last attempt failed.
    pub error: Option<Error>,
}

/// One conversation's messages.
#[derive(Debug, Default)]
pub struct Thread {
    messages: IdMap<Message>,
    /// When each message last changed (see [`next_stamp`]): a snapshot compares these
    /// instead of whole messages.
    stamps: IdMap<u64>,
    /// The latest changes, `(stamp, id)`, oldest first (at most [`RECENT`]).
    recent: Vec<(u64, i64)>,
    /// The newest stamp that fell out of `recent`.
    forgotten: u64,
    /// A stamp of its own: a thread made anew (after identify/reset) is not the old one.
    born: Born,
    pending: Vec<Pending>,
    /// The newest page has been read at least once.
    loaded: bool,
    /// A `before` page came back short: nothing older exists.
    at_start: bool,
    /// Smallest id of the contiguous history read from the server (the `before` cursor).
    oldest: Option<i64>,
    /// Every message with an id up to this one is known.
    watermark: i64,
    /// Caught up since the socket last became live: socket events extend `watermark`.
    synced: bool,
    /// The session knows the conversation (listed, started, or told of by the socket)
    /// and `watermark` is what it knew of it: a catch-up reports what is newer, also
    /// when the thread was never read.
    tracked: bool,
    /// For a thread never read: the newest message when the session learned of the
    /// conversation. What is older is history (its first read brings it); what is newer
    /// and unknown is news, also below the watermark (a broadcast overtaken by a later
    /// one, then lost in a drop).
    floor: Option<i64>,
    /// Messages the newest page brought that the socket has not announced yet: a page
    /// read while the socket is live can hold messages whose `message.created` is
    /// still on its way, and those are news when it comes (at most a page of ids).
    unannounced: Vec<i64>,
}

impl Thread {
    /// True once the newest page was read.
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// True when the start of the history is known.
    pub fn at_start(&self) -> bool {
        self.at_start
    }

    /// The `before` cursor for the next older page.
    pub fn oldest(&self) -> Option<i64> {
        self.oldest
    }

    /// The socket went away: events may be missed until the next catch-up.
    pub fn unsync(&mut self) {
        self.synced = false;
    }

    /// Whether a catch-up after a drop must look at this thread: it was read, or its
    /// conversation is known.
    pub fn has_baseline(&self) -> bool {
        self.loaded || self.tracked
    }

    /// The session learned of the conversation from a read that showed its messages up
    /// to `newest`; `live`: the socket is subscribed and caught up, so whatever follows
    /// arrives on it. Once a baseline exists and a drop opened a gap, only a catch-up
    /// moves the watermark (a re-list must not hide what was missed).
    pub fn track(&mut self, newest: i64, live: bool) {
        if self.has_baseline() && !self.synced {
            return;
        }
        if !self.has_baseline() {
            self.floor = Some(newest);
        }
        self.tracked = true;
        self.watermark = self.watermark.max(newest);
        if live {
            self.synced = true;
        }
    }

    /// The thread was read while subscribed, with no drop since: from now on socket
    /// events extend what is known without a gap.
    pub fn mark_synced(&mut self) {
        self.synced = true;
    }

    /// Whether the thread is caught up with the live socket.
    pub fn synced(&self) -> bool {
        self.synced
    }

    /// Server messages in id order, then the sends in flight in the order they were made.
    pub fn snapshot(&self) -> impl Iterator<Item = &Message> {
        self.messages
            .values()
            .chain(self.pending.iter().map(|p| &p.message))
    }

    /// The snapshot's messages with their change stamps (`None` for a send not yet
    /// confirmed, which has none: compare it whole).
    pub fn stamped(&self) -> impl Iterator<Item = (&Message, Option<u64>)> {
        // Both maps hold the same ids (every message is stamped when it goes in), so
        // they are read side by side; a lookup only if that ever did not hold.
        let mut stamps = self.stamps.iter().peekable();
        self.messages
            .iter()
            .map(move |(id, m)| {
                let stamp = match stamps.next_if(|(s, _)| *s == id) {
                    Some((_, stamp)) => *stamp,
                    None => self.stamps.get(id).copied().unwrap_or(0),
                };
                (m, Some(stamp))
            })
            .chain(self.pending.iter().map(|p| (&p.message, None)))
    }

    fn stamp(&mut self, id: i64) {
        let stamp = next_stamp();
        self.stamps.insert(id, stamp);
        if self.recent.len() >= RECENT {
            self.forgotten = self.recent.remove(0).0;
        }
        self.recent.push((stamp, id));
    }

    /// The thread's own stamp: another value means another thread.
    pub fn born(&self) -> u64 {
        self.born.0
    }

    /// The newest change's stamp (0: none yet).
    pub fn last_stamp(&self) -> u64 {
        self.recent.last().map_or(self.forgotten, |(s, _)| *s)
    }

    /// Whether every change since stamp `seen` was to a message above `id` (new ones
    /// arriving at the end), and no send is waiting: then a snapshot need only add the
    /// messages above `id`. `false` when it cannot tell.
    pub fn only_added_above(&self, seen: u64, id: i64) -> bool {
        self.pending.is_empty()
            && self.forgotten <= seen
            && self
                .recent
                .iter()
                .filter(|(stamp, _)| *stamp > seen)
                .all(|(_, changed)| *changed > id)
    }

    /// The messages above `id` with their stamps, in order.
    pub fn stamped_above(&self, id: i64) -> impl Iterator<Item = (&Message, u64)> {
        let mut stamps = self.stamps.above(id).peekable();
        self.messages.above(id).map(move |(id, m)| {
            let stamp = match stamps.next_if(|(s, _)| *s == id) {
                Some((_, stamp)) => *stamp,
                None => self.stamps.get(id).copied().unwrap_or(0),
            };
            (m, stamp)
        })
    }

    /// Number of server messages held.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// True when no message is held, sent or pending.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty() && self.pending.is_empty()
    }

    /// The message with server id `id`.
    pub fn get(&self, id: i64) -> Option<&Message> {
        self.messages.get(id)
    }

    /// The send with this echo id.
    pub fn pending(&self, echo_id: &str) -> Option<&Pending> {
        self.pending.iter().find(|p| p.echo_id == echo_id)
    }

    /// Every send shown and not yet confirmed.
    pub fn pending_all(&self) -> impl Iterator<Item = &Pending> {
        self.pending.iter()
    }

    /// Starts showing a send.
    pub fn push_pending(&mut self, pending: Pending) {
        self.pending.push(pending);
    }

    /// The send failed; returns the local message, now `failed`.
    pub fn fail(&mut self, echo_id: &str, error: Error) -> Option<Message> {
        let p = self.pending.iter_mut().find(|p| p.echo_id == echo_id)?;
        p.message.status = Some(MessageStatus::Failed);
        p.error = Some(error);
        Some(p.message.clone())
    }

    /// The send could not reach the server; returns the local message, now `queued`.
    pub fn queue(&mut self, echo_id: &str, error: Error) -> Option<Message> {
        let p = self.pending.iter_mut().find(|p| p.echo_id == echo_id)?;
        p.message.status = Some(MessageStatus::Queued);
        p.error = Some(error);
        Some(p.message.clone())
    }

    /// The sends waiting for the connection, oldest first.
    pub fn queued(&self) -> impl Iterator<Item = &Pending> {
        self.pending
            .iter()
            .filter(|p| p.message.status == Some(MessageStatus::Queued))
    }

    /// A failed or queued send is tried again; returns its local message, `sending` again.
    pub fn resend(&mut self, echo_id: &str) -> Option<Message> {
        let p = self.pending.iter_mut().find(|p| p.echo_id == echo_id)?;
        p.message.status = Some(MessageStatus::Sending);
        p.error = None;
        Some(p.message.clone())
    }

    /// Shows a send's local message as `message` from now on.
    pub fn replace_pending(&mut self, echo_id: &str, message: Message) {
        if let Some(p) = self.pending.iter_mut().find(|p| p.echo_id == echo_id) {
            p.message = message;
        }
    }

    /// Forgets a send (given up on).
    pub fn drop_pending(&mut self, echo_id: &str) -> Option<Pending> {
        let at = self.pending.iter().position(|p| p.echo_id == echo_id)?;
        Some(self.pending.remove(at))
    }

    /// The HTTP reply of a send arrived (it carries no echo id).
    pub fn on_sent(&mut self, echo_id: &str, mut message: Message) -> Option<Change> {
        self.drop_pending(echo_id)?;
        // Stored by the server is `sent`, whatever REST leaves out.
        if message.status.is_none() {
            message.status = Some(MessageStatus::Sent);
        }
        // The stored copy keeps the echo id: a widget keys its bubble by it from
        // `sending` to `sent` to `read`.
        message.echo_id = Some(echo_id.to_owned());
        let id = message.id;
        let message = match self.messages.get_mut(id) {
            // The socket echo or a page was faster; keep its copy, which is now this
            // send's (a page's copy has no echo id, and REST says no status).
            Some(known) => {
                if known.echo_id.is_none() {
                    known.echo_id = message.echo_id;
                }
                if known.status.is_none() {
                    known.status = message.status;
                }
                known.clone()
            }
            None => {
                self.messages.insert(id, message.clone());
                message
            }
        };
        self.stamp(id);
        Some(Change::Sent {
            echo_id: echo_id.to_owned(),
            message,
        })
    }

    /// A socket `message.created`.
    pub fn on_created(&mut self, message: Message) -> Option<Change> {
        if self.synced {
            self.watermark = self.watermark.max(message.id);
        }
        let unannounced = self.announce(message.id);
        if let Some(echo_id) = message.echo_id.clone() {
            if self.drop_pending(&echo_id).is_some() {
                let message = self.upsert(message).1;
                return Some(Change::Sent { echo_id, message });
            }
        }
        match self.upsert(message) {
            (_, m) if unannounced => Some(Change::Created(m)),
            (Upsert::New, m) => Some(Change::Created(m)),
            (Upsert::Changed, m) => Some(Change::Updated(m)),
            (Upsert::Same, _) => None,
        }
    }

    /// Whether `id` came with the newest page and is announced only now (it is not
    /// again).
    fn announce(&mut self, id: i64) -> bool {
        let at = self.unannounced.iter().position(|x| *x == id);
        if let Some(at) = at {
            self.unannounced.swap_remove(at);
        }
        at.is_some()
    }

    /// A socket `message.updated`, or the answer to a `submitReply`.
    pub fn on_updated(&mut self, message: Message) -> Option<Change> {
        self.announce(message.id);
        let below_window = self.loaded && self.oldest.is_some_and(|o| message.id < o);
        if below_window && !self.messages.contains(message.id) {
            // Older than the history read so far: storing it would hide the gap from
            // `loadOlder`. Report it; it is stored when its page is read.
            return Some(Change::Updated(message));
        }
        // Unknown, yet inside (or above) the history known to be complete: its
        // `message.created` was missed (broadcasts can arrive out of order), so it is news.
        let news = self.loaded && self.oldest.is_none_or(|o| message.id > o);
        match self.upsert(message) {
            (Upsert::Same, _) => None,
            (Upsert::New, m) if news => Some(Change::Created(m)),
            (_, m) => Some(Change::Updated(m)),
        }
    }

    /// The newest page, read for the first time. Nothing is reported as created: it is
    /// history, not news. (Its messages whose `message.created` the socket brings
    /// afterwards, the page having overtaken it, are reported then.)
    pub fn on_first_page(&mut self, page: Vec<Message>) -> Vec<Change> {
        let mut out = Vec::new();
        if page.len() < PAGE {
            self.at_start = true;
        }
        if let Some(newest) = page.last() {
            self.watermark = self.watermark.max(newest.id);
        }
        self.lower_oldest(page.first().map(|m| m.id));
        for m in page {
            if let Some(sent) = self.adopt(&m) {
                out.push(sent);
                continue;
            }
            match self.upsert(m) {
                (Upsert::Changed, m) => out.push(Change::Updated(m)),
                (Upsert::New, m) => self.unannounced.push(m.id),
                (Upsert::Same, _) => {}
            }
        }
        self.loaded = true;
        out
    }

    /// An older page from `loadOlder`; returns how many messages were new.
    pub fn on_older_page(&mut self, page: Vec<Message>) -> usize {
        if page.len() < PAGE {
            self.at_start = true;
        }
        self.lower_oldest(page.first().map(|m| m.id));
        let mut added: usize = 0;
        for m in page {
            if !self.messages.contains(m.id) {
                added = added.saturating_add(1);
            }
            self.upsert(m);
        }
        added
    }

    /// During a catch-up: whether the page just read (ascending, as the server sends)
    /// leaves a gap before what is known, so the next `before` page is needed.
    pub fn needs_more(&self, page: &[Message]) -> bool {
        match page.first() {
            Some(first) => self.has_baseline() && page.len() >= PAGE && first.id > self.watermark,
            None => false,
        }
    }

    /// A catch-up read `pages` (newest first, each ascending). New messages newer than
    /// what was known are reported as created, in id order; older unknown ones only join
    /// the history; changed ones are reported as updated. Afterwards the thread is synced.
    pub fn on_catch_up(&mut self, pages: Vec<Vec<Message>>) -> Vec<Change> {
        if !self.has_baseline() {
            let newest = pages.into_iter().next().unwrap_or_default();
            let out = self.on_first_page(newest);
            self.synced = true;
            return out;
        }
        let all = message_list(pages.into_iter().flatten().collect());
        let before = self.watermark;
        // Where the history this thread holds begins: unknown messages above it are news.
        let floor = if self.loaded { self.oldest } else { self.floor };
        let newest = all.last().map(|m| m.id);
        let mut out = Vec::new();
        for m in all {
            let id = m.id;
            if !self.loaded && floor.is_none_or(|f| id <= f) && !self.messages.contains(id) {
                // History of a thread never read: its first read brings it.
                continue;
            }
            if let Some(sent) = self.adopt(&m) {
                out.push(sent);
                continue;
            }
            match self.upsert(m) {
                // Newer than what was known, or a gap inside the known history (an
                // earlier message whose broadcast never came): news either way.
                // Activity lines are history only, as on the socket.
                (Upsert::New, m)
                    if m.message_type != MessageType::Activity
                        && (id > before || floor.is_some_and(|f| id > f)) =>
                {
                    out.push(Change::Created(m))
                }
                (Upsert::New, _) => self.lower_oldest(Some(id)),
                (Upsert::Changed, m) => out.push(Change::Updated(m)),
                (Upsert::Same, _) => {}
            }
        }
        if let Some(newest) = newest {
            self.watermark = self.watermark.max(newest);
        }
        self.synced = true;
        out
    }

    /// For `retry`: the message of a failed send that the server stored after all (the
    /// request arrived but its answer was lost). REST has no echo id, so it is matched by
    /// author, content and attachment count among messages no send has claimed: ones
    /// this thread does not hold, or holds without an echo id.
    pub fn find_stored(&self, echo_id: &str, page: &[Message]) -> Option<Message> {
        let p = self.pending(echo_id)?;
        page.iter()
            .filter(|m| {
                self.messages
                    .get(m.id)
                    .is_none_or(|known| known.echo_id.is_none())
            })
            .find(|m| stored_copy_of(p, m))
            .cloned()
    }

    /// A send failed (its answer was lost) although a page already brought in its stored
    /// copy: that copy confirms it.
    pub fn claim_held(&mut self, echo_id: &str) -> Option<Change> {
        let p = self.pending(echo_id)?;
        let held = self
            .messages
            .values()
            .filter(|m| m.echo_id.is_none() && stored_copy_of(p, m))
            .last()?
            .clone();
        self.on_sent(echo_id, held)
    }

    /// A page brought in a message this thread does not hold that is the stored copy of
    /// one of its failed sends (the request arrived, its answer was lost): the send is
    /// confirmed by it, so a later `retry` cannot post it twice.
    fn adopt(&mut self, m: &Message) -> Option<Change> {
        if self.messages.contains(m.id) {
            return None;
        }
        let echo_id = self
            .pending
            .iter()
            .find(|p| {
                matches!(
                    p.message.status,
                    Some(MessageStatus::Failed | MessageStatus::Queued)
                ) && stored_copy_of(p, m)
            })?
            .echo_id
            .clone();
        self.on_sent(&echo_id, m.clone())
    }

    fn lower_oldest(&mut self, id: Option<i64>) {
        if let Some(id) = id {
            self.oldest = Some(self.oldest.map_or(id, |o| o.min(id)));
        }
    }

    /// Inserts or merges by id; says whether anything a widget shows changed.
    fn upsert(&mut self, mut message: Message) -> (Upsert, Message) {
        let id = message.id;
        match self.messages.get_mut(id) {
            None => {
                self.messages.insert(id, message.clone());
                self.stamp(id);
                (Upsert::New, message)
            }
            Some(known) => {
                // REST never says a status, nor an echo id: keep what is known.
                if message.status.is_none() {
                    message.status = known.status;
                }
                if message.echo_id.is_none() {
                    message.echo_id = known.echo_id.clone();
                }
                let changed = message.status != known.status || !message.same_body(known);
                if *known != message {
                    *known = message.clone();
                    self.stamp(id);
                }
                if changed {
                    (Upsert::Changed, message)
                } else {
                    (Upsert::Same, message)
                }
            }
        }
    }
}

/// Whether server message `m` can be the stored copy of send `p`: from the contact, same
/// content and attachments, created at most a minute before the send was made.
fn stored_copy_of(p: &Pending, m: &Message) -> bool {
    let since = p.message.created_at.unwrap_or(0).saturating_sub(60_000);
    m.message_type == MessageType::Incoming
        && m.content == p.message.content
        && m.attachments.len() == p.message.attachments.len()
        && m.created_at.unwrap_or(0) >= since
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Upsert {
    New,
    Changed,
    Same,
}

/// A thread's stamp of its own, taken when it is made.
#[derive(Debug)]
struct Born(u64);

impl Default for Born {
    fn default() -> Born {
        Born(next_stamp())
    }
}

/// How many of a thread's latest changes it remembers for snapshots.
const RECENT: usize = 64;

/// A stamp no change has had before, in this whole module instance (threads come and go
/// with contacts; a stamp is never reused).
fn next_stamp() -> u64 {
    static NEXT: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, core::sync::atomic::Ordering::Relaxed)
}
