//! The server's JSON, read tolerantly: snake_case keys, mixed timestamp formats,
//! numeric `message_type`, absent keys, unknown fields ignored (reference §4, §9).
//! Nothing here does I/O: [`json`] reads a text, [`out`] writes one. The reader, the
//! writer and the model interpreter live in the `chatwoot-inbox-wire` crate (the hot
//! path, compiled for speed; see the README's size notes) and are re-exported here.

pub use chatwoot_inbox_wire::{json, lenient, out, time};

pub(crate) mod enums;
pub mod error_body;
pub mod raw;
