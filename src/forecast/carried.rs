//! Gauges that stand on a service's reading. A subscriber's windows are account-wide: a browser, a
//! second machine or CI draw from them too, and none of that is on this disk. So a reading's level
//! is never put down to local use. What local use explains of it is measured (`coverage`, by the
//! known cost of a percent: learned from the readings' changes, see `calibration`, or a limit where
//! 100% really is), the rest is use elsewhere, an offset; and the rate comes first from the
//! readings' own rises, whatever machine caused them, with local calls converted to percent only for
//! the time no reading covers.

use super::evidence::{Rise, Trust};
use super::gauge::Gauge;
use super::limit::{Learned, Limit, Source};
use super::local::Local;
use super::rate;
use crate::ground::evidence::Reading;
use crate::ground::tokens::Totals;
use crate::ground::window::Window;

/// What the readings of one window say about its rate: the rises between successive readings, and
/// the stretch from the first reading to the newest (local calls inside it are in the rises).
#[derive(Clone, Debug, Default)]
pub(super) struct Trend {
    pub rises: Vec<Rise>,
    pub span: Option<(i64, i64)>,
}

impl Trend {
    pub fn of(window_readings: &[&Reading], rises: Vec<Rise>) -> Trend {
        let first = window_readings.iter().map(|r| r.observed_at).min();
        let newest = window_readings.iter().map(|r| r.observed_at).max();
        Trend { rises, span: first.zip(newest) }
    }

    fn covers(&self, t: i64) -> bool {
        self.span.is_some_and(|(a, b)| t > a && t <= b)
    }

    /// Whether `t` comes after the newest reading.
    fn after(&self, t: i64) -> bool {
        self.span.is_some_and(|(_, b)| t > b)
    }
}

/// The share of a reading's level that local use explains: local cost in the window up to the
/// reading, converted by the cost of a percent, over the level; at most 1. `None` while nothing
/// converts cost to a share, or the reading is 0%.
pub fn coverage(local_cost: f64, per_percent: Option<f64>, reported: f64) -> Option<f64> {
    let c = per_percent.filter(|c| *c > 0.0)?;
    (reported > 0.0).then(|| (local_cost / c / reported).min(1.0))
}

impl Local<'_, '_> {
    /// A gauge of `window` `used` percent full, resetting at `resets_at`; `per_percent` converts local
    /// cost to percent (pico-dollars a percent), `trend` is what the readings say of the rate.
    #[allow(clippy::too_many_arguments)]
    pub fn gauge(
        &self,
        window: Window,
        source: Source,
        used: f64,
        resets_at: i64,
        per_percent: Option<f64>,
        observed_at: Option<i64>,
        window_totals: Totals,
        trend: &Trend,
    ) -> Gauge {
        let since = resets_at - window.len_ms();
        let calls = self.recent(since);
        let last = calls.last().map(|e| e.ts);
        let outside: Vec<(i64, f64)> = calls
            .iter()
            .filter(|e| !trend.covers(e.ts))
            .map(|e| (e.ts, super::limit::Measure::Cost.of(&e.sums)))
            .collect();
        // A rise counts over its whole stretch, the part of it older than the rate's memory weighing
        // next to nothing: 38 points over a day squeezed into the three hours inside the memory read
        // as 10%/h, not 1.2%/h, and a week 93% full warned it would fill in 42 minutes.
        let memory = self.now - rate::MEMORY_MS;
        let spread: Vec<(i64, i64, f64)> =
            trend.rises.iter().filter(|r| r.to > memory).map(|r| (r.from, r.to, r.points)).collect();
        let per_percent = per_percent.filter(|c| *c > 0.0);
        // In percent: the calls no reading covers, when a percent's cost converts them.
        let local: Vec<(i64, f64)> = match per_percent {
            Some(c) => outside.iter().map(|(t, a)| (*t, a / c)).collect(),
            None => Vec::new(),
        };
        let pct_rate = match per_percent {
            // Nothing burning is 0% a minute whatever a percent costs.
            _ if outside.is_empty() && spread.is_empty() => Some(0.0),
            Some(_) => Some(rate::present_spread(&local, &spread, since, self.now)),
            // The readings' trend alone: local calls since cannot be converted yet.
            None if !spread.is_empty() => Some(rate::present_spread(&[], &spread, since, self.now)),
            None => None,
        };
        let steady = rate::steady(&local, &spread, self.now);
        let o = rate::outlook(used, pct_rate.unwrap_or(0.0), steady, resets_at, last, self.now);
        Gauge {
            used_percent: Some(used),
            rate_floor: per_percent.is_none() && pct_rate.is_some() && outside.iter().any(|(t, _)| trend.after(*t)),
            observed_at,
            ..Gauge::new(window, source, Some(resets_at)).with_totals(&window_totals)
        }
        .with_outlook(&o, pct_rate)
    }

    /// A gauge from a reading whose reset is ahead: the reading as it is while nothing was used
    /// since it; with use since, carried forward by the known cost of a percent (`known`: learned
    /// from the readings' rises, or a limit where 100% really is); without one, the reading as it is,
    /// and once it is older than `trust.fresh_ms`, the larger of the reading as a floor (`+`: the
    /// window holds at least that) and the local estimate of its window against a limit guessed from
    /// this machine's own blocks (`~`). The rate converts local calls by `known`, else by that guess,
    /// as the estimate with no reading does; never by a reading's floor, which is worked out from the
    /// level of the very reading (a 40% reading half an hour old read `~66% ⚠ 41m` by it).
    pub fn carried(&self, r: &Reading, trend: &Trend, known: Option<f64>, trust: Trust, limit: &Limit) -> Gauge {
        // The other devices' use counts from the hour after the reading on: the hour it fell in was
        // partly in it already.
        let after = crate::ground::time::floor_hour(r.observed_at) + crate::ground::time::HOUR_MS;
        let since_mine = self.ledger.sum_between(r.observed_at, self.now);
        let since = since_mine + self.elsewhere_between(after - 1, self.now);
        let age = self.now - r.observed_at;
        let start = r.resets_at - r.window.len_ms();
        let window_mine = self.ledger.sum_between(start - 1, self.now);
        let totals = window_mine + self.elsewhere_between(start - 1, self.now);
        // This machine's use in the window up to the reading (the other devices' is use elsewhere, as
        // `status` words it): the window's, less what came since.
        let before = window_mine.sums.cost.saturating_sub(since_mine.sums.cost) as f64;
        // A guessed limit would make coverage up (a reading's floor, taken from this reading, explains
        // all of it): `known` only.
        let explained = coverage(before, known, r.used_percent);
        let guess = (r.window == Window::FiveHour && limit.learned == Some(Learned::LargestBlock))
            .then(|| limit.cost_per_percent())
            .flatten();
        let stale = since.entries > 0 && known.is_none() && age > trust.fresh_ms;
        if stale && guess.is_some() {
            let estimate = self.estimate(r.window, r.resets_at, limit, Some(r.observed_at));
            if estimate.used_percent.is_some_and(|e| e > r.used_percent) {
                return Gauge { coverage: explained, ..estimate };
            }
        }
        let (source, used) = match known {
            Some(c) if since.entries > 0 => (Source::Extrapolated, r.used_percent + since.sums.cost as f64 / c),
            _ => (Source::Server, r.used_percent),
        };
        let g = self.gauge(r.window, source, used, r.resets_at, known.or(guess), Some(r.observed_at), totals, trend);
        Gauge { coverage: explained, partial: stale, ..g }
    }

    /// The end of the window that followed reading `r`'s, when one is running: it began at the
    /// first use at or after the reset (this machine's call, or another device's hour), and so on
    /// for as many windows as have passed. A service whose reset was on the hour starts its windows
    /// on the hour (Claude's; a block does too), so the window starts at that use's hour, not before
    /// the reset; one whose reset was not (Codex's, `11:35:29`) starts them at the first use: taken to
    /// the hour, a window begun at 11:31 ended at 16:00, and its figure left the prompt half an hour
    /// early while it crossed. `None` when nothing was used since the last of them ended.
    pub fn next_window(&self, r: &Reading) -> Option<i64> {
        let w = r.window.len_ms();
        let first_from = |t: i64| -> Option<i64> {
            let mine = self.ledger.first_after(t - 1, self.now);
            let theirs =
                self.elsewhere.iter().filter(|(h, n, _)| *n > 0 && *h >= t && *h <= self.now).map(|(h, _, _)| *h).min();
            mine.into_iter().chain(theirs).min()
        };
        let on_the_hour = r.resets_at % crate::ground::time::HOUR_MS == 0;
        let mut from = r.resets_at;
        while let Some(first) = first_from(from) {
            let start = if on_the_hour { crate::ground::time::floor_hour(first).max(from) } else { first };
            if start + w > self.now {
                return Some(start + w);
            }
            from = start + w;
        }
        None
    }

    /// The week after a reading's reset has passed (see `next_window`): its cost since it began,
    /// converted by the cost of a percent learned from the readings, `cpp`; an estimate (`~`), as no
    /// reading of it stands under it.
    pub fn after_reset(&self, r: &Reading, cpp: f64) -> Option<Gauge> {
        let end = self.next_window(r)?;
        let t = self.all_between(end - r.window.len_ms() - 1, self.now);
        let used = t.sums.cost as f64 / cpp;
        Some(self.gauge(r.window, Source::History, used, end, Some(cpp), None, t, &Trend::default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_by_hand() {
        // $7 of local use before a 63.5% reading, a percent costing $1.00: local use explains 7 of the
        // 63.5 points, 11%.
        let d = 1e12;
        let c = coverage(7.0 * d, Some(d), 63.5).unwrap();
        assert!((c - 7.0 / 63.5).abs() < 1e-12, "{c}");
        // Local use explains more than was reported (a percent learned too cheap): all of it, no more.
        assert_eq!(coverage(90.0 * d, Some(d), 63.5), Some(1.0));
        assert_eq!(coverage(7.0 * d, None, 63.5), None, "unknown until a percent's cost is learned");
        assert_eq!(coverage(7.0 * d, Some(d), 0.0), None);
    }
}
