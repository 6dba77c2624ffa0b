//! Messages of a conversation (reference §3.11–3.13). Lookups follow servers from
//! June 2026 on: only the session's conversations unless it is HMAC-verified.

use axum::extract::State;
use serde_json::{Map, Value};

use super::{find_conversation, find_session, Req, Seg};
use crate::app::AppRef;
use crate::body::{sanitize_filename, value_blank, Params};
use crate::json;
use crate::reply::{json_ok, ApiError, ApiResult};
use crate::state::{is_blank, ruby_to_i, NewFile, NewMessage};
use crate::time;

/// GET `…/messages`: `before` is the only cursor; 20 per page, ascending.
pub async fn index(
    State(app): State<AppRef>,
    Seg((identifier, source_id, display_id)): Seg<(String, String, String)>,
    r: Req,
) -> ApiResult {
    let m = app.model();
    let (_, session) = find_session(&m, &identifier, &source_id)?;
    let c = find_conversation(&m, session, &display_id)?;
    let before = r
        .params
        .string("before")
        .filter(|b| !is_blank(b))
        .map(|b| ruby_to_i(&b));
    let list: Vec<Value> = m
        .message_page(c.id, before)
        .into_iter()
        .map(|msg| json::message(&m, msg, &r.ctx))
        .collect();
    Ok(json_ok(&Value::Array(list)))
}

/// The uploads of `attachments[]`. Anything but an array of file parts makes
/// upstream's `params[:attachments].each` / ActiveStorage attach raise: a 500.
fn attachments(p: &Params) -> Result<Vec<NewFile>, ApiError> {
    let Some(v) = p.get("attachments") else {
        return Ok(Vec::new());
    };
    if value_blank(v) {
        return Ok(Vec::new());
    }
    let Value::Array(items) = v else {
        return Err(ApiError::Internal);
    };
    items
        .iter()
        .map(|item| {
            let f = p.file(item).ok_or(ApiError::Internal)?;
            Ok(NewFile {
                filename: sanitize_filename(&f.filename),
                content_type: f.content_type.clone(),
                bytes: f.bytes.clone(),
            })
        })
        .collect()
}

/// POST `…/messages`: `content` and `echo_id` only; always incoming text from the
/// session's contact. The answer never shows the echo id.
pub async fn create(
    State(app): State<AppRef>,
    Seg((identifier, source_id, display_id)): Seg<(String, String, String)>,
    r: Req,
) -> ApiResult {
    let files = attachments(&r.params)?;
    let mut m = app.model();
    let (_, session) = find_session(&m, &identifier, &source_id)?;
    let contact_id = session.contact_id;
    let conversation_id = find_conversation(&m, session, &display_id)?.id;
    let new = NewMessage::from_contact(
        contact_id,
        r.params.string("content"),
        r.params.string("echo_id"),
        files,
    );
    let id = m
        .create_message(conversation_id, new)
        .map_err(ApiError::Invalid)?;
    let msg = m.message(id).ok_or(ApiError::Internal)?;
    Ok(json_ok(&json::message(&m, msg, &r.ctx)))
}

/// Strong parameters for `submitted_values: [:name, :title, :value,
/// { csat_survey_response: [:feedback_message, :rating] }]`: a hash or an array of
/// hashes, sliced to those keys (in filter order); anything else is dropped.
pub fn permit_submitted_values(v: &Value) -> Option<Value> {
    fn scalar(v: &Value) -> bool {
        !matches!(v, Value::Array(_) | Value::Object(_))
    }
    fn slice(o: &Map<String, Value>) -> Value {
        let mut out = Map::new();
        for key in ["name", "title", "value"] {
            if let Some(v) = o.get(key).filter(|v| scalar(v)) {
                out.insert(key.into(), v.clone());
            }
        }
        if let Some(Value::Object(csat)) = o.get("csat_survey_response") {
            let mut inner = Map::new();
            for key in ["feedback_message", "rating"] {
                if let Some(v) = csat.get(key).filter(|v| scalar(v)) {
                    inner.insert(key.into(), v.clone());
                }
            }
            out.insert("csat_survey_response".into(), Value::Object(inner));
        }
        Value::Object(out)
    }
    match v {
        Value::Object(o) => Some(slice(o)),
        Value::Array(items) => Some(Value::Array(
            items
                .iter()
                .filter_map(|i| i.as_object().map(slice))
                .collect(),
        )),
        _ => None,
    }
}

/// `(today - created_at.to_date) > 14`, in UTC dates.
pub fn csat_locked(created_at_ms: i64) -> bool {
    time::utc_day(time::now_ms()) - time::utc_day(created_at_ms) > 14
}

/// PATCH/PUT `…/messages/{id}`: store `submitted_values`. Any failure of the update
/// ends as a 500 (upstream's rescue block itself raises).
pub async fn update(
    State(app): State<AppRef>,
    Seg((identifier, source_id, display_id, message_id)): Seg<(String, String, String, String)>,
    r: Req,
) -> ApiResult {
    let mut m = app.model();
    let (_, session) = find_session(&m, &identifier, &source_id)?;
    let c = find_conversation(&m, session, &display_id)?;
    let wanted = ruby_to_i(&message_id);
    let msg = c
        .message_ids
        .iter()
        .filter_map(|id| m.message(*id))
        .find(|msg| i64::try_from(msg.id).ok() == Some(wanted))
        .ok_or(ApiError::NotFound)?;
    if msg.content_type == "input_csat" && csat_locked(msg.created_at) {
        return Err(ApiError::CsatLocked);
    }
    let id = msg.id;
    let submitted = r
        .params
        .get("submitted_values")
        .and_then(permit_submitted_values);
    m.submit_values(id, submitted)
        .map_err(|_| ApiError::Internal)?;
    let msg = m.message(id).ok_or(ApiError::Internal)?;
    Ok(json_ok(&json::message(&m, msg, &r.ctx)))
}
