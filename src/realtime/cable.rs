//! The ActionCable client as a pure state machine (reference §6.1–6.2): inputs are
//! socket callbacks, decoded frames, network/visibility changes and the clock; outputs
//! are [`Action`]s for a thin driver to carry out. No I/O and no clock of its own, so
//! every rule is tested natively.

use super::frame::{self, Frame};

/// Timing rules. The defaults follow the reference: pings come every 3 s, the official
/// client gives up after 6 s without one; presence at most every 20 s.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// A live socket with no frame for this long is dead.
    pub ping_timeout_ms: u64,
    /// An opened socket must say `welcome` within this.
    pub welcome_timeout_ms: u64,
    /// A subscription must be confirmed within this, else a new socket is tried.
    pub confirm_timeout_ms: u64,
    /// `update_presence` interval.
    pub presence_every_ms: u64,
    /// First backoff step after the first quick retry.
    pub backoff_base_ms: u64,
    /// Longest wait between attempts.
    pub backoff_cap_ms: u64,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            ping_timeout_ms: 8_000,
            welcome_timeout_ms: 10_000,
            confirm_timeout_ms: 8_000,
            presence_every_ms: 20_000,
            backoff_base_ms: 1_000,
            backoff_cap_ms: 30_000,
        }
    }
}

/// What the widget shows about the connection (SPEC §4 `chat.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The first attempt is under way.
    Connecting,
    /// Subscribed: events flow.
    Open,
    /// Lost or failed; another attempt is scheduled or under way.
    Reconnecting,
    /// The browser says the network is gone; waiting for it.
    Offline,
    /// Stopped for good (`close()`), or realtime is off.
    Closed,
}

impl State {
    /// The string JavaScript sees.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Connecting => "connecting",
            State::Open => "open",
            State::Reconnecting => "reconnecting",
            State::Offline => "offline",
            State::Closed => "closed",
        }
    }
}

/// What the driver must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Drop the current socket (if any; its callbacks with it) and open a new one to
    /// `/cable`; later callbacks name it by `socket`.
    Open {
        /// Generation of the socket to open.
        socket: u32,
    },
    /// Send a text frame on the current socket.
    Send(String),
    /// Close and drop the current socket.
    Close,
    /// The public state changed.
    State {
        /// New state.
        state: State,
        /// Consecutive failed attempts (reconnecting only).
        attempt: u32,
        /// When the next attempt is due, if one is scheduled.
        retry_in_ms: Option<u64>,
    },
    /// The subscription is confirmed on a new socket: catch up on what was missed.
    Subscribed,
    /// The socket went away after having been subscribed: events may be missed from now.
    Lost,
    /// The frame just given is an event of our subscription: deliver its `message`.
    Deliver,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Not started, or closed.
    Idle,
    /// Socket constructed; waiting for open and `welcome`.
    Opening { since: u64 },
    /// `subscribe` sent; waiting for `confirm_subscription`.
    Subscribing { since: u64 },
    /// Confirmed.
    Live { last_frame: u64, last_presence: u64 },
    /// Backing off until `until`.
    Waiting { until: u64 },
}

/// One ActionCable connection carrying the `RoomChannel` subscription of one token.
#[derive(Debug)]
pub struct Cable {
    timing: Timing,
    identifier: String,
    phase: Phase,
    socket: u32,
    /// Consecutive attempts that did not reach `Live`.
    failures: u32,
    offline: bool,
    ever_live: bool,
    stopped: bool,
    reported: Option<State>,
    rng: u64,
}

impl Cable {
    /// A cable for `pubsub_token`; nothing happens until [`Cable::start`]. `seed` feeds
    /// the backoff jitter.
    pub fn new(pubsub_token: &str, timing: Timing, seed: u64) -> Self {
        Cable {
            timing,
            identifier: frame::identifier(pubsub_token),
            phase: Phase::Idle,
            socket: 0,
            failures: 0,
            offline: false,
            ever_live: false,
            stopped: false,
            reported: None,
            rng: seed | 1,
        }
    }

    /// The public state.
    pub fn state(&self) -> State {
        self.reported.unwrap_or(State::Connecting)
    }

    /// The identifier string our frames carry.
    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// Generation of the current socket.
    pub fn socket(&self) -> u32 {
        self.socket
    }

    /// True once subscribed on the current socket.
    pub fn is_live(&self) -> bool {
        matches!(self.phase, Phase::Live { .. })
    }

    /// Opens the first socket.
    pub fn start(&mut self, now: u64) -> Vec<Action> {
        if self.stopped {
            return Vec::new();
        }
        let mut out = Vec::new();
        self.open(now, &mut out);
        self.set_state(State::Connecting, None, &mut out);
        out
    }

    /// Stops for good: closes the socket, no more attempts.
    pub fn stop(&mut self) -> Vec<Action> {
        let mut out = Vec::new();
        if self.stopped {
            return out;
        }
        self.stopped = true;
        self.leave(&mut out);
        self.phase = Phase::Idle;
        self.set_state(State::Closed, None, &mut out);
        out
    }

    /// A new token (after `identify()`): a fresh socket subscribes with it at once.
    pub fn set_token(&mut self, pubsub_token: &str, now: u64) -> Vec<Action> {
        self.identifier = frame::identifier(pubsub_token);
        let mut out = Vec::new();
        if self.stopped || self.phase == Phase::Idle {
            return out;
        }
        self.leave(&mut out);
        self.failures = 0;
        self.open(now, &mut out);
        let state = if self.ever_live {
            State::Reconnecting
        } else {
            State::Connecting
        };
        self.set_state(state, None, &mut out);
        out
    }

    /// The socket `socket` opened. ActionCable speaks first (`welcome`), so nothing to do
    /// but keep waiting.
    pub fn on_open(&mut self, _socket: u32, _now: u64) -> Vec<Action> {
        Vec::new()
    }

    /// A frame arrived on `socket`.
    pub fn on_frame(&mut self, socket: u32, frame: &Frame, now: u64) -> Vec<Action> {
        let mut out = Vec::new();
        if socket != self.socket || self.stopped {
            return out;
        }
        match (frame, self.phase) {
            (Frame::Welcome, Phase::Opening { .. }) => {
                out.push(Action::Send(frame::subscribe(&self.identifier)));
                self.phase = Phase::Subscribing { since: now };
            }
            (Frame::Confirm { identifier }, Phase::Subscribing { .. })
                if *identifier == self.identifier =>
            {
                self.phase = Phase::Live {
                    last_frame: now,
                    last_presence: now,
                };
                self.failures = 0;
                self.ever_live = true;
                // The presence broadcast from inside `subscribed` can be lost (§6.2).
                out.push(Action::Send(frame::presence(&self.identifier)));
                out.push(Action::Subscribed);
                self.set_state(State::Open, None, &mut out);
            }
            (Frame::Reject { identifier }, Phase::Subscribing { .. })
                if *identifier == self.identifier =>
            {
                self.fail(now, &mut out);
            }
            (Frame::Disconnect { reconnect }, _) => {
                if *reconnect {
                    self.fail(now, &mut out);
                } else {
                    // The server refuses us for good; `close()` is the caller's to make.
                    self.leave(&mut out);
                    self.stopped = true;
                    self.phase = Phase::Idle;
                    self.set_state(State::Closed, None, &mut out);
                }
            }
            (Frame::Message { identifier }, Phase::Live { last_presence, .. }) => {
                self.phase = Phase::Live {
                    last_frame: now,
                    last_presence,
                };
                if *identifier == self.identifier {
                    out.push(Action::Deliver);
                }
            }
            (_, Phase::Live { last_presence, .. }) => {
                // Pings and anything else prove the socket alive.
                self.phase = Phase::Live {
                    last_frame: now,
                    last_presence,
                };
            }
            _ => {}
        }
        out
    }

    /// The socket `socket` closed or errored.
    pub fn on_close(&mut self, socket: u32, now: u64) -> Vec<Action> {
        let mut out = Vec::new();
        if socket != self.socket || self.stopped || matches!(self.phase, Phase::Waiting { .. }) {
            return out;
        }
        self.fail(now, &mut out);
        out
    }

    /// The browser's `online`/`offline` events.
    pub fn on_network(&mut self, online: bool, now: u64) -> Vec<Action> {
        let mut out = Vec::new();
        if self.stopped {
            return out;
        }
        if online {
            self.offline = false;
            match self.phase {
                Phase::Waiting { .. } => self.retry_now(now, &mut out),
                Phase::Live { .. } => self.set_state(State::Open, None, &mut out),
                _ => {}
            }
        } else {
            self.offline = true;
            // The socket may linger half-dead for minutes; drop it and wait.
            if !matches!(self.phase, Phase::Waiting { .. } | Phase::Idle) {
                self.fail(now, &mut out);
            } else {
                self.set_state(State::Offline, None, &mut out);
            }
        }
        out
    }

    /// The page became visible: retry at once, and check a live socket is really alive.
    pub fn on_visible(&mut self, now: u64) -> Vec<Action> {
        let mut out = Vec::new();
        if self.stopped {
            return out;
        }
        match self.phase {
            Phase::Waiting { .. } => self.retry_now(now, &mut out),
            Phase::Live { last_frame, .. }
                if now.saturating_sub(last_frame) > self.timing.ping_timeout_ms =>
            {
                self.fail(now, &mut out);
            }
            _ => {}
        }
        out
    }

    /// When the driver must call [`Cable::tick`] next (absolute ms), if ever.
    pub fn deadline(&self) -> Option<u64> {
        let t = &self.timing;
        match self.phase {
            Phase::Idle => None,
            Phase::Opening { since } => Some(since.saturating_add(t.welcome_timeout_ms)),
            Phase::Subscribing { since } => Some(since.saturating_add(t.confirm_timeout_ms)),
            Phase::Live {
                last_frame,
                last_presence,
            } => Some(
                last_frame
                    .saturating_add(t.ping_timeout_ms)
                    .saturating_add(1)
                    .min(last_presence.saturating_add(t.presence_every_ms)),
            ),
            Phase::Waiting { until } => Some(until),
        }
    }

    /// The clock reached (or passed) a deadline.
    pub fn tick(&mut self, now: u64) -> Vec<Action> {
        let mut out = Vec::new();
        if self.stopped {
            return out;
        }
        let t = self.timing;
        match self.phase {
            Phase::Opening { since } if now >= since.saturating_add(t.welcome_timeout_ms) => {
                self.fail(now, &mut out);
            }
            // Not confirmed: the failed subscription stays registered on that socket,
            // so only a new socket can retry it (§6.1).
            Phase::Subscribing { since } if now >= since.saturating_add(t.confirm_timeout_ms) => {
                self.fail(now, &mut out);
            }
            Phase::Live { last_frame, .. }
                if now > last_frame.saturating_add(t.ping_timeout_ms) =>
            {
                self.fail(now, &mut out);
            }
            Phase::Live {
                last_frame,
                last_presence,
            } if now >= last_presence.saturating_add(t.presence_every_ms) => {
                out.push(Action::Send(frame::presence(&self.identifier)));
                self.phase = Phase::Live {
                    last_frame,
                    last_presence: now,
                };
            }
            Phase::Waiting { until } if now >= until => {
                self.open(now, &mut out);
                self.set_state(self.waiting_state(), None, &mut out);
            }
            _ => {}
        }
        out
    }

    // ----- internals ---------------------------------------------------------------

    fn open(&mut self, now: u64, out: &mut Vec<Action>) {
        self.socket = self.socket.wrapping_add(1);
        self.phase = Phase::Opening { since: now };
        out.push(Action::Open {
            socket: self.socket,
        });
    }

    /// Drops the current socket; reports `Lost` when it was live.
    fn leave(&mut self, out: &mut Vec<Action>) {
        match self.phase {
            Phase::Idle | Phase::Waiting { .. } => {}
            Phase::Live { .. } => {
                out.push(Action::Close);
                out.push(Action::Lost);
            }
            Phase::Opening { .. } | Phase::Subscribing { .. } => out.push(Action::Close),
        }
    }

    /// This attempt is over: drop the socket and schedule the next one.
    fn fail(&mut self, now: u64, out: &mut Vec<Action>) {
        self.leave(out);
        self.failures = self.failures.saturating_add(1);
        let wait = self.backoff(self.failures);
        self.phase = Phase::Waiting {
            until: now.saturating_add(wait),
        };
        self.set_state(self.waiting_state(), Some(wait), out);
    }

    fn retry_now(&mut self, now: u64, out: &mut Vec<Action>) {
        self.open(now, out);
        self.set_state(self.waiting_state(), None, out);
    }

    fn waiting_state(&self) -> State {
        if self.offline {
            State::Offline
        } else if self.ever_live || self.failures > 0 {
            State::Reconnecting
        } else {
            State::Connecting
        }
    }

    /// Reports `state` when it differs from the last report, or when a new retry is
    /// scheduled (so a widget can count down).
    fn set_state(&mut self, state: State, retry_in_ms: Option<u64>, out: &mut Vec<Action>) {
        if self.reported == Some(state) && retry_in_ms.is_none() {
            return;
        }
        self.reported = Some(state);
        let attempt = if state == State::Open {
            0
        } else {
            self.failures
        };
        out.push(Action::State {
            state,
            attempt,
            retry_in_ms,
        });
    }

    /// The first retry comes quickly (a dropped socket is usually back at once); then
    /// exponential steps with jitter in [½, 1] of the step, capped.
    fn backoff(&mut self, failures: u32) -> u64 {
        let r = self.random();
        if failures <= 1 {
            return 100u64.saturating_add((r * 900.0) as u64);
        }
        let step = self
            .timing
            .backoff_base_ms
            .saturating_mul(1u64 << failures.saturating_sub(1).min(16))
            .min(self.timing.backoff_cap_ms);
        (step as f64 * (0.5 + 0.5 * r)) as u64
    }

    /// xorshift64*, in [0, 1).
    fn random(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}
