//! The contact decoders (the session, and the record of an update): arbitrary answer
//! bodies never panic and always write JSON; a session always has its credentials.
#![no_main]

mod common;

use chatwoot_inbox_sdk::machine::reply::Shape;
use chatwoot_inbox_sdk::model::{decode, Contact, ContactSession};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::Contact);
    common::check_shape(data, Shape::ContactSession);
    common::check_tolerant::<Contact>(data);
    if let Ok(s) = decode::<ContactSession>(&String::from_utf8_lossy(data)) {
        assert!(!s.source_id.is_empty() && !s.pubsub_token.is_empty());
    }
});
