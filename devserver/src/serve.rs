//! The HTTP edge: a manual hyper accept loop (so a fault can drop a connection with no
//! answer, and so `/cable` can upgrade connections to WebSockets), the request log,
//! armed faults, Rails-style path normalisation and CORS around the axum router.

use std::fmt;
use std::time::Duration;

use axum::body::Body;
use axum::http::uri::PathAndQuery;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode, Uri};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::app::AppRef;
use crate::cors;
use crate::faults::FaultKind;
use crate::reply::{json_status, rate_limited, status_error};
use crate::reqlog::LoggedRequest;

/// Returned by the service to make hyper close the connection without writing a
/// response: the `reset` fault.
#[derive(Debug)]
pub struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose (reset fault)")
    }
}

impl std::error::Error for DropConnection {}

pub async fn accept_loop(listener: TcpListener, app: AppRef, router: Router) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: back off instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let router = router.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(app.clone(), router.clone(), req));
            // Errors here are client disconnects and our own resets: nothing to do.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades()
                .await;
        });
    }
}

/// The public API and the application API: logged, and where faults fire.
fn is_public(path: &str) -> bool {
    path == "/public/api" || path.starts_with("/public/api/") || path.starts_with("/api/v1/")
}

async fn handle(
    app: AppRef,
    router: Router,
    req: Request<Incoming>,
) -> Result<Response<Body>, DropConnection> {
    let raw = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    let headers = req.headers().clone();
    let public = is_public(&path);
    if public {
        app.log().push(LoggedRequest {
            method: method.as_str().to_owned(),
            path: raw.clone(),
            headers: flatten_headers(&headers),
        });
    }
    // ActionCable's mount: `/cable` and anything below it.
    if rails_path(&path).is_some_and(|p| p == "/cable" || p.starts_with("/cable/")) {
        return Ok(crate::cable::upgrade(app, req));
    }
    let covered = cors::covers(&path);
    // rack-cors sits outermost and answers preflights before anything else.
    if covered && cors::is_preflight(&method, &headers) {
        return Ok(cors::preflight(&headers));
    }
    let mut canned = None;
    let mut delay = None;
    let mut rate = None;
    if public && method != Method::OPTIONS {
        let fault = app.faults().take(method.as_str(), &raw);
        match fault {
            None => {}
            Some(FaultKind::Reset) => return Err(DropConnection),
            Some(FaultKind::Delay(d)) => delay = Some(d),
            Some(FaultKind::SlowUpload(bytes_per_second)) => rate = Some(bytes_per_second),
            Some(FaultKind::Status(code)) => {
                let status =
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                canned = Some(status_error(status));
            }
            Some(FaultKind::RateLimit { retry_after }) => {
                let mut r = rate_limited();
                if let Some(secs) = retry_after {
                    let h = r.headers_mut();
                    h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
                    h.insert(
                        header::ACCESS_CONTROL_EXPOSE_HEADERS,
                        HeaderValue::from_static("Retry-After"),
                    );
                }
                canned = Some(r);
            }
            Some(FaultKind::Body {
                status,
                content_type,
                bytes,
            }) => {
                let mut r = Response::new(Body::from(bytes));
                *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                if let Ok(v) = HeaderValue::from_str(&content_type) {
                    r.headers_mut().insert(header::CONTENT_TYPE, v);
                }
                canned = Some(r);
            }
            Some(FaultKind::Malformed) => {
                let mut r = Response::new(Body::from(r#"{"id": 1, "content": "tru"#));
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json; charset=utf-8"),
                );
                canned = Some(r);
            }
        }
    }
    let mut response = match canned {
        Some(r) => r,
        None => process(router, req, delay, rate).await,
    };
    if covered {
        cors::decorate(&headers, &mut response);
    }
    Ok(response)
}

/// Header names lower-cased (hyper already does), repeated headers joined.
fn flatten_headers(headers: &axum::http::HeaderMap) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let v = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match out.iter_mut().find(|(n, _)| n == name.as_str()) {
            Some((_, existing)) => {
                existing.push_str(", ");
                existing.push_str(&v);
            }
            None => out.push((name.as_str().to_owned(), v)),
        }
    }
    out
}

/// The path as Rails' router sees it: repeated slashes squeezed and a trailing slash
/// dropped (Journey's `normalize_path`); under `/public/api` a `.` ends a dynamic
/// segment (`[^/.?]+`), so in the last segment it starts a format suffix that is cut
/// off, and anywhere else the route cannot match (`None`).
pub fn rails_path(path: &str) -> Option<String> {
    let mut squeezed = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '/' && squeezed.ends_with('/') {
            continue;
        }
        squeezed.push(c);
    }
    while squeezed.len() > 1 && squeezed.ends_with('/') {
        squeezed.pop();
    }
    if !is_public(&squeezed) {
        return Some(squeezed);
    }
    let (head, last) = squeezed.rsplit_once('/')?;
    if head.contains('.') {
        return None;
    }
    match last.split_once('.') {
        None => Some(squeezed),
        Some(("", _)) => None,
        Some((stem, _format)) => Some(format!("{head}/{stem}")),
    }
}

/// Handles a request to completion even if its client goes away meanwhile, as a Rails
/// server does: a client that timed out cannot un-send its message. The body is read
/// first (at `rate` bytes per second under a `slow_upload` fault); a `delay` fault then
/// holds the request before it is handled.
async fn process(
    router: Router,
    req: Request<Incoming>,
    delay: Option<Duration>,
    rate: Option<u64>,
) -> Response<Body> {
    use http_body_util::BodyExt;
    let (parts, mut body) = req.into_parts();
    let mut bytes = Vec::new();
    let started = tokio::time::Instant::now();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return status_error(StatusCode::BAD_REQUEST);
        };
        if let Ok(data) = frame.into_data() {
            bytes.extend_from_slice(&data);
        }
        if let Some(rate) = rate {
            // Not reading is what slows the sender: TCP's window fills up.
            let due = Duration::from_secs_f64(bytes.len() as f64 / rate as f64);
            tokio::time::sleep_until(started + due).await;
        }
    }
    let req = Request::from_parts(parts, Body::from(bytes));
    let task = tokio::spawn(async move {
        if let Some(d) = delay {
            tokio::time::sleep(d).await;
        }
        route(router, req).await
    });
    task.await
        .unwrap_or_else(|_| status_error(StatusCode::INTERNAL_SERVER_ERROR))
}

async fn route(router: Router, req: Request<Body>) -> Response<Body> {
    let (mut parts, body) = req.into_parts();
    let Some(path) = rails_path(parts.uri.path()) else {
        return status_error(StatusCode::NOT_FOUND);
    };
    if path != parts.uri.path() {
        let pq = match parts.uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        let mut uri_parts = parts.uri.clone().into_parts();
        uri_parts.path_and_query = PathAndQuery::from_maybe_shared(pq).ok();
        match Uri::from_parts(uri_parts) {
            Ok(uri) => parts.uri = uri,
            Err(_) => {
                return json_status(
                    StatusCode::BAD_REQUEST,
                    &serde_json::json!({"status": 400, "error": "Bad Request"}),
                )
            }
        }
    }
    let req = Request::from_parts(parts, Body::new(body));
    match router.oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::rails_path;

    #[test]
    fn normalises_like_journey() {
        assert_eq!(rails_path("/a//b/").as_deref(), Some("/a/b"));
        assert_eq!(rails_path("/").as_deref(), Some("/"));
        assert_eq!(
            rails_path("/public/api/v1/inboxes/x/contacts/abc.json").as_deref(),
            Some("/public/api/v1/inboxes/x/contacts/abc")
        );
        assert_eq!(
            rails_path("/public/api/v1/inboxes/x/contacts/a.b/conversations"),
            None
        );
        assert_eq!(
            rails_path("/public/api/v1/inboxes/x/contacts/a%2Eb").as_deref(),
            Some("/public/api/v1/inboxes/x/contacts/a%2Eb")
        );
    }
}
