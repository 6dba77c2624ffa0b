//! The session engine driven step by step through the machine's typed boundary: each
//! test feeds calls, answers, frames and reports, and asserts the exact operations and
//! events that come out (issue 16: opening, identity failure, identify/reset racing,
//! a send confirmed by its answer, close mid-flow, the catch-up of a conversation never
//! read).
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use chatwoot_inbox_sdk::machine::{Machine, Outcome, Report};
use serde_json::{json, Value};

const NOW: u64 = 1_700_000_000_000;
const INBOX: &str = r#"{"identifier":"in","name":"Support","working_hours":[]}"#;

/// A machine and what it asked for, step by step.
struct World {
    m: Machine,
    now: u64,
}

/// One step's operations and value, as plain JSON (what the driver carries out).
struct Step(Value);

impl Step {
    fn of(out: &Outcome) -> Step {
        Step(serde_json::to_value(out).unwrap())
    }
    fn ops(&self) -> Vec<&Value> {
        self.0["ops"].as_array().unwrap().iter().collect()
    }
    fn names(&self) -> Vec<String> {
        self.ops()
            .iter()
            .map(|o| o["op"].as_str().unwrap().to_owned())
            .collect()
    }
    /// The fetch whose URL ends with `path` (its call id).
    fn fetch(&self, method: &str, path: &str) -> u32 {
        let op = self
            .ops()
            .into_iter()
            .find(|o| {
                o["op"] == "fetch"
                    && o["method"] == method
                    && o["url"].as_str().unwrap().contains(path)
            })
            .unwrap_or_else(|| panic!("no {method} {path} in {:?}", self.0));
        op["id"].as_u64().unwrap() as u32
    }
    fn fetches(&self) -> usize {
        self.ops().iter().filter(|o| o["op"] == "fetch").count()
    }
    fn events(&self) -> Vec<Value> {
        self.ops()
            .iter()
            .filter(|o| o["op"] == "event")
            .map(|o| o["e"].clone())
            .collect()
    }
    fn event_types(&self) -> Vec<String> {
        self.events()
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_owned())
            .collect()
    }
    fn settled(&self, p: u64) -> Option<Value> {
        self.ops()
            .into_iter()
            .find(|o| (o["op"] == "resolve" || o["op"] == "reject") && o["p"] == p)
            .cloned()
    }
    fn load(&self) -> Option<u32> {
        self.ops()
            .iter()
            .find(|o| o["op"] == "load")
            .map(|o| o["id"].as_u64().unwrap() as u32)
    }
    fn value(&self) -> &Value {
        &self.0["v"]
    }
}

impl World {
    fn new(options: Value) -> World {
        World {
            m: Machine::new("session", &options, 7).unwrap(),
            now: NOW,
        }
    }
    fn call(&mut self, method: &str, args: Value) -> Step {
        Step::of(&self.m.call(method, &args, self.now))
    }
    fn answer(&mut self, id: u32, status: u16, body: &str) -> Step {
        Step::of(&self.m.response(id, status, None, body.as_bytes(), self.now))
    }
    fn report(&mut self, r: Report) -> Step {
        Step::of(&self.m.input(r, self.now))
    }
    fn frame(&mut self, text: &str) -> Step {
        Step::of(&self.m.frame(1, text, self.now))
    }

    /// Carries out `step` and everything it leads to (storage reads find nothing, each
    /// request gets a good answer, contacts are `source`) until promise `p` settles.
    fn drive(&mut self, step: Step, p: u64, source: &str) -> Value {
        let mut work = vec![step];
        while let Some(step) = work.pop() {
            if let Some(settled) = step.settled(p) {
                return settled;
            }
            for op in step.ops() {
                let id = op["id"].as_u64().unwrap_or(0) as u32;
                match op["op"].as_str().unwrap() {
                    "load" => work.push(self.report(Report::Loaded { id, value: None })),
                    "fetch" => {
                        let url = op["url"].as_str().unwrap();
                        let body = if url.ends_with("/conversations") {
                            "[]".to_owned()
                        } else {
                            session(source, 2)
                        };
                        work.push(self.answer(id, 200, &body));
                    }
                    _ => {}
                }
            }
        }
        panic!("promise {p} never settled")
    }

    /// `start` through the inbox, the stored session (`stored`), and the list.
    fn start(&mut self, stored: Option<&str>) -> (u64, Step) {
        let s = self.call("start", json!([]));
        let p = s.value().as_u64().unwrap();
        let inbox = s.fetch("GET", "/inboxes/in");
        let s = self.answer(inbox, 200, INBOX);
        let load = s.load().expect("reads the stored session");
        let s = self.report(Report::Loaded {
            id: load,
            value: stored.map(str::to_owned),
        });
        (p, s)
    }
}

fn session(source: &str, id: i64) -> String {
    json!({"source_id": source, "pubsub_token": format!("tok-{source}"), "id": id, "name": "Ana"})
        .to_string()
}

fn options(realtime: bool) -> Value {
    json!({"baseUrl": "https://chat.example.com", "inboxIdentifier": "in", "realtime": realtime})
}

#[test]
fn opening_a_stored_session_verifies_it_then_lists_and_connects() {
    let mut w = World::new(options(true));
    let (p, s) = w.start(Some(r#"{"sourceId":"s1","pubsubToken":"tok-s1"}"#));
    let get = s.fetch("GET", "/contacts/s1");
    let s = w.answer(get, 200, &session("s1", 5));
    assert_eq!(
        s.names(),
        ["end", "store", "fetch"],
        "the GET is over; remembered again, then the conversation list"
    );
    let list = s.fetch("GET", "/contacts/s1/conversations");
    let s = w.answer(list, 200, "[]");
    assert_eq!(s.settled(p).unwrap()["op"], "resolve");
    assert!(
        s.names().contains(&"open".to_owned()),
        "the socket is opened: {:?}",
        s.names()
    );
    assert!(s.names().contains(&"watch".to_owned()));
    let contact = w.call("contact", json!([]));
    assert_eq!(contact.value()["sourceId"], "s1");
}

#[test]
fn a_stored_session_the_server_forgot_is_replaced() {
    let mut w = World::new(options(false));
    let (p, s) = w.start(Some(r#"{"sourceId":"gone"}"#));
    let get = s.fetch("GET", "/contacts/gone");
    let s = w.answer(get, 404, r#"{"error":"not found"}"#);
    let create = s.fetch("POST", "/contacts");
    let s = w.answer(create, 200, &session("s2", 6));
    let store = s
        .ops()
        .into_iter()
        .find(|o| o["op"] == "store")
        .unwrap()
        .clone();
    assert_eq!(
        serde_json::from_str::<Value>(store["value"].as_str().unwrap()).unwrap()["sourceId"],
        "s2",
        "the new session is remembered"
    );
    let list = s.fetch("GET", "/contacts/s2/conversations");
    let s = w.answer(list, 200, "[]");
    assert_eq!(s.settled(p).unwrap()["op"], "resolve");
    assert!(
        !s.names().contains(&"open".to_owned()),
        "realtime: false opens no socket"
    );
}

#[test]
fn an_identity_the_server_rejects_fails_start_with_identity() {
    let user = json!({"identifier": "user-1", "identifierHash": "wrong"});
    let mut o = options(false);
    o["user"] = user;
    let mut w = World::new(o);
    let (p, s) = w.start(None);
    let create = s.fetch("POST", "/contacts");
    let s = w.answer(
        create,
        500,
        r#"{"status":500,"error":"Internal Server Error"}"#,
    );
    let settled = s.settled(p).unwrap();
    assert_eq!(settled["op"], "reject");
    assert_eq!(settled["error"]["code"], "identity");
    assert_eq!(
        s.fetches(),
        0,
        "not retried blindly: a contact create is not idempotent"
    );
}

#[test]
fn identify_then_reset_the_latest_call_wins() {
    let mut w = World::new(options(false));
    let (_, s) = w.start(None);
    let create = s.fetch("POST", "/contacts");
    let s = w.answer(create, 200, &session("anon", 1));
    let list = s.fetch("GET", "/conversations");
    w.answer(list, 200, "[]");

    let identify = w.call("identify", json!([{"identifier": "user-1"}]));
    let pi = identify.value().as_u64().unwrap();
    let reset = w.call("reset", json!([]));
    let pr = reset.value().as_u64().unwrap();
    // The reset's requests are answered first, then identify's: identify is superseded.
    assert_eq!(w.drive(reset, pr, "fresh")["op"], "resolve");
    let settled = w.drive(identify, pi, "user");
    assert_eq!(settled["op"], "reject");
    assert_eq!(
        settled["error"]["code"], "aborted",
        "superseded by the later reset()"
    );
    assert_eq!(w.call("contact", json!([])).value()["sourceId"], "fresh");
}

#[test]
fn a_send_is_pending_then_confirmed_by_its_answer_and_keeps_its_echo_id() {
    let mut w = World::new(options(false));
    let (_, s) = w.start(None);
    let create = s.fetch("POST", "/contacts");
    let s = w.answer(create, 200, &session("s", 1));
    let list = s.fetch("GET", "/conversations");
    w.answer(
        list,
        200,
        r#"[{"id":9,"inbox_id":1,"status":"open","messages":[]}]"#,
    );

    let sent = w.call("send", json!([9, "hello"]));
    assert_eq!(sent.event_types(), ["message.pending"]);
    let echo = sent.value()["echoId"].as_str().unwrap().to_owned();
    assert_eq!(sent.value()["status"], "sending");
    let post = sent.fetch("POST", "/conversations/9/messages");
    let stored = json!({"id": 100, "content": "hello", "message_type": 0, "created_at": 1_700_000_000, "conversation_id": 9});
    let s = w.answer(post, 200, &stored.to_string());
    assert_eq!(s.event_types(), ["message.sent"]);
    assert_eq!(s.events()[0]["echoId"], echo);
    let messages = w.call("messages", json!([9]));
    let held = messages.value().as_array().unwrap().clone();
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0]["id"].clone(), held[0]["echoId"].clone()),
        (json!(100), json!(echo))
    );
}

#[test]
fn close_mid_flow_settles_what_waits_and_sends_nothing_more() {
    let mut w = World::new(options(false));
    let (_, s) = w.start(None);
    let create = s.fetch("POST", "/contacts");
    let s = w.answer(create, 200, &session("s", 1));
    let list = s.fetch("GET", "/conversations");
    w.answer(list, 200, "[]");
    let started = w.call("startConversation", json!([]));
    let p = started.value().as_u64().unwrap();
    let post = started.fetch("POST", "/conversations");
    let closed = w.call("close", json!([]));
    assert_eq!(closed.fetches(), 0);
    let s = w.answer(
        post,
        200,
        r#"{"id":3,"inbox_id":1,"status":"open","messages":[]}"#,
    );
    assert!(s.settled(p).is_some(), "the call in flight still settles");
    assert_eq!(s.fetches(), 0, "nothing new after close");
    let after = w.call("send", json!([3, "late"]));
    assert_eq!(after.0["throw"]["code"], "closed");
    let state = w.call("state", json!([]));
    assert_eq!(state.value(), "closed");
}

#[test]
fn a_conversation_never_read_catches_up_from_the_relist_after_a_drop() {
    let mut w = World::new(options(true));
    let (_, s) = w.start(None);
    let create = s.fetch("POST", "/contacts");
    let s = w.answer(create, 200, &session("s", 1));
    let list = s.fetch("GET", "/conversations");
    w.answer(list, 200, r#"[{"id":9,"inbox_id":1,"status":"open","messages":[{"id":1,"content":"old","message_type":1,"created_at":1700000000}]}]"#);
    let identifier = json!({"channel": "RoomChannel", "pubsub_token": "tok-s"}).to_string();
    w.report(Report::Socket {
        socket: 1,
        open: true,
    });
    w.frame(r#"{"type":"welcome"}"#);
    let s = w.frame(&json!({"identifier": identifier, "type": "confirm_subscription"}).to_string());
    // Listed before the socket was live: the list is read again, once subscribed.
    let relist = s.fetch("GET", "/conversations");
    let s = w.answer(relist, 200, r#"[{"id":9,"inbox_id":1,"status":"open","messages":[{"id":1,"content":"old","message_type":1,"created_at":1700000000},{"id":2,"content":"new","message_type":1,"created_at":1700000001}]}]"#);
    let created: Vec<Value> = s
        .events()
        .into_iter()
        .filter(|e| e["type"] == "message.created")
        .collect();
    assert_eq!(created.len(), 1, "only what is newer than what was listed");
    assert_eq!(created[0]["message"]["id"], 2);
    assert_eq!(s.event_types().last().unwrap(), "synced");
    assert!(
        s.0.to_string().find("message.created").unwrap() < s.0.to_string().find("synced").unwrap()
    );
}
