//! What a `ChatSession` knows, and how each socket event or answer changes it. Pure:
//! the bindings do the I/O and hand results in; events queue up here and are
//! dispatched once the bindings have released this state.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::event::Event;
use super::thread::{Change, Thread};
use crate::error::Error;
use crate::model::{Conversation, ConversationStatus, Message, MessageType, Sender};
use crate::realtime::Push;
use crate::wire::lenient;

/// Agent typing shows for at most this long without a new `typing_on` (reference §9.11).
pub const TYPING_IN_EXPIRY_MS: u64 = 30_000;

/// A session's state.
#[derive(Debug, Default)]
pub struct Core {
    source_id: String,
    inbox_id: Option<i64>,
    conversations: BTreeMap<i64, Conversation>,
    threads: BTreeMap<i64, Thread>,
    typing_in: BTreeMap<i64, (Option<Sender>, u64)>,
    agents: BTreeMap<String, String>,
    events: Vec<Event>,
    next_local_id: i64,
    version: u64,
}

#[derive(Deserialize, Default)]
struct SourceLink {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    source_id: Option<String>,
}

#[derive(Deserialize, Default)]
struct ConversationLink {
    #[serde(default)]
    contact_inbox: Option<SourceLink>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    inbox_id: Option<i64>,
}

/// Who a message event belongs to (§6.4).
#[derive(Deserialize, Default)]
struct MessageLink {
    #[serde(default, deserialize_with = "lenient::opt_int")]
    inbox_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    conversation_id: Option<i64>,
    #[serde(default)]
    conversation: Option<ConversationLink>,
    #[serde(default, deserialize_with = "lenient::bool")]
    private: bool,
}

#[derive(Deserialize)]
struct TypingData {
    #[serde(default)]
    conversation: ConversationLink,
    #[serde(default)]
    user: Option<Sender>,
    #[serde(default, deserialize_with = "lenient::bool")]
    is_private: bool,
}

#[derive(Deserialize)]
struct PresenceData {
    #[serde(default)]
    users: BTreeMap<String, Text>,
}

#[derive(Deserialize)]
struct Text(#[serde(deserialize_with = "lenient::string")] String);

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
        self.version = version + 1;
    }

    /// Bumped on every change a snapshot would show.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Marks a change for snapshot readers.
    pub fn touch(&mut self) {
        self.version += 1;
    }

    /// Queues an event (and marks a change).
    pub fn emit(&mut self, event: Event) {
        self.version += 1;
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
        self.conversations.get(&id)
    }

    /// Agents' availability.
    pub fn agents(&self) -> &BTreeMap<String, String> {
        &self.agents
    }

    /// Who is typing where.
    pub fn typing(&self) -> impl Iterator<Item = (i64, Option<&Sender>)> {
        self.typing_in
            .iter()
            .map(|(id, (user, _))| (*id, user.as_ref()))
    }

    /// A conversation's thread, created empty on first use.
    pub fn thread(&mut self, conversation_id: i64) -> &mut Thread {
        self.threads.entry(conversation_id).or_default()
    }

    /// A conversation's thread, if any.
    pub fn thread_ref(&self, conversation_id: i64) -> Option<&Thread> {
        self.threads.get(&conversation_id)
    }

    /// Ids of the threads whose history has been read (the ones to catch up).
    pub fn loaded_threads(&self) -> Vec<i64> {
        self.threads
            .iter()
            .filter(|(_, t)| t.loaded())
            .map(|(id, _)| *id)
            .collect()
    }

    /// The socket went away: every thread must catch up before trusting it again.
    pub fn lost(&mut self) {
        self.threads.values_mut().for_each(Thread::unsync);
    }

    /// A fresh id for a local message (negative: never a server id).
    pub fn local_id(&mut self) -> i64 {
        self.next_local_id -= 1;
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
    pub fn on_conversation(&mut self, conversation: Conversation, announce: bool) {
        if self.inbox_id.is_none() {
            self.inbox_id = conversation.inbox_id;
        }
        let id = conversation.id;
        let mut conversation = conversation;
        // The thread holds the history; embedded messages would only go stale here.
        conversation.messages.clear();
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
    pub fn on_push(&mut self, push: &Push, now: u64) -> bool {
        match push.event.as_str() {
            "message.created" | "message.updated" => self.on_message_push(push),
            "conversation.created" | "conversation.updated" | "conversation.status_changed" => {
                self.on_conversation_push(push)
            }
            "conversation.typing_on" | "conversation.typing_off" => self.on_typing_push(push, now),
            "presence.update" => {
                let Ok(data) = push.data.decode::<PresenceData>() else {
                    return false;
                };
                self.agents = data.users.into_iter().map(|(k, v)| (k, v.0)).collect();
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
            (_, None) => id.is_some_and(|id| self.conversations.contains_key(&id)),
            (None, Some(_)) => false,
        }
    }

    fn on_message_push(&mut self, push: &Push) -> bool {
        let Ok(link) = push.data.decode::<MessageLink>() else {
            return false;
        };
        let source = link
            .conversation
            .as_ref()
            .and_then(|c| c.contact_inbox.as_ref())
            .and_then(|ci| ci.source_id.as_deref());
        let Some(conversation_id) = link.conversation_id else {
            return false;
        };
        if link.private || !self.ours(link.inbox_id, source, Some(conversation_id)) {
            return false;
        }
        let Ok(message) = push.data.decode::<Message>() else {
            self.emit(Event::Error {
                error: Some(Error::decode("message event", "not a message", "")),
            });
            return false;
        };
        let message = message.normalise();
        if message.message_type == MessageType::Activity {
            return false;
        }
        let thread = self.thread(conversation_id);
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

    fn on_conversation_push(&mut self, push: &Push) -> bool {
        let Ok(link) = push.data.decode::<ConversationLink>() else {
            return false;
        };
        let source = link
            .contact_inbox
            .as_ref()
            .and_then(|c| c.source_id.as_deref());
        if !self.ours(link.inbox_id, source, link.id) {
            return false;
        }
        let Ok(conversation) = push.data.decode::<Conversation>() else {
            return false;
        };
        let mut conversation = conversation.normalise();
        conversation.messages.clear();
        if self.inbox_id.is_none() {
            self.inbox_id = conversation.inbox_id;
        }
        let old = self
            .conversations
            .insert(conversation.id, conversation.clone());
        match push.event.as_str() {
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

    fn on_typing_push(&mut self, push: &Push, now: u64) -> bool {
        let Ok(data) = push.data.decode::<TypingData>() else {
            return false;
        };
        let c = &data.conversation;
        let source = c
            .contact_inbox
            .as_ref()
            .and_then(|ci| ci.source_id.as_deref());
        let Some(conversation_id) = c.id else {
            return false;
        };
        // A private note's typing still reaches the contact: never show it (§6.3).
        if data.is_private || !self.ours(c.inbox_id, source, Some(conversation_id)) {
            return false;
        }
        let on = push.event == "conversation.typing_on";
        let user = data.user.map(Sender::normalised);
        if on {
            self.typing_in
                .insert(conversation_id, (user.clone(), now + TYPING_IN_EXPIRY_MS));
        } else if self.typing_in.remove(&conversation_id).is_none() {
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
            .map(|(id, _)| *id)
            .collect();
        for conversation_id in expired {
            if let Some((user, _)) = self.typing_in.remove(&conversation_id) {
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
            .get(&id)
            .is_some_and(|c| c.status == ConversationStatus::Resolved)
    }
}
