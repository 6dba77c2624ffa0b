//! The server's JSON, read tolerantly: snake_case keys, mixed timestamp formats,
//! numeric `message_type`, absent keys, unknown fields ignored (reference §4, §9).
//! Nothing here does I/O: [`json`] reads a text, [`out`] writes one.

pub mod error_body;
pub mod json;
pub mod lenient;
pub mod out;
pub mod raw;
pub mod time;
