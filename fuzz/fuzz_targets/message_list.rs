//! The message page decoder: ordered by id, each id once, every message writing JSON.
#![no_main]

mod common;

use chatwoot_inbox_sdk::machine::reply::Shape;
use chatwoot_inbox_sdk::model::{decode_list, message_list, Message};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::Page);
    common::check_shape(data, Shape::Message);
    common::check_tolerant::<Message>(data);
    if let Ok(list) = decode_list::<Message>(&String::from_utf8_lossy(data)) {
        let page = message_list(list);
        assert!(page.windows(2).all(|w| w[0].id < w[1].id), "ordered, no repeats");
    }
});
