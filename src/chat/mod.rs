//! The chat a `ChatSession` holds (SPEC §4), as plain data free of I/O: the message
//! threads with optimistic sends and catch-up bookkeeping ([`thread`]), the state and
//! socket event routing ([`state`]), outgoing typing ([`typing`]) and the events
//! ([`event`]). The machine's steps that drive it live in `machine::session`.

pub mod event;
pub mod idmap;
pub mod state;
pub mod thread;
pub mod typing;

pub use self::state::Core;
pub use event::Event;
pub use idmap::IdMap;
pub use thread::{Change, Pending, Thread, PAGE};
pub use typing::{Toggle, TypingOut};

/// The storage key of a session: base URL + inbox (+ the user's identifier), so two
/// inboxes or two users on one origin never share a session.
pub fn storage_key(base_url: &str, inbox: &str, identifier: Option<&str>) -> String {
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let mut key = [
        "chatwoot-inbox-sdk:v1:",
        &quote(base_url),
        ":",
        &quote(inbox),
    ]
    .concat();
    if let Some(id) = identifier {
        key.push(':');
        key.push_str(&quote(id));
    }
    key
}
