//! Three routes of Chatwoot's application API (`/api/v1/accounts/{account_id}/…`),
//! acting as an agent with an `api_access_token` (the SDK's `AccountClient`): contact
//! conversations, conversation details, create conversation. They read and write the
//! same state as the public API, so a conversation made here is the contact's too.
//!
//! As upstream: the token is checked first (`authenticate_access_token!`: 401
//! `{"error":"Invalid Access Token"}`), then the account (`Account.find`: an unknown
//! one is a 404 `{"error":"Resource could not be found"}`, as is any other record not
//! found under `handle_with_exception`). Conversations render
//! `api/v1/conversations/partials/_conversation.json.jbuilder`: `meta`, and in
//! `messages` only the last message (not the whole history).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Response, StatusCode};
use serde_json::{json, Map, Value};

use crate::app::AppRef;
use crate::json::{Ctx, ACCOUNT_ID};
use crate::model::{Contact, Conversation, MessageType, Status};
use crate::public::Req;
use crate::push;
use crate::reply::{json_ok, json_status};
use crate::settings::ListShape;
use crate::state::{ruby_to_i, Model};
use crate::time::{iso_ms, secs};

/// The agent token the devserver accepts unless told otherwise.
pub const DEFAULT_AGENT_TOKEN: &str = "demo-agent-token";

type Answer = Response<Body>;

fn error(status: StatusCode, message: &str) -> Answer {
    json_status(status, &json!({ "error": message }))
}

fn not_found() -> Answer {
    error(StatusCode::NOT_FOUND, "Resource could not be found")
}

/// The token, then the account: what every route checks first. `Some` is the refusal.
fn refuse(app: &AppRef, headers: &HeaderMap, account_id: &str) -> Option<Answer> {
    let token = headers
        .get("api_access_token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let expected = app.account().agent_token.clone();
    if token.is_empty() || token != expected {
        return Some(error(StatusCode::UNAUTHORIZED, "Invalid Access Token"));
    }
    if ruby_to_i(account_id) != ACCOUNT_ID as i64 {
        return Some(not_found());
    }
    None
}

/// `api/v1/models/_contact.json.jbuilder`.
fn contact(c: &Contact) -> Value {
    let mut o = Map::new();
    o.insert("availability_status".into(), json!("offline"));
    o.insert("email".into(), json!(c.email));
    o.insert("id".into(), json!(c.id));
    o.insert("name".into(), json!(c.name));
    o.insert("phone_number".into(), json!(c.phone_number));
    o.insert("identifier".into(), json!(c.identifier));
    o.insert("thumbnail".into(), json!(""));
    o.insert(
        "custom_attributes".into(),
        Value::Object(c.custom_attributes.clone()),
    );
    o.insert(
        "additional_attributes".into(),
        Value::Object(c.additional_attributes.clone()),
    );
    o.insert("blocked".into(), json!(c.blocked));
    if let Some(at) = c.last_activity_at {
        o.insert("last_activity_at".into(), json!(secs(at)));
    }
    o.insert("created_at".into(), json!(secs(c.created_at)));
    o.insert("updated_at".into(), json!(secs(c.updated_at)));
    Value::Object(o)
}

/// `api/v1/models/_agent.json.jbuilder`: no credentials in it.
fn agent(m: &Model, user_id: u64) -> Option<Value> {
    let u = m.user(user_id)?;
    Some(json!({
        "id": u.id,
        "account_id": ACCOUNT_ID,
        "availability_status": u.presence.unwrap_or("offline"),
        "auto_offline": true,
        "confirmed": true,
        "active": true,
        "email": format!("agent{}@example.com", u.id),
        "provider": "email",
        "available_name": u.name,
        "name": u.name,
        "role": "agent",
        "thumbnail": "",
    }))
}

/// `api/v1/conversations/partials/_conversation.json.jbuilder`.
pub fn conversation(m: &Model, c: &Conversation, ctx: &Ctx) -> Value {
    let session = m.session(c.session_id);
    let messages = m.all_messages(c.id);
    let last = messages
        .last()
        .map(|msg| Value::Object(push::message(m, msg, ctx, None)));
    let last_non_activity = messages
        .iter()
        .rev()
        .find(|msg| msg.message_type != MessageType::Activity)
        .map(|msg| Value::Object(push::message(m, msg, ctx, None)));
    let mut meta = Map::new();
    meta.insert(
        "sender".into(),
        m.contact(c.contact_id).map_or(Value::Null, contact),
    );
    meta.insert("channel".into(), json!("Channel::Api"));
    if let Some(a) = c.assignee_id.and_then(|id| agent(m, id)) {
        meta.insert("assignee".into(), a);
    }
    meta.insert(
        "hmac_verified".into(),
        json!(session.map(|s| s.hmac_verified)),
    );
    let mut o = Map::new();
    o.insert("meta".into(), Value::Object(meta));
    o.insert("id".into(), json!(c.display_id));
    o.insert("messages".into(), Value::Array(last.into_iter().collect()));
    o.insert("account_id".into(), json!(ACCOUNT_ID));
    o.insert("uuid".into(), json!(c.uuid));
    o.insert(
        "additional_attributes".into(),
        Value::Object(c.additional_attributes.clone()),
    );
    o.insert(
        "agent_last_seen_at".into(),
        json!(c.agent_last_seen_at.map_or(0, secs)),
    );
    o.insert("assignee_last_seen_at".into(), json!(0));
    o.insert("can_reply".into(), json!(true));
    o.insert(
        "contact_last_seen_at".into(),
        json!(c.contact_last_seen_at.map_or(0, secs)),
    );
    o.insert(
        "custom_attributes".into(),
        Value::Object(c.custom_attributes.clone()),
    );
    o.insert("inbox_id".into(), json!(c.inbox_id));
    o.insert("labels".into(), json!([]));
    o.insert("muted".into(), json!(false));
    o.insert("snoozed_until".into(), Value::Null);
    o.insert("status".into(), json!(c.status.as_str()));
    o.insert("created_at".into(), json!(secs(c.created_at)));
    o.insert("timestamp".into(), json!(secs(c.last_activity_at)));
    o.insert(
        "first_reply_created_at".into(),
        json!(m.first_reply_at(c.id).map_or(0, secs)),
    );
    o.insert("unread_count".into(), json!(push::unread_count(m, c)));
    o.insert(
        "last_non_activity_message".into(),
        last_non_activity.unwrap_or(Value::Null),
    );
    o.insert("last_activity_at".into(), json!(secs(c.last_activity_at)));
    o.insert("priority".into(), Value::Null);
    o.insert(
        "waiting_since".into(),
        json!(m.waiting_since(c.id).map_or(0, secs)),
    );
    o.insert("sla_policy_id".into(), Value::Null);
    // Not in the partial, but what the seeds show a client receiving alongside.
    o.insert("updated_at".into(), json!(iso_ms(c.updated_at)));
    Value::Object(o)
}

/// GET `…/contacts/{id}/conversations`.
pub async fn contact_conversations(
    State(app): State<AppRef>,
    Path((account_id, contact_id)): Path<(String, String)>,
    headers: HeaderMap,
    r: Req,
) -> Answer {
    if let Some(refusal) = refuse(&app, &headers, &account_id) {
        return refusal;
    }
    let shape = app.account().list_shape;
    let m = app.model();
    let Ok(id) = u64::try_from(ruby_to_i(&contact_id)) else {
        return not_found();
    };
    if m.contact(id).is_none() {
        return not_found();
    }
    let list: Vec<Value> = m
        .conversations_of_contact(id)
        .into_iter()
        .rev()
        .map(|c| conversation(&m, c, &r.ctx))
        .collect();
    match shape {
        ListShape::Payload => json_ok(&json!({ "payload": list })),
        ListShape::Bare => json_ok(&Value::Array(list)),
    }
}

/// GET `…/conversations/{display_id}`.
pub async fn show(
    State(app): State<AppRef>,
    Path((account_id, display_id)): Path<(String, String)>,
    headers: HeaderMap,
    r: Req,
) -> Answer {
    if let Some(refusal) = refuse(&app, &headers, &account_id) {
        return refusal;
    }
    let m = app.model();
    match m.conversation_by_display_id(ruby_to_i(&display_id)) {
        Some(c) => json_ok(&conversation(&m, c, &r.ctx)),
        None => not_found(),
    }
}

/// POST `…/conversations`: with `inbox_id` and `contact_id` the contact's session in
/// that inbox (made when missing, with `source_id` when given); otherwise the session
/// of `source_id`. Then `ConversationBuilder` with `status`, `assignee_id` and the
/// attributes.
pub async fn create(
    State(app): State<AppRef>,
    Path(account_id): Path<String>,
    headers: HeaderMap,
    r: Req,
) -> Answer {
    if let Some(refusal) = refuse(&app, &headers, &account_id) {
        return refusal;
    }
    let p = &r.params;
    let id_param = |key: &str| p.string(key).map(|s| ruby_to_i(&s));
    let mut m = app.model();
    let source = p.string("source_id").filter(|s| !s.trim().is_empty());
    let session = match (id_param("inbox_id"), id_param("contact_id")) {
        (Some(inbox), Some(contact)) => {
            let (Ok(inbox), Ok(contact)) = (u64::try_from(inbox), u64::try_from(contact)) else {
                return not_found();
            };
            m.account_session(contact, inbox, source.as_deref())
        }
        _ => source
            .as_deref()
            .and_then(|s| m.session_by_any_source(s))
            .map(|s| s.id),
    };
    let Some(session) = session else {
        return not_found();
    };
    let status = match p.string("status").as_deref() {
        None | Some("") => None,
        Some(s) => match Status::parse(s) {
            Some(status) => Some(status),
            None => {
                return error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &format!("'{s}' is not a valid status"),
                )
            }
        },
    };
    let assignee = id_param("assignee_id").and_then(|a| u64::try_from(a).ok());
    let custom = p.object("custom_attributes").unwrap_or_default();
    let additional = p.object("additional_attributes").unwrap_or_default();
    let Some(id) = m.open_account_conversation(session, status, assignee, custom, additional)
    else {
        return not_found();
    };
    match m.conversation(id) {
        Some(c) => json_ok(&conversation(&m, c, &r.ctx)),
        None => not_found(),
    }
}
