//! Every error answer shape of the reference becomes the `ChatwootError` SPEC §6 names.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use chatwoot_inbox_sdk::error::{Error, ErrorBody, ErrorCode};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn every_error_body_shape() {
    let err = |status: u16, name: &str, contacts: bool| {
        let text = fixture(name);
        let parsed = ErrorBody::parse(&text);
        Error::from_status(status, &text, parsed, None, contacts)
    };
    let e = err(422, "error_422_validation.json", true);
    assert_eq!(
        (e.code, e.message.as_str(), e.attributes.clone()),
        (
            ErrorCode::Validation,
            "Email Invalid email",
            vec!["email".to_owned()]
        )
    );
    let e = err(422, "error_422_csat.json", false);
    assert_eq!(e.message, "You cannot update the CSAT survey after 14 days");
    assert_eq!(err(404, "error_404.json", false).code, ErrorCode::NotFound);
    assert_eq!(err(500, "error_500.json", true).code, ErrorCode::Identity);
    let e = err(500, "error_500.json", false);
    assert_eq!(
        (e.code, e.body.as_deref()),
        (
            ErrorCode::Http,
            Some(r#"{"status":500,"error":"Internal Server Error"}"#)
        )
    );
    assert_eq!(
        err(429, "error_429.txt", false).code,
        ErrorCode::RateLimited
    );
}
