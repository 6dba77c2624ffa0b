//! The in-memory database and every mutation of it.
//!
//! All changes go through methods of [`Model`], and each one announces what changed
//! through [`Model::emit`]: the websocket hub (`/cable`) renders `message.created`,
//! `conversation.*` and friends for the right pubsub tokens right there, exactly where
//! Chatwoot's dispatcher fires them (so payloads show the state of that moment and
//! arrive in the order of the changes), and the event also goes out on a broadcast
//! channel for in-process listeners.
//!
//! Reading and inboxes are here; the mutations live by what they change: `contacts`
//! (contacts and their sessions), `conversations` (opening, status, typing, seen) and
//! `messages` (creating, submissions, edits).

use std::collections::BTreeMap;
use std::sync::Arc;

use bytes::Bytes;
use serde_json::Value;
use tokio::sync::broadcast;

use crate::model::{
    Actor, AgentBot, Attachment, Contact, Conversation, CsatResponse, Inbox, Json, Message,
    MessageStatus, MessageType, Session, UpdateShape, User,
};
use crate::names;

mod contacts;
mod conversations;
mod messages;

/// `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT`'s default.
pub const MESSAGES_PER_MINUTE: usize = 200;
/// `validates :content, length: { maximum: 150_000 }`.
pub const MAX_CONTENT_CHARS: usize = 150_000;
/// `Message::NUMBER_OF_PERMITTED_ATTACHMENTS`.
pub const MAX_ATTACHMENTS: usize = 15;
/// First internal conversation id. Internal ids and display ids are different numbers
/// on a real server (ids are global, display ids per account); starting them apart
/// lets a client that mixes them up fail here rather than in production.
const FIRST_INTERNAL_CONVERSATION_ID: u64 = 1001;

/// What changed, for the realtime layer. Ids only: a listener re-reads the model to
/// render, as Chatwoot's listeners re-read the database.
#[derive(Clone, Debug)]
pub enum Event {
    ConversationCreated {
        conversation_id: u64,
    },
    ConversationStatusChanged {
        conversation_id: u64,
    },
    ConversationUpdated {
        conversation_id: u64,
    },
    /// The contact's `update_last_seen` (agents only).
    ConversationRead {
        conversation_id: u64,
    },
    Typing {
        conversation_id: u64,
        on: bool,
        actor: Actor,
        is_private: bool,
    },
    MessageCreated {
        message_id: u64,
        /// Only the event of the create request that carried it has the echo id.
        echo_id: Option<String>,
    },
    MessageUpdated {
        message_id: u64,
        /// `{"status":["sent","read"]}`-style changes, as `previous_changes` on the wire.
        previous_changes: Value,
    },
    ContactUpdated {
        contact_id: u64,
    },
    ContactMerged {
        base_id: u64,
        mergee_id: u64,
    },
    /// The control API forgot everything.
    Reset,
}

/// Settings of an inbox; `None` means "use the default".
#[derive(Clone, Debug, Default)]
pub struct InboxConfig {
    pub identifier: Option<String>,
    pub name: Option<String>,
    pub timezone: Option<String>,
    pub identity_validation: bool,
    pub hmac_token: Option<String>,
    pub lock_to_single_conversation: bool,
    pub csat_survey_enabled: bool,
    pub csat_display_type: Option<String>,
    pub csat_message: Option<String>,
    pub agent_bot: bool,
    pub working_hours_enabled: bool,
    pub greeting_enabled: bool,
    pub contact_update_shape: Option<UpdateShape>,
    pub messages_per_minute: Option<usize>,
}

/// Contact attributes as a request sends them (already permitted and stringified).
#[derive(Clone, Debug, Default)]
pub struct ContactAttrs {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub custom_attributes: Option<Json>,
}

/// A file part of a multipart upload.
#[derive(Clone, Debug)]
pub struct NewFile {
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

#[derive(Clone, Debug)]
pub struct NewMessage {
    pub content: Option<String>,
    pub message_type: MessageType,
    pub content_type: String,
    pub content_attributes: Json,
    pub private: bool,
    pub sender: Option<Actor>,
    pub echo_id: Option<String>,
    pub files: Vec<NewFile>,
}

impl NewMessage {
    /// What `POST …/messages` builds: incoming text from the session's contact.
    pub fn from_contact(
        contact_id: u64,
        content: Option<String>,
        echo_id: Option<String>,
        files: Vec<NewFile>,
    ) -> Self {
        NewMessage {
            content,
            message_type: MessageType::Incoming,
            content_type: "text".into(),
            content_attributes: Json::new(),
            private: false,
            sender: Some(Actor::Contact(contact_id)),
            echo_id,
            files,
        }
    }
}

/// Changes the control API can make to a message.
#[derive(Clone, Debug, Default)]
pub struct MessagePatch {
    pub status: Option<MessageStatus>,
    pub deleted: bool,
    pub created_at_secs: Option<i64>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Counters {
    inbox: u64,
    contact: u64,
    session: u64,
    conversation: u64,
    display: u64,
    message: u64,
    attachment: u64,
    csat: u64,
}

fn bump(counter: &mut u64) -> u64 {
    *counter += 1;
    *counter
}

/// Ruby's `blank?` for strings: empty or whitespace only.
pub fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn present(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|v| !is_blank(v))
}

/// Devise's `email_regexp`: `\A[^@\s]+@[^@\s]+\z`.
pub fn valid_email(email: &str) -> bool {
    let mut parts = email.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty() && !domain.is_empty() && !email.chars().any(char::is_whitespace)
        }
        _ => false,
    }
}

/// E.164: `^\+[1-9]\d{1,14}$`.
pub fn valid_phone(phone: &str) -> bool {
    let Some(rest) = phone.strip_prefix('+') else {
        return false;
    };
    let bytes = rest.as_bytes();
    (2..=15).contains(&bytes.len())
        && bytes.first().is_some_and(|b| (b'1'..=b'9').contains(b))
        && bytes.iter().all(u8::is_ascii_digit)
}

/// `file_type` from a part's Content-Type, as the public messages controller maps it.
pub fn file_type_for(content_type: Option<&str>) -> &'static str {
    let ct = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match ct.as_str() {
        "image/jpeg" | "image/jpg" | "image/png" | "image/gif" | "image/bmp" | "image/webp" => {
            "image"
        }
        "video/ogg" | "video/mp4" | "video/webm" | "video/quicktime" => "video",
        _ if ct.contains("audio/") => "audio",
        _ => "file",
    }
}

/// Deep merge as ActiveSupport's `Hash#deep_merge`: nested objects merge, everything
/// else in `other` replaces.
pub fn deep_merge(base: &mut Json, other: &Json) {
    for (k, v) in other {
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => deep_merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

pub struct Model {
    ids: Counters,
    inboxes: BTreeMap<u64, Inbox>,
    contacts: BTreeMap<u64, Contact>,
    sessions: BTreeMap<u64, Session>,
    conversations: BTreeMap<u64, Conversation>,
    messages: BTreeMap<u64, Message>,
    attachments: BTreeMap<u64, Attachment>,
    csat: BTreeMap<u64, CsatResponse>,
    users: BTreeMap<u64, User>,
    bots: BTreeMap<u64, AgentBot>,
    startup: InboxConfig,
    events: broadcast::Sender<Event>,
    hub: Arc<dyn Listener>,
    /// Chatwoot's `Current.user`: the agent acting in the current control request,
    /// shown as `performer` in what that request broadcasts.
    performer: Option<Actor>,
}

/// Who renders each change for the sockets, right where it happens (the websocket
/// hub), with the model still locked.
pub trait Listener: Send + Sync {
    fn publish(&self, m: &Model, event: &Event);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InboxError {
    IdentifierTaken,
}

impl Model {
    /// A fresh database holding the seeded agent, the agent bot and the startup inbox.
    pub fn new(
        startup: InboxConfig,
        events: broadcast::Sender<Event>,
        hub: Arc<dyn Listener>,
    ) -> Model {
        let mut m = Model {
            ids: Counters {
                conversation: FIRST_INTERNAL_CONVERSATION_ID - 1,
                ..Counters::default()
            },
            inboxes: BTreeMap::new(),
            contacts: BTreeMap::new(),
            sessions: BTreeMap::new(),
            conversations: BTreeMap::new(),
            messages: BTreeMap::new(),
            attachments: BTreeMap::new(),
            csat: BTreeMap::new(),
            users: BTreeMap::new(),
            bots: BTreeMap::new(),
            startup: startup.clone(),
            events,
            hub,
            performer: None,
        };
        m.users.insert(
            1,
            User {
                id: 1,
                name: "Ana Agent".into(),
                presence: Some("online"),
            },
        );
        m.bots.insert(
            1,
            AgentBot {
                id: 1,
                name: "Helper Bot".into(),
            },
        );
        // The startup identifier is fixed by the command line, so it cannot be taken.
        let _ = m.create_inbox(startup);
        m
    }

    /// Forget everything but the startup inbox (restored to its startup settings).
    pub fn reset(&mut self) {
        let fresh = Model::new(self.startup.clone(), self.events.clone(), self.hub.clone());
        *self = fresh;
        self.emit(Event::Reset);
    }

    /// The one place changes are announced.
    fn emit(&self, event: Event) {
        self.hub.publish(self, &event);
        // No receiver is not an error: nobody may be listening.
        let _ = self.events.send(event);
    }

    /// Run `f` as an agent's request would (Chatwoot's `Current.user`): what it
    /// broadcasts carries that agent as `performer`.
    pub fn as_agent<R>(&mut self, actor: Actor, f: impl FnOnce(&mut Model) -> R) -> R {
        let before = self.performer.replace(actor);
        let r = f(self);
        self.performer = before;
        r
    }

    pub fn performer(&self) -> Option<Actor> {
        self.performer
    }

    // ----- presence ----------------------------------------------------------------

    /// `OnlineStatusTracker.get_available_users`: agent id (as a string) to status,
    /// for the agents counted as present.
    pub fn presence_users(&self) -> serde_json::Map<String, Value> {
        self.users
            .values()
            .filter_map(|u| u.presence.map(|p| (u.id.to_string(), Value::from(p))))
            .collect()
    }

    /// Control API: set an agent's presence (`None`: not present). False for an
    /// unknown agent.
    pub fn set_presence(&mut self, user_id: u64, presence: Option<&'static str>) -> bool {
        match self.users.get_mut(&user_id) {
            Some(u) => {
                u.presence = presence;
                true
            }
            None => false,
        }
    }

    // ----- reads -------------------------------------------------------------------

    pub fn inbox(&self, id: u64) -> Option<&Inbox> {
        self.inboxes.get(&id)
    }

    pub fn inbox_by_identifier(&self, identifier: &str) -> Option<&Inbox> {
        self.inboxes.values().find(|i| i.identifier == identifier)
    }

    pub fn contact(&self, id: u64) -> Option<&Contact> {
        self.contacts.get(&id)
    }

    pub fn session(&self, id: u64) -> Option<&Session> {
        self.sessions.get(&id)
    }

    pub fn session_by_token(&self, pubsub_token: &str) -> Option<&Session> {
        self.sessions
            .values()
            .find(|s| s.pubsub_token == pubsub_token)
    }

    /// Every session of a contact, in creation order.
    pub fn sessions_of_contact(&self, contact_id: u64) -> Vec<&Session> {
        self.sessions
            .values()
            .filter(|s| s.contact_id == contact_id)
            .collect()
    }

    pub fn session_by_source(&self, inbox_id: u64, source_id: &str) -> Option<&Session> {
        self.sessions
            .values()
            .find(|s| s.inbox_id == inbox_id && s.source_id == source_id)
    }

    pub fn conversation(&self, id: u64) -> Option<&Conversation> {
        self.conversations.get(&id)
    }

    pub fn conversation_by_display_id(&self, display_id: i64) -> Option<&Conversation> {
        self.conversations
            .values()
            .find(|c| i64::try_from(c.display_id).ok() == Some(display_id))
    }

    pub fn conversation_by_uuid(&self, uuid: &str) -> Option<&Conversation> {
        self.conversations.values().find(|c| c.uuid == uuid)
    }

    pub fn conversations_of_inbox(&self, inbox_id: u64) -> Vec<&Conversation> {
        self.conversations
            .values()
            .filter(|c| c.inbox_id == inbox_id)
            .collect()
    }

    /// A session by source id in any inbox (the builder's fallback).
    pub fn session_by_any_source(&self, source_id: &str) -> Option<&Session> {
        self.sessions.values().find(|s| s.source_id == source_id)
    }

    /// Every conversation of a contact, in every inbox, oldest first.
    pub fn conversations_of_contact(&self, contact_id: u64) -> Vec<&Conversation> {
        self.conversations
            .values()
            .filter(|c| c.contact_id == contact_id)
            .collect()
    }

    /// Conversations a session may see: its own, or all of its contact's (in any
    /// inbox) once HMAC-verified.
    pub fn visible_conversations(&self, session_id: u64) -> Vec<&Conversation> {
        let Some(s) = self.sessions.get(&session_id) else {
            return Vec::new();
        };
        self.conversations
            .values()
            .filter(|c| {
                if s.hmac_verified {
                    c.contact_id == s.contact_id
                } else {
                    c.session_id == s.id
                }
            })
            .collect()
    }

    pub fn visible_conversation(&self, session_id: u64, display_id: i64) -> Option<&Conversation> {
        self.visible_conversations(session_id)
            .into_iter()
            .find(|c| i64::try_from(c.display_id).ok() == Some(display_id))
    }

    pub fn message(&self, id: u64) -> Option<&Message> {
        self.messages.get(&id)
    }

    pub fn attachment(&self, id: u64) -> Option<&Attachment> {
        self.attachments.get(&id)
    }

    pub fn user(&self, id: u64) -> Option<&User> {
        self.users.get(&id)
    }

    pub fn bot(&self, id: u64) -> Option<&AgentBot> {
        self.bots.get(&id)
    }

    /// Every message of a conversation, oldest first (by `created_at`, then id).
    pub fn all_messages(&self, conversation_id: u64) -> Vec<&Message> {
        let Some(c) = self.conversations.get(&conversation_id) else {
            return Vec::new();
        };
        let mut list: Vec<&Message> = c
            .message_ids
            .iter()
            .filter_map(|id| self.messages.get(id))
            .collect();
        list.sort_by_key(|m| (m.created_at, m.id));
        list
    }

    /// `waiting_since` (ms): set at creation and by an incoming message while unset,
    /// cleared by a public reply of a human agent or a bot (`update_waiting_since`).
    pub fn waiting_since(&self, conversation_id: u64) -> Option<i64> {
        let mut since = self.conversations.get(&conversation_id)?.created_at;
        let mut waiting = true;
        for m in self.all_messages(conversation_id) {
            if m.private {
                continue;
            }
            match (m.message_type, m.sender) {
                (MessageType::Incoming, _) if !waiting => {
                    waiting = true;
                    since = m.created_at;
                }
                (MessageType::Outgoing, Some(Actor::User(_) | Actor::AgentBot(_))) => {
                    waiting = false;
                }
                _ => {}
            }
        }
        waiting.then_some(since)
    }

    /// `first_reply_created_at` (ms): the first public reply of a human agent.
    pub fn first_reply_at(&self, conversation_id: u64) -> Option<i64> {
        self.all_messages(conversation_id)
            .into_iter()
            .find(|m| {
                m.message_type == MessageType::Outgoing
                    && !m.private
                    && matches!(m.sender, Some(Actor::User(_)))
            })
            .map(|m| m.created_at)
    }

    /// The `chat` scope: no private notes, no activity messages.
    pub fn chat_messages(&self, conversation_id: u64) -> Vec<&Message> {
        let mut list = self.all_messages(conversation_id);
        list.retain(|m| m.is_chat());
        list
    }

    /// `MessageFinder` with `before` only: the latest 20 chat messages (with id below
    /// `before` when given), ascending.
    pub fn message_page(&self, conversation_id: u64, before: Option<i64>) -> Vec<&Message> {
        let mut list = self.chat_messages(conversation_id);
        if let Some(before) = before {
            list.retain(|m| i64::try_from(m.id).is_ok_and(|id| id < before));
        }
        let skip = list.len().saturating_sub(20);
        list.split_off(skip)
    }

    /// The conversation's `input_csat` message (`find_by!(content_type: 'input_csat')`).
    pub fn csat_message(&self, conversation_id: u64) -> Option<&Message> {
        let c = self.conversations.get(&conversation_id)?;
        c.message_ids
            .iter()
            .filter_map(|id| self.messages.get(id))
            .find(|m| m.content_type == "input_csat")
    }

    pub fn csat_response_for(&self, message_id: u64) -> Option<&CsatResponse> {
        self.csat.values().find(|r| r.message_id == message_id)
    }

    // ----- inboxes -----------------------------------------------------------------

    pub fn create_inbox(&mut self, cfg: InboxConfig) -> Result<u64, InboxError> {
        let identifier = cfg.identifier.unwrap_or_else(names::secure_token);
        if self.inbox_by_identifier(&identifier).is_some() {
            return Err(InboxError::IdentifierTaken);
        }
        let id = bump(&mut self.ids.inbox);
        self.inboxes.insert(
            id,
            Inbox {
                id,
                identifier,
                name: cfg.name.unwrap_or_else(|| "API inbox".into()),
                timezone: cfg.timezone.unwrap_or_else(|| "UTC".into()),
                hmac_mandatory: cfg.identity_validation,
                hmac_token: cfg.hmac_token.unwrap_or_else(names::secure_token),
                lock_to_single_conversation: cfg.lock_to_single_conversation,
                csat_survey_enabled: cfg.csat_survey_enabled,
                csat_display_type: cfg.csat_display_type.unwrap_or_else(|| "emoji".into()),
                csat_message: cfg.csat_message,
                agent_bot: cfg.agent_bot,
                working_hours_enabled: cfg.working_hours_enabled,
                greeting_enabled: cfg.greeting_enabled,
                contact_update_shape: cfg.contact_update_shape.unwrap_or(UpdateShape::Record),
                messages_per_minute: cfg.messages_per_minute.unwrap_or(MESSAGES_PER_MINUTE),
            },
        );
        Ok(id)
    }
}

/// Ruby's `String#to_i`: optional whitespace and sign, then leading digits; else 0.
pub fn ruby_to_i(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..).unwrap_or("")),
        Some(b'+') => (false, t.get(1..).unwrap_or("")),
        _ => (false, t),
    };
    let mut n: i64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() && b != b'_' {
            break;
        }
        if b == b'_' {
            continue;
        }
        n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    if neg {
        -n
    } else {
        n
    }
}

/// Ruby's `String#capitalize`.
fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats() {
        assert!(valid_email("a@b"));
        assert!(!valid_email("a@b@c"));
        assert!(!valid_email("a b@c"));
        assert!(!valid_email("nope"));
        assert!(valid_phone("+4915112345678"));
        assert!(!valid_phone("+0123"));
        assert!(!valid_phone("015112345678"));
        assert!(!valid_phone("+1"));
        assert!(!valid_phone("+1234567890123456"));
    }

    #[test]
    fn file_types() {
        assert_eq!(file_type_for(Some("image/png")), "image");
        assert_eq!(file_type_for(Some("image/jpg")), "image");
        assert_eq!(file_type_for(Some("image/svg+xml")), "file");
        assert_eq!(file_type_for(Some("video/quicktime")), "video");
        assert_eq!(file_type_for(Some("audio/mpeg")), "audio");
        assert_eq!(file_type_for(None), "file");
    }

    #[test]
    fn to_i() {
        assert_eq!(ruby_to_i("12abc"), 12);
        assert_eq!(ruby_to_i("abc"), 0);
        assert_eq!(ruby_to_i(" -3"), -3);
    }

    #[test]
    fn merges_deeply() {
        let mut a = json!({"x": {"y": 1, "z": 2}, "k": 1});
        let b = json!({"x": {"y": 3}, "n": 4});
        if let (Value::Object(a), Value::Object(b)) = (&mut a, &b) {
            deep_merge(a, b);
        }
        assert_eq!(a, json!({"x": {"y": 3, "z": 2}, "k": 1, "n": 4}));
    }
}
