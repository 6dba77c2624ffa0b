//! What one call sends.

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// PUT
    Put,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
        }
    }
}

/// The request body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// No body.
    Empty,
    /// A JSON object; the transport serialises it (with the platform's own
    /// `JSON.stringify` in wasm, so no JSON writer ships in the module).
    Json(Vec<(&'static str, Value)>),
    /// Multipart form data: text fields; the transport appends the files as
    /// `attachments[]`, each with its own Content-Type.
    Multipart(Vec<(&'static str, String)>),
}

/// A JSON value in a request body.
#[derive(Debug, Clone)]
pub enum Value {
    /// A string.
    Str(String),
    /// A whole number.
    Int(i64),
    /// A nested object.
    Object(Vec<(&'static str, Value)>),
    /// A caller's object passed through (custom attributes, submitted values).
    Raw(crate::wire::raw::Raw),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => a == b,
            // Raw values compare by identity of shape only in tests; never equal here.
            _ => false,
        }
    }
}

/// One request of the public API, ready for the transport.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Method.
    pub method: Method,
    /// Path below the base URL, every dynamic segment percent-encoded, query included.
    pub path: String,
    /// Body.
    pub body: Body,
    /// Safe to repeat: retried on network errors, 5xx and 429.
    pub idempotent: bool,
    /// A contacts route, where a 500 means the identity (HMAC) was rejected.
    pub contacts_route: bool,
    /// The answer has no body (`head :ok`): it must not be parsed.
    pub empty_answer: bool,
}

impl Request {
    pub(crate) fn new(method: Method, path: String) -> Self {
        Request {
            method,
            idempotent: method == Method::Get,
            path,
            body: Body::Empty,
            contacts_route: false,
            empty_answer: false,
        }
    }
    pub(crate) fn json(mut self, body: Vec<(&'static str, Value)>) -> Self {
        self.body = Body::Json(body);
        self
    }
}
