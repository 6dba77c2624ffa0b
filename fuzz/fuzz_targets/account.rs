//! The application API's conversation decoder, as a list (either shape) and alone.
#![no_main]

mod common;

use chatwoot_inbox_sdk::machine::reply::Shape;
use chatwoot_inbox_sdk::model::AccountConversation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::AccountConversations);
    common::check_shape(data, Shape::AccountConversation);
    common::check_tolerant::<AccountConversation>(data);
});
