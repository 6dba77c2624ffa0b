//! The public client API, route by route: success shapes, error bodies and side
//! effects, against an in-process server.

mod common;

use common::*;
use serde_json::{json, Value};

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn is_iso_ms(v: &Value) -> bool {
    // 2026-05-01T10:00:00.123Z
    v.as_str().is_some_and(|s| {
        s.len() == 24 && s.as_bytes()[10] == b'T' && s.as_bytes()[19] == b'.' && s.ends_with('Z')
    })
}

const NOT_FOUND: &str = r#"{"status":404,"error":"Not Found"}"#;
const INTERNAL: &str = r#"{"status":500,"error":"Internal Server Error"}"#;

#[tokio::test]
async fn inbox_shape_and_unknown_inbox() {
    let s = server().await;
    let r = get(s.addr(), BASE).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let v = r.json();
    assert_eq!(
        keys(&v),
        [
            "identifier",
            "identity_validation_enabled",
            "name",
            "timezone",
            "working_hours",
            "working_hours_enabled",
            "csat_survey_enabled",
            "greeting_enabled"
        ]
    );
    assert_eq!(v["identifier"], "demo-inbox");
    assert_eq!(v["name"], "Demo support");
    assert_eq!(v["identity_validation_enabled"], false);
    let hours = v["working_hours"].as_array().expect("array");
    assert_eq!(hours.len(), 7);
    assert_eq!(hours[0]["day_of_week"], 0);
    assert_eq!(hours[0]["closed_all_day"], true);
    assert_eq!(hours[0]["open_hour"], Value::Null);
    assert_eq!(hours[1]["open_hour"], 9);
    assert_eq!(hours[1]["close_hour"], 17);
    assert_eq!(
        keys(&hours[1]),
        [
            "day_of_week",
            "closed_all_day",
            "open_hour",
            "open_minutes",
            "close_hour",
            "close_minutes",
            "open_all_day"
        ]
    );

    let r = get(s.addr(), "/public/api/v1/inboxes/nope").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.text(), NOT_FOUND);
}

#[tokio::test]
async fn startup_inbox_options_survive_a_reset() {
    let s = devserver::start(devserver::Options {
        csat_survey: true,
        working_hours: true,
        timezone: Some("Europe/Berlin".into()),
        ..devserver::Options::default()
    })
    .await
    .expect("server starts");
    for _ in 0..2 {
        let v = get(s.addr(), BASE).await.json();
        assert_eq!(v["csat_survey_enabled"], true);
        assert_eq!(v["working_hours_enabled"], true);
        assert_eq!(v["timezone"], "Europe/Berlin");
        let r = post(s.addr(), "/__devserver/reset", &json!({})).await;
        assert_eq!(r.status, 200);
    }
}

#[tokio::test]
async fn contact_create_and_resume() {
    let s = server().await;
    let v = new_session(s.addr(), &json!({})).await;
    assert_eq!(
        keys(&v),
        [
            "source_id",
            "pubsub_token",
            "id",
            "name",
            "email",
            "phone_number"
        ]
    );
    let source = v["source_id"].as_str().expect("string");
    assert_eq!(source.len(), 36, "a UUID");
    assert_eq!(v["pubsub_token"].as_str().map(str::len), Some(24));
    assert!(v["id"].is_u64());
    let name = v["name"].as_str().expect("haiku name");
    let parts: Vec<&str> = name.split('-').collect();
    assert_eq!(parts.len(), 3, "{name}");
    assert!(parts[2].parse::<u32>().is_ok_and(|n| n < 1000), "{name}");
    assert_eq!(v["email"], Value::Null);
    assert_eq!(v["phone_number"], Value::Null);

    // A client-chosen source_id that exists comes back unchanged, attributes ignored.
    let mine = new_session(s.addr(), &json!({"source_id": "my-id", "name": "Ann"})).await;
    assert_eq!(mine["source_id"], "my-id");
    assert_eq!(mine["name"], "Ann");
    let again = new_session(
        s.addr(),
        &json!({"source_id": "my-id", "name": "Other", "email": "x@y.z"}),
    )
    .await;
    assert_eq!(again, mine);

    let r = post(s.addr(), "/public/api/v1/inboxes/nope/contacts", &json!({})).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.text(), NOT_FOUND);
}

#[tokio::test]
async fn contact_reuse_by_identifier_email_phone() {
    let s = server().await;
    let a = new_session(
        s.addr(),
        &json!({"identifier": "user-1", "email": "Ann@Example.COM", "phone_number": "+4915112345678"}),
    )
    .await;
    assert_eq!(a["email"], "ann@example.com", "email is lower-cased");
    let by_identifier = new_session(s.addr(), &json!({"identifier": "user-1"})).await;
    let by_email = new_session(s.addr(), &json!({"email": "ANN@example.com"})).await;
    let by_phone = new_session(s.addr(), &json!({"phone_number": "+4915112345678"})).await;
    for other in [&by_identifier, &by_email, &by_phone] {
        assert_eq!(other["id"], a["id"]);
        assert_ne!(other["source_id"], a["source_id"], "a new session");
    }
    let stranger = new_session(s.addr(), &json!({"email": "bob@example.com"})).await;
    assert_ne!(stranger["id"], a["id"]);
}

#[tokio::test]
async fn contact_validation_errors() {
    let s = server().await;
    let path = format!("{BASE}/contacts");
    let r = post(s.addr(), &path, &json!({"email": "not-an-email"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.text(),
        r#"{"message":"Email Invalid email","attributes":["email"]}"#
    );
    let r = post(s.addr(), &path, &json!({"phone_number": "015112345678"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.text(),
        r#"{"message":"Phone number should be in e164 format","attributes":["phone_number"]}"#
    );
    let r = post(
        s.addr(),
        &path,
        &json!({"email": "a b", "phone_number": "12"}),
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json(),
        json!({"message": "Email Invalid email, Phone number should be in e164 format",
               "attributes": ["email", "phone_number"]})
    );

    // Update validates too.
    let v = new_session(s.addr(), &json!({})).await;
    let source = v["source_id"].as_str().expect("source");
    let r = patch(s.addr(), &contact_path(source), &json!({"email": "bad"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["attributes"], json!(["email"]));
}

#[tokio::test]
async fn contact_show_and_update() {
    let s = server().await;
    let v = new_session(
        s.addr(),
        &json!({"name": "Ann", "identifier": "ann-1", "custom_attributes": {"plan": {"tier": "pro", "seats": 3}}}),
    )
    .await;
    let source = v["source_id"].as_str().expect("source").to_owned();

    let shown = get(s.addr(), &contact_path(&source)).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json(), v);

    let r = get(s.addr(), &contact_path("does-not-exist")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.text(), NOT_FOUND);

    let r = patch(
        s.addr(),
        &contact_path(&source),
        &json!({"name": "", "email": "ANN@x.io", "identifier": "changed",
                "custom_attributes": {"plan": {"seats": 5}, "vip": true}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let rec = r.json();
    assert_eq!(
        keys(&rec),
        [
            "id",
            "name",
            "email",
            "phone_number",
            "account_id",
            "created_at",
            "updated_at",
            "additional_attributes",
            "identifier",
            "custom_attributes",
            "last_activity_at",
            "contact_type",
            "middle_name",
            "last_name",
            "location",
            "country_code",
            "blocked",
            "company_id",
            "label_list"
        ]
    );
    assert_eq!(rec["name"], "Ann", "blank values are ignored");
    assert_eq!(rec["email"], "ann@x.io");
    assert_eq!(rec["identifier"], "ann-1", "identifier cannot be changed");
    assert_eq!(
        rec["custom_attributes"],
        json!({"plan": {"tier": "pro", "seats": 5}, "vip": true}),
        "deep merge"
    );
    assert_eq!(rec["account_id"], 1);
    assert_eq!(rec["contact_type"], "lead");
    assert!(is_iso_ms(&rec["created_at"]), "{}", rec["created_at"]);
    assert!(is_iso_ms(&rec["updated_at"]));
    assert_eq!(rec["last_activity_at"], Value::Null);
    assert_eq!(rec["blocked"], false);

    // PUT is the same action.
    let r = common::call(
        s.addr(),
        "PUT",
        &contact_path(&source),
        Some(&json!({"phone_number": "+12025550123"})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["phone_number"], "+12025550123");

    let r = patch(s.addr(), &contact_path("nope"), &json!({"name": "x"})).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn contact_update_session_shape() {
    let s = server().await;
    let inbox = control_inbox(s.addr(), &json!({"contactUpdateShape": "session"})).await;
    let ident = inbox["identifier"].as_str().expect("identifier");
    let r = post(
        s.addr(),
        &format!("/public/api/v1/inboxes/{ident}/contacts"),
        &json!({}),
    )
    .await;
    let v = r.json();
    let source = v["source_id"].as_str().expect("source");
    let r = patch(
        s.addr(),
        &format!("/public/api/v1/inboxes/{ident}/contacts/{source}"),
        &json!({"name": "Zed"}),
    )
    .await;
    assert_eq!(r.status, 200);
    let u = r.json();
    assert_eq!(
        keys(&u),
        [
            "source_id",
            "pubsub_token",
            "id",
            "name",
            "email",
            "phone_number"
        ]
    );
    assert_eq!(u["name"], "Zed");
    assert_eq!(u["pubsub_token"], v["pubsub_token"]);
}

#[tokio::test]
async fn contact_update_merges_into_owner_of_email() {
    let s = server().await;
    let owner = new_session(
        s.addr(),
        &json!({"email": "owner@example.com", "name": "Owner"}),
    )
    .await;
    let (source, display_id) = session_with_conversation(s.addr()).await;
    let before = get(s.addr(), &contact_path(&source)).await.json();
    assert_ne!(before["id"], owner["id"]);

    let r = patch(
        s.addr(),
        &contact_path(&source),
        &json!({"email": "OWNER@example.com"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let merged = r.json();
    assert_eq!(merged["id"], owner["id"], "the contact id changes");
    assert_eq!(
        merged["name"], "Owner",
        "the surviving contact's values win"
    );

    // The session still works and points at the surviving contact.
    let after = get(s.addr(), &contact_path(&source)).await.json();
    assert_eq!(after["id"], owner["id"]);
    assert_eq!(after["pubsub_token"], before["pubsub_token"]);
    let conv = get(s.addr(), &conversation_path(&source, display_id)).await;
    assert_eq!(conv.status, 200);
    assert_eq!(conv.json()["contact"]["id"], owner["id"]);
}

#[tokio::test]
async fn hmac_identity_validation() {
    let s = server().await;
    let inbox = control_inbox(
        s.addr(),
        &json!({"identityValidation": true, "hmacToken": "s3cret"}),
    )
    .await;
    assert_eq!(inbox["hmacToken"], "s3cret");
    let ident = inbox["identifier"].as_str().expect("identifier").to_owned();
    let base = format!("/public/api/v1/inboxes/{ident}");
    let shown = get(s.addr(), &base).await.json();
    assert_eq!(shown["identity_validation_enabled"], true);

    // Mandatory: no hash is a 500, as is a wrong or upper-case hash.
    let r = post(
        s.addr(),
        &format!("{base}/contacts"),
        &json!({"identifier": "u1"}),
    )
    .await;
    assert_eq!(r.status, 500);
    assert_eq!(r.text(), INTERNAL);
    let good = hmac_hex("s3cret", "u1");
    for bad in ["deadbeef".to_owned(), good.to_uppercase()] {
        let r = post(
            s.addr(),
            &format!("{base}/contacts"),
            &json!({"identifier": "u1", "identifier_hash": bad}),
        )
        .await;
        assert_eq!(r.status, 500);
    }

    let v = post(
        s.addr(),
        &format!("{base}/contacts"),
        &json!({"identifier": "u1", "identifier_hash": good}),
    )
    .await;
    assert_eq!(v.status, 200);
    let source = v.json()["source_id"].as_str().expect("source").to_owned();
    let cpath = format!("{base}/contacts/{source}");

    // Show needs the hash too; a bad one is a 500.
    assert_eq!(get(s.addr(), &cpath).await.status, 500);
    assert_eq!(
        get(
            s.addr(),
            &format!("{cpath}?identifier=u1&identifier_hash=00")
        )
        .await
        .status,
        500
    );
    let r = get(
        s.addr(),
        &format!("{cpath}?identifier=u1&identifier_hash={good}"),
    )
    .await;
    assert_eq!(r.status, 200);
    // Update checks it from the body.
    let r = patch(s.addr(), &cpath, &json!({"name": "U"})).await;
    assert_eq!(r.status, 500);
    let r = patch(
        s.addr(),
        &cpath,
        &json!({"name": "U", "identifier": "u1", "identifier_hash": good}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["name"], "U");

    // A non-mandatory inbox checks a hash only when one is sent.
    let r = post(
        s.addr(),
        &format!("{BASE}/contacts"),
        &json!({"identifier": "u9", "identifier_hash": "wrong"}),
    )
    .await;
    assert_eq!(r.status, 500);
    let r = post(
        s.addr(),
        &format!("{BASE}/contacts"),
        &json!({"identifier": "u9"}),
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn verified_sessions_see_other_inboxes() {
    let s = server().await;
    let other = control_inbox(s.addr(), &json!({"identifier": "other-inbox"})).await;
    let other_id = other["inboxId"].as_u64().expect("inbox id");
    let obase = "/public/api/v1/inboxes/other-inbox";
    // The same person (identifier) in both inboxes.
    let ob = post(
        s.addr(),
        &format!("{obase}/contacts"),
        &json!({"identifier": "pat"}),
    )
    .await;
    let osource = ob.json()["source_id"].as_str().expect("source").to_owned();
    let oc = post(
        s.addr(),
        &format!("{obase}/contacts/{osource}/conversations"),
        &json!({}),
    )
    .await
    .json();
    let odisplay = oc["id"].as_i64().expect("display id");
    assert_eq!(oc["inbox_id"], other_id);

    let mine = new_session(s.addr(), &json!({"identifier": "pat"})).await;
    let source = mine["source_id"].as_str().expect("source").to_owned();
    assert_eq!(mine["id"], ob.json()["id"], "same contact");

    // Unverified: only this session's conversations.
    let list = get(
        s.addr(),
        &format!("{}/conversations", contact_path(&source)),
    )
    .await
    .json();
    assert_eq!(list, json!([]));
    assert_eq!(
        get(s.addr(), &conversation_path(&source, odisplay))
            .await
            .status,
        404
    );
    assert_eq!(
        get(
            s.addr(),
            &format!("{}/messages", conversation_path(&source, odisplay))
        )
        .await
        .status,
        404
    );

    // Verify with the demo inbox's secret.
    let hash = hmac_hex("demo-secret", "pat");
    let r = get(
        s.addr(),
        &format!(
            "{}?identifier=pat&identifier_hash={hash}",
            contact_path(&source)
        ),
    )
    .await;
    assert_eq!(r.status, 200);
    let list = get(
        s.addr(),
        &format!("{}/conversations", contact_path(&source)),
    )
    .await
    .json();
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["inbox_id"], other_id);
    assert_eq!(
        get(s.addr(), &conversation_path(&source, odisplay))
            .await
            .status,
        200
    );
    let r = post(
        s.addr(),
        &format!("{}/messages", conversation_path(&source, odisplay)),
        &json!({"content": "from the other device"}),
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn conversation_shapes_and_lifecycle() {
    let s = server().await;
    let (source, display_id) = session_with_conversation(s.addr()).await;
    let r = get(s.addr(), &conversation_path(&source, display_id)).await;
    assert_eq!(r.status, 200);
    let c = r.json();
    assert_eq!(
        keys(&c),
        [
            "id",
            "uuid",
            "inbox_id",
            "contact_last_seen_at",
            "status",
            "agent_last_seen_at",
            "messages",
            "contact"
        ]
    );
    assert_eq!(c["id"], display_id);
    assert_eq!(c["uuid"].as_str().map(str::len), Some(36));
    assert_eq!(c["inbox_id"], 1);
    assert_eq!(c["contact_last_seen_at"], 0);
    assert_eq!(c["agent_last_seen_at"], 0);
    assert_eq!(c["status"], "open");
    assert_eq!(c["messages"], json!([]));
    assert!(is_iso_ms(&c["contact"]["created_at"]));

    // Display ids are sequential per account.
    let c2 = post(
        s.addr(),
        &format!("{}/conversations", contact_path(&source)),
        &json!({"custom_attributes": {"order": 7}, "additional_attributes": {"x": 1}}),
    )
    .await
    .json();
    assert_eq!(c2["id"], display_id + 1);
    let list = get(
        s.addr(),
        &format!("{}/conversations", contact_path(&source)),
    )
    .await
    .json();
    assert_eq!(list.as_array().map(Vec::len), Some(2));

    assert_eq!(
        get(s.addr(), &conversation_path(&source, 999)).await.text(),
        NOT_FOUND
    );

    // toggle_status only resolves, and is a no-op when resolved.
    let path = format!("{}/toggle_status", conversation_path(&source, display_id));
    let r = post(s.addr(), &path, &json!({})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "resolved");
    assert_eq!(
        r.json()["messages"],
        json!([]),
        "activity messages stay hidden"
    );
    let r = common::call(s.addr(), "POST", &path, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "resolved");

    // A contact message reopens it.
    let r = post(
        s.addr(),
        &format!("{}/messages", conversation_path(&source, display_id)),
        &json!({"content": "back again"}),
    )
    .await;
    assert_eq!(r.status, 200);
    let c = get(s.addr(), &conversation_path(&source, display_id))
        .await
        .json();
    assert_eq!(c["status"], "open");
    assert_eq!(c["messages"].as_array().map(Vec::len), Some(1));

    // Snoozed (by an agent) also opens on a contact message.
    let r = patch(
        s.addr(),
        &format!("/__devserver/conversations/{display_id}"),
        &json!({"status": "snoozed"}),
    )
    .await;
    assert_eq!(r.json()["status"], "snoozed");
    post(
        s.addr(),
        &format!("{}/messages", conversation_path(&source, display_id)),
        &json!({"content": "hello?"}),
    )
    .await;
    let c = get(s.addr(), &conversation_path(&source, display_id))
        .await
        .json();
    assert_eq!(c["status"], "open");
}

#[tokio::test]
async fn agent_bot_inbox_starts_and_reopens_pending() {
    let s = server().await;
    let inbox = control_inbox(s.addr(), &json!({"agentBot": true})).await;
    let ident = inbox["identifier"].as_str().expect("identifier");
    let base = format!("/public/api/v1/inboxes/{ident}");
    let v = post(s.addr(), &format!("{base}/contacts"), &json!({}))
        .await
        .json();
    let cpath = format!(
        "{base}/contacts/{}",
        v["source_id"].as_str().expect("source")
    );
    let c = post(s.addr(), &format!("{cpath}/conversations"), &json!({}))
        .await
        .json();
    assert_eq!(c["status"], "pending");
    let conv = format!("{cpath}/conversations/{}", c["id"]);
    post(s.addr(), &format!("{conv}/toggle_status"), &json!({})).await;
    post(
        s.addr(),
        &format!("{conv}/messages"),
        &json!({"content": "hi"}),
    )
    .await;
    assert_eq!(get(s.addr(), &conv).await.json()["status"], "pending");
}

#[tokio::test]
async fn lock_to_single_conversation_returns_the_last_one() {
    let s = server().await;
    let inbox = control_inbox(s.addr(), &json!({"lockToSingleConversation": true})).await;
    let ident = inbox["identifier"].as_str().expect("identifier");
    let base = format!("/public/api/v1/inboxes/{ident}");
    let v = post(s.addr(), &format!("{base}/contacts"), &json!({}))
        .await
        .json();
    let cpath = format!(
        "{base}/contacts/{}",
        v["source_id"].as_str().expect("source")
    );
    let first = post(s.addr(), &format!("{cpath}/conversations"), &json!({}))
        .await
        .json();
    let again = post(s.addr(), &format!("{cpath}/conversations"), &json!({}))
        .await
        .json();
    assert_eq!(first["id"], again["id"]);
    post(
        s.addr(),
        &format!("{cpath}/conversations/{}/toggle_status", first["id"]),
        &json!({}),
    )
    .await;
    let third = post(s.addr(), &format!("{cpath}/conversations"), &json!({}))
        .await
        .json();
    assert_eq!(third["id"], first["id"]);
    assert_eq!(third["status"], "resolved", "whatever its status");
}

#[tokio::test]
async fn typing_and_last_seen_answer_empty() {
    let s = server().await;
    let (source, id) = session_with_conversation(s.addr()).await;
    let conv = conversation_path(&source, id);

    let r = post(
        s.addr(),
        &format!("{conv}/toggle_typing"),
        &json!({"typing_status": "on"}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let listed = get(s.addr(), "/__devserver/inboxes/demo-inbox/conversations")
        .await
        .json();
    assert_eq!(listed[0]["contactTyping"], true);
    assert_eq!(listed[0]["sourceId"], source.as_str());
    let r = common::call(
        s.addr(),
        "POST",
        &format!("{conv}/toggle_typing?typing_status=off"),
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    let listed = get(s.addr(), "/__devserver/inboxes/demo-inbox/conversations")
        .await
        .json();
    assert_eq!(listed[0]["contactTyping"], false);
    let r = post(
        s.addr(),
        &format!("{conv}/toggle_typing"),
        &json!({"typing_status": "recording"}),
    )
    .await;
    assert_eq!(r.status, 200, "other values are ignored");

    // update_last_seen: stamps the time and marks agent messages read.
    let incoming = post(
        s.addr(),
        &format!("{conv}/messages"),
        &json!({"content": "q"}),
    )
    .await
    .json();
    let agent = post(
        s.addr(),
        &format!("/__devserver/conversations/{id}/messages"),
        &json!({"content": "a"}),
    )
    .await
    .json();
    let before = get(
        s.addr(),
        &format!("/__devserver/conversations/{id}/messages"),
    )
    .await
    .json();
    let status_of = |list: &Value, mid: &Value| {
        list.as_array()
            .and_then(|l| l.iter().find(|m| &m["id"] == mid))
            .map(|m| m["status"].clone())
    };
    assert_eq!(status_of(&before, &agent["id"]), Some(json!("sent")));
    let r = common::call(s.addr(), "POST", &format!("{conv}/update_last_seen"), None).await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    let after = get(
        s.addr(),
        &format!("/__devserver/conversations/{id}/messages"),
    )
    .await
    .json();
    assert_eq!(status_of(&after, &agent["id"]), Some(json!("read")));
    assert_eq!(status_of(&after, &incoming["id"]), Some(json!("sent")));
    let c = get(s.addr(), &conv).await.json();
    assert!(c["contact_last_seen_at"]
        .as_i64()
        .is_some_and(|t| t > 1_700_000_000));

    for tail in ["toggle_typing", "update_last_seen", "toggle_status"] {
        let r = post(
            s.addr(),
            &format!("{}/{tail}", conversation_path(&source, 4242)),
            &json!({}),
        )
        .await;
        assert_eq!(r.status, 404, "{tail}");
    }
}

#[tokio::test]
async fn message_create_shape() {
    let s = server().await;
    let (source, id) = session_with_conversation(s.addr()).await;
    let conv = conversation_path(&source, id);
    let r = post(
        s.addr(),
        &format!("{conv}/messages"),
        &json!({"content": "hi", "echo_id": "tmp-1", "message_type": 1, "private": true,
                "content_attributes": {"x": 1}}),
    )
    .await;
    assert_eq!(r.status, 200);
    let m = r.json();
    assert_eq!(
        keys(&m),
        [
            "id",
            "content",
            "message_type",
            "content_type",
            "content_attributes",
            "created_at",
            "conversation_id",
            "sender"
        ],
        "no attachments key when there are none, no echo_id"
    );
    assert_eq!(m["content"], "hi");
    assert_eq!(m["message_type"], 0);
    assert_eq!(m["content_type"], "text");
    assert_eq!(m["content_attributes"], json!({}));
    assert!(m["created_at"].is_i64());
    assert_eq!(m["conversation_id"], id);
    assert_eq!(m["sender"]["type"], "contact");
    assert_eq!(
        keys(&m["sender"]),
        [
            "additional_attributes",
            "custom_attributes",
            "email",
            "id",
            "identifier",
            "name",
            "phone_number",
            "thumbnail",
            "blocked",
            "type"
        ]
    );
    // The echo id is kept for the websocket.
    let all = get(
        s.addr(),
        &format!("/__devserver/conversations/{id}/messages"),
    )
    .await
    .json();
    assert_eq!(all[0]["echoId"], "tmp-1");
    assert_eq!(all[0]["private"], false);

    // No content at all is accepted.
    let r = post(s.addr(), &format!("{conv}/messages"), &json!({})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["content"], Value::Null);

    // Form-encoded bodies work too.
    let r = send(
        s.addr(),
        "POST",
        &format!("{conv}/messages"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"content=hello+form%21&echo_id=e2",
    )
    .await
    .expect("answer");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["content"], "hello form!");

    // Agent, bot and template senders.
    let r = post(
        s.addr(),
        &format!("/__devserver/conversations/{id}/messages"),
        &json!({"content": "agent here"}),
    )
    .await
    .json();
    assert_eq!(r["message_type"], 1);
    assert_eq!(
        r["sender"],
        json!({"id": 1, "name": "Ana Agent", "available_name": "Ana Agent", "avatar_url": "",
               "type": "user", "availability_status": "online", "thumbnail": ""})
    );
    let r = post(
        s.addr(),
        &format!("/__devserver/conversations/{id}/messages"),
        &json!({"content": "beep", "senderType": "agent_bot"}),
    )
    .await
    .json();
    assert_eq!(
        r["sender"],
        json!({"id": 1, "name": "Helper Bot", "avatar_url": "", "type": "agent_bot"})
    );
    let r = post(
        s.addr(),
        &format!("/__devserver/conversations/{id}/messages"),
        &json!({"content": "Pick one", "senderType": "none", "messageType": "template",
                "contentType": "input_select",
                "contentAttributes": {"items": [{"title": "A", "value": "a"}]}}),
    )
    .await
    .json();
    assert_eq!(r["message_type"], 3);
    assert!(r.get("sender").is_none(), "sender absent on template");
    // Private notes never reach the contact.
    post(
        s.addr(),
        &format!("/__devserver/conversations/{id}/messages"),
        &json!({"content": "note", "private": true}),
    )
    .await;
    let list = get(s.addr(), &format!("{conv}/messages")).await.json();
    assert!(list
        .as_array()
        .expect("array")
        .iter()
        .all(|m| m["content"] != "note"));
    let c = get(s.addr(), &conv).await.json();
    assert_eq!(c["messages"].as_array().map(Vec::len), Some(6));
}

#[tokio::test]
async fn message_paging_before_only() {
    let s = server().await;
    let (source, id) = session_with_conversation(s.addr()).await;
    let path = format!("{}/messages", conversation_path(&source, id));
    assert_eq!(get(s.addr(), &path).await.json(), json!([]));
    let mut ids = Vec::new();
    for i in 0..45 {
        let m = post(s.addr(), &path, &json!({"content": format!("m{i}")}))
            .await
            .json();
        ids.push(m["id"].as_i64().expect("id"));
    }
    let page_ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|m| m["id"].as_i64().expect("id"))
            .collect()
    };
    let latest = get(s.addr(), &path).await.json();
    assert_eq!(
        page_ids(&latest),
        ids[25..].to_vec(),
        "latest 20, ascending"
    );
    assert!(latest[0]["created_at"].is_i64());
    let older = get(s.addr(), &format!("{path}?before={}", ids[25]))
        .await
        .json();
    assert_eq!(page_ids(&older), ids[5..25].to_vec());
    let oldest = get(s.addr(), &format!("{path}?before={}", ids[5]))
        .await
        .json();
    assert_eq!(page_ids(&oldest), ids[..5].to_vec());
    let none = get(s.addr(), &format!("{path}?before={}", ids[0]))
        .await
        .json();
    assert_eq!(none, json!([]));
    // `after` is ignored.
    let ignored = get(s.addr(), &format!("{path}?after={}", ids[40]))
        .await
        .json();
    assert_eq!(page_ids(&ignored), ids[25..].to_vec());
    // The conversation embeds all of them.
    let c = get(s.addr(), &conversation_path(&source, id)).await.json();
    assert_eq!(c["messages"].as_array().map(Vec::len), Some(45));
}

#[tokio::test]
async fn message_limits() {
    let s = server().await;
    let (source, id) = session_with_conversation(s.addr()).await;
    let path = format!("{}/messages", conversation_path(&source, id));
    let r = post(s.addr(), &path, &json!({"content": "x".repeat(150_001)})).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.text(),
        r#"{"message":"Content is too long (maximum is 150000 characters)","attributes":["content"]}"#
    );
    // Characters, not bytes.
    let r = post(s.addr(), &path, &json!({"content": "é".repeat(150_000)})).await;
    assert_eq!(r.status, 200);
    for i in 1..200 {
        let r = post(s.addr(), &path, &json!({"content": format!("{i}")})).await;
        assert_eq!(r.status, 200, "message {i}");
    }
    let r = post(s.addr(), &path, &json!({"content": "one too many"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.text(),
        r#"{"message":"Too many messages","attributes":["base"]}"#
    );
}

/// One multipart part: field name, optional (filename, content type), bytes.
type Part<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a [u8]);

fn multipart(boundary: &str, parts: &[Part<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, file, data) in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some((filename, ct)) => out.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {ct}\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => out.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

#[tokio::test]
async fn multipart_attachments_and_blob_urls() {
    let s = server().await;
    let (source, id) = session_with_conversation(s.addr()).await;
    let path = format!("{}/messages", conversation_path(&source, id));
    let png: &[u8] = b"\x89PNG\r\n\x1a\nfake";
    let body = multipart(
        "XyZ",
        &[
            ("content", None, b"see attached"),
            ("echo_id", None, b"e-1"),
            ("attachments[]", Some(("shot.png", "image/png")), png),
            ("attachments[]", Some(("notes.txt", "text/plain")), b"hello"),
            ("attachments[]", Some(("voice.ogg", "audio/ogg")), b"OggS"),
        ],
    );
    let r = send(
        s.addr(),
        "POST",
        &path,
        &[("Content-Type", "multipart/form-data; boundary=XyZ")],
        &body,
    )
    .await
    .expect("answer");
    assert_eq!(r.status, 200, "{}", r.text());
    let m = r.json();
    assert_eq!(m["content"], "see attached");
    let atts = m["attachments"].as_array().expect("attachments");
    assert_eq!(atts.len(), 3);
    let img = &atts[0];
    assert_eq!(img["file_type"], "image");
    assert_eq!(img["message_id"], m["id"]);
    assert_eq!(img["account_id"], 1);
    assert_eq!(img["extension"], "png");
    assert_eq!(img["file_size"], png.len());
    assert_eq!(img["width"], Value::Null);
    assert_eq!(img["height"], Value::Null);
    let data_url = img["data_url"].as_str().expect("data_url");
    let prefix = format!("http://{}/rails/active_storage/blobs/redirect/", s.addr());
    assert!(data_url.starts_with(&prefix), "{data_url}");
    assert!(data_url.ends_with("/shot.png"));
    assert_eq!(img["thumb_url"], img["data_url"]);
    assert_eq!(atts[1]["file_type"], "file");
    assert_eq!(atts[1]["thumb_url"], "");
    assert_eq!(atts[2]["file_type"], "audio");
    assert_eq!(atts[2]["transcribed_text"], "");

    // data_url redirects to the bytes, served with their type, without CORS.
    let redirect_path = &data_url[format!("http://{}", s.addr()).len()..];
    let r = send(
        s.addr(),
        "GET",
        redirect_path,
        &[("Origin", "http://app.test")],
        b"",
    )
    .await
    .expect("answer");
    assert_eq!(r.status, 302);
    assert!(r.header("access-control-allow-origin").is_none());
    let location = r.header("location").expect("location").to_owned();
    assert!(location.contains("/rails/active_storage/blobs/proxy/"));
    let proxy_path = &location[format!("http://{}", s.addr()).len()..];
    let r = get(s.addr(), proxy_path).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.body, png);
    let r = get(s.addr(), "/rails/active_storage/blobs/redirect/999/x.png").await;
    assert_eq!(r.status, 404);

    // A scalar `attachments` part breaks upstream's `.each`: 500.
    let body = multipart("B", &[("attachments", Some(("a.png", "image/png")), png)]);
    let r = send(
        s.addr(),
        "POST",
        &path,
        &[("Content-Type", "multipart/form-data; boundary=B")],
        &body,
    )
    .await
    .expect("answer");
    assert_eq!(r.status, 500);
}

#[tokio::test]
async fn message_update_submitted_values() {
    let s = server().await;
    let (source, id) = session_with_conversation(s.addr()).await;
    let conv = conversation_path(&source, id);
    let q = post(
        s.addr(),
        &format!("/__devserver/conversations/{id}/messages"),
        &json!({"content": "Pick", "contentType": "input_select",
                "contentAttributes": {"items": [{"title": "Yes", "value": "yes"}]}}),
    )
    .await
    .json();
    let r = patch(
        s.addr(),
        &format!("{conv}/messages/{}", q["id"]),
        &json!({"submitted_values": [{"title": "Yes", "value": "yes", "extra": "dropped"}]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let m = r.json();
    assert_eq!(
        m["content_attributes"]["submitted_values"],
        json!([{"title": "Yes", "value": "yes"}])
    );
    assert_eq!(m["content_attributes"]["items"][0]["value"], "yes");
    let r = common::call(
        s.addr(),
        "PUT",
        &format!("{conv}/messages/{}", q["id"]),
        Some(&json!({"submitted_values": [{"value": "no"}]})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["content_attributes"]["submitted_values"],
        json!([{"value": "no"}])
    );
    let r = patch(
        s.addr(),
        &format!("{conv}/messages/987654"),
        &json!({"submitted_values": []}),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.text(), NOT_FOUND);
}

#[tokio::test]
async fn csat_flow() {
    let s = server().await;
    let inbox = control_inbox(
        s.addr(),
        &json!({"csatSurveyEnabled": true, "name": "Support"}),
    )
    .await;
    let ident = inbox["identifier"].as_str().expect("identifier");
    let base = format!("/public/api/v1/inboxes/{ident}");
    let v = post(s.addr(), &format!("{base}/contacts"), &json!({}))
        .await
        .json();
    let cpath = format!(
        "{base}/contacts/{}",
        v["source_id"].as_str().expect("source")
    );
    let c = post(s.addr(), &format!("{cpath}/conversations"), &json!({}))
        .await
        .json();
    let conv = format!("{cpath}/conversations/{}", c["id"]);
    let uuid = c["uuid"].as_str().expect("uuid").to_owned();
    let survey = format!("/public/api/v1/csat_survey/{uuid}");

    // No input_csat message yet, or an unknown uuid: 404.
    assert_eq!(get(s.addr(), &survey).await.text(), NOT_FOUND);
    assert_eq!(
        get(s.addr(), "/public/api/v1/csat_survey/nope")
            .await
            .status,
        404
    );

    let r = post(s.addr(), &format!("{conv}/toggle_status"), &json!({})).await;
    let resolved = r.json();
    let msgs = resolved["messages"].as_array().expect("messages");
    assert_eq!(msgs.len(), 1, "{resolved}");
    let csat = &msgs[0];
    assert_eq!(csat["message_type"], 3);
    assert_eq!(csat["content_type"], "input_csat");
    assert_eq!(csat["content_attributes"], json!({"display_type": "emoji"}));
    assert!(csat.get("sender").is_none());

    let r = get(s.addr(), &survey).await;
    assert_eq!(r.status, 200);
    let sv = r.json();
    assert_eq!(
        keys(&sv),
        [
            "id",
            "csat_survey_response",
            "display_type",
            "content",
            "inbox_avatar_url",
            "inbox_name",
            "locale",
            "conversation_id",
            "created_at"
        ]
    );
    assert_eq!(sv["id"], csat["id"]);
    assert_eq!(sv["csat_survey_response"], Value::Null);
    assert_eq!(sv["display_type"], "emoji");
    assert_eq!(sv["content"], Value::Null);
    assert_eq!(sv["inbox_name"], "Support");
    assert_eq!(sv["locale"], "en");
    assert!(is_iso_ms(&sv["created_at"]));
    assert_ne!(
        sv["conversation_id"], c["id"],
        "internal id, not display id"
    );

    // Without the `message` wrapper: 500.
    let r = common::call(
        s.addr(),
        "PUT",
        &survey,
        Some(&json!({"submitted_values": {"csat_survey_response": {"rating": 4}}})),
    )
    .await;
    assert_eq!(r.status, 500);
    let r = common::call(
        s.addr(),
        "PUT",
        &survey,
        Some(
            &json!({"message": {"submitted_values": {"csat_survey_response":
            {"rating": 4, "feedback_message": "nice"}}}}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let resp = &r.json()["csat_survey_response"];
    assert_eq!(resp["rating"], 4);
    assert_eq!(resp["feedback_message"], "nice");
    assert_eq!(resp["message_id"], csat["id"]);
    assert_eq!(resp["conversation_id"], sv["conversation_id"]);
    assert_eq!(resp["contact_id"], v["id"]);

    // 3.13 on the same message updates the response; an invalid rating is ignored.
    let r = patch(
        s.addr(),
        &format!("{conv}/messages/{}", csat["id"]),
        &json!({"submitted_values": {"csat_survey_response": {"rating": 2}}}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["content_attributes"]["submitted_values"],
        json!({"csat_survey_response": {"rating": 2}})
    );
    let r = common::call(
        s.addr(),
        "PATCH",
        &survey,
        Some(&json!({"message": {"submitted_values": {"csat_survey_response": {"rating": 9}}}})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["csat_survey_response"]["rating"], 2);

    // Reopen and resolve again: still one survey.
    post(
        s.addr(),
        &format!("{conv}/messages"),
        &json!({"content": "one more thing"}),
    )
    .await;
    let again = post(s.addr(), &format!("{conv}/toggle_status"), &json!({}))
        .await
        .json();
    let count = again["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["content_type"] == "input_csat")
        .count();
    assert_eq!(count, 1);

    // Older than 14 days: locked on both endpoints.
    let old = chrono_free_days_ago(15);
    let r = patch(
        s.addr(),
        &format!("/__devserver/messages/{}", csat["id"]),
        &json!({"createdAt": old}),
    )
    .await;
    assert_eq!(r.status, 200);
    let locked = r#"{"error":"You cannot update the CSAT survey after 14 days"}"#;
    let r = common::call(
        s.addr(),
        "PUT",
        &survey,
        Some(&json!({"message": {"submitted_values": {"csat_survey_response": {"rating": 5}}}})),
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.text(), locked);
    let r = patch(
        s.addr(),
        &format!("{conv}/messages/{}", csat["id"]),
        &json!({"submitted_values": {"csat_survey_response": {"rating": 5}}}),
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.text(), locked);
}

fn chrono_free_days_ago(days: i64) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    now - days * 86_400
}

#[tokio::test]
async fn control_messages_update_and_delete() {
    let s = server().await;
    let (source, id) = session_with_conversation(s.addr()).await;
    let m = post(
        s.addr(),
        &format!("/__devserver/conversations/{id}/messages"),
        &json!({"content": "oops"}),
    )
    .await
    .json();
    let r = patch(
        s.addr(),
        &format!("/__devserver/messages/{}", m["id"]),
        &json!({"deleted": true, "status": "delivered"}),
    )
    .await;
    assert_eq!(r.status, 200);
    let d = r.json();
    assert_eq!(d["content"], "This message was deleted");
    assert_eq!(d["content_attributes"], json!({"deleted": true}));
    let list = get(
        s.addr(),
        &format!("{}/messages", conversation_path(&source, id)),
    )
    .await
    .json();
    assert_eq!(list[0]["content_attributes"]["deleted"], true);
    assert_eq!(
        patch(s.addr(), "/__devserver/messages/99999", &json!({}))
            .await
            .status,
        404
    );
    assert_eq!(
        patch(
            s.addr(),
            "/__devserver/conversations/99999",
            &json!({"status": "open"})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        patch(
            s.addr(),
            &format!("/__devserver/conversations/{id}"),
            &json!({"status": "closed"})
        )
        .await
        .status,
        400
    );
}
