//! ActionCable frames (reference §6.1): the ones we write, and the envelope of the ones
//! we read.

use std::borrow::Cow;

use crate::wire::json::Node;
pub use crate::wire::out::quote_into;

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
    pub fn read(n: Node<'_>) -> Frame {
        let identifier = || n.get("identifier").text().unwrap_or_default();
        let kind = n.get("type");
        match kind.as_str().as_deref() {
            Some("welcome") => Frame::Welcome,
            Some("ping") => Frame::Ping,
            Some("confirm_subscription") => Frame::Confirm {
                identifier: identifier(),
            },
            Some("reject_subscription") => Frame::Reject {
                identifier: identifier(),
            },
            Some("disconnect") => Frame::Disconnect {
                reconnect: n.get("reconnect").as_bool() != Some(false),
            },
            None if kind.is_null() && n.get("identifier").is_string() => Frame::Message {
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
    pub data: Node<'d>,
}

impl<'d> Push<'d> {
    /// The broadcast inside a server frame (`frame.message`).
    pub fn read(frame: Node<'d>) -> Push<'d> {
        let message = frame.get("message");
        let event = match message.get("event").as_str() {
            Some(Cow::Borrowed(name)) => name,
            // An escaped event name is no event we know.
            _ => "",
        };
        Push {
            event,
            data: message.get("data"),
        }
    }
}

/// The `RoomChannel` identifier of a token: a JSON document, itself sent as a string.
pub fn identifier(pubsub_token: &str) -> String {
    let mut s = String::from("{\"channel\":\"RoomChannel\",\"pubsub_token\":");
    quote_into(&mut s, pubsub_token);
    s.push('}');
    s
}

/// `subscribe` for `identifier`.
pub fn subscribe(identifier: &str) -> String {
    command("subscribe", identifier, None)
}

/// `unsubscribe` for `identifier`.
pub fn unsubscribe(identifier: &str) -> String {
    command("unsubscribe", identifier, None)
}

/// The `update_presence` action; `data` is a JSON *string* (an object fails on the
/// server, §6.1).
pub fn presence(identifier: &str) -> String {
    command(
        "message",
        identifier,
        Some("{\"action\":\"update_presence\"}"),
    )
}

fn command(name: &str, identifier: &str, data: Option<&str>) -> String {
    let mut s = String::from("{\"command\":");
    quote_into(&mut s, name);
    s.push_str(",\"identifier\":");
    quote_into(&mut s, identifier);
    if let Some(data) = data {
        s.push_str(",\"data\":");
        quote_into(&mut s, data);
    }
    s.push('}');
    s
}
