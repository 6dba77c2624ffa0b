//! Conversations: opening one, status changes and their activity messages, typing and
//! "seen".

use serde_json::{json, Value};

use super::{bump, capitalize, is_blank, Event, Model, NewMessage};
use crate::model::{Actor, Conversation, Json, MessageStatus, MessageType, Session, Status};
use crate::{names, time};

impl Model {
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
        Some(self.insert_session(
            contact_id,
            inbox_id,
            source_id.map_or_else(names::uuid_v4, str::to_owned),
        ))
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
}
