//! The HTTP edge: CORS, faults, the request log, routing details, the control API's
//! bookkeeping, and the binary's startup line.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const NOT_FOUND: &str = r#"{"status":404,"error":"Not Found"}"#;

fn assert_simple_cors(r: &Resp) {
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r
        .header("vary")
        .is_some_and(|v| v.split(',').any(|p| p.trim() == "Origin")));
    assert!(r.header("access-control-allow-credentials").is_none());
    assert!(r.header("access-control-expose-headers").is_none());
}

#[tokio::test]
async fn cors_on_success_errors_and_unknown_routes() {
    let s = server().await;
    let origin = [("Origin", "http://app.test")];
    let r = send(s.addr(), "GET", BASE, &origin, b"")
        .await
        .expect("answer");
    assert_eq!(r.status, 200);
    assert_simple_cors(&r);

    let r = send(s.addr(), "GET", &contact_path("nobody"), &origin, b"")
        .await
        .expect("answer");
    assert_eq!(r.status, 404);
    assert_simple_cors(&r);

    let r = send(
        s.addr(),
        "POST",
        &format!("{BASE}/contacts"),
        &[
            ("Origin", "http://app.test"),
            ("Content-Type", "application/json"),
        ],
        br#"{"email":"bad"}"#,
    )
    .await
    .expect("answer");
    assert_eq!(r.status, 422);
    assert_simple_cors(&r);

    let r = send(s.addr(), "GET", "/public/api/v1/whatever", &origin, b"")
        .await
        .expect("answer");
    assert_eq!(r.status, 404);
    assert_eq!(r.text(), NOT_FOUND);
    assert_simple_cors(&r);

    let r = send(s.addr(), "GET", "/__devserver/requests", &origin, b"")
        .await
        .expect("answer");
    assert_eq!(r.status, 200);
    assert_simple_cors(&r);

    // Without an Origin there is nothing to allow.
    let r = get(s.addr(), BASE).await;
    assert!(r.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn cors_preflight() {
    let s = server().await;
    let r = send(
        s.addr(),
        "OPTIONS",
        &format!("{BASE}/contacts"),
        &[
            ("Origin", "http://app.test"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type, x-custom"),
        ],
        b"",
    )
    .await
    .expect("answer");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let methods = r.header("access-control-allow-methods").expect("methods");
    for m in ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"] {
        assert!(methods.split(", ").any(|x| x == m), "{methods}");
    }
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("content-type, x-custom")
    );
    assert_eq!(r.header("access-control-max-age"), Some("7200"));
    assert!(r.header("access-control-allow-credentials").is_none());

    // Preflights of unknown paths and control routes are answered as well.
    let r = send(
        s.addr(),
        "OPTIONS",
        "/__devserver/faults",
        &[
            ("Origin", "http://app.test"),
            ("Access-Control-Request-Method", "DELETE"),
        ],
        b"",
    )
    .await
    .expect("answer");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));

    // A bare OPTIONS is no preflight: no route.
    let r = send(s.addr(), "OPTIONS", BASE, &[], b"")
        .await
        .expect("answer");
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn fault_status_and_filters() {
    let s = server().await;
    let r = post(
        s.addr(),
        "/__devserver/faults",
        &json!({"kind": "status", "status": 503, "count": 2, "pathContains": "/contacts", "method": "post"}),
    )
    .await;
    assert_eq!(r.json(), json!({"ok": true}));
    // Other paths and methods are untouched.
    assert_eq!(get(s.addr(), BASE).await.status, 200);
    assert_eq!(get(s.addr(), &contact_path("x")).await.status, 404);
    // A preflight never takes a fault.
    let r = send(
        s.addr(),
        "OPTIONS",
        &format!("{BASE}/contacts"),
        &[
            ("Origin", "http://a"),
            ("Access-Control-Request-Method", "POST"),
        ],
        b"",
    )
    .await
    .expect("answer");
    assert_eq!(r.status, 200);
    for _ in 0..2 {
        let r = send(
            s.addr(),
            "POST",
            &format!("{BASE}/contacts"),
            &[("Origin", "http://a"), ("Content-Type", "application/json")],
            b"{}",
        )
        .await
        .expect("answer");
        assert_eq!(r.status, 503);
        assert_eq!(r.text(), r#"{"status":503,"error":"Service Unavailable"}"#);
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    assert_eq!(
        post(s.addr(), &format!("{BASE}/contacts"), &json!({}))
            .await
            .status,
        200
    );

    // Default status is 500; DELETE disarms.
    post(
        s.addr(),
        "/__devserver/faults",
        &json!({"kind": "status", "count": 5}),
    )
    .await;
    assert_eq!(get(s.addr(), BASE).await.status, 500);
    // Control routes never take a fault.
    assert_eq!(get(s.addr(), "/__devserver/requests").await.status, 200);
    let r = common::call(s.addr(), "DELETE", "/__devserver/faults", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(get(s.addr(), BASE).await.status, 200);

    let r = post(s.addr(), "/__devserver/faults", &json!({"kind": "explode"})).await;
    assert_eq!(r.status, 400);
    let r = post(
        s.addr(),
        "/__devserver/faults",
        &json!({"kind": "status", "typo": 1}),
    )
    .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn fault_rate_limit() {
    let s = server().await;
    post(
        s.addr(),
        "/__devserver/faults",
        &json!({"kind": "rate_limit"}),
    )
    .await;
    let r = send(s.addr(), "GET", BASE, &[("Origin", "http://a")], b"")
        .await
        .expect("answer");
    assert_eq!(r.status, 429);
    assert_eq!(r.header("content-type"), Some("text/plain"));
    assert_eq!(r.text(), "Retry later\n");
    assert!(r.header("retry-after").is_none());
    assert!(r.header("access-control-expose-headers").is_none());
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));

    post(
        s.addr(),
        "/__devserver/faults",
        &json!({"kind": "rate_limit", "retryAfter": 7}),
    )
    .await;
    let r = send(s.addr(), "GET", BASE, &[("Origin", "http://a")], b"")
        .await
        .expect("answer");
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("7"));
    assert_eq!(
        r.header("access-control-expose-headers"),
        Some("Retry-After")
    );
    assert_eq!(get(s.addr(), BASE).await.status, 200, "count defaults to 1");
}

#[tokio::test]
async fn fault_malformed_delay_reset() {
    let s = server().await;
    post(
        s.addr(),
        "/__devserver/faults",
        &json!({"kind": "malformed"}),
    )
    .await;
    let r = get(s.addr(), BASE).await;
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());

    post(
        s.addr(),
        "/__devserver/faults",
        &json!({"kind": "delay", "delayMs": 300}),
    )
    .await;
    let t = Instant::now();
    let r = get(s.addr(), BASE).await;
    assert_eq!(r.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.json()["identifier"], "demo-inbox");

    post(s.addr(), "/__devserver/faults", &json!({"kind": "reset"})).await;
    let r = send(s.addr(), "GET", BASE, &[], b"").await;
    assert!(r.is_none(), "connection closed without an answer: {r:?}");
    assert_eq!(get(s.addr(), BASE).await.status, 200);
}

#[tokio::test]
async fn request_log_keeps_raw_paths() {
    let s = server().await;
    let r = raw(
        s.addr(),
        format!(
            "GET /public/api/v1/inboxes/demo-inbox/contacts/a%2Fb?x=%20y HTTP/1.1\r\nHost: {}\r\nX-Test: 1\r\nConnection: close\r\n\r\n",
            s.addr()
        )
        .as_bytes(),
    )
    .await
    .expect("answer");
    assert_eq!(r.status, 404, "an unknown contact, not another route");
    assert_eq!(r.text(), NOT_FOUND);
    // A session whose source_id really contains a slash is found by its encoded path.
    let v = new_session(s.addr(), &json!({"source_id": "a/b"})).await;
    assert_eq!(v["source_id"], "a/b");
    assert_eq!(get(s.addr(), &contact_path("a%2Fb")).await.status, 200);

    get(s.addr(), "/__devserver/requests").await; // control routes are not logged
    let log = get(s.addr(), "/__devserver/requests").await.json();
    let log = log.as_array().expect("array");
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(log[0]["method"], "GET");
    assert_eq!(
        log[0]["path"],
        "/public/api/v1/inboxes/demo-inbox/contacts/a%2Fb?x=%20y"
    );
    assert_eq!(log[0]["headers"]["x-test"], "1");
    assert!(log[0]["headers"].get("cookie").is_none());
    assert_eq!(log[1]["method"], "POST");
    assert_eq!(log[1]["headers"]["content-type"], "application/json");

    let r = common::call(s.addr(), "DELETE", "/__devserver/requests", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        get(s.addr(), "/__devserver/requests").await.json(),
        json!([])
    );
}

#[tokio::test]
async fn routing_like_rails() {
    let s = server().await;
    let v = new_session(s.addr(), &json!({"source_id": "abc"})).await;
    // No route for other verbs or actions: the 404 body.
    for (method, path) in [
        ("DELETE", contact_path("abc")),
        ("GET", format!("{BASE}/contacts")),
        ("POST", BASE.to_owned()),
        ("GET", "/".to_owned()),
    ] {
        let r = common::call(s.addr(), method, &path, None).await;
        assert_eq!(r.status, 404, "{method} {path}");
        assert_eq!(r.text(), NOT_FOUND);
    }
    // Trailing slash and doubled slashes are normalised; `.json` is a format suffix.
    assert_eq!(get(s.addr(), &format!("{BASE}/")).await.status, 200);
    assert_eq!(
        get(s.addr(), "/public/api/v1/inboxes//demo-inbox/contacts/abc")
            .await
            .json(),
        v
    );
    assert_eq!(
        get(s.addr(), &format!("{BASE}/contacts/abc.json"))
            .await
            .json(),
        v
    );
    // A literal dot inside a dynamic segment never matches a route.
    new_session(s.addr(), &json!({"source_id": "a.b"})).await;
    assert_eq!(
        get(s.addr(), &format!("{BASE}/contacts/a.b/conversations"))
            .await
            .status,
        404
    );
    assert_eq!(
        get(s.addr(), &format!("{BASE}/contacts/a%2Eb/conversations"))
            .await
            .status,
        200
    );
    // A malformed JSON body is a 400, as Rails' parameter parser makes it.
    let r = send(
        s.addr(),
        "POST",
        &format!("{BASE}/contacts"),
        &[("Content-Type", "application/json")],
        b"{nope",
    )
    .await
    .expect("answer");
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), r#"{"status":400,"error":"Bad Request"}"#);
}

#[tokio::test]
async fn control_inboxes_and_reset() {
    let s = server().await;
    let a = control_inbox(s.addr(), &json!({})).await;
    assert_eq!(a["identifier"].as_str().map(str::len), Some(24));
    assert_eq!(a["hmacToken"].as_str().map(str::len), Some(24));
    assert_eq!(a["inboxId"], 2);
    let r = post(
        s.addr(),
        "/__devserver/inboxes",
        &json!({"identifier": "demo-inbox"}),
    )
    .await;
    assert_eq!(r.status, 409);
    let r = post(
        s.addr(),
        "/__devserver/inboxes",
        &json!({"identityValidaton": true}),
    )
    .await;
    assert_eq!(r.status, 400, "unknown keys are refused");
    assert_eq!(
        get(s.addr(), "/__devserver/inboxes/nope/conversations")
            .await
            .status,
        404
    );

    let (source, _) = session_with_conversation(s.addr()).await;
    assert_eq!(get(s.addr(), &contact_path(&source)).await.status, 200);
    let r = post(s.addr(), "/__devserver/reset", &json!({})).await;
    assert_eq!(r.status, 200);
    let log = get(s.addr(), "/__devserver/requests").await.json();
    assert_eq!(log, json!([]), "the log starts over too");
    assert_eq!(get(s.addr(), &contact_path(&source)).await.status, 404);
    assert_eq!(get(s.addr(), BASE).await.status, 200, "startup inbox kept");
    let ident = a["identifier"].as_str().expect("identifier");
    assert_eq!(
        get(s.addr(), &format!("/public/api/v1/inboxes/{ident}"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn events_are_announced() {
    let s = server().await;
    let mut rx = s.events();
    let (source, id) = session_with_conversation(s.addr()).await;
    post(
        s.addr(),
        &format!("{}/messages", conversation_path(&source, id)),
        &json!({"content": "hi", "echo_id": "e9"}),
    )
    .await;
    let mut saw_created = false;
    let mut saw_echo = false;
    while let Ok(e) = rx.try_recv() {
        match e {
            devserver::Event::ConversationCreated { .. } => saw_created = true,
            devserver::Event::MessageCreated { echo_id, .. } => {
                saw_echo = echo_id.as_deref() == Some("e9");
            }
            _ => {}
        }
    }
    assert!(saw_created && saw_echo);
}

#[test]
fn binary_prints_one_line_and_serves() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_devserver"))
        .args(["--port", "0", "--inbox-identifier", "bin-inbox"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("line");
    let addr = line
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .map(|port| format!("127.0.0.1:{port}"))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        s,
        "GET /public/api/v1/inboxes/bin-inbox HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read");
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""identifier":"bin-inbox""#));

    let out = Command::new(env!("CARGO_BIN_EXE_devserver"))
        .arg("--bogus")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
