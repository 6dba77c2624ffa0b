//! The one error type of the SDK. In JavaScript it becomes a `ChatwootError` whose
//! `code` is [`ErrorCode::as_str`]; see SPEC §6.

use serde::ser::{Serialize, SerializeMap, Serializer};

pub use body::ErrorBody;

/// Bodies kept on an error are cut to this many bytes (SPEC §6: "cut to 2 KB").
pub const BODY_LIMIT: usize = 2048;

/// What went wrong, as a stable machine-readable code.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// fetch or the socket failed to connect.
    Network,
    /// `timeoutMs` passed.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// 401.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404: unknown inbox, contact, conversation, message or survey.
    NotFound,
    /// 422, with the server's message and attributes.
    Validation,
    /// 429.
    RateLimited,
    /// HMAC failure on a contacts route (a real server answers 500).
    Identity,
    /// Any other non-2xx.
    Http,
    /// A 2xx body that is not the documented shape.
    Decode,
    /// Bad input caught before any request.
    InvalidArgument,
    /// Used before `init()`.
    NotInitialized,
    /// A `ChatSession` was used after `close()`.
    Closed,
    /// An event listener threw (reported on the session's `error` event).
    Listener,
}

impl ErrorCode {
    /// Every code, in the order of SPEC §6 (the contract test ties it to the `.d.ts`
    /// and to `errors.js`).
    pub const ALL: [ErrorCode; 15] = [
        ErrorCode::Network,
        ErrorCode::Timeout,
        ErrorCode::Aborted,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Validation,
        ErrorCode::RateLimited,
        ErrorCode::Identity,
        ErrorCode::Http,
        ErrorCode::Decode,
        ErrorCode::InvalidArgument,
        ErrorCode::NotInitialized,
        ErrorCode::Closed,
        ErrorCode::Listener,
    ];

    /// The code as JavaScript sees it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Network => "network",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Aborted => "aborted",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Validation => "validation",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Identity => "identity",
            ErrorCode::Http => "http",
            ErrorCode::Decode => "decode",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::NotInitialized => "not_initialized",
            ErrorCode::Closed => "closed",
            ErrorCode::Listener => "listener",
        }
    }
}

/// A failure, with the fields SPEC §6 lists for its code.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// What went wrong.
    pub code: ErrorCode,
    /// A sentence for people. Never contains a token.
    pub message: String,
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// The answer's body (cut to [`BODY_LIMIT`]), for `http` and `decode`.
    pub body: Option<String>,
    /// For `validation`: the attributes the server named.
    pub attributes: Vec<String>,
    /// For `rate_limited`: how long the server asked us to wait.
    pub retry_after_ms: Option<u64>,
}

impl Error {
    /// An error with only a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            status: None,
            body: None,
            attributes: Vec::new(),
            retry_after_ms: None,
        }
    }

    /// Bad input caught before any request.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidArgument, message)
    }

    /// A 2xx body that did not decode.
    pub fn decode(what: &str, detail: &str, body: &str) -> Self {
        let mut e = Error::new(
            ErrorCode::Decode,
            ["unexpected ", what, " from the server: ", detail].concat(),
        );
        e.body = Some(kept_body(body));
        e
    }

    /// Maps a non-2xx answer to its code. `contacts_route` marks the three contacts
    /// routes, where a real Chatwoot answers an HMAC failure with a bare 500.
    /// `parsed` is the body decoded as JSON, when it was JSON.
    pub fn from_status(
        status: u16,
        body: &str,
        parsed: ErrorBody,
        retry_after_ms: Option<u64>,
        contacts_route: bool,
    ) -> Self {
        let (code, message): (ErrorCode, &str) = match status {
            401 => (ErrorCode::Unauthorized, "the access token was not accepted"),
            403 => (ErrorCode::Forbidden, "the access token may not do this"),
            404 => (ErrorCode::NotFound, "not found (unknown inbox, contact, conversation, message or survey)"),
            422 => (ErrorCode::Validation, parsed.message().unwrap_or("the server rejected the input")),
            429 => (ErrorCode::RateLimited, "too many requests; retry later"),
            500 if contacts_route => (
                ErrorCode::Identity,
                "the server rejected the identity: identifierHash must be the lowercase hex HMAC-SHA256 of identifier with the inbox secret (a Chatwoot server answers this failure with 500)",
            ),
            _ => (ErrorCode::Http, "the server answered with an error status"),
        };
        let mut e = Error::new(code, message);
        e.status = Some(status);
        match code {
            ErrorCode::Validation => e.attributes = parsed.attributes,
            ErrorCode::RateLimited => e.retry_after_ms = retry_after_ms,
            ErrorCode::Http => e.body = Some(kept_body(body)),
            _ => {}
        }
        e
    }
}

/// The error as JavaScript's `ChatwootError` fields: `code`, `message`, and `status`,
/// `body`, `attributes`, `retryAfterMs` where they apply.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("code", self.code.as_str())?;
        m.serialize_entry("message", &self.message)?;
        if let Some(status) = self.status {
            m.serialize_entry("status", &status)?;
        }
        if let Some(body) = &self.body {
            m.serialize_entry("body", body)?;
        }
        if !self.attributes.is_empty() {
            m.serialize_entry("attributes", &self.attributes)?;
        }
        if let Some(ms) = self.retry_after_ms {
            m.serialize_entry("retryAfterMs", &ms)?;
        }
        m.end()
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Keys whose string values are credentials (after their opening quote): a contact's
/// `pubsub_token`, an agent's `access_token` / `pubsub_token` / `hmac_identifier` (the
/// application API's assignee), an inbox's `hmac_token`, and the identity hash. Their
/// values never stay on an error.
const SECRET_KEYS: [&[u8]; 6] = [
    b"pubsub_token\"",
    b"access_token\"",
    b"api_access_token\"",
    b"hmac_identifier\"",
    b"identifier_hash\"",
    b"hmac_token\"",
];

/// The body an error keeps: cut to [`BODY_LIMIT`], with the value of every
/// [`SECRET_KEYS`] key replaced by `"[redacted]"` (a value cut short included). One pass
/// over bytes: no string searcher in the module for it.
pub fn kept_body(body: &str) -> String {
    let s = cut(body).as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut i = 0usize;
    while let Some(&b) = s.get(i) {
        out.push(b);
        i = i.saturating_add(1);
        if b != b'"' {
            continue;
        }
        let Some(key) = SECRET_KEYS
            .iter()
            .find(|k| s.get(i..i.saturating_add(k.len())) == Some(**k))
        else {
            continue;
        };
        out.extend_from_slice(key);
        i = i.saturating_add(key.len());
        // `: "value"`: keep the separator, drop the value up to its closing quote.
        while let Some(&c) = s
            .get(i)
            .filter(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b':'))
        {
            out.push(c);
            i = i.saturating_add(1);
        }
        if s.get(i) != Some(&b'"') {
            continue;
        }
        out.extend_from_slice(b"\"[redacted]\"");
        i = i.saturating_add(1);
        let mut escaped = false;
        while let Some(&c) = s.get(i) {
            i = i.saturating_add(1);
            match c {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => break,
                _ => {}
            }
        }
    }
    // Cut only beside ASCII quotes, so still UTF-8; "[redacted]" may be longer than what
    // it replaced.
    let out = String::from_utf8(out).unwrap_or_default();
    cut(&out).to_owned()
}

/// The longest prefix of `s` of at most [`BODY_LIMIT`] bytes that ends on a char boundary.
pub fn cut(s: &str) -> &str {
    if s.len() <= BODY_LIMIT {
        return s;
    }
    let mut end = BODY_LIMIT;
    while !s.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    s.get(..end).unwrap_or("")
}

mod body {
    use chatwoot_inbox_model::lenient;
    use serde::Deserialize;

    /// What an error answer says: `{ "message": …, "attributes": [...] }` (422) or
    /// `{ "error": … }`; anything else says nothing.
    #[derive(Debug, Default, Clone, PartialEq, Deserialize)]
    pub struct ErrorBody {
        #[serde(default, deserialize_with = "lenient::non_empty")]
        message: Option<String>,
        #[serde(default, deserialize_with = "lenient::non_empty")]
        error: Option<String>,
        /// The fields a validation error names.
        #[serde(default, deserialize_with = "lenient::strings")]
        pub attributes: Vec<String>,
    }

    impl ErrorBody {
        /// Reads an error answer's text; never fails.
        pub fn parse(text: &str) -> ErrorBody {
            let read: Result<lenient::Loose<ErrorBody>, _> = serde_json::from_str(text);
            read.ok().and_then(|l| l.0).unwrap_or_default()
        }

        /// The server's message, if it gave one.
        pub fn message(&self) -> Option<&str> {
            self.message.as_deref().or(self.error.as_deref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_bodies_lose_credential_values() {
        let body = r#"{"id":1,"source_id":"s-1","pubsub_token":"sec\"ret-1","name":"A","assignee":{"access_token" : "at-2","hmac_identifier":"hm-3"},"pubsub_token":"cut-sho"#;
        let kept = kept_body(body);
        assert_eq!(
            kept,
            r#"{"id":1,"source_id":"s-1","pubsub_token":"[redacted]","name":"A","assignee":{"access_token" : "[redacted]","hmac_identifier":"[redacted]"},"pubsub_token":"[redacted]""#
        );
        for secret in ["sec", "ret-1", "at-2", "hm-3", "cut-sho"] {
            assert!(!kept.contains(secret), "{secret} kept");
        }
        // Not a string value, or no value at all: left as it is.
        assert_eq!(
            kept_body(r#"{"pubsub_token":null}"#),
            r#"{"pubsub_token":null}"#
        );
        assert_eq!(kept_body(r#"["pubsub_token"]"#), r#"["pubsub_token"]"#);
        assert_eq!(
            kept_body("\"hmac_token\": \"é…"),
            "\"hmac_token\": \"[redacted]\""
        );
        // Found by fuzzing (error_body, crash-a4924a94): a short value redacted near the
        // cut grew the body past the limit.
        let near_cut = ["x".repeat(2030), r#""hmac_token":"a""#.to_owned()].concat();
        let kept = kept_body(&near_cut);
        assert!(kept.len() == BODY_LIMIT && kept.ends_with("\"[red") && !kept.contains("\"a\""));
        let e = Error::decode("a contact", "not the documented shape", body);
        assert!(!e.body.unwrap_or_default().contains("at-2"));
    }

    #[test]
    fn status_codes_map_to_spec_codes() {
        let cases = [
            (401, false, ErrorCode::Unauthorized),
            (403, false, ErrorCode::Forbidden),
            (404, false, ErrorCode::NotFound),
            (422, false, ErrorCode::Validation),
            (429, false, ErrorCode::RateLimited),
            (500, true, ErrorCode::Identity),
            (500, false, ErrorCode::Http),
            (502, true, ErrorCode::Http),
        ];
        for (status, contacts, code) in cases {
            let e = Error::from_status(status, "", ErrorBody::default(), None, contacts);
            assert_eq!(e.code, code, "status {status}");
            assert_eq!(e.status, Some(status));
        }
    }

    #[test]
    fn validation_keeps_message_and_attributes() {
        let body = r#"{"message":"Content is too long (maximum is 150000 characters)","attributes":["content"]}"#;
        let e = Error::from_status(422, body, ErrorBody::parse(body), None, false);
        assert_eq!(
            e.message,
            "Content is too long (maximum is 150000 characters)"
        );
        assert_eq!(e.attributes, vec!["content".to_owned()]);
        let body = r#"{"error":"You cannot update the CSAT survey after 14 days"}"#;
        let csat = Error::from_status(422, body, ErrorBody::parse(body), None, false);
        assert_eq!(
            csat.message,
            "You cannot update the CSAT survey after 14 days"
        );
    }

    #[test]
    fn rate_limit_keeps_retry_after_and_http_keeps_cut_body() {
        let e = Error::from_status(
            429,
            "Retry later\n",
            ErrorBody::default(),
            Some(3000),
            false,
        );
        assert_eq!(e.retry_after_ms, Some(3000));
        let long = "é".repeat(3000);
        let h = Error::from_status(503, &long, ErrorBody::default(), None, false);
        let body = h.body.unwrap();
        assert!(body.len() <= BODY_LIMIT && long.starts_with(&body));
    }
}
