//! What one call sends.

use serde_json::Value;

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
    /// A JSON text.
    Json(String),
    /// Multipart form data: text fields; the transport appends the files as
    /// `attachments[]`, each with its own Content-Type.
    Multipart(Vec<(&'static str, String)>),
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
    pub(crate) fn json(mut self, body: Value) -> Self {
        self.body = Body::Json(body.to_string());
        self
    }
}
