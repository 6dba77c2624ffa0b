//! What JavaScript receives: plain objects with camelCase keys (SPEC §2). Each type
//! reads the server's snake_case JSON through the tolerant readers of [`crate::wire`]
//! and writes camelCase, so one struct per resource serves both directions.

mod contact;
mod conversation;
mod csat;
mod inbox;
mod message;

pub use contact::{Contact, ContactSession};
pub use conversation::{Conversation, ConversationStatus};
pub use csat::{CsatResponse, CsatSurvey};
pub use inbox::{Inbox, WorkingHours};
pub use message::{
    normalise_list as message_list, Attachment, ContentType, FileType, Message, MessageStatus,
    MessageType, Sender, SenderKind,
};
