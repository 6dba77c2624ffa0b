//! `GET /public/api/v1/inboxes/{inbox_identifier}` (reference §3.1).

use axum::extract::State;

use super::{find_inbox, Req, Seg};
use crate::app::AppRef;
use crate::json;
use crate::reply::{json_ok, ApiResult};

pub async fn show(State(app): State<AppRef>, Seg(identifier): Seg<String>, _r: Req) -> ApiResult {
    let m = app.model();
    let inbox = find_inbox(&m, &identifier)?;
    Ok(json_ok(&json::inbox(inbox)))
}
