//! The bindings in headless Chromium: errors are real `ChatwootError` instances with
//! their fields, bad input is refused before any request, an aborted signal rejects
//! with `aborted`, and the module keeps working after every failure.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use chatwoot_inbox_sdk::bindings::InboxClient;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/pkg-template/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = isChatwootError)]
    fn is_chatwoot_error(v: &JsValue) -> bool;
}

fn options(base_url: &str, inbox: &str) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"baseUrl".into(), &base_url.into()).unwrap();
    Reflect::set(&o, &"inboxIdentifier".into(), &inbox.into()).unwrap();
    o.into()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

#[wasm_bindgen_test]
fn bad_options_throw_a_chatwoot_error_with_a_code() {
    for base in ["", "javascript:alert(1)", "https://h/path", "https://h/"] {
        let err = InboxClient::new(options(base, "inbox"))
            .err()
            .expect("must throw");
        assert!(is_chatwoot_error(&err), "{base}");
        assert!(err.is_instance_of::<js_sys::Error>());
        assert_eq!(
            get(&err, "code").as_string().as_deref(),
            Some("invalid_argument")
        );
        assert_eq!(
            get(&err, "name").as_string().as_deref(),
            Some("ChatwootError")
        );
    }
}

#[wasm_bindgen_test]
async fn invalid_arguments_reject_before_any_request_and_abort_is_aborted() {
    // Port 9 on loopback: nothing listens, so any request that went out would be `network`.
    let client = InboxClient::new(options("http://127.0.0.1:9", "inbox")).unwrap();
    let err =
        JsFuture::from(client.get_contact("..".into(), JsValue::UNDEFINED, JsValue::UNDEFINED))
            .await
            .unwrap_err();
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("invalid_argument")
    );

    let opts = Object::new();
    let signal = web_sys::AbortSignal::abort();
    Reflect::set(&opts, &"signal".into(), &signal).unwrap();
    let err = JsFuture::from(client.get_inbox(opts.into()))
        .await
        .unwrap_err();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("aborted"));

    let err = JsFuture::from(client.get_inbox(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("network"));
    assert!(
        is_chatwoot_error(&err),
        "the module still works after failures"
    );
}
