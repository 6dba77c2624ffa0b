//! What the websocket carries to contacts (reference §6.3–6.5): which pubsub tokens an
//! event goes to (`ActionCableListener`) and its `push_event_data`, key for key and in
//! the order Rails serialises the records.

use serde_json::{json, Map, Value};

use crate::json::{self, Ctx, ACCOUNT_ID};
use crate::model::{Actor, Conversation, Message, Session};
use crate::state::{Event, Model};
use crate::time::{iso_ms, secs};

/// `contact_inbox_tokens`: the session's token, or, once the session is HMAC-verified,
/// the tokens of every verified session of its contact (any inbox).
fn contact_inbox_tokens(m: &Model, session_id: u64) -> Vec<String> {
    let Some(s) = m.session(session_id) else {
        return Vec::new();
    };
    if !s.hmac_verified {
        return vec![s.pubsub_token.clone()];
    }
    let mut tokens: Vec<String> = Vec::new();
    for other in m.sessions_of_contact(s.contact_id) {
        if other.hmac_verified && !tokens.contains(&other.pubsub_token) {
            tokens.push(other.pubsub_token.clone());
        }
    }
    tokens
}

/// The contact-side pubsub tokens an event is broadcast to; empty for events contacts
/// never get (`conversation.read`, `contact.*`), private notes and activity messages,
/// and a contact's own typing.
pub fn targets(m: &Model, event: &Event) -> Vec<String> {
    match event {
        Event::MessageCreated { message_id, .. } | Event::MessageUpdated { message_id, .. } => {
            let Some(msg) = m.message(*message_id) else {
                return Vec::new();
            };
            if !msg.is_chat() {
                return Vec::new();
            }
            m.conversation(msg.conversation_id)
                .map(|c| contact_inbox_tokens(m, c.session_id))
                .unwrap_or_default()
        }
        Event::ConversationCreated { conversation_id }
        | Event::ConversationStatusChanged { conversation_id }
        | Event::ConversationUpdated { conversation_id } => m
            .conversation(*conversation_id)
            .map(|c| contact_inbox_tokens(m, c.session_id))
            .unwrap_or_default(),
        // `typing_event_listener_tokens`: the conversation's own session, minus the
        // typist's token (a contact typing is the session itself).
        Event::Typing {
            conversation_id,
            actor,
            ..
        } => {
            if matches!(actor, Actor::Contact(_)) {
                return Vec::new();
            }
            m.conversation(*conversation_id)
                .and_then(|c| m.session(c.session_id))
                .map(|s| vec![s.pubsub_token.clone()])
                .unwrap_or_default()
        }
        Event::ConversationRead { .. }
        | Event::ContactUpdated { .. }
        | Event::ContactMerged { .. }
        | Event::Reset => Vec::new(),
    }
}

/// `{"event": …, "data": …}` as broadcast for `event`, or `None` when there is
/// nothing to render (a record that no longer exists).
pub fn render(m: &Model, event: &Event, ctx: &Ctx) -> Option<Value> {
    let (name, mut data) = match event {
        Event::MessageCreated {
            message_id,
            echo_id,
        } => {
            let msg = m.message(*message_id)?;
            ("message.created", message(m, msg, ctx, echo_id.as_deref()))
        }
        Event::MessageUpdated {
            message_id,
            previous_changes,
        } => {
            let msg = m.message(*message_id)?;
            let mut d = message(m, msg, ctx, None);
            d.insert("previous_changes".into(), previous_changes.clone());
            ("message.updated", d)
        }
        Event::ConversationCreated { conversation_id } => (
            "conversation.created",
            conversation(m, m.conversation(*conversation_id)?, ctx),
        ),
        Event::ConversationStatusChanged { conversation_id } => (
            "conversation.status_changed",
            conversation(m, m.conversation(*conversation_id)?, ctx),
        ),
        Event::ConversationUpdated { conversation_id } => (
            "conversation.updated",
            conversation(m, m.conversation(*conversation_id)?, ctx),
        ),
        Event::Typing {
            conversation_id,
            on,
            actor,
            is_private,
        } => {
            let c = m.conversation(*conversation_id)?;
            let mut d = Map::new();
            d.insert(
                "conversation".into(),
                Value::Object(conversation(m, c, ctx)),
            );
            d.insert("user".into(), json::sender(m, *actor)?);
            d.insert("is_private".into(), Value::Bool(*is_private));
            let name = if *on {
                "conversation.typing_on"
            } else {
                "conversation.typing_off"
            };
            (name, d)
        }
        Event::ConversationRead { .. }
        | Event::ContactUpdated { .. }
        | Event::ContactMerged { .. }
        | Event::Reset => return None,
    };
    // `data.merge(account_id: …)`: a key the record already has keeps its place.
    data.insert("account_id".into(), json!(ACCOUNT_ID));
    if let Some(performer) = m.performer().and_then(|a| json::sender(m, a)) {
        data.insert("performer".into(), performer);
    }
    Some(json!({ "event": name, "data": Value::Object(data) }))
}

/// `presence.update` for a contact's subscription: agents only, no `contacts`.
pub fn presence(m: &Model) -> Value {
    json!({
        "event": "presence.update",
        "data": { "account_id": ACCOUNT_ID, "users": Value::Object(m.presence_users()) },
    })
}

/// `unread_incoming_messages.count`: incoming messages since the agent last looked,
/// of which upstream loads at most the last 10.
pub fn unread_count(m: &Model, c: &Conversation) -> usize {
    c.incoming_ids
        .iter()
        .filter_map(|id| m.message(*id))
        .filter(|msg| {
            c.agent_last_seen_at
                .is_none_or(|seen| msg.created_at > seen)
        })
        .count()
        .min(10)
}

/// `Message#push_event_data` (§6.4): the row's attributes in column order with
/// `created_at` as an int and `updated_at` as ISO, then `conversation`, and
/// `echo_id`, `attachments` and `sender` only when present.
pub fn message(m: &Model, msg: &Message, ctx: &Ctx, echo_id: Option<&str>) -> Map<String, Value> {
    let conv = m.conversation(msg.conversation_id);
    let (sender_type, sender_id) = match msg.sender {
        Some(Actor::Contact(id)) => (json!("Contact"), json!(id)),
        Some(Actor::User(id)) => (json!("User"), json!(id)),
        Some(Actor::AgentBot(id)) => (json!("AgentBot"), json!(id)),
        None => (Value::Null, Value::Null),
    };
    let mut o = Map::new();
    o.insert("id".into(), json!(msg.id));
    o.insert("content".into(), json!(msg.content));
    o.insert("account_id".into(), json!(ACCOUNT_ID));
    o.insert("inbox_id".into(), json!(msg.inbox_id));
    o.insert("conversation_id".into(), json!(conv.map(|c| c.display_id)));
    o.insert("message_type".into(), json!(msg.message_type as u8));
    o.insert("created_at".into(), json!(secs(msg.created_at)));
    o.insert("updated_at".into(), json!(iso_ms(msg.updated_at)));
    o.insert("private".into(), json!(msg.private));
    o.insert("status".into(), json!(msg.status.as_str()));
    o.insert("source_id".into(), Value::Null);
    o.insert("content_type".into(), json!(msg.content_type));
    o.insert(
        "content_attributes".into(),
        Value::Object(msg.content_attributes.clone()),
    );
    o.insert("sender_type".into(), sender_type);
    o.insert("sender_id".into(), sender_id);
    o.insert("external_source_ids".into(), json!({}));
    o.insert("additional_attributes".into(), json!({}));
    o.insert("processed_message_content".into(), json!(msg.content));
    o.insert("sentiment".into(), json!({}));
    let conversation = conv.map_or(Value::Null, |c| {
        json!({
            "assignee_id": null,
            "unread_count": unread_count(m, c),
            "last_activity_at": secs(c.last_activity_at),
            "contact_inbox": {
                "source_id": m.session(c.session_id).map(|s| s.source_id.clone()),
            },
        })
    });
    o.insert("conversation".into(), conversation);
    if let Some(e) = echo_id.filter(|e| !crate::state::is_blank(e)) {
        o.insert("echo_id".into(), json!(e));
    }
    let attachments: Vec<Value> = msg
        .attachment_ids
        .iter()
        .filter_map(|id| m.attachment(*id))
        .map(|a| json::attachment(a, ctx))
        .collect();
    if !attachments.is_empty() {
        o.insert("attachments".into(), Value::Array(attachments));
    }
    if let Some(s) = msg.sender.and_then(|a| json::sender(m, a)) {
        o.insert("sender".into(), s);
    }
    o
}

/// The `ContactInbox` record as `as_json` renders it (table column order).
fn contact_inbox(s: &Session) -> Value {
    json!({
        "id": s.id,
        "contact_id": s.contact_id,
        "inbox_id": s.inbox_id,
        "source_id": s.source_id,
        "created_at": iso_ms(s.created_at),
        "updated_at": iso_ms(s.updated_at),
        "hmac_verified": s.hmac_verified,
        "pubsub_token": s.pubsub_token,
    })
}

/// `Conversations::EventDataPresenter#push_data` (§6.5).
pub fn conversation(m: &Model, c: &Conversation, ctx: &Ctx) -> Map<String, Value> {
    let session = m.session(c.session_id);
    let last = m
        .chat_messages(c.id)
        .last()
        .map(|msg| Value::Object(message(m, msg, ctx, None)));
    let mut o = Map::new();
    o.insert("additional_attributes".into(), json!({}));
    o.insert("can_reply".into(), json!(true));
    o.insert("channel".into(), json!("Channel::Api"));
    o.insert(
        "contact_inbox".into(),
        session.map_or(Value::Null, contact_inbox),
    );
    o.insert("id".into(), json!(c.display_id));
    o.insert("inbox_id".into(), json!(c.inbox_id));
    o.insert("messages".into(), Value::Array(last.into_iter().collect()));
    o.insert("labels".into(), json!([]));
    o.insert(
        "meta".into(),
        json!({
            "sender": m.contact(c.contact_id).map(json::contact_push),
            "assignee": null,
            "assignee_type": null,
            "team": null,
            "hmac_verified": session.map(|s| s.hmac_verified),
        }),
    );
    o.insert("status".into(), json!(c.status.as_str()));
    o.insert(
        "custom_attributes".into(),
        Value::Object(c.custom_attributes.clone()),
    );
    o.insert("snoozed_until".into(), Value::Null);
    o.insert("unread_count".into(), json!(unread_count(m, c)));
    o.insert(
        "first_reply_created_at".into(),
        json!(m.first_reply_at(c.id).map(iso_ms)),
    );
    o.insert("priority".into(), Value::Null);
    o.insert(
        "waiting_since".into(),
        json!(m.waiting_since(c.id).map_or(0, secs)),
    );
    o.insert(
        "agent_last_seen_at".into(),
        json!(c.agent_last_seen_at.map_or(0, secs)),
    );
    o.insert(
        "contact_last_seen_at".into(),
        json!(c.contact_last_seen_at.map_or(0, secs)),
    );
    o.insert("last_activity_at".into(), json!(secs(c.last_activity_at)));
    o.insert("timestamp".into(), json!(secs(c.last_activity_at)));
    o.insert("created_at".into(), json!(secs(c.created_at)));
    // `updated_at.to_f`: float seconds.
    o.insert("updated_at".into(), json!(c.updated_at as f64 / 1000.0));
    o
}
