//! When to try a request again, and how long to wait first.

use chatwoot_inbox_model::lenient::digits;

/// First backoff step; doubled each attempt, with jitter.
const BASE_MS: f64 = 250.0;
/// No wait is longer than this, whatever the server asks.
const CAP_MS: f64 = 30_000.0;

/// Whether a status is worth repeating an idempotent request for.
pub fn retryable_status(status: u16) -> bool {
    status == 429 || status >= 500
}

/// Wait before attempt `attempt` (1 = the first retry): the server's `Retry-After` when
/// it gave one, else jittered exponential backoff. `random` is in [0, 1).
pub fn delay_ms(attempt: u32, retry_after_ms: Option<u64>, random: f64) -> u64 {
    if let Some(ms) = retry_after_ms {
        return (ms as f64).min(CAP_MS) as u64;
    }
    let ceiling = (BASE_MS * f64::from(1u32 << attempt.min(8))).min(CAP_MS);
    // Full jitter, but never less than a tenth of the step, so retries are not instant.
    (ceiling * (0.1 + 0.9 * random)) as u64
}

/// Parses `Retry-After`: delta seconds, or an HTTP date (`Wed, 21 Oct 2015 07:28:00
/// GMT`) relative to `now_ms`. `None` for anything else, or a date in the past.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim_ascii();
    if !value.starts_with('-') {
        if let Some(secs) = digits(value) {
            return u64::try_from(secs).ok()?.checked_mul(1000);
        }
    }
    let at = http_date(value)?;
    (at > now_ms).then(|| at.saturating_sub(now_ms))
}

/// An HTTP date (RFC 9110 §5.6.7) as ms since the epoch.
fn http_date(s: &str) -> Option<u64> {
    let at = httpdate::parse_http_date(s).ok()?;
    let ms = at.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis();
    u64::try_from(ms).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("2", 0), Some(2000));
        assert_eq!(parse_retry_after(" 120 ", 0), Some(120_000));
        let at = 1_445_412_480_000; // 2015-10-21T07:28:00Z
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", at - 5000),
            Some(5000)
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", at + 1),
            None,
            "past"
        );
        for bad in [
            "",
            "soon",
            "-1",
            "1.5",
            "Wed, 21 Foo 2015 07:28:00 GMT",
            "21 Oct 2015",
        ] {
            assert_eq!(parse_retry_after(bad, 0), None, "{bad}");
        }
    }

    #[test]
    fn backoff_is_jittered_capped_and_honours_the_server() {
        assert_eq!(delay_ms(1, Some(1500), 0.5), 1500);
        assert_eq!(delay_ms(1, Some(90_000), 0.5), 30_000);
        assert!((50..=500).contains(&delay_ms(1, None, 0.0)));
        assert!(delay_ms(12, None, 0.999) <= 30_000);
    }
}
