//! The conversation list decoder, and one conversation (REST or socket payload).
#![no_main]

mod common;

use chatwoot_inbox_sdk::machine::reply::Shape;
use chatwoot_inbox_sdk::model::{decode_list, Conversation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::Conversations);
    common::check_shape(data, Shape::Conversation);
    common::check_tolerant::<Conversation>(data);
    for c in decode_list::<Conversation>(&String::from_utf8_lossy(data)).unwrap_or_default() {
        assert!(c.messages.windows(2).all(|w| w[0].id < w[1].id), "ordered, no repeats");
    }
});
