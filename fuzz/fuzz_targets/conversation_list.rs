//! The conversation list decoder (and one conversation, REST or socket payload, as
//! JavaScript receives it and as a ChatSession holds it).
#![no_main]

mod common;

use chatwoot_inbox_sdk::model::{Conversation, Shape, CONVERSATION};
use chatwoot_inbox_sdk::wire::json::Doc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::List(&CONVERSATION));
    common::check_shape(data, Shape::One(&CONVERSATION));
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(doc) = Doc::parse(text) {
            for c in Conversation::read_list(doc.root()).unwrap_or_default() {
                common::assert_json(c.json());
            }
        }
    }
});
