//! Conversation (reference §4.3 over REST, §6.5 over the socket).

use super::contact::CONTACT;
use super::message::MESSAGE;
use super::schema::{self, field, Schema};
use crate::wire::enums::string_enum;
use crate::wire::json::Node;
use crate::wire::out::Out;

string_enum! {
    /// A conversation's state.
    pub enum ConversationStatus {
        /// Waiting for or with an agent.
        Open = "open",
        /// Closed; a new message from the contact reopens it.
        Resolved = "resolved",
        /// With a bot, before an agent picks it up.
        Pending = "pending",
        /// Paused until a time.
        Snoozed = "snoozed",
    }
}

/// `status` values.
pub const CONVERSATION_STATUSES: &[&str] = &["open", "resolved", "pending", "snoozed"];

/// A conversation with the messages the answer embedded (`messages` comes last: a
/// `ChatSession` keeps them in its threads instead).
pub static CONVERSATION: Schema = Schema {
    required: &[0],
    fields: &[
        field!("id" => "id", Int),
        field!("uuid" => "uuid", NonEmpty),
        field!("inbox_id" => "inboxId", Int),
        field!("status" => "status", Enum(CONVERSATION_STATUSES)),
        field!("contact_last_seen_at" => "contactLastSeenAt", Millis),
        field!("agent_last_seen_at" => "agentLastSeenAt", Millis),
        field!("last_activity_at" => "lastActivityAt", Millis),
        field!("unread_count" => "unreadCount", Int),
        field!("labels" => "labels", Strings),
        field!("custom_attributes" => "customAttributes", Object),
        field!("contact" => "contact", One(&CONTACT)),
        field!("messages" => "messages", Messages(&MESSAGE)),
    ],
};

/// A conversation as a `ChatSession` holds it: what it decides on, typed, and the
/// camelCase JSON (with `messages: []`: the threads hold them).
#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    /// Display id.
    pub id: i64,
    /// Numeric inbox id.
    pub inbox_id: Option<i64>,
    /// State.
    pub status: ConversationStatus,
    json: String,
}

impl Conversation {
    /// Reads the server's conversation (REST or socket payload); `None` without an id.
    pub fn read(n: Node<'_>) -> Option<Conversation> {
        let mut o = Out::new();
        let fields = CONVERSATION.fields.len().saturating_sub(1);
        if !schema::transcode(n, &CONVERSATION, fields, &mut o) {
            return None;
        }
        let mut json = o.finish();
        json.pop();
        json.push_str(",\"messages\":[]}");
        Some(Conversation {
            id: n.get("id").id()?,
            inbox_id: n.get("inbox_id").id(),
            status: ConversationStatus::read(n.get("status")),
            json,
        })
    }

    /// A list of conversations (items without an id are left out).
    pub fn read_list(n: Node<'_>) -> Option<Vec<Conversation>> {
        n.is_array()
            .then(|| n.items().filter_map(Conversation::read).collect())
    }

    /// The camelCase JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// Writes the camelCase object.
    pub fn write(&self, o: &mut Out) {
        o.json(&self.json);
    }
}
