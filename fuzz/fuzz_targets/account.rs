//! The application API's conversation decoder, as a list (either shape) and alone.
#![no_main]

mod common;

use chatwoot_inbox_sdk::model::{Shape, ACCOUNT_CONVERSATION};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::Payload(&ACCOUNT_CONVERSATION));
    common::check_shape(data, Shape::One(&ACCOUNT_CONVERSATION));
});
