//! Paths: every dynamic segment is checked and percent-encoded, so no identifier can
//! change which route a request reaches (`/`, `?`, `#`, `..`, `%2F`, spaces, unicode).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::Error;

/// Everything but `A–Z a–z 0–9 - _ ~` is escaped, including `.`, which Rails would
/// otherwise read as the start of a format suffix.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// Percent-encodes one path segment (or query part).
pub fn encode_segment(raw: &str) -> String {
    utf8_percent_encode(raw, SEGMENT).to_string()
}

/// Checks an identifier given by the caller and encodes it. Empty, blank, `.` and `..`
/// are refused: no encoding keeps a URL parser from treating the last two as navigation.
pub fn segment(what: &str, raw: &str) -> Result<String, Error> {
    if raw.trim().is_empty() {
        return Err(Error::invalid_argument(
            [what, " must not be empty"].concat(),
        ));
    }
    if raw == "." || raw == ".." {
        return Err(Error::invalid_argument(
            [what, " must not be \".\" or \"..\""].concat(),
        ));
    }
    if raw.len() > 1024 {
        return Err(Error::invalid_argument(
            [what, " is longer than 1024 bytes"].concat(),
        ));
    }
    Ok(encode_segment(raw))
}

/// A numeric id given by the caller (conversation display id, message id).
pub fn id(what: &str, value: f64) -> Result<i64, Error> {
    if value.is_finite() && value.fract() == 0.0 && (1.0..9.0e15).contains(&value) {
        Ok(value as i64)
    } else {
        Err(Error::invalid_argument(
            [what, " must be a positive whole number"].concat(),
        ))
    }
}

/// `/public/api/v1/inboxes/{inbox}`.
pub fn inbox(inbox_identifier: &str) -> Result<String, Error> {
    Ok([
        "/public/api/v1/inboxes/",
        &segment("inboxIdentifier", inbox_identifier)?,
    ]
    .concat())
}

/// `…/contacts/{sourceId}`.
pub fn contact(inbox_identifier: &str, source_id: &str) -> Result<String, Error> {
    let inbox = inbox(inbox_identifier)?;
    let source = segment("sourceId", source_id)?;
    Ok([inbox.as_str(), "/contacts/", &source].concat())
}

/// `…/contacts/{sourceId}/conversations/{id}`.
pub fn conversation(
    inbox_identifier: &str,
    source_id: &str,
    conversation_id: f64,
) -> Result<String, Error> {
    let id = id("conversationId", conversation_id)?;
    let contact = contact(inbox_identifier, source_id)?;
    Ok([contact.as_str(), "/conversations/", &id.to_string()].concat())
}

/// Appends `?key=value&…`, encoding each part; pairs with an empty value are left out.
pub fn with_query(mut path: String, pairs: &[(&str, &str)]) -> String {
    let mut sep = '?';
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        path.push(sep);
        path.push_str(&encode_segment(k));
        path.push('=');
        path.push_str(&encode_segment(v));
        sep = '&';
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn hostile_identifiers_stay_inside_their_segment() {
        let cases = [
            ("../../admin", "%2E%2E%2F%2E%2E%2Fadmin"),
            ("a/b", "a%2Fb"),
            ("a%2Fb", "a%252Fb"),
            ("x?y=1", "x%3Fy%3D1"),
            ("x#frag", "x%23frag"),
            ("two words", "two%20words"),
            ("café", "caf%C3%A9"),
            ("a.b", "a%2Eb"),
            ("ok-_~Z9", "ok-_~Z9"),
        ];
        for (raw, want) in cases {
            assert_eq!(segment("sourceId", raw).unwrap(), want, "{raw}");
        }
    }

    #[test]
    fn unusable_identifiers_are_invalid_arguments() {
        for raw in ["", "  ", ".", ".."] {
            assert_eq!(
                segment("sourceId", raw).unwrap_err().code,
                ErrorCode::InvalidArgument,
                "{raw:?}"
            );
        }
        for v in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY] {
            assert_eq!(
                id("conversationId", v).unwrap_err().code,
                ErrorCode::InvalidArgument,
                "{v}"
            );
        }
    }

    #[test]
    fn paths_and_queries() {
        assert_eq!(
            conversation("in box", "s/1", 7.0).unwrap(),
            "/public/api/v1/inboxes/in%20box/contacts/s%2F1/conversations/7"
        );
        assert_eq!(
            with_query(
                "/p".into(),
                &[("identifier", "a&b"), ("identifier_hash", "")]
            ),
            "/p?identifier=a%26b"
        );
    }
}
