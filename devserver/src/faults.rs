//! Faults the control API arms for the next matching public-API requests, so a
//! client's error handling can be tested against every way a server misbehaves.

use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer this status with the production JSON error body.
    Status(u16),
    /// Rack::Attack's 429; `Retry-After` only when a proxy would add one.
    RateLimit { retry_after: Option<u64> },
    /// Wait, then answer normally.
    Delay(Duration),
    /// Read the request body at this many bytes per second, then answer normally (a
    /// slow uplink: the client's upload progress advances as the server reads).
    SlowUpload(u64),
    /// 200 `application/json` with a truncated body.
    Malformed,
    /// Close the connection without answering.
    Reset,
    /// Answer these bytes with this status and content type (any body a broken or
    /// hostile server might send: huge, deep, not UTF-8).
    Body {
        status: u16,
        content_type: String,
        bytes: bytes::Bytes,
    },
}

#[derive(Clone, Debug)]
pub struct Fault {
    pub kind: FaultKind,
    /// Uses left; `None` fires until the faults are cleared.
    pub remaining: Option<u32>,
    /// Chance (0..=1) that a matching request gets the fault; a request it spares is
    /// not counted and may still get a later armed fault.
    pub probability: Option<f64>,
    /// Substring of the raw path (query included) the request must contain.
    pub path_contains: Option<String>,
    /// HTTP method the request must have (any case).
    pub method: Option<String>,
}

impl Fault {
    fn matches(&self, method: &str, raw_path: &str) -> bool {
        self.remaining.is_none_or(|n| n > 0)
            && self
                .path_contains
                .as_deref()
                .is_none_or(|p| raw_path.contains(p))
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
    }
}

/// Armed faults, oldest first; the oldest match fires.
#[derive(Debug, Default)]
pub struct FaultBook {
    list: Vec<Fault>,
}

impl FaultBook {
    pub fn add(&mut self, fault: Fault) {
        self.list.push(fault);
    }

    pub fn clear(&mut self) {
        self.list.clear();
    }

    /// Consume one use of the first fault matching this request (and, for a fault
    /// with a probability, winning its draw).
    pub fn take(&mut self, method: &str, raw_path: &str) -> Option<FaultKind> {
        let i = self.list.iter().position(|f| {
            f.matches(method, raw_path) && f.probability.is_none_or(|p| fastrand::f64() < p)
        })?;
        let fault = self.list.get_mut(i)?;
        let kind = fault.kind.clone();
        if let Some(n) = fault.remaining.as_mut() {
            *n -= 1;
            if *n == 0 {
                self.list.remove(i);
            }
        }
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_and_filters() {
        let mut book = FaultBook::default();
        book.add(Fault {
            kind: FaultKind::Malformed,
            remaining: Some(2),
            probability: None,
            path_contains: Some("/messages".into()),
            method: Some("post".into()),
        });
        assert_eq!(book.take("GET", "/x/messages"), None);
        assert_eq!(book.take("POST", "/x/contacts"), None);
        assert_eq!(book.take("POST", "/x/messages"), Some(FaultKind::Malformed));
        assert_eq!(book.take("POST", "/x/messages"), Some(FaultKind::Malformed));
        assert_eq!(book.take("POST", "/x/messages"), None);
    }

    #[test]
    fn unlimited_and_probable() {
        let mut book = FaultBook::default();
        book.add(Fault {
            kind: FaultKind::Reset,
            remaining: None,
            probability: Some(0.0),
            path_contains: None,
            method: None,
        });
        book.add(Fault {
            kind: FaultKind::Malformed,
            remaining: None,
            probability: Some(1.0),
            path_contains: None,
            method: None,
        });
        for _ in 0..50 {
            assert_eq!(book.take("GET", "/x"), Some(FaultKind::Malformed));
        }
        book.clear();
        assert_eq!(book.take("GET", "/x"), None);
    }
}
