//! `/public/api/v1/csat_survey/{uuid}` (reference §3.14): keyed by the conversation's
//! uuid, no contact session involved.

use axum::extract::State;
use serde_json::Value;

use super::messages::{csat_locked, permit_submitted_values};
use super::{Req, Seg};
use crate::app::AppRef;
use crate::json;
use crate::reply::{json_ok, ApiError, ApiResult};
use crate::state::Model;

/// `Conversation.find_by!(uuid:)`, then its `input_csat` message; 404 for either.
fn find_csat_message(m: &Model, uuid: &str) -> Result<u64, ApiError> {
    let c = m.conversation_by_uuid(uuid).ok_or(ApiError::NotFound)?;
    m.csat_message(c.id)
        .map(|msg| msg.id)
        .ok_or(ApiError::NotFound)
}

pub async fn show(State(app): State<AppRef>, Seg(uuid): Seg<String>, _r: Req) -> ApiResult {
    let m = app.model();
    let id = find_csat_message(&m, &uuid)?;
    let msg = m.message(id).ok_or(ApiError::Internal)?;
    Ok(json_ok(&json::csat_survey(&m, msg)))
}

/// PUT/PATCH with the `message` wrapper. Without it upstream calls `update!(nil)`,
/// which raises: a 500. A failed validation is a 422 here (this controller's
/// exception handler renders it), unlike the messages endpoint.
pub async fn update(State(app): State<AppRef>, Seg(uuid): Seg<String>, r: Req) -> ApiResult {
    let mut m = app.model();
    let id = find_csat_message(&m, &uuid)?;
    let msg = m.message(id).ok_or(ApiError::Internal)?;
    if csat_locked(msg.created_at) {
        return Err(ApiError::CsatLocked);
    }
    let Some(Value::Object(wrapper)) = r.params.get("message") else {
        return Err(ApiError::Internal);
    };
    let submitted = wrapper
        .get("submitted_values")
        .and_then(permit_submitted_values);
    m.submit_values(id, submitted).map_err(ApiError::Invalid)?;
    let msg = m.message(id).ok_or(ApiError::Internal)?;
    Ok(json_ok(&json::csat_survey(&m, msg)))
}
