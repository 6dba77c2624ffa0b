//! Timestamps: the server mixes int seconds, float seconds and ISO-8601 strings, and
//! uses `0`/null for "never" (reference §9.3). All become integer milliseconds or `None`.

/// Whole seconds as milliseconds; "never" (`0`, negative, absurd) is `None`.
pub fn from_seconds_int(secs: i64) -> Option<i64> {
    (secs > 0 && secs < 10_000_000_000_000).then(|| secs.saturating_mul(1000))
}

/// Fractional seconds as milliseconds.
pub fn from_seconds(secs: f64) -> Option<i64> {
    seconds_to_ms(secs)
}

/// A plain decimal number: digits with an optional sign and fraction, nothing else.
fn decimal(s: &str) -> Option<f64> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit());
    if digits(int) && digits(frac) {
        s.parse().ok()
    } else {
        None
    }
}

fn seconds_to_ms(secs: f64) -> Option<i64> {
    (secs > 0.0 && secs < 1.0e13).then(|| (secs * 1000.0).round() as i64)
}

/// A timestamp given as text: ISO-8601 / RFC 3339, or a number of seconds.
pub fn parse_text(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some(secs) = decimal(s) {
        return seconds_to_ms(secs);
    }
    parse_iso(s).filter(|ms| *ms > 0)
}

// Every operand below is bounded by the number of digits read (a 4-digit year, 2-digit
// fields), so no sum or product can overflow an i64.
#[allow(clippy::arithmetic_side_effects)]
/// Parses `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]`, or a bare date.
pub fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from.checked_add(len)?)?;
        digits.iter().try_fold(0i64, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return days.checked_mul(86_400_000);
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let mut scale = 100;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            millis += i64::from(c - b'0') * scale;
            scale /= 10;
            i += 1;
        }
    }
    let offset_minutes = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) => {
            let h = num(i + 1, 2)?;
            let m = if b.get(i + 3) == Some(&b':') {
                num(i + 4, 2)?
            } else {
                num(i + 3, 2)?
            };
            let end = if b.get(i + 3) == Some(&b':') {
                i + 6
            } else {
                i + 5
            };
            if end != b.len() || h > 23 || m > 59 {
                return None;
            }
            let total = h * 60 + m;
            if *sign == b'+' {
                total
            } else {
                -total
            }
        }
        _ => return None,
    };
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    secs.checked_mul(1000)?.checked_add(millis)
}

#[allow(clippy::arithmetic_side_effects)] // bounded: the year has at most 4 digits
/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Option<i64> {
        serde_json::from_str::<crate::lenient::Scalar>(json)
            .unwrap()
            .millis()
    }

    #[test]
    fn every_server_shape_becomes_milliseconds() {
        assert_eq!(read("1717000123"), Some(1_717_000_123_000));
        assert_eq!(read("1723801933.123456"), Some(1_723_801_933_123));
        assert_eq!(
            read(r#""2024-08-16T09:52:13.373Z""#),
            Some(1_723_801_933_373)
        );
        assert_eq!(
            read(r#""2024-08-16T11:52:13.373+02:00""#),
            Some(1_723_801_933_373)
        );
        assert_eq!(
            read(r#""2024-08-16T04:52:13-0500""#),
            Some(1_723_801_933_000)
        );
        assert_eq!(read(r#""1717000123""#), Some(1_717_000_123_000));
        assert_eq!(read(r#""2026-05-01""#), Some(1_777_593_600_000));
    }

    #[test]
    fn never_and_garbage_are_none() {
        for json in [
            "0",
            "0.0",
            "null",
            "-5",
            r#""""#,
            r#""soon""#,
            r#""2024-13-01T00:00:00Z""#,
            r#""2024-08-16T09:52:13Zjunk""#,
            "[1]",
            "{}",
            "true",
        ] {
            assert_eq!(read(json), None, "{json}");
        }
    }

    #[test]
    fn leap_days_and_epoch() {
        assert_eq!(parse_iso("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_iso("2024-02-29T00:00:00Z"), Some(1_709_164_800_000));
        assert_eq!(parse_iso("2000-03-01T00:00:00.5Z"), Some(951_868_800_500));
    }
}
