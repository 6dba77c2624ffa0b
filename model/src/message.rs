//! Message, Sender and Attachment (reference §4.4–4.6, §6.4).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::contact::no_id;
use crate::enums::string_enum;
use crate::lenient::{self, Model, Scalar};
use crate::NO_ID;

string_enum! {
    /// `contentType` (reference §4.4).
    pub enum ContentType {
        /// Plain text.
        Text = "text",
        /// A one-line text question.
        InputText = "input_text",
        /// A multi-line text question.
        InputTextarea = "input_textarea",
        /// An email question.
        InputEmail = "input_email",
        /// Options to choose one of.
        InputSelect = "input_select",
        /// Cards with actions.
        Cards = "cards",
        /// A form.
        Form = "form",
        /// Help-center articles.
        Article = "article",
        /// An email.
        IncomingEmail = "incoming_email",
        /// The CSAT survey.
        InputCsat = "input_csat",
        /// An integration's message.
        Integrations = "integrations",
        /// A sticker.
        Sticker = "sticker",
        /// A voice call.
        VoiceCall = "voice_call",
    }
}

string_enum! {
    /// `fileType` of an attachment (reference §4.6).
    pub enum FileType {
        /// An image.
        Image = "image",
        /// Audio.
        Audio = "audio",
        /// Video.
        Video = "video",
        /// Any other file.
        File = "file",
        /// A location.
        Location = "location",
        /// A fallback.
        Fallback = "fallback",
        /// A share.
        Share = "share",
        /// A story mention.
        StoryMention = "story_mention",
        /// A contact card.
        Contact = "contact",
        /// An Instagram reel.
        IgReel = "ig_reel",
        /// An Instagram post.
        IgPost = "ig_post",
        /// An Instagram story.
        IgStory = "ig_story",
        /// An embed.
        Embed = "embed",
    }
}

string_enum! {
    /// Who wrote a message (reference §4.5).
    pub enum SenderKind {
        /// The contact.
        Contact = "contact",
        /// An agent.
        User = "user",
        /// A bot.
        AgentBot = "agent_bot",
        /// Captain, the AI assistant.
        CaptainAssistant = "captain_assistant",
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
        /// Local only: the server could not be reached; sent by itself, in order, when
        /// the connection returns (also after a reload).
        Queued = "queued",
    }
}

/// Who wrote a message, from the server's numeric `message_type` (or its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
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

const MESSAGE_TYPES: [MessageType; 4] = [
    MessageType::Incoming,
    MessageType::Outgoing,
    MessageType::Activity,
    MessageType::Template,
];

impl MessageType {
    /// Every known value's name, in the order of the server's numbers 0–3.
    pub const NAMES: &'static [&'static str] = &["incoming", "outgoing", "activity", "template"];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageType::Incoming => "incoming",
            MessageType::Outgoing => "outgoing",
            MessageType::Activity => "activity",
            MessageType::Template => "template",
            MessageType::Unknown => "unknown",
        }
    }

    fn read(s: &Scalar) -> MessageType {
        let by_number = s.id().and_then(|n| usize::try_from(n).ok());
        if let Some(t) = by_number.and_then(|n| MESSAGE_TYPES.get(n)) {
            return *t;
        }
        match s {
            Scalar::Str(name) => MESSAGE_TYPES
                .iter()
                .find(|t| t.as_str() == name)
                .copied()
                .unwrap_or_default(),
            _ => MessageType::Unknown,
        }
    }
}

impl<'de> Deserialize<'de> for MessageType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Scalar::deserialize(d).map(|s| MessageType::read(&s))
    }
}

/// A file on a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Attachment {
    /// Attachment id.
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// What kind of file.
    #[serde(default, deserialize_with = "lenient::known")]
    pub file_type: FileType,
    /// Where to download it.
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub data_url: Option<String>,
    /// A thumbnail.
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub thumb_url: Option<String>,
    /// File extension.
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub extension: Option<String>,
    /// Size in bytes.
    #[serde(default, deserialize_with = "lenient::int")]
    pub file_size: Option<i64>,
    /// Image width.
    #[serde(default, deserialize_with = "lenient::int")]
    pub width: Option<i64>,
    /// Image height.
    #[serde(default, deserialize_with = "lenient::int")]
    pub height: Option<i64>,
}

impl Model for Attachment {
    fn valid(&self) -> bool {
        self.id != NO_ID
    }
}

/// The author of a message; contacts carry their avatar as `thumbnail`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Sender {
    /// Contact, user or bot id.
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// What kind of author.
    #[serde(
        rename(deserialize = "type", serialize = "kind"),
        default,
        deserialize_with = "lenient::known"
    )]
    pub kind: SenderKind,
    /// Name.
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
    /// The agent's display name.
    #[serde(default, deserialize_with = "lenient::text")]
    pub available_name: Option<String>,
    /// Avatar (`avatar_url`, else `thumbnail`).
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub avatar_url: Option<String>,
    /// `online`, `busy` or `offline`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub availability_status: Option<String>,
    #[serde(default, skip_serializing, deserialize_with = "lenient::non_empty")]
    thumbnail: Option<String>,
}

impl Sender {
    /// A sender of `kind` (a local send's contact).
    pub fn new(id: i64, kind: SenderKind, name: Option<String>) -> Sender {
        Sender {
            id,
            kind,
            name,
            available_name: None,
            avatar_url: None,
            availability_status: None,
            thumbnail: None,
        }
    }
}

impl Model for Sender {
    fn valid(&self) -> bool {
        self.id != NO_ID
    }
    fn fix(&mut self) {
        if self.avatar_url.is_none() {
            self.avatar_url = self.thumbnail.take();
        }
        self.thumbnail = None;
    }
}

/// A chat message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Message {
    /// Server id: increasing, the paging cursor (negative for a local send).
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// Text.
    #[serde(default, deserialize_with = "lenient::text")]
    pub content: Option<String>,
    /// Who wrote it.
    #[serde(default)]
    pub message_type: MessageType,
    /// What kind of content.
    #[serde(default, deserialize_with = "lenient::known")]
    pub content_type: ContentType,
    /// Options, submitted values, `deleted` and the like, as the server sent them.
    #[serde(default, deserialize_with = "lenient::object")]
    pub content_attributes: Map<String, Value>,
    /// Deleted by an agent (`content_attributes.deleted`).
    #[serde(default, skip_deserializing)]
    pub deleted: bool,
    /// Creation time (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub created_at: Option<i64>,
    /// Conversation display id.
    #[serde(default, deserialize_with = "lenient::int")]
    pub conversation_id: Option<i64>,
    /// Files.
    #[serde(default, deserialize_with = "lenient::list")]
    pub attachments: Vec<Attachment>,
    /// The author.
    #[serde(default, deserialize_with = "lenient::one")]
    pub sender: Option<Sender>,
    /// Delivery state; `null` when the answer did not say (REST never does).
    #[serde(default, deserialize_with = "lenient::opt_known")]
    pub status: Option<MessageStatus>,
    /// The client's echo id, on the socket event of the request that carried it.
    #[serde(default, deserialize_with = "lenient::text")]
    pub echo_id: Option<String>,
}

impl Model for Message {
    fn valid(&self) -> bool {
        self.id != NO_ID
    }
    fn fix(&mut self) {
        self.deleted = self.content_attributes.get("deleted") == Some(&Value::Bool(true));
    }
}

impl Message {
    /// True when what a widget shows of the two is the same (status and echo id aside).
    pub fn same_body(&self, other: &Message) -> bool {
        self.id == other.id
            && self.content == other.content
            && self.message_type == other.message_type
            && self.content_type == other.content_type
            && self.content_attributes == other.content_attributes
            && self.created_at == other.created_at
            && self.conversation_id == other.conversation_id
            && self.attachments == other.attachments
            && self.sender == other.sender
    }

    /// The local copy of a send: an incoming text from the contact, `sending`.
    pub fn local(local: Local<'_>) -> Message {
        let attachments = local
            .files
            .iter()
            .enumerate()
            .map(|(i, (file_type, size))| Attachment {
                id: local
                    .id
                    .saturating_mul(100)
                    .saturating_sub(i64::try_from(i).unwrap_or(0)),
                file_type: *file_type,
                data_url: None,
                thumb_url: None,
                extension: None,
                file_size: Some(*size),
                width: None,
                height: None,
            })
            .collect();
        Message {
            id: local.id,
            content: local.content.map(str::to_owned),
            message_type: MessageType::Incoming,
            content_type: ContentType::Text,
            content_attributes: Map::new(),
            deleted: false,
            created_at: Some(local.created_at),
            conversation_id: Some(local.conversation_id),
            attachments,
            sender: Some(Sender::new(
                local.sender_id,
                SenderKind::Contact,
                local.sender_name.map(str::to_owned),
            )),
            status: Some(MessageStatus::Sending),
            echo_id: None,
        }
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
    /// Each file's type and size in bytes.
    pub files: &'a [(FileType, i64)],
}

/// Orders messages by id, a repeated id once (its last copy).
pub fn message_list(mut list: Vec<Message>) -> Vec<Message> {
    // A stable sort: of equal ids, the later copy stays later, and wins below.
    list.sort_by_key(|m| m.id);
    let mut out: Vec<Message> = Vec::with_capacity(list.len());
    for m in list {
        if out.last().is_some_and(|last| last.id == m.id) {
            out.pop();
        }
        out.push(m);
    }
    out
}

/// A list of messages as [`message_list`] orders it.
pub(crate) fn messages<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Message>, D::Error> {
    lenient::list(d).map(message_list)
}
