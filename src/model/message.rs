//! Message, Sender and Attachment (reference §4.4–4.6, §6.4).

use serde::{Deserialize, Serialize};

use crate::wire::lenient::{self, string_enum};
use crate::wire::raw::Raw;
use crate::wire::time;

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
    /// The string JavaScript sees.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageType::Incoming => "incoming",
            MessageType::Outgoing => "outgoing",
            MessageType::Activity => "activity",
            MessageType::Template => "template",
            MessageType::Unknown => "unknown",
        }
    }
}

impl<'de> Deserialize<'de> for MessageType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use lenient::Scalar;
        Ok(match lenient::scalar(d)? {
            Scalar::Int(0) => MessageType::Incoming,
            Scalar::Int(1) => MessageType::Outgoing,
            Scalar::Int(2) => MessageType::Activity,
            Scalar::Int(3) => MessageType::Template,
            Scalar::Str(s) => match s.as_str() {
                "incoming" | "0" => MessageType::Incoming,
                "outgoing" | "1" => MessageType::Outgoing,
                "activity" | "2" => MessageType::Activity,
                "template" | "3" => MessageType::Template,
                _ => MessageType::Unknown,
            },
            _ => MessageType::Unknown,
        })
    }
}

impl Serialize for MessageType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

string_enum! {
    /// How a message's content is meant to be shown.
    pub enum ContentType {
        /// Plain text.
        Text = "text",
        /// Asks for a line of text.
        InputText = "input_text",
        /// Asks for a paragraph.
        InputTextarea = "input_textarea",
        /// Asks for an email address.
        InputEmail = "input_email",
        /// Buttons to pick from (`contentAttributes.items`).
        InputSelect = "input_select",
        /// Cards with actions.
        Cards = "cards",
        /// A form to fill in.
        Form = "form",
        /// Help-centre articles.
        Article = "article",
        /// An email received.
        IncomingEmail = "incoming_email",
        /// The CSAT survey.
        InputCsat = "input_csat",
        /// From an integration.
        Integrations = "integrations",
        /// A sticker.
        Sticker = "sticker",
        /// A voice call record.
        VoiceCall = "voice_call",
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

string_enum! {
    /// What kind of file an attachment is.
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
        /// A fallback (link preview and similar).
        Fallback = "fallback",
        /// A shared post.
        Share = "share",
        /// An Instagram story mention.
        StoryMention = "story_mention",
        /// A shared contact card.
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
    /// Who a sender is.
    pub enum SenderKind {
        /// The contact.
        Contact = "contact",
        /// A human agent.
        User = "user",
        /// An agent bot.
        AgentBot = "agent_bot",
        /// Captain, the AI assistant.
        CaptainAssistant = "captain_assistant",
    }
}

/// The author of a message (reference §4.5).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Sender {
    /// Sender id (in its own kind's id space).
    #[serde(deserialize_with = "lenient::int")]
    pub id: i64,
    /// Which kind of sender.
    #[serde(default, rename(deserialize = "type", serialize = "kind"))]
    pub kind: SenderKind,
    /// Display name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Agents' public name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub available_name: Option<String>,
    /// Avatar image URL (`thumbnail` for contacts); null when there is none.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub avatar_url: Option<String>,
    /// Agents: `online`, `busy` or `offline`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub availability_status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string", skip_serializing)]
    thumbnail: Option<String>,
}

impl Sender {
    /// The contact as the author of its own message.
    pub fn contact(id: i64, name: Option<String>) -> Self {
        Sender {
            id,
            kind: SenderKind::Contact,
            name,
            available_name: None,
            avatar_url: None,
            availability_status: None,
            thumbnail: None,
        }
    }

    /// Fills `avatarUrl` from `thumbnail` (contacts); call after decoding.
    pub fn normalised(mut self) -> Self {
        self.normalise();
        self
    }

    fn normalise(&mut self) {
        if self.avatar_url.as_deref().is_none_or(str::is_empty) {
            self.avatar_url = self.thumbnail.take().filter(|t| !t.is_empty());
        }
    }
}

/// A file on a message (reference §4.6).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Attachment {
    /// Attachment id.
    #[serde(deserialize_with = "lenient::int")]
    pub id: i64,
    /// What kind of file.
    #[serde(default)]
    pub file_type: FileType,
    /// Where to load it (a redirect; use it in `<img>`/`<a>`, not `fetch`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub data_url: Option<String>,
    /// A small preview for images; null otherwise.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub thumb_url: Option<String>,
    /// File extension, when the server knows it.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub extension: Option<String>,
    /// Size in bytes.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub file_size: Option<i64>,
    /// Pixel width (null until the server analysed the image).
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub width: Option<i64>,
    /// Pixel height.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub height: Option<i64>,
}

/// A chat message.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Message {
    /// Server id: increasing, the paging cursor.
    #[serde(deserialize_with = "lenient::int")]
    pub id: i64,
    /// Text; null for attachment-only messages.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub content: Option<String>,
    /// Who wrote it.
    #[serde(default)]
    pub message_type: MessageType,
    /// How to show it.
    #[serde(default)]
    pub content_type: ContentType,
    /// The server's `content_attributes` as they were (items, submitted values, …).
    #[serde(default)]
    pub content_attributes: Raw,
    /// True when the message was deleted (its content is a placeholder).
    #[serde(default, skip_deserializing)]
    pub deleted: bool,
    /// Creation time, milliseconds since the epoch.
    #[serde(default, deserialize_with = "time::millis")]
    pub created_at: Option<i64>,
    /// Conversation display id.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub conversation_id: Option<i64>,
    /// Delivery state; null when the answer did not say (REST never does). A
    /// `ChatSession` fills it: `sending`/`failed` for its own messages in flight.
    #[serde(default, deserialize_with = "opt_status")]
    pub status: Option<MessageStatus>,
    /// The client's echo id, on the socket event of the request that carried it.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub echo_id: Option<String>,
    /// Files; `[]` when none.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// The author; null for system and template messages.
    #[serde(default)]
    pub sender: Option<Sender>,
}

fn opt_status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<MessageStatus>, D::Error> {
    Ok(lenient::opt_string(d)?.map(|s| MessageStatus::parse(&s)))
}

impl Message {
    /// Fills what is derived from other fields; call after decoding.
    pub fn normalise(mut self) -> Self {
        self.deleted = self.content_attributes.flag("deleted");
        if let Some(sender) = self.sender.as_mut() {
            sender.normalise();
        }
        self
    }
}

/// Normalises every message and orders the list by id, dropping repeated ids
/// (a conversation's order is not guaranteed by the server).
pub fn normalise_list(messages: Vec<Message>) -> Vec<Message> {
    let mut list: Vec<Message> = messages.into_iter().map(Message::normalise).collect();
    list.sort_by_key(|m| m.id);
    list.dedup_by_key(|m| m.id);
    list
}
