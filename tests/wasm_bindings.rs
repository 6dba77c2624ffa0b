//! The module in headless Chromium, through its one export: bad options are refused
//! with an `invalid_argument` error object; bad answers become `decode` errors (not a
//! trap) — truncated and mistyped JSON, 10 MB strings, deep nesting, bytes that are
//! not UTF-8 — and the module keeps working after every one of them.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use wasm_bindgen_test::*;

use chatwoot_inbox_sdk::bindings::Machine;

wasm_bindgen_test_configure!(run_in_browser);

const OPTIONS: &str = r#"{"baseUrl":"http://127.0.0.1:9","inboxIdentifier":"inbox"}"#;

fn value(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("the machine writes JSON")
}

/// The first op named `name` of a step.
fn op(step: &serde_json::Value, name: &str) -> serde_json::Value {
    step["ops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["op"] == name)
        .cloned()
        .unwrap_or(serde_json::Value::Null)
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
        "[]",
        "not json",
    ] {
        let err = Machine::new("inbox", options, 1.0).err().expect("refused");
        assert_eq!(value(&err)["code"], "invalid_argument", "{options}");
    }
}

#[wasm_bindgen_test]
fn every_malformed_answer_is_a_decode_error_and_the_module_keeps_working() {
    let mut m = Machine::new("inbox", OPTIONS, 1.0).unwrap();
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
    for body in &bodies {
        let step = value(&m.call("getInbox", "[]", 0.0));
        let id = op(&step, "fetch")["id"].as_u64().unwrap() as u32;
        let p = step["v"].as_u64().unwrap();
        let answer = value(&m.response(id, 200, None, body, 0.0));
        let reject = op(&answer, "reject");
        assert_eq!(reject["p"].as_u64(), Some(p));
        assert_eq!(reject["error"]["code"], "decode");
        assert!(
            reject["error"]["body"].as_str().unwrap().len() <= 2048,
            "the body is cut to 2 KB"
        );
    }
    // Still working: a good answer resolves.
    let step = value(&m.call("getInbox", "[]", 0.0));
    let id = op(&step, "fetch")["id"].as_u64().unwrap() as u32;
    let ok = value(&m.response(
        id,
        200,
        None,
        br#"{"identifier":"ok","name":"Support"}"#,
        0.0,
    ));
    assert_eq!(op(&ok, "resolve")["v"]["identifier"], "ok");
}

#[wasm_bindgen_test]
fn invalid_arguments_are_rejected_before_any_request() {
    let mut m = Machine::new("inbox", OPTIONS, 1.0).unwrap();
    for (method, args) in [
        ("getContact", r#"[".."]"#),
        ("getConversation", r#"["s", 1.5]"#),
        ("setTyping", r#"["s", 1, "maybe"]"#),
        ("createMessage", r#"["s", 1, {}]"#),
        ("nope", "[]"),
    ] {
        let step = value(&m.call(method, args, 0.0));
        assert_eq!(op(&step, "fetch"), serde_json::Value::Null, "{method}");
        assert_eq!(
            op(&step, "reject")["error"]["code"],
            "invalid_argument",
            "{method}"
        );
    }
}
