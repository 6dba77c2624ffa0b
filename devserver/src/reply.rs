//! How answers are rendered: JSON successes, `head :ok`, and the error bodies a
//! production Rails server sends (reference §2).

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::response::IntoResponse;
use serde_json::{json, Value};

use crate::model::FieldError;

const JSON_UTF8: &str = "application/json; charset=utf-8";

/// 200 with a JSON body, as `render json:` / jbuilder send it.
pub fn json_ok(v: &Value) -> Response<Body> {
    json_status(StatusCode::OK, v)
}

pub fn json_status(status: StatusCode, v: &Value) -> Response<Body> {
    let mut r = Response::new(Body::from(v.to_string()));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    r
}

/// `head :ok` in a JSON-format controller: 200, `Content-Type: application/json`
/// (no charset) and an empty body, which a client must not try to parse.
pub fn head_ok() -> Response<Body> {
    let mut r = Response::new(Body::empty());
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// The public exceptions app's body: `{"status":404,"error":"Not Found"}`.
pub fn status_error(status: StatusCode) -> Response<Body> {
    let reason = status.canonical_reason().unwrap_or("Unknown");
    json_status(status, &json!({"status": status.as_u16(), "error": reason}))
}

/// Rack::Attack's throttled answer.
pub fn rate_limited() -> Response<Body> {
    let mut r = Response::new(Body::from("Retry later\n"));
    *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    r
}

/// Every way a public request can fail.
#[derive(Debug)]
pub enum ApiError {
    /// `RecordNotFound`, or no route.
    NotFound,
    /// Unparsable body or path (`ActionController::BadRequest`).
    BadRequest,
    /// `RecordInvalid`, rendered by `RequestExceptionHandler`.
    Invalid(Vec<FieldError>),
    /// A body over the devserver's size cap.
    TooLarge,
    /// The explicit CSAT 422.
    CsatLocked,
    /// Anything unhandled: HMAC failure, failed message update.
    Internal,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response<Body> {
        match self {
            ApiError::NotFound => status_error(StatusCode::NOT_FOUND),
            ApiError::BadRequest => status_error(StatusCode::BAD_REQUEST),
            ApiError::Internal => status_error(StatusCode::INTERNAL_SERVER_ERROR),
            ApiError::TooLarge => status_error(StatusCode::PAYLOAD_TOO_LARGE),
            ApiError::CsatLocked => json_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &json!({"error": "You cannot update the CSAT survey after 14 days"}),
            ),
            ApiError::Invalid(errors) => {
                let message: Vec<&str> = errors.iter().map(|e| e.full_message.as_str()).collect();
                let mut attributes: Vec<&str> = Vec::new();
                for e in &errors {
                    if !attributes.contains(&e.attribute) {
                        attributes.push(e.attribute);
                    }
                }
                json_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &json!({"message": message.join(", "), "attributes": attributes}),
                )
            }
        }
    }
}

pub type ApiResult = Result<Response<Body>, ApiError>;
