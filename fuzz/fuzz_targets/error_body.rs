//! Error bodies of any shape, with any status: always an error of the right code.
#![no_main]

use chatwoot_inbox_sdk::error::{Error, ErrorBody, BODY_LIMIT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, bool, &[u8])| {
    let (status, contacts, data) = input;
    let text = String::from_utf8_lossy(data);
    let parsed = ErrorBody::parse(&text);
    let e = Error::from_status(status, &text, parsed, None, contacts);
    assert_eq!(e.status, Some(status));
    assert!(e.body.as_ref().is_none_or(|b| b.len() <= BODY_LIMIT));
});
