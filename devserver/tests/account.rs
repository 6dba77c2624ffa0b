//! The application API's three routes (contact conversations, conversation details,
//! create conversation): token and account checks with Chatwoot's bodies, the
//! partial's shape, both list shapes, and one state shared with the public API.

mod common;

use common::*;
use serde_json::{json, Value};

const TOKEN: &str = devserver::DEFAULT_AGENT_TOKEN;

async fn agent(addr: std::net::SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Resp {
    agent_with(addr, method, path, body, TOKEN).await
}

async fn agent_with(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
    token: &str,
) -> Resp {
    let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
    let mut headers = vec![("Content-Type", "application/json")];
    if !token.is_empty() {
        headers.push(("api_access_token", token));
    }
    send(addr, method, path, &headers, &bytes)
        .await
        .expect("an answer")
}

#[tokio::test]
async fn token_then_account_then_record_are_checked() {
    let s = server().await;
    let a = s.addr();
    for token in ["", "wrong"] {
        let r = agent_with(a, "GET", "/api/v1/accounts/1/conversations/1", None, token).await;
        assert_eq!(r.status, 401, "token {token:?}");
        assert_eq!(r.json(), json!({"error": "Invalid Access Token"}));
    }
    let r = agent(a, "GET", "/api/v1/accounts/2/conversations/1", None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"error": "Resource could not be found"}));
    let r = agent(a, "GET", "/api/v1/accounts/1/conversations/999", None).await;
    assert_eq!(r.status, 404);
    let r = agent(
        a,
        "GET",
        "/api/v1/accounts/1/contacts/999/conversations",
        None,
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.header("access-control-allow-origin"),
        None,
        "not CORS-enabled"
    );
}

#[tokio::test]
async fn created_here_visible_there_and_back() {
    let s = server().await;
    let a = s.addr();
    let session = new_session(a, &json!({"name": "Ana"})).await;
    let source = session["source_id"].as_str().unwrap().to_owned();
    let contact_id = session["id"].as_i64().unwrap();
    let inbox_id = control_inbox(a, &json!({})).await["inboxId"]
        .as_i64()
        .unwrap();
    // A conversation in a second inbox, through the application API with ids as strings.
    let r = agent(
        a,
        "POST",
        "/api/v1/accounts/1/conversations",
        Some(
            &json!({"inbox_id": inbox_id.to_string(), "contact_id": contact_id.to_string(),
            "status": "pending", "assignee_id": "1", "custom_attributes": {"order": "A-1"},
            "additional_attributes": {"browser": "x"}}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let created = r.json();
    assert_eq!(created["status"], "pending");
    assert_eq!(created["meta"]["sender"]["id"], contact_id);
    assert_eq!(created["meta"]["assignee"]["id"], 1);
    assert!(created["meta"]["assignee"].get("access_token").is_none());
    assert_eq!(created["custom_attributes"], json!({"order": "A-1"}));
    assert_eq!(created["additional_attributes"], json!({"browser": "x"}));
    assert_eq!(created["messages"], json!([]));
    assert_eq!(created["last_non_activity_message"], Value::Null);

    // Through the session's source id, in the startup inbox: the contact sees it.
    let r = agent(
        a,
        "POST",
        "/api/v1/accounts/1/conversations",
        Some(&json!({"source_id": source})),
    )
    .await;
    let display = r.json()["id"].as_i64().unwrap();
    let r = get(a, &conversation_path(&source, display)).await;
    assert_eq!(r.status, 200, "the contact sees the agent's conversation");
    post(
        a,
        &format!("{}/messages", conversation_path(&source, display)),
        &json!({"content": "hi"}),
    )
    .await;

    let r = agent(
        a,
        "GET",
        &format!("/api/v1/accounts/1/conversations/{display}"),
        None,
    )
    .await;
    let v = r.json();
    assert_eq!(
        v["messages"].as_array().unwrap().len(),
        1,
        "only the last message"
    );
    assert_eq!(v["messages"][0]["content"], "hi");
    assert_eq!(v["last_non_activity_message"]["content"], "hi");
    assert_eq!(v["meta"]["channel"], "Channel::Api");
    assert_eq!(v["unread_count"], 1);

    let r = agent(
        a,
        "GET",
        &format!("/api/v1/accounts/1/contacts/{contact_id}/conversations"),
        None,
    )
    .await;
    let list = r.json()["payload"].as_array().unwrap().clone();
    assert_eq!(list.len(), 2, "both inboxes");
    control(a, "PUT", "/account", Some(&json!({"listShape": "bare"}))).await;
    let r = agent(
        a,
        "GET",
        &format!("/api/v1/accounts/1/contacts/{contact_id}/conversations"),
        None,
    )
    .await;
    assert_eq!(r.json().as_array().unwrap().len(), 2, "bare array shape");

    control(a, "PUT", "/account", Some(&json!({"agentToken": "other"}))).await;
    let r = agent(
        a,
        "GET",
        &format!("/api/v1/accounts/1/conversations/{display}"),
        None,
    )
    .await;
    assert_eq!(r.status, 401);
    let r = agent_with(
        a,
        "GET",
        &format!("/api/v1/accounts/1/conversations/{display}"),
        None,
        "other",
    )
    .await;
    assert_eq!(r.status, 200);

    let r = agent(
        a,
        "POST",
        "/api/v1/accounts/1/conversations",
        Some(&json!({"source_id": "nope"})),
    )
    .await;
    assert_eq!(r.status, 401, "the token changed");
    let r = agent_with(
        a,
        "POST",
        "/api/v1/accounts/1/conversations",
        Some(&json!({"source_id": "nope"})),
        "other",
    )
    .await;
    assert_eq!(r.status, 404);
    let r = agent_with(
        a,
        "POST",
        "/api/v1/accounts/1/conversations",
        Some(&json!({"source_id": source, "status": "weird"})),
        "other",
    )
    .await;
    assert_eq!(r.status, 422);
}
