//! The bindings in headless Chromium, with an injected `fetch`: bad options are refused
//! with an `invalid_argument` error; bad answers become `decode` errors (not a trap) —
//! truncated and mistyped JSON, 10 MB strings, deep nesting, bytes that are not UTF-8 —
//! and the client keeps working after every one of them; bad arguments are refused
//! before any request is made.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::cell::RefCell;
use std::rc::Rc;

use chatwoot_inbox_sdk::bindings::InboxClient;
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or_else(|_| JsValue::from_str(text))
}

fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

/// A client whose `fetch` answers 200 with the next body of `bodies`, and counts.
fn client(
    bodies: Rc<RefCell<Vec<Vec<u8>>>>,
    calls: Rc<RefCell<u32>>,
) -> (InboxClient, Closure<dyn FnMut(JsValue, JsValue) -> Promise>) {
    let fetch = Closure::wrap(Box::new(move |_url: JsValue, _init: JsValue| {
        *calls.borrow_mut() += 1;
        let mut body = bodies.borrow_mut().remove(0);
        let response = web_sys::Response::new_with_opt_u8_array(Some(&mut body)).unwrap();
        Promise::resolve(&JsValue::from(response))
    }) as Box<dyn FnMut(JsValue, JsValue) -> Promise>);
    let options = json(r#"{"baseUrl":"http://127.0.0.1:9","inboxIdentifier":"inbox","retries":0}"#);
    Reflect::set(&options, &JsValue::from_str("fetch"), fetch.as_ref()).unwrap();
    (InboxClient::new(options).unwrap(), fetch)
}

#[wasm_bindgen_test]
fn bad_options_are_invalid_arguments() {
    for options in [
        r#"{"baseUrl":"","inboxIdentifier":"x"}"#,
        r#"{"baseUrl":"javascript:alert(1)","inboxIdentifier":"x"}"#,
        r#"{"baseUrl":"https://h/path","inboxIdentifier":"x"}"#,
        r#"{"baseUrl":"https://h/","inboxIdentifier":"x"}"#,
        r#"{"baseUrl":"https://h","inboxIdentifier":""}"#,
        r#"{"baseUrl":"https://h","inboxIdentifier":"x","timeoutMs":-1}"#,
        r#"{"baseUrl":"https://h","inboxIdentifier":"x","fetch":5}"#,
        "[]",
        "not json",
    ] {
        let err = InboxClient::new(json(options)).err().expect("refused");
        assert_eq!(field(&err, "code"), "invalid_argument", "{options}");
        assert_eq!(field(&err, "name"), "ChatwootError", "{options}");
    }
}

#[wasm_bindgen_test]
async fn every_malformed_answer_is_a_decode_error_and_the_client_keeps_working() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let huge = ["{\"identifier\":\"", &"x".repeat(10 * 1024 * 1024), "\""].concat();
    let bodies: Vec<Vec<u8>> = vec![
        br#"{"identifier":"a","working_hours":[{"day_of"#.to_vec(),
        b"[1,2,3]".to_vec(),
        b"\"just a string\"".to_vec(),
        deep.into_bytes(),
        huge.into_bytes(),
        vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}'],
        b"".to_vec(),
    ];
    let n = bodies.len();
    let mut all = bodies;
    all.push(br#"{"identifier":"ok","name":"Support"}"#.to_vec());
    let calls = Rc::new(RefCell::new(0));
    let (api, _fetch) = client(Rc::new(RefCell::new(all)), Rc::clone(&calls));
    for i in 0..n {
        let err = JsFuture::from(api.get_inbox(JsValue::UNDEFINED))
            .await
            .expect_err("rejected");
        assert_eq!(field(&err, "code"), "decode", "body {i}");
        let body = field(&err, "body").as_string().unwrap_or_default();
        assert!(body.len() <= 2048, "the body is cut to 2 KB");
    }
    // Still working: a good answer resolves, as a plain object.
    let inbox = JsFuture::from(api.get_inbox(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(field(&inbox, "identifier"), "ok");
    assert_eq!(
        field(&inbox, "workingHours")
            .dyn_into::<js_sys::Array>()
            .unwrap()
            .length(),
        0
    );
    assert_eq!(*calls.borrow(), n as u32 + 1);
}

#[wasm_bindgen_test]
async fn invalid_arguments_are_rejected_before_any_request() {
    let calls = Rc::new(RefCell::new(0));
    let (api, _fetch) = client(Rc::new(RefCell::new(Vec::new())), Rc::clone(&calls));
    let deep = json(&("[".repeat(1000) + &"]".repeat(1000)));
    let cases: Vec<Promise> = vec![
        api.get_contact(
            json(r#"".." "#.trim()),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        ),
        api.get_conversation(json(r#""s""#), json("1.5"), JsValue::UNDEFINED),
        api.set_typing(
            json(r#""s""#),
            json("1"),
            json(r#""maybe""#),
            JsValue::UNDEFINED,
        ),
        api.create_message(json(r#""s""#), json("1"), json("{}"), JsValue::UNDEFINED),
        api.create_contact(deep, JsValue::UNDEFINED),
        api.get_inbox(JsValue::from_str("not options")),
        api.get_inbox(json(r#"{"timeoutMs":0}"#)),
    ];
    for (i, p) in cases.into_iter().enumerate() {
        let err = JsFuture::from(p).await.expect_err("refused");
        assert_eq!(field(&err, "code"), "invalid_argument", "case {i}");
    }
    assert_eq!(*calls.borrow(), 0, "no request was made");
}
