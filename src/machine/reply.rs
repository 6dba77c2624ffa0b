//! What a call's answer becomes for JavaScript: the server's JSON read as the model
//! the endpoint documents, written as its camelCase JSON.

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::model::{
    decode, decode_list, message_list, AccountConversation, Contact, ContactSession, Conversation,
    CsatSurvey, DecodeError, Inbox, Message, Model,
};

/// The shape of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// [`Inbox`].
    Inbox,
    /// [`ContactSession`].
    ContactSession,
    /// [`Contact`].
    Contact,
    /// [`Conversation`].
    Conversation,
    /// A list of [`Conversation`]s.
    Conversations,
    /// A page of [`Message`]s: ordered by id, each id once.
    Page,
    /// [`Message`].
    Message,
    /// [`CsatSurvey`].
    CsatSurvey,
    /// [`AccountConversation`].
    AccountConversation,
    /// [`AccountConversation`]s as a bare array or as `{ "payload": [...] }` (both
    /// shapes occur).
    AccountConversations,
    /// No body.
    Empty,
}

/// An answer's text as the JSON of `shape` (`""`, undefined, for the empty routes).
pub fn reply(what: &str, text: &str, shape: Shape) -> Result<String, Error> {
    let out = match shape {
        Shape::Empty => return Ok(String::new()),
        Shape::Inbox => one::<Inbox>(text),
        Shape::ContactSession => one::<ContactSession>(text),
        Shape::Contact => one::<Contact>(text),
        Shape::Conversation => one::<Conversation>(text),
        Shape::Conversations => list::<Conversation>(text),
        Shape::Page => decode_list::<Message>(text).map(|l| json(&message_list(l))),
        Shape::Message => one::<Message>(text),
        Shape::CsatSurvey => one::<CsatSurvey>(text),
        Shape::AccountConversation => one::<AccountConversation>(text),
        Shape::AccountConversations => payload(text),
    };
    out.map_err(|e| match e {
        DecodeError::NotJson => Error::decode(what, "the body is not JSON", text),
        DecodeError::Shape => Error::decode(what, "not the documented shape", text),
    })
}

fn json<T: Serialize>(t: &T) -> String {
    serde_json::to_string(t).unwrap_or_default()
}

fn one<T: Model + Serialize>(text: &str) -> Result<String, DecodeError> {
    decode::<T>(text).map(|t| json(&t))
}

fn list<T: Model + Serialize>(text: &str) -> Result<String, DecodeError> {
    decode_list::<T>(text).map(|l| json(&l))
}

fn payload(text: &str) -> Result<String, DecodeError> {
    let v: Value = serde_json::from_str(text).map_err(|_| DecodeError::NotJson)?;
    let items = match &v {
        Value::Array(_) => &v,
        Value::Object(o) => o.get("payload").ok_or(DecodeError::Shape)?,
        _ => return Err(DecodeError::Shape),
    };
    let Value::Array(items) = items else {
        return Err(DecodeError::Shape);
    };
    let list: Vec<AccountConversation> = items
        .iter()
        .filter_map(crate::value::model::<AccountConversation>)
        .collect();
    Ok(json(&list))
}
