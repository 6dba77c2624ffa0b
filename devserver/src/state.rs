//! The in-memory database and every mutation of it.
//!
//! All changes go through methods of [`Model`], and each one announces what changed
//! through [`Model::emit`]: the websocket hub (`/cable`) renders `message.created`,
//! `conversation.*` and friends for the right pubsub tokens right there, exactly where
//! Chatwoot's dispatcher fires them (so payloads show the state of that moment and
//! arrive in the order of the changes), and the event also goes out on a broadcast
//! channel for in-process listeners.

use std::collections::BTreeMap;
use std::sync::Arc;

use bytes::Bytes;
use serde_json::{json, Value};
use tokio::sync::broadcast;

use crate::model::{
    Actor, AgentBot, Attachment, Contact, Conversation, CsatResponse, FieldError, Inbox, Json,
    Message, MessageStatus, MessageType, Session, Status, UpdateShape, User,
};
use crate::names;
use crate::time;

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

    // ----- contacts and sessions ---------------------------------------------------

    fn contact_by_email(&self, email: &str) -> Option<u64> {
        let wanted = email.to_lowercase();
        self.contacts
            .values()
            .find(|c| c.email.as_deref().map(str::to_lowercase).as_deref() == Some(&wanted))
            .map(|c| c.id)
    }

    fn contact_by_phone(&self, phone: &str) -> Option<u64> {
        self.contacts
            .values()
            .find(|c| c.phone_number.as_deref() == Some(phone))
            .map(|c| c.id)
    }

    fn contact_by_identifier(&self, identifier: &str) -> Option<u64> {
        self.contacts
            .values()
            .find(|c| c.identifier.as_deref() == Some(identifier))
            .map(|c| c.id)
    }

    /// The contact validations a request can trip, in the model's declaration order.
    fn validate_contact_fields(email: Option<&str>, phone: Option<&str>) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(e) = email.filter(|e| !is_blank(e)) {
            if !valid_email(e) {
                errors.push(FieldError::new("email", "Email Invalid email"));
            }
        }
        if let Some(p) = phone.filter(|p| !is_blank(p)) {
            if !valid_phone(p) {
                errors.push(FieldError::new(
                    "phone_number",
                    "Phone number should be in e164 format",
                ));
            }
        }
        errors
    }

    /// `Contacts::SyncAttributes#update_contact_type`.
    fn sync_contact_type(c: &mut Contact) {
        if c.contact_type == "visitor" && (c.email.is_some() || c.phone_number.is_some()) {
            c.contact_type = "lead";
        }
    }

    /// `ContactInboxWithContactBuilder`: return the existing session for `source_id`
    /// unchanged, or reuse a contact (identifier, then email, then phone) or create
    /// one, and open a new unverified session for it.
    pub fn create_session(
        &mut self,
        inbox_id: u64,
        source_id: &str,
        attrs: ContactAttrs,
    ) -> Result<u64, Vec<FieldError>> {
        if !is_blank(source_id) {
            if let Some(s) = self.session_by_source(inbox_id, source_id) {
                return Ok(s.id);
            }
        }
        let found = present(&attrs.identifier)
            .and_then(|i| self.contact_by_identifier(i))
            .or_else(|| present(&attrs.email).and_then(|e| self.contact_by_email(e)))
            .or_else(|| present(&attrs.phone_number).and_then(|p| self.contact_by_phone(p)));
        let now = time::now_ms();
        let new_contact = match found {
            Some(_) => None,
            None => {
                let errors = Self::validate_contact_fields(
                    attrs.email.as_deref(),
                    attrs.phone_number.as_deref(),
                );
                if !errors.is_empty() {
                    return Err(errors);
                }
                let mut c = Contact {
                    id: 0,
                    // `name || Haikunator.haikunate(1000)`: only a missing name is replaced.
                    name: Some(attrs.name.unwrap_or_else(names::haiku_name)),
                    email: present(&attrs.email).map(str::to_lowercase),
                    phone_number: present(&attrs.phone_number).map(str::to_owned),
                    identifier: present(&attrs.identifier).map(str::to_owned),
                    additional_attributes: Json::new(),
                    custom_attributes: attrs.custom_attributes.unwrap_or_default(),
                    contact_type: "visitor",
                    blocked: false,
                    created_at: now,
                    updated_at: now,
                    last_activity_at: None,
                };
                Self::sync_contact_type(&mut c);
                Some(c)
            }
        };
        if is_blank(source_id) {
            // ContactInbox `validates :source_id, presence: true`.
            return Err(vec![FieldError::new("source_id", "Source can't be blank")]);
        }
        let contact_id = match (found, new_contact) {
            (Some(id), _) => id,
            (None, Some(mut c)) => {
                c.id = bump(&mut self.ids.contact);
                let id = c.id;
                self.contacts.insert(id, c);
                id
            }
            (None, None) => return Err(Vec::new()),
        };
        let id = bump(&mut self.ids.session);
        self.sessions.insert(
            id,
            Session {
                id,
                contact_id,
                inbox_id,
                source_id: source_id.to_owned(),
                pubsub_token: names::secure_token(),
                hmac_verified: false,
                created_at: now,
                updated_at: now,
            },
        );
        Ok(id)
    }

    /// A valid `identifier_hash` on show or update.
    pub fn mark_verified(&mut self, session_id: u64) {
        if let Some(s) = self.sessions.get_mut(&session_id) {
            if !s.hmac_verified {
                s.hmac_verified = true;
                s.updated_at = time::now_ms();
            }
        }
    }

    /// `ContactIdentifyAction` without `identifier`: merge into the contact owning the
    /// sent email, then the one owning the sent phone number, then apply the non-blank
    /// values and deep-merge `custom_attributes`. Validation happens first, since
    /// Rails runs all of it in one transaction that a failed save rolls back.
    pub fn identify_contact(
        &mut self,
        session_id: u64,
        attrs: ContactAttrs,
    ) -> Result<u64, Vec<FieldError>> {
        let Some(session) = self.sessions.get(&session_id) else {
            return Err(Vec::new());
        };
        let mut contact_id = session.contact_id;
        let email = present(&attrs.email).map(str::to_lowercase);
        let phone = present(&attrs.phone_number).map(str::to_owned);
        let errors = Self::validate_contact_fields(email.as_deref(), phone.as_deref());
        if !errors.is_empty() {
            return Err(errors);
        }
        if let Some(owner) = email.as_deref().and_then(|e| self.contact_by_email(e)) {
            if owner != contact_id {
                self.merge_contacts(owner, contact_id);
                contact_id = owner;
            }
        }
        if let Some(owner) = phone.as_deref().and_then(|p| self.contact_by_phone(p)) {
            if owner != contact_id {
                self.merge_contacts(owner, contact_id);
                contact_id = owner;
            }
        }
        let Some(c) = self.contacts.get_mut(&contact_id) else {
            return Err(Vec::new());
        };
        if let Some(name) = present(&attrs.name) {
            c.name = Some(name.to_owned());
        }
        if let Some(e) = email {
            c.email = Some(e);
        }
        if let Some(p) = phone {
            c.phone_number = Some(p);
        }
        if let Some(ca) = attrs.custom_attributes.filter(|m| !m.is_empty()) {
            deep_merge(&mut c.custom_attributes, &ca);
        }
        Self::sync_contact_type(c);
        c.updated_at = time::now_ms();
        self.emit(Event::ContactUpdated { contact_id });
        Ok(contact_id)
    }

    /// `ContactMergeAction`: everything of `mergee` moves to `base`; base's non-blank
    /// attributes win, mergee's fill the gaps; the mergee is deleted. Sessions keep
    /// their source_id and pubsub_token.
    fn merge_contacts(&mut self, base_id: u64, mergee_id: u64) {
        let Some(mergee) = self.contacts.remove(&mergee_id) else {
            return;
        };
        for s in self.sessions.values_mut() {
            if s.contact_id == mergee_id {
                s.contact_id = base_id;
            }
        }
        for c in self.conversations.values_mut() {
            if c.contact_id == mergee_id {
                c.contact_id = base_id;
            }
        }
        for m in self.messages.values_mut() {
            if m.sender == Some(Actor::Contact(mergee_id)) {
                m.sender = Some(Actor::Contact(base_id));
            }
        }
        for r in self.csat.values_mut() {
            if r.contact_id == mergee_id {
                r.contact_id = base_id;
            }
        }
        if let Some(base) = self.contacts.get_mut(&base_id) {
            fn fill(slot: &mut Option<String>, from: &Option<String>) {
                if present(slot).is_none() {
                    if let Some(v) = present(from) {
                        *slot = Some(v.to_owned());
                    }
                }
            }
            fill(&mut base.identifier, &mergee.identifier);
            fill(&mut base.name, &mergee.name);
            fill(&mut base.email, &mergee.email);
            fill(&mut base.phone_number, &mergee.phone_number);
            for (slot, from) in [
                (&mut base.custom_attributes, &mergee.custom_attributes),
                (
                    &mut base.additional_attributes,
                    &mergee.additional_attributes,
                ),
            ] {
                let mut merged = from.clone();
                deep_merge(&mut merged, slot);
                *slot = merged;
            }
            Self::sync_contact_type(base);
            base.updated_at = time::now_ms();
        }
        self.emit(Event::ContactMerged { base_id, mergee_id });
    }

    // ----- conversations -----------------------------------------------------------

    /// `ConversationBuilder`: with lock-to-single-conversation the session's last
    /// conversation comes back whatever its status; otherwise a new one starts
    /// `pending` (active agent bot), `resolved` (blocked contact) or `open`.
    pub fn open_conversation(&mut self, session_id: u64, custom_attributes: Json) -> Option<u64> {
        let session = self.sessions.get(&session_id)?.clone();
        let inbox = self.inboxes.get(&session.inbox_id)?.clone();
        if inbox.lock_to_single_conversation {
            let last = self
                .conversations
                .values()
                .filter(|c| c.session_id == session_id)
                .map(|c| c.id)
                .max();
            if last.is_some() {
                return last;
            }
        }
        let blocked = self
            .contacts
            .get(&session.contact_id)
            .is_some_and(|c| c.blocked);
        let status = if blocked {
            Status::Resolved
        } else if inbox.agent_bot {
            Status::Pending
        } else {
            Status::Open
        };
        Some(self.insert_conversation(&session, status, custom_attributes, Json::new(), None))
    }

    /// Stores a new conversation on `session` and announces it.
    fn insert_conversation(
        &mut self,
        session: &Session,
        status: Status,
        custom_attributes: Json,
        additional_attributes: Json,
        assignee_id: Option<u64>,
    ) -> u64 {
        let now = time::now_ms();
        let id = bump(&mut self.ids.conversation);
        let display_id = bump(&mut self.ids.display);
        self.conversations.insert(
            id,
            Conversation {
                id,
                display_id,
                uuid: names::uuid_v4(),
                inbox_id: session.inbox_id,
                contact_id: session.contact_id,
                session_id: session.id,
                status,
                custom_attributes,
                additional_attributes,
                assignee_id,
                contact_last_seen_at: None,
                agent_last_seen_at: None,
                resolved_by: None,
                contact_typing: false,
                created_at: now,
                updated_at: now,
                last_activity_at: now,
                message_ids: Vec::new(),
                incoming_ids: Vec::new(),
            },
        );
        self.emit(Event::ConversationCreated {
            conversation_id: id,
        });
        id
    }

    /// The application API's `ConversationBuilder`: a conversation on `session_id` with
    /// the given status, assignee and attributes (`conversation.created` fires as for
    /// any new conversation; lock-to-single does not apply to this builder).
    pub fn open_account_conversation(
        &mut self,
        session_id: u64,
        status: Option<Status>,
        assignee_id: Option<u64>,
        custom_attributes: Json,
        additional_attributes: Json,
    ) -> Option<u64> {
        let session = self.sessions.get(&session_id)?.clone();
        let inbox = self.inboxes.get(&session.inbox_id)?.clone();
        let default = if inbox.agent_bot {
            Status::Pending
        } else {
            Status::Open
        };
        let assignee_id = assignee_id.filter(|a| self.users.contains_key(a));
        Some(self.insert_conversation(
            &session,
            status.unwrap_or(default),
            custom_attributes,
            additional_attributes,
            assignee_id,
        ))
    }

    /// `ContactInboxBuilder`: the contact's session in `inbox_id` with `source_id` (or
    /// its existing one there when none is given), created when missing.
    pub fn account_session(
        &mut self,
        contact_id: u64,
        inbox_id: u64,
        source_id: Option<&str>,
    ) -> Option<u64> {
        self.contacts.get(&contact_id)?;
        self.inboxes.get(&inbox_id)?;
        let existing = self.sessions.values().find(|s| {
            s.contact_id == contact_id
                && s.inbox_id == inbox_id
                && source_id.is_none_or(|src| s.source_id == src)
        });
        if let Some(s) = existing {
            return Some(s.id);
        }
        let now = time::now_ms();
        let id = bump(&mut self.ids.session);
        self.sessions.insert(
            id,
            Session {
                id,
                contact_id,
                inbox_id,
                source_id: source_id.map_or_else(names::uuid_v4, str::to_owned),
                pubsub_token: names::secure_token(),
                hmac_verified: false,
                created_at: now,
                updated_at: now,
            },
        );
        Some(id)
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

    /// A status change with Chatwoot's side effects: events, the activity message the
    /// agents see, and the CSAT survey on resolve. A no-op when nothing changes.
    pub fn change_status(&mut self, conversation_id: u64, status: Status, by: Option<Actor>) {
        let Some(c) = self.conversations.get_mut(&conversation_id) else {
            return;
        };
        if c.status == status {
            return;
        }
        c.status = status;
        c.updated_at = time::now_ms();
        if status == Status::Resolved {
            c.resolved_by = by;
        }
        self.emit(Event::ConversationStatusChanged { conversation_id });
        self.emit(Event::ConversationUpdated { conversation_id });
        if let Some(text) = self.status_activity_text(status, by) {
            self.push_activity(conversation_id, text);
        }
        if status == Status::Resolved {
            self.maybe_send_csat(conversation_id);
        }
    }

    /// The `conversations.activity.status.*` texts.
    fn status_activity_text(&self, status: Status, by: Option<Actor>) -> Option<String> {
        match by {
            Some(Actor::User(id)) => {
                let name = self
                    .users
                    .get(&id)
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                Some(match status {
                    Status::Resolved => format!("Conversation was marked resolved by {name}"),
                    Status::Open => format!("Conversation was reopened by {name}"),
                    Status::Pending => format!("Conversation was marked as pending by {name}"),
                    Status::Snoozed => format!("Conversation was snoozed by {name}"),
                })
            }
            Some(Actor::Contact(id)) => match status {
                Status::Resolved => {
                    let name = self
                        .contacts
                        .get(&id)
                        .and_then(|c| c.name.clone())
                        .unwrap_or_default();
                    Some(format!(
                        "Conversation was resolved by {}",
                        capitalize(&name)
                    ))
                }
                Status::Open => {
                    Some("System reopened the conversation due to a new incoming message.".into())
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn push_activity(&mut self, conversation_id: u64, text: String) {
        let new = NewMessage {
            content: Some(text),
            message_type: MessageType::Activity,
            content_type: "text".into(),
            content_attributes: Json::new(),
            private: false,
            sender: None,
            echo_id: None,
            files: Vec::new(),
        };
        self.insert_message(conversation_id, new);
    }

    /// `MessageTemplates::Template::CsatSurvey`, run synchronously: once per
    /// conversation, when the inbox has CSAT on.
    fn maybe_send_csat(&mut self, conversation_id: u64) {
        let Some(c) = self.conversations.get(&conversation_id) else {
            return;
        };
        let Some(inbox) = self.inboxes.get(&c.inbox_id) else {
            return;
        };
        if !inbox.csat_survey_enabled || self.csat_message(conversation_id).is_some() {
            return;
        }
        let mut attrs = Json::new();
        attrs.insert(
            "display_type".into(),
            Value::String(inbox.csat_display_type.clone()),
        );
        let content = inbox
            .csat_message
            .clone()
            .filter(|m| !is_blank(m))
            .unwrap_or_else(|| "Please rate the conversation".into());
        let new = NewMessage {
            content: Some(content),
            message_type: MessageType::Template,
            content_type: "input_csat".into(),
            content_attributes: attrs,
            private: false,
            sender: None,
            echo_id: None,
            files: Vec::new(),
        };
        self.insert_message(conversation_id, new);
    }

    pub fn set_contact_typing(&mut self, conversation_id: u64, on: bool) {
        let Some(c) = self.conversations.get_mut(&conversation_id) else {
            return;
        };
        c.contact_typing = on;
        let actor = Actor::Contact(c.contact_id);
        self.emit(Event::Typing {
            conversation_id,
            on,
            actor,
            is_private: false,
        });
    }

    /// An agent's (or agent bot's) `toggle_typing_status`, as the control API plays it.
    pub fn set_agent_typing(
        &mut self,
        conversation_id: u64,
        on: bool,
        actor: Actor,
        is_private: bool,
    ) {
        if !self.conversations.contains_key(&conversation_id) {
            return;
        }
        self.emit(Event::Typing {
            conversation_id,
            on,
            actor,
            is_private,
        });
    }

    /// `update_last_seen`: stamp the contact's last-seen time and mark every sent or
    /// delivered non-incoming message created up to now as read.
    pub fn contact_seen(&mut self, conversation_id: u64) {
        let now = time::now_ms();
        let Some(c) = self.conversations.get_mut(&conversation_id) else {
            return;
        };
        c.contact_last_seen_at = Some(now);
        let ids = c.message_ids.clone();
        self.emit(Event::ConversationRead { conversation_id });
        for id in ids {
            let Some(m) = self.messages.get_mut(&id) else {
                continue;
            };
            if m.message_type != MessageType::Incoming
                && matches!(m.status, MessageStatus::Sent | MessageStatus::Delivered)
                && m.created_at <= now
            {
                let old = m.status;
                let old_updated = m.updated_at;
                m.status = MessageStatus::Read;
                m.updated_at = now;
                self.emit(Event::MessageUpdated {
                    message_id: id,
                    previous_changes: json!({
                        "status": [old.as_str(), "read"],
                        "updated_at": [time::iso_ms(old_updated), time::iso_ms(now)],
                    }),
                });
            }
        }
    }

    // ----- messages ----------------------------------------------------------------

    /// `prevent_message_flooding`: runs on every save of a message, updates included.
    fn flooding(&self, conversation_id: u64) -> bool {
        let (recent, limit) = self.flood_count(conversation_id);
        recent >= limit
    }

    /// Messages of the last minute in the conversation, and the inbox's limit.
    fn flood_count(&self, conversation_id: u64) -> (usize, usize) {
        let since = time::now_ms() - 60_000;
        let Some(c) = self.conversations.get(&conversation_id) else {
            return (0, usize::MAX);
        };
        let limit = self
            .inboxes
            .get(&c.inbox_id)
            .map_or(MESSAGES_PER_MINUTE, |i| i.messages_per_minute);
        let recent = c
            .message_ids
            .iter()
            .filter_map(|id| self.messages.get(id))
            .filter(|m| m.created_at >= since)
            .count();
        (recent, limit)
    }

    /// Create a message with the model's validations, then its side effects: a
    /// contact's message reopens a resolved or snoozed conversation.
    pub fn create_message(
        &mut self,
        conversation_id: u64,
        new: NewMessage,
    ) -> Result<u64, Vec<FieldError>> {
        let mut ids = self.create_messages(conversation_id, vec![new])?;
        ids.pop().ok_or_else(Vec::new)
    }

    /// [`State::create_message`] for several messages in a row, each validated and
    /// announced as if created alone; what would be quadratic done one by one (the
    /// flood count, the `waiting_since` / `first_reply_created_at` markers) is counted
    /// once and then kept up to date.
    pub fn create_messages(
        &mut self,
        conversation_id: u64,
        news: Vec<NewMessage>,
    ) -> Result<Vec<u64>, Vec<FieldError>> {
        if !self.conversations.contains_key(&conversation_id) {
            return Err(Vec::new());
        }
        let (mut recent, limit) = self.flood_count(conversation_id);
        let mut markers = (
            self.waiting_since(conversation_id),
            self.first_reply_at(conversation_id),
        );
        let mut ids = Vec::with_capacity(news.len());
        for new in news {
            let mut errors = Vec::new();
            if new
                .content
                .as_deref()
                .is_some_and(|c| c.chars().count() > MAX_CONTENT_CHARS)
            {
                errors.push(FieldError::new(
                    "content",
                    format!("Content is too long (maximum is {MAX_CONTENT_CHARS} characters)"),
                ));
            }
            if new.files.len() > MAX_ATTACHMENTS {
                errors.push(FieldError::new(
                    "attachments",
                    "Attachments exceeded maximum allowed",
                ));
            }
            if recent >= limit {
                errors.push(FieldError::new("base", "Too many messages"));
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            recent = recent.saturating_add(1);
            let incoming = new.message_type == MessageType::Incoming;
            let sender = new.sender;
            let echo_id = new.echo_id.clone();
            let id = self.insert_message_quiet(conversation_id, new);
            if let Some(Actor::Contact(contact_id)) = sender {
                if let Some(contact) = self.contacts.get_mut(&contact_id) {
                    contact.last_activity_at = Some(time::now_ms());
                }
            }
            // Rails reopens in the after-create-commit callbacks, before the message's
            // own `message.created` goes out.
            if incoming {
                self.reopen_for_incoming(conversation_id, sender);
            }
            self.emit(Event::MessageCreated {
                message_id: id,
                echo_id,
            });
            // `dispatch_create_events` then writes `first_reply_created_at` /
            // `waiting_since`, keys whose change is a `conversation.updated`.
            let now_markers = self.markers_after(conversation_id, id, markers);
            if now_markers != markers {
                self.emit(Event::ConversationUpdated { conversation_id });
            }
            markers = now_markers;
            ids.push(id);
        }
        Ok(ids)
    }

    /// The markers after message `id` was added to markers `before`: updated from the
    /// message alone when it is the conversation's latest (the usual case), else
    /// counted again.
    fn markers_after(
        &self,
        conversation_id: u64,
        id: u64,
        before: (Option<i64>, Option<i64>),
    ) -> (Option<i64>, Option<i64>) {
        let latest = self.conversations.get(&conversation_id).is_some_and(|c| {
            let key = |m: &Message| (m.created_at, m.id);
            let this = self.messages.get(&id).map(key);
            c.message_ids
                .iter()
                .rev()
                .take(2)
                .filter_map(|other| self.messages.get(other))
                .all(|m| Some(key(m)) <= this)
        });
        let Some(m) = self.messages.get(&id).filter(|_| latest) else {
            return (
                self.waiting_since(conversation_id),
                self.first_reply_at(conversation_id),
            );
        };
        if m.private {
            return before;
        }
        let (mut waiting, mut first) = before;
        match (m.message_type, m.sender) {
            (MessageType::Incoming, _) if waiting.is_none() => waiting = Some(m.created_at),
            (MessageType::Outgoing, Some(Actor::User(_) | Actor::AgentBot(_))) => waiting = None,
            _ => {}
        }
        if first.is_none()
            && m.message_type == MessageType::Outgoing
            && matches!(m.sender, Some(Actor::User(_)))
        {
            first = Some(m.created_at);
        }
        (waiting, first)
    }

    fn reopen_for_incoming(&mut self, conversation_id: u64, sender: Option<Actor>) {
        let Some(c) = self.conversations.get(&conversation_id) else {
            return;
        };
        let bot = self.inboxes.get(&c.inbox_id).is_some_and(|i| i.agent_bot);
        match c.status {
            Status::Snoozed => self.change_status(conversation_id, Status::Open, None),
            Status::Resolved if bot => self.change_status(conversation_id, Status::Pending, None),
            Status::Resolved => self.change_status(conversation_id, Status::Open, sender),
            _ => {}
        }
    }

    /// Insert without validation and announce it (activity and CSAT messages).
    fn insert_message(&mut self, conversation_id: u64, new: NewMessage) -> u64 {
        let id = self.insert_message_quiet(conversation_id, new);
        self.emit(Event::MessageCreated {
            message_id: id,
            echo_id: None,
        });
        id
    }

    fn insert_message_quiet(&mut self, conversation_id: u64, new: NewMessage) -> u64 {
        let now = time::now_ms();
        let incoming = new.message_type == MessageType::Incoming;
        let id = bump(&mut self.ids.message);
        let inbox_id = self
            .conversations
            .get(&conversation_id)
            .map(|c| c.inbox_id)
            .unwrap_or_default();
        let mut attachment_ids = Vec::new();
        for f in new.files {
            let aid = bump(&mut self.ids.attachment);
            let extension = f
                .filename
                .rsplit_once('.')
                .map(|(_, ext)| ext.to_owned())
                .filter(|e| !e.is_empty());
            let file_type = file_type_for(f.content_type.as_deref());
            self.attachments.insert(
                aid,
                Attachment {
                    id: aid,
                    message_id: id,
                    file_type,
                    filename: f.filename,
                    content_type: f
                        .content_type
                        .unwrap_or_else(|| "application/octet-stream".into()),
                    extension,
                    bytes: f.bytes,
                },
            );
            attachment_ids.push(aid);
        }
        self.messages.insert(
            id,
            Message {
                id,
                conversation_id,
                inbox_id,
                content: new.content,
                message_type: new.message_type,
                content_type: new.content_type,
                content_attributes: new.content_attributes,
                private: new.private,
                status: MessageStatus::Sent,
                sender: new.sender,
                echo_id: new.echo_id,
                created_at: now,
                updated_at: now,
                attachment_ids,
            },
        );
        if let Some(c) = self.conversations.get_mut(&conversation_id) {
            c.message_ids.push(id);
            if incoming {
                c.incoming_ids.push(id);
            }
            c.last_activity_at = now;
            c.updated_at = now;
        }
        id
    }

    /// `PATCH …/messages/{id}` and the CSAT endpoint: store `submitted_values` in
    /// `content_attributes`, then (as the `message.updated` listener does) record the
    /// CSAT response for an `input_csat` message with a rating of 1 to 5.
    pub fn submit_values(
        &mut self,
        message_id: u64,
        submitted: Option<Value>,
    ) -> Result<(), Vec<FieldError>> {
        let Some(conversation_id) = self.messages.get(&message_id).map(|m| m.conversation_id)
        else {
            return Err(Vec::new());
        };
        if self.flooding(conversation_id) {
            return Err(vec![FieldError::new("base", "Too many messages")]);
        }
        let Some(value) = submitted else {
            return Ok(());
        };
        let now = time::now_ms();
        let Some(m) = self.messages.get_mut(&message_id) else {
            return Err(Vec::new());
        };
        let before = Value::Object(m.content_attributes.clone());
        m.content_attributes
            .insert("submitted_values".into(), value.clone());
        let after = Value::Object(m.content_attributes.clone());
        if before == after {
            return Ok(());
        }
        let old_updated = m.updated_at;
        m.updated_at = now;
        let is_csat = m.content_type == "input_csat";
        self.emit(Event::MessageUpdated {
            message_id,
            previous_changes: json!({
                "content_attributes": [before, after],
                "updated_at": [time::iso_ms(old_updated), time::iso_ms(now)],
            }),
        });
        if is_csat {
            self.record_csat(message_id, &value);
        }
        Ok(())
    }

    /// `CsatSurveys::ResponseBuilder`; an invalid rating fails silently as the async
    /// job's validation error does.
    fn record_csat(&mut self, message_id: u64, submitted: &Value) {
        let response = submitted.get("csat_survey_response");
        let Some(rating) = response
            .and_then(|r| r.get("rating"))
            .and_then(cast_integer)
        else {
            return;
        };
        if !(1..=5).contains(&rating) {
            return;
        }
        let feedback = response
            .and_then(|r| r.get("feedback_message"))
            .and_then(|f| match f {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            });
        let Some(m) = self.messages.get(&message_id) else {
            return;
        };
        let conversation_id = m.conversation_id;
        let Some(contact_id) = self
            .conversations
            .get(&conversation_id)
            .map(|c| c.contact_id)
        else {
            return;
        };
        let now = time::now_ms();
        if let Some(r) = self.csat.values_mut().find(|r| r.message_id == message_id) {
            r.rating = rating;
            r.feedback_message = feedback;
            r.updated_at = now;
            return;
        }
        let id = bump(&mut self.ids.csat);
        self.csat.insert(
            id,
            CsatResponse {
                id,
                conversation_id,
                message_id,
                contact_id,
                rating,
                feedback_message: feedback,
                created_at: now,
                updated_at: now,
            },
        );
    }

    /// Control API: delivery status, deletion (as Chatwoot's delete does it), or a
    /// back-dated `created_at` for testing time windows.
    pub fn patch_message(&mut self, message_id: u64, patch: MessagePatch) -> bool {
        let now = time::now_ms();
        let Some(m) = self.messages.get_mut(&message_id) else {
            return false;
        };
        let mut changes = Json::new();
        if let Some(status) = patch.status {
            if status != m.status {
                changes.insert("status".into(), json!([m.status.as_str(), status.as_str()]));
                m.status = status;
            }
        }
        if let Some(secs) = patch.created_at_secs {
            let ms = secs.saturating_mul(1000);
            changes.insert("created_at".into(), json!([time::secs(m.created_at), secs]));
            m.created_at = ms;
        }
        let mut removed = Vec::new();
        if patch.deleted {
            let before = Value::Object(m.content_attributes.clone());
            changes.insert(
                "content".into(),
                json!([m.content.clone(), "This message was deleted"]),
            );
            let old_content = m.content.clone();
            m.content = Some("This message was deleted".into());
            if m.content_type != "text" {
                changes.insert("content_type".into(), json!([m.content_type, "text"]));
            }
            m.content_type = "text".into();
            let mut attrs = Json::new();
            attrs.insert("deleted".into(), Value::Bool(true));
            m.content_attributes = attrs;
            changes.insert(
                "content_attributes".into(),
                json!([before, Value::Object(m.content_attributes.clone())]),
            );
            // `before_save :ensure_processed_message_content` follows the content.
            if old_content != m.content {
                changes.insert(
                    "processed_message_content".into(),
                    json!([old_content, m.content]),
                );
            }
            removed = std::mem::take(&mut m.attachment_ids);
        }
        if changes.is_empty() {
            return true;
        }
        changes.insert(
            "updated_at".into(),
            json!([time::iso_ms(m.updated_at), time::iso_ms(now)]),
        );
        m.updated_at = now;
        for id in removed {
            self.attachments.remove(&id);
        }
        self.emit(Event::MessageUpdated {
            message_id,
            previous_changes: Value::Object(changes),
        });
        true
    }
}

/// ActiveModel's integer cast for a rating: numbers truncate, numeric strings parse
/// (leading digits, as Ruby's `to_i`), blanks are absent.
fn cast_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64)),
        Value::String(s) if !is_blank(s) => Some(ruby_to_i(s)),
        Value::Bool(true) => Some(1),
        Value::Bool(false) => Some(0),
        _ => None,
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
