//! ActionCable frames (reference §6.1): the ones we write, and the envelope of the ones
//! we read.

use chatwoot_inbox_model::lenient::{Loose, Scalar};
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;

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

/// A server frame as far as the socket cares: its `type`, `identifier` and
/// `reconnect`, and the broadcast's `message` left as raw JSON.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type", default)]
    kind: Scalar,
    #[serde(default)]
    identifier: Scalar,
    #[serde(default)]
    reconnect: Scalar,
    #[serde(default, borrow)]
    message: Option<&'a RawValue>,
}

impl Frame {
    /// Reads a server text: what kind of frame it is, and a broadcast's payload. `None`
    /// for text that is not a JSON object.
    pub fn parse(text: &str) -> Option<(Frame, Option<Push<'_>>)> {
        let e: Loose<Envelope<'_>> = serde_json::from_str(text).ok()?;
        let e = e.0?;
        let identifier = || e.identifier.clone().text().unwrap_or_default();
        let frame = match &e.kind {
            Scalar::Str(kind) => match kind.as_str() {
                "welcome" => Frame::Welcome,
                "ping" => Frame::Ping,
                "confirm_subscription" => Frame::Confirm {
                    identifier: identifier(),
                },
                "reject_subscription" => Frame::Reject {
                    identifier: identifier(),
                },
                "disconnect" => Frame::Disconnect {
                    reconnect: e.reconnect != Scalar::Bool(false),
                },
                _ => Frame::Other,
            },
            Scalar::Null if matches!(e.identifier, Scalar::Str(_)) => Frame::Message {
                identifier: identifier(),
            },
            _ => Frame::Other,
        };
        let push = match frame {
            Frame::Message { .. } => e.message.and_then(Push::read),
            _ => None,
        };
        Some((frame, push))
    }
}

/// A broadcast's `message`: `{"event":"message.created","data":{…}}`, its payload left
/// as raw JSON for the model the event names.
#[derive(Debug, Clone, Copy)]
pub struct Push<'d> {
    /// Event name (`""` when there is none).
    pub event: &'d str,
    /// Event payload (JSON text; `null` when there is none).
    pub data: &'d str,
}

#[derive(Deserialize)]
struct Broadcast<'a> {
    #[serde(default, borrow)]
    event: Option<&'a str>,
    #[serde(default, borrow)]
    data: Option<&'a RawValue>,
}

impl<'d> Push<'d> {
    /// The broadcast of a frame's `message`; `None` when it is not an object (an
    /// escaped event name is no event we know).
    pub fn read(message: &'d RawValue) -> Option<Push<'d>> {
        let b: Loose<Broadcast<'d>> = serde_json::from_str(message.get()).ok()?;
        let b = b.0?;
        Some(Push {
            event: b.event.unwrap_or(""),
            data: b.data.map_or("null", RawValue::get),
        })
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

/// The server's `confirm_subscription` of `identifier` (what a shared tab's stand-in
/// socket answers its own `subscribe` with: the leader holds that subscription).
pub fn confirm(identifier: &str) -> String {
    json!({ "identifier": identifier, "type": "confirm_subscription" }).to_string()
}

/// The identifier a `subscribe` command asks for (`None` for any other text).
pub fn subscribed(command: &str) -> Option<String> {
    let v = serde_json::from_str::<serde_json::Value>(command).ok()?;
    if v.get("command")?.as_str()? != "subscribe" {
        return None;
    }
    Some(v.get("identifier")?.as_str()?.to_owned())
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
