//! Messages: history, send, answer an interactive message (reference §3.11–3.13).

use super::{path, Body, Method, Request};
use crate::error::Error;
use serde_json::{json, Map, Value};

/// The server refuses longer content with 422; checking first saves the upload.
pub const MAX_CONTENT_CHARS: usize = 150_000;
/// The server keeps at most this many attachments on one message.
pub const MAX_ATTACHMENTS: usize = 15;

/// `GET …/messages[?before=id]`: 20 messages, ascending; `[]` at the start.
pub fn list(
    inbox: &str,
    source_id: &str,
    conversation_id: f64,
    before: Option<f64>,
) -> Result<Request, Error> {
    let base = [
        path::conversation(inbox, source_id, conversation_id)?.as_str(),
        "/messages",
    ]
    .concat();
    let before = before
        .map(|b| path::id("before", b))
        .transpose()?
        .map(|b| b.to_string())
        .unwrap_or_default();
    Ok(Request::new(
        Method::Get,
        path::with_query(base, &[("before", &before)]),
    ))
}

/// `POST …/messages` as the contact: JSON, or multipart when there are attachments
/// (the transport appends each file as `attachments[]` with its own Content-Type).
/// Not idempotent: never retried blindly.
pub fn create(
    inbox: &str,
    source_id: &str,
    conversation_id: f64,
    content: Option<String>,
    echo_id: Option<String>,
    attachment_count: usize,
) -> Result<Request, Error> {
    let content = content.filter(|c| !c.is_empty());
    if content.is_none() && attachment_count == 0 {
        return Err(Error::invalid_argument(
            "a message needs content or at least one attachment",
        ));
    }
    if content
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_CONTENT_CHARS)
    {
        return Err(Error::invalid_argument(
            "content is longer than 150000 characters",
        ));
    }
    if attachment_count > MAX_ATTACHMENTS {
        return Err(Error::invalid_argument(
            "a message takes at most 15 attachments",
        ));
    }
    let p = [
        path::conversation(inbox, source_id, conversation_id)?.as_str(),
        "/messages",
    ]
    .concat();
    let mut r = Request::new(Method::Post, p);
    let fields = [("content", content), ("echo_id", echo_id)];
    r.body = if attachment_count > 0 {
        Body::Multipart(
            fields
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?)))
                .collect(),
        )
    } else {
        let mut o = Map::new();
        for (k, v) in fields {
            if let Some(v) = v {
                o.insert(k.to_owned(), Value::String(v));
            }
        }
        Body::Json(Value::Object(o).to_string())
    };
    Ok(r)
}

/// `PATCH …/messages/{id}` with `submitted_values` (an array for select, form and
/// cards; `{csat_survey_response}` for CSAT). Idempotent: the values are replaced.
pub fn update(
    inbox: &str,
    source_id: &str,
    conversation_id: f64,
    message_id: f64,
    submitted_values: Value,
) -> Result<Request, Error> {
    let mid = path::id("messageId", message_id)?;
    let conversation = path::conversation(inbox, source_id, conversation_id)?;
    let p = [conversation.as_str(), "/messages/", &mid.to_string()].concat();
    let mut r =
        Request::new(Method::Patch, p).json(json!({ "submitted_values": submitted_values }));
    r.idempotent = true;
    Ok(r)
}

/// `submittedValues`: an array of `{ title, value }` (input_select, form, cards) or
/// `{ csatSurveyResponse: { rating, feedbackMessage? } }`, as the server's snake_case.
pub fn submitted_values(v: &Value) -> Result<Value, Error> {
    if let Value::Array(items) = v {
        if items.iter().any(|item| !item.is_object()) {
            return Err(Error::invalid_argument(
                "submittedValues must be an array of { title, value } objects",
            ));
        }
        return Ok(v.clone());
    }
    let Some(csat) = v.get("csatSurveyResponse").filter(|c| c.is_object()) else {
        return Err(Error::invalid_argument(
            "submittedValues must be an array of { title, value } or { csatSurveyResponse }",
        ));
    };
    let rating = csat
        .get("rating")
        .and_then(Value::as_f64)
        .and_then(|r| path::id("rating", r).ok())
        .filter(|r| (1..=5).contains(r))
        .ok_or_else(|| Error::invalid_argument("rating must be a whole number from 1 to 5"))?;
    let mut response = Map::new();
    response.insert("rating".to_owned(), Value::from(rating));
    match csat.get("feedbackMessage") {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => {
            response.insert("feedback_message".to_owned(), Value::String(text.clone()));
        }
        Some(_) => {
            return Err(Error::invalid_argument("feedbackMessage must be a string"));
        }
    }
    Ok(json!({ "csat_survey_response": response }))
}
