//! What the application API (seeds 000–003) answers about conversations: the agent's
//! view, richer than the public API's, normalised by the same rules (SPEC §2).

use super::conversation::CONVERSATION_STATUSES;
use super::message::MESSAGE;
use super::schema::{field, Schema};

/// The contact a conversation is with (`meta.sender`).
pub static ACCOUNT_CONTACT: Schema = Schema {
    required: &[0],
    fields: &[
        field!("id" => "id", Int),
        field!("name" => "name", Text),
        field!("email" => "email", Text),
        field!("phone_number" => "phoneNumber", Text),
        field!("identifier" => "identifier", Text),
        field!("thumbnail" => "avatarUrl", NonEmpty),
        field!("availability_status" => "availabilityStatus", Text),
        field!("blocked" => "blocked", Flag),
        field!("custom_attributes" => "customAttributes", Object),
        field!("additional_attributes" => "additionalAttributes", Object),
        field!("last_activity_at" => "lastActivityAt", Millis),
        field!("created_at" => "createdAt", Millis),
    ],
};

/// An agent or agent bot (`meta.assignee`). The server's record may carry the agent's
/// own credentials (`access_token`, `pubsub_token`, `hmac_identifier`, `uid`, per seed
/// 001): no field here reads them, so they never reach JavaScript.
pub static AGENT: Schema = Schema {
    required: &[0],
    fields: &[
        field!("id" => "id", Int),
        field!("name" => "name", Text),
        field!("available_name" => "availableName", Text),
        field!("display_name" => "displayName", Text),
        field!("email" => "email", Text),
        field!("role" => "role", Text),
        field!("availability_status" => "availabilityStatus", Text),
        field!(["avatar_url", "thumbnail"] => "avatarUrl", NonEmpty),
        field!("type" => "kind", Text),
    ],
};

/// A team (`meta.team`).
pub static TEAM: Schema = Schema {
    required: &[0],
    fields: &[field!("id" => "id", Int), field!("name" => "name", Text)],
};

/// A conversation's `meta`.
pub static META: Schema = Schema {
    required: &[],
    fields: &[
        field!("sender" => "sender", One(&ACCOUNT_CONTACT)),
        field!("assignee" => "assignee", One(&AGENT)),
        field!("team" => "team", One(&TEAM)),
        field!("channel" => "channel", Text),
        field!("hmac_verified" => "hmacVerified", Flag),
    ],
};

/// A conversation as the application API shows it to an agent.
pub static ACCOUNT_CONVERSATION: Schema = Schema {
    required: &[0],
    fields: &[
        field!("id" => "id", Int),
        field!("uuid" => "uuid", NonEmpty),
        field!("account_id" => "accountId", Int),
        field!("inbox_id" => "inboxId", Int),
        field!("status" => "status", Enum(CONVERSATION_STATUSES)),
        field!("priority" => "priority", Text),
        field!("meta" => "meta", One(&META)),
        field!("messages" => "messages", Messages(&MESSAGE)),
        field!("last_non_activity_message" => "lastNonActivityMessage", One(&MESSAGE)),
        field!("labels" => "labels", Strings),
        field!("muted" => "muted", Flag),
        field!("can_reply" => "canReply", Flag),
        field!("unread_count" => "unreadCount", Int),
        field!("custom_attributes" => "customAttributes", Object),
        field!("additional_attributes" => "additionalAttributes", Object),
        field!("snoozed_until" => "snoozedUntil", Millis),
        field!("contact_last_seen_at" => "contactLastSeenAt", Millis),
        field!("agent_last_seen_at" => "agentLastSeenAt", Millis),
        field!("assignee_last_seen_at" => "assigneeLastSeenAt", Millis),
        field!("first_reply_created_at" => "firstReplyCreatedAt", Millis),
        field!("waiting_since" => "waitingSince", Millis),
        field!("last_activity_at" => "lastActivityAt", Millis),
        field!("timestamp" => "timestamp", Millis),
        field!("created_at" => "createdAt", Millis),
        field!("updated_at" => "updatedAt", Millis),
        field!("sla_policy_id" => "slaPolicyId", Int),
        field!("applied_sla" => "appliedSla", Object),
        field!("sla_events" => "slaEvents", Objects),
    ],
};
