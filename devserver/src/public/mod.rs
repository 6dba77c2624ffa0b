//! The public client API (`/public/api/v1/…`), one file per Chatwoot controller, plus
//! the lookups every controller's `before_action`s share.

pub mod contacts;
pub mod conversations;
pub mod csat;
pub mod inbox;
pub mod messages;

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;

use crate::app::{App, AppRef};
use crate::body::{self, Params};
use crate::json::Ctx;
use crate::model::{Conversation, Inbox, Session};
use crate::reply::ApiError;
use crate::state::{ruby_to_i, Model};

/// Path parameters, percent-decoded. A segment that does not decode to UTF-8 is a
/// 400, as Rails' `ActionController::BadRequest` makes it.
pub struct Seg<T>(pub T);

impl<S, T> FromRequestParts<S> for Seg<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| Seg(v))
            .map_err(|_| ApiError::BadRequest)
    }
}

/// Where ActiveStorage links of this answer should point.
pub fn ctx(app: &App, headers: &HeaderMap) -> Ctx {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| app.local_addr.to_string());
    Ctx {
        base_url: format!("http://{host}"),
    }
}

/// Largest request body read. Rails sets none (a proxy would); this only keeps a
/// runaway client from exhausting memory. Uploads of Chatwoot's 40 MB limit fit.
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// What every public action reads besides its path: the parameters (body merged with
/// query, parsed as Rails does, so a malformed body is a 400 on every route) and
/// where links should point.
pub struct Req {
    pub params: Params,
    pub ctx: Ctx,
}

impl FromRequest<AppRef> for Req {
    type Rejection = ApiError;

    async fn from_request(req: Request, app: &AppRef) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_BODY)
            .await
            .map_err(|_| ApiError::TooLarge)?;
        let params = body::parse(&parts.headers, parts.uri.query(), bytes)
            .await
            .map_err(|_| ApiError::BadRequest)?;
        Ok(Req {
            params,
            ctx: ctx(app, &parts.headers),
        })
    }
}

/// `Channel::Api.find_by!(identifier:)`.
pub fn find_inbox<'m>(m: &'m Model, identifier: &str) -> Result<&'m Inbox, ApiError> {
    m.inbox_by_identifier(identifier).ok_or(ApiError::NotFound)
}

/// The inbox, then `inbox.contact_inboxes.find_by!(source_id:)`.
pub fn find_session<'m>(
    m: &'m Model,
    identifier: &str,
    source_id: &str,
) -> Result<(&'m Inbox, &'m Session), ApiError> {
    let inbox = find_inbox(m, identifier)?;
    let session = m
        .session_by_source(inbox.id, source_id)
        .ok_or(ApiError::NotFound)?;
    Ok((inbox, session))
}

/// `find_by!(display_id:)` within what the session may see. The id is cast as
/// ActiveRecord casts it (`"12abc"` is 12, `"abc"` is 0).
pub fn find_conversation<'m>(
    m: &'m Model,
    session: &Session,
    display_id: &str,
) -> Result<&'m Conversation, ApiError> {
    m.visible_conversation(session.id, ruby_to_i(display_id))
        .ok_or(ApiError::NotFound)
}
