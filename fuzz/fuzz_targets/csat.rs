//! The CSAT survey decoder.
#![no_main]

mod common;

use chatwoot_inbox_sdk::machine::reply::Shape;
use chatwoot_inbox_sdk::model::CsatSurvey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::CsatSurvey);
    common::check_tolerant::<CsatSurvey>(data);
});
