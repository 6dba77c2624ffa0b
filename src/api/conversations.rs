//! Conversations: list, create, show, resolve, typing, last seen (reference §3.5–3.10).

use super::{path, Method, Request};
use crate::error::Error;
use serde_json::{json, Map, Value};

/// `GET /contacts/{sourceId}/conversations`; answers `Conversation[]`.
pub fn list(inbox: &str, source_id: &str) -> Result<Request, Error> {
    Ok(Request::new(
        Method::Get,
        [path::contact(inbox, source_id)?.as_str(), "/conversations"].concat(),
    ))
}

/// `POST /contacts/{sourceId}/conversations`; answers a `Conversation`.
pub fn create(
    inbox: &str,
    source_id: &str,
    custom_attributes: Option<Map<String, Value>>,
) -> Result<Request, Error> {
    let body = match custom_attributes {
        Some(raw) => json!({ "custom_attributes": raw }),
        None => json!({}),
    };
    Ok(Request::new(
        Method::Post,
        [path::contact(inbox, source_id)?.as_str(), "/conversations"].concat(),
    )
    .json(body))
}

/// `GET …/conversations/{id}`; answers a `Conversation`.
pub fn get(inbox: &str, source_id: &str, conversation_id: f64) -> Result<Request, Error> {
    Ok(Request::new(
        Method::Get,
        path::conversation(inbox, source_id, conversation_id)?,
    ))
}

/// `POST …/toggle_status`: resolves (never reopens; a no-op when resolved, hence
/// safe to retry); answers the `Conversation`.
pub fn resolve(inbox: &str, source_id: &str, conversation_id: f64) -> Result<Request, Error> {
    let mut r = Request::new(
        Method::Post,
        [
            path::conversation(inbox, source_id, conversation_id)?.as_str(),
            "/toggle_status",
        ]
        .concat(),
    );
    r.idempotent = true;
    Ok(r)
}

/// `POST …/toggle_typing` with `typing_status`; empty answer.
pub fn set_typing(
    inbox: &str,
    source_id: &str,
    conversation_id: f64,
    status: &str,
) -> Result<Request, Error> {
    if status != "on" && status != "off" {
        return Err(Error::invalid_argument(
            "typing status must be \"on\" or \"off\"",
        ));
    }
    let p = [
        path::conversation(inbox, source_id, conversation_id)?.as_str(),
        "/toggle_typing",
    ]
    .concat();
    let mut r = Request::new(Method::Post, p).json(json!({ "typing_status": status }));
    r.idempotent = true;
    r.empty_answer = true;
    Ok(r)
}

/// `POST …/update_last_seen`; empty answer.
pub fn update_last_seen(
    inbox: &str,
    source_id: &str,
    conversation_id: f64,
) -> Result<Request, Error> {
    let p = [
        path::conversation(inbox, source_id, conversation_id)?.as_str(),
        "/update_last_seen",
    ]
    .concat();
    let mut r = Request::new(Method::Post, p);
    r.idempotent = true;
    r.empty_answer = true;
    Ok(r)
}
