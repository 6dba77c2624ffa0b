//! The log of public-API requests, exactly as they arrived, so tests can check what a
//! client really sent: the raw path with its percent-encoding, and every header.

use serde_json::{json, Map, Value};

#[derive(Clone, Debug)]
pub struct LoggedRequest {
    pub method: String,
    /// Path and query as received on the request line, undecoded.
    pub path: String,
    /// Lower-cased names; repeated headers joined with ", ".
    pub headers: Vec<(String, String)>,
}

impl LoggedRequest {
    pub fn to_json(&self) -> Value {
        let mut headers = Map::new();
        for (k, v) in &self.headers {
            headers.insert(k.clone(), Value::String(v.clone()));
        }
        json!({"method": self.method, "path": self.path, "headers": headers})
    }
}

/// Oldest first. Bounded so a long demo session cannot grow it without limit.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Vec<LoggedRequest>,
}

const MAX_ENTRIES: usize = 10_000;

impl RequestLog {
    pub fn push(&mut self, entry: LoggedRequest) {
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.remove(0);
        }
        self.entries.push(entry);
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn to_json(&self) -> Value {
        Value::Array(self.entries.iter().map(LoggedRequest::to_json).collect())
    }
}
