//! Messages: the flood limit, creating (with attachments and the markers that follow),
//! form and survey submissions, edits.

use serde_json::{json, Value};

use super::{
    bump, file_type_for, is_blank, ruby_to_i, Event, MessagePatch, Model, NewMessage,
    MAX_ATTACHMENTS, MAX_CONTENT_CHARS, MESSAGES_PER_MINUTE,
};
use crate::model::{
    Actor, Attachment, CsatResponse, FieldError, Json, Message, MessageStatus, MessageType, Status,
};
use crate::time;

impl Model {
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
    pub(super) fn insert_message(&mut self, conversation_id: u64, new: NewMessage) -> u64 {
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
