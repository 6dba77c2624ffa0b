//! The events a `ChatSession` emits (SPEC §4 table), as plain objects with a `type`.

use crate::error::Error;
use crate::model::{Conversation, Message, Sender};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// One event. Errors are not serialised here: the bindings attach them as
/// `ChatwootError` instances.
#[derive(Debug, Clone)]
pub enum Event {
    /// The connection state changed.
    State {
        /// `connecting`, `open`, `reconnecting`, `offline` or `closed`.
        state: &'static str,
        /// Consecutive failed attempts, while reconnecting.
        attempt: Option<u32>,
        /// When the next attempt is due.
        retry_in_ms: Option<u64>,
    },
    /// A message this session did not have.
    MessageCreated {
        /// Display id.
        conversation_id: i64,
        /// The message.
        message: Message,
    },
    /// A message changed.
    MessageUpdated {
        /// Display id.
        conversation_id: i64,
        /// The message as it is now.
        message: Message,
    },
    /// `send` started.
    MessagePending {
        /// Display id.
        conversation_id: i64,
        /// The send's id.
        echo_id: String,
        /// The local message.
        message: Message,
    },
    /// The server holds the message.
    MessageSent {
        /// Display id.
        conversation_id: i64,
        /// The send's id.
        echo_id: String,
        /// The server's message.
        message: Message,
    },
    /// The send could not reach the server: it waits in the outbox (kept in the
    /// session's storage) and goes out by itself when the connection returns.
    MessageQueued {
        /// Display id.
        conversation_id: i64,
        /// The send's id.
        echo_id: String,
        /// The local message, `queued`.
        message: Message,
    },
    /// The send failed; `retry(echoId)` tries again.
    MessageFailed {
        /// Display id.
        conversation_id: i64,
        /// The send's id.
        echo_id: String,
        /// The local message, `failed`.
        message: Message,
        /// Why.
        error: Option<Error>,
    },
    /// A new conversation of this contact.
    ConversationCreated {
        /// The conversation.
        conversation: Conversation,
    },
    /// A conversation changed.
    ConversationUpdated {
        /// The conversation.
        conversation: Conversation,
    },
    /// A conversation's status changed.
    ConversationStatusChanged {
        /// The conversation.
        conversation: Conversation,
    },
    /// An agent started or stopped typing.
    Typing {
        /// Display id.
        conversation_id: i64,
        /// On or off.
        typing: bool,
        /// Who.
        user: Option<Sender>,
    },
    /// Agents' availability.
    Presence {
        /// Agent id → `online`, `busy` or `offline`.
        agents: Vec<(String, String)>,
    },
    /// A catch-up finished.
    Synced {
        /// Display id.
        conversation_id: i64,
        /// Messages found that had been missed.
        recovered: u32,
    },
    /// Something failed outside a call the caller awaits (a catch-up, a listener).
    Error {
        /// The error.
        error: Option<Error>,
    },
}

impl Event {
    /// The error to attach, if the event carries one.
    pub fn error(&self) -> Option<&Error> {
        match self {
            Event::MessageFailed { error, .. } | Event::Error { error } => error.as_ref(),
            _ => None,
        }
    }

    /// The event name.
    pub fn name(&self) -> &'static str {
        match self {
            Event::State { .. } => "state",
            Event::MessageCreated { .. } => "message.created",
            Event::MessageUpdated { .. } => "message.updated",
            Event::MessagePending { .. } => "message.pending",
            Event::MessageSent { .. } => "message.sent",
            Event::MessageQueued { .. } => "message.queued",
            Event::MessageFailed { .. } => "message.failed",
            Event::ConversationCreated { .. } => "conversation.created",
            Event::ConversationUpdated { .. } => "conversation.updated",
            Event::ConversationStatusChanged { .. } => "conversation.status_changed",
            Event::Typing { .. } => "typing",
            Event::Presence { .. } => "presence",
            Event::Synced { .. } => "synced",
            Event::Error { .. } => "error",
        }
    }
}

/// The plain object listeners receive: `{ type, … }` (SPEC §4 table).
impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", self.name())?;
        match self {
            Event::State {
                state,
                attempt,
                retry_in_ms,
            } => {
                m.serialize_entry("state", state)?;
                if let Some(a) = attempt {
                    m.serialize_entry("attempt", a)?;
                }
                if let Some(ms) = retry_in_ms {
                    m.serialize_entry("retryInMs", ms)?;
                }
            }
            Event::MessageCreated {
                conversation_id,
                message,
            }
            | Event::MessageUpdated {
                conversation_id,
                message,
            } => {
                m.serialize_entry("conversationId", conversation_id)?;
                m.serialize_entry("message", message)?;
            }
            Event::MessagePending {
                conversation_id,
                echo_id,
                message,
            }
            | Event::MessageSent {
                conversation_id,
                echo_id,
                message,
            }
            | Event::MessageQueued {
                conversation_id,
                echo_id,
                message,
            }
            | Event::MessageFailed {
                conversation_id,
                echo_id,
                message,
                ..
            } => {
                m.serialize_entry("conversationId", conversation_id)?;
                m.serialize_entry("echoId", echo_id)?;
                m.serialize_entry("message", message)?;
            }
            Event::ConversationCreated { conversation }
            | Event::ConversationUpdated { conversation }
            | Event::ConversationStatusChanged { conversation } => {
                m.serialize_entry("conversation", conversation)?;
            }
            Event::Typing {
                conversation_id,
                typing,
                user,
            } => {
                m.serialize_entry("conversationId", conversation_id)?;
                m.serialize_entry("typing", typing)?;
                m.serialize_entry("user", user)?;
            }
            Event::Presence { agents } => {
                m.serialize_entry("agents", &Agents(agents))?;
            }
            Event::Synced {
                conversation_id,
                recovered,
            } => {
                m.serialize_entry("conversationId", conversation_id)?;
                m.serialize_entry("recovered", recovered)?;
            }
            Event::Error { .. } => {}
        }
        if let Some(error) = self.error() {
            m.serialize_entry("error", error)?;
        }
        m.end()
    }
}

/// Agents' presence as `{ [id]: status }`.
pub struct Agents<'a>(pub &'a [(String, String)]);

impl Serialize for Agents<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(id, status)| (id, status)))
    }
}
