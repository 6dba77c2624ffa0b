//! GET inbox (reference §3.1).

use super::{path, Method, Request};
use crate::error::Error;

/// `GET /inboxes/{inbox}`; answers an [`Inbox`](crate::model::Inbox).
pub fn get(inbox: &str) -> Result<Request, Error> {
    Ok(Request::new(Method::Get, path::inbox(inbox)?))
}
