//! `/cable`: ActionCable 7.1's protocol (`actioncable-v1-json`) on a WebSocket, with
//! Chatwoot's one channel, `RoomChannel` (reference §6). This module is the
//! connection: the handshake, `welcome`, pings, and each frame handed to the hub
//! ([`crate::hub`]), which knows the subscriptions.
//!
//! As Rails does: no origin check and no authentication at connect; a subscription is
//! registered (and streams from its token) before `subscribed` runs, so one whose
//! token matches no session stays registered, unconfirmed and silent, and a second
//! `subscribe` with the same identifier on that socket is ignored. Malformed commands
//! are ignored (Rails logs them).

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use futures_util::{SinkExt, StreamExt};
use hyper::body::Incoming;
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio::time::{interval_at, Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::app::{App, AppRef};
use crate::hub::Out;
use crate::time;

/// ActionCable's heartbeat: a `ping` every 3 seconds.
pub const PING_INTERVAL: Duration = Duration::from_secs(3);
/// `ActionCable::INTERNAL[:protocols]`; the server takes the first one the client
/// offers that is in this list.
const PROTOCOLS: [&str; 2] = ["actioncable-v1-json", "actioncable-unsupported"];
/// How long a `server_restart` disconnect waits for the client's close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// A JSON value as the frame's text.
fn text(v: &Value) -> String {
    v.to_string()
}

// ----- commands ------------------------------------------------------------------

/// `Subscriptions#execute_command`. Anything malformed is ignored, as Rails only
/// logs it.
fn command(app: &App, socket_id: u64, frame: &str) {
    let Ok(Value::Object(data)) = serde_json::from_str::<Value>(frame) else {
        return;
    };
    let Some(Value::String(identifier)) = data.get("identifier") else {
        return;
    };
    match data.get("command").and_then(Value::as_str) {
        Some("subscribe") => app.hub().subscribe(&app.model(), socket_id, identifier),
        Some("unsubscribe") => app.hub().unsubscribe(socket_id, identifier),
        Some("message") => app
            .hub()
            .perform(&app.model(), socket_id, identifier, data.get("data")),
        _ => {}
    }
}

// ----- the connection --------------------------------------------------------------

fn header_has_token(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

/// The subprotocol to answer with: the first offered one ActionCable knows.
fn pick_protocol(headers: &HeaderMap) -> Option<&'static str> {
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|offered| PROTOCOLS.into_iter().find(|p| *p == offered.trim()))
}

/// ActionCable's answer to anything that is not a WebSocket handshake.
fn not_websocket() -> Response<Body> {
    let mut r = Response::new(Body::from("Page not found"));
    *r.status_mut() = StatusCode::NOT_FOUND;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// Answer a request to `/cable`: 101 and a socket task for a WebSocket handshake,
/// ActionCable's 404 otherwise.
pub fn upgrade(app: AppRef, mut req: Request<Incoming>) -> Response<Body> {
    let headers = req.headers();
    let handshake = req.method() == Method::GET
        && header_has_token(headers, header::CONNECTION, "upgrade")
        && header_has_token(headers, header::UPGRADE, "websocket");
    let Some(key) = headers.get(header::SEC_WEBSOCKET_KEY).filter(|_| handshake) else {
        return not_websocket();
    };
    let accept = derive_accept_key(key.as_bytes());
    let protocol = pick_protocol(headers);
    let base_url = crate::public::ctx(&app, headers).base_url;
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = r.headers_mut();
    h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    h.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
    if let Ok(v) = HeaderValue::from_str(&accept) {
        h.insert(header::SEC_WEBSOCKET_ACCEPT, v);
    }
    if let Some(p) = protocol {
        h.insert(header::SEC_WEBSOCKET_PROTOCOL, HeaderValue::from_static(p));
    }
    tokio::spawn(async move {
        if let Ok(upgraded) = hyper::upgrade::on(&mut req).await {
            run(app, upgraded, base_url).await;
        }
    });
    r
}

/// One connection: `welcome`, then hub output, client commands and pings until
/// either side ends it.
async fn run(app: AppRef, upgraded: Upgraded, base_url: String) {
    // Our connections are plain TCP; taking the stream back lets a drop reset it.
    let Ok(parts) = upgraded.downcast::<TokioIo<TcpStream>>() else {
        return;
    };
    let tcp = parts.io.into_inner();
    let mut ws =
        WebSocketStream::from_partially_read(tcp, parts.read_buf.to_vec(), Role::Server, None)
            .await;
    let (id, mut rx) = app.hub().open(base_url);
    let mut pings = interval_at(Instant::now() + PING_INTERVAL, PING_INTERVAL);
    pings.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Out::Text(t)) => {
                    if ws.send(Message::text(t)).await.is_err() {
                        break;
                    }
                }
                Some(Out::Restart) => {
                    let bye = json!({"type": "disconnect", "reason": "server_restart", "reconnect": true});
                    let _ = ws.send(Message::text(text(&bye))).await;
                    let frame = CloseFrame { code: CloseCode::Normal, reason: "".into() };
                    let _ = ws.close(Some(frame)).await;
                    // Let the client answer the close, then hang up.
                    let _ = tokio::time::timeout(CLOSE_GRACE, async {
                        while let Some(Ok(_)) = ws.next().await {}
                    })
                    .await;
                    break;
                }
                // Dropped by the control API (or the hub forgot us): hang up hard.
                Some(Out::Drop) | None => {
                    let _ = ws.get_ref().set_zero_linger();
                    break;
                }
            },
            frame = ws.next() => match frame {
                Some(Ok(Message::Text(t))) => command(&app, id, t.as_str()),
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                // Binary frames fail ActionCable's JSON decode; pings are answered by
                // the protocol layer.
                Some(Ok(_)) => {}
            },
            _ = pings.tick() => {
                if !app.hub().pings_paused() {
                    let ping = json!({"type": "ping", "message": time::secs(time::now_ms())});
                    if ws.send(Message::text(text(&ping))).await.is_err() {
                        break;
                    }
                }
            }
        }
    }
    app.hub().remove(id);
}
