//! Contact sessions (reference §3.2–3.4): create or resume, show, update; HMAC checked
//! on all three, as the contacts controller's `process_hmac` does.

use axum::extract::State;
use serde_json::Value;

use super::{find_inbox, find_session, Req, Seg};
use crate::app::AppRef;
use crate::body::{scalar_string, Params};
use crate::hmac::{self, Check};
use crate::json;
use crate::model::{Inbox, UpdateShape};
use crate::names;
use crate::reply::{json_ok, ApiError, ApiResult};
use crate::state::ContactAttrs;

/// `permitted_params`: the contact attributes a request may set.
fn contact_attrs(p: &Params) -> ContactAttrs {
    ContactAttrs {
        name: p.string("name"),
        email: p.string("email"),
        phone_number: p.string("phone_number"),
        identifier: p.string("identifier"),
        custom_attributes: p.object("custom_attributes"),
    }
}

fn hmac_check(inbox: &Inbox, p: &Params) -> Check {
    hmac::check(
        inbox.hmac_mandatory,
        &inbox.hmac_token,
        p.string("identifier").as_deref(),
        p.string("identifier_hash").as_deref(),
    )
}

/// POST `…/contacts`. A valid hash does not verify here: the session does not exist
/// yet when upstream checks it.
pub async fn create(State(app): State<AppRef>, Seg(identifier): Seg<String>, r: Req) -> ApiResult {
    let p = r.params;
    let mut m = app.model();
    let inbox = find_inbox(&m, &identifier)?.clone();
    if hmac_check(&inbox, &p) == Check::Failed {
        return Err(ApiError::Internal);
    }
    // `params[:source_id] || SecureRandom.uuid`: only a missing value is generated.
    let source_id = match p.get("source_id") {
        None | Some(Value::Null) => names::uuid_v4(),
        Some(v) => scalar_string(v).unwrap_or_else(names::uuid_v4),
    };
    let session_id = m
        .create_session(inbox.id, &source_id, contact_attrs(&p))
        .map_err(ApiError::Invalid)?;
    let session = m.session(session_id).ok_or(ApiError::Internal)?;
    Ok(json_ok(&json::session(&m, session)))
}

/// GET `…/contacts/{source_id}`; a valid hash verifies the session.
pub async fn show(
    State(app): State<AppRef>,
    Seg((identifier, source_id)): Seg<(String, String)>,
    r: Req,
) -> ApiResult {
    let p = r.params;
    let mut m = app.model();
    let (inbox, session) = find_session(&m, &identifier, &source_id)?;
    let session_id = session.id;
    match hmac_check(inbox, &p) {
        Check::Failed => return Err(ApiError::Internal),
        Check::Valid => m.mark_verified(session_id),
        Check::Skipped => {}
    }
    let session = m.session(session_id).ok_or(ApiError::Internal)?;
    Ok(json_ok(&json::session(&m, session)))
}

/// PATCH/PUT `…/contacts/{source_id}`: `identifier` only feeds the HMAC check and is
/// never written. The answer's shape is the inbox's `contactUpdateShape`.
pub async fn update(
    State(app): State<AppRef>,
    Seg((identifier, source_id)): Seg<(String, String)>,
    r: Req,
) -> ApiResult {
    let p = r.params;
    let mut m = app.model();
    let (inbox, session) = find_session(&m, &identifier, &source_id)?;
    let session_id = session.id;
    let shape = inbox.contact_update_shape;
    match hmac_check(inbox, &p) {
        Check::Failed => return Err(ApiError::Internal),
        Check::Valid => m.mark_verified(session_id),
        Check::Skipped => {}
    }
    let attrs = ContactAttrs {
        identifier: None,
        ..contact_attrs(&p)
    };
    let contact_id = m
        .identify_contact(session_id, attrs)
        .map_err(ApiError::Invalid)?;
    let body = match shape {
        UpdateShape::Record => {
            json::contact_record(m.contact(contact_id).ok_or(ApiError::Internal)?)
        }
        UpdateShape::Session => json::session(&m, m.session(session_id).ok_or(ApiError::Internal)?),
    };
    Ok(json_ok(&body))
}
