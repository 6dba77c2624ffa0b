//! A deliberately dumb HTTP/1.1 client over a raw TcpStream: it sends the request
//! line exactly as written (so tests can send unnormalised, percent-encoded paths)
//! and reports a connection closed without an answer as `None`.

#![allow(dead_code)]

use std::net::SocketAddr;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const INBOX: &str = "demo-inbox";
pub const BASE: &str = "/public/api/v1/inboxes/demo-inbox";

pub async fn server() -> devserver::Running {
    devserver::start(devserver::Options::default())
        .await
        .expect("server starts")
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send raw bytes; `None` when the server closed the connection without answering.
pub async fn raw(addr: SocketAddr, request: &[u8]) -> Option<Resp> {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(request).await.expect("write");
    let mut buf = Vec::new();
    // A reset may surface as an error rather than EOF; both mean "no answer".
    let _ = s.read_to_end(&mut buf).await;
    if buf.is_empty() {
        return None;
    }
    Some(parse(&buf))
}

fn parse(buf: &[u8]) -> Resp {
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut body = buf[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let pos = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .expect("chunk size");
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..pos]).trim(), 16)
                .expect("hex size");
            rest = &rest[pos + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = out;
    }
    Resp {
        status,
        headers,
        body,
    }
}

pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<Resp> {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || matches!(method, "POST" | "PUT" | "PATCH") {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    raw(addr, &bytes).await
}

pub async fn call(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Resp {
    let (headers, bytes): (Vec<(&str, &str)>, Vec<u8>) = match body {
        Some(v) => (
            vec![("Content-Type", "application/json")],
            v.to_string().into_bytes(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    send(addr, method, path, &headers, &bytes)
        .await
        .expect("an answer")
}

pub async fn get(addr: SocketAddr, path: &str) -> Resp {
    call(addr, "GET", path, None).await
}

pub async fn post(addr: SocketAddr, path: &str, body: &Value) -> Resp {
    call(addr, "POST", path, Some(body)).await
}

pub async fn patch(addr: SocketAddr, path: &str, body: &Value) -> Resp {
    call(addr, "PATCH", path, Some(body)).await
}

/// A new contact session in the demo inbox; returns the session JSON.
pub async fn new_session(addr: SocketAddr, body: &Value) -> Value {
    let r = post(addr, &format!("{BASE}/contacts"), body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

/// Path of a contact session in the demo inbox.
pub fn contact_path(source_id: &str) -> String {
    format!("{BASE}/contacts/{source_id}")
}

/// A new session plus one conversation; returns (source_id, display_id).
pub async fn session_with_conversation(addr: SocketAddr) -> (String, i64) {
    let s = new_session(addr, &serde_json::json!({})).await;
    let source = s["source_id"].as_str().expect("source_id").to_owned();
    let c = post(
        addr,
        &format!("{}/conversations", contact_path(&source)),
        &serde_json::json!({}),
    )
    .await;
    assert_eq!(c.status, 200, "{}", c.text());
    let id = c.json()["id"].as_i64().expect("display id");
    (source, id)
}

pub fn conversation_path(source_id: &str, display_id: i64) -> String {
    format!("{}/conversations/{display_id}", contact_path(source_id))
}

/// Make an inbox through the control API.
pub async fn control_inbox(addr: SocketAddr, body: &Value) -> Value {
    let r = post(addr, "/__devserver/inboxes", body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

pub fn hmac_hex(key: &str, msg: &str) -> String {
    // Tests compute the hash independently of the server's code path via the same
    // primitive a customer's backend would use.
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("any key");
    mac.update(msg.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A control-API call (`path` below `/__devserver`), expected to succeed.
pub async fn control(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Value {
    let r = call(addr, method, &format!("/__devserver{path}"), body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}
