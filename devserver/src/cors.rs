//! CORS as rack-cors 2.0 sends it for Chatwoot's `resource '/public/api/*', headers:
//! :any, methods: :any` with `origins '*'` (reference §8): public, no credentials, no
//! exposed headers, answered outermost so errors carry it too.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response};

/// rack-cors' `methods: :any`, in its order.
const ALLOW_METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const MAX_AGE: &str = "7200";

/// Paths the CORS rules cover. ActiveStorage URLs are not covered on a real server
/// (load them with `<img>`, not `fetch`), so the devserver leaves them out as well;
/// everything else, the control API and unknown paths included, is covered.
pub fn covers(path: &str) -> bool {
    // The application API is not CORS-enabled either on a production server (only an
    // API-only install, `CW_API_ONLY_SERVER`, opens every path): it is for servers.
    !path.starts_with("/rails/") && !path.starts_with("/api/")
}

/// A preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
pub fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::OPTIONS
        && headers.contains_key(header::ORIGIN)
        && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// rack-cors answers a preflight itself: 200, empty, with the allow headers when the
/// requested method is one it allows (with `methods: :any`, all of the usual ones).
pub fn preflight(headers: &HeaderMap) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    let requested = headers
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_uppercase();
    if !ALLOW_METHODS.split(", ").any(|m| m == requested) {
        return r;
    }
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOW_METHODS),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static(MAX_AGE),
    );
    if let Some(req_headers) = headers.get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, req_headers.clone());
    }
    r
}

/// Headers rack-cors adds to an actual response: the allow headers when the request
/// had an `Origin`, and `Vary: Origin` on every response of a covered path.
pub fn decorate(request_headers: &HeaderMap, response: &mut Response<Body>) {
    let h = response.headers_mut();
    if request_headers.contains_key(header::ORIGIN) {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(MAX_AGE),
        );
    }
    let vary = match h.get(header::VARY).and_then(|v| v.to_str().ok()) {
        Some(existing)
            if existing
                .split(',')
                .any(|p| p.trim().eq_ignore_ascii_case("origin")) =>
        {
            None
        }
        Some(existing) => HeaderValue::from_str(&format!("{existing}, Origin")).ok(),
        None => Some(HeaderValue::from_static("Origin")),
    };
    if let Some(v) = vary {
        h.insert(header::VARY, v);
    }
}
