//! Rust errors become `ChatwootError` instances (a real `Error` subclass defined in JS).

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::Error;

#[wasm_bindgen(module = "/pkg-template/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = ChatwootError)]
    type JsChatwootError;
    #[wasm_bindgen(constructor, js_class = "ChatwootError")]
    fn new(code: &str, message: &str, extra: &JsValue) -> JsChatwootError;
}

/// The JS error for `e`, with the extra fields its code carries.
pub fn to_js(e: Error) -> JsValue {
    let extra = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&extra, &k.into(), &v);
    };
    if let Some(s) = e.status {
        set("status", s.into());
    }
    if let Some(b) = e.body {
        set("body", b.into());
    }
    if !e.attributes.is_empty() {
        set(
            "attributes",
            e.attributes
                .iter()
                .map(|a| JsValue::from_str(a))
                .collect::<js_sys::Array>()
                .into(),
        );
    }
    if let Some(ms) = e.retry_after_ms {
        set("retryAfterMs", (ms as f64).into());
    }
    JsChatwootError::new(e.code.as_str(), &e.message, &extra).into()
}
