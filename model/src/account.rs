//! What the application API (seeds 000–003) answers about conversations: the agent's
//! view, richer than the public API's, normalised by the same rules (SPEC §2).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::contact::no_id;
use crate::conversation::ConversationStatus;
use crate::lenient::{self, Model};
use crate::message::Message;
use crate::NO_ID;

/// The contact a conversation is with (`meta.sender`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct AccountContact {
    /// Contact id.
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// Name.
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
    /// Email.
    #[serde(default, deserialize_with = "lenient::text")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, deserialize_with = "lenient::text")]
    pub phone_number: Option<String>,
    /// The site's own user id.
    #[serde(default, deserialize_with = "lenient::text")]
    pub identifier: Option<String>,
    /// Avatar (`thumbnail`).
    #[serde(
        rename(deserialize = "thumbnail"),
        default,
        deserialize_with = "lenient::non_empty"
    )]
    pub avatar_url: Option<String>,
    /// `online`, `busy` or `offline`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub availability_status: Option<String>,
    /// Blocked by an agent.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub blocked: bool,
    /// Custom attributes, as they are.
    #[serde(default, deserialize_with = "lenient::object")]
    pub custom_attributes: Map<String, Value>,
    /// Additional attributes, as they are.
    #[serde(default, deserialize_with = "lenient::object")]
    pub additional_attributes: Map<String, Value>,
    /// Last activity (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub last_activity_at: Option<i64>,
    /// Created (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub created_at: Option<i64>,
}

impl Model for AccountContact {
    fn valid(&self) -> bool {
        self.id != NO_ID
    }
}

/// An agent or agent bot (`meta.assignee`). The server's record may carry the agent's
/// own credentials (`access_token`, `pubsub_token`, `hmac_identifier`, `uid`, per seed
/// 001): no field here reads them, so they never reach JavaScript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Agent {
    /// Agent id.
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// Name.
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
    /// Display name for contacts.
    #[serde(default, deserialize_with = "lenient::text")]
    pub available_name: Option<String>,
    /// Display name.
    #[serde(default, deserialize_with = "lenient::text")]
    pub display_name: Option<String>,
    /// Email.
    #[serde(default, deserialize_with = "lenient::text")]
    pub email: Option<String>,
    /// `agent` or `administrator`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub role: Option<String>,
    /// `online`, `busy` or `offline`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub availability_status: Option<String>,
    /// Avatar (`avatar_url`, else `thumbnail`).
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub avatar_url: Option<String>,
    /// `user` or `agent_bot`, as the server says.
    #[serde(
        rename(deserialize = "type", serialize = "kind"),
        default,
        deserialize_with = "lenient::text"
    )]
    pub kind: Option<String>,
    #[serde(default, skip_serializing, deserialize_with = "lenient::non_empty")]
    thumbnail: Option<String>,
}

impl Model for Agent {
    fn valid(&self) -> bool {
        self.id != NO_ID
    }
    fn fix(&mut self) {
        if self.avatar_url.is_none() {
            self.avatar_url = self.thumbnail.take();
        }
        self.thumbnail = None;
    }
}

/// A team (`meta.team`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    /// Team id.
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// Name.
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
}

impl Model for Team {
    fn valid(&self) -> bool {
        self.id != NO_ID
    }
}

/// A conversation's `meta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct ConversationMeta {
    /// The contact.
    #[serde(default, deserialize_with = "lenient::one")]
    pub sender: Option<AccountContact>,
    /// The assigned agent.
    #[serde(default, deserialize_with = "lenient::one")]
    pub assignee: Option<Agent>,
    /// The assigned team.
    #[serde(default, deserialize_with = "lenient::one")]
    pub team: Option<Team>,
    /// The inbox's channel type.
    #[serde(default, deserialize_with = "lenient::text")]
    pub channel: Option<String>,
    /// Whether the contact's identity was verified.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub hmac_verified: bool,
}

impl Model for ConversationMeta {}

/// A conversation as the application API shows it to an agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct AccountConversation {
    /// Display id.
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// Its uuid.
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub uuid: Option<String>,
    /// Account id.
    #[serde(default, deserialize_with = "lenient::int")]
    pub account_id: Option<i64>,
    /// Inbox id.
    #[serde(default, deserialize_with = "lenient::int")]
    pub inbox_id: Option<i64>,
    /// State.
    #[serde(default, deserialize_with = "lenient::known")]
    pub status: ConversationStatus,
    /// Priority.
    #[serde(default, deserialize_with = "lenient::text")]
    pub priority: Option<String>,
    /// Contact, assignee, team.
    #[serde(default, deserialize_with = "lenient::one")]
    pub meta: Option<ConversationMeta>,
    /// Embedded messages, ordered by id.
    #[serde(default, deserialize_with = "crate::message::messages")]
    pub messages: Vec<Message>,
    /// The latest message that is not an activity.
    #[serde(default, deserialize_with = "lenient::one")]
    pub last_non_activity_message: Option<Message>,
    /// Labels.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub labels: Vec<String>,
    /// Muted.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub muted: bool,
    /// Whether an agent can reply (the channel's window is open).
    #[serde(default, deserialize_with = "lenient::flag")]
    pub can_reply: bool,
    /// Unread messages.
    #[serde(default, deserialize_with = "lenient::int")]
    pub unread_count: Option<i64>,
    /// Custom attributes, as they are.
    #[serde(default, deserialize_with = "lenient::object")]
    pub custom_attributes: Map<String, Value>,
    /// Additional attributes, as they are.
    #[serde(default, deserialize_with = "lenient::object")]
    pub additional_attributes: Map<String, Value>,
    /// Snoozed until (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub snoozed_until: Option<i64>,
    /// When the contact last read it (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub contact_last_seen_at: Option<i64>,
    /// When an agent last read it (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub agent_last_seen_at: Option<i64>,
    /// When the assignee last read it (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub assignee_last_seen_at: Option<i64>,
    /// First reply (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub first_reply_created_at: Option<i64>,
    /// Waiting for a reply since (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub waiting_since: Option<i64>,
    /// Last activity (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub last_activity_at: Option<i64>,
    /// The list's sort time (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub timestamp: Option<i64>,
    /// Created (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub created_at: Option<i64>,
    /// Updated (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub updated_at: Option<i64>,
    /// SLA policy id.
    #[serde(default, deserialize_with = "lenient::int")]
    pub sla_policy_id: Option<i64>,
    /// The applied SLA, as it is.
    #[serde(default, deserialize_with = "lenient::object")]
    pub applied_sla: Map<String, Value>,
    /// SLA events, as they are.
    #[serde(default, deserialize_with = "lenient::objects")]
    pub sla_events: Vec<Map<String, Value>>,
}

impl Model for AccountConversation {
    fn valid(&self) -> bool {
        self.id != NO_ID
    }
}
