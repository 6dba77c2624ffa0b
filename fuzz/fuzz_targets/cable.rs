//! The ActionCable client: any sequence of frames (from a small alphabet of real ones,
//! and arbitrary text), socket events of current and stale sockets, network and
//! visibility changes, and timer ticks. Invariants: frames are only sent on a socket
//! that is open, a stopped cable does nothing, and it never stays without a deadline
//! unless it is stopped.
#![no_main]

use chatwoot_inbox_sdk::realtime::{Action, Cable, Frame, State, Timing};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Step {
    Welcome,
    Ping,
    Confirm { ours: bool },
    Reject,
    Disconnect { reconnect: bool },
    Message { ours: bool },
    Text(String),
    Open { stale: bool },
    Close { stale: bool },
    Online(bool),
    Visible,
    Tick(u16),
    Stop,
    Token(u8),
}

fuzz_target!(|input: (u64, Vec<Step>)| {
    let (seed, steps) = input;
    let mut cable = Cable::new("token", Timing::default(), seed);
    let mut now: u64 = 1_000;
    let mut open = false;
    let mut stopped = false;
    let check = |actions: Vec<Action>, open: &mut bool, stopped: bool| {
        for a in actions {
            match a {
                Action::Open { .. } => {
                    assert!(!stopped, "a stopped cable opens nothing");
                    *open = true;
                }
                Action::Close => *open = false,
                Action::Send(text) => {
                    assert!(*open, "a frame is only sent on an open socket");
                    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
                }
                _ => {}
            }
        }
    };
    let first = cable.start(now);
    check(first, &mut open, stopped);
    for step in steps.into_iter().take(500) {
        let socket = cable.socket();
        let stale = socket.wrapping_sub(1);
        let id = cable.identifier().to_owned();
        let actions = match step {
            Step::Welcome => cable.on_frame(socket, &Frame::Welcome, now),
            Step::Ping => cable.on_frame(socket, &Frame::Ping, now),
            Step::Confirm { ours } => {
                let identifier = if ours { id } else { "other".into() };
                cable.on_frame(socket, &Frame::Confirm { identifier }, now)
            }
            Step::Reject => cable.on_frame(socket, &Frame::Reject { identifier: id }, now),
            Step::Disconnect { reconnect } => {
                cable.on_frame(socket, &Frame::Disconnect { reconnect }, now)
            }
            Step::Message { ours } => {
                let identifier = if ours { id } else { "other".into() };
                cable.on_frame(socket, &Frame::Message { identifier }, now)
            }
            Step::Text(text) => match Frame::parse(&text) {
                Some((frame, _)) => cable.on_frame(socket, &frame, now),
                None => Vec::new(),
            },
            Step::Open { stale: s } => cable.on_open(if s { stale } else { socket }, now),
            Step::Close { stale: s } => cable.on_close(if s { stale } else { socket }, now),
            Step::Online(on) => cable.on_network(on, now),
            Step::Visible => cable.on_visible(now),
            Step::Tick(ms) => {
                now = now.saturating_add(u64::from(ms));
                match cable.deadline() {
                    Some(d) if d <= now => cable.tick(now),
                    _ => Vec::new(),
                }
            }
            Step::Stop => {
                stopped = true;
                cable.stop()
            }
            Step::Token(t) => cable.set_token(&format!("token-{t}"), now),
        };
        check(actions, &mut open, stopped);
        if stopped {
            assert_eq!(cable.state(), State::Closed);
            assert!(cable.deadline().is_none() || cable.state() == State::Closed);
        } else if cable.state() != State::Closed {
            assert!(cable.deadline().is_some(), "a live cable always has a next deadline");
        }
    }
});
