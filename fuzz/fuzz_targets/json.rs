//! The JSON reader and writer: what serde_json accepts, the reader accepts; what the
//! reader accepts, the writer writes back as JSON that reads to the same text again.
#![no_main]

mod common;

use chatwoot_inbox_sdk::wire::json::Doc;
use chatwoot_inbox_sdk::wire::out::Out;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ours = Doc::parse(text);
    if serde_json::from_str::<serde_json::Value>(text).is_ok() {
        assert!(ours.is_ok(), "serde_json accepts what the reader refused: {text:?}");
    }
    let Ok(doc) = ours else { return };
    let mut o = Out::new();
    o.node(doc.root());
    let written = o.finish();
    common::assert_json(&written);
    let again = Doc::parse(&written).expect("the writer writes what the reader reads");
    let mut o2 = Out::new();
    o2.node(again.root());
    assert_eq!(o2.finish(), written, "writing is idempotent");
});
