//! The whole ChatSession machine: started against answers the fuzzer makes up (any
//! status, any body), then any sequence of method calls, answers, socket frames and
//! timer ticks. Invariants: every step's output is JSON; a promise is settled at most
//! once and a request ends at most once; nothing is asked of a request that ended.
#![no_main]

use std::collections::HashSet;

mod common;

use chatwoot_inbox_sdk::machine::{Machine, Outcome, Page, Report};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[derive(Arbitrary, Debug)]
enum Step {
    /// Answer the oldest open request with a canned good body for its route, or this
    /// status and body.
    Answer { good: bool, status: u16, body: Vec<u8> },
    Fail,
    Abort { timeout: bool },
    Wake,
    Frame(String),
    GoodFrame(u8),
    Socket { open: bool },
    Tick(u16),
    Page(u8),
    Loaded(Option<String>),
    Call { method: u8, id: u8, text: String },
    /// A sibling tab moved to another contact (shared tabs).
    Follow(Option<String>),
}

const METHODS: &[&str] = &[
    "messages", "send", "loadOlder", "listConversations", "startConversation", "retry", "typing",
    "stopTyping", "markSeen", "resolve", "submitReply", "identify", "reset", "close",
    "getSnapshot", "inbox", "contact", "state",
];

/// A plausible answer for a request, by its path.
fn good_body(url: &str, n: u8) -> String {
    if url.ends_with("/contacts") || url.contains("/contacts/") && !url.contains("/conversations") {
        return r#"{"source_id":"src","pubsub_token":"tok","id":1,"name":"A"}"#.into();
    }
    if url.contains("/messages") {
        return format!(r#"[{{"id":{n},"content":"m","message_type":1,"created_at":1700000000}}]"#);
    }
    if url.ends_with("/conversations") {
        return r#"[{"id":1,"inbox_id":1,"status":"open","messages":[]}]"#.into();
    }
    if url.contains("/conversations/") {
        return r#"{"id":1,"inbox_id":1,"status":"resolved","messages":[]}"#.into();
    }
    r#"{"identifier":"i","name":"Support","working_hours":[]}"#.into()
}

fn good_frame(n: u8) -> String {
    let id = r#"{\"channel\":\"RoomChannel\",\"pubsub_token\":\"tok\"}"#;
    match n % 5 {
        0 => r#"{"type":"welcome"}"#.into(),
        1 => r#"{"type":"ping","message":1}"#.into(),
        2 => format!(r#"{{"identifier":"{id}","type":"confirm_subscription"}}"#),
        3 => format!(
            r#"{{"identifier":"{id}","message":{{"event":"message.created","data":{{"id":{n},"content":"x","message_type":1,"conversation_id":1,"inbox_id":1,"conversation":{{"contact_inbox":{{"source_id":"src"}}}}}}}}}}"#
        ),
        _ => r#"{"type":"disconnect","reason":"server_restart","reconnect":true}"#.into(),
    }
}

struct World {
    m: Machine,
    now: u64,
    open: Vec<(u32, String)>,
    ended: HashSet<u32>,
    settled: HashSet<u64>,
    socket: u32,
    loads: Vec<u64>,
}

impl World {
    fn apply(&mut self, out: &Outcome) {
        // The operations as the driver reads them; every value they carry is JSON.
        let text = serde_json::to_string(out).expect("an outcome serialises");
        let v: Value = serde_json::from_str(&text).expect("and reads back as JSON");
        let Some(ops) = v["ops"].as_array() else { panic!("no ops") };
        for op in ops {
            let id = op["id"].as_u64().unwrap_or(0) as u32;
            match op["op"].as_str().unwrap_or("") {
                "fetch" => {
                    assert!(!self.ended.contains(&id), "a request that ended is not sent again");
                    if !self.open.iter().any(|(i, _)| *i == id) {
                        self.open.push((id, op["url"].as_str().unwrap_or("").to_owned()));
                    }
                }
                "end" => {
                    assert!(self.ended.insert(id), "a request ends once");
                    self.open.retain(|(i, _)| *i != id);
                }
                "resolve" | "reject" => {
                    let p = op["p"].as_u64().unwrap_or(0);
                    assert!(self.settled.insert(p), "a promise is settled once");
                }
                "open" => self.socket = op["socket"].as_u64().unwrap_or(0) as u32,
                "load" => self.loads.push(op["id"].as_u64().unwrap_or(0)),
                _ => {}
            }
        }
    }
}

fuzz_target!(|steps: Vec<Step>| {
    let options = serde_json::json!({"baseUrl":"https://chat.example.com","inboxIdentifier":"in","user":null,"tabs":"shared"});
    let Ok(m) = Machine::new("session", &options, 42) else { return };
    let mut w = World { m, now: 1_700_000_000_000, open: Vec::new(), ended: HashSet::new(), settled: HashSet::new(), socket: 0, loads: Vec::new() };
    let out = w.m.call("start", &serde_json::json!([]), w.now);
    w.apply(&out);
    for step in steps.into_iter().take(300) {
        let out = match step {
            Step::Answer { good, status, body } => {
                let Some((id, url)) = w.open.first().cloned() else { continue };
                if good {
                    let body = good_body(&url, (id % 250) as u8);
                    w.m.response(id, 200, None, body.as_bytes(), w.now)
                } else {
                    w.m.response(id, status, Some("1"), &body, w.now)
                }
            }
            Step::Fail => {
                let Some((id, _)) = w.open.first().cloned() else { continue };
                w.m.input(Report::Failed(id), w.now)
            }
            Step::Abort { timeout } => {
                let Some((id, _)) = w.open.last().cloned() else { continue };
                w.m.input(Report::Abort { id, aborted: !timeout }, w.now)
            }
            Step::Wake => {
                let Some((id, _)) = w.open.first().cloned() else { continue };
                w.m.input(Report::Wake(id), w.now)
            }
            Step::Frame(text) => w.m.frame(w.socket, &text, w.now),
            Step::GoodFrame(n) => w.m.frame(w.socket, &good_frame(n), w.now),
            Step::Socket { open } => {
                w.m.input(Report::Socket { socket: w.socket, open }, w.now)
            }
            Step::Tick(ms) => {
                w.now = w.now.saturating_add(u64::from(ms) * 10);
                w.m.input(Report::Tick, w.now)
            }
            Step::Page(n) => {
                let page = [Page::Online, Page::Offline, Page::Visible][usize::from(n % 3)];
                w.m.input(Report::Page(page), w.now)
            }
            Step::Loaded(value) => {
                let Some(id) = w.loads.pop() else { continue };
                w.m.input(Report::Loaded { id: id as u32, value }, w.now)
            }
            Step::Follow(user) => w.m.input(Report::Follow { user }, w.now),
            Step::Call { method, id, text } => {
                let name = METHODS[usize::from(method) % METHODS.len()];
                let args = serde_json::json!([id, text, [{"title": text, "value": id}]]);
                w.m.call(name, &args, w.now)
            }
        };
        w.apply(&out);
    }
});
