//! The hub of `/cable`: every open socket and its subscriptions, Chatwoot's one
//! channel (`RoomChannel`: subscribe, unsubscribe, `update_presence`), and the
//! rendering of state changes for the sockets subscribed to them. Changes are
//! rendered and queued while the model is still locked ([`Hub::publish`], called by
//! `Model::emit` through [`Listener`]), so each socket gets events in the order the
//! changes happened. Lock order: the model before the hub.
//!
//! As Rails does: a subscription is registered (and streams from its token) before
//! `subscribed` runs, so one whose token matches no session stays registered,
//! unconfirmed and silent, and a second `subscribe` with the same identifier on that
//! socket is ignored.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::body::value_blank;
use crate::json::Ctx;
use crate::push;
use crate::state::{Event, Listener, Model};
use crate::time;

/// What the hub tells a socket's task.
pub enum Out {
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

    pub fn open(&self, base_url: String) -> (u64, mpsc::UnboundedReceiver<Out>) {
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

    pub fn remove(&self, id: u64) {
        self.lock().sockets.remove(&id);
    }

    pub fn set_pings_paused(&self, paused: bool) {
        self.lock().pings_paused = paused;
    }

    pub fn pings_paused(&self) -> bool {
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

    /// `Subscriptions#add` and `RoomChannel#subscribed`.
    pub fn subscribe(&self, m: &Model, socket_id: u64, identifier: &str) {
        let Ok(Value::Object(params)) = serde_json::from_str::<Value>(identifier) else {
            return;
        };
        let mut st = self.lock();
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
        st.broadcast(&token, &text(&push::presence(m)));
    }

    /// `Subscriptions#remove`: streams stop, nothing is sent.
    pub fn unsubscribe(&self, socket_id: u64, identifier: &str) {
        let mut st = self.lock();
        if let Some(socket) = st.sockets.get_mut(&socket_id) {
            socket.subscriptions.retain(|s| s.identifier != identifier);
        }
    }

    /// `Subscriptions#perform_action`: `data` must be a JSON *string* holding an object
    /// (an object fails `ActiveSupport::JSON.decode`); the only action is
    /// `update_presence`, a no-op on a failed subscription.
    pub fn perform(&self, m: &Model, socket_id: u64, identifier: &str, data: Option<&Value>) {
        let Some(Value::String(raw)) = data else {
            return;
        };
        let Ok(Value::Object(payload)) = serde_json::from_str::<Value>(raw) else {
            return;
        };
        if payload.get("action").and_then(Value::as_str) != Some("update_presence") {
            return;
        }
        let st = self.lock();
        let Some(sub) = st
            .sockets
            .get(&socket_id)
            .and_then(|s| s.subscriptions.iter().find(|x| x.identifier == identifier))
        else {
            return;
        };
        if sub.confirmed {
            let token = sub.token.clone();
            st.broadcast(&token, &text(&push::presence(m)));
        }
    }
}

impl Listener for Hub {
    fn publish(&self, m: &Model, event: &Event) {
        Hub::publish(self, m, event);
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
