//! From the ledger and the evidence to a runway: for each window (5 hours, 7 days), how full it is,
//! by whose account, when it resets, and where the present rate takes it. Pure: it reads no file and
//! sees no cache, only the ledger's answers and what the services said.
//!
//! The share, from the best evidence:
//!
//! 1. A reading the service reported, whose reset is still ahead: shown as it is while nothing was used
//!    locally since; otherwise carried forward with the local cost since, converted by the cost of one
//!    percent learned from the readings themselves (`≈`); without that cost, shown as is while fresh,
//!    then the local estimate of the same window. The reading's reset stays the window's reset.
//! 2. A reading whose reset has passed: that window is over; the next began with the first call after
//!    the reset, and its share is the local cost since then, converted the same way.
//! 3. No usable reading: the local 5-hour block against the configured or learned limit (`~`).
//!
//! Where it is going: the present rate (see `rate`), the same for every surface.

pub mod binding;
pub mod burn;
pub mod evidence;
pub mod gauge;
pub mod limit;
pub mod rate;

use burn::{Burn, Projection};
use evidence::{Evidence, Trust, calibrate, effective};
use gauge::Gauge;
use limit::{Configured, Limit, Measure, Source};

use crate::ground::block::Block;
use crate::ground::evidence::Reading;
use crate::ground::provider::Provider;
use crate::ground::time::WEEK_MS;
use crate::ground::tokens::{Pico, Totals};
use crate::ground::window::{Window, month_of};
use crate::ledger::Ledger;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BlockNow {
    pub block: Block,
    pub active: bool,
    /// The present rate over the block's calls.
    pub burn: Option<Burn>,
    /// Where the present rate takes the block by its end.
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
    /// Every window whose share is known or running: the main pool's windows in the order the
    /// provider lists them (the 5 hours when one is running, the week when its share is known),
    /// then the separate allowances the service reported (Codex's other `limit_id`s, a per-model
    /// weekly limit, a spend limit), by name.
    pub gauges: Vec<Gauge>,
    /// The readings of the main pool the gauges stood on (the newest that counts, per window).
    pub readings: Vec<Reading>,
    /// The service reports only the week for this account: there is no 5-hour window.
    pub weekly_only: bool,
    pub unpriced: Vec<String>,
    /// Models priced as their family's newest known model, in the last seven days.
    pub assumed: Vec<String>,
}

/// The settings the forecast takes.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub limits: Configured,
    pub trust: Trust,
    /// Premium requests a month the plan allows (GitHub Copilot), when the user says.
    pub premium_allowance: Option<f64>,
}

/// Everything one provider's runway needs from the ledger.
struct Local<'l, 'a> {
    ledger: &'l Ledger<'a>,
    now: i64,
}

impl Local<'_, '_> {
    /// The present rate of a window that began at `since`, in pico-dollars (or tokens, for a limit in
    /// tokens) a minute, and its last call.
    fn rate(&self, since: i64, measure: Measure) -> (f64, Option<i64>) {
        // A call exactly at the window's start belongs to it.
        let calls = self.ledger.entries_between(since.max(self.now - rate::MEMORY_MS) - 1, self.now);
        let amount = |e: &crate::ground::tokens::Entry| match measure {
            Measure::Cost => e.sums.cost as f64,
            Measure::Tokens => e.sums.total() as f64,
            Measure::Requests => e.sums.premium as f64,
        };
        let uses: Vec<(i64, f64)> = calls.iter().map(|e| (e.ts, amount(e))).collect();
        (rate::present(&uses, since, self.now), calls.last().map(|e| e.ts))
    }

    /// A gauge of `window` `used` percent full, the window having begun at `resets_at` minus its
    /// length; `per_percent` converts the local rate to percent (pico-dollars per percent).
    #[allow(clippy::too_many_arguments)]
    fn gauge(
        &self,
        window: Window,
        source: Source,
        used: f64,
        resets_at: i64,
        per_percent: Option<f64>,
        observed_at: Option<i64>,
        window_totals: Totals,
    ) -> Gauge {
        let since = resets_at - window.len_ms();
        let (rate, last) = self.rate(since, Measure::Cost);
        // Nothing burning is 0% a minute whatever a percent costs.
        let pct_rate = if rate == 0.0 { Some(0.0) } else { per_percent.filter(|c| *c > 0.0).map(|c| rate / c) };
        let o = rate::outlook(used, pct_rate.unwrap_or(0.0), resets_at, last, self.now);
        Gauge {
            used_percent: Some(used),
            minutes_to_limit: o.minutes_to_empty.filter(|_| o.warning),
            minutes_to_empty: o.minutes_to_empty.filter(|_| pct_rate.is_some()),
            pace: o.pace.filter(|_| pct_rate.is_some()),
            percent_per_hour: pct_rate.map(|r| r * 60.0),
            observed_at,
            ..Gauge::new(window, source, Some(resets_at)).with_totals(&window_totals)
        }
    }

    /// The local estimate of the window `[resets_at - length, resets_at)` against the local limit.
    fn estimate(&self, window: Window, resets_at: i64, limit: &Limit, observed_at: Option<i64>) -> Gauge {
        let since = resets_at - window.len_ms();
        let t = self.ledger.sum_between(since - 1, self.now);
        // A dollar share that leaves out calls without a price would read low: tokens instead.
        let priced = limit.measure == Measure::Tokens || t.sums.unpriced == 0;
        let Some(amount) = limit.amount().filter(|a| *a > 0.0 && priced) else {
            return Gauge { observed_at, ..Gauge::new(window, Source::None, Some(resets_at)).with_totals(&t) };
        };
        let used_amount = match limit.measure {
            Measure::Cost => t.sums.cost as f64,
            Measure::Tokens => t.sums.total() as f64,
            Measure::Requests => t.sums.premium as f64,
        };
        let (rate, last) = self.rate(since, limit.measure);
        let used = used_amount / amount * 100.0;
        let pct_rate = rate / amount * 100.0;
        let o = rate::outlook(used, pct_rate, resets_at, last, self.now);
        Gauge {
            used_percent: Some(used),
            minutes_to_limit: o.minutes_to_empty.filter(|_| o.warning),
            minutes_to_empty: o.minutes_to_empty,
            pace: o.pace,
            percent_per_hour: Some(pct_rate * 60.0),
            observed_at,
            ..Gauge::new(window, limit.source, Some(resets_at)).with_totals(&t)
        }
    }

    /// The calendar month's premium requests (UTC, reset on the first), against the plan's monthly
    /// allowance when the user gave it; the count alone otherwise.
    fn month(&self, allowance: Option<f64>) -> Gauge {
        let (since, resets_at) = month_of(self.now);
        let t = self.ledger.sum_between(since - 1, self.now);
        let requests = t.sums.premium as f64 / 1000.0;
        let mut g = Gauge { premium: t.sums.premium, ..Gauge::new(Window::Month, Source::None, Some(resets_at)) };
        g = g.with_totals(&t);
        let Some(allowance) = allowance.filter(|a| *a > 0.0) else { return g };
        let (rate, last) = self.rate(since, Measure::Requests);
        let used = requests / allowance * 100.0;
        let pct_rate = rate / 1000.0 / allowance * 100.0;
        let o = rate::outlook(used, pct_rate, resets_at, last, self.now);
        Gauge {
            source: Source::Configured,
            used_percent: Some(used),
            minutes_to_limit: o.minutes_to_empty.filter(|_| o.warning),
            minutes_to_empty: o.minutes_to_empty,
            pace: o.pace,
            percent_per_hour: Some(pct_rate * 60.0),
            ..g
        }
    }

    /// A gauge from a reading whose reset is ahead (case 1).
    fn carried(&self, r: &Reading, cpp: Option<f64>, conv: Option<f64>, trust: Trust, limit: &Limit) -> Option<Gauge> {
        let since = self.ledger.sum_between(r.observed_at, self.now);
        let age = self.now - r.observed_at;
        let window_totals = || self.ledger.sum_between(r.resets_at - r.window.len_ms() - 1, self.now);
        let (source, used) = if since.entries == 0 {
            (Source::Server, r.used_percent)
        } else if let Some(c) = cpp {
            (Source::Extrapolated, r.used_percent + since.sums.cost as f64 / c)
        } else if age <= trust.fresh_ms {
            (Source::Server, r.used_percent)
        } else if r.window == Window::FiveHour {
            // Too old to stand for the present, and nothing converts local use to a share: the local
            // estimate of the same window, which keeps the reading's reset.
            return Some(self.estimate(r.window, r.resets_at, limit, Some(r.observed_at)));
        } else {
            return None;
        };
        Some(self.gauge(r.window, source, used, r.resets_at, conv, Some(r.observed_at), window_totals()))
    }

    /// A gauge after a reading's reset has passed (case 2): the next window began with the first
    /// call after it. `Some(None)` when no call came since (no window is running), `None` when nothing
    /// converts cost to a share.
    fn after_reset(&self, r: &Reading, conv: Option<(f64, Source)>) -> Option<Option<Gauge>> {
        let (c, source) = conv?;
        let w = r.window.len_ms();
        let mut start = self.ledger.first_after(r.resets_at, self.now);
        while let Some(s) = start {
            if s + w > self.now {
                break;
            }
            start = self.ledger.first_after(s + w, self.now);
        }
        let Some(s) = start else { return Some(None) };
        let t = self.ledger.sum_between(s - 1, self.now);
        Some(Some(self.gauge(r.window, source, t.sums.cost as f64 / c, s + w, Some(c), Some(r.observed_at), t)))
    }
}

/// The cost of the block that held the newest "usage limit reached" notice, up to the notice: where
/// the limit really was (plans change, so the newest counts).
fn limit_hit(ledger: &Ledger, ev: &Evidence, now: i64) -> Option<(u64, Pico)> {
    let at = ev.hits.iter().filter(|h| h.at <= now && h.window == Window::FiveHour).map(|h| h.at).max()?;
    let view = ledger.blocks_at(at);
    view.current().map(|b| (b.totals.sums.total(), b.totals.sums.cost))
}

/// The block as ccusage reports it, with the present rate for its burn.
fn block_now(ledger: &Ledger, b: &Block, now: i64) -> BlockNow {
    let active = b.active(now);
    let calls = ledger.entries_between(b.start.max(now - rate::MEMORY_MS) - 1, now);
    let per_minute = |f: &dyn Fn(&crate::ground::tokens::Entry) -> f64| {
        let uses: Vec<(i64, f64)> = calls.iter().map(|e| (e.ts, f(e))).collect();
        rate::present(&uses, b.start, now)
    };
    let burn = active.then(|| Burn {
        tokens_per_minute: per_minute(&|e| e.sums.total() as f64),
        cost_per_hour: per_minute(&|e| e.sums.cost as f64) * 60.0,
    });
    let projection = burn.map(|r| burn::project(b, Some(r), now));
    BlockNow { block: *b, active, burn, projection }
}

pub fn compute(ledger: &Ledger, ev: &Evidence, now: i64, s: &Settings) -> Runway {
    let view = ledger.blocks_at(now);
    let block = view.current().map(|b| block_now(ledger, b, now));
    let local = Local { ledger, now };
    let main: Vec<Reading> = ev.readings.iter().filter(|r| r.main() && r.observed_at <= now).cloned().collect();
    let cost_between = |a: i64, b: i64| ledger.sum_between(a, b).sums.cost;
    let cpp5 = calibrate(&main, Window::FiveHour, now, &cost_between);
    let cpp7 = calibrate(&main, Window::SevenDay, now, &cost_between);
    let hit = limit_hit(ledger, ev, now);
    let limit = limit::choose(&s.limits, cpp5, hit, view.largest_completed(now));
    // What one percent of the 5-hour window costs: from readings, else from the local limit.
    let conv5 = cpp5.map(|c| (c, Source::Extrapolated)).or(limit.cost_per_percent().map(|c| (c, limit.source)));

    let estimate = || -> Option<Gauge> {
        let b = block.filter(|b| b.active)?;
        Some(local.estimate(Window::FiveHour, b.block.end(), &limit, None))
    };
    // A Codex snapshot that carries the week alone: the account has no 5-hour window.
    let weekly_only =
        main.iter().max_by_key(|r| r.observed_at).is_some_and(|r| r.window == Window::SevenDay && r.alone);

    let r5 = effective(&main, Window::FiveHour, now).cloned().filter(|_| !weekly_only);
    let five = match &r5 {
        _ if weekly_only => None,
        Some(r) if r.resets_at > now => local.carried(r, cpp5, conv5.map(|c| c.0), s.trust, &limit).or_else(estimate),
        Some(r) => match local.after_reset(r, conv5) {
            Some(g) => g,
            None => estimate(),
        },
        None => estimate(),
    };
    let r7 = effective(&main, Window::SevenDay, now).cloned();
    let seven = match &r7 {
        Some(r) if r.resets_at > now => local.carried(r, cpp7, cpp7, s.trust, &limit),
        Some(r) => local.after_reset(r, cpp7.map(|c| (c, Source::Extrapolated))).flatten(),
        None => None,
    };
    let windows = ledger.provider().spec().windows;
    let month = windows.contains(&Window::Month).then(|| local.month(s.premium_allowance));
    let five = five.filter(|_| windows.contains(&Window::FiveHour));
    let seven = seven.filter(|_| windows.contains(&Window::SevenDay));
    let mut gauges: Vec<Gauge> = five.into_iter().chain(seven).chain(month).collect();
    gauges.extend(other_allowances(&ev.readings, now));
    let week = ledger.week(now);
    let unpriced = ledger.unpriced_between(now - WEEK_MS, now);
    let assumed = ledger.assumed_between(now - WEEK_MS, now);
    Runway {
        provider: ledger.provider(),
        now,
        block,
        week,
        limit,
        gauges,
        readings: r5.into_iter().chain(r7).collect(),
        weekly_only,
        unpriced,
        assumed,
    }
}

/// The service's figures for allowances other than the main pool, shown as reported while their reset
/// is ahead: local use cannot be told apart by allowance, so nothing is carried forward.
fn other_allowances(readings: &[Reading], now: i64) -> Vec<Gauge> {
    let mut keys: Vec<(&str, Window)> =
        readings.iter().filter(|r| !r.main()).map(|r| (r.bucket.as_str(), r.window)).collect();
    keys.sort_by_key(|(b, w)| (b.to_string(), *w as u8));
    keys.dedup();
    let mut out = Vec::new();
    for (bucket, w) in keys {
        let mine: Vec<Reading> = readings.iter().filter(|r| r.bucket == bucket).cloned().collect();
        let Some(r) = effective(&mine, w, now).filter(|r| r.resets_at > now) else { continue };
        out.push(Gauge {
            used_percent: Some(r.used_percent),
            ..Gauge::new(w, Source::Server, Some(r.resets_at)).of_allowance(r)
        });
    }
    out
}

impl Runway {
    /// The main pool's gauge of window `w`.
    pub fn gauge(&self, w: Window) -> Option<&Gauge> {
        self.gauges.iter().find(|g| g.main() && g.window == w)
    }

    /// The 5-hour window; `None` when no window is running (or the account has none).
    pub fn five(&self) -> Option<&Gauge> {
        self.gauge(Window::FiveHour)
    }

    /// The 7-day window, when its share is known.
    pub fn seven(&self) -> Option<&Gauge> {
        self.gauge(Window::SevenDay)
    }

    /// Separate allowances the service reported, by name.
    pub fn others(&self) -> impl Iterator<Item = &Gauge> {
        self.gauges.iter().filter(|g| !g.main())
    }

    /// The main pool's reading of window `w` the gauges stood on.
    pub fn reading(&self, w: Window) -> Option<&Reading> {
        self.readings.iter().find(|r| r.window == w)
    }
}

#[cfg(test)]
mod tests;
