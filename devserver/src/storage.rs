//! An ActiveStorage look-alike for uploaded attachments: `data_url` is a redirect URL
//! that answers 302 to a proxy URL serving the bytes, as Rails' blob routes do. These
//! paths get no CORS headers, like on a real server.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};

use crate::app::AppRef;
use crate::json::encode_segment;
use crate::public::{ctx, Seg};
use crate::reply::{status_error, ApiError};
use crate::state::ruby_to_i;

/// `config.active_storage.content_types_allowed_inline`: everything else downloads.
fn inline_allowed(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/webp"
            | "image/avif"
            | "image/png"
            | "image/gif"
            | "image/jpeg"
            | "image/tiff"
            | "image/vnd.adobe.photoshop"
            | "image/vnd.microsoft.icon"
            | "application/pdf"
    )
}

/// GET `/rails/active_storage/blobs/redirect/{id}/{filename}`: 302 to the bytes.
pub async fn redirect(
    State(app): State<AppRef>,
    Seg((id, _filename)): Seg<(String, String)>,
    headers: HeaderMap,
) -> Result<Response<Body>, ApiError> {
    let base = ctx(&app, &headers).base_url;
    let m = app.model();
    let a = u64::try_from(ruby_to_i(&id))
        .ok()
        .and_then(|id| m.attachment(id))
        .ok_or(ApiError::NotFound)?;
    let location = format!(
        "{base}/rails/active_storage/blobs/proxy/{}/{}",
        a.id,
        encode_segment(&a.filename)
    );
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::FOUND;
    match HeaderValue::from_str(&location) {
        Ok(v) => {
            r.headers_mut().insert(header::LOCATION, v);
            Ok(r)
        }
        Err(_) => Ok(status_error(StatusCode::INTERNAL_SERVER_ERROR)),
    }
}

/// GET `/rails/active_storage/blobs/proxy/{id}/{filename}`: the stored bytes with
/// their Content-Type.
pub async fn proxy(
    State(app): State<AppRef>,
    Seg((id, _filename)): Seg<(String, String)>,
) -> Result<Response<Body>, ApiError> {
    let m = app.model();
    let a = u64::try_from(ruby_to_i(&id))
        .ok()
        .and_then(|id| m.attachment(id))
        .ok_or(ApiError::NotFound)?;
    let mut r = Response::new(Body::from(a.bytes.clone()));
    let h = r.headers_mut();
    let content_type = HeaderValue::from_str(&a.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, content_type);
    let disposition = if inline_allowed(&a.content_type) {
        "inline"
    } else {
        "attachment"
    };
    let value = format!(
        "{disposition}; filename=\"{}\"; filename*=UTF-8''{}",
        a.filename.replace(|c: char| !c.is_ascii() || c == '"', "_"),
        encode_segment(&a.filename)
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
