//! When to try again, and how long to wait first.

/// First backoff step; doubled each attempt, with full jitter.
const BASE_MS: f64 = 250.0;
/// No wait is longer than this, whatever the server asks.
const CAP_MS: f64 = 30_000.0;

/// Whether a status is worth repeating an idempotent request for.
pub fn retryable_status(status: u16) -> bool {
    status == 429 || status >= 500
}

/// Wait before attempt `attempt` (1 = the first retry): the server's `Retry-After` when
/// it gave one, else jittered exponential backoff. `random` is in [0, 1).
pub fn delay_ms(attempt: u32, retry_after_ms: Option<u64>, random: f64) -> f64 {
    if let Some(ms) = retry_after_ms {
        return (ms as f64).min(CAP_MS);
    }
    let ceiling = (BASE_MS * f64::from(1u32 << attempt.min(8))).min(CAP_MS);
    // Full jitter, but never less than a tenth of the step, so retries are not instant.
    ceiling * (0.1 + 0.9 * random)
}

/// Parses `Retry-After`: delta seconds, or an HTTP date relative to `now_ms`.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return secs.checked_mul(1000);
    }
    let at = js_sys::Date::parse(value);
    (at.is_finite() && at > now_ms).then_some((at - now_ms) as u64)
}
