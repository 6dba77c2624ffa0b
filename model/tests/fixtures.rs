//! Every server shape of the reference (§3.14, §4, §6.4–6.5), including the quirky
//! ones, decodes into the model JavaScript receives, normalised as SPEC §2 says.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chatwoot_inbox_model::*;
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}
/// What JavaScript receives for a fixture read as `T`.
fn js<T: Model + serde::Serialize>(name: &str) -> Value {
    let t: T = decode(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    serde_json::to_value(t).unwrap()
}
/// A fixture read as a list of `T`.
fn js_list<T: Model + serde::Serialize>(name: &str) -> Value {
    let t: Vec<T> = decode_list(&fixture(name)).unwrap();
    serde_json::to_value(t).unwrap()
}
/// A fixture read as the session holds a message.
fn message(name: &str) -> Message {
    decode(&fixture(name)).unwrap()
}
#[test]
fn inbox_with_working_hours_and_unknown_fields() {
    let v = js::<Inbox>("inbox.json");
    assert_eq!(v["identifier"], "a1B2c3D4e5F6g7H8i9J0k1L2");
    assert_eq!(v["timezone"], "Europe/Berlin");
    assert_eq!(v["identityValidationEnabled"], false);
    assert_eq!(
        v["workingHours"][0],
        json!({"dayOfWeek":0,"closedAllDay":true,"openAllDay":false,"openHour":null,"openMinutes":null,"closeHour":null,"closeMinutes":null})
    );
    assert_eq!(v["workingHours"][1]["openHour"], 9);
    assert!(v.get("aFieldFromTheFuture").is_none() && v.get("a_field_from_the_future").is_none());
}

#[test]
fn contact_session_and_both_update_shapes() {
    assert_eq!(
        js::<ContactSession>("contact_session.json"),
        json!({"sourceId":"7c6b4a0e-0c39-4b5e-9a57-3d2f1f0a8e11","pubsubToken":"k3YbqL8v9QwZ2mNp4RsT6uVx","id":1042,"name":"delicate-cherry-742","email":null,"phoneNumber":null})
    );

    let v = js::<Contact>("contact_update_record.json");
    assert_eq!(
        (v["id"].clone(), v["sourceId"].clone()),
        (json!(1043), Value::Null)
    );
    assert_eq!(v["customAttributes"], json!({"plan":"pro","seats":3}));
    assert_eq!(v["createdAt"], 1_777_629_600_123_i64);
    assert_eq!(v["lastActivityAt"], Value::Null);
    assert_eq!(v["identifier"], "user-7");

    let v = js::<Contact>("contact_update_session.json");
    assert_eq!(
        (v["id"].clone(), v["sourceId"].clone()),
        (json!(1043), json!("7c6b4a0e-0c39-4b5e-9a57-3d2f1f0a8e11"))
    );
    assert_eq!(
        v["customAttributes"],
        json!({}),
        "absent custom attributes become {{}}"
    );
    assert!(
        v.get("pubsubToken").is_none(),
        "the token is not part of a Contact"
    );
}

#[test]
fn rest_message_numeric_type_int_seconds_and_absent_attachments() {
    let v = js::<Message>("message_rest.json");
    assert_eq!(v["messageType"], "outgoing");
    assert_eq!(v["createdAt"], 1_717_000_123_000_i64);
    assert_eq!(v["attachments"], json!([]));
    assert_eq!(v["status"], Value::Null, "REST messages carry no status");
    assert_eq!(v["sender"]["kind"], "user");
    assert_eq!(v["sender"]["availableName"], "Ana");
    assert!(v["sender"].get("thumbnail").is_none());
    assert_eq!(v["deleted"], false);
}

#[test]
fn socket_message_with_echo_status_attachments_and_contact_sender() {
    let v = js::<Message>("message_ws.json");
    let m = message("message_ws.json");
    assert_eq!(
        serde_json::to_value(&m).unwrap(),
        v,
        "the session's copy writes what the client writes"
    );
    assert_eq!(
        (m.echo_id.as_deref(), m.status, m.attachments.len()),
        (Some("tmp-123"), Some(MessageStatus::Delivered), 1)
    );
    assert_eq!(v["messageType"], "incoming");
    assert_eq!(v["echoId"], "tmp-123");
    assert_eq!(v["status"], "delivered");
    assert_eq!(
        v["attachments"][0],
        json!({"id":5,"fileType":"image","dataUrl":"http://h/rails/active_storage/blobs/redirect/5/a.png","thumbUrl":"http://h/rails/active_storage/blobs/redirect/5/a.png","extension":"png","fileSize":2048,"width":null,"height":null})
    );
    assert_eq!(v["sender"]["kind"], "contact");
    assert_eq!(
        v["sender"]["avatarUrl"],
        Value::Null,
        "an empty thumbnail is no avatar"
    );
}

#[test]
fn csat_template_without_sender_and_float_seconds() {
    let v = js::<Message>("message_csat_template.json");
    assert_eq!(
        (v["messageType"].clone(), v["contentType"].clone()),
        (json!("template"), json!("input_csat"))
    );
    assert_eq!(v["sender"], Value::Null);
    assert_eq!(v["createdAt"], 1_717_000_999_000_i64);
    assert_eq!(
        v["contentAttributes"],
        json!({"display_type":"emoji"}),
        "raw content attributes pass through"
    );
}

#[test]
fn unknown_enum_values_and_stringly_numbers_never_fail() {
    let v = js::<Message>("message_quirky.json");
    assert_eq!(v["id"], 951);
    assert_eq!(v["content"], Value::Null);
    assert_eq!(
        (
            v["messageType"].clone(),
            v["contentType"].clone(),
            v["status"].clone()
        ),
        (json!("unknown"), json!("unknown"), json!("unknown"))
    );
    assert_eq!(v["createdAt"], 1_717_001_000_000_i64);
    assert_eq!(v["attachments"][0]["fileType"], "ig_reel");
    assert_eq!(v["attachments"][1]["fileType"], "unknown");
    assert_eq!(v["sender"]["kind"], "captain_assistant");
    assert_eq!(v["contentAttributes"], json!({}));
}

#[test]
fn deleted_message_is_flagged() {
    assert_eq!(js::<Message>("message_deleted.json")["deleted"], true);
}

#[test]
fn message_page_and_conversations() {
    let held = message_list(decode_list(&fixture("messages_page.json")).unwrap());
    let page = serde_json::to_value(&held).unwrap();
    let ids: Vec<i64> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 20);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(held.iter().map(|m| m.id).collect::<Vec<_>>(), ids);

    let v = js::<Conversation>("conversation_rest.json");
    assert_eq!(v["contactLastSeenAt"], 1_717_000_000_000_i64);
    assert_eq!(v["agentLastSeenAt"], Value::Null, "0 means never");
    let ids: Vec<i64> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![899, 901],
        "embedded messages ordered and de-duplicated by id"
    );
    assert_eq!(v["contact"]["id"], 1043);
    assert_eq!(v["labels"], json!([]));

    let list = js_list::<Conversation>("conversations_list.json");
    let statuses: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["resolved", "pending", "unknown"]);

    let v = js::<Conversation>("conversation_ws.json");
    assert_eq!(v["status"], "snoozed");
    assert_eq!(v["labels"], json!(["vip", "billing"]));
    assert_eq!(v["unreadCount"], 3);
    assert_eq!(v["lastActivityAt"], 1_717_000_500_000_i64);
    assert_eq!(v["customAttributes"], json!({"order":"A-1"}));
    assert!(
        v.get("contactInbox").is_none(),
        "the session record (with its token) is not passed on"
    );
}

#[test]
fn csat_surveys() {
    let v = js::<CsatSurvey>("csat_survey.json");
    assert_eq!(v["csatSurveyResponse"], Value::Null);
    assert_eq!(v["createdAt"], 1_777_629_600_000_i64);
    let v = js::<CsatSurvey>("csat_survey_answered.json");
    assert_eq!(
        v["csatSurveyResponse"],
        json!({"rating":4,"feedbackMessage":"quick","createdAt":1_777_629_900_000_i64})
    );
    assert_eq!(v["displayType"], "star");
    assert_eq!(v["content"], Value::Null);
}

#[test]
fn a_missing_id_is_a_decode_failure_not_a_default() {
    assert_eq!(
        decode::<Message>(r#"{"content":"no id"}"#),
        Err(DecodeError::Shape)
    );
    assert_eq!(
        decode::<ContactSession>(r#"{"source_id":"x","pubsub_token":"y"}"#),
        Err(DecodeError::Shape)
    );
    assert_eq!(
        decode_list::<Message>(r#"{"not":"a list"}"#),
        Err(DecodeError::Shape)
    );
    assert_eq!(decode::<Message>("{"), Err(DecodeError::NotJson));
    assert_eq!(
        decode_list::<Message>(r#"[{"id":1},{"no":"id"},7,"x",[1]]"#).unwrap(),
        decode_list::<Message>(r#"[{"id":1}]"#).unwrap(),
        "list items that are not messages are left out"
    );
}

#[test]
fn wrong_types_degrade_instead_of_failing() {
    let v = js_of::<Contact>(
        r#"{"id":"42","name":7,"email":{"x":[1]},"identifier":2.5,"custom_attributes":[1],"created_at":"soon","last_activity_at":true}"#,
    );
    assert_eq!(
        v,
        json!({"id":42,"name":"7","email":null,"phoneNumber":null,"identifier":"2.5","contactType":null,"customAttributes":{},"sourceId":null,"createdAt":null,"lastActivityAt":null})
    );
    let v = js_of::<Conversation>(
        r#"{"id":3.0,"labels":["a",1,null,"b",{}],"status":5,"messages":{"id":1},"contact":"x","unread_count":"2"}"#,
    );
    assert_eq!(v["id"], 3);
    assert_eq!(v["labels"], json!(["a", "1", "b"]));
    assert_eq!(v["status"], "unknown");
    assert_eq!(v["messages"], json!([]));
    assert_eq!(v["contact"], Value::Null);
    assert_eq!(v["unreadCount"], 2);
    assert_eq!(
        decode::<Conversation>(r#"{"id":2.5}"#),
        Err(DecodeError::Shape)
    );
    assert_eq!(
        decode::<Conversation>(r#"{"id":"9000000000000000"}"#),
        Err(DecodeError::Shape)
    );
    let m = js_of::<Message>(
        r#"{"id":1,"message_type":"2","sender":{"id":4,"type":"user","avatar_url":"","thumbnail":"t"}}"#,
    );
    assert_eq!(m["messageType"], "activity");
    assert_eq!(
        m["sender"]["avatarUrl"], "t",
        "an empty avatar_url falls back to thumbnail"
    );
}

fn js_of<T: Model + serde::Serialize>(text: &str) -> Value {
    serde_json::to_value(decode::<T>(text).unwrap()).unwrap()
}
