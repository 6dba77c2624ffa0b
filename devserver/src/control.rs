//! The control API under `/__devserver/…`: what a test or the demo's agent console
//! needs to play the agent's side and to make the server misbehave. Never part of a
//! real Chatwoot. Bodies are JSON with camelCase keys; unknown keys are a 400 so a
//! typo in a test fails loudly instead of silently configuring nothing.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, patch, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::app::AppRef;
use crate::faults::{Fault, FaultKind};
use crate::json::{self, Ctx};
use crate::model::{Actor, Json, MessageStatus, MessageType, Status, UpdateShape};
use crate::public::{ctx, Seg, MAX_BODY};
use crate::reply::{json_ok, json_status, status_error, ApiError};
use crate::state::{ruby_to_i, InboxConfig, InboxError, MessagePatch, Model, NewMessage};

pub fn routes() -> Router<AppRef> {
    Router::new()
        .route("/__devserver/inboxes", post(create_inbox))
        .route(
            "/__devserver/inboxes/{identifier}/conversations",
            get(inbox_conversations),
        )
        .route(
            "/__devserver/conversations/{display_id}",
            patch(patch_conversation),
        )
        .route(
            "/__devserver/conversations/{display_id}/messages",
            post(post_message).get(all_messages),
        )
        .route("/__devserver/messages/{id}", patch(patch_message))
        .route("/__devserver/faults", post(add_fault).delete(clear_faults))
        .route(
            "/__devserver/requests",
            get(requests).delete(clear_requests),
        )
        .route(
            "/__devserver/conversations/{display_id}/typing",
            post(agent_typing),
        )
        .route("/__devserver/conversations/{display_id}/burst", post(burst))
        .route("/__devserver/sockets", get(sockets))
        .route("/__devserver/sockets/drop", post(drop_sockets))
        .route("/__devserver/sockets/disconnect", post(disconnect_sockets))
        .route("/__devserver/sockets/pings", post(pings))
        .route("/__devserver/presence", get(presence).put(set_presence))
        .route("/__devserver/reset", post(reset))
        .route("/__devserver/account", get(account).put(set_account))
}

type Answer = Response<Body>;

fn bad_request(message: impl Into<String>) -> Answer {
    json_status(StatusCode::BAD_REQUEST, &json!({"error": message.into()}))
}

/// A JSON body (an empty one counts as `{}`) with its host-derived link base.
struct JsonBody<T> {
    value: T,
    ctx: Ctx,
}

impl<T: DeserializeOwned + Send> FromRequest<AppRef> for JsonBody<T> {
    type Rejection = Answer;

    async fn from_request(req: Request, app: &AppRef) -> Result<Self, Answer> {
        let (parts, body) = req.into_parts();
        let ctx = ctx(app, &parts.headers);
        let bytes = axum::body::to_bytes(body, MAX_BODY)
            .await
            .map_err(|_| status_error(StatusCode::PAYLOAD_TOO_LARGE))?;
        let raw: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        let value = serde_json::from_slice(raw).map_err(|e| bad_request(e.to_string()))?;
        Ok(JsonBody { value, ctx })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InboxBody {
    identifier: Option<String>,
    name: Option<String>,
    timezone: Option<String>,
    #[serde(default)]
    identity_validation: bool,
    hmac_token: Option<String>,
    #[serde(default)]
    lock_to_single_conversation: bool,
    #[serde(default)]
    csat_survey_enabled: bool,
    /// Addition: `csat_config.display_type` ("emoji" or "star").
    csat_display_type: Option<String>,
    /// Addition: `csat_config.message`, the custom survey text.
    csat_message: Option<String>,
    #[serde(default)]
    agent_bot: bool,
    #[serde(default)]
    working_hours_enabled: bool,
    /// Addition: shown as `greeting_enabled` by GET inbox.
    #[serde(default)]
    greeting_enabled: bool,
    contact_update_shape: Option<String>,
    /// Addition: `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT` (default 200).
    messages_per_minute: Option<usize>,
}

async fn create_inbox(State(app): State<AppRef>, body: JsonBody<InboxBody>) -> Answer {
    let b = body.value;
    let shape = match b.contact_update_shape.as_deref() {
        None | Some("record") => UpdateShape::Record,
        Some("session") => UpdateShape::Session,
        Some(other) => return bad_request(format!("unknown contactUpdateShape {other:?}")),
    };
    if b.identifier.as_deref().is_some_and(str::is_empty) {
        return bad_request("identifier must not be empty");
    }
    if b.messages_per_minute == Some(0) {
        return bad_request("messagesPerMinute must be at least 1");
    }
    let cfg = InboxConfig {
        identifier: b.identifier,
        name: b.name,
        timezone: b.timezone,
        identity_validation: b.identity_validation,
        hmac_token: b.hmac_token,
        lock_to_single_conversation: b.lock_to_single_conversation,
        csat_survey_enabled: b.csat_survey_enabled,
        csat_display_type: b.csat_display_type,
        csat_message: b.csat_message,
        agent_bot: b.agent_bot,
        working_hours_enabled: b.working_hours_enabled,
        greeting_enabled: b.greeting_enabled,
        contact_update_shape: Some(shape),
        messages_per_minute: b.messages_per_minute,
    };
    let mut m = app.model();
    match m.create_inbox(cfg) {
        Ok(id) => match m.inbox(id) {
            Some(i) => json_ok(&json!({
                "identifier": i.identifier,
                "hmacToken": i.hmac_token,
                "inboxId": i.id,
            })),
            None => status_error(StatusCode::INTERNAL_SERVER_ERROR),
        },
        Err(InboxError::IdentifierTaken) => json_status(
            StatusCode::CONFLICT,
            &json!({"error": "an inbox with this identifier already exists"}),
        ),
    }
}

async fn inbox_conversations(
    State(app): State<AppRef>,
    Seg(identifier): Seg<String>,
    body: JsonBody<Value>,
) -> Answer {
    let m = app.model();
    let Some(inbox) = m.inbox_by_identifier(&identifier) else {
        return ApiError::NotFound.into_response();
    };
    let list: Vec<Value> = m
        .conversations_of_inbox(inbox.id)
        .into_iter()
        .map(|c| {
            let mut v = json::conversation(&m, c, &body.ctx);
            if let Some(o) = v.as_object_mut() {
                let source = m.session(c.session_id).map(|s| s.source_id.clone());
                o.insert("sourceId".into(), json!(source));
                o.insert("contactTyping".into(), json!(c.contact_typing));
                o.insert("customAttributes".into(), json!(c.custom_attributes));
                o.insert("createdAt".into(), json!(crate::time::secs(c.created_at)));
            }
            v
        })
        .collect();
    json_ok(&Value::Array(list))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct MessageBody {
    content: Option<String>,
    sender_type: Option<String>,
    message_type: Option<String>,
    content_type: Option<String>,
    content_attributes: Option<Json>,
    #[serde(default)]
    private: bool,
}

async fn post_message(
    State(app): State<AppRef>,
    Seg(display_id): Seg<String>,
    body: JsonBody<MessageBody>,
) -> Answer {
    let b = body.value;
    let sender = match b.sender_type.as_deref() {
        None | Some("user") => Some(Actor::User(1)),
        Some("agent_bot") => Some(Actor::AgentBot(1)),
        Some("none") => None,
        Some(other) => return bad_request(format!("unknown senderType {other:?}")),
    };
    let message_type = match b.message_type.as_deref() {
        None | Some("outgoing") => MessageType::Outgoing,
        Some("template") => MessageType::Template,
        Some(other) => return bad_request(format!("unknown messageType {other:?}")),
    };
    let new = NewMessage {
        content: b.content,
        message_type,
        content_type: b.content_type.unwrap_or_else(|| "text".into()),
        content_attributes: b.content_attributes.unwrap_or_default(),
        private: b.private,
        sender,
        echo_id: None,
        files: Vec::new(),
    };
    let mut m = app.model();
    let Some(id) = conversation_id(&m, &display_id) else {
        return ApiError::NotFound.into_response();
    };
    // Agents post through the dashboard with `Current.user` set; bots and system
    // messages have no performer.
    let created = match sender {
        Some(Actor::User(_)) => m.as_agent(Actor::User(1), |m| m.create_message(id, new)),
        _ => m.create_message(id, new),
    };
    match created {
        Ok(mid) => match m.message(mid) {
            Some(msg) => json_ok(&json::message(&m, msg, &body.ctx)),
            None => status_error(StatusCode::INTERNAL_SERVER_ERROR),
        },
        Err(errors) => ApiError::Invalid(errors).into_response(),
    }
}

/// Addition: every message of a conversation, private notes and activity messages
/// included, REST shape plus `status`, `private` and `echoId` (what REST hides).
async fn all_messages(
    State(app): State<AppRef>,
    Seg(display_id): Seg<String>,
    body: JsonBody<Value>,
) -> Answer {
    let m = app.model();
    let Some(c) = m.conversation_by_display_id(ruby_to_i(&display_id)) else {
        return ApiError::NotFound.into_response();
    };
    let list: Vec<Value> = m
        .all_messages(c.id)
        .into_iter()
        .map(|msg| {
            let mut v = json::message(&m, msg, &body.ctx);
            if let Some(o) = v.as_object_mut() {
                o.insert("status".into(), json!(msg.status.as_str()));
                o.insert("private".into(), json!(msg.private));
                o.insert("echoId".into(), json!(msg.echo_id));
            }
            v
        })
        .collect();
    json_ok(&Value::Array(list))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConversationBody {
    status: String,
}

async fn patch_conversation(
    State(app): State<AppRef>,
    Seg(display_id): Seg<String>,
    body: JsonBody<ConversationBody>,
) -> Answer {
    let Some(status) = Status::parse(&body.value.status) else {
        return bad_request(format!("unknown status {:?}", body.value.status));
    };
    let mut m = app.model();
    let Some(id) = conversation_id(&m, &display_id) else {
        return ApiError::NotFound.into_response();
    };
    m.as_agent(Actor::User(1), |m| {
        m.change_status(id, status, Some(Actor::User(1)));
    });
    match m.conversation(id) {
        Some(c) => json_ok(&json::conversation(&m, c, &body.ctx)),
        None => status_error(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct MessagePatchBody {
    status: Option<String>,
    #[serde(default)]
    deleted: bool,
    created_at: Option<i64>,
}

async fn patch_message(
    State(app): State<AppRef>,
    Seg(id): Seg<String>,
    body: JsonBody<MessagePatchBody>,
) -> Answer {
    let b = body.value;
    let status = match b.status.as_deref() {
        None => None,
        Some(s) => match MessageStatus::parse(s) {
            Some(st) => Some(st),
            None => return bad_request(format!("unknown status {s:?}")),
        },
    };
    let Ok(id) = u64::try_from(ruby_to_i(&id)) else {
        return ApiError::NotFound.into_response();
    };
    let mut m = app.model();
    let deleted = b.deleted;
    let patch = MessagePatch {
        status,
        deleted,
        created_at_secs: b.created_at,
    };
    // Deleting is an agent's action; delivery statuses come from the channel.
    let found = if deleted {
        m.as_agent(Actor::User(1), |m| m.patch_message(id, patch))
    } else {
        m.patch_message(id, patch)
    };
    if !found {
        return ApiError::NotFound.into_response();
    }
    match m.message(id) {
        Some(msg) => json_ok(&json::message(&m, msg, &body.ctx)),
        None => status_error(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultBody {
    kind: String,
    /// Absent: 1, or unlimited when `probability` is given; `null`: unlimited.
    #[serde(default, deserialize_with = "present")]
    count: Option<Option<u32>>,
    probability: Option<f64>,
    status: Option<u16>,
    retry_after: Option<u64>,
    delay_ms: Option<u64>,
    bytes_per_second: Option<u64>,
    path_contains: Option<String>,
    method: Option<String>,
    /// `body` faults: the body is `bodyHex` decoded, else `prefix` + `body` × `repeat`
    /// + `suffix`.
    body: Option<String>,
    body_hex: Option<String>,
    prefix: Option<String>,
    suffix: Option<String>,
    repeat: Option<usize>,
    content_type: Option<String>,
}

async fn add_fault(State(app): State<AppRef>, body: JsonBody<FaultBody>) -> Answer {
    let b = body.value;
    let kind = match b.kind.as_str() {
        "status" => {
            let status = b.status.unwrap_or(500);
            if StatusCode::from_u16(status).is_err() || status < 400 {
                return bad_request("status must be an HTTP error status (400-599)");
            }
            FaultKind::Status(status)
        }
        "rate_limit" => FaultKind::RateLimit {
            retry_after: b.retry_after,
        },
        "delay" => FaultKind::Delay(Duration::from_millis(b.delay_ms.unwrap_or(0))),
        "slow_upload" => match b.bytes_per_second {
            Some(rate) if rate > 0 => FaultKind::SlowUpload(rate),
            _ => return bad_request("slow_upload needs bytesPerSecond > 0"),
        },
        "malformed" => FaultKind::Malformed,
        "reset" => FaultKind::Reset,
        "body" => {
            let bytes = match &b.body_hex {
                Some(h) => match hex::decode(h) {
                    Ok(v) => v,
                    Err(_) => return bad_request("bodyHex must be hex"),
                },
                None => {
                    let repeat = b.repeat.unwrap_or(1);
                    if repeat > 64 * 1024 * 1024 {
                        return bad_request("repeat must be at most 67108864");
                    }
                    let mut v = b.prefix.clone().unwrap_or_default().into_bytes();
                    v.extend(b.body.as_deref().unwrap_or("").repeat(repeat).into_bytes());
                    v.extend(b.suffix.as_deref().unwrap_or("").as_bytes());
                    v
                }
            };
            FaultKind::Body {
                status: b.status.unwrap_or(200),
                content_type: b
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "application/json; charset=utf-8".into()),
                bytes: bytes.into(),
            }
        }
        other => return bad_request(format!("unknown fault kind {other:?}")),
    };
    if b.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
        return bad_request("probability must be between 0 and 1");
    }
    let remaining = match b.count {
        None if b.probability.is_some() => None,
        None => Some(1),
        Some(None) => None,
        Some(Some(0)) => return bad_request("count must be at least 1 (null: unlimited)"),
        Some(Some(n)) => Some(n),
    };
    app.faults().add(Fault {
        kind,
        remaining,
        probability: b.probability,
        path_contains: b.path_contains,
        method: b.method,
    });
    json_ok(&json!({"ok": true}))
}

/// Tells a key sent as `null` (`Some(None)`) from a key left out (`None`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

async fn clear_faults(State(app): State<AppRef>) -> Answer {
    app.faults().clear();
    json_ok(&json!({"ok": true}))
}

async fn requests(State(app): State<AppRef>) -> Answer {
    json_ok(&app.log().to_json())
}

async fn clear_requests(State(app): State<AppRef>) -> Answer {
    app.log().clear();
    json_ok(&json!({"ok": true}))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TypingBody {
    typing_status: String,
    #[serde(default)]
    is_private: bool,
    sender_type: Option<String>,
}

/// An agent's (or the agent bot's) `toggle_typing_status` on a conversation.
async fn agent_typing(
    State(app): State<AppRef>,
    Seg(display_id): Seg<String>,
    body: JsonBody<TypingBody>,
) -> Answer {
    let b = body.value;
    let on = match b.typing_status.as_str() {
        "on" => true,
        "off" => false,
        other => return bad_request(format!("unknown typingStatus {other:?}")),
    };
    let actor = match b.sender_type.as_deref() {
        None | Some("user") => Actor::User(1),
        Some("agent_bot") => Actor::AgentBot(1),
        Some(other) => return bad_request(format!("unknown senderType {other:?}")),
    };
    let mut m = app.model();
    let Some(id) = conversation_id(&m, &display_id) else {
        return ApiError::NotFound.into_response();
    };
    match actor {
        Actor::User(_) => m.as_agent(actor, |m| m.set_agent_typing(id, on, actor, b.is_private)),
        _ => m.set_agent_typing(id, on, actor, b.is_private),
    }
    json_ok(&json!({"ok": true}))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BurstBody {
    kind: String,
    count: usize,
    content: Option<String>,
}

/// For benchmarks and soak tests: `count` of one thing at once, each with its usual
/// broadcasts — agent messages (`"message"`, content `content` or `burst N`, through
/// the usual validations, flood limit included), or agent typing alternating on and off
/// (`"typing"`). Answers `{ created, firstId?, lastId? }`.
async fn burst(
    State(app): State<AppRef>,
    Seg(display_id): Seg<String>,
    body: JsonBody<BurstBody>,
) -> Answer {
    let b = body.value;
    if b.count > 1_000_000 {
        return bad_request("count must be at most 1000000");
    }
    let mut m = app.model();
    let Some(id) = conversation_id(&m, &display_id) else {
        return ApiError::NotFound.into_response();
    };
    let agent = Actor::User(1);
    match b.kind.as_str() {
        "message" => {
            let news = (0..b.count)
                .map(|i| NewMessage {
                    content: Some(b.content.clone().unwrap_or_else(|| format!("burst {i}"))),
                    message_type: MessageType::Outgoing,
                    content_type: "text".into(),
                    content_attributes: Json::new(),
                    private: false,
                    sender: Some(agent),
                    echo_id: None,
                    files: Vec::new(),
                })
                .collect();
            let ids = match m.as_agent(agent, |m| m.create_messages(id, news)) {
                Ok(ids) => ids,
                Err(errors) => return ApiError::Invalid(errors).into_response(),
            };
            json_ok(&json!({"created": ids.len(), "firstId": ids.first(), "lastId": ids.last()}))
        }
        "typing" => {
            for i in 0..b.count {
                m.as_agent(agent, |m| m.set_agent_typing(id, i % 2 == 0, agent, false));
            }
            json_ok(&json!({"created": b.count}))
        }
        other => bad_request(format!("unknown burst kind {other:?}")),
    }
}

async fn sockets(State(app): State<AppRef>) -> Answer {
    json_ok(&app.hub().list())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SocketsBody {
    token: Option<String>,
    count: Option<usize>,
}

async fn drop_sockets(State(app): State<AppRef>, body: JsonBody<SocketsBody>) -> Answer {
    let b = body.value;
    let n = app.hub().drop_sockets(b.token.as_deref(), b.count);
    json_ok(&json!({ "dropped": n }))
}

async fn disconnect_sockets(State(app): State<AppRef>, body: JsonBody<SocketsBody>) -> Answer {
    let b = body.value;
    let n = app.hub().restart_sockets(b.token.as_deref(), b.count);
    json_ok(&json!({ "disconnected": n }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PingsBody {
    paused: bool,
}

async fn pings(State(app): State<AppRef>, body: JsonBody<PingsBody>) -> Answer {
    app.hub().set_pings_paused(body.value.paused);
    json_ok(&json!({ "paused": body.value.paused }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountBody {
    agent_token: Option<String>,
    list_shape: Option<String>,
}

fn account_json(app: &AppRef) -> Value {
    let a = app.account();
    json!({
        "accountId": crate::json::ACCOUNT_ID,
        "agentToken": a.agent_token,
        "listShape": match a.list_shape {
            crate::settings::ListShape::Payload => "payload",
            crate::settings::ListShape::Bare => "bare",
        },
    })
}

/// The application API's settings: `{ accountId, agentToken, listShape }`.
async fn account(State(app): State<AppRef>) -> Answer {
    json_ok(&account_json(&app))
}

/// `{ agentToken?, listShape?: "payload" | "bare" }`.
async fn set_account(State(app): State<AppRef>, body: JsonBody<AccountBody>) -> Answer {
    let b = body.value;
    let shape = match b.list_shape.as_deref() {
        None => None,
        Some("payload") => Some(crate::settings::ListShape::Payload),
        Some("bare") => Some(crate::settings::ListShape::Bare),
        Some(other) => return bad_request(format!("unknown listShape {other:?}")),
    };
    if b.agent_token.as_deref() == Some("") {
        return bad_request("agentToken must not be empty");
    }
    {
        let mut a = app.account();
        if let Some(t) = b.agent_token {
            a.agent_token = t;
        }
        if let Some(s) = shape {
            a.list_shape = s;
        }
    }
    json_ok(&account_json(&app))
}

async fn presence(State(app): State<AppRef>) -> Answer {
    json_ok(&Value::Object(app.model().presence_users()))
}

/// `{ "<agent id>": "online" | "busy" | "offline" | null }`; null takes the agent out
/// of `users`. Every confirmed subscription gets the new `presence.update`.
async fn set_presence(
    State(app): State<AppRef>,
    body: JsonBody<BTreeMap<String, Option<String>>>,
) -> Answer {
    let mut changes = Vec::new();
    for (id, status) in &body.value {
        let Ok(user_id) = id.parse::<u64>() else {
            return bad_request(format!("unknown agent {id:?}"));
        };
        let presence = match status.as_deref() {
            None => None,
            Some("online") => Some("online"),
            Some("busy") => Some("busy"),
            Some("offline") => Some("offline"),
            Some(other) => return bad_request(format!("unknown status {other:?}")),
        };
        changes.push((user_id, presence));
    }
    let mut m = app.model();
    if let Some((id, _)) = changes.iter().find(|(id, _)| m.user(*id).is_none()) {
        return bad_request(format!("unknown agent \"{id}\""));
    }
    for (id, presence) in changes {
        m.set_presence(id, presence);
    }
    app.hub().broadcast_presence(&m);
    json_ok(&Value::Object(m.presence_users()))
}

async fn reset(State(app): State<AppRef>) -> Answer {
    app.reset();
    json_ok(&json!({"ok": true}))
}

/// The internal id of the conversation with this display id (as Rails reads the path).
fn conversation_id(m: &Model, display_id: &str) -> Option<u64> {
    m.conversation_by_display_id(ruby_to_i(display_id))
        .map(|c| c.id)
}
