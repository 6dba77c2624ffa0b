//! Realtime: Chatwoot's ActionCable socket (reference §6). [`cable::Cable`] is the
//! protocol as a pure state machine; the wasm driver owns the real socket and timers.

pub mod cable;
pub mod frame;

pub use cable::{Action, Cable, State, Timing};
pub use frame::{Frame, Push};
