//! Calendar periods in a time zone: the local day, week (from Monday, as ccusage's weekly report) and
//! month a call falls in. A day is not always 24 hours (a daylight-saving change makes it 23 or 25),
//! so boundaries come from the zone's rules, never from adding milliseconds.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Day,
    Week,
    Month,
}

/// The periods of one unit in one zone. Calls come in time order, so the current period's bounds are
/// kept and the zone consulted only when a call falls past them: a few hundred lookups for a history
/// instead of one per call.
pub struct Calendar {
    unit: Unit,
    tz: TimeZone,
    /// `[start, end)` in ms of the period last asked about, and its first day.
    current: Option<(i64, i64, Date)>,
}

impl Calendar {
    pub fn new(unit: Unit, tz: TimeZone) -> Calendar {
        Calendar { unit, tz, current: None }
    }

    /// The first local day of the period `ts` falls in.
    pub fn period_of(&mut self, ts: i64) -> Date {
        if let Some((s, e, d)) = self.current
            && ts >= s
            && ts < e
        {
            return d;
        }
        let (s, e, d) = self.bounds(ts);
        self.current = Some((s, e, d));
        d
    }

    fn bounds(&self, ts: i64) -> (i64, i64, Date) {
        let day =
            Timestamp::from_millisecond(ts).unwrap_or(Timestamp::UNIX_EPOCH).to_zoned_datetime(self.tz.clone()).date();
        let first = match self.unit {
            Unit::Day => day,
            Unit::Week => day.checked_sub((day.weekday().to_monday_zero_offset() as i64).days()).unwrap_or(day),
            Unit::Month => day.first_of_month(),
        };
        let next = match self.unit {
            Unit::Day => first.tomorrow(),
            Unit::Week => first.checked_add(7.days()),
            Unit::Month => first.checked_add(1.month()),
        };
        let at = |d: Date| d.to_zoned_datetime(self.tz.clone()).map(|z| z.timestamp().as_millisecond());
        match (at(first), next.map(at)) {
            (Ok(s), Ok(Ok(e))) => (s, e, first),
            // Out of the calendar's range: a period of this instant alone.
            _ => (ts, ts + 1, first),
        }
    }

    /// How ccusage names the period: `2026-02-11` (a day, or a week by its Monday), `2026-02`.
    pub fn name(&self, d: Date) -> String {
        match self.unit {
            Unit::Day | Unit::Week => d.to_string(),
            Unit::Month => format!("{:04}-{:02}", d.year(), d.month()),
        }
    }
}

/// Midnight at the start of a local date, in ms (for `--since`).
pub fn start_of(d: Date, tz: &TimeZone) -> Option<i64> {
    d.to_zoned_datetime(tz.clone()).ok().map(|z| z.timestamp().as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::time::{HOUR_MS, parse_rfc3339};

    fn at(s: &str) -> i64 {
        parse_rfc3339(s).unwrap()
    }

    #[test]
    fn days_follow_the_zone_across_a_daylight_saving_change() {
        // Paris moved to summer time at 01:00 UTC on 29 March 2026: that local day lasted 23 hours.
        let tz = crate::ground::zone::zone("Europe/Paris", &crate::ground::env::Env::default()).unwrap();
        let mut c = Calendar::new(Unit::Day, tz.clone());
        assert_eq!(c.period_of(at("2026-03-28T22:59:00Z")).to_string(), "2026-03-28", "23:59 in Paris");
        assert_eq!(c.period_of(at("2026-03-28T23:00:00Z")).to_string(), "2026-03-29", "midnight, winter time");
        assert_eq!(c.period_of(at("2026-03-29T21:59:00Z")).to_string(), "2026-03-29", "23:59, summer time");
        assert_eq!(c.period_of(at("2026-03-29T22:00:00Z")).to_string(), "2026-03-30");
        let (s, e, _) = c.bounds(at("2026-03-29T12:00:00Z"));
        assert_eq!(e - s, 23 * HOUR_MS);
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        let mut w = Calendar::new(Unit::Week, TimeZone::UTC);
        // Wednesday 11 February 2026 is in the week of Monday the 9th; Sunday the 15th too.
        assert_eq!(w.period_of(at("2026-02-11T20:00:00Z")).to_string(), "2026-02-09");
        assert_eq!(w.period_of(at("2026-02-15T23:59:59Z")).to_string(), "2026-02-09");
        assert_eq!(w.period_of(at("2026-02-16T00:00:00Z")).to_string(), "2026-02-16");
        let mut m = Calendar::new(Unit::Month, TimeZone::UTC);
        let d = m.period_of(at("2026-02-28T23:00:00Z"));
        assert_eq!(m.name(d), "2026-02");
        let d = m.period_of(at("2026-03-01T00:00:00Z"));
        assert_eq!(m.name(d), "2026-03");
    }
}
