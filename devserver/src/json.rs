//! Response shapes, key for key and in the order Chatwoot's jbuilder templates and
//! `as_json` emit them (reference §3 and §4).

use serde_json::{json, Map, Value};

use crate::model::{
    Actor, Attachment, Contact, Conversation, CsatResponse, Inbox, Message, Session,
};
use crate::state::Model;
use crate::time::{iso_ms, secs};

/// The one account everything belongs to.
pub const ACCOUNT_ID: u64 = 1;

/// Where ActiveStorage URLs point: `http://{Host header}` of the request being answered,
/// so a client reaching the server under any name gets links it can follow.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub base_url: String,
}

/// `public/api/v1/inboxes/show.json.jbuilder`.
pub fn inbox(i: &Inbox) -> Value {
    json!({
        "identifier": i.identifier,
        "identity_validation_enabled": i.hmac_mandatory,
        "name": i.name,
        "timezone": i.timezone,
        "working_hours": working_hours(),
        "working_hours_enabled": i.working_hours_enabled,
        "csat_survey_enabled": i.csat_survey_enabled,
        "greeting_enabled": i.greeting_enabled,
    })
}

/// An inbox's default `weekly_schedule`: Mon–Fri 9:00–17:00, weekend closed.
fn working_hours() -> Value {
    let days: Vec<Value> = (0..7)
        .map(|day| {
            let closed = day == 0 || day == 6;
            if closed {
                json!({"day_of_week": day, "closed_all_day": true, "open_hour": null,
                       "open_minutes": null, "close_hour": null, "close_minutes": null,
                       "open_all_day": false})
            } else {
                json!({"day_of_week": day, "closed_all_day": false, "open_hour": 9,
                       "open_minutes": 0, "close_hour": 17, "close_minutes": 0,
                       "open_all_day": false})
            }
        })
        .collect();
    Value::Array(days)
}

/// The contact session (§4.1): create, show, and update since July 2026.
pub fn session(m: &Model, s: &Session) -> Value {
    let c = m.contact(s.contact_id);
    json!({
        "source_id": s.source_id,
        "pubsub_token": s.pubsub_token,
        "id": s.contact_id,
        "name": c.and_then(|c| c.name.clone()),
        "email": c.and_then(|c| c.email.clone()),
        "phone_number": c.and_then(|c| c.phone_number.clone()),
    })
}

/// The raw Contact model serialization (§4.2), columns in table order.
pub fn contact_record(c: &Contact) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "email": c.email,
        "phone_number": c.phone_number,
        "account_id": ACCOUNT_ID,
        "created_at": iso_ms(c.created_at),
        "updated_at": iso_ms(c.updated_at),
        "additional_attributes": c.additional_attributes,
        "identifier": c.identifier,
        "custom_attributes": c.custom_attributes,
        "last_activity_at": c.last_activity_at.map(iso_ms),
        "contact_type": c.contact_type,
        "middle_name": "",
        "last_name": "",
        "location": "",
        "country_code": "",
        "blocked": c.blocked,
        "company_id": null,
        "label_list": [],
    })
}

/// `Contact#push_event_data`: the contact as a message sender.
pub fn contact_push(c: &Contact) -> Value {
    json!({
        "additional_attributes": c.additional_attributes,
        "custom_attributes": c.custom_attributes,
        "email": c.email,
        "id": c.id,
        "identifier": c.identifier,
        "name": c.name,
        "phone_number": c.phone_number,
        "thumbnail": "",
        "blocked": c.blocked,
        "type": "contact",
    })
}

/// `push_event_data` of whoever sent a message (§4.5); `None` if it no longer exists.
pub fn sender(m: &Model, actor: Actor) -> Option<Value> {
    match actor {
        Actor::Contact(id) => m.contact(id).map(contact_push),
        Actor::User(id) => m.user(id).map(|u| {
            json!({
                "id": u.id,
                "name": u.name,
                "available_name": u.name,
                "avatar_url": "",
                "type": "user",
                "availability_status": u.presence.unwrap_or("offline"),
                "thumbnail": "",
            })
        }),
        Actor::AgentBot(id) => m.bot(id).map(|b| {
            json!({
                "id": b.id,
                "name": b.name,
                "avatar_url": "",
                "type": "agent_bot",
            })
        }),
    }
}

/// Percent-encode a filename for a URL path segment, as Rails' URL helpers do.
pub fn encode_segment(s: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// The ActiveStorage redirect URL of an attachment's blob.
pub fn data_url(a: &Attachment, ctx: &Ctx) -> String {
    format!(
        "{}/rails/active_storage/blobs/redirect/{}/{}",
        ctx.base_url,
        a.id,
        encode_segment(&a.filename)
    )
}

/// `Attachment#push_event_data` for uploaded files (§4.6).
pub fn attachment(a: &Attachment, ctx: &Ctx) -> Value {
    let url = data_url(a, ctx);
    let mut v = json!({
        "id": a.id,
        "message_id": a.message_id,
        "file_type": a.file_type,
        "account_id": ACCOUNT_ID,
        "extension": a.extension,
        "data_url": url,
        // Real servers link a 250-px variant; the original is close enough here.
        "thumb_url": if a.file_type == "image" { url.clone() } else { String::new() },
        "file_size": a.bytes.len(),
        // Image analysis is asynchronous upstream, so fresh uploads have no size yet.
        "width": null,
        "height": null,
        "content_type": a.content_type,
    });
    if a.file_type == "audio" {
        if let Some(obj) = v.as_object_mut() {
            obj.insert("transcribed_text".into(), Value::String(String::new()));
        }
    }
    v
}

/// `public/api/v1/models/_message.json.jbuilder` (§4.4): `attachments` only when
/// there are some, `sender` only when there is one.
pub fn message(m: &Model, msg: &Message, ctx: &Ctx) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(msg.id));
    o.insert("content".into(), json!(msg.content));
    o.insert("message_type".into(), json!(msg.message_type as u8));
    o.insert("content_type".into(), json!(msg.content_type));
    o.insert(
        "content_attributes".into(),
        Value::Object(msg.content_attributes.clone()),
    );
    o.insert("created_at".into(), json!(secs(msg.created_at)));
    let display_id = m
        .conversation(msg.conversation_id)
        .map(|c| c.display_id)
        .unwrap_or_default();
    o.insert("conversation_id".into(), json!(display_id));
    let attachments: Vec<Value> = msg
        .attachment_ids
        .iter()
        .filter_map(|id| m.attachment(*id))
        .map(|a| attachment(a, ctx))
        .collect();
    if !attachments.is_empty() {
        o.insert("attachments".into(), Value::Array(attachments));
    }
    if let Some(s) = msg.sender.and_then(|a| sender(m, a)) {
        o.insert("sender".into(), s);
    }
    Value::Object(o)
}

/// `public/api/v1/models/_conversation.json.jbuilder` (§4.3): every chat message
/// embedded, last-seen times as int seconds or 0, the contact as its raw record.
pub fn conversation(m: &Model, c: &Conversation, ctx: &Ctx) -> Value {
    let messages: Vec<Value> = m
        .chat_messages(c.id)
        .into_iter()
        .map(|msg| message(m, msg, ctx))
        .collect();
    json!({
        "id": c.display_id,
        "uuid": c.uuid,
        "inbox_id": c.inbox_id,
        "contact_last_seen_at": c.contact_last_seen_at.map_or(0, secs),
        "status": c.status.as_str(),
        "agent_last_seen_at": c.agent_last_seen_at.map_or(0, secs),
        "messages": messages,
        "contact": m.contact(c.contact_id).map(contact_record),
    })
}

/// The `CsatSurveyResponse` record as `as_json` renders it.
pub fn csat_response(r: &CsatResponse) -> Value {
    json!({
        "id": r.id,
        "account_id": ACCOUNT_ID,
        "conversation_id": r.conversation_id,
        "message_id": r.message_id,
        "contact_id": r.contact_id,
        "assigned_agent_id": null,
        "rating": r.rating,
        "feedback_message": r.feedback_message,
        "created_at": iso_ms(r.created_at),
        "updated_at": iso_ms(r.updated_at),
    })
}

/// `public/api/v1/csat_survey/show.json.jbuilder` (§3.14). `conversation_id` is the
/// internal id, not the display id.
pub fn csat_survey(m: &Model, msg: &Message) -> Value {
    let inbox = m.inbox(msg.inbox_id);
    json!({
        "id": msg.id,
        "csat_survey_response": m.csat_response_for(msg.id).map(csat_response),
        "display_type": inbox.map_or("emoji", |i| i.csat_display_type.as_str()),
        "content": inbox.and_then(|i| i.csat_message.clone()),
        "inbox_avatar_url": "",
        "inbox_name": inbox.map(|i| i.name.clone()),
        "locale": "en",
        "conversation_id": msg.conversation_id,
        "created_at": iso_ms(msg.created_at),
    })
}
