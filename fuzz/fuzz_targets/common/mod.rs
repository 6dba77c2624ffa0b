//! What every decoder target checks: no panic, whatever is written is JSON, and a
//! model is never refused for a field of an unexpected type.
#![allow(dead_code)]

use chatwoot_inbox_sdk::machine::reply::{reply, Shape};
use chatwoot_inbox_sdk::model::{decode, Model};
use serde_json::Value;

/// The text JSON.parse would be handed must always parse.
pub fn assert_json(text: &str) {
    if let Err(e) = serde_json::from_str::<Value>(text) {
        panic!("invalid JSON written: {e}: {text}");
    }
}

/// Reads `data` as an answer of `shape`, as the machine does.
pub fn check_shape(data: &[u8], shape: Shape) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(out) = reply("answer", text, shape) {
        assert_json(&out);
    }
}

/// Tolerance (reference §4): any JSON object whose `id` is a whole number decodes as
/// model `T`, whatever its other fields hold.
pub fn check_tolerant<T: Model>(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(Value::Object(mut o)) = serde_json::from_str::<Value>(text) else {
        return;
    };
    o.insert("id".to_owned(), Value::from(7));
    // Written again: one member per key, as a server writes it.
    let text = Value::Object(o).to_string();
    assert!(decode::<T>(&text).is_ok(), "refused: {text}");
}
