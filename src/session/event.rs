//! The events a `ChatSession` emits (SPEC §4 table), as plain objects with a `type`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Error;
use crate::model::{Conversation, Message, Sender};

/// One event. Errors are not serialised here: the bindings attach them as
/// `ChatwootError` instances.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type")]
pub enum Event {
    /// The connection state changed.
    #[serde(rename = "state", rename_all = "camelCase")]
    State {
        /// `connecting`, `open`, `reconnecting`, `offline` or `closed`.
        state: &'static str,
        /// Consecutive failed attempts, while reconnecting.
        #[serde(skip_serializing_if = "Option::is_none")]
        attempt: Option<u32>,
        /// When the next attempt is due.
        #[serde(skip_serializing_if = "Option::is_none")]
        retry_in_ms: Option<u64>,
    },
    /// A message this session did not have.
    #[serde(rename = "message.created", rename_all = "camelCase")]
    MessageCreated {
        /// Display id.
        conversation_id: i64,
        /// The message.
        message: Message,
    },
    /// A message changed.
    #[serde(rename = "message.updated", rename_all = "camelCase")]
    MessageUpdated {
        /// Display id.
        conversation_id: i64,
        /// The message as it is now.
        message: Message,
    },
    /// `send` started.
    #[serde(rename = "message.pending", rename_all = "camelCase")]
    MessagePending {
        /// Display id.
        conversation_id: i64,
        /// The send's id.
        echo_id: String,
        /// The local message.
        message: Message,
    },
    /// The server holds the message.
    #[serde(rename = "message.sent", rename_all = "camelCase")]
    MessageSent {
        /// Display id.
        conversation_id: i64,
        /// The send's id.
        echo_id: String,
        /// The server's message.
        message: Message,
    },
    /// The send failed; `retry(echoId)` tries again.
    #[serde(rename = "message.failed", rename_all = "camelCase")]
    MessageFailed {
        /// Display id.
        conversation_id: i64,
        /// The send's id.
        echo_id: String,
        /// The local message, `failed`.
        message: Message,
        /// Why.
        #[serde(skip)]
        error: Option<Error>,
    },
    /// A new conversation of this contact.
    #[serde(rename = "conversation.created")]
    ConversationCreated {
        /// The conversation.
        conversation: Conversation,
    },
    /// A conversation changed.
    #[serde(rename = "conversation.updated")]
    ConversationUpdated {
        /// The conversation.
        conversation: Conversation,
    },
    /// A conversation's status changed.
    #[serde(rename = "conversation.status_changed")]
    ConversationStatusChanged {
        /// The conversation.
        conversation: Conversation,
    },
    /// An agent started or stopped typing.
    #[serde(rename = "typing", rename_all = "camelCase")]
    Typing {
        /// Display id.
        conversation_id: i64,
        /// On or off.
        typing: bool,
        /// Who.
        user: Option<Sender>,
    },
    /// Agents' availability.
    #[serde(rename = "presence")]
    Presence {
        /// Agent id → `online`, `busy` or `offline`.
        agents: BTreeMap<String, String>,
    },
    /// A catch-up finished.
    #[serde(rename = "synced", rename_all = "camelCase")]
    Synced {
        /// Display id.
        conversation_id: i64,
        /// Messages found that had been missed.
        recovered: u32,
    },
    /// Something failed outside a call the caller awaits (a catch-up, a listener).
    #[serde(rename = "error")]
    Error {
        /// The error.
        #[serde(skip)]
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
