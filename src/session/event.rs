//! The events a `ChatSession` emits (SPEC §4 table), as plain objects with a `type`.

use crate::error::Error;
use crate::model::{Conversation, Message};
use crate::wire::out::Out;

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
        /// Who (the agent's camelCase JSON).
        user: Option<String>,
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
    /// Writes the plain object listeners receive; an `error` is written as its plain
    /// object, which the JS driver turns into a `ChatwootError`.
    pub fn write(&self, o: &mut Out) {
        o.open().key("type").str(self.name());
        match self {
            Event::State {
                state,
                attempt,
                retry_in_ms,
            } => {
                o.key("state").str(state);
                if let Some(a) = attempt {
                    o.key("attempt").int(i64::from(*a));
                }
                if let Some(ms) = retry_in_ms {
                    o.key("retryInMs").int(*ms as i64);
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
                o.key("conversationId").int(*conversation_id).key("message");
                message.write(o);
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
            | Event::MessageFailed {
                conversation_id,
                echo_id,
                message,
                ..
            } => {
                o.key("conversationId")
                    .int(*conversation_id)
                    .key("echoId")
                    .str(echo_id)
                    .key("message");
                message.write(o);
            }
            Event::ConversationCreated { conversation }
            | Event::ConversationUpdated { conversation }
            | Event::ConversationStatusChanged { conversation } => {
                o.key("conversation");
                conversation.write(o);
            }
            Event::Typing {
                conversation_id,
                typing,
                user,
            } => {
                o.key("conversationId")
                    .int(*conversation_id)
                    .key("typing")
                    .bool(*typing)
                    .key("user");
                match user {
                    Some(json) => o.json(json),
                    None => o.null(),
                };
            }
            Event::Presence { agents } => {
                o.key("agents");
                write_agents(o, agents);
            }
            Event::Synced {
                conversation_id,
                recovered,
            } => {
                o.key("conversationId")
                    .int(*conversation_id)
                    .key("recovered")
                    .int(i64::from(*recovered));
            }
            Event::Error { .. } => {}
        }
        if let Some(error) = self.error() {
            o.key("error");
            error.write(o);
        }
        o.close();
    }

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

/// Writes agent id → availability as an object.
pub fn write_agents(o: &mut Out, agents: &[(String, String)]) {
    o.open();
    for (id, status) in agents {
        o.key(id).str(status);
    }
    o.close();
}
