//! From the ledger and the evidence to a runway: for each window (5 hours, 7 days), how full it is,
//! by whose account, when it resets, and whether the current rate empties it first. Pure: it reads no
//! file and sees no cache, only the ledger's answers and what the services said. From the best
//! evidence:
//!
//! 1. A reading the service reported, whose reset is still ahead: shown as it is while nothing was used
//!    locally since; otherwise carried forward with the local cost since, converted by the cost of one
//!    percent learned from the readings themselves (`≈`), until it is too old to trust.
//! 2. A reading whose reset has passed: that window is over; the next began with the first call after
//!    the reset, and its share is the local cost since then, converted the same way.
//! 3. No usable reading: the local estimate against the configured or learned limit (`~`).

pub mod burn;
pub mod evidence;
pub mod gauge;
pub mod limit;

use burn::{Burn, Projection};
use evidence::{Evidence, Trust, calibrate, effective};
use gauge::{Gauge, pace, to_empty};
use limit::{Configured, Limit, Measure, Source};

use crate::ground::block::Block;
use crate::ground::evidence::Reading;
use crate::ground::provider::Provider;
use crate::ground::time::{MINUTE_MS, WEEK_MS};
use crate::ground::tokens::Totals;
use crate::ground::window::Window;
use crate::ledger::Ledger;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BlockNow {
    pub block: Block,
    pub active: bool,
    pub burn: Option<Burn>,
    pub projection: Option<Projection>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Runway {
    pub provider: Provider,
    pub now: i64,
    /// The latest block with calls at or before `now`.
    pub block: Option<BlockNow>,
    pub week: Totals,
    /// The local limit of the 5-hour window (configured or learned), whatever the gauges show.
    pub limit: Limit,
    /// The 5-hour window; `None` when no window is running.
    pub five: Option<Gauge>,
    /// The 7-day window, when its share is known.
    pub seven: Option<Gauge>,
    /// The readings the gauges stood on (the newest that counts, per window).
    pub reading_five: Option<Reading>,
    pub reading_seven: Option<Reading>,
    pub unpriced: Vec<String>,
}

/// The settings the forecast takes.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub limits: Configured,
    pub trust: Trust,
}

/// For a block measured against a local limit: the used share, the minutes until the limit at the
/// block's burn rate, and the same when that comes before the block ends (a warning).
pub fn measure(b: &BlockNow, limit: &Limit, now: i64) -> (Option<f64>, Option<f64>, Option<f64>) {
    let Some(amount) = limit.amount().filter(|a| *a > 0.0) else { return (None, None, None) };
    if !b.active {
        return (Some(0.0), None, None);
    }
    let (used, per_minute) = match limit.measure {
        Measure::Cost => (b.block.totals.sums.cost as f64, b.burn.map(|r| r.cost_per_hour / 60.0)),
        Measure::Tokens => (b.block.totals.sums.total() as f64, b.burn.map(|r| r.tokens_per_minute)),
    };
    let empty = burn::minutes_to(used, amount, per_minute.unwrap_or(0.0));
    let before_reset = empty.filter(|m| now + (*m * MINUTE_MS as f64) as i64 <= b.block.end());
    (Some(used / amount * 100.0), empty, before_reset)
}

/// Everything one provider's runway needs from the ledger.
struct Local<'l, 'a> {
    ledger: &'l Ledger<'a>,
    now: i64,
    block: Option<BlockNow>,
}

impl Local<'_, '_> {
    /// The local burn, as percent a minute, for a window whose percent costs `cpp`.
    fn pct_per_minute(&self, w: Window, used: f64, resets_at: i64, cpp: Option<f64>) -> Option<f64> {
        match w {
            // The 5-hour window burns at the active block's rate.
            Window::FiveHour => {
                let b = self.block.filter(|b| b.active)?;
                Some(b.burn?.cost_per_hour / 60.0 / cpp?)
            }
            // A week is not worked around the clock: its rate is its average so far.
            Window::SevenDay => {
                let elapsed = (self.now - (resets_at - WEEK_MS)) as f64 / MINUTE_MS as f64;
                (elapsed > 0.0).then(|| used / elapsed)
            }
        }
    }

    fn gauge(&self, r: &Reading, source: Source, used: f64, resets_at: i64, cost: u64, cpp: Option<f64>) -> Gauge {
        let rate = self.pct_per_minute(r.window, used, resets_at, cpp);
        let (empty, limit) = to_empty(used, rate, resets_at, self.now);
        Gauge {
            window: r.window,
            source,
            used_percent: Some(used),
            cost,
            resets_at: Some(resets_at),
            minutes_to_limit: limit,
            minutes_to_empty: empty,
            pace: pace(used, resets_at, r.window, self.now),
            observed_at: Some(r.observed_at),
        }
    }

    /// A gauge from a reading whose reset is ahead (case 1), or `None` to fall back.
    fn carried(&self, r: &Reading, cpp: Option<f64>, trust: Trust) -> Option<Gauge> {
        let since = self.ledger.sum_between(r.observed_at, self.now);
        let age = self.now - r.observed_at;
        let (source, used) = if since.entries == 0 && age <= trust.horizon(r.window) {
            (Source::Server, r.used_percent)
        } else if let (Some(c), true) = (cpp, age <= trust.horizon(r.window)) {
            (Source::Extrapolated, r.used_percent + since.sums.cost as f64 / c)
        } else if age <= trust.fresh_ms {
            (Source::Server, r.used_percent)
        } else {
            return None;
        };
        let cost = self.ledger.sum_between(r.resets_at - r.window.len_ms(), self.now).sums.cost;
        Some(self.gauge(r, source, used, r.resets_at, cost, cpp))
    }

    /// A gauge after a reading's reset has passed (case 2): the next window began with the first
    /// call after it. `Some(None)` when no call came since (no window is running), `None` when nothing
    /// converts cost to a share.
    fn after_reset(&self, r: &Reading, cpp: Option<(f64, Source)>) -> Option<Option<Gauge>> {
        let (c, source) = cpp?;
        let w = r.window.len_ms();
        let mut start = self.ledger.first_after(r.resets_at, self.now);
        while let Some(s) = start {
            if s + w > self.now {
                break;
            }
            start = self.ledger.first_after(s + w, self.now);
        }
        let Some(s) = start else { return Some(None) };
        let cost = self.ledger.sum_between(s - 1, self.now).sums.cost;
        Some(Some(self.gauge(r, source, cost as f64 / c, s + w, cost, Some(c))))
    }
}

/// The cost of the block that held the newest "usage limit reached" notice, up to the notice: where
/// the limit really was (plans change, so the newest counts).
fn limit_hit(ledger: &Ledger, ev: &Evidence, now: i64) -> Option<(u64, u64)> {
    let at = ev.hits.iter().filter(|h| h.at <= now && h.window == Window::FiveHour).map(|h| h.at).max()?;
    let view = ledger.blocks_at(at);
    view.current().map(|b| (b.totals.sums.total(), b.totals.sums.cost))
}

pub fn compute(ledger: &Ledger, ev: &Evidence, now: i64, s: &Settings) -> Runway {
    let view = ledger.blocks_at(now);
    let block = view.current().map(|b| {
        let active = b.active(now);
        let burn = burn::burn(b);
        BlockNow { block: *b, active, burn, projection: active.then(|| burn::project(b, burn, now)) }
    });
    let local = Local { ledger, now, block };
    let cost_between = |a: i64, b: i64| ledger.sum_between(a, b).sums.cost;
    let cpp5 = calibrate(&ev.readings, Window::FiveHour, now, &cost_between);
    let cpp7 = calibrate(&ev.readings, Window::SevenDay, now, &cost_between);
    let hit = limit_hit(ledger, ev, now);
    let limit = limit::choose(&s.limits, cpp5, hit, view.largest_completed(now));

    let estimate = || -> Option<Gauge> {
        let b = block.filter(|b| b.active)?;
        let (used_percent, empty, minutes_to_limit) = measure(&b, &limit, now);
        Some(Gauge {
            window: Window::FiveHour,
            source: limit.source,
            used_percent,
            cost: b.block.totals.sums.cost,
            resets_at: Some(b.block.end()),
            minutes_to_limit,
            minutes_to_empty: empty,
            pace: used_percent.and_then(|u| pace(u, b.block.end(), Window::FiveHour, now)),
            observed_at: None,
        })
    };

    let r5 = effective(&ev.readings, Window::FiveHour, now).cloned();
    let five = match &r5 {
        Some(r) if r.resets_at > now => local.carried(r, cpp5, s.trust).or_else(estimate),
        Some(r) => {
            // What one percent of the 5-hour window costs: from readings, else from the local limit.
            let conv = cpp5.map(|c| (c, Source::Extrapolated)).or(limit.cost_per_percent().map(|c| (c, limit.source)));
            match local.after_reset(r, conv) {
                Some(g) => g,
                None => estimate(),
            }
        }
        None => estimate(),
    };
    let r7 = effective(&ev.readings, Window::SevenDay, now).cloned();
    let seven = match &r7 {
        Some(r) if r.resets_at > now => local.carried(r, cpp7, s.trust),
        Some(r) => local.after_reset(r, cpp7.map(|c| (c, Source::Extrapolated))).flatten(),
        None => None,
    };
    let week = ledger.week(now);
    let unpriced = ledger.unpriced_between(now - WEEK_MS, now);
    Runway {
        provider: ledger.provider(),
        now,
        block,
        week,
        limit,
        five,
        seven,
        reading_five: r5,
        reading_seven: r7,
        unpriced,
    }
}

impl Runway {
    /// The windows a segment shows: the 5-hour one, and the 7-day one when it binds (closer to its
    /// limit than the 5-hour window, or past the warning threshold).
    pub fn shown(&self, warn_at: f64) -> Vec<&Gauge> {
        let mut out: Vec<&Gauge> = self.five.iter().collect();
        if let Some(s) = &self.seven {
            let used7 = s.used_percent.unwrap_or(0.0);
            let used5 = self.five.as_ref().and_then(|g| g.used_percent);
            if used5.is_none_or(|u| used7 > u) || used7 >= warn_at {
                out.push(s);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::block::blocks;
    use crate::ground::time::HOUR_MS;
    use crate::ground::tokens::{Entry, Sums};

    const D: u64 = 1_000_000_000_000; // a dollar in pico-dollars

    fn block(costs: &[(i64, u64)]) -> Block {
        let es: Vec<Entry> = costs
            .iter()
            .map(|&(ts, c)| Entry { ts, model: 0, flags: 0, sums: Sums { output: 1, cost: c, ..Sums::default() } })
            .collect();
        blocks(&es)[0]
    }

    #[test]
    fn percent_and_warning_by_hand() {
        // $6 used between 10:00 and 11:00 ($6/h), limit $20, now 11:00, block ends 15:00.
        let s = 10 * HOUR_MS;
        let b = block(&[(s, 3 * D), (s + HOUR_MS, 3 * D)]);
        let now = s + HOUR_MS;
        let burn = burn::burn(&b);
        let bn = BlockNow { block: b, active: true, burn, projection: Some(burn::project(&b, burn, now)) };
        let limit = Limit {
            source: Source::Configured,
            measure: Measure::Cost,
            tokens: None,
            cost: Some(20 * D),
            learned: None,
        };
        let (pct, empty, warn) = measure(&bn, &limit, now);
        assert_eq!(pct, Some(30.0));
        // Projection $6 + 4 h x $6 = $30 > $20: the limit comes after (20 - 6) / 0.1 = 140 minutes.
        assert_eq!((empty, warn), (Some(140.0), Some(140.0)));
        // $40 lasts (40 - 6) / 0.1 = 340 minutes, past the 15:00 reset: no warning.
        let roomy = Limit { cost: Some(40 * D), ..limit };
        assert_eq!(measure(&bn, &roomy, now), (Some(15.0), Some(340.0), None));
    }

    #[test]
    fn the_week_shows_when_it_binds() {
        let g = |w, used| Gauge {
            window: w,
            source: Source::Server,
            used_percent: Some(used),
            cost: 0,
            resets_at: Some(1),
            minutes_to_limit: None,
            minutes_to_empty: None,
            pace: None,
            observed_at: None,
        };
        let mut r = Runway {
            provider: Provider::Claude,
            now: 0,
            block: None,
            week: Totals::default(),
            limit: limit::choose(&Configured::default(), None, None, None),
            five: Some(g(Window::FiveHour, 40.0)),
            seven: Some(g(Window::SevenDay, 30.0)),
            reading_five: None,
            reading_seven: None,
            unpriced: vec![],
        };
        assert_eq!(r.shown(70.0).len(), 1, "the 5-hour window binds");
        r.seven = Some(g(Window::SevenDay, 55.0));
        assert_eq!(r.shown(70.0).len(), 2, "closer to its limit");
        r.five = Some(g(Window::FiveHour, 90.0));
        r.seven = Some(g(Window::SevenDay, 75.0));
        assert_eq!(r.shown(70.0).len(), 2, "past the warning threshold");
    }
}
