//! The models of chatwoot-inbox-sdk, on serde. Each type reads the server's snake_case
//! JSON tolerantly (reference §4: the rules are the `deserialize_with` helpers of
//! [`lenient`]) and writes the camelCase plain object JavaScript receives (SPEC §2):
//! timestamps in integer milliseconds, `null` for "never", enums with an `"unknown"`
//! fallback, unknown fields ignored, `raw` objects kept only where the type says so.
//!
//! No wasm dependency: the models are tested and fuzzed natively.
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::arithmetic_side_effects
    )
)]

pub mod lenient;
pub mod millis;

mod account;
mod contact;
mod conversation;
mod csat;
mod enums;
mod inbox;
mod message;

pub use account::{AccountContact, AccountConversation, Agent, ConversationMeta, Team};
pub use contact::{Contact, ContactSession};
pub use conversation::{Conversation, ConversationStatus};
pub use csat::{CsatResponse, CsatSurvey};
pub use inbox::{Inbox, WorkingHours};
pub use lenient::{decode, decode_list, DecodeError, Model};
pub use message::{
    message_list, Attachment, ContentType, FileType, Local, Message, MessageStatus, MessageType,
    Sender, SenderKind,
};

/// `id` of a model whose answer had none: such a value is not that model.
pub const NO_ID: i64 = i64::MIN;
