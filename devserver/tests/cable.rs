//! `/cable` over real sockets: the ActionCable handshake and frames, RoomChannel's
//! subscription rules, which events reach which contact, and the socket hooks of the
//! control API.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long "nothing arrives" is watched for.
const QUIET: Duration = Duration::from_millis(400);

async fn connect_with(addr: SocketAddr, protocols: Option<&str>) -> (Ws, Option<String>) {
    let mut req = format!("ws://{addr}/cable")
        .into_client_request()
        .expect("request");
    if let Some(p) = protocols {
        req.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_str(p).expect("header"),
        );
    }
    let (ws, resp) = connect_async(req).await.expect("websocket handshake");
    let protocol = resp
        .headers()
        .get("sec-websocket-protocol")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (ws, protocol)
}

/// A socket as the official client opens it, past its `welcome`.
async fn connect(addr: SocketAddr) -> Ws {
    let (mut ws, protocol) =
        connect_with(addr, Some("actioncable-v1-json, actioncable-unsupported")).await;
    assert_eq!(protocol.as_deref(), Some("actioncable-v1-json"));
    assert_eq!(next_text(&mut ws).await, r#"{"type":"welcome"}"#);
    ws
}

/// The next text frame that is not a ping.
async fn next_text(ws: &mut Ws) -> String {
    let deadline = Duration::from_secs(5);
    loop {
        let frame = tokio::time::timeout(deadline, ws.next())
            .await
            .expect("a frame in time")
            .expect("socket open")
            .expect("no error");
        if let Message::Text(t) = frame {
            let t = t.as_str().to_owned();
            if !t.starts_with(r#"{"type":"ping""#) {
                return t;
            }
        }
    }
}

async fn next_json(ws: &mut Ws) -> Value {
    serde_json::from_str(&next_text(ws).await).expect("JSON frame")
}

/// The next event's `message` (`{"event":…,"data":…}`).
async fn next_event(ws: &mut Ws) -> Value {
    let v = next_json(ws).await;
    assert!(v.get("identifier").is_some(), "not an event frame: {v}");
    v["message"].clone()
}

/// Nothing but pings for a while.
async fn assert_quiet(ws: &mut Ws) {
    let end = tokio::time::Instant::now() + QUIET;
    loop {
        match tokio::time::timeout_at(end, ws.next()).await {
            Err(_) => return,
            Ok(Some(Ok(Message::Text(t)))) if t.as_str().starts_with(r#"{"type":"ping""#) => {}
            Ok(other) => panic!("expected silence, got {other:?}"),
        }
    }
}

fn identifier(token: &str) -> String {
    json!({"channel": "RoomChannel", "pubsub_token": token}).to_string()
}

async fn send(ws: &mut Ws, v: Value) {
    ws.send(Message::text(v.to_string())).await.expect("send");
}

async fn subscribe_raw(ws: &mut Ws, identifier: &str) {
    send(
        ws,
        json!({"command": "subscribe", "identifier": identifier}),
    )
    .await;
}

/// Subscribe with a valid token: confirmation, then the subscribe's presence.
async fn subscribe(ws: &mut Ws, token: &str) -> String {
    let id = identifier(token);
    subscribe_raw(ws, &id).await;
    let confirm = next_json(ws).await;
    assert_eq!(
        confirm,
        json!({"identifier": id, "type": "confirm_subscription"})
    );
    let presence = next_event(ws).await;
    assert_eq!(presence["event"], "presence.update");
    id
}

/// A session with a conversation and a subscribed socket.
struct Contact {
    source: String,
    token: String,
    display_id: i64,
    ws: Ws,
}

async fn contact(addr: SocketAddr) -> Contact {
    let s = new_session(addr, &json!({})).await;
    let source = s["source_id"].as_str().expect("source").to_owned();
    let token = s["pubsub_token"].as_str().expect("token").to_owned();
    let mut ws = connect(addr).await;
    subscribe(&mut ws, &token).await;
    let c = post(
        addr,
        &format!("{}/conversations", contact_path(&source)),
        &json!({}),
    )
    .await;
    assert_eq!(c.status, 200);
    let display_id = c.json()["id"].as_i64().expect("display id");
    let created = next_event(&mut ws).await;
    assert_eq!(created["event"], "conversation.created");
    Contact {
        source,
        token,
        display_id,
        ws,
    }
}

async fn agent_says(addr: SocketAddr, display_id: i64, body: Value) -> Value {
    let r = post(
        addr,
        &format!("/__devserver/conversations/{display_id}/messages"),
        &body,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn is_iso_ms(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 24 && s.as_bytes()[10] == b'T' && s.as_bytes()[19] == b'.' && s.ends_with('Z')
    })
}

#[tokio::test]
async fn handshake_protocols_and_plain_get() {
    let s = server().await;
    // Offering no subprotocol works, and none is answered.
    let (mut ws, protocol) = connect_with(s.addr(), None).await;
    assert_eq!(protocol, None);
    assert_eq!(next_text(&mut ws).await, r#"{"type":"welcome"}"#);
    // Only the unsupported marker: ActionCable picks it (the JS client then gives up).
    let (_ws, protocol) = connect_with(s.addr(), Some("actioncable-unsupported")).await;
    assert_eq!(protocol.as_deref(), Some("actioncable-unsupported"));
    // Not a WebSocket handshake: ActionCable's 404.
    let r = get(s.addr(), "/cable").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.text(), "Page not found");
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
}

#[tokio::test]
async fn confirm_echoes_identifier_and_presence_follows() {
    let s = server().await;
    let session = new_session(s.addr(), &json!({})).await;
    let token = session["pubsub_token"].as_str().expect("token");
    let mut ws = connect(s.addr()).await;
    // Unusual spacing and key order must come back byte for byte.
    let id = format!("{{ \"pubsub_token\" : \"{token}\",\"channel\":\"RoomChannel\" }}");
    subscribe_raw(&mut ws, &id).await;
    let confirm = next_text(&mut ws).await;
    assert_eq!(
        confirm,
        format!(
            r#"{{"identifier":{},"type":"confirm_subscription"}}"#,
            serde_json::to_string(&id).expect("json")
        )
    );
    let presence = next_json(&mut ws).await;
    assert_eq!(
        presence,
        json!({"identifier": id, "message": {"event": "presence.update",
              "data": {"account_id": 1, "users": {"1": "online"}}}})
    );
    assert_eq!(
        keys(&presence),
        ["identifier", "message"],
        "frame key order"
    );
    // A duplicate subscribe of a confirmed identifier is ignored too.
    subscribe_raw(&mut ws, &id).await;
    assert_quiet(&mut ws).await;
}

#[tokio::test]
async fn invalid_token_is_silent_and_stays_registered() {
    let s = server().await;
    let mut ws = connect(s.addr()).await;
    let bad = identifier("not-a-token");
    subscribe_raw(&mut ws, &bad).await;
    assert_quiet(&mut ws).await;
    // update_presence on the failed subscription does nothing.
    send(
        &mut ws,
        json!({"command": "message", "identifier": bad, "data": r#"{"action":"update_presence"}"#}),
    )
    .await;
    // The agent path (`user_id`) has no users here: silent as well.
    let session = new_session(s.addr(), &json!({})).await;
    let token = session["pubsub_token"].as_str().expect("token").to_owned();
    let agent = json!({"channel": "RoomChannel", "pubsub_token": token, "user_id": 1}).to_string();
    subscribe_raw(&mut ws, &agent).await;
    // Unknown channel: not even registered.
    subscribe_raw(
        &mut ws,
        &json!({"channel": "NopeChannel", "pubsub_token": token}).to_string(),
    )
    .await;
    assert_quiet(&mut ws).await;
    let list = get(s.addr(), "/__devserver/sockets").await.json();
    let subs = list[0]["subscriptions"].as_array().expect("subscriptions");
    assert_eq!(subs.len(), 2, "{list}");
    assert_eq!(subs[0]["identifier"], bad.as_str());
    assert_eq!(subs[0]["pubsubToken"], "not-a-token");
    assert_eq!(subs[0]["confirmed"], false);
    assert_eq!(subs[1]["confirmed"], false);
    // Retrying the same identifier on this socket is ignored...
    subscribe_raw(&mut ws, &bad).await;
    assert_quiet(&mut ws).await;
    // ...while the valid identifier still works on it.
    subscribe(&mut ws, &token).await;
}

#[tokio::test]
async fn update_presence_needs_a_string_data() {
    let s = server().await;
    let session = new_session(s.addr(), &json!({})).await;
    let token = session["pubsub_token"].as_str().expect("token");
    let mut ws = connect(s.addr()).await;
    let id = subscribe(&mut ws, token).await;
    // `data` as an object fails ActionCable's decode (a Flutter SDK bug): ignored.
    send(
        &mut ws,
        json!({"command": "message", "identifier": id, "data": {"action": "update_presence"}}),
    )
    .await;
    // Unknown actions and commands are ignored too.
    send(
        &mut ws,
        json!({"command": "message", "identifier": id, "data": r#"{"action":"speak"}"#}),
    )
    .await;
    send(&mut ws, json!({"command": "dance", "identifier": id})).await;
    ws.send(Message::text("not json")).await.expect("send");
    assert_quiet(&mut ws).await;
    send(
        &mut ws,
        json!({"command": "message", "identifier": id, "data": r#"{"action":"update_presence"}"#}),
    )
    .await;
    let v = next_json(&mut ws).await;
    assert_eq!(v["identifier"], id.as_str());
    assert_eq!(
        v["message"],
        json!({"event": "presence.update", "data": {"account_id": 1, "users": {"1": "online"}}})
    );
}

#[tokio::test]
async fn first_ping_after_three_seconds() {
    let s = server().await;
    let mut ws = connect(s.addr()).await;
    let opened = Instant::now();
    let frame = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .expect("a ping in time")
        .expect("open")
        .expect("ok");
    let elapsed = opened.elapsed();
    let v: Value = serde_json::from_str(frame.to_text().expect("text")).expect("json");
    assert_eq!(keys(&v), ["type", "message"]);
    assert_eq!(v["type"], "ping");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let at = v["message"].as_i64().expect("unix seconds");
    assert!((now - at).abs() <= 2, "ping {at} vs now {now}");
    assert!(
        // Not before 3 s (less the socket's own setup); the upper bound only catches a
        // missing timer, with room for a loaded machine.
        elapsed >= Duration::from_millis(2500) && elapsed <= Duration::from_millis(8000),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn pings_can_be_paused() {
    let s = server().await;
    let mut ws = connect(s.addr()).await;
    let r = post(
        s.addr(),
        "/__devserver/sockets/pings",
        &json!({"paused": true}),
    )
    .await;
    assert_eq!(r.json(), json!({"paused": true}));
    // The 3-second tick passes without a ping.
    let silent = tokio::time::timeout(Duration::from_millis(3400), ws.next()).await;
    assert!(silent.is_err(), "got {silent:?}");
    post(
        s.addr(),
        "/__devserver/sockets/pings",
        &json!({"paused": false}),
    )
    .await;
    let frame = tokio::time::timeout(Duration::from_secs(4), ws.next())
        .await
        .expect("pings resume")
        .expect("open")
        .expect("ok");
    assert!(frame
        .to_text()
        .expect("text")
        .starts_with(r#"{"type":"ping""#));
    let r = post(
        s.addr(),
        "/__devserver/sockets/pings",
        &json!({"pause": true}),
    )
    .await;
    assert_eq!(r.status, 400, "unknown key");
}

#[tokio::test]
async fn own_message_comes_back_with_echo_id() {
    let s = server().await;
    let mut c = contact(s.addr()).await;
    let path = format!("{}/messages", conversation_path(&c.source, c.display_id));
    let r = post(
        s.addr(),
        &path,
        &json!({"content": "hi <there>", "echo_id": "tmp-1"}),
    )
    .await;
    assert_eq!(r.status, 200);
    let rest = r.json();
    let ev = next_event(&mut c.ws).await;
    assert_eq!(ev["event"], "message.created");
    let d = &ev["data"];
    assert_eq!(
        keys(d),
        [
            "id",
            "content",
            "account_id",
            "inbox_id",
            "conversation_id",
            "message_type",
            "created_at",
            "updated_at",
            "private",
            "status",
            "source_id",
            "content_type",
            "content_attributes",
            "sender_type",
            "sender_id",
            "external_source_ids",
            "additional_attributes",
            "processed_message_content",
            "sentiment",
            "conversation",
            "echo_id",
            "sender"
        ]
    );
    assert_eq!(d["id"], rest["id"]);
    assert_eq!(d["content"], "hi <there>");
    assert_eq!(d["echo_id"], "tmp-1");
    assert_eq!(d["conversation_id"], c.display_id);
    assert_eq!(d["message_type"], 0);
    assert_eq!(d["created_at"], rest["created_at"]);
    assert!(d["created_at"].is_i64());
    assert!(is_iso_ms(&d["updated_at"]), "{}", d["updated_at"]);
    assert_eq!(d["status"], "sent");
    assert_eq!(d["private"], false);
    assert_eq!(d["sender_type"], "Contact");
    assert_eq!(d["sender"]["type"], "contact");
    assert_eq!(d["account_id"], 1);
    assert_eq!(
        d["conversation"],
        json!({"assignee_id": null, "unread_count": 1,
               "last_activity_at": d["conversation"]["last_activity_at"],
               "contact_inbox": {"source_id": c.source}})
    );
    assert!(
        d.get("performer").is_none(),
        "contacts act without performer"
    );

    // Without an echo id there is no key; an agent's reply has the user as sender.
    post(s.addr(), &path, &json!({"content": "again"})).await;
    let d = next_event(&mut c.ws).await["data"].clone();
    assert!(d.get("echo_id").is_none());
    assert!(d.get("attachments").is_none());
}

#[tokio::test]
async fn attachments_in_push_data() {
    let s = server().await;
    let mut c = contact(s.addr()).await;
    let path = format!("{}/messages", conversation_path(&c.source, c.display_id));
    let mut body = Vec::new();
    body.extend_from_slice(
        b"--XyZ\r\nContent-Disposition: form-data; name=\"echo_id\"\r\n\r\ne-7\r\n\
          --XyZ\r\nContent-Disposition: form-data; name=\"attachments[]\"; filename=\"shot.png\"\r\n\
          Content-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ--\r\n",
    );
    let r = common::send(
        s.addr(),
        "POST",
        &path,
        &[("Content-Type", "multipart/form-data; boundary=XyZ")],
        &body,
    )
    .await
    .expect("an answer");
    assert_eq!(r.status, 200, "{}", r.text());
    let d = next_event(&mut c.ws).await["data"].clone();
    assert_eq!(d["content"], Value::Null);
    assert_eq!(d["echo_id"], "e-7");
    let k = keys(&d);
    assert_eq!(k[k.len() - 3..], ["echo_id", "attachments", "sender"]);
    let a = &d["attachments"][0];
    assert_eq!(a["file_type"], "image");
    assert_eq!(a["message_id"], d["id"]);
    assert_eq!(a["extension"], "png");
    let url = a["data_url"].as_str().expect("data_url");
    let prefix = format!("http://{}/rails/active_storage/blobs/redirect/", s.addr());
    assert!(url.starts_with(&prefix), "{url}");
    assert_eq!(a, &r.json()["attachments"][0], "the same as REST shows");
}

#[tokio::test]
async fn conversation_created_push_data() {
    let s = server().await;
    let session = new_session(s.addr(), &json!({"name": "Kim"})).await;
    let source = session["source_id"].as_str().expect("source").to_owned();
    let token = session["pubsub_token"].as_str().expect("token").to_owned();
    let mut ws = connect(s.addr()).await;
    let id = subscribe(&mut ws, &token).await;
    post(
        s.addr(),
        &format!("{}/conversations", contact_path(&source)),
        &json!({"custom_attributes": {"order": "A-1"}}),
    )
    .await;
    let frame = next_json(&mut ws).await;
    assert_eq!(frame["identifier"], id.as_str());
    let ev = &frame["message"];
    assert_eq!(ev["event"], "conversation.created");
    let d = &ev["data"];
    assert_eq!(
        keys(d),
        [
            "additional_attributes",
            "can_reply",
            "channel",
            "contact_inbox",
            "id",
            "inbox_id",
            "messages",
            "labels",
            "meta",
            "status",
            "custom_attributes",
            "snoozed_until",
            "unread_count",
            "first_reply_created_at",
            "priority",
            "waiting_since",
            "agent_last_seen_at",
            "contact_last_seen_at",
            "last_activity_at",
            "timestamp",
            "created_at",
            "updated_at",
            "account_id"
        ]
    );
    assert_eq!(d["channel"], "Channel::Api");
    assert_eq!(d["messages"], json!([]));
    assert_eq!(d["custom_attributes"], json!({"order": "A-1"}));
    assert_eq!(d["contact_inbox"]["source_id"], source.as_str());
    assert_eq!(d["contact_inbox"]["pubsub_token"], token.as_str());
    assert_eq!(d["contact_inbox"]["hmac_verified"], false);
    assert!(is_iso_ms(&d["contact_inbox"]["created_at"]));
    assert_eq!(d["meta"]["sender"]["name"], "Kim");
    assert_eq!(d["meta"]["assignee"], Value::Null);
    assert_eq!(d["meta"]["hmac_verified"], false);
    assert!(
        d["updated_at"].is_f64(),
        "float seconds: {}",
        d["updated_at"]
    );
    assert!(d["created_at"].is_i64());
    assert_eq!(d["agent_last_seen_at"], 0);
    assert_eq!(d["waiting_since"], d["created_at"]);
}

#[tokio::test]
async fn agent_and_bot_messages_but_no_private_notes() {
    let s = server().await;
    let mut c = contact(s.addr()).await;
    agent_says(
        s.addr(),
        c.display_id,
        json!({"content": "internal", "private": true}),
    )
    .await;
    let m = agent_says(s.addr(), c.display_id, json!({"content": "Hello from Ana"})).await;
    let ev = next_event(&mut c.ws).await;
    assert_eq!(ev["event"], "message.created");
    let d = &ev["data"];
    assert_eq!(d["id"], m["id"], "the private note was skipped");
    assert_eq!(d["content"], "Hello from Ana");
    assert_eq!(d["message_type"], 1);
    assert_eq!(d["sender_type"], "User");
    assert_eq!(d["sender"]["type"], "user");
    assert_eq!(d["sender"]["availability_status"], "online");
    assert_eq!(d["performer"]["id"], 1, "an agent's action names the agent");
    assert_eq!(keys(d).last(), Some(&"performer"));
    assert_eq!(d["conversation"]["unread_count"], 0);
    // The first human reply sets first_reply_created_at and clears waiting_since.
    let ev = next_event(&mut c.ws).await;
    assert_eq!(ev["event"], "conversation.updated");
    assert_eq!(ev["data"]["waiting_since"], 0);
    assert!(is_iso_ms(&ev["data"]["first_reply_created_at"]));
    assert_eq!(ev["data"]["messages"][0]["id"], m["id"]);
    assert_eq!(ev["data"]["performer"]["id"], 1);

    agent_says(
        s.addr(),
        c.display_id,
        json!({"content": "beep", "senderType": "agent_bot"}),
    )
    .await;
    let d = next_event(&mut c.ws).await["data"].clone();
    assert_eq!(d["sender"]["type"], "agent_bot");
    assert_eq!(d["sender_type"], "AgentBot");
    assert!(d.get("performer").is_none());
    // The contact writes again: waiting again, as conversation.updated says.
    post(
        s.addr(),
        &format!("{}/messages", conversation_path(&c.source, c.display_id)),
        &json!({"content": "still there?"}),
    )
    .await;
    let created = next_event(&mut c.ws).await;
    assert_eq!(created["event"], "message.created");
    let ev = next_event(&mut c.ws).await;
    assert_eq!(ev["event"], "conversation.updated");
    assert_eq!(ev["data"]["waiting_since"], created["data"]["created_at"]);
    assert!(ev["data"].get("performer").is_none());
    // A deleted private note stays private.
    let notes = get(
        s.addr(),
        &format!("/__devserver/conversations/{}/messages", c.display_id),
    )
    .await
    .json();
    let note = notes
        .as_array()
        .expect("list")
        .iter()
        .find(|n| n["private"] == true)
        .expect("the note")["id"]
        .clone();
    patch(
        s.addr(),
        &format!("/__devserver/messages/{note}"),
        &json!({"deleted": true}),
    )
    .await;
    assert_quiet(&mut c.ws).await;
}

#[tokio::test]
async fn messages_arrive_in_creation_order() {
    let s = server().await;
    let mut c = contact(s.addr()).await;
    let mut ids = Vec::new();
    for i in 0..30 {
        let m = agent_says(s.addr(), c.display_id, json!({"content": format!("m{i}")})).await;
        ids.push(m["id"].clone());
    }
    for id in ids {
        let mut ev = next_event(&mut c.ws).await;
        if ev["event"] == "conversation.updated" {
            ev = next_event(&mut c.ws).await;
        }
        assert_eq!(ev["event"], "message.created");
        assert_eq!(ev["data"]["id"], id);
    }
}

#[tokio::test]
async fn typing_events() {
    let s = server().await;
    let mut c = contact(s.addr()).await;
    let typing = format!("/__devserver/conversations/{}/typing", c.display_id);
    let r = post(
        s.addr(),
        &typing,
        &json!({"typingStatus": "on", "isPrivate": true}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let ev = next_event(&mut c.ws).await;
    assert_eq!(ev["event"], "conversation.typing_on");
    let d = &ev["data"];
    assert_eq!(
        keys(d),
        [
            "conversation",
            "user",
            "is_private",
            "account_id",
            "performer"
        ]
    );
    assert_eq!(d["is_private"], true);
    assert_eq!(d["user"]["type"], "user");
    assert_eq!(d["conversation"]["id"], c.display_id);

    post(
        s.addr(),
        &typing,
        &json!({"typingStatus": "off", "senderType": "agent_bot"}),
    )
    .await;
    let ev = next_event(&mut c.ws).await;
    assert_eq!(ev["event"], "conversation.typing_off");
    assert_eq!(ev["data"]["is_private"], false);
    assert_eq!(ev["data"]["user"]["type"], "agent_bot");

    // The contact's own typing is not echoed to it.
    let r = post(
        s.addr(),
        &format!(
            "{}/toggle_typing",
            conversation_path(&c.source, c.display_id)
        ),
        &json!({"typing_status": "on"}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_quiet(&mut c.ws).await;

    for bad in [
        json!({"typingStatus": "maybe"}),
        json!({"typingStatus": "on", "senderType": "contact"}),
        json!({"typingStatus": "on", "private": true}),
    ] {
        assert_eq!(post(s.addr(), &typing, &bad).await.status, 400, "{bad}");
    }
    let r = post(
        s.addr(),
        "/__devserver/conversations/999/typing",
        &json!({"typingStatus": "on"}),
    )
    .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn status_changes_reopen_and_csat() {
    let s = server().await;
    let inbox = control_inbox(
        s.addr(),
        &json!({"identifier": "csat-inbox", "csatSurveyEnabled": true}),
    )
    .await;
    assert_eq!(inbox["identifier"], "csat-inbox");
    let base = "/public/api/v1/inboxes/csat-inbox";
    let session = post(s.addr(), &format!("{base}/contacts"), &json!({}))
        .await
        .json();
    let source = session["source_id"].as_str().expect("source").to_owned();
    let token = session["pubsub_token"].as_str().expect("token").to_owned();
    let mut ws = connect(s.addr()).await;
    subscribe(&mut ws, &token).await;
    let conv_path = format!("{base}/contacts/{source}/conversations");
    let display = post(s.addr(), &conv_path, &json!({})).await.json()["id"]
        .as_i64()
        .expect("id");
    assert_eq!(next_event(&mut ws).await["event"], "conversation.created");

    // The contact resolves: status_changed, updated, then the CSAT message (the
    // activity message in between is not for contacts).
    let r = post(
        s.addr(),
        &format!("{conv_path}/{display}/toggle_status"),
        &json!({}),
    )
    .await;
    assert_eq!(r.status, 200);
    let ev = next_event(&mut ws).await;
    assert_eq!(ev["event"], "conversation.status_changed");
    assert_eq!(ev["data"]["status"], "resolved");
    assert!(ev["data"].get("performer").is_none());
    let ev = next_event(&mut ws).await;
    assert_eq!(ev["event"], "conversation.updated");
    assert_eq!(ev["data"]["status"], "resolved");
    let ev = next_event(&mut ws).await;
    assert_eq!(ev["event"], "message.created");
    assert_eq!(ev["data"]["content_type"], "input_csat");
    assert_eq!(ev["data"]["message_type"], 3);
    assert!(ev["data"].get("sender").is_none());

    // A message to the resolved conversation reopens it before its own event.
    post(
        s.addr(),
        &format!("{conv_path}/{display}/messages"),
        &json!({"content": "one more thing"}),
    )
    .await;
    let ev = next_event(&mut ws).await;
    assert_eq!(ev["event"], "conversation.status_changed");
    assert_eq!(ev["data"]["status"], "open");
    assert_eq!(next_event(&mut ws).await["event"], "conversation.updated");
    let ev = next_event(&mut ws).await;
    assert_eq!(ev["event"], "message.created");
    assert_eq!(ev["data"]["content"], "one more thing");

    // An agent's status change carries the agent as performer.
    patch(
        s.addr(),
        &format!("/__devserver/conversations/{display}"),
        &json!({"status": "pending"}),
    )
    .await;
    let ev = next_event(&mut ws).await;
    assert_eq!(ev["event"], "conversation.status_changed");
    assert_eq!(ev["data"]["status"], "pending");
    assert_eq!(ev["data"]["performer"]["type"], "user");
    assert_eq!(next_event(&mut ws).await["event"], "conversation.updated");
    assert_quiet(&mut ws).await;
}

#[tokio::test]
async fn read_receipts_and_deletion_as_message_updated() {
    let s = server().await;
    let mut c = contact(s.addr()).await;
    let m = agent_says(s.addr(), c.display_id, json!({"content": "read me"})).await;
    assert_eq!(next_event(&mut c.ws).await["data"]["status"], "sent");
    assert_eq!(next_event(&mut c.ws).await["event"], "conversation.updated");
    let r = post(
        s.addr(),
        &format!(
            "{}/update_last_seen",
            conversation_path(&c.source, c.display_id)
        ),
        &json!({}),
    )
    .await;
    assert_eq!(r.status, 200);
    let ev = next_event(&mut c.ws).await;
    assert_eq!(
        ev["event"], "message.updated",
        "conversation.read is for agents"
    );
    let d = &ev["data"];
    assert_eq!(d["id"], m["id"]);
    assert_eq!(d["status"], "read");
    assert_eq!(d["previous_changes"]["status"], json!(["sent", "read"]));
    assert!(is_iso_ms(&d["previous_changes"]["updated_at"][1]));
    assert!(d.get("echo_id").is_none());
    assert!(d.get("performer").is_none());
    let k = keys(d);
    assert_eq!(k[k.len() - 2..], ["sender", "previous_changes"]);

    patch(
        s.addr(),
        &format!("/__devserver/messages/{}", m["id"]),
        &json!({"deleted": true}),
    )
    .await;
    let ev = next_event(&mut c.ws).await;
    assert_eq!(ev["event"], "message.updated");
    assert_eq!(ev["data"]["content"], "This message was deleted");
    assert_eq!(ev["data"]["content_attributes"], json!({"deleted": true}));
    assert_eq!(
        ev["data"]["previous_changes"]["content"],
        json!(["read me", "This message was deleted"])
    );
    assert_eq!(ev["data"]["performer"]["id"], 1);
}

#[tokio::test]
async fn verified_sessions_share_events_and_others_do_not() {
    let s = server().await;
    let other = control_inbox(s.addr(), &json!({"identifier": "second"})).await;
    let other_secret = other["hmacToken"].as_str().expect("secret").to_owned();
    let hash_demo = hmac_hex(devserver::STARTUP_HMAC_TOKEN, "pat");
    let hash_other = hmac_hex(&other_secret, "pat");

    // Pat in the demo inbox (verified) with a conversation.
    let a = new_session(s.addr(), &json!({"identifier": "pat"})).await;
    let a_source = a["source_id"].as_str().expect("source").to_owned();
    let a_token = a["pubsub_token"].as_str().expect("token").to_owned();
    let r = get(
        s.addr(),
        &format!(
            "{}?identifier=pat&identifier_hash={hash_demo}",
            contact_path(&a_source)
        ),
    )
    .await;
    assert_eq!(r.status, 200);
    // Pat in the second inbox, verified too.
    let obase = "/public/api/v1/inboxes/second";
    let b = post(
        s.addr(),
        &format!("{obase}/contacts"),
        &json!({"identifier": "pat"}),
    )
    .await
    .json();
    let b_source = b["source_id"].as_str().expect("source").to_owned();
    let b_token = b["pubsub_token"].as_str().expect("token").to_owned();
    let r = get(
        s.addr(),
        &format!("{obase}/contacts/{b_source}?identifier=pat&identifier_hash={hash_other}"),
    )
    .await;
    assert_eq!(r.status, 200);
    // Pat again, unverified, and somebody else.
    let u = new_session(s.addr(), &json!({"identifier": "pat"})).await;
    let u_token = u["pubsub_token"].as_str().expect("token").to_owned();
    let x = new_session(s.addr(), &json!({})).await;
    let x_token = x["pubsub_token"].as_str().expect("token").to_owned();

    let mut wa = connect(s.addr()).await;
    subscribe(&mut wa, &a_token).await;
    let mut wb = connect(s.addr()).await;
    subscribe(&mut wb, &b_token).await;
    let mut wu = connect(s.addr()).await;
    subscribe(&mut wu, &u_token).await;
    let mut wx = connect(s.addr()).await;
    subscribe(&mut wx, &x_token).await;

    let display = post(
        s.addr(),
        &format!("{}/conversations", contact_path(&a_source)),
        &json!({}),
    )
    .await
    .json()["id"]
        .as_i64()
        .expect("id");
    for ws in [&mut wa, &mut wb] {
        let ev = next_event(ws).await;
        assert_eq!(ev["event"], "conversation.created");
        assert_eq!(ev["data"]["meta"]["hmac_verified"], true);
    }
    agent_says(s.addr(), display, json!({"content": "for every device"})).await;
    for ws in [&mut wa, &mut wb] {
        let d = next_event(ws).await["data"].clone();
        assert_eq!(d["content"], "for every device");
        assert_eq!(
            d["conversation"]["contact_inbox"]["source_id"],
            a_source.as_str()
        );
        assert_eq!(next_event(ws).await["event"], "conversation.updated");
    }
    // Typing only reaches the conversation's own session.
    post(
        s.addr(),
        &format!("/__devserver/conversations/{display}/typing"),
        &json!({"typingStatus": "on"}),
    )
    .await;
    assert_eq!(next_event(&mut wa).await["event"], "conversation.typing_on");
    for ws in [&mut wb, &mut wu, &mut wx] {
        assert_quiet(ws).await;
    }
}

#[tokio::test]
async fn unsubscribe_stops_delivery_silently() {
    let s = server().await;
    let mut c = contact(s.addr()).await;
    let id = identifier(&c.token);
    send(
        &mut c.ws,
        json!({"command": "unsubscribe", "identifier": id}),
    )
    .await;
    agent_says(s.addr(), c.display_id, json!({"content": "anyone?"})).await;
    assert_quiet(&mut c.ws).await;
    // Subscribing again works, with a new confirmation.
    subscribe(&mut c.ws, &c.token).await;
    agent_says(s.addr(), c.display_id, json!({"content": "back"})).await;
    assert_eq!(next_event(&mut c.ws).await["data"]["content"], "back");
}

/// The client side after the server hung up: never a close frame.
async fn assert_dropped(ws: &mut Ws) {
    loop {
        match tokio::time::timeout(Duration::from_secs(3), ws.next())
            .await
            .expect("the socket ends")
        {
            None | Some(Err(_)) => return,
            Some(Ok(Message::Close(f))) => panic!("a close frame was sent: {f:?}"),
            Some(Ok(Message::Text(t))) => {
                assert!(!t.as_str().contains("disconnect"), "{t}");
            }
            Some(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn drop_sockets_hangs_up_without_a_word() {
    let s = server().await;
    let mut c = contact(s.addr()).await;
    let mut c2 = connect(s.addr()).await;
    subscribe(&mut c2, &c.token).await;
    let mut bystander = connect(s.addr()).await;

    let listed = get(s.addr(), "/__devserver/sockets").await.json();
    assert_eq!(listed.as_array().expect("list").len(), 3);
    assert!(listed[0]["openedAt"].as_i64().expect("ms") > 1_600_000_000_000);
    assert_eq!(
        listed[0]["subscriptions"][0]["pubsubToken"],
        c.token.as_str()
    );
    assert_eq!(listed[0]["subscriptions"][0]["confirmed"], true);

    let r = post(
        s.addr(),
        "/__devserver/sockets/drop",
        &json!({"token": c.token, "count": 1}),
    )
    .await;
    assert_eq!(r.json(), json!({"dropped": 1}));
    assert_dropped(&mut c.ws).await;
    let listed = get(s.addr(), "/__devserver/sockets").await.json();
    assert_eq!(listed.as_array().expect("list").len(), 2);

    let r = post(
        s.addr(),
        "/__devserver/sockets/drop",
        &json!({"token": "nobody"}),
    )
    .await;
    assert_eq!(r.json(), json!({"dropped": 0}));
    // No token: every socket.
    let r = post(s.addr(), "/__devserver/sockets/drop", &json!({})).await;
    assert_eq!(r.json(), json!({"dropped": 2}));
    assert_dropped(&mut c2).await;
    assert_dropped(&mut bystander).await;
    let listed = get(s.addr(), "/__devserver/sockets").await.json();
    assert_eq!(listed, json!([]));
    let r = post(
        s.addr(),
        "/__devserver/sockets/drop",
        &json!({"tokens": []}),
    )
    .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn disconnect_says_server_restart_then_closes() {
    let s = server().await;
    let mut c = contact(s.addr()).await;
    let r = post(
        s.addr(),
        "/__devserver/sockets/disconnect",
        &json!({"token": c.token}),
    )
    .await;
    assert_eq!(r.json(), json!({"disconnected": 1}));
    assert_eq!(
        next_text(&mut c.ws).await,
        r#"{"type":"disconnect","reason":"server_restart","reconnect":true}"#
    );
    let frame = tokio::time::timeout(Duration::from_secs(3), c.ws.next())
        .await
        .expect("close in time")
        .expect("a frame")
        .expect("ok");
    assert!(matches!(frame, Message::Close(_)), "{frame:?}");
    let rest = tokio::time::timeout(Duration::from_secs(3), c.ws.next())
        .await
        .expect("ends");
    assert!(!matches!(rest, Some(Ok(Message::Text(_)))), "{rest:?}");
    assert_eq!(
        get(s.addr(), "/__devserver/sockets").await.json(),
        json!([])
    );
}

#[tokio::test]
async fn agent_presence_from_control() {
    let s = server().await;
    let c = contact(s.addr()).await;
    let mut ws = c.ws;
    let r = call(
        s.addr(),
        "PUT",
        "/__devserver/presence",
        Some(&json!({"1": "busy"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"1": "busy"}));
    let ev = next_event(&mut ws).await;
    assert_eq!(
        ev,
        json!({"event": "presence.update", "data": {"account_id": 1, "users": {"1": "busy"}}})
    );
    // Senders show the status too.
    agent_says(s.addr(), c.display_id, json!({"content": "hi"})).await;
    assert_eq!(
        next_event(&mut ws).await["data"]["sender"]["availability_status"],
        "busy"
    );
    assert_eq!(next_event(&mut ws).await["event"], "conversation.updated");
    // null: not present at all.
    call(
        s.addr(),
        "PUT",
        "/__devserver/presence",
        Some(&json!({"1": null})),
    )
    .await;
    assert_eq!(next_event(&mut ws).await["data"]["users"], json!({}));
    assert_eq!(
        get(s.addr(), "/__devserver/presence").await.json(),
        json!({})
    );
    for bad in [
        json!({"2": "online"}),
        json!({"1": "away"}),
        json!({"x": "online"}),
    ] {
        let r = call(s.addr(), "PUT", "/__devserver/presence", Some(&bad)).await;
        assert_eq!(r.status, 400, "{bad}");
    }
}

#[tokio::test]
async fn faults_with_a_probability() {
    let s = server().await;
    let r = post(
        s.addr(),
        "/__devserver/faults",
        &json!({"kind": "status", "status": 503, "method": "GET", "probability": 0.5}),
    )
    .await;
    assert_eq!(r.status, 200);
    let mut failed = 0;
    for _ in 0..200 {
        match get(s.addr(), BASE).await.status {
            503 => failed += 1,
            200 => {}
            other => panic!("status {other}"),
        }
    }
    assert!((50..=150).contains(&failed), "{failed} of 200 failed");
    // Other methods are untouched.
    assert_eq!(
        post(s.addr(), &format!("{BASE}/contacts"), &json!({}))
            .await
            .status,
        200
    );
    call(s.addr(), "DELETE", "/__devserver/faults", None).await;
    for _ in 0..20 {
        assert_eq!(get(s.addr(), BASE).await.status, 200);
    }
    // `count: null` is unlimited as well.
    post(
        s.addr(),
        "/__devserver/faults",
        &json!({"kind": "status", "status": 500, "count": null}),
    )
    .await;
    for _ in 0..5 {
        assert_eq!(get(s.addr(), BASE).await.status, 500);
    }
    call(s.addr(), "DELETE", "/__devserver/faults", None).await;
    assert_eq!(get(s.addr(), BASE).await.status, 200);
    for bad in [
        json!({"kind": "status", "probability": 1.5}),
        json!({"kind": "status", "probability": -0.1}),
        json!({"kind": "status", "count": 0}),
    ] {
        let r = post(s.addr(), "/__devserver/faults", &bad).await;
        assert_eq!(r.status, 400, "{bad}");
    }
}

#[tokio::test]
async fn messages_per_minute_is_configurable() {
    let s = server().await;
    control_inbox(
        s.addr(),
        &json!({"identifier": "tight", "messagesPerMinute": 3}),
    )
    .await;
    let base = "/public/api/v1/inboxes/tight";
    let source = post(s.addr(), &format!("{base}/contacts"), &json!({}))
        .await
        .json()["source_id"]
        .as_str()
        .expect("source")
        .to_owned();
    let conv = format!("{base}/contacts/{source}/conversations");
    let display = post(s.addr(), &conv, &json!({})).await.json()["id"]
        .as_i64()
        .expect("id");
    let path = format!("{conv}/{display}/messages");
    for i in 0..3 {
        let r = post(s.addr(), &path, &json!({"content": format!("m{i}")})).await;
        assert_eq!(r.status, 200);
    }
    let r = post(s.addr(), &path, &json!({"content": "one too many"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json(),
        json!({"message": "Too many messages", "attributes": ["base"]})
    );
    let r = post(
        s.addr(),
        "/__devserver/inboxes",
        &json!({"messagesPerMinute": 0}),
    )
    .await;
    assert_eq!(r.status, 400);
}
