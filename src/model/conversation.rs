//! Conversation (reference §4.3 over REST, §6.5 over the socket).

use serde::{Deserialize, Serialize};

use super::{Contact, Message};
use crate::wire::lenient::{self, string_enum};
use crate::wire::raw::Raw;
use crate::wire::time;

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

/// A conversation with the messages the answer embedded.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Conversation {
    /// The display id used in every path.
    #[serde(deserialize_with = "lenient::int")]
    pub id: i64,
    /// The uuid the CSAT endpoints take.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub uuid: Option<String>,
    /// Numeric inbox id (the inbox endpoint does not give it).
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub inbox_id: Option<i64>,
    /// State.
    #[serde(default)]
    pub status: ConversationStatus,
    /// When the contact last read it (ms), null for never.
    #[serde(default, deserialize_with = "time::millis")]
    pub contact_last_seen_at: Option<i64>,
    /// When an agent last read it (ms), null for never.
    #[serde(default, deserialize_with = "time::millis")]
    pub agent_last_seen_at: Option<i64>,
    /// Last activity (ms), when the server says (socket payloads).
    #[serde(default, deserialize_with = "time::millis")]
    pub last_activity_at: Option<i64>,
    /// Unread count, when the server says (socket payloads).
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub unread_count: Option<i64>,
    /// Labels (socket payloads); `[]` otherwise.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub labels: Vec<String>,
    /// Custom attributes as the server holds them.
    #[serde(default)]
    pub custom_attributes: Raw,
    /// Messages, ascending by id.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// The contact, when embedded.
    #[serde(default)]
    pub contact: Option<Contact>,
}

impl Conversation {
    /// Orders and normalises the embedded messages; call after decoding.
    pub fn normalise(mut self) -> Self {
        self.messages = super::message::normalise_list(core::mem::take(&mut self.messages));
        self
    }
}
