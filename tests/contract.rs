//! One source of truth for the string enums and error codes: the TypeScript unions of
//! the package's `.d.ts` and the codes `errors.js` accepts must be exactly the Rust
//! enums' values (plus the `"unknown"` fallback). A value added on one side only fails
//! here.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use chatwoot_inbox_sdk::model::{
    ContentType, ConversationStatus, FileType, MessageStatus, MessageType, SenderKind,
};
use chatwoot_inbox_sdk::ErrorCode;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The string literals of `export type {name} = …;` in `text`, in order.
fn union(text: &str, name: &str) -> Vec<String> {
    let head = format!("export type {name} =");
    let start = text.find(&head).unwrap_or_else(|| panic!("no type {name}")) + head.len();
    let body = &text[start..start + text[start..].find(';').unwrap()];
    body.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn with_unknown(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|s| (*s).to_owned())
        .chain(["unknown".to_owned()])
        .collect()
}

#[test]
fn the_typescript_unions_are_the_rust_enums() {
    let dts = read("pkg-template/index.d.ts");
    for (name, rust) in [
        ("MessageType", MessageType::NAMES),
        ("ContentType", ContentType::NAMES),
        ("MessageStatus", MessageStatus::NAMES),
        ("FileType", FileType::NAMES),
        ("SenderKind", SenderKind::NAMES),
        ("ConversationStatus", ConversationStatus::NAMES),
    ] {
        assert_eq!(union(&dts, name), with_unknown(rust), "{name}");
    }
}

#[test]
fn the_error_codes_are_the_same_in_rust_typescript_and_errors_js() {
    let rust: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(
        union(&read("pkg-template/errors.d.ts"), "ChatwootErrorCode"),
        rust
    );
    let js = read("pkg-template/errors.js");
    let start = js.find("const CODES = [").unwrap();
    let list = &js[start..start + js[start..].find("];").unwrap()];
    let codes: Vec<String> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    assert_eq!(codes, rust, "errors.js");
}
