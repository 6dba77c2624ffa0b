//! The contact session (reference §4.1) and the contact (§4.2, and both shapes of the
//! contact-update answer, §3.4).

use serde::{Deserialize, Serialize};

use crate::wire::lenient;
use crate::wire::raw::Raw;
use crate::wire::time;

/// One contact's session in one inbox: `sourceId` is its credential, `pubsubToken`
/// its realtime key. Store both.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct ContactSession {
    /// The session's id (`contact_identifier`).
    #[serde(deserialize_with = "lenient::string")]
    pub source_id: String,
    /// Key of the realtime subscription. Secret to this session.
    #[serde(deserialize_with = "lenient::string")]
    pub pubsub_token: String,
    /// Contact id (changes when contacts merge).
    #[serde(deserialize_with = "lenient::int")]
    pub id: i64,
    /// Name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Email, lower-cased by the server.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    /// Phone number in E.164.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub phone_number: Option<String>,
}

/// A contact. Read from a conversation's `contact` or from a contact update, whose
/// answer is the contact record (servers up to mid-2026) or the session shape (later):
/// only `id` is required, the session fields are null on older servers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Contact {
    /// Contact id (changes when contacts merge: always take the latest).
    #[serde(deserialize_with = "lenient::int")]
    pub id: i64,
    /// Name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Email.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    /// Phone number in E.164.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub phone_number: Option<String>,
    /// Your system's id for this person, when set.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub identifier: Option<String>,
    /// `visitor`, `lead` or `customer`, when the server says.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub contact_type: Option<String>,
    /// Custom attributes as the server holds them.
    #[serde(default)]
    pub custom_attributes: Raw,
    /// Session id, when the server's answer carried it (newer servers).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub source_id: Option<String>,
    /// Creation time in ms, when known.
    #[serde(default, deserialize_with = "time::millis")]
    pub created_at: Option<i64>,
    /// Last activity in ms, when known.
    #[serde(default, deserialize_with = "time::millis")]
    pub last_activity_at: Option<i64>,
}
