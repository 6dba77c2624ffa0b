//! The csat decoder: arbitrary answer bodies never panic and always write JSON.
#![no_main]

mod common;

use chatwoot_inbox_sdk::model::{Shape, CSAT_SURVEY};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::One(&CSAT_SURVEY));
});
