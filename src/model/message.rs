//! Message, Sender and Attachment (reference §4.4–4.6, §6.4).

use super::schema::{self, field, sort_by_key, Schema};
use crate::wire::enums::string_enum;
use crate::wire::json::{Doc, Node};
use crate::wire::out::{int_text, Out};

/// `contentType` values (reference §4.4); others are `"unknown"`.
pub const CONTENT_TYPES: &[&str] = &[
    "text",
    "input_text",
    "input_textarea",
    "input_email",
    "input_select",
    "cards",
    "form",
    "article",
    "incoming_email",
    "input_csat",
    "integrations",
    "sticker",
    "voice_call",
];

/// `fileType` values (reference §4.6).
pub const FILE_TYPES: &[&str] = &[
    "image",
    "audio",
    "video",
    "file",
    "location",
    "fallback",
    "share",
    "story_mention",
    "contact",
    "ig_reel",
    "ig_post",
    "ig_story",
    "embed",
];

/// `Sender.kind` values (reference §4.5).
pub const SENDER_KINDS: &[&str] = &["contact", "user", "agent_bot", "captain_assistant"];

/// `status` values: `sending` (and `failed` for a send) are a ChatSession's own.
pub const STATUSES: &[&str] = &["sending", "sent", "delivered", "read", "failed"];

/// A file on a message.
pub static ATTACHMENT: Schema = Schema {
    required: &[0],
    fields: &[
        field!("id" => "id", Int),
        field!("file_type" => "fileType", Enum(FILE_TYPES)),
        field!("data_url" => "dataUrl", NonEmpty),
        field!("thumb_url" => "thumbUrl", NonEmpty),
        field!("extension" => "extension", NonEmpty),
        field!("file_size" => "fileSize", Int),
        field!("width" => "width", Int),
        field!("height" => "height", Int),
    ],
};

/// The author of a message; contacts carry their avatar as `thumbnail`.
pub static SENDER: Schema = Schema {
    required: &[0],
    fields: &[
        field!("id" => "id", Int),
        field!("type" => "kind", Enum(SENDER_KINDS)),
        field!("name" => "name", Text),
        field!("available_name" => "availableName", Text),
        field!(["avatar_url", "thumbnail"] => "avatarUrl", NonEmpty),
        field!("availability_status" => "availabilityStatus", Text),
    ],
};

/// A chat message. `status` and `echoId` come last: a `ChatSession` writes its own.
pub static MESSAGE: Schema = Schema {
    required: &[0],
    fields: &[
        field!("id" => "id", Int),
        field!("content" => "content", Text),
        field!("message_type" => "messageType", MessageType),
        field!("content_type" => "contentType", Enum(CONTENT_TYPES)),
        field!("content_attributes" => "contentAttributes", Object),
        field!("content_attributes" => "deleted", FlagIn("deleted")),
        field!("created_at" => "createdAt", Millis),
        field!("conversation_id" => "conversationId", Int),
        field!("attachments" => "attachments", List(&ATTACHMENT)),
        field!("sender" => "sender", One(&SENDER)),
        field!("status" => "status", OptEnum(STATUSES)),
        field!("echo_id" => "echoId", Text),
    ],
};

/// The fields of [`MESSAGE`] before `status` and `echoId`.
const BODY_FIELDS: usize = 10;

/// Who wrote a message, from the server's numeric `message_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MessageType {
    /// From the contact (0).
    Incoming,
    /// From an agent or bot (1).
    Outgoing,
    /// An activity note (2); never delivered to contacts.
    Activity,
    /// A template such as the CSAT survey (3).
    Template,
    /// A value this SDK version does not know.
    #[default]
    Unknown,
}

impl MessageType {
    /// Reads the number (or its name).
    pub fn read(n: Node<'_>) -> Self {
        match schema::message_type(n) {
            "incoming" => MessageType::Incoming,
            "outgoing" => MessageType::Outgoing,
            "activity" => MessageType::Activity,
            "template" => MessageType::Template,
            _ => MessageType::Unknown,
        }
    }
}

string_enum! {
    /// Delivery state of a message (only the socket reports it).
    pub enum MessageStatus {
        /// Local only: `ChatSession.send` has not heard back yet.
        Sending = "sending",
        /// Stored by the server.
        Sent = "sent",
        /// Delivered to the recipient's channel.
        Delivered = "delivered",
        /// Seen by the contact.
        Read = "read",
        /// Delivery failed.
        Failed = "failed",
    }
}

/// A message as a `ChatSession` holds it: what the session decides on, typed, and the
/// rest as the camelCase JSON JavaScript receives.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Server id: increasing, the paging cursor (negative for a local send).
    pub id: i64,
    /// Creation time (ms).
    pub created_at: Option<i64>,
    /// Who wrote it.
    pub message_type: MessageType,
    /// Text.
    pub content: Option<String>,
    /// How many files it carries.
    pub attachments: usize,
    /// Delivery state; `None` when the answer did not say (REST never does).
    pub status: Option<MessageStatus>,
    /// The client's echo id, on the socket event of the request that carried it.
    pub echo_id: Option<String>,
    /// The camelCase object without `status` and `echoId`, and without its closing
    /// brace: `{"id":…,…,"sender":…`.
    body: String,
}

impl Message {
    /// Reads the server's message; `None` when it is not one (no id).
    pub fn read(n: Node<'_>) -> Option<Message> {
        let mut o = Out::new();
        if !schema::transcode(n, &MESSAGE, BODY_FIELDS, &mut o) {
            return None;
        }
        let mut body = o.finish();
        body.pop();
        Some(Message {
            id: n.get("id").id()?,
            created_at: n.get("created_at").millis(),
            message_type: MessageType::read(n.get("message_type")),
            content: n.get("content").text(),
            attachments: n
                .get("attachments")
                .items()
                .filter(|a| schema::fits(*a, &ATTACHMENT))
                .count(),
            status: n.get("status").as_str().map(|s| MessageStatus::parse(&s)),
            echo_id: n.get("echo_id").text(),
            body,
        })
    }

    /// A page of history: ordered by id, each id once.
    pub fn read_page(n: Node<'_>) -> Option<Vec<Message>> {
        n.is_array().then(|| {
            schema::by_id(n)
                .into_iter()
                .filter_map(Message::read)
                .collect()
        })
    }

    /// The local copy of a send, shaped exactly like a server message (it is read
    /// through the same table): an incoming text from the contact.
    pub fn local(local: Local<'_>) -> Option<Message> {
        let mut o = Out::new();
        o.open()
            .key("id")
            .int(local.id)
            .key("content")
            .opt_str(local.content)
            .key("message_type")
            .int(0)
            .key("content_type")
            .str("text")
            .key("created_at")
            .str(&seconds_text(local.created_at))
            .key("conversation_id")
            .int(local.conversation_id)
            .key("attachments")
            .open_list();
        for (i, (file_type, size)) in local.files.iter().enumerate() {
            let id = local.id.saturating_mul(100).saturating_sub(i as i64);
            o.open()
                .key("id")
                .int(id)
                .key("file_type")
                .str(file_type)
                .key("file_size")
                .int(*size)
                .close();
        }
        o.close_list()
            .key("sender")
            .open()
            .key("id")
            .int(local.sender_id)
            .key("type")
            .str("contact")
            .key("name")
            .opt_str(local.sender_name)
            .close()
            .close();
        let text = o.finish();
        let doc = Doc::parse(&text).ok()?;
        let mut m = Message::read(doc.root())?;
        m.status = Some(MessageStatus::Sending);
        Some(m)
    }

    /// True when what a widget shows of the two differs (status aside).
    pub fn same_body(&self, other: &Message) -> bool {
        self.body == other.body
    }

    /// Writes the camelCase object.
    pub fn write(&self, o: &mut Out) {
        o.json(&self.body)
            .key("status")
            .opt_str(self.status.map(MessageStatus::as_str))
            .key("echoId")
            .opt_str(self.echo_id.as_deref())
            .close();
    }

    /// The camelCase JSON text.
    pub fn to_json(&self) -> String {
        let mut o = Out::new();
        self.write(&mut o);
        o.finish()
    }
}

/// What [`Message::local`] needs.
#[derive(Debug, Clone, Copy)]
pub struct Local<'a> {
    /// The local id (negative).
    pub id: i64,
    /// Text.
    pub content: Option<&'a str>,
    /// When the send started (ms).
    pub created_at: i64,
    /// Conversation display id.
    pub conversation_id: i64,
    /// The contact's id.
    pub sender_id: i64,
    /// The contact's name.
    pub sender_name: Option<&'a str>,
    /// Each file's type (`image`, `video`, `audio`, `file`) and size in bytes.
    pub files: &'a [(&'a str, i64)],
}

/// Milliseconds as decimal seconds text, `"1717000123.456"` (read back exactly).
fn seconds_text(ms: i64) -> String {
    let ms = ms.max(0);
    let frac = ms % 1000;
    let mut s = int_text(ms / 1000);
    s.push('.');
    for d in [frac / 100, frac / 10 % 10, frac % 10] {
        s.push(char::from(b'0' | d as u8));
    }
    s
}

/// Orders messages by id, a repeated id once (its last copy).
pub fn normalise_list(mut list: Vec<Message>) -> Vec<Message> {
    let mut keyed: Vec<(i64, usize, Message)> = list
        .drain(..)
        .enumerate()
        .map(|(i, m)| (m.id, i, m))
        .collect();
    sort_by_key(&mut keyed, |(id, i, _)| (*id, *i));
    let mut out: Vec<Message> = Vec::with_capacity(keyed.len());
    for (_, _, m) in keyed {
        if out.last().is_some_and(|last| last.id == m.id) {
            out.pop();
        }
        out.push(m);
    }
    out
}
