//! The contact session (reference §4.1) and the contact (§4.2, and both shapes of the
//! contact-update answer, §3.4).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::lenient::{self, Model};
use crate::NO_ID;

/// A contact. Read from a conversation's `contact` or from a contact update, whose
/// answer is the contact record (servers up to mid-2026) or the session shape (later):
/// only `id` is required; `sourceId` is `null` on older servers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct Contact {
    /// Contact id.
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// Name.
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
    /// Email.
    #[serde(default, deserialize_with = "lenient::text")]
    pub email: Option<String>,
    /// Phone number in E.164.
    #[serde(default, deserialize_with = "lenient::text")]
    pub phone_number: Option<String>,
    /// The site's own user id.
    #[serde(default, deserialize_with = "lenient::text")]
    pub identifier: Option<String>,
    /// `visitor`, `lead` or `customer`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub contact_type: Option<String>,
    /// The server's custom attributes, as they are.
    #[serde(default, deserialize_with = "lenient::object")]
    pub custom_attributes: Map<String, Value>,
    /// The session id, when the answer is the session shape.
    #[serde(default, deserialize_with = "lenient::non_empty")]
    pub source_id: Option<String>,
    /// Created (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub created_at: Option<i64>,
    /// Last activity (ms).
    #[serde(default, deserialize_with = "lenient::millis")]
    pub last_activity_at: Option<i64>,
}

pub(crate) fn no_id() -> i64 {
    NO_ID
}

impl Model for Contact {
    fn valid(&self) -> bool {
        self.id != NO_ID
    }
}

/// One contact's session in one inbox: `sourceId` is its credential, `pubsubToken`
/// its realtime key. Store both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct ContactSession {
    /// The session's id (`contact_identifier`).
    #[serde(default, deserialize_with = "lenient::string")]
    pub source_id: String,
    /// Key of the realtime subscription. Secret to this session.
    #[serde(default, deserialize_with = "lenient::string")]
    pub pubsub_token: String,
    /// Contact id (changes when contacts merge).
    #[serde(default = "no_id", deserialize_with = "lenient::int_or_missing")]
    pub id: i64,
    /// Name.
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
    /// Email, lower-cased by the server.
    #[serde(default, deserialize_with = "lenient::text")]
    pub email: Option<String>,
    /// Phone number in E.164.
    #[serde(default, deserialize_with = "lenient::text")]
    pub phone_number: Option<String>,
}

impl Model for ContactSession {
    fn valid(&self) -> bool {
        !self.source_id.is_empty() && !self.pubsub_token.is_empty() && self.id != NO_ID
    }
}
