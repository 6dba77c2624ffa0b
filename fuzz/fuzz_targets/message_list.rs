//! The message page decoder: ordered by id, each id once, every message writing JSON,
//! as JavaScript receives it and as a ChatSession holds it.
#![no_main]

mod common;

use chatwoot_inbox_sdk::model::{Message, Shape, MESSAGE};
use chatwoot_inbox_sdk::wire::json::Doc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::Page);
    common::check_shape(data, Shape::One(&MESSAGE));
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = Doc::parse(text) else { return };
    if let Some(page) = Message::read_page(doc.root()) {
        assert!(page.windows(2).all(|w| w[0].id < w[1].id), "ordered, no repeats");
        for m in &page {
            common::assert_json(&m.to_json());
        }
    }
});
