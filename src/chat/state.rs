//! What a `ChatSession` knows, and how each socket event or answer changes it. Pure:
//! the bindings do the I/O and hand results in; events queue up here and are
//! dispatched once the bindings have released this state.

use super::event::Event;
use super::idmap::IdMap;
use super::thread::{Change, Thread};
use crate::error::Error;
use crate::model::{Conversation, ConversationStatus, Message, MessageType, Sender};
use crate::realtime::Push;
use chatwoot_inbox_model::lenient::{self, decode, Model};
use serde::Deserialize;

/// Agent typing shows for at most this long without a new `typing_on` (reference §9.11).
pub const TYPING_IN_EXPIRY_MS: u64 = 30_000;

/// A session's state.
#[derive(Debug, Default)]
pub struct Core {
    source_id: String,
    inbox_id: Option<i64>,
    conversations: IdMap<Conversation>,
    threads: IdMap<Thread>,
    /// By conversation: the typing agent and when it expires.
    typing_in: IdMap<(Option<Sender>, u64)>,
    agents: Vec<(String, String)>,
    events: Vec<Event>,
    next_local_id: i64,
    version: u64,
}

/// The newest message id of a list (0 for none).
fn newest(messages: &[Message]) -> i64 {
    messages.iter().map(|m| m.id).max().unwrap_or(0)
}

/// Who a conversation payload (§6.5) belongs to: display id, inbox id, session.
#[derive(Debug, Default, Deserialize)]
struct Link {
    #[serde(default, deserialize_with = "lenient::int")]
    id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::int")]
    inbox_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::one")]
    contact_inbox: Option<ContactInbox>,
}

impl Model for Link {}

impl Link {
    fn source(&self) -> Option<&str> {
        self.contact_inbox.as_ref()?.source_id.as_deref()
    }
}

/// The contact-inbox record a payload names.
#[derive(Debug, Default, Deserialize)]
struct ContactInbox {
    #[serde(default, deserialize_with = "lenient::text")]
    source_id: Option<String>,
}

impl Model for ContactInbox {}

/// What a message event says about where it belongs (§6.4).
#[derive(Debug, Deserialize)]
struct MessageLink {
    #[serde(default, deserialize_with = "lenient::int")]
    conversation_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::int")]
    inbox_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::flag")]
    private: bool,
    #[serde(default, deserialize_with = "lenient::one")]
    conversation: Option<Link>,
}

impl Model for MessageLink {}

/// A typing event (§6.3).
#[derive(Debug, Deserialize)]
struct Typing {
    #[serde(default, deserialize_with = "lenient::one")]
    conversation: Option<Link>,
    #[serde(default, deserialize_with = "lenient::flag")]
    is_private: bool,
    #[serde(default, deserialize_with = "lenient::one")]
    user: Option<Sender>,
}

impl Model for Typing {}

/// A presence event: agent id → availability.
#[derive(Debug, Deserialize)]
struct Presence {
    #[serde(default, deserialize_with = "lenient::pairs")]
    users: Option<Vec<(String, String)>>,
}

impl Model for Presence {}

impl Core {
    /// A session of `source_id`.
    pub fn new(source_id: &str) -> Self {
        Core {
            source_id: source_id.to_owned(),
            ..Core::default()
        }
    }

    /// Another contact session (identify, reset): everything known is forgotten.
    pub fn switch(&mut self, source_id: &str) {
        let events = std::mem::take(&mut self.events);
        let next = self.next_local_id;
        let version = self.version;
        *self = Core::new(source_id);
        self.events = events;
        self.next_local_id = next;
        self.version = version.wrapping_add(1);
    }

    /// Bumped on every change a snapshot would show.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Marks a change for snapshot readers.
    pub fn touch(&mut self) {
        self.version = self.version.wrapping_add(1);
    }

    /// Queues an event (and marks a change).
    pub fn emit(&mut self, event: Event) {
        self.version = self.version.wrapping_add(1);
        self.events.push(event);
    }

    /// Takes the queued events, for dispatch outside any borrow.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// This session's source id.
    pub fn source_id(&self) -> &str {
        &self.source_id
    }

    /// The numeric inbox id, once a conversation told it.
    pub fn inbox_id(&self) -> Option<i64> {
        self.inbox_id
    }

    /// Conversations known, by display id.
    pub fn conversations(&self) -> impl Iterator<Item = &Conversation> {
        self.conversations.values()
    }

    /// One conversation.
    pub fn conversation(&self, id: i64) -> Option<&Conversation> {
        self.conversations.get(id)
    }

    /// Agents' availability.
    pub fn agents(&self) -> &[(String, String)] {
        &self.agents
    }

    /// Who is typing where.
    pub fn typing(&self) -> impl Iterator<Item = (i64, Option<&Sender>)> {
        self.typing_in
            .iter()
            .map(|(id, (user, _))| (id, user.as_ref()))
    }

    /// A conversation's thread, created empty on first use.
    pub fn thread(&mut self, conversation_id: i64) -> &mut Thread {
        self.threads
            .get_or_insert_with(conversation_id, Thread::default)
    }

    /// A conversation's thread, if any.
    pub fn thread_ref(&self, conversation_id: i64) -> Option<&Thread> {
        self.threads.get(conversation_id)
    }

    /// Every thread, by conversation id.
    pub fn threads(&self) -> impl Iterator<Item = (i64, &Thread)> {
        self.threads.iter()
    }

    /// Ids of the threads whose history has been read (caught up page by page).
    pub fn loaded_threads(&self) -> Vec<i64> {
        self.threads
            .iter()
            .filter(|(_, t)| t.loaded())
            .map(|(id, _)| id)
            .collect()
    }

    /// Whether a conversation the session knows but never read is behind the socket
    /// (a drop, or it was listed before the socket was live): the re-list catches it up.
    pub fn behind(&self) -> bool {
        self.threads
            .values()
            .any(|t| t.has_baseline() && !t.loaded() && !t.synced())
    }

    /// A conversation of the list read again after the socket subscribed. It embeds all
    /// of its messages: a thread never read is caught up from them (`message.created`
    /// for each missed one, in id order, then `synced`), without a request of its own.
    /// `live`: the socket stayed up since the list was asked for.
    pub fn on_relist(&mut self, conversation: Conversation, live: bool) {
        let id = conversation.id;
        let behind = self
            .thread_ref(id)
            .is_some_and(|t| t.has_baseline() && !t.loaded() && !t.synced());
        let messages = if behind {
            conversation.messages.clone()
        } else {
            Vec::new()
        };
        self.on_conversation(conversation, true, live);
        if !behind {
            return;
        }
        let thread = self.thread(id);
        let changes = thread.on_catch_up(vec![messages]);
        if !live {
            thread.unsync();
        }
        let recovered = changes
            .iter()
            .filter(|c| matches!(c, Change::Created(_)))
            .count();
        for change in changes {
            self.apply(id, change);
        }
        self.emit(Event::Synced {
            conversation_id: id,
            recovered: u32::try_from(recovered).unwrap_or(u32::MAX),
        });
    }

    /// The socket went away: every thread must catch up before trusting it again.
    pub fn lost(&mut self) {
        self.threads.values_mut().for_each(Thread::unsync);
    }

    /// A fresh id for a local message (negative: never a server id).
    pub fn local_id(&mut self) -> i64 {
        self.next_local_id = self.next_local_id.saturating_sub(1);
        self.next_local_id
    }

    /// Turns a thread change into its event.
    pub fn apply(&mut self, conversation_id: i64, change: Change) {
        let event = match change {
            Change::Created(message) => Event::MessageCreated {
                conversation_id,
                message,
            },
            Change::Updated(message) => Event::MessageUpdated {
                conversation_id,
                message,
            },
            Change::Sent { echo_id, message } => Event::MessageSent {
                conversation_id,
                echo_id,
                message,
            },
        };
        self.emit(event);
    }

    /// A conversation read over REST (list, create, show, resolve). `announce` reports a
    /// new one as created; a status that differs from the known one is always reported.
    /// Its embedded messages are the baseline of its thread (`live`: the socket is
    /// subscribed and caught up); the thread holds messages once read.
    pub fn on_conversation(&mut self, mut conversation: Conversation, announce: bool, live: bool) {
        if self.inbox_id.is_none() {
            self.inbox_id = conversation.inbox_id;
        }
        let id = conversation.id;
        let newest = newest(&core::mem::take(&mut conversation.messages));
        self.thread(id).track(newest, live);
        match self.conversations.insert(id, conversation.clone()) {
            None if announce => self.emit(Event::ConversationCreated { conversation }),
            None => self.touch(),
            Some(old) if old.status != conversation.status => {
                self.emit(Event::ConversationStatusChanged {
                    conversation: conversation.clone(),
                });
                self.emit(Event::ConversationUpdated { conversation });
            }
            Some(_) => self.touch(),
        }
    }

    /// A socket broadcast. Returns false when it was not for this session.
    pub fn on_push(&mut self, push: &Push<'_>, now: u64) -> bool {
        match push.event {
            "message.created" | "message.updated" => self.on_message_push(push),
            "conversation.created" | "conversation.updated" | "conversation.status_changed" => {
                self.on_conversation_push(push)
            }
            "conversation.typing_on" | "conversation.typing_off" => self.on_typing_push(push, now),
            "presence.update" => {
                let Some(users) = decode::<Presence>(push.data).ok().and_then(|p| p.users) else {
                    return false;
                };
                self.agents = users;
                let agents = self.agents.clone();
                self.emit(Event::Presence { agents });
                true
            }
            _ => false,
        }
    }

    /// Whether an event of `inbox_id` / `source_id` / conversation `id` is ours: our own
    /// session's, or (for a verified contact) another session of ours in this inbox.
    fn ours(&self, inbox_id: Option<i64>, source_id: Option<&str>, id: Option<i64>) -> bool {
        if source_id == Some(self.source_id.as_str()) {
            return true;
        }
        match (inbox_id, self.inbox_id) {
            (Some(theirs), Some(mine)) => theirs == mine,
            // No inbox id known yet: only a conversation we already know.
            (_, None) => id.is_some_and(|id| self.conversations.contains(id)),
            (None, Some(_)) => false,
        }
    }

    fn on_message_push(&mut self, push: &Push<'_>) -> bool {
        let Ok(link) = decode::<MessageLink>(push.data) else {
            return false;
        };
        let Some(conversation_id) = link.conversation_id else {
            return false;
        };
        let source = link.conversation.as_ref().and_then(Link::source);
        if link.private || !self.ours(link.inbox_id, source, Some(conversation_id)) {
            return false;
        }
        let Ok(message) = decode::<Message>(push.data) else {
            self.emit(Event::Error {
                error: Some(Error::decode("message event", "not a message", "")),
            });
            return false;
        };
        if message.message_type == MessageType::Activity {
            return false;
        }
        let thread = self.thread(conversation_id);
        if !thread.has_baseline() {
            // Told of by the socket: what came before is history, what follows arrives
            // on the socket.
            thread.track(message.id, true);
        }
        let change = if push.event == "message.created" {
            thread.on_created(message)
        } else {
            thread.on_updated(message)
        };
        match change {
            Some(change) => self.apply(conversation_id, change),
            None => self.touch(),
        }
        true
    }

    fn on_conversation_push(&mut self, push: &Push<'_>) -> bool {
        let Ok(link) = decode::<Link>(push.data) else {
            return false;
        };
        if !self.ours(link.inbox_id, link.source(), link.id) {
            return false;
        }
        let Ok(mut conversation) = decode::<Conversation>(push.data) else {
            return false;
        };
        // The threads hold the messages.
        let newest = newest(&core::mem::take(&mut conversation.messages));
        let thread = self.thread(conversation.id);
        if !thread.has_baseline() {
            thread.track(newest, true);
        }
        if self.inbox_id.is_none() {
            self.inbox_id = conversation.inbox_id;
        }
        let old = self
            .conversations
            .insert(conversation.id, conversation.clone());
        match push.event {
            "conversation.created" if old.is_none() => {
                self.emit(Event::ConversationCreated { conversation });
            }
            "conversation.status_changed" => match old {
                Some(old) if old.status == conversation.status => self.touch(),
                _ => self.emit(Event::ConversationStatusChanged { conversation }),
            },
            "conversation.updated" => self.emit(Event::ConversationUpdated { conversation }),
            _ => self.touch(),
        }
        true
    }

    fn on_typing_push(&mut self, push: &Push<'_>, now: u64) -> bool {
        let Ok(typing) = decode::<Typing>(push.data) else {
            return false;
        };
        let link = typing.conversation.unwrap_or_default();
        let Some(conversation_id) = link.id else {
            return false;
        };
        // A private note's typing still reaches the contact: never show it (§6.3).
        if typing.is_private || !self.ours(link.inbox_id, link.source(), link.id) {
            return false;
        }
        let on = push.event == "conversation.typing_on";
        let user = typing.user;
        if on {
            self.typing_in.insert(
                conversation_id,
                (user.clone(), now.saturating_add(TYPING_IN_EXPIRY_MS)),
            );
        } else if self.typing_in.remove(conversation_id).is_none() {
            return true;
        }
        self.emit(Event::Typing {
            conversation_id,
            typing: on,
            user,
        });
        true
    }

    /// A contact message shows the agent stopped typing in practice; and nothing shows
    /// longer than the expiry.
    pub fn tick(&mut self, now: u64) {
        let expired: Vec<i64> = self
            .typing_in
            .iter()
            .filter(|(_, (_, until))| *until <= now)
            .map(|(id, _)| id)
            .collect();
        for conversation_id in expired {
            if let Some((user, _)) = self.typing_in.remove(conversation_id) {
                self.emit(Event::Typing {
                    conversation_id,
                    typing: false,
                    user,
                });
            }
        }
    }

    /// When [`Core::tick`] must run next.
    pub fn deadline(&self) -> Option<u64> {
        self.typing_in.values().map(|(_, until)| *until).min()
    }

    /// Whether a resolved conversation is known as such.
    pub fn is_resolved(&self, id: i64) -> bool {
        self.conversations
            .get(id)
            .is_some_and(|c| c.status == ConversationStatus::Resolved)
    }
}
