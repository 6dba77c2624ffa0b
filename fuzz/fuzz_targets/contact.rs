//! The contact decoder: arbitrary answer bodies never panic and always write JSON.
#![no_main]

mod common;

use chatwoot_inbox_sdk::model::{ContactSession, Shape, CONTACT, CONTACT_SESSION};
use chatwoot_inbox_sdk::wire::json::Doc;
use libfuzzer_sys::fuzz_target;

// Both contact shapes: the session (create, show) and the record (update).
fuzz_target!(|data: &[u8]| {
    common::check_shape(data, Shape::One(&CONTACT));
    common::check_shape(data, Shape::One(&CONTACT_SESSION));
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(doc) = Doc::parse(text) {
            if let Some(s) = ContactSession::read(doc.root()) {
                assert!(!s.source_id.is_empty());
            }
        }
    }
});
