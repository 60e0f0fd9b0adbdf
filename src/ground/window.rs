//! The quota windows the services enforce: five hours and seven days; a spend limit's period
//! (Claude Code's `rate_limits.spend_limit`, an organisation's monthly allowance), whose reset is at
//! most a month and a day away; and a calendar month (GitHub Copilot's premium requests, which
//! reset on the first of each month, UTC).

use super::time::{HOUR_MS, WEEK_MS};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Window {
    FiveHour = 0,
    SevenDay = 1,
    Spend = 2,
    Month = 3,
}

impl Window {
    pub fn from_u8(v: u8) -> Option<Window> {
        match v {
            0 => Some(Window::FiveHour),
            1 => Some(Window::SevenDay),
            2 => Some(Window::Spend),
            3 => Some(Window::Month),
            _ => None,
        }
    }

    /// Codex names its windows by length, never by position.
    pub fn from_minutes(minutes: i64) -> Option<Window> {
        match minutes {
            300 => Some(Window::FiveHour),
            10_080 => Some(Window::SevenDay),
            _ => None,
        }
    }

    pub fn len_ms(self) -> i64 {
        match self {
            Window::FiveHour => 5 * HOUR_MS,
            Window::SevenDay => WEEK_MS,
            Window::Spend | Window::Month => 32 * 24 * HOUR_MS,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Window::FiveHour => "5h",
            Window::SevenDay => "7d",
            Window::Spend => "spend",
            Window::Month => "mo",
        }
    }

    /// The name in `status --json` and in the readings file.
    pub fn key(self) -> &'static str {
        match self {
            Window::FiveHour => "five_hour",
            Window::SevenDay => "seven_day",
            Window::Spend => "spend_limit",
            Window::Month => "month",
        }
    }
}

/// The calendar month (UTC) holding `t`: its first instant, and the first of the next.
pub fn month_of(t: i64) -> (i64, i64) {
    let day = jiff::Timestamp::from_millisecond(t).map(|x| x.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    let Ok(day) = day else { return (t, t) };
    let first = day.first_of_month();
    let next = first.checked_add(jiff::Span::new().months(1)).unwrap_or(first);
    let ms = |d: jiff::civil::Date| {
        d.to_zoned_datetime(jiff::tz::TimeZone::UTC).map_or(t, |z| z.timestamp().as_millisecond())
    };
    (ms(first), ms(next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_begin_on_the_first_utc() {
        // 2026-02-12T21:30:00Z: February 2026 runs from 1 Feb to 1 Mar (28 days).
        let (from, to) = month_of(1_770_931_800_000);
        assert_eq!(from, 1_769_904_000_000);
        assert_eq!(to - from, 28 * 24 * HOUR_MS);
        // The last millisecond of a month is in it; the next one is not.
        assert_eq!(month_of(to - 1).1, to);
        assert_eq!(month_of(to).0, to);
    }
}
