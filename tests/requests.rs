//! Request building: methods, encoded paths, bodies and the retry policy of each of the
//! 15 public endpoints, with bad input refused before any request (SPEC §3).
// Native only: fixtures are read from disk, and the wasm tier has its own file.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::unreachable
)]

use chatwoot_inbox_sdk::api::contacts::{ContactInput, Identity};
use chatwoot_inbox_sdk::api::*;
use chatwoot_inbox_sdk::ErrorCode;

const IN: &str = "inbox-1";

/// The keys of a JSON body, in order.
fn json_keys(body: &Body) -> Vec<String> {
    let Body::Json(text) = body else {
        unreachable!()
    };
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let serde_json::Value::Object(map) = v else {
        unreachable!()
    };
    map.keys().cloned().collect()
}
const SID: &str = "src-9";

#[test]
fn every_endpoint_method_path_and_policy() {
    let c = "/public/api/v1/inboxes/inbox-1/contacts/src-9";
    let cases: Vec<(Request, Method, String, bool)> = vec![
        (
            inbox::get(IN).unwrap(),
            Method::Get,
            "/public/api/v1/inboxes/inbox-1".into(),
            true,
        ),
        (
            contacts::create(IN, ContactInput::default()).unwrap(),
            Method::Post,
            "/public/api/v1/inboxes/inbox-1/contacts".into(),
            false,
        ),
        (
            contacts::get(IN, SID, Identity::default()).unwrap(),
            Method::Get,
            c.into(),
            true,
        ),
        (
            contacts::update(IN, SID, ContactInput::default()).unwrap(),
            Method::Patch,
            c.into(),
            true,
        ),
        (
            conversations::list(IN, SID).unwrap(),
            Method::Get,
            format!("{c}/conversations"),
            true,
        ),
        (
            conversations::create(IN, SID, None).unwrap(),
            Method::Post,
            format!("{c}/conversations"),
            false,
        ),
        (
            conversations::get(IN, SID, 7.0).unwrap(),
            Method::Get,
            format!("{c}/conversations/7"),
            true,
        ),
        (
            conversations::resolve(IN, SID, 7.0).unwrap(),
            Method::Post,
            format!("{c}/conversations/7/toggle_status"),
            true,
        ),
        (
            conversations::set_typing(IN, SID, 7.0, "on").unwrap(),
            Method::Post,
            format!("{c}/conversations/7/toggle_typing"),
            true,
        ),
        (
            conversations::update_last_seen(IN, SID, 7.0).unwrap(),
            Method::Post,
            format!("{c}/conversations/7/update_last_seen"),
            true,
        ),
        (
            messages::list(IN, SID, 7.0, Some(120.0)).unwrap(),
            Method::Get,
            format!("{c}/conversations/7/messages?before=120"),
            true,
        ),
        (
            messages::create(IN, SID, 7.0, Some("hi".into()), Some("e1".into()), 0).unwrap(),
            Method::Post,
            format!("{c}/conversations/7/messages"),
            false,
        ),
        (
            messages::update(IN, SID, 7.0, 901.0, Default::default()).unwrap(),
            Method::Patch,
            format!("{c}/conversations/7/messages/901"),
            true,
        ),
        (
            csat::get("uuid-1").unwrap(),
            Method::Get,
            "/public/api/v1/csat_survey/uuid-1".into(),
            true,
        ),
        (
            csat::submit("uuid-1", 4.0, None).unwrap(),
            Method::Put,
            "/public/api/v1/csat_survey/uuid-1".into(),
            true,
        ),
    ];
    assert_eq!(cases.len(), 15);
    for (req, method, path, idempotent) in cases {
        assert_eq!(
            (req.method, req.path.as_str(), req.idempotent),
            (method, path.as_str(), idempotent),
            "{path}"
        );
        assert_eq!(req.contacts_route, path.ends_with("/contacts") || path == c);
        assert_eq!(
            req.empty_answer,
            path.ends_with("toggle_typing") || path.ends_with("update_last_seen")
        );
    }
}

#[test]
fn message_bodies_json_or_multipart() {
    let r = messages::create(IN, SID, 7.0, Some("hi".into()), Some("e1".into()), 0).unwrap();
    assert_eq!(
        r.body,
        Body::Json(r#"{"content":"hi","echo_id":"e1"}"#.into())
    );
    let r = messages::create(IN, SID, 7.0, None, Some("e2".into()), 2).unwrap();
    assert_eq!(r.body, Body::Multipart(vec![("echo_id", "e2".into())]));
    let r = messages::list(IN, SID, 7.0, None).unwrap();
    assert!(r.path.ends_with("/messages"));
}

#[test]
fn csat_body_has_the_message_wrapper() {
    let r = csat::submit("u", 5.0, Some("great".into())).unwrap();
    let want = r#"{"message":{"submitted_values":{"csat_survey_response":{"rating":5,"feedback_message":"great"}}}}"#;
    assert_eq!(r.body, Body::Json(want.into()));
}

#[test]
fn contact_fields_and_identity_query() {
    let input = ContactInput {
        source_id: Some("mine".into()),
        identifier: Some("u-1".into()),
        identifier_hash: Some("ab".into()),
        email: Some("a@b.c".into()),
        ..Default::default()
    };
    let r = contacts::create(IN, input.clone()).unwrap();
    let keys = json_keys(&r.body);
    assert_eq!(
        keys,
        vec!["source_id", "identifier", "identifier_hash", "email"]
    );
    let r = contacts::update(IN, SID, input).unwrap();
    assert!(
        json_keys(&r.body).iter().all(|k| k != "source_id"),
        "source_id is not updatable"
    );
    let r = contacts::get(
        IN,
        SID,
        Identity {
            identifier: Some("u 1".into()),
            identifier_hash: Some("ab".into()),
        },
    )
    .unwrap();
    assert!(r
        .path
        .ends_with("/contacts/src-9?identifier=u%201&identifier_hash=ab"));
}

#[test]
fn bad_input_is_refused_before_any_request() {
    let bad = [
        inbox::get("").err(),
        contacts::get(IN, "..", Identity::default()).err(),
        contacts::get(
            IN,
            SID,
            Identity {
                identifier: None,
                identifier_hash: Some("h".into()),
            },
        )
        .err(),
        contacts::create(
            IN,
            ContactInput {
                phone_number: Some("030 123".into()),
                ..Default::default()
            },
        )
        .err(),
        conversations::get(IN, SID, 0.5).err(),
        conversations::set_typing(IN, SID, 1.0, "recording").err(),
        messages::create(IN, SID, 1.0, Some(String::new()), None, 0).err(),
        messages::create(IN, SID, 1.0, Some("x".repeat(150_001)), None, 0).err(),
        messages::create(IN, SID, 1.0, Some("x".into()), None, 20).err(),
        messages::list(IN, SID, 1.0, Some(-3.0)).err(),
        csat::submit("u", 6.0, None).err(),
        csat::get(".").err(),
    ];
    for (i, e) in bad.into_iter().enumerate() {
        assert_eq!(
            e.map(|e| e.code),
            Some(ErrorCode::InvalidArgument),
            "case {i}"
        );
    }
    assert!(messages::create(IN, SID, 1.0, Some("x".repeat(150_000)), None, 0).is_ok());
}

/// The edges of the argument checks (written from `make mutants`' survivors).
#[test]
fn argument_checks_at_their_edges() {
    use serde_json::json;
    let invalid = |r: Result<Request, chatwoot_inbox_sdk::Error>| {
        r.err().map(|e| e.code) == Some(ErrorCode::InvalidArgument)
    };
    // Account ids: numbers below 9e15 or digit strings, positive.
    assert_eq!(
        account::id("contactId", &json!(8.999_999_999_999_998e15)).ok(),
        Some(8_999_999_999_999_998)
    );
    assert!(account::id("contactId", &json!(9.0e15)).is_err());
    assert!(account::id("contactId", &json!(-9.0e15)).is_err());
    assert_eq!(account::id("contactId", &json!("12")).ok(), Some(12));
    // Phone numbers: E.164, 2 to 15 digits, not starting with 0.
    let phone = |p: &str| {
        contacts::create(
            IN,
            ContactInput {
                phone_number: Some(p.into()),
                ..Default::default()
            },
        )
    };
    assert!(phone("+12").is_ok());
    assert!(phone("+123456789012345").is_ok(), "15 digits");
    assert!(invalid(phone("+1234567890123456")), "16 digits");
    assert!(invalid(phone("+1")), "1 digit");
    assert!(invalid(phone("+0123")), "a leading 0");
    assert!(invalid(phone("+12a4")));
    // At most 15 attachments.
    assert!(messages::create(IN, SID, 1.0, None, None, 15).is_ok());
    assert!(invalid(messages::create(IN, SID, 1.0, None, None, 16)));
    // Path segments: at most 1024 bytes.
    assert!(inbox::get(&"a".repeat(1024)).is_ok());
    assert!(invalid(inbox::get(&"a".repeat(1025))));
    // submittedValues: objects in an array, or a CSAT response, kept as given.
    let items = json!([{"title": "Yes", "value": "yes"}]);
    assert_eq!(messages::submitted_values(&items).unwrap(), items);
    assert!(messages::submitted_values(&json!([1])).is_err());
    assert!(messages::submitted_values(&json!({"x": 1})).is_err());
}

/// `{ identifier?, identifierHash? }` as given, and what reaches the query.
#[test]
fn identity_reads_both_fields() {
    use chatwoot_inbox_sdk::api::input::Input;
    let v = serde_json::json!({"identifier": "u-1", "identifierHash": "ab"});
    let id = Identity::read(Input::new(&v, "user").unwrap()).unwrap();
    assert_eq!(id.identifier.as_deref(), Some("u-1"));
    assert_eq!(id.identifier_hash.as_deref(), Some("ab"));
    let bad = serde_json::json!({"identifier": 5});
    assert!(Identity::read(Input::new(&bad, "user").unwrap()).is_err());
}
