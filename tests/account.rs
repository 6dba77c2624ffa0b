//! `AccountClient` without I/O: the seed pages' examples (000–003) read as the agent's
//! conversation JavaScript receives (both list shapes, credentials never passed on,
//! `{}` placeholders and "string" timestamps normalised), and the requests its three
//! methods build, bad input refused first.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::unreachable
)]

use chatwoot_inbox_sdk::api::account::{
    create_conversation, get_conversation, list_contact_conversations, token,
};
use chatwoot_inbox_sdk::api::input::Input;
use chatwoot_inbox_sdk::api::{Body, Method};
use chatwoot_inbox_sdk::machine::reply::{reply, Shape};
use chatwoot_inbox_sdk::machine::Machine;
use chatwoot_inbox_sdk::ErrorCode;
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn read(shape: Shape, name: &str) -> Value {
    serde_json::from_str(&transcode(shape, &fixture(name)).unwrap()).unwrap()
}

/// What JavaScript would receive for an answer, `None` for a decode error.
fn transcode(shape: Shape, text: &str) -> Option<String> {
    reply("answer", text, shape).ok()
}

#[test]
fn both_list_shapes_of_contact_conversations() {
    let payload = read(
        Shape::AccountConversations,
        "account_contact_conversations_payload.json",
    );
    let bare = read(
        Shape::AccountConversations,
        "account_contact_conversations_bare.json",
    );
    assert_eq!(payload.as_array().unwrap().len(), 1);
    assert_eq!(bare.as_array().unwrap().len(), 1);
    let c = &payload[0];
    assert_eq!(c["status"], "resolved");
    assert_eq!(
        c["meta"]["sender"],
        Value::Null,
        "an empty meta has no sender"
    );
    assert_eq!(
        c["lastNonActivityMessage"],
        Value::Null,
        "seed 000's {{}} is no message"
    );
    assert_eq!(c["labels"], json!(["string"]));
    assert_eq!(c["snoozedUntil"], Value::Null, "0 is never");
    assert_eq!(c["canReply"], false);
    let b = &bare[0];
    assert_eq!(b["status"], "open");
    assert_eq!(
        b["messages"],
        json!([]),
        "seed 002's message has no id: nothing the SDK could key it by"
    );
    assert_eq!(b["contactLastSeenAt"], Value::Null, "\"string\" is no time");
    assert_eq!(b["meta"]["sender"]["avatarUrl"], "string");
    assert_eq!(b["meta"]["assignee"]["role"], "agent");
    assert_eq!(b["customAttributes"]["priority_conversation_number"], 3);
    assert!(transcode(Shape::AccountConversations, r#"{"data":[]}"#).is_none());
    assert!(transcode(Shape::AccountConversations, "{}").is_none());
}

#[test]
fn conversation_details_keep_every_seed_field_and_drop_credentials() {
    let v = read(
        Shape::AccountConversation,
        "account_conversation_details.json",
    );
    for key in [
        "id",
        "uuid",
        "accountId",
        "inboxId",
        "status",
        "priority",
        "meta",
        "messages",
        "lastNonActivityMessage",
        "labels",
        "muted",
        "canReply",
        "unreadCount",
        "customAttributes",
        "additionalAttributes",
        "snoozedUntil",
        "contactLastSeenAt",
        "agentLastSeenAt",
        "assigneeLastSeenAt",
        "firstReplyCreatedAt",
        "waitingSince",
        "lastActivityAt",
        "timestamp",
        "createdAt",
        "updatedAt",
        "slaPolicyId",
        "appliedSla",
        "slaEvents",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["muted"], true);
    assert_eq!(v["priority"], "string");
    assert_eq!(v["slaEvents"], json!([{}]));
    assert_eq!(v["lastNonActivityMessage"]["status"], "sent");
    assert_eq!(v["meta"]["hmacVerified"], true);
    let text = v.to_string();
    for secret in [
        "access_token",
        "accessToken",
        "pubsub_token",
        "pubsubToken",
        "hmac_identifier",
        "\"uid\"",
    ] {
        assert!(!text.contains(secret), "{secret} must not reach JavaScript");
    }
    assert_eq!(v["meta"]["assignee"]["displayName"], "string");
}

#[test]
fn create_answer_and_the_seeds_trailing_comma() {
    let v = read(Shape::AccountConversation, "account_create.json");
    assert_eq!(v["meta"]["sender"]["blocked"], false);
    assert_eq!(v["meta"]["assignee"]["availabilityStatus"], "online");
    assert_eq!(v["messages"], json!([]));
    // Seed 003's own example is not JSON (a trailing comma): a decode failure, not a guess.
    assert!(transcode(
        Shape::AccountConversation,
        &fixture("account_create_seed_trailing_comma.json")
    )
    .is_none());
}

fn create(json_input: &str) -> Result<Value, ErrorCode> {
    let doc: Value = serde_json::from_str(json_input).unwrap();
    let req =
        create_conversation(1, Input::new(&doc, "conversation").unwrap()).map_err(|e| e.code)?;
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/api/v1/accounts/1/conversations");
    assert!(!req.idempotent, "never retried blindly");
    let Body::Json(text) = req.body else {
        unreachable!()
    };
    Ok(serde_json::from_str(&text).unwrap())
}

#[test]
fn requests_paths_bodies_and_bad_input() {
    let r = list_contact_conversations(3, 42);
    assert_eq!(
        (r.method, r.path.as_str(), r.idempotent),
        (
            Method::Get,
            "/api/v1/accounts/3/contacts/42/conversations",
            true
        )
    );
    assert_eq!(
        get_conversation(3, 7).path,
        "/api/v1/accounts/3/conversations/7"
    );
    let body = create(
        r#"{"inboxId":"5","contactId":7,"sourceId":"s-1","status":"pending","assigneeId":"1","teamId":2,
            "customAttributes":{"a":1},"additionalAttributes":{"browser":"x"}}"#,
    )
    .unwrap();
    assert_eq!(
        body,
        json!({"inbox_id":5,"source_id":"s-1","contact_id":7,"assignee_id":1,"team_id":2,"status":"pending",
               "custom_attributes":{"a":1},"additional_attributes":{"browser":"x"}})
    );
    for bad in [
        r#"{}"#,
        r#"{"inboxId":0}"#,
        r#"{"inboxId":"5x"}"#,
        r#"{"inboxId":1.5}"#,
        r#"{"inboxId":1,"status":"closed"}"#,
        r#"{"inboxId":1,"sourceId":" "}"#,
        r#"{"inboxId":1,"inbox_id":1}"#,
        r#"{"inboxId":1,"customAttributes":[1]}"#,
    ] {
        assert_eq!(create(bad).err(), Some(ErrorCode::InvalidArgument), "{bad}");
    }
    assert!(token("tok-123").is_ok());
    for bad in ["", "has space", "tab\t", "ünï"] {
        let e = token(bad).unwrap_err();
        assert!(!bad.is_empty() && !e.message.contains(bad) || bad.is_empty());
    }
}

/// The machine puts the token in a header of each request, and in nothing it reports.
#[test]
fn the_token_goes_in_the_request_header_only() {
    let secret = "s3cr3t-token-value";
    let options =
        json!({"baseUrl":"https://chat.example.com","accountId":"1","apiAccessToken":secret});
    let mut m = Machine::new("account", &options, 7).unwrap();
    let step = serde_json::to_value(m.call("getConversation", &json!([7]), 0)).unwrap();
    let fetch = &step["ops"][0];
    assert_eq!(fetch["op"], "fetch");
    assert_eq!(fetch["token"], secret);
    assert_eq!(
        fetch["url"],
        "https://chat.example.com/api/v1/accounts/1/conversations/7"
    );
    let id = fetch["id"].as_u64().unwrap() as u32;
    let answer = serde_json::to_string(&m.response(
        id,
        401,
        None,
        br#"{"error":"Invalid Access Token"}"#,
        0,
    ))
    .unwrap();
    let v: Value = serde_json::from_str(&answer).unwrap();
    let reject = v["ops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["op"] == "reject")
        .unwrap();
    assert_eq!(reject["error"]["code"], "unauthorized");
    assert!(!answer.contains(secret));
    let bad = Machine::new(
        "account",
        &json!({"baseUrl":"https://h","accountId":1,"apiAccessToken":"bad token"}),
        1,
    )
    .err()
    .unwrap();
    assert!(!bad.message.contains("bad token"));
    for (method, args) in [
        ("getConversation", "[\"x\"]"),
        ("listContactConversations", "[-1]"),
        ("createConversation", "[null]"),
    ] {
        let args: Value = serde_json::from_str(args).unwrap();
        let v = serde_json::to_value(m.call(method, &args, 0)).unwrap();
        assert_eq!(v["ops"][0]["op"], "reject", "{method}");
        assert_eq!(v["ops"][0]["error"]["code"], "invalid_argument");
    }
}
