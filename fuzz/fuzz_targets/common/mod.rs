//! What every decoder target checks: no panic, and whatever is written is JSON.
#![allow(dead_code)]

use chatwoot_inbox_sdk::model::Shape;

/// The text JSON.parse would be handed must always parse.
pub fn assert_json(text: &str) {
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        // serde_json is stricter than JSON and JSON.parse in three ways (each found by
        // these targets): it stops at 128 levels (the SDK's reader allows 256), it
        // refuses numbers beyond f64 (`23E22201`: JSON.parse reads Infinity), and it
        // refuses lone surrogate escapes (`"\ud990"`: JSON.parse keeps them). The SDK
        // passes such values through as it read them. Any other failure is a real one.
        let why = e.to_string();
        assert!(
            why.contains("recursion limit")
                || why.contains("number out of range")
                || why.contains("surrogate")
                || why.contains("hex escape"),
            "invalid JSON written: {why}: {text}"
        );
    }
}

/// Reads `data` as an answer of `shape`, as the machine does.
pub fn check_shape(data: &[u8], shape: Shape) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(out) = shape.transcode(text) {
        assert_json(&out);
    }
}
