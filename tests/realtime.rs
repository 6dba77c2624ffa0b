//! The ActionCable client as a state machine (reference §6.1–6.2): frames, timers and
//! network changes in, socket commands and state out.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chatwoot_inbox_sdk::realtime::{frame, Action, Cable, Frame, State, Timing};

const TOKEN: &str = "tok\"en";

fn cable() -> Cable {
    Cable::new(TOKEN, Timing::default(), 42)
}

fn confirm(c: &Cable) -> Frame {
    Frame::Confirm {
        identifier: c.identifier().to_owned(),
    }
}

/// Opens, welcomes and confirms; returns the time reached.
fn live(c: &mut Cable, now: u64) -> u64 {
    let out = c.start(now);
    assert!(matches!(out[0], Action::Open { .. }));
    let s = c.socket();
    c.on_open(s, now);
    let out = c.on_frame(s, &Frame::Welcome, now + 10);
    assert_eq!(out, vec![Action::Send(frame::subscribe(c.identifier()))]);
    let out = c.on_frame(s, &confirm(c), now + 20);
    assert!(out.contains(&Action::Subscribed));
    assert!(out.contains(&Action::Send(frame::presence(c.identifier()))));
    assert_eq!(c.state(), State::Open);
    now + 20
}

fn states(out: &[Action]) -> Vec<State> {
    out.iter()
        .filter_map(|a| match a {
            Action::State { state, .. } => Some(*state),
            _ => None,
        })
        .collect()
}

fn retry_in(out: &[Action]) -> Option<u64> {
    out.iter().find_map(|a| match a {
        Action::State { retry_in_ms, .. } => *retry_in_ms,
        _ => None,
    })
}

#[test]
fn frames_written_are_the_ones_rails_expects() {
    let id = frame::identifier("abc");
    assert_eq!(id, r#"{"channel":"RoomChannel","pubsub_token":"abc"}"#);
    // The identifier is a JSON string inside the frame; data is a string too.
    let sub: serde_json::Value = serde_json::from_str(&frame::subscribe(&id)).unwrap();
    assert_eq!(sub["command"], "subscribe");
    assert_eq!(sub["identifier"], id.as_str());
    let p: serde_json::Value = serde_json::from_str(&frame::presence(&id)).unwrap();
    assert_eq!(p["command"], "message");
    assert_eq!(p["data"], r#"{"action":"update_presence"}"#);
    let un: serde_json::Value = serde_json::from_str(&frame::unsubscribe(&id)).unwrap();
    assert_eq!(un["command"], "unsubscribe");
    // A token with quotes, backslashes and control characters stays one JSON string.
    let odd = frame::identifier("a\"b\\c\u{1}");
    let back: serde_json::Value = serde_json::from_str(&odd).unwrap();
    assert_eq!(back["pubsub_token"], "a\"b\\c\u{1}");
}

#[test]
fn frames_read_tolerantly() {
    let f = |s: &str| Frame::parse(s).map_or(Frame::Other, |(f, _)| f);
    assert_eq!(f(r#"{"type":"welcome"}"#), Frame::Welcome);
    assert_eq!(f(r#"{"type":"ping","message":1717000000}"#), Frame::Ping);
    assert_eq!(
        f(r#"{"identifier":"x","type":"confirm_subscription"}"#),
        Frame::Confirm {
            identifier: "x".into()
        }
    );
    assert_eq!(
        f(r#"{"type":"disconnect","reason":"server_restart","reconnect":true}"#),
        Frame::Disconnect { reconnect: true }
    );
    assert_eq!(
        f(r#"{"type":"disconnect","reason":"unauthorized","reconnect":false}"#),
        Frame::Disconnect { reconnect: false }
    );
    assert_eq!(f(r#"{"type":"something_new"}"#), Frame::Other);
    let text = r#"{"identifier":"x","message":{"event":"message.created","data":{"id":1}}}"#;
    let (frame, push) = Frame::parse(text).unwrap();
    assert_eq!(
        frame,
        Frame::Message {
            identifier: "x".into()
        }
    );
    let push = push.unwrap();
    assert_eq!(push.event, "message.created");
    assert_eq!(push.data, r#"{"id":1}"#);
    assert_eq!(
        f(r#"{"identifier":7,"message":{}}"#),
        Frame::Other,
        "an identifier that is not a string names no subscription"
    );
    assert_eq!(f("[]"), Frame::Other);
}

#[test]
fn subscribes_only_after_welcome_and_reports_states() {
    let mut c = cable();
    let out = c.start(0);
    assert_eq!(states(&out), vec![State::Connecting]);
    // Nothing is sent on open: ActionCable speaks first.
    assert!(c.on_open(c.socket(), 5).is_empty());
    let s = c.socket();
    let out = c.on_frame(s, &Frame::Welcome, 10);
    assert_eq!(out.len(), 1);
    let out = c.on_frame(s, &confirm(&c), 20);
    assert_eq!(states(&out), vec![State::Open]);
    // A confirm for someone else's identifier is not ours.
    let mut c2 = cable();
    c2.start(0);
    let s2 = c2.socket();
    c2.on_frame(s2, &Frame::Welcome, 1);
    let other = Frame::Confirm {
        identifier: frame::identifier("other"),
    };
    assert!(c2.on_frame(s2, &other, 2).is_empty());
}

#[test]
fn unconfirmed_subscription_is_retried_on_a_new_socket() {
    let mut c = cable();
    c.start(0);
    let first = c.socket();
    c.on_frame(first, &Frame::Welcome, 10);
    assert_eq!(c.deadline(), Some(10 + 8_000));
    // Pings keep coming but the confirm never does (invalid token, §6.1).
    c.on_frame(first, &Frame::Ping, 3_000);
    let out = c.tick(8_010);
    assert_eq!(out[0], Action::Close);
    assert_eq!(states(&out), vec![State::Reconnecting]);
    let wait = retry_in(&out).unwrap();
    assert!((100..1_000).contains(&wait), "first retry is quick: {wait}");
    let out = c.tick(8_010 + wait);
    assert_eq!(out[0], Action::Open { socket: first + 1 });
    // Frames from the dropped socket are ignored.
    assert!(c.on_frame(first, &Frame::Welcome, 9_000).is_empty());
}

#[test]
fn missing_pings_mean_a_dead_socket() {
    let mut c = cable();
    let t = live(&mut c, 0);
    let s = c.socket();
    c.on_frame(s, &Frame::Ping, t + 3_000);
    assert!(c
        .tick(t + 3_000 + 8_000)
        .iter()
        .all(|a| !matches!(a, Action::Close)));
    let out = c.tick(t + 3_000 + 8_001);
    assert_eq!(out[0], Action::Close);
    assert_eq!(out[1], Action::Lost);
    assert_eq!(states(&out), vec![State::Reconnecting]);
}

#[test]
fn presence_every_twenty_seconds_while_live() {
    let mut c = cable();
    let t = live(&mut c, 0);
    let s = c.socket();
    let mut sent = 0;
    let mut now = t;
    while now < t + 61_000 {
        now += 3_000;
        c.on_frame(s, &Frame::Ping, now);
        while c.deadline().is_some_and(|d| d <= now) {
            sent += c
                .tick(now)
                .iter()
                .filter(|a| **a == Action::Send(frame::presence(c.identifier())))
                .count();
        }
    }
    assert_eq!(sent, 3, "one presence per 20 s over 61 s");
    assert_eq!(c.state(), State::Open);
}

#[test]
fn backoff_grows_with_jitter_and_a_cap_then_resets_when_live() {
    let mut c = cable();
    c.start(0);
    let mut now = 0;
    let mut waits = Vec::new();
    for _ in 0..12 {
        let out = c.on_close(c.socket(), now);
        let wait = retry_in(&out).unwrap();
        waits.push(wait);
        now += wait;
        assert!(matches!(c.tick(now)[0], Action::Open { .. }));
    }
    assert!(waits[0] < 1_000);
    assert!((1_000..=2_000).contains(&waits[1]), "{waits:?}");
    assert!((2_000..=4_000).contains(&waits[2]), "{waits:?}");
    assert!(waits.iter().all(|w| *w <= 30_000), "{waits:?}");
    assert!(waits[11] >= 15_000, "{waits:?}");
    // Once live, the next failure starts from the quick retry again.
    let s = c.socket();
    c.on_frame(s, &Frame::Welcome, now);
    c.on_frame(s, &confirm(&c), now);
    let out = c.on_close(s, now + 1);
    assert!(retry_in(&out).unwrap() < 1_000);
}

#[test]
fn online_and_visible_retry_at_once() {
    let mut c = cable();
    let t = live(&mut c, 0);
    let out = c.on_network(false, t + 1);
    assert_eq!(out[0], Action::Close);
    assert_eq!(states(&out), vec![State::Offline]);
    let out = c.on_network(true, t + 2);
    assert!(matches!(out[0], Action::Open { .. }));
    assert_eq!(states(&out), vec![State::Reconnecting]);
    // Close again; becoming visible does not wait for the backoff.
    let s = c.socket();
    c.on_close(s, t + 3);
    let out = c.on_visible(t + 4);
    assert!(matches!(out[0], Action::Open { .. }));
    // A live socket that has been silent too long while hidden is replaced on visible.
    let mut c = cable();
    let t = live(&mut c, 0);
    assert!(c.on_visible(t + 1_000).is_empty());
    let out = c.on_visible(t + 9_000);
    assert_eq!(out[0], Action::Close);
}

#[test]
fn disconnect_frames_are_honoured() {
    let mut c = cable();
    let t = live(&mut c, 0);
    let s = c.socket();
    let out = c.on_frame(s, &Frame::Disconnect { reconnect: true }, t + 1);
    assert_eq!(out[0], Action::Close);
    assert!(retry_in(&out).is_some());
    let mut c = cable();
    let t = live(&mut c, 0);
    let s = c.socket();
    let out = c.on_frame(s, &Frame::Disconnect { reconnect: false }, t + 1);
    assert_eq!(states(&out), vec![State::Closed]);
    assert_eq!(c.deadline(), None);
}

#[test]
fn events_delivered_only_for_our_identifier_when_live() {
    let mut c = cable();
    let t = live(&mut c, 0);
    let s = c.socket();
    let ours = Frame::Message {
        identifier: c.identifier().to_owned(),
    };
    assert_eq!(c.on_frame(s, &ours, t + 1), vec![Action::Deliver]);
    let theirs = Frame::Message {
        identifier: frame::identifier("x"),
    };
    assert!(c.on_frame(s, &theirs, t + 2).is_empty());
}

#[test]
fn new_token_resubscribes_on_a_fresh_socket_and_stop_is_final() {
    let mut c = cable();
    let t = live(&mut c, 0);
    let before = c.socket();
    let out = c.set_token("new", t + 1);
    assert_eq!(out[0], Action::Close);
    assert_eq!(out[1], Action::Lost);
    assert_eq!(out[2], Action::Open { socket: before + 1 });
    assert_eq!(c.identifier(), frame::identifier("new"));
    let out = c.stop();
    assert_eq!(states(&out), vec![State::Closed]);
    assert!(c.on_close(c.socket(), t + 2).is_empty());
    assert!(c.tick(t + 100_000).is_empty());
    assert!(c.on_network(true, t + 100_001).is_empty());
}

#[test]
fn a_subscribe_command_is_read_back_and_confirmed_as_the_server_would() {
    let id = frame::identifier("tok");
    assert_eq!(
        frame::subscribed(&frame::subscribe(&id)).as_deref(),
        Some(id.as_str())
    );
    assert_eq!(
        frame::subscribed(&frame::presence(&id)),
        None,
        "not a subscribe"
    );
    assert_eq!(frame::subscribed("not json"), None);
    let confirm = frame::confirm(&id);
    assert!(
        matches!(Frame::parse(&confirm), Some((Frame::Confirm { identifier }, _)) if identifier == id),
        "{confirm}"
    );
}
