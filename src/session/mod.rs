//! `ChatSession`'s engine (SPEC §4), free of I/O: the message threads with optimistic
//! sends and catch-up bookkeeping ([`thread`]), the session state and socket event
//! routing ([`core`]), outgoing typing ([`typing`]) and the events ([`event`]).

pub mod core;
pub mod event;
pub mod idmap;
pub mod thread;
pub mod typing;

pub use self::core::Core;
pub use event::Event;
pub use idmap::IdMap;
pub use thread::{Change, Pending, Thread, PAGE};
pub use typing::{Toggle, TypingOut};

/// The storage key of a session: base URL + inbox (+ the user's identifier), so two
/// inboxes or two users on one origin never share a session.
pub fn storage_key(base_url: &str, inbox: &str, identifier: Option<&str>) -> String {
    let mut key = String::from("chatwoot-inbox-sdk:v1:");
    crate::realtime::frame::quote_into(&mut key, base_url);
    key.push(':');
    crate::realtime::frame::quote_into(&mut key, inbox);
    if let Some(id) = identifier {
        key.push(':');
        crate::realtime::frame::quote_into(&mut key, id);
    }
    key
}
