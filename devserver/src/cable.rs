//! `/cable`: ActionCable 7.1's protocol (`actioncable-v1-json`) on a WebSocket, with
//! Chatwoot's one channel, `RoomChannel` (reference §6). The hub knows every open
//! socket and its subscriptions; state changes are rendered and queued to sockets
//! while the model is still locked ([`Hub::publish`], called by `Model::emit`), so
//! each socket gets events in the order the changes happened.
//!
//! As Rails does: no origin check and no authentication at connect; a subscription is
//! registered (and streams from its token) before `subscribed` runs, so one whose
//! token matches no session stays registered, unconfirmed and silent, and a second
//! `subscribe` with the same identifier on that socket is ignored. Malformed commands
//! are ignored (Rails logs them).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use futures_util::{SinkExt, StreamExt};
use hyper::body::Incoming;
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{interval_at, Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::app::{App, AppRef};
use crate::json::Ctx;
use crate::push;
use crate::state::{is_blank, Event, Model};
use crate::time;

/// ActionCable's heartbeat: a `ping` every 3 seconds.
pub const PING_INTERVAL: Duration = Duration::from_secs(3);
/// `ActionCable::INTERNAL[:protocols]`; the server takes the first one the client
/// offers that is in this list.
const PROTOCOLS: [&str; 2] = ["actioncable-v1-json", "actioncable-unsupported"];
/// How long a `server_restart` disconnect waits for the client's close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// What the hub tells a socket's task.
enum Out {
    /// A text frame.
    Text(String),
    /// Close the TCP connection at once: no close frame, no `disconnect` message
    /// (reset, so the peer sees the connection die as on a network failure).
    Drop,
    /// `{"type":"disconnect","reason":"server_restart","reconnect":true}`, a close
    /// frame, then close.
    Restart,
}

struct Subscription {
    /// The identifier string exactly as the client sent it.
    identifier: String,
    /// What `stream_from` was given (`String(params[:pubsub_token])`); broadcasts
    /// to it reach this subscription even when `subscribed` then failed.
    token: String,
    /// `confirm_subscription` was sent: the token belongs to a contact session.
    confirmed: bool,
}

struct Socket {
    opened_at: i64,
    /// `http://{Host of the upgrade request}`, for attachment links in payloads.
    base_url: String,
    tx: mpsc::UnboundedSender<Out>,
    subscriptions: Vec<Subscription>,
}

#[derive(Default)]
struct HubState {
    next_id: u64,
    pings_paused: bool,
    sockets: BTreeMap<u64, Socket>,
}

impl HubState {
    /// `ActionCable.server.broadcast(token, payload)`: to every subscription streaming
    /// from `token`, as `{"identifier":…,"message":…}`.
    fn broadcast(&self, token: &str, payload: &str) {
        for socket in self.sockets.values() {
            for sub in socket.subscriptions.iter().filter(|s| s.token == token) {
                let _ = socket
                    .tx
                    .send(Out::Text(event_frame(&sub.identifier, payload)));
            }
        }
    }
}

/// Every open `/cable` connection.
#[derive(Default)]
pub struct Hub {
    state: Mutex<HubState>,
}

fn text(v: &Value) -> String {
    v.to_string()
}

fn event_frame(identifier: &str, payload: &str) -> String {
    format!(
        "{{\"identifier\":{},\"message\":{payload}}}",
        text(&Value::String(identifier.to_owned()))
    )
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, HubState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Render `event` for the sockets subscribed to its tokens and queue it to them.
    /// Called with the model locked, right where the change happened.
    pub fn publish(&self, m: &Model, event: &Event) {
        let tokens = push::targets(m, event);
        if tokens.is_empty() {
            return;
        }
        let st = self.lock();
        // One rendering per distinct host the sockets connected with.
        let mut rendered: HashMap<&str, Option<String>> = HashMap::new();
        for token in &tokens {
            for socket in st.sockets.values() {
                for sub in socket.subscriptions.iter().filter(|s| &s.token == token) {
                    let payload = rendered.entry(socket.base_url.as_str()).or_insert_with(|| {
                        let ctx = Ctx {
                            base_url: socket.base_url.clone(),
                        };
                        push::render(m, event, &ctx).map(|v| text(&v))
                    });
                    if let Some(p) = payload {
                        let _ = socket.tx.send(Out::Text(event_frame(&sub.identifier, p)));
                    }
                }
            }
        }
    }

    fn open(&self, base_url: String) -> (u64, mpsc::UnboundedReceiver<Out>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = tx.send(Out::Text(text(&json!({"type": "welcome"}))));
        let mut st = self.lock();
        st.next_id += 1;
        let id = st.next_id;
        st.sockets.insert(
            id,
            Socket {
                opened_at: time::now_ms(),
                base_url,
                tx,
                subscriptions: Vec::new(),
            },
        );
        (id, rx)
    }

    fn remove(&self, id: u64) {
        self.lock().sockets.remove(&id);
    }

    pub fn set_pings_paused(&self, paused: bool) {
        self.lock().pings_paused = paused;
    }

    fn pings_paused(&self) -> bool {
        self.lock().pings_paused
    }

    /// Take up to `count` (all when `None`) open sockets, oldest first, that have a
    /// subscription to `token` (any socket when `None`), out of the hub and tell
    /// their tasks `how` to end. Returns how many.
    fn end(&self, token: Option<&str>, count: Option<usize>, how: fn() -> Out) -> usize {
        let mut st = self.lock();
        let ids: Vec<u64> = st
            .sockets
            .iter()
            .filter(|(_, s)| token.is_none_or(|t| s.subscriptions.iter().any(|x| x.token == t)))
            .map(|(id, _)| *id)
            .take(count.unwrap_or(usize::MAX))
            .collect();
        for id in &ids {
            if let Some(s) = st.sockets.remove(id) {
                let _ = s.tx.send(how());
            }
        }
        ids.len()
    }

    /// Close sockets abruptly (TCP reset, no close frame, no `disconnect`).
    pub fn drop_sockets(&self, token: Option<&str>, count: Option<usize>) -> usize {
        self.end(token, count, || Out::Drop)
    }

    /// Close sockets as a server restart does: `disconnect` then a close frame.
    pub fn restart_sockets(&self, token: Option<&str>, count: Option<usize>) -> usize {
        self.end(token, count, || Out::Restart)
    }

    /// `presence.update` to every token a socket holds a confirmed subscription to.
    pub fn broadcast_presence(&self, m: &Model) {
        let payload = text(&push::presence(m));
        let st = self.lock();
        let mut tokens: Vec<&str> = Vec::new();
        for socket in st.sockets.values() {
            for sub in socket.subscriptions.iter().filter(|s| s.confirmed) {
                if !tokens.contains(&sub.token.as_str()) {
                    tokens.push(&sub.token);
                }
            }
        }
        for token in tokens {
            st.broadcast(token, &payload);
        }
    }

    /// The control API's view of the open sockets.
    pub fn list(&self) -> Value {
        let st = self.lock();
        let sockets: Vec<Value> = st
            .sockets
            .iter()
            .map(|(id, s)| {
                let subs: Vec<Value> = s
                    .subscriptions
                    .iter()
                    .map(|x| {
                        json!({
                            "identifier": x.identifier,
                            "pubsubToken": x.token,
                            "confirmed": x.confirmed,
                        })
                    })
                    .collect();
                json!({ "id": id, "openedAt": s.opened_at, "subscriptions": subs })
            })
            .collect();
        Value::Array(sockets)
    }
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
        Some("subscribe") => subscribe(app, socket_id, identifier),
        Some("unsubscribe") => unsubscribe(app, socket_id, identifier),
        Some("message") => perform(app, socket_id, identifier, data.get("data")),
        _ => {}
    }
}

/// `String(value)` as Ruby would turn a decoded JSON value into a stream name.
fn ruby_string(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `Subscriptions#add` and `RoomChannel#subscribed`.
fn subscribe(app: &App, socket_id: u64, identifier: &str) {
    let Ok(Value::Object(params)) = serde_json::from_str::<Value>(identifier) else {
        return;
    };
    let m = app.model();
    let mut st = app.hub().lock();
    let Some(socket) = st.sockets.get_mut(&socket_id) else {
        return;
    };
    // `return if subscriptions.key?(id_key)`: confirmed or failed alike.
    if socket
        .subscriptions
        .iter()
        .any(|s| s.identifier == identifier)
    {
        return;
    }
    // "Subscription class not found": nothing registered.
    if params.get("channel").and_then(Value::as_str) != Some("RoomChannel") {
        return;
    }
    let token = ruby_string(params.get("pubsub_token"));
    // `params[:user_id]` present selects the agent path, which has no users here.
    let agent_path = params.get("user_id").is_some_and(|v| !value_blank(v));
    let valid = !agent_path
        && matches!(params.get("pubsub_token"), Some(Value::String(_)))
        && m.session_by_token(&token).is_some();
    socket.subscriptions.push(Subscription {
        identifier: identifier.to_owned(),
        token: token.clone(),
        confirmed: valid,
    });
    if !valid {
        // `find_by!` raised inside `subscribed`: logged, no confirm, no reject.
        return;
    }
    let _ = socket.tx.send(Out::Text(text(&json!({
        "identifier": identifier,
        "type": "confirm_subscription",
    }))));
    // The presence broadcast of `subscribed`. Upstream it can race the stream setup
    // and be lost; here it always follows the confirmation.
    st.broadcast(&token, &text(&push::presence(&m)));
}

/// `Object#blank?` for a decoded JSON value.
fn value_blank(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => is_blank(s),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// `Subscriptions#remove`: streams stop, nothing is sent.
fn unsubscribe(app: &App, socket_id: u64, identifier: &str) {
    let mut st = app.hub().lock();
    if let Some(socket) = st.sockets.get_mut(&socket_id) {
        socket.subscriptions.retain(|s| s.identifier != identifier);
    }
}

/// `Subscriptions#perform_action`: `data` must be a JSON *string* holding an object
/// (an object fails `ActiveSupport::JSON.decode`); the only action is
/// `update_presence`, a no-op on a failed subscription.
fn perform(app: &App, socket_id: u64, identifier: &str, data: Option<&Value>) {
    let Some(Value::String(raw)) = data else {
        return;
    };
    let Ok(Value::Object(payload)) = serde_json::from_str::<Value>(raw) else {
        return;
    };
    if payload.get("action").and_then(Value::as_str) != Some("update_presence") {
        return;
    }
    let m = app.model();
    let st = app.hub().lock();
    let Some(sub) = st
        .sockets
        .get(&socket_id)
        .and_then(|s| s.subscriptions.iter().find(|x| x.identifier == identifier))
    else {
        return;
    };
    if sub.confirmed {
        let token = sub.token.clone();
        st.broadcast(&token, &text(&push::presence(&m)));
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
