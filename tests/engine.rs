//! The session engine driven step by step through the machine's typed boundary: each
//! test feeds calls, answers, frames and reports, and asserts the exact operations and
//! events that come out: opening (stored, healed, identified, identity failure), history, catch-up
//! (read and never-read threads, failing pages, a failing re-list, the retry timer, a
//! drop in the middle), sends (answer first, echo first, lost answer, retry, a second
//! tap), typing and seen, identify and reset racing, close mid-flow.
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
    /// The first `name` op of this step.
    fn op(&self, name: &str) -> Value {
        self.ops()
            .into_iter()
            .find(|o| o["op"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.0))
    }
    /// The fetch whose URL contains `path`, if there is one.
    fn try_fetch(&self, method: &str, path: &str) -> Option<u32> {
        self.ops()
            .into_iter()
            .find(|o| {
                o["op"] == "fetch"
                    && o["method"] == method
                    && o["url"].as_str().unwrap().contains(path)
            })
            .map(|o| o["id"].as_u64().unwrap() as u32)
    }
    /// The echo ids of the outbox in the last stored session of this step.
    fn outbox(&self) -> Vec<String> {
        let store = self
            .ops()
            .into_iter()
            .rfind(|o| o["op"] == "store")
            .unwrap_or_else(|| panic!("nothing stored in {:?}", self.0))
            .clone();
        let session: Value = serde_json::from_str(store["value"].as_str().unwrap()).unwrap();
        session["outbox"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|e| e["echoId"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
    /// The body of fetch `id`.
    fn body(&self, id: u32) -> String {
        self.ops()
            .into_iter()
            .find(|o| o["op"] == "fetch" && o["id"] == id)
            .map(|o| o["body"].as_str().unwrap_or_default().to_owned())
            .unwrap_or_default()
    }
    /// The ids of the `message.created` events, in order.
    fn created(&self) -> Vec<i64> {
        self.events()
            .iter()
            .filter(|e| e["type"] == "message.created")
            .map(|e| e["message"]["id"].as_i64().unwrap())
            .collect()
    }
    /// When the one timer is set for.
    fn timer(&self) -> Option<u64> {
        self.ops()
            .into_iter()
            .find(|o| o["op"] == "timer")
            .map(|o| o["at"].as_u64().unwrap())
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
    /// A broadcast on the subscribed channel.
    fn push(&mut self, event: &str, data: Value) -> Step {
        let frame = json!({"identifier": identifier(), "message": {"event": event, "data": data}});
        self.frame(&frame.to_string())
    }
    /// Socket generation `socket` opens, is welcomed and its subscription confirmed.
    fn connect(&mut self, socket: u32) -> Step {
        self.report(Report::Socket { socket, open: true });
        Step::of(&self.m.frame(socket, r#"{"type":"welcome"}"#, self.now));
        let confirm = json!({"identifier": identifier(), "type": "confirm_subscription"});
        Step::of(&self.m.frame(socket, &confirm.to_string(), self.now))
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

    /// Socket generation `socket` drops; the reconnect timer fires (the next generation
    /// is opening).
    fn drop_and_reconnect(&mut self, socket: u32) {
        let s = self.report(Report::Socket {
            socket,
            open: false,
        });
        self.now = s.timer().expect("a reconnect is planned");
        let s = self.report(Report::Tick);
        assert!(s.names().contains(&"open".to_owned()), "{:?}", s.names());
    }

    /// GET `id` (to `path`) cannot reach the server, nor can its two retries after
    /// their backoff: the step where the call has failed.
    fn unreachable_through_retries(&mut self, id: u32, path: &str) -> Step {
        self.through_retries(id, path, |w, id| w.report(Report::Failed(id)))
    }

    /// GET `id` (to `path`) answers 503, and so do its two retries after their backoff:
    /// the step where the call has failed.
    fn fail_through_retries(&mut self, id: u32, path: &str) -> Step {
        self.through_retries(id, path, |w, id| w.answer(id, 503, ""))
    }

    fn through_retries(&mut self, id: u32, path: &str, fail: fn(&mut World, u32) -> Step) -> Step {
        let mut s = fail(self, id);
        for _ in 0..2 {
            let wake = s
                .ops()
                .into_iter()
                .find(|o| o["op"] == "sleep")
                .map(|o| o["id"].as_u64().unwrap() as u32)
                .unwrap();
            s = self.report(Report::Wake(wake));
            let again = s.fetch("GET", path);
            s = fail(self, again);
        }
        s
    }

    /// Answers every request of `step` and of what follows (a conversation list with
    /// conversation 9, `messages` for its pages); the `message.created` ids on the way.
    fn serve(&mut self, step: Step, messages: &str) -> Vec<i64> {
        let mut created = Vec::new();
        let mut work = vec![step];
        while let Some(step) = work.pop() {
            for op in step.ops() {
                if op["op"] != "fetch" {
                    continue;
                }
                let id = op["id"].as_u64().unwrap() as u32;
                let url = op["url"].as_str().unwrap();
                let body = if url.contains("/messages") {
                    messages
                } else if url.ends_with("/conversations") {
                    LISTED
                } else {
                    panic!("unexpected request {url}")
                };
                let next = self.answer(id, 200, body);
                created.extend(next.created());
                work.push(next);
            }
        }
        created
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
    let store = s.op("store");
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
    let mut w = started(false);

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
    let mut w = started(false);

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
    let mut w = started(false);
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
    let s = w.connect(1);
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

/// A started session (no socket unless `realtime`), with conversation 9 listed.
fn started(realtime: bool) -> World {
    let mut w = World::new(options(realtime));
    let (_, s) = w.start(None);
    let create = s.fetch("POST", "/contacts");
    let s = w.answer(create, 200, &session("s", 1));
    let list = s.fetch("GET", "/conversations");
    w.answer(
        list,
        200,
        r#"[{"id":9,"inbox_id":1,"status":"open","messages":[]}]"#,
    );
    w
}

fn page(ids: std::ops::RangeInclusive<i64>) -> String {
    let list: Vec<Value> = ids
        .map(|id| json!({"id": id, "content": format!("m{id}"), "message_type": 1, "created_at": 1_700_000_000 + id, "conversation_id": 9}))
        .collect();
    Value::Array(list).to_string()
}

#[test]
fn history_reads_the_newest_page_then_older_pages_until_the_start() {
    let mut w = started(false);
    let first = w.call("messages", json!([9]));
    assert_eq!(first.value(), &json!([]), "nothing held yet");
    let get = first.fetch("GET", "/conversations/9/messages");
    let s = w.answer(get, 200, &page(21..=40));
    assert_eq!(s.event_types().last().unwrap(), "synced");
    let older = w.call("loadOlder", json!([9]));
    let p = older.value().as_u64().unwrap();
    let get = older.fetch("GET", "/messages?before=21");
    let s = w.answer(get, 200, &page(15..=20));
    assert_eq!(
        s.settled(p).unwrap()["v"],
        true,
        "a short page: more was read, the start is reached"
    );
    let again = w.call("loadOlder", json!([9]));
    let p = again.value().as_u64().unwrap();
    assert_eq!(again.fetches(), 0, "nothing older to ask for");
    assert_eq!(again.settled(p).unwrap()["v"], false);
    assert_eq!(held(&mut w), (15..=40).collect::<Vec<_>>());
    let snapshot = w.call("getSnapshot", json!([]));
    assert_eq!(
        snapshot.value()["history"]["9"],
        json!({"loaded": true, "atStart": true})
    );
    assert_eq!(
        snapshot.value()["messages"]["9"].as_array().unwrap().len(),
        26
    );
}

#[test]
fn a_read_thread_catches_up_page_by_page_and_keeps_trying_after_failures() {
    let mut w = started(true);
    let s = w.call("messages", json!([9]));
    let get = s.fetch("GET", "/conversations/9/messages");
    w.answer(get, 200, &page(1..=5));
    let s = w.connect(1);
    // Read before the socket was live: re-listed and caught up once subscribed.
    let relist = s.fetch("GET", "/contacts/s/conversations");
    let catch_up = s.fetch("GET", "/conversations/9/messages");
    w.answer(
        relist,
        200,
        r#"[{"id":9,"inbox_id":1,"status":"open","messages":[]}]"#,
    );
    // The page fails (three 503s are the retries: the call fails after them).
    let s = w.fail_through_retries(catch_up, "/conversations/9/messages");
    assert_eq!(
        s.event_types(),
        ["error"],
        "reported, and kept to try again"
    );
    let timer = s.ops().into_iter().find(|o| o["op"] == "timer").unwrap()["at"]
        .as_u64()
        .unwrap();
    assert!(
        timer > w.now && timer <= w.now + 4_000,
        "retried after a jittered second or two"
    );
    w.now = timer;
    let s = w.report(Report::Tick);
    let retry = s.fetch("GET", "/conversations/9/messages");
    let s = w.answer(retry, 200, &page(1..=8));
    let created: Vec<i64> = s
        .events()
        .iter()
        .filter(|e| e["type"] == "message.created")
        .map(|e| e["message"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(created, [6, 7, 8]);
    assert_eq!(
        s.events().last().unwrap(),
        &json!({"type": "synced", "conversationId": 9, "recovered": 3})
    );
}

#[test]
fn a_failed_send_is_retried_once_after_looking_for_it_on_the_server() {
    let mut w = started(false);
    let sent = w.call("send", json!([9, "hello"]));
    let echo = sent.value()["echoId"].as_str().unwrap().to_owned();
    let post = sent.fetch("POST", "/conversations/9/messages");
    let s = w.answer(
        post,
        422,
        r#"{"message":"Content is too long","attributes":["content"]}"#,
    );
    assert_eq!(s.event_types(), ["message.failed"]);
    assert_eq!(s.events()[0]["error"]["code"], "validation");
    assert_eq!(s.fetches(), 0, "a send is never retried blindly");

    let retry = w.call("retry", json!([echo]));
    let p = retry.value().as_u64().unwrap();
    let again = w.call("retry", json!([echo]));
    assert_eq!(again.fetches(), 0, "a second tap shares the first");
    // The retry first looks at the newest page: the message is not there, so it posts.
    // It resolves once the message is on its way again.
    let look = retry.fetch("GET", "/conversations/9/messages");
    let s = w.answer(look, 200, "[]");
    assert_eq!(s.settled(p).unwrap()["op"], "resolve");
    let post = s.fetch("POST", "/conversations/9/messages");
    let stored = json!({"id": 50, "content": "hello", "message_type": 0, "created_at": 1_700_000_000, "conversation_id": 9});
    let s = w.answer(post, 200, &stored.to_string());
    assert_eq!(s.event_types(), ["message.sent"]);
    assert_eq!(
        w.call("retry", json!(["no-such-echo"])).0["ops"][0]["error"]["code"],
        "invalid_argument"
    );
}

#[test]
fn typing_seen_resolve_and_replies_go_out_as_requests() {
    let mut w = started(false);
    let s = w.call("typing", json!([9]));
    let on = s.fetch("POST", "/conversations/9/toggle_typing");
    assert!(s.0.to_string().contains(r#"\"typing_status\":\"on\""#));
    w.answer(on, 200, "");
    let s = w.call("stopTyping", json!([9]));
    assert!(s.0.to_string().contains(r#"\"typing_status\":\"off\""#));
    w.call("markSeen", json!([9]));
    w.call("markSeen", json!([9]));
    w.now += 400;
    let s = w.report(Report::Tick);
    s.fetch("POST", "/conversations/9/update_last_seen");
    let s = w.call("resolve", json!([9]));
    let p = s.value().as_u64().unwrap();
    let toggle = s.fetch("POST", "/conversations/9/toggle_status");
    let s = w.answer(
        toggle,
        200,
        r#"{"id":9,"inbox_id":1,"status":"resolved","messages":[]}"#,
    );
    assert_eq!(s.settled(p).unwrap()["v"]["status"], "resolved");
    assert_eq!(
        s.event_types(),
        ["conversation.status_changed", "conversation.updated"]
    );
    let s = w.call(
        "submitReply",
        json!([9, 7, [{"title": "Yes", "value": "yes"}]]),
    );
    let patch = s.fetch("PATCH", "/conversations/9/messages/7");
    let answered = json!({"id": 7, "content": "Pick", "message_type": 3, "content_type": "input_select", "content_attributes": {"submitted_values": [{"title": "Yes", "value": "yes"}]}});
    let s = w.answer(patch, 200, &answered.to_string());
    assert_eq!(s.event_types(), ["message.updated"]);
}

/// Every `InboxClient` method through the machine: its request, and its answer read as
/// the model the endpoint documents.
#[test]
fn every_client_method_builds_its_request_and_reads_its_answer() {
    let mut m = Machine::new(
        "inbox",
        &json!({"baseUrl": "https://h", "inboxIdentifier": "in", "retries": 0}),
        1,
    )
    .unwrap();
    let conversation = r#"{"id":3,"inbox_id":1,"status":"open","messages":[]}"#;
    let message = r#"{"id":5,"content":"x","message_type":0,"created_at":1700000000}"#;
    let contact = session("s", 1);
    let csat = r#"{"id":8,"csat_survey_response":null,"display_type":"emoji"}"#;
    let cases: Vec<(&str, Value, &str, &str, &str)> = vec![
        ("getInbox", json!([]), "GET", "/inboxes/in", INBOX),
        (
            "createContact",
            json!([{"name": "Ana"}]),
            "POST",
            "/inboxes/in/contacts",
            &contact,
        ),
        ("getContact", json!(["s"]), "GET", "/contacts/s", &contact),
        (
            "updateContact",
            json!(["s", {"name": "B"}]),
            "PATCH",
            "/contacts/s",
            r#"{"id":1,"name":"B"}"#,
        ),
        (
            "listConversations",
            json!(["s"]),
            "GET",
            "/contacts/s/conversations",
            "[]",
        ),
        (
            "createConversation",
            json!(["s", {}]),
            "POST",
            "/contacts/s/conversations",
            conversation,
        ),
        (
            "getConversation",
            json!(["s", 3]),
            "GET",
            "/conversations/3",
            conversation,
        ),
        (
            "resolveConversation",
            json!(["s", 3]),
            "POST",
            "/conversations/3/toggle_status",
            conversation,
        ),
        (
            "setTyping",
            json!(["s", 3, "on"]),
            "POST",
            "/conversations/3/toggle_typing",
            "",
        ),
        (
            "updateLastSeen",
            json!(["s", 3]),
            "POST",
            "/conversations/3/update_last_seen",
            "",
        ),
        (
            "listMessages",
            json!(["s", 3, {"before": 9}]),
            "GET",
            "/conversations/3/messages?before=9",
            "[]",
        ),
        (
            "createMessage",
            json!(["s", 3, {"content": "x"}]),
            "POST",
            "/conversations/3/messages",
            message,
        ),
        (
            "updateMessage",
            json!(["s", 3, 5, {"submittedValues": [{"title": "a", "value": "b"}]}]),
            "PATCH",
            "/conversations/3/messages/5",
            message,
        ),
        (
            "getCsatSurvey",
            json!(["u-1"]),
            "GET",
            "/csat_survey/u-1",
            csat,
        ),
        (
            "submitCsatSurvey",
            json!(["u-1", {"rating": 5}]),
            "PUT",
            "/csat_survey/u-1",
            csat,
        ),
    ];
    for (method, args, verb, path, body) in cases {
        let s = Step::of(&m.call(method, &args, NOW));
        let p = s.value().as_u64().unwrap();
        let id = s.fetch(verb, path);
        let a = Step::of(&m.response(id, 200, None, body.as_bytes(), NOW));
        let settled = a
            .settled(p)
            .unwrap_or_else(|| panic!("{method} not settled"));
        assert_eq!(settled["op"], "resolve", "{method}: {settled}");
    }
    // Bad input is refused before any request, with the argument named.
    let s = Step::of(&m.call("getConversation", &json!(["s", "x"]), NOW));
    assert_eq!(s.fetches(), 0);
    assert_eq!(s.ops()[0]["error"]["code"], "invalid_argument");
}

/// The channel identifier of contact `s`.
fn identifier() -> String {
    json!({"channel": "RoomChannel", "pubsub_token": "tok-s"}).to_string()
}

/// Message `id` of conversation 9 as the socket carries it (contact `s`, inbox 1).
fn broadcast(id: i64, extra: Value) -> Value {
    let mut v = json!({"id": id, "content": format!("m{id}"), "message_type": 1, "created_at": 1_700_000_000 + id,
        "inbox_id": 1, "conversation_id": 9, "status": "sent", "account_id": 1,
        "conversation": {"contact_inbox": {"source_id": "s"}}});
    if let (Value::Object(v), Value::Object(extra)) = (&mut v, extra) {
        v.extend(extra);
    }
    v
}

const LISTED: &str = r#"[{"id":9,"inbox_id":1,"status":"open","messages":[]}]"#;

/// A started session whose socket is live, with conversation 9's thread read (`page`).
fn live(read: std::ops::RangeInclusive<i64>) -> World {
    let mut w = started(true);
    let s = w.call("messages", json!([9]));
    let get = s.fetch("GET", "/conversations/9/messages");
    w.answer(get, 200, &page(read.clone()));
    let s = w.connect(1);
    // Read and listed before the socket was live: re-listed and caught up once.
    let relist = s.fetch("GET", "/contacts/s/conversations");
    let catch_up = s.try_fetch("GET", "/conversations/9/messages");
    w.answer(relist, 200, LISTED);
    if let Some(catch_up) = catch_up {
        w.answer(catch_up, 200, &page(read));
    }
    w
}

fn held(w: &mut World) -> Vec<i64> {
    w.call("messages", json!([9]))
        .value()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn a_send_whose_echo_comes_before_its_answer_is_told_sent_once() {
    let mut w = live(1..=2);
    let sent = w.call("send", json!([9, "hello"]));
    let echo = sent.value()["echoId"].as_str().unwrap().to_owned();
    let post = sent.fetch("POST", "/conversations/9/messages");
    let s = w.push(
        "message.created",
        broadcast(
            100,
            json!({"message_type": 0, "content": "hello", "echo_id": echo}),
        ),
    );
    assert_eq!(s.event_types(), ["message.sent"], "the echo confirms it");
    assert_eq!(s.events()[0]["echoId"], echo);
    let stored = broadcast(100, json!({"message_type": 0, "content": "hello"}));
    let s = w.answer(post, 200, &stored.to_string());
    assert_eq!(
        s.events(),
        Vec::<Value>::new(),
        "the answer after it says nothing new"
    );
    assert_eq!(held(&mut w), [1, 2, 100]);
}

#[test]
fn a_send_whose_answer_was_lost_is_queued_then_found_on_the_server_not_sent_again() {
    let mut w = started(false);
    let sent = w.call("send", json!([9, "lost answer"]));
    let echo = sent.value()["echoId"].as_str().unwrap().to_owned();
    assert_eq!(
        sent.outbox(),
        [echo.as_str()],
        "kept in the storage at once"
    );
    let post = sent.fetch("POST", "/conversations/9/messages");
    let s = w.report(Report::Abort {
        id: post,
        aborted: false,
    });
    assert_eq!(s.event_types(), ["message.queued"]);
    assert_eq!(s.events()[0]["message"]["status"], "queued");
    // The outbox tries again after its backoff, first looking at the newest page.
    w.now = s.timer().expect("a later attempt");
    let s = w.report(Report::Tick);
    let look = s.fetch("GET", "/conversations/9/messages");
    // The server stored it: the newest page holds it, just after the send.
    let stored = json!([{"id": 77, "content": "lost answer", "message_type": 0, "created_at": NOW / 1000 + 1, "conversation_id": 9}]);
    let s = w.answer(look, 200, &stored.to_string());
    assert_eq!(s.fetches(), 0, "not posted again");
    assert_eq!(s.event_types(), ["message.sent"]);
    assert_eq!(s.events()[0]["message"]["id"], 77);
    assert_eq!(s.outbox(), Vec::<String>::new(), "the storage forgets it");
    assert_eq!(held(&mut w), [77]);
}

/// A message of conversation 9 as the server stores a send of `content`.
fn stored_send(id: i64, content: &str) -> String {
    json!({"id": id, "content": content, "message_type": 0, "created_at": NOW / 1000, "conversation_id": 9})
        .to_string()
}

#[test]
fn sends_that_cannot_reach_the_server_wait_and_go_out_in_order_once_it_can() {
    let mut w = started(false);
    let first = w.call("send", json!([9, "first"]));
    let post = first.fetch("POST", "/conversations/9/messages");
    let s = w.report(Report::Failed(post));
    assert_eq!(s.event_types(), ["message.queued"]);
    let second = w.call("send", json!([9, "second"]));
    assert_eq!(
        second.event_types(),
        ["message.queued"],
        "a new send queues behind the first"
    );
    assert_eq!(second.value()["status"], "queued");
    // The outbox tries at once (the page may be back): still offline.
    let look = second.fetch("GET", "/conversations/9/messages");
    assert_eq!(second.try_fetch("POST", "/messages"), None);
    let s = w.unreachable_through_retries(look, "/conversations/9/messages");
    assert!(s.timer().is_some(), "tried again later");
    assert_eq!(s.fetches(), 0);
    let statuses: Vec<Value> = w
        .call("messages", json!([9]))
        .value()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].clone())
        .collect();
    assert_eq!(statuses, ["queued", "queued"]);
    // Online: the oldest first, each looked for, then posted.
    let s = w.report(Report::Page(chatwoot_inbox_sdk::machine::Page::Online));
    let look = s.fetch("GET", "/conversations/9/messages");
    let s = w.answer(look, 200, "[]");
    assert_eq!(s.event_types(), ["message.pending"]);
    let post = s.fetch("POST", "/conversations/9/messages");
    assert!(s.body(post).contains("\"first\""), "{}", s.body(post));
    let s = w.answer(post, 200, &stored_send(100, "first"));
    assert_eq!(s.event_types(), ["message.sent"]);
    let look = s.fetch("GET", "/conversations/9/messages");
    let s = w.answer(look, 200, &format!("[{}]", stored_send(100, "first")));
    let post = s.fetch("POST", "/conversations/9/messages");
    assert!(s.body(post).contains("\"second\""), "{}", s.body(post));
    let s = w.answer(post, 200, &stored_send(101, "second"));
    assert_eq!(s.event_types(), ["message.sent"]);
    assert_eq!(s.fetches(), 0, "the outbox is empty");
    assert_eq!(s.outbox(), Vec::<String>::new());
    assert_eq!(held(&mut w), [100, 101]);
}

#[test]
fn a_reload_sends_what_the_last_page_left_unsent_with_its_files_read_back_once_each() {
    let mut w = World::new(options(false));
    let stored = json!({"sourceId": "s1", "pubsubToken": "tok-s1", "outbox": [
        {"conversationId": 9, "echoId": "cw-1", "content": "from before", "createdAt": NOW - 5_000},
        {"conversationId": 9, "echoId": "cw-2", "content": "with a file", "createdAt": NOW - 4_000, "files": [["image", 120]]},
        {"conversationId": 9, "echoId": "cw-3", "content": "files gone", "createdAt": NOW - 3_000, "files": [["file", 5], ["file", 6]]},
    ]});
    let (p, s) = w.start(Some(&stored.to_string()));
    let get = s.fetch("GET", "/contacts/s1");
    let s = w.answer(get, 200, &session("s1", 5));
    assert_eq!(
        s.outbox(),
        ["cw-1", "cw-2", "cw-3"],
        "stored again with the verified contact"
    );
    let list = s.fetch("GET", "/contacts/s1/conversations");
    let s = w.answer(list, 200, LISTED);
    assert_eq!(s.settled(p).unwrap()["op"], "resolve");
    assert_eq!(
        s.event_types(),
        ["message.queued", "message.queued", "message.queued"]
    );
    assert_eq!(
        s.events()[1]["message"]["attachments"][0]["fileType"],
        "image",
        "shown with its file"
    );
    // The files of cw-2 and cw-3 are read back first; nothing goes before they are.
    let recalls: Vec<(u32, String, String)> = s
        .ops()
        .into_iter()
        .filter(|o| o["op"] == "recall")
        .map(|o| {
            (
                o["id"].as_u64().unwrap() as u32,
                o["echo"].as_str().unwrap().to_owned(),
                o["files"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        recalls.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ["cw-2", "cw-3"]
    );
    assert_eq!(s.fetches(), 0);
    let s = w.report(Report::Recalled {
        id: recalls[0].0,
        found: true,
    });
    assert_eq!(s.fetches(), 0, "still reading cw-3's");
    let s = w.report(Report::Recalled {
        id: recalls[1].0,
        found: false,
    });
    assert_eq!(s.event_types(), ["message.failed"], "cw-3's files are gone");
    assert_eq!(s.events()[0]["echoId"], "cw-3");
    assert_eq!(
        s.events()[0]["message"]["content"],
        "files gone",
        "its text kept"
    );
    assert_eq!(s.events()[0]["message"]["attachments"], json!([]));
    // Oldest first: cw-1, then cw-2 with the files read back.
    let look = s.fetch("GET", "/conversations/9/messages");
    let s = w.answer(look, 200, "[]");
    let post = s.fetch("POST", "/conversations/9/messages");
    assert!(s.body(post).contains("from before"));
    let s = w.answer(post, 200, &stored_send(300, "from before"));
    assert_eq!(s.event_types(), ["message.sent"]);
    let look = s.fetch("GET", "/conversations/9/messages");
    let s = w.answer(look, 200, &format!("[{}]", stored_send(300, "from before")));
    let post = s
        .ops()
        .into_iter()
        .find(|o| o["op"] == "fetch" && o["method"] == "POST")
        .unwrap()
        .clone();
    assert_eq!(post["files"], recalls[0].2, "with the files read back");
    let s = w.answer(
        post["id"].as_u64().unwrap() as u32,
        200,
        &stored_send(301, "with a file"),
    );
    assert_eq!(s.event_types(), ["message.sent"]);
    assert!(
        s.ops()
            .iter()
            .any(|o| o["op"] == "unpersist" && o["echo"] == "cw-2"),
        "its files are no longer kept"
    );
    assert_eq!(s.fetches(), 0);
    assert_eq!(
        s.outbox(),
        Vec::<String>::new(),
        "only the failed one is left, and not kept"
    );
}

#[test]
fn discard_drops_a_queued_send_and_reset_forgets_the_outbox_with_the_contact() {
    let mut w = started(false);
    let a = w.call("send", json!([9, "drop me"]));
    let echo = a.value()["echoId"].as_str().unwrap().to_owned();
    let post = a.fetch("POST", "/conversations/9/messages");
    w.report(Report::Failed(post));
    let b = w.call("send", json!([9, "forget me"]));
    let look = b.fetch("GET", "/conversations/9/messages");
    let d = w.call("discard", json!([echo]));
    assert_eq!(d.value(), &json!(true));
    assert_eq!(d.outbox().len(), 1, "only the other one is kept");
    assert_eq!(w.call("discard", json!([echo])).value(), &json!(false));
    assert_eq!(
        w.call("discard", json!([5])).0["throw"]["code"],
        "invalid_argument"
    );
    // The look-up for the discarded one comes back: the next one goes instead.
    let s = w.answer(look, 200, "[]");
    let look = s.fetch("GET", "/conversations/9/messages");
    w.unreachable_through_retries(look, "/conversations/9/messages");
    // reset(): the stored session goes, and nothing of its outbox is written again.
    let reset = w.call("reset", json!([]));
    let p = reset.value().as_u64().unwrap();
    let cleared: Vec<&Value> = reset
        .ops()
        .into_iter()
        .filter(|o| o["op"] == "store")
        .collect();
    assert!(cleared.iter().all(|o| o["value"].is_null()), "{cleared:?}");
    assert_eq!(w.drive(reset, p, "fresh")["op"], "resolve");
    assert_eq!(held(&mut w), Vec::<i64>::new());
}

#[test]
fn a_relist_that_fails_after_a_reconnect_is_retried_and_then_catches_up_a_conversation_never_read()
{
    let mut w = started(true);
    let s = w.connect(1);
    let relist = s.fetch("GET", "/contacts/s/conversations");
    w.answer(relist, 200, LISTED);
    // The socket drops; while it is away two messages are stored.
    w.drop_and_reconnect(1);
    let s = w.connect(2);
    // The re-list fails outright (its retries used up).
    let relist = s.fetch("GET", "/contacts/s/conversations");
    let s = w.fail_through_retries(relist, "/contacts/s/conversations");
    assert_eq!(s.event_types(), ["error"], "reported");
    let at = s.timer().expect("and tried again later");
    assert!(at > w.now && at <= w.now + 4_000);
    w.now = at;
    let s = w.report(Report::Tick);
    let relist = s.fetch("GET", "/contacts/s/conversations");
    let listed = json!([{"id": 9, "inbox_id": 1, "status": "open", "messages": [broadcast(1, json!({})), broadcast(2, json!({}))]}]);
    let s = w.answer(relist, 200, &listed.to_string());
    assert_eq!(s.created(), [1, 2], "what came while away, once, in order");
    assert_eq!(
        s.events().last().unwrap(),
        &json!({"type": "synced", "conversationId": 9, "recovered": 2})
    );
}

#[test]
fn a_drop_in_the_middle_of_a_catch_up_starts_it_over_and_reports_each_message_once() {
    let mut w = live(1..=3);
    w.drop_and_reconnect(1);
    let s = w.connect(2);
    let relist = s.fetch("GET", "/contacts/s/conversations");
    let late = s.fetch("GET", "/conversations/9/messages");
    let mut created = w.answer(relist, 200, LISTED).created();
    // The socket drops again before the catch-up's page is answered; 4 to 6 were stored
    // meanwhile.
    w.drop_and_reconnect(2);
    let s = w.connect(3);
    // The first catch-up's page comes late, then the new catch-up is answered.
    let step = w.answer(late, 200, &page(1..=5));
    created.extend(step.created());
    created.extend(w.serve(step, &page(1..=6)));
    created.extend(w.serve(s, &page(1..=6)));
    assert_eq!(held(&mut w), (1..=6).collect::<Vec<_>>());
    assert_eq!(created, [4, 5, 6], "what was missed, once each, in order");
}

#[test]
fn an_identified_start_creates_the_contact_then_verifies_it_with_the_hash() {
    let mut o = options(false);
    o["user"] = json!({"identifier": "user-1", "identifierHash": "f00d", "name": "Ana"});
    let mut w = World::new(o);
    let (p, s) = w.start(None);
    let create = s.fetch("POST", "/contacts");
    assert!(
        s.body(create).contains("\"identifier\":\"user-1\""),
        "{}",
        s.body(create)
    );
    let s = w.answer(create, 200, &session("s7", 7));
    // Create alone does not verify: the GET with the identity does (reference §5).
    let verify = s.fetch("GET", "/contacts/s7?identifier=user-1&identifier_hash=f00d");
    assert_eq!(
        s.settled(p),
        None,
        "not started before the server verified it"
    );
    let s = w.answer(verify, 200, &session("s7", 7));
    let stored = s.op("store");
    assert!(
        stored["key"].as_str().unwrap().contains("user-1"),
        "remembered under the user's key: {stored}"
    );
    let list = s.fetch("GET", "/contacts/s7/conversations");
    let s = w.answer(list, 200, "[]");
    assert_eq!(s.settled(p).unwrap()["op"], "resolve");
    assert_eq!(w.call("contact", json!([])).value()["sourceId"], "s7");
}

#[test]
fn a_timed_out_send_is_not_looked_for_before_it_may_have_landed_whatever_wakes_the_outbox() {
    let mut w = started(false);
    let a = w.call("send", json!([9, "slow one"]));
    let post = a.fetch("POST", "/conversations/9/messages");
    let queued = w.report(Report::Abort {
        id: post,
        aborted: false,
    });
    assert_eq!(queued.event_types(), ["message.queued"]);
    // A new send wakes the outbox at once: the timed-out one is not looked for yet.
    w.now += 100;
    let b = w.call("send", json!([9, "next one"]));
    assert_eq!(b.event_types(), ["message.queued"]);
    assert_eq!(b.fetches(), 0, "not before 2 s after the timeout");
    let s = w.report(Report::Page(chatwoot_inbox_sdk::machine::Page::Online));
    assert_eq!(s.fetches(), 0, "nor when the page goes online");
    let due = queued.timer().expect("a time to look again");
    assert!(due >= NOW + 2_000, "{due}");
    w.now = due;
    let s = w.report(Report::Tick);
    s.fetch("GET", "/conversations/9/messages");
}

#[test]
fn a_queued_send_that_fails_for_good_lets_the_next_one_go() {
    let mut w = started(false);
    let a = w.call("send", json!([9, "first"]));
    let post = a.fetch("POST", "/conversations/9/messages");
    w.report(Report::Failed(post));
    // The second queues behind, and wakes the outbox: the first is looked for.
    let s = w.call("send", json!([9, "second"]));
    let look = s.fetch("GET", "/conversations/9/messages");
    let s = w.answer(look, 200, "[]");
    let post = s.fetch("POST", "/conversations/9/messages");
    assert!(s.body(post).contains("first"));
    let s = w.answer(
        post,
        422,
        r#"{"message":"Content is not allowed","attributes":["content"]}"#,
    );
    assert_eq!(s.event_types(), ["message.failed"]);
    let look = s.fetch("GET", "/conversations/9/messages");
    let s = w.answer(look, 200, "[]");
    let post = s.fetch("POST", "/conversations/9/messages");
    assert!(s.body(post).contains("second"), "the queue goes on");
}

/// The `open` op of `step` (its `group`: absent when the socket is the session's own).
fn opened(step: &Step) -> Value {
    step.op("open")
}

/// An `identify` whose storage read `load` finds nothing: the contact `source` (`id`) is
/// created, verified and its (empty) list read; the last step.
fn identified(w: &mut World, load: u32, source: &str, id: i64) -> Step {
    let s = w.report(Report::Loaded {
        id: load,
        value: None,
    });
    let create = s.fetch("POST", "/contacts");
    let s = w.answer(create, 200, &session(source, id));
    let verify = s.fetch("GET", &format!("/contacts/{source}"));
    let s = w.answer(verify, 200, &session(source, id));
    let list = s.fetch("GET", "/conversations");
    w.answer(list, 200, "[]")
}

fn shared_options() -> Value {
    json!({"baseUrl": "https://chat.example.com", "inboxIdentifier": "in", "tabs": "shared"})
}

/// Started with `options` to contact `s` (no stored session): the step that opens the socket.
fn started_with(options: Value) -> (World, Step) {
    let mut w = World::new(options);
    let (_, s) = w.start(None);
    let create = s.fetch("POST", "/contacts");
    let s = w.answer(create, 200, &session("s", 1));
    let list = s.fetch("GET", "/conversations");
    let s = w.answer(list, 200, "[]");
    (w, s)
}

#[test]
fn shared_tabs_name_the_socket_after_the_contact_and_tell_the_siblings_of_identify_and_reset() {
    let (_, own) = started_with(options(true));
    assert_eq!(
        opened(&own).get("group"),
        None,
        "tabs: own (the engine's default)"
    );
    let (mut w, s) = started_with(shared_options());
    assert_eq!(
        opened(&s)["group"],
        "chatwoot-inbox-sdk https://chat.example.com in s"
    );
    w.connect(1);

    // identify: the siblings are told (before the socket moves), with the user's identity.
    let s = w.call(
        "identify",
        json!([{"identifier": "user-1", "identifierHash": "h1"}]),
    );
    let p = s.value().as_u64().unwrap();
    let load = s.load().unwrap();
    let s = identified(&mut w, load, "u1", 2);
    let names = s.names();
    let moved = names
        .iter()
        .position(|n| n == "moved")
        .expect("the siblings are told");
    let open = names
        .iter()
        .position(|n| n == "open")
        .expect("the socket moves");
    assert!(moved < open, "{names:?}");
    let told = s.ops()[moved].clone();
    let user: Value = serde_json::from_str(told["user"].as_str().unwrap()).unwrap();
    assert_eq!(
        user,
        json!({"identifier": "user-1", "identifierHash": "h1"})
    );
    assert_eq!(
        opened(&s)["group"],
        "chatwoot-inbox-sdk https://chat.example.com in u1"
    );
    assert_eq!(s.settled(p).unwrap()["op"], "resolve");

    // reset: told without a user.
    let s = w.call("reset", json!([]));
    let create = s.fetch("POST", "/contacts");
    let s = w.answer(create, 200, &session("a2", 3));
    let list = s.fetch("GET", "/conversations");
    let s = w.answer(list, 200, "[]");
    let told = s.op("moved");
    assert_eq!(told.get("user"), None);
    assert_eq!(
        opened(&s)["group"],
        "chatwoot-inbox-sdk https://chat.example.com in a2"
    );
}

#[test]
fn a_sibling_that_moved_is_followed_from_the_session_it_stored() {
    let (mut w, _) = started_with(shared_options());
    w.connect(1);

    // The sibling identified: this session reads that user's stored session, verifies it
    // with the identity, and moves its socket; it tells no one (no echo of a move).
    let user = json!({"identifier": "user-1", "identifierHash": "h1"}).to_string();
    let s = w.report(Report::Follow { user: Some(user) });
    let load = s.op("load");
    assert!(
        load["key"].as_str().unwrap().ends_with(r#":"user-1""#),
        "{load}"
    );
    // (The sibling's queue is stored with it: that tab sends it, this one leaves it be.)
    let stored = r#"{"sourceId":"u1","pubsubToken":"tok-u1","outbox":[{"conversationId":9,"echoId":"e-other","content":"queued in the other tab","createdAt":1700000000000,"files":[]}]}"#;
    let s = w.report(Report::Loaded {
        id: load["id"].as_u64().unwrap() as u32,
        value: Some(stored.to_owned()),
    });
    assert_eq!(s.fetches(), 1, "no contact is created: {:?}", s.names());
    let get = s.fetch("GET", "/contacts/u1");
    let s = w.answer(get, 200, &session("u1", 2));
    assert!(!s.names().contains(&"store".to_owned()), "{:?}", s.names());
    let list = s.fetch("GET", "/conversations");
    let s = w.answer(list, 200, "[]");
    assert!(!s.names().contains(&"moved".to_owned()), "{:?}", s.names());
    assert!(
        !s.names().contains(&"store".to_owned()),
        "the sibling's stored session stays: {:?}",
        s.names()
    );
    assert_eq!(
        s.try_fetch("POST", "/messages"),
        None,
        "the sibling's queue is not sent from here"
    );
    assert_eq!(
        opened(&s)["group"],
        "chatwoot-inbox-sdk https://chat.example.com in u1"
    );
    let contact = w.call("contact", json!([]));
    assert_eq!(contact.value()["sourceId"], "u1");

    // Told again of the same user (two siblings moved): nothing to do.
    let again = json!({"identifier": "user-1"}).to_string();
    let s = w.report(Report::Follow { user: Some(again) });
    assert_eq!(s.names(), Vec::<String>::new());

    // The sibling reset: the anonymous session it stored.
    let s = w.report(Report::Follow { user: None });
    let load = s.op("load");
    assert!(
        load["key"].as_str().unwrap().ends_with(r#":"in""#),
        "{load}"
    );
    let s = w.report(Report::Loaded {
        id: load["id"].as_u64().unwrap() as u32,
        value: Some(r#"{"sourceId":"a2","pubsubToken":"tok-a2"}"#.to_owned()),
    });
    let get = s.fetch("GET", "/contacts/a2");
    let s = w.answer(get, 200, &session("a2", 3));
    let list = s.fetch("GET", "/conversations");
    let s = w.answer(list, 200, "[]");
    assert_eq!(
        opened(&s)["group"],
        "chatwoot-inbox-sdk https://chat.example.com in a2"
    );
    assert_eq!(w.call("contact", json!([])).value()["sourceId"], "a2");
}

#[test]
fn tabs_must_be_shared_or_own() {
    let bad =
        json!({"baseUrl": "https://chat.example.com", "inboxIdentifier": "in", "tabs": "all"});
    let Err(e) = Machine::new("session", &bad, 7) else {
        panic!("tabs: \"all\" accepted")
    };
    assert!(e.message.contains("tabs"), "{}", e.message);
}

#[test]
fn load_older_reads_on_past_a_page_of_messages_already_held() {
    // Messages 21..=60 came by socket while the thread was never read (news, held); the
    // server's history is 1..=60. The first read brings 41..=60 again, and the `before`
    // page of that (21..=40) is held already: loadOlder reads on to 1..=20 by itself
    // instead of saying there is nothing older.
    let mut w = started(true);
    w.connect(1);
    for id in 21..=60 {
        w.push("message.created", broadcast(id, json!({})));
    }
    let first = w.call("messages", json!([9]));
    let get = first.fetch("GET", "/conversations/9/messages");
    w.answer(get, 200, &page(41..=60));
    let older = w.call("loadOlder", json!([9]));
    let p = older.value().as_u64().unwrap();
    let get = older.fetch("GET", "/messages?before=41");
    let s = w.answer(get, 200, &page(21..=40));
    assert_eq!(s.settled(p), None, "a page of held messages is no answer");
    let get = s.fetch("GET", "/messages?before=21");
    let s = w.answer(get, 200, &page(1..=20));
    assert_eq!(
        s.settled(p).unwrap()["v"],
        true,
        "older messages were added"
    );
    assert_eq!(held(&mut w), (1..=60).collect::<Vec<_>>());
}

#[test]
fn a_sibling_move_is_not_followed_while_this_sessions_own_identify_is_under_way() {
    let (mut w, _) = started_with(shared_options());
    w.connect(1);
    let s = w.call("identify", json!([{"identifier": "user-2"}]));
    let p = s.value().as_u64().unwrap();
    let load = s.load().unwrap();
    // A sibling's move arrives meanwhile: this session's own call decides.
    let told = json!({"identifier": "user-1"}).to_string();
    let ignored = w.report(Report::Follow { user: Some(told) });
    assert!(
        !ignored.names().contains(&"load".to_owned()),
        "{:?}",
        ignored.names()
    );
    let s = identified(&mut w, load, "u2", 4);
    assert_eq!(
        s.settled(p).unwrap()["op"],
        "resolve",
        "not superseded by the sibling"
    );
    assert_eq!(w.call("contact", json!([])).value()["sourceId"], "u2");
    // Once it is done, a later move is followed again.
    let s = w.report(Report::Follow { user: None });
    assert!(s.names().contains(&"load".to_owned()), "{:?}", s.names());
}
