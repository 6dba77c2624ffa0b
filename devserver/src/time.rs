//! Clock and the two time formats Chatwoot mixes on the wire: integer unix seconds
//! (messages, conversations) and ISO-8601 with milliseconds (contact records, CSAT).
//! Done by hand to keep the dependency tree small.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the unix epoch; all stored timestamps use this unit so that
/// ordering within one second is still stable.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// What Rails' `to_i` gives for a timestamp: whole seconds, rounded down.
pub fn secs(ms: i64) -> i64 {
    ms.div_euclid(1000)
}

/// Days since the epoch of the UTC calendar date containing `ms`; Rails compares
/// `created_at.to_date` for the CSAT 14-day window, so whole dates matter, not hours.
pub fn utc_day(ms: i64) -> i64 {
    ms.div_euclid(86_400_000)
}

/// `2026-05-01T10:00:00.123Z`, as ActiveSupport's JSON encoding renders a time
/// (`ActiveSupport::JSON::Encoding.time_precision` = 3).
pub fn iso_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let hh = rem / 3_600_000;
    let mm = rem / 60_000 % 60;
    let ss = rem / 1000 % 60;
    let milli = rem % 1000;
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{milli:03}Z")
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_iso_with_millis() {
        assert_eq!(iso_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_ms(1_777_629_600_123), "2026-05-01T10:00:00.123Z");
        assert_eq!(iso_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn seconds_round_down() {
        assert_eq!(secs(1_999), 1);
        assert_eq!(utc_day(86_400_000 * 3 + 5), 3);
    }
}
