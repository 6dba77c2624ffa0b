//! Identity validation (reference §5): `identifier_hash` is the lower-case hex
//! HMAC-SHA256 of `identifier`, keyed with the inbox's `hmac_token`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub fn identifier_hash(token: &str, identifier: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail; an empty string would
    // simply never match.
    match Hmac::<Sha256>::new_from_slice(token.as_bytes()) {
        Ok(mut mac) => {
            mac.update(identifier.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// The contacts controller's `process_hmac` decision.
#[derive(Debug, PartialEq, Eq)]
pub enum Check {
    /// No hash and the inbox does not insist: nothing to verify.
    Skipped,
    /// The hash matches: show and update mark the session verified.
    Valid,
    /// Rails raises a bare StandardError here, which ends as a 500.
    Failed,
}

/// `hash` and `identifier` are the request's params as Ruby would see them
/// (`to_s` of a scalar); `None` when absent. The comparison is exact string equality,
/// as upstream's `==`, so an upper-case hex digest fails.
pub fn check(mandatory: bool, token: &str, identifier: Option<&str>, hash: Option<&str>) -> Check {
    let blank = hash.is_none_or(|h| h.trim().is_empty());
    if blank && !mandatory {
        return Check::Skipped;
    }
    let expected = identifier_hash(token, identifier.unwrap_or(""));
    if hash == Some(expected.as_str()) {
        Check::Valid
    } else {
        Check::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            identifier_hash("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn decisions() {
        let h = identifier_hash("k", "u1");
        assert_eq!(check(false, "k", Some("u1"), None), Check::Skipped);
        assert_eq!(check(false, "k", Some("u1"), Some(" ")), Check::Skipped);
        assert_eq!(check(true, "k", Some("u1"), None), Check::Failed);
        assert_eq!(check(false, "k", Some("u1"), Some(&h)), Check::Valid);
        assert_eq!(
            check(false, "k", Some("u1"), Some(&h.to_uppercase())),
            Check::Failed
        );
        assert_eq!(check(false, "k", Some("u2"), Some(&h)), Check::Failed);
    }
}
