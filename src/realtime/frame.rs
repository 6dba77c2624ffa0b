//! ActionCable frames (reference §6.1): the ones we write, and the envelope of the ones
//! we read.

use serde::Deserialize;

use crate::wire::lenient;
use crate::wire::raw::Raw;

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

/// A server frame decoded tolerantly: the envelope plus its `message` object.
#[derive(Debug, Deserialize)]
pub struct Envelope {
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    identifier: Option<String>,
    #[serde(default)]
    reconnect: Option<bool>,
    /// The broadcast (an object), else `{}`.
    #[serde(default)]
    pub message: Raw,
}

impl Envelope {
    /// What kind of frame this is.
    pub fn frame(&self) -> Frame {
        let identifier = || self.identifier.clone().unwrap_or_default();
        match self.kind.as_deref() {
            Some("welcome") => Frame::Welcome,
            Some("ping") => Frame::Ping,
            Some("confirm_subscription") => Frame::Confirm {
                identifier: identifier(),
            },
            Some("reject_subscription") => Frame::Reject {
                identifier: identifier(),
            },
            Some("disconnect") => Frame::Disconnect {
                reconnect: self.reconnect != Some(false),
            },
            None if self.identifier.is_some() => Frame::Message {
                identifier: identifier(),
            },
            _ => Frame::Other,
        }
    }
}

/// A broadcast's `message`: `{"event":"message.created","data":{…}}`.
#[derive(Debug, Deserialize)]
pub struct Push {
    /// Event name.
    #[serde(default, deserialize_with = "lenient::string")]
    pub event: String,
    /// Event payload.
    #[serde(default)]
    pub data: Raw,
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

/// Appends `value` as a JSON string literal.
pub fn quote_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let b = c as u32;
                out.push_str("\\u00");
                for shift in [4, 0] {
                    let nibble = ((b >> shift) & 0xf) as usize;
                    out.push(HEX.get(nibble).map_or('0', |&h| h as char));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
