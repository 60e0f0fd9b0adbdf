//! Milliseconds since the Unix epoch, UTC, everywhere: parsing and printing RFC 3339 once.

pub const SECOND_MS: i64 = 1_000;
pub const MINUTE_MS: i64 = 60 * SECOND_MS;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;
pub const WEEK_MS: i64 = 7 * DAY_MS;

/// The real clock.
pub fn wall_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

pub fn floor_hour(ts: i64) -> i64 {
    ts.div_euclid(HOUR_MS) * HOUR_MS
}

/// RFC 3339 (with an offset, `Z` or `±hh:mm`) to milliseconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let t: jiff::Timestamp = s.trim().parse().ok()?;
    Some(t.as_millisecond())
}

/// `2026-02-12T21:00:05.557Z`, or `2026-02-12T21:30:00Z` on a whole second.
pub fn rfc3339(ms: i64) -> String {
    let Ok(t) = jiff::Timestamp::from_millisecond(ms) else { return String::new() };
    let secs = t.strftime("%Y-%m-%dT%H:%M:%S");
    match ms.rem_euclid(SECOND_MS) {
        0 => format!("{secs}Z"),
        m => format!("{secs}.{m:03}Z"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(parse_rfc3339("2026-02-12T16:02:27.718Z"), Some(1_770_912_147_718));
        assert_eq!(parse_rfc3339("2026-02-12T17:02:27.718+01:00"), Some(1_770_912_147_718));
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2026-02-12T16:02:27"), None, "no offset, no instant");
        assert_eq!(rfc3339(1_770_912_147_718), "2026-02-12T16:02:27.718Z");
        assert_eq!(rfc3339(1_770_912_000_000), "2026-02-12T16:00:00Z");
        assert_eq!(rfc3339(1_770_912_000_005), "2026-02-12T16:00:00.005Z");
    }

    #[test]
    fn floors_to_the_utc_hour() {
        assert_eq!(floor_hour(1_770_912_147_718), 1_770_912_000_000);
        assert_eq!(floor_hour(-1), -HOUR_MS);
    }
}
