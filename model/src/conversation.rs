//! Conversation (reference §4.3 over REST, §6.5 over the socket).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::contact::{no_id, Contact};
use crate::enums::string_enum;
use crate::lenient::{self, Model};
use crate::message::Message;
use crate::NO_ID;

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

/// A conversation with the messages the answer embedded (ordered by id, each id once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Conversation {
    /// Display id.
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// Its uuid (the CSAT survey's key).
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub uuid: Option<String>,
    /// Numeric inbox id.
    #[serde(default, deserialize_with = "lenient::int")]
    pub inbox_id: Option<i64>,
    /// State.
    #[serde(default, deserialize_with = "lenient::known")]
    pub status: ConversationStatus,
    /// When the contact last read it (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub contact_last_seen_at: Option<i64>,
    /// When an agent last read it (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub agent_last_seen_at: Option<i64>,
    /// Last activity (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub last_activity_at: Option<i64>,
    /// Messages the contact has not read.
    #[serde(default, deserialize_with = "lenient::int")]
    pub unread_count: Option<i64>,
    /// Labels.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub labels: Vec<String>,
    /// The server's custom attributes, as they are.
    #[serde(default, deserialize_with = "lenient::object")]
    pub custom_attributes: Map<String, Value>,
    /// The contact.
    #[serde(default, deserialize_with = "lenient::one")]
    pub contact: Option<Contact>,
    /// Embedded messages (a `ChatSession` keeps them in its threads instead).
    #[serde(default, deserialize_with = "crate::message::messages")]
    pub messages: Vec<Message>,
}

impl Model for Conversation {
    fn valid(&self) -> bool {
        self.id != NO_ID
    }
}
