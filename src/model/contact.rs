//! The contact session (reference §4.1) and the contact (§4.2, and both shapes of the
//! contact-update answer, §3.4).

use super::schema::{field, Schema};
use crate::wire::json::Node;
use crate::wire::out::Out;

/// A contact. Read from a conversation's `contact` or from a contact update, whose
/// answer is the contact record (servers up to mid-2026) or the session shape (later):
/// only `id` is required; `sourceId` is null on older servers.
pub static CONTACT: Schema = Schema {
    required: &[0],
    fields: &[
        field!("id" => "id", Int),
        field!("name" => "name", Text),
        field!("email" => "email", Text),
        field!("phone_number" => "phoneNumber", Text),
        field!("identifier" => "identifier", Text),
        field!("contact_type" => "contactType", Text),
        field!("custom_attributes" => "customAttributes", Object),
        field!("source_id" => "sourceId", NonEmpty),
        field!("created_at" => "createdAt", Millis),
        field!("last_activity_at" => "lastActivityAt", Millis),
    ],
};

/// The contact session as JavaScript receives it.
pub static CONTACT_SESSION: Schema = Schema {
    required: &[0, 1, 2],
    fields: &[
        field!("source_id" => "sourceId", NonEmpty),
        field!("pubsub_token" => "pubsubToken", Text),
        field!("id" => "id", Int),
        field!("name" => "name", Text),
        field!("email" => "email", Text),
        field!("phone_number" => "phoneNumber", Text),
    ],
};

/// One contact's session in one inbox: `sourceId` is its credential, `pubsubToken`
/// its realtime key. Store both.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactSession {
    /// The session's id (`contact_identifier`).
    pub source_id: String,
    /// Key of the realtime subscription. Secret to this session.
    pub pubsub_token: String,
    /// Contact id (changes when contacts merge).
    pub id: i64,
    /// Name.
    pub name: Option<String>,
    /// Email, lower-cased by the server.
    pub email: Option<String>,
    /// Phone number in E.164.
    pub phone_number: Option<String>,
}

impl ContactSession {
    /// Reads the server's session object; `None` without a source id or an id.
    pub fn read(n: Node<'_>) -> Option<Self> {
        Some(ContactSession {
            source_id: n.get("source_id").non_empty()?,
            pubsub_token: n.get("pubsub_token").text()?,
            id: n.get("id").id()?,
            name: n.get("name").text(),
            email: n.get("email").text(),
            phone_number: n.get("phone_number").text(),
        })
    }

    /// Writes the camelCase object.
    pub fn write(&self, o: &mut Out) {
        o.open()
            .key("sourceId")
            .str(&self.source_id)
            .key("pubsubToken")
            .str(&self.pubsub_token)
            .key("id")
            .int(self.id)
            .key("name")
            .opt_str(self.name.as_deref())
            .key("email")
            .opt_str(self.email.as_deref())
            .key("phoneNumber")
            .opt_str(self.phone_number.as_deref())
            .close();
    }
}
