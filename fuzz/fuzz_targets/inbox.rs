//! The inbox decoder: arbitrary answer bodies never panic and always write JSON.
#![no_main]

mod common;

use chatwoot_inbox_sdk::machine::reply::Shape;
use chatwoot_inbox_sdk::model::Inbox;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::Inbox);
    common::check_tolerant::<Inbox>(data);
});
