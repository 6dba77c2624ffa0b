//! Plain records of the in-memory database, one struct per Chatwoot table the public API
//! touches. No behaviour here: every change goes through `state::Model`.

use bytes::Bytes;
use serde_json::{Map, Value};

pub type Json = Map<String, Value>;

/// How `PATCH contacts/{source_id}` answers: the raw contact (servers up to June 2026)
/// or the session shape of create/show (PR #14946, July 2026).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateShape {
    Record,
    Session,
}

/// `Channel::Api` plus the `Inbox` columns the public API exposes, flattened.
#[derive(Clone, Debug)]
pub struct Inbox {
    pub id: u64,
    pub identifier: String,
    pub name: String,
    pub timezone: String,
    /// `hmac_mandatory`, shown as `identity_validation_enabled`.
    pub hmac_mandatory: bool,
    pub hmac_token: String,
    pub lock_to_single_conversation: bool,
    pub csat_survey_enabled: bool,
    /// `csat_config.display_type`: "emoji" unless configured ("star").
    pub csat_display_type: String,
    /// `csat_config.message`: the custom CSAT text, if any.
    pub csat_message: Option<String>,
    /// An active agent bot: new and reopened conversations start `pending`.
    pub agent_bot: bool,
    pub working_hours_enabled: bool,
    pub greeting_enabled: bool,
    pub contact_update_shape: UpdateShape,
    /// `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT` (a global setting upstream).
    pub messages_per_minute: usize,
}

#[derive(Clone, Debug)]
pub struct Contact {
    pub id: u64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub additional_attributes: Json,
    pub custom_attributes: Json,
    /// "visitor" until an email or phone number makes it a "lead" (Contacts::SyncAttributes).
    pub contact_type: &'static str,
    pub blocked: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_activity_at: Option<i64>,
}

/// `ContactInbox`: one contact's session in one inbox; `source_id` is its credential.
#[derive(Clone, Debug)]
pub struct Session {
    pub id: u64,
    pub contact_id: u64,
    pub inbox_id: u64,
    pub source_id: String,
    pub pubsub_token: String,
    pub hmac_verified: bool,
    /// Part of the websocket's `contact_inbox` payload (§6.5), not of any REST answer.
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Open,
    Resolved,
    Pending,
    Snoozed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Resolved => "resolved",
            Status::Pending => "pending",
            Status::Snoozed => "snoozed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "open" => Some(Status::Open),
            "resolved" => Some(Status::Resolved),
            "pending" => Some(Status::Pending),
            "snoozed" => Some(Status::Snoozed),
            _ => None,
        }
    }
}

/// Who did something: a message's sender, a conversation's resolver, a typist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Contact(u64),
    User(u64),
    AgentBot(u64),
}

#[derive(Clone, Debug)]
pub struct Conversation {
    /// Internal id: what CSAT's `conversation_id` and the websocket's internals use.
    pub id: u64,
    /// Per-account sequential id: what every path and REST payload calls the id.
    pub display_id: u64,
    pub uuid: String,
    pub inbox_id: u64,
    pub contact_id: u64,
    pub session_id: u64,
    pub status: Status,
    pub custom_attributes: Json,
    /// Set through the application API only (the public API drops it).
    pub additional_attributes: Json,
    /// The assigned agent (a user id); the application API's `assignee_id`.
    pub assignee_id: Option<u64>,
    pub contact_last_seen_at: Option<i64>,
    pub agent_last_seen_at: Option<i64>,
    pub resolved_by: Option<Actor>,
    /// Last `toggle_typing` from the contact; only the control API shows it.
    pub contact_typing: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_activity_at: i64,
    /// Ids of every message of the conversation, in creation order.
    pub message_ids: Vec<u64>,
    /// The incoming ones among them (a message's type never changes): the unread count
    /// of every broadcast reads these instead of the whole conversation.
    pub incoming_ids: Vec<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageType {
    Incoming = 0,
    Outgoing = 1,
    Activity = 2,
    Template = 3,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageStatus {
    Sent,
    Delivered,
    Read,
    Failed,
}

impl MessageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
            MessageStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<MessageStatus> {
        match s {
            "sent" => Some(MessageStatus::Sent),
            "delivered" => Some(MessageStatus::Delivered),
            "read" => Some(MessageStatus::Read),
            "failed" => Some(MessageStatus::Failed),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Message {
    pub id: u64,
    /// Internal conversation id.
    pub conversation_id: u64,
    pub inbox_id: u64,
    pub content: Option<String>,
    pub message_type: MessageType,
    pub content_type: String,
    pub content_attributes: Json,
    pub private: bool,
    pub status: MessageStatus,
    pub sender: Option<Actor>,
    /// Kept for the websocket's `message.created`; REST never shows it.
    pub echo_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub attachment_ids: Vec<u64>,
}

impl Message {
    /// Chatwoot's `chat` scope: what contacts are ever shown.
    pub fn is_chat(&self) -> bool {
        !self.private && self.message_type != MessageType::Activity
    }
}

/// An uploaded file with its ActiveStorage blob folded in (blob id = attachment id).
#[derive(Clone, Debug)]
pub struct Attachment {
    pub id: u64,
    pub message_id: u64,
    pub file_type: &'static str,
    pub filename: String,
    pub content_type: String,
    pub extension: Option<String>,
    pub bytes: Bytes,
}

#[derive(Clone, Debug)]
pub struct CsatResponse {
    pub id: u64,
    pub conversation_id: u64,
    pub message_id: u64,
    pub contact_id: u64,
    pub rating: i64,
    pub feedback_message: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: u64,
    pub name: String,
    /// What `OnlineStatusTracker` reports: `online`, `busy` or `offline` while the
    /// agent counts as present, `None` when absent from `presence.update`'s `users`.
    pub presence: Option<&'static str>,
}

#[derive(Clone, Debug)]
pub struct AgentBot {
    pub id: u64,
    pub name: String,
}

/// One validation failure as ActiveModel reports it: the attribute and its full message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub attribute: &'static str,
    pub full_message: String,
}

impl FieldError {
    pub fn new(attribute: &'static str, full_message: impl Into<String>) -> Self {
        FieldError {
            attribute,
            full_message: full_message.into(),
        }
    }
}
