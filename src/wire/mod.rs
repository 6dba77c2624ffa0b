//! The server's JSON, read tolerantly: snake_case keys, mixed timestamp formats,
//! numeric `message_type`, absent keys, unknown fields ignored (reference §4, §9).
//! Nothing here does I/O; the transport hands these types a parsed JSON value.

pub mod error_body;
pub mod lenient;
pub mod raw;
pub mod time;
