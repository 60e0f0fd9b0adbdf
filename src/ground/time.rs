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

/// The zone clock times are shown in, found the first time one is: finding the system's zone (or
/// checking a name) walks the zone database (/usr/share/zoneinfo). Done at every run it took a warm
/// prompt from 3.68M to 6.55M instructions (callgrind) and 2.7 to 3.7 ms (median of 400), though only
/// `{reset_at}` and `status` show a clock time.
#[derive(Clone, Debug, Default)]
pub struct Zone {
    /// An IANA name; empty for the system's.
    name: String,
    /// The zone, and why the name was not one (UTC stands in for it).
    found: std::cell::OnceCell<(jiff::tz::TimeZone, Option<String>)>,
}

impl Zone {
    pub fn named(name: &str) -> Zone {
        Zone { name: name.trim().to_owned(), found: std::cell::OnceCell::new() }
    }

    pub fn utc() -> Zone {
        let found = std::cell::OnceCell::new();
        let _ = found.set((jiff::tz::TimeZone::UTC, None));
        Zone { name: "UTC".into(), found }
    }

    pub fn get(&self) -> &jiff::tz::TimeZone {
        &self.looked_up().0
    }

    /// Why the name is no zone, looked up now if it was not yet (a prompt asks when it shows a clock
    /// time, and finds it then anyway).
    pub fn problem(&self) -> Option<&str> {
        self.looked_up().1.as_deref()
    }

    fn looked_up(&self) -> &(jiff::tz::TimeZone, Option<String>) {
        self.found.get_or_init(|| match zone(&self.name) {
            Ok(z) => (z, None),
            Err(e) => (jiff::tz::TimeZone::UTC, Some(e)),
        })
    }
}

/// Whether `name` could be a zone name, without reading the database (a prompt checks this much).
pub fn plausible_zone(name: &str) -> Result<(), String> {
    let n = name.trim();
    let ok = n.is_empty()
        || (n.len() <= 64 && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b)) && !n.contains(".."));
    if ok { Ok(()) } else { Err(format!("{n:?} is not a time zone name (an IANA name like Europe/Paris)")) }
}

/// A time zone by IANA name, or the system's (`TZ`, then `/etc/localtime`) for an empty name.
pub fn zone(name: &str) -> Result<jiff::tz::TimeZone, String> {
    if name.trim().is_empty() {
        return super::system_zone::of(std::env::var_os("TZ").as_deref());
    }
    jiff::tz::TimeZone::get(name.trim())
        .map_err(|_| format!("unknown time zone {:?} (an IANA name like Europe/Paris)", name.trim()))
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
