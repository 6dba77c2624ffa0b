//! Three endpoints of Chatwoot's application API (seeds 000–003), for trusted contexts:
//! they act as an agent, with the agent's `api_access_token` (sent as a header by the
//! transport, never part of a path or body).

use super::input::Input;
use super::{Method, Request};
use crate::error::Error;
use chatwoot_inbox_model::lenient::digits;
use serde_json::{Map, Value};

/// An id given as a number or a string of digits (the seeds show both): positive.
pub fn id(what: &str, n: &Value) -> Result<i64, Error> {
    let value = match n.as_str() {
        Some(s) => digits(s),
        None => n
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64),
    };
    match value {
        Some(v) if v > 0 => Ok(v),
        _ => Err(Error::invalid_argument(
            [
                what,
                " must be a positive whole number (or a string of digits)",
            ]
            .concat(),
        )),
    }
}

fn account(account_id: i64) -> String {
    ["/api/v1/accounts/", &account_id.to_string()].concat()
}

/// `GET /api/v1/accounts/{a}/contacts/{id}/conversations`.
pub fn list_contact_conversations(account_id: i64, contact_id: i64) -> Request {
    let a = account(account_id);
    Request::new(
        Method::Get,
        [
            a.as_str(),
            "/contacts/",
            &contact_id.to_string(),
            "/conversations",
        ]
        .concat(),
    )
}

/// `GET /api/v1/accounts/{a}/conversations/{id}`.
pub fn get_conversation(account_id: i64, conversation_id: i64) -> Request {
    let a = account(account_id);
    Request::new(
        Method::Get,
        [a.as_str(), "/conversations/", &conversation_id.to_string()].concat(),
    )
}

/// The fields `createConversation` takes (seed 003), camelCase as JavaScript gives them.
const CREATE_FIELDS: &[&str] = &[
    "inboxId",
    "sourceId",
    "contactId",
    "status",
    "assigneeId",
    "teamId",
    "customAttributes",
    "additionalAttributes",
];

/// `POST /api/v1/accounts/{a}/conversations` (seed 003). `inboxId` is required; ids
/// may be numbers or digit strings; unknown keys are refused (a snake_case key would
/// otherwise be dropped silently). Not idempotent: never retried blindly.
pub fn create_conversation(account_id: i64, i: Input<'_>) -> Result<Request, Error> {
    i.only(CREATE_FIELDS)?;
    if i.node("inboxId").is_null() {
        return Err(Error::invalid_argument("inboxId is required"));
    }
    let mut o = Map::new();
    o.insert(
        "inbox_id".to_owned(),
        id("inboxId", i.node("inboxId"))?.into(),
    );
    if let Some(source) = i.string("sourceId")? {
        if source.trim_ascii().is_empty() {
            return Err(Error::invalid_argument("sourceId must not be empty"));
        }
        o.insert("source_id".to_owned(), source.into());
    }
    for (key, what) in [
        ("contact_id", "contactId"),
        ("assignee_id", "assigneeId"),
        ("team_id", "teamId"),
    ] {
        let n = i.node(what);
        if !n.is_null() {
            o.insert(key.to_owned(), id(what, n)?.into());
        }
    }
    if let Some(status) = i.string("status")? {
        if !matches!(status.as_str(), "open" | "resolved" | "pending" | "snoozed") {
            return Err(Error::invalid_argument(
                "status must be \"open\", \"resolved\", \"pending\" or \"snoozed\"",
            ));
        }
        o.insert("status".to_owned(), status.into());
    }
    for (key, what) in [
        ("custom_attributes", "customAttributes"),
        ("additional_attributes", "additionalAttributes"),
    ] {
        if let Some(raw) = i.object(what)? {
            o.insert(key.to_owned(), Value::Object(raw));
        }
    }
    Ok(Request::new(
        Method::Post,
        [account(account_id).as_str(), "/conversations"].concat(),
    )
    .json(Value::Object(o)))
}

/// Checks the token: non-empty, and nothing a header cannot carry. The message never
/// contains the token.
pub fn token(token: &str) -> Result<(), Error> {
    let ok = !token.is_empty() && token.len() <= 512 && token.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "apiAccessToken must be a non-empty token of printable ASCII characters",
        ))
    }
}
