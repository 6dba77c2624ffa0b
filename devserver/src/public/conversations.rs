//! Conversations of a contact session (reference §3.5–3.10).

use axum::extract::State;
use serde_json::Value;

use super::{find_conversation, find_session, Req, Seg};
use crate::app::AppRef;
use crate::json;
use crate::model::{Actor, Status};
use crate::reply::{head_ok, json_ok, ApiError, ApiResult};

/// GET `…/conversations`: the session's conversations, or all of the contact's once
/// the session is HMAC-verified; each with all its chat messages.
pub async fn index(
    State(app): State<AppRef>,
    Seg((identifier, source_id)): Seg<(String, String)>,
    r: Req,
) -> ApiResult {
    let m = app.model();
    let (_, session) = find_session(&m, &identifier, &source_id)?;
    let list: Vec<Value> = m
        .visible_conversations(session.id)
        .into_iter()
        .map(|c| json::conversation(&m, c, &r.ctx))
        .collect();
    Ok(json_ok(&Value::Array(list)))
}

/// POST `…/conversations`: only `custom_attributes` is accepted.
pub async fn create(
    State(app): State<AppRef>,
    Seg((identifier, source_id)): Seg<(String, String)>,
    r: Req,
) -> ApiResult {
    let mut m = app.model();
    let (_, session) = find_session(&m, &identifier, &source_id)?;
    let session_id = session.id;
    let custom_attributes = r.params.object("custom_attributes").unwrap_or_default();
    let id = m
        .open_conversation(session_id, custom_attributes)
        .ok_or(ApiError::Internal)?;
    let c = m.conversation(id).ok_or(ApiError::Internal)?;
    Ok(json_ok(&json::conversation(&m, c, &r.ctx)))
}

pub async fn show(
    State(app): State<AppRef>,
    Seg((identifier, source_id, display_id)): Seg<(String, String, String)>,
    r: Req,
) -> ApiResult {
    let m = app.model();
    let (_, session) = find_session(&m, &identifier, &source_id)?;
    let c = find_conversation(&m, session, &display_id)?;
    Ok(json_ok(&json::conversation(&m, c, &r.ctx)))
}

/// POST `…/toggle_status`: only ever resolves; already resolved is a no-op. The
/// conversation's contact is recorded as the resolver.
pub async fn toggle_status(
    State(app): State<AppRef>,
    Seg((identifier, source_id, display_id)): Seg<(String, String, String)>,
    r: Req,
) -> ApiResult {
    let mut m = app.model();
    let (_, session) = find_session(&m, &identifier, &source_id)?;
    let c = find_conversation(&m, session, &display_id)?;
    let (id, contact_id, status) = (c.id, c.contact_id, c.status);
    if status != Status::Resolved {
        m.change_status(id, Status::Resolved, Some(Actor::Contact(contact_id)));
    }
    let c = m.conversation(id).ok_or(ApiError::Internal)?;
    Ok(json_ok(&json::conversation(&m, c, &r.ctx)))
}

/// POST `…/toggle_typing`: `typing_status` "on" or "off" from body or query; any
/// other value is ignored. Empty 200 either way.
pub async fn toggle_typing(
    State(app): State<AppRef>,
    Seg((identifier, source_id, display_id)): Seg<(String, String, String)>,
    r: Req,
) -> ApiResult {
    let mut m = app.model();
    let (_, session) = find_session(&m, &identifier, &source_id)?;
    let id = find_conversation(&m, session, &display_id)?.id;
    match r.params.string("typing_status").as_deref() {
        Some("on") => m.set_contact_typing(id, true),
        Some("off") => m.set_contact_typing(id, false),
        _ => {}
    }
    Ok(head_ok())
}

/// POST `…/update_last_seen`: the server's clock, never the client's.
pub async fn update_last_seen(
    State(app): State<AppRef>,
    Seg((identifier, source_id, display_id)): Seg<(String, String, String)>,
    _r: Req,
) -> ApiResult {
    let mut m = app.model();
    let (_, session) = find_session(&m, &identifier, &source_id)?;
    let id = find_conversation(&m, session, &display_id)?.id;
    m.contact_seen(id);
    Ok(head_ok())
}
