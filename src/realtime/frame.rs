//! ActionCable frames (reference §6.1): the ones we write, and the envelope of the ones
//! we read.

use serde_json::{json, Value};

use crate::value::Loose;

/// A server frame, as far as the connection cares.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// `{"type":"welcome"}`.
    Welcome,
    /// `{"type":"ping","message":…}`.
    Ping,
    /// `{"type":"confirm_subscription","identifier":…}`.
    Confirm {
        /// Echo of the subscribe identifier.
        identifier: String,
    },
    /// `{"type":"reject_subscription","identifier":…}`.
    Reject {
        /// Echo of the subscribe identifier.
        identifier: String,
    },
    /// `{"type":"disconnect","reason":…,"reconnect":…}`.
    Disconnect {
        /// Whether the server invites a reconnect (absent means yes, as in Rails' client).
        reconnect: bool,
    },
    /// A broadcast: `{"identifier":…,"message":{"event":…,"data":…}}`.
    Message {
        /// The subscription it belongs to.
        identifier: String,
    },
    /// Anything else (unknown types are ignored, as the official client does).
    Other,
}

impl Frame {
    /// What kind of frame a server text (parsed) is.
    pub fn read(n: &Value) -> Frame {
        let identifier = || n.at("identifier").text().unwrap_or_default();
        let kind = n.at("type");
        match kind.as_str() {
            Some("welcome") => Frame::Welcome,
            Some("ping") => Frame::Ping,
            Some("confirm_subscription") => Frame::Confirm {
                identifier: identifier(),
            },
            Some("reject_subscription") => Frame::Reject {
                identifier: identifier(),
            },
            Some("disconnect") => Frame::Disconnect {
                reconnect: n.at("reconnect").as_bool() != Some(false),
            },
            None if kind.is_null() && n.at("identifier").is_string() => Frame::Message {
                identifier: identifier(),
            },
            _ => Frame::Other,
        }
    }
}

/// A broadcast's `message`: `{"event":"message.created","data":{…}}`.
#[derive(Debug, Clone, Copy)]
pub struct Push<'d> {
    /// Event name (`""` when there is none).
    pub event: &'d str,
    /// Event payload.
    pub data: &'d Value,
}

impl<'d> Push<'d> {
    /// The broadcast inside a server frame (`frame.message`).
    pub fn read(frame: &'d Value) -> Push<'d> {
        let message = frame.at("message");
        Push {
            event: message.at("event").as_str().unwrap_or(""),
            data: message.at("data"),
        }
    }
}

/// The `RoomChannel` identifier of a token: a JSON document, itself sent as a string.
pub fn identifier(pubsub_token: &str) -> String {
    json!({ "channel": "RoomChannel", "pubsub_token": pubsub_token }).to_string()
}

/// `subscribe` for `identifier`.
pub fn subscribe(identifier: &str) -> String {
    json!({ "command": "subscribe", "identifier": identifier }).to_string()
}

/// `unsubscribe` for `identifier`.
pub fn unsubscribe(identifier: &str) -> String {
    json!({ "command": "unsubscribe", "identifier": identifier }).to_string()
}

/// The `update_presence` action; `data` is a JSON *string* (an object fails on the
/// server, §6.1).
pub fn presence(identifier: &str) -> String {
    json!({
        "command": "message",
        "identifier": identifier,
        "data": "{\"action\":\"update_presence\"}",
    })
    .to_string()
}
