//! From windows to a runway: for each provider and window (5 hours, 7 days), how full it is, by whose
//! account, when it resets, and whether the current rate empties it first. From the best evidence:
//!
//! 1. A reading the service reported, whose reset is still ahead: shown as it is while nothing was used
//!    locally since; otherwise carried forward with the local cost since, converted by the cost of one
//!    percent learned from the readings themselves (`≈`), until it is too old to trust.
//! 2. A reading whose reset has passed: that window is over; the next began with the first call after
//!    the reset, and its share is the local cost since then, converted the same way.
//! 3. No usable reading: the local estimate against the configured or learned limit (`~`). The limit is
//!    learned from, in this order: the cost of one percent (from readings), the blocks that ended at a
//!    real limit ("usage limit reached" notices), the largest completed block.

use std::io;

use crate::cache::Db;
use crate::event::{Provider, Totals};
use crate::readings::{Reading, Window};
use crate::window::{self, BLOCK_MS, Block, Burn, MINUTE_MS, Projection, WEEK_MS};

/// Where the share of a window comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The service reported it.
    Server,
    /// A reading carried forward with local usage since.
    Extrapolated,
    /// `--limit-cost` / `--limit-tokens`.
    Configured,
    /// Learned from the history.
    History,
    /// Nothing to measure against: the cost is shown instead.
    None,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Server => "server",
            Source::Extrapolated => "extrapolated",
            Source::Configured => "configured",
            Source::History => "history",
            Source::None => "none",
        }
    }
}

/// Which quantity a limit is expressed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Pico-dollars.
    Cost,
    Tokens,
}

/// What a learned limit was learned from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Learned {
    /// The cost of one percent, from the service's readings.
    Readings,
    /// Blocks that ended at a "usage limit reached" notice.
    LimitHit,
    /// The largest completed block.
    LargestBlock,
}

impl Learned {
    pub fn as_str(self) -> &'static str {
        match self {
            Learned::Readings => "server readings",
            Learned::LimitHit => "usage limit reached",
            Learned::LargestBlock => "largest completed block",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub source: Source,
    pub measure: Measure,
    pub tokens: Option<u64>,
    /// Pico-dollars.
    pub cost: Option<u64>,
    pub learned: Option<Learned>,
}

impl Limit {
    fn amount(&self) -> Option<f64> {
        match self.measure {
            Measure::Cost => self.cost.map(|c| c as f64),
            Measure::Tokens => self.tokens.map(|t| t as f64),
        }
    }
}

/// A configured limit, from flags, the environment or the config file.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Configured {
    pub cost_usd: Option<f64>,
    pub tokens: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BlockNow {
    pub block: Block,
    pub active: bool,
    pub burn: Option<Burn>,
    pub projection: Option<Projection>,
}

/// One window as shown: how full, by whose account, until when.
#[derive(Clone, Debug, PartialEq)]
pub struct Gauge {
    pub window: Window,
    pub source: Source,
    /// `None` when there is nothing to measure against (`Source::None`): `cost` is shown instead.
    pub used_percent: Option<f64>,
    /// Local API-equivalent cost in the window, pico-dollars.
    pub cost: u64,
    pub resets_at: Option<i64>,
    /// Minutes until the window is empty at the current rate, when that comes before the reset.
    pub minutes_to_limit: Option<f64>,
    /// Minutes until empty at the current rate, whether or not before the reset.
    pub minutes_to_empty: Option<f64>,
    /// Used share over elapsed share of the window: above 1 burns faster than lasts to the reset.
    pub pace: Option<f64>,
    /// When the service reported the share (server and extrapolated sources).
    pub observed_at: Option<i64>,
}

impl Gauge {
    pub fn estimated(&self) -> bool {
        matches!(self.source, Source::Configured | Source::History)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Runway {
    pub provider: Provider,
    pub now: i64,
    /// The latest block with entries at or before `now`.
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

/// What the service reported and noticed, for one provider.
#[derive(Clone, Debug, Default)]
pub struct Reported {
    pub five: Vec<Reading>,
    pub seven: Vec<Reading>,
    /// Times a "usage limit reached" notice was written, with its window.
    pub hits: Vec<(i64, Window)>,
}

/// How long a reading is shown as is without local usage since, and how long it may be carried forward.
#[derive(Clone, Copy, Debug)]
pub struct Trust {
    pub fresh_ms: i64,
}

impl Trust {
    fn horizon(&self, w: Window) -> i64 {
        match w {
            Window::FiveHour => 2 * window::HOUR_MS,
            Window::SevenDay => 24 * window::HOUR_MS,
        }
        .max(self.fresh_ms)
    }
}

fn len(w: Window) -> i64 {
    match w {
        Window::FiveHour => BLOCK_MS,
        Window::SevenDay => WEEK_MS,
    }
}

/// A snapshot with 0% and a reset a whole window away, as Codex writes when a window starts afresh
/// (or it does not know): it does not erase a real reading of a window still running when it came.
fn placeholder(r: &Reading) -> bool {
    r.used_percent == 0.0 && r.resets_at - r.observed_at >= len(r.window) - 2 * MINUTE_MS
}

/// The reading that counts: the newest, unless it is a placeholder over a real one.
pub fn effective(readings: &[Reading], now: i64) -> Option<&Reading> {
    let mut rs: Vec<&Reading> = readings.iter().filter(|r| r.observed_at <= now).collect();
    rs.sort_by_key(|r| r.observed_at);
    for (i, r) in rs.iter().enumerate().rev() {
        let over_real = placeholder(r) && rs[..i].iter().any(|o| o.used_percent > 0.0 && o.resets_at > r.observed_at);
        if !over_real {
            return Some(r);
        }
    }
    None
}

/// Cost of one percent (pico-dollars) of a window, from readings: local cost from the window's start
/// to each reading over its share. Only the newest reading of the last few windows counts, and only
/// shares of 3% or more, so that rounding does not dominate.
pub fn calibrate(
    readings: &[Reading],
    now: i64,
    cost_between: &mut dyn FnMut(i64, i64) -> io::Result<u64>,
) -> io::Result<Option<f64>> {
    let mut newest_per_window: Vec<&Reading> = Vec::new();
    let mut rs: Vec<&Reading> = readings.iter().filter(|r| r.observed_at <= now && !placeholder(r)).collect();
    rs.sort_by_key(|r| std::cmp::Reverse(r.observed_at));
    for r in rs {
        if newest_per_window.iter().any(|o| (o.resets_at - r.resets_at).abs() < 5 * MINUTE_MS) {
            continue;
        }
        newest_per_window.push(r);
        if newest_per_window.len() == 4 {
            break;
        }
    }
    let (mut cost, mut pct) = (0f64, 0f64);
    for r in newest_per_window {
        let start = r.resets_at - len(r.window);
        // A share observed outside the window it names cannot be checked against local use.
        if r.used_percent < 3.0 || r.observed_at < start || r.observed_at >= r.resets_at {
            continue;
        }
        let c = cost_between(start, r.observed_at)?;
        if c > 0 {
            cost += c as f64;
            pct += r.used_percent;
        }
    }
    Ok((pct >= 3.0).then(|| cost / pct))
}

/// Chooses the local limit: configured, else learned (see the module comment).
pub fn choose_limit(
    cfg: &Configured,
    per_percent: Option<f64>,
    hit: Option<(u64, u64)>,
    largest: Option<(u64, u64)>,
) -> Limit {
    if let Some(usd) = cfg.cost_usd.filter(|v| *v > 0.0) {
        let cost = Some((usd * 1e12) as u64);
        return Limit { source: Source::Configured, measure: Measure::Cost, tokens: None, cost, learned: None };
    }
    if let Some(t) = cfg.tokens.filter(|v| *v > 0) {
        return Limit {
            source: Source::Configured,
            measure: Measure::Tokens,
            tokens: Some(t),
            cost: None,
            learned: None,
        };
    }
    let learned = |(t, c): (u64, u64), how| {
        // Cost weighs models the way the service's limits do; tokens when nothing has a price.
        let measure = if c > 0 { Measure::Cost } else { Measure::Tokens };
        Limit { source: Source::History, measure, tokens: Some(t), cost: (c > 0).then_some(c), learned: Some(how) }
    };
    match (per_percent, hit, largest) {
        (Some(cpp), _, _) if cpp > 0.0 => Limit {
            source: Source::History,
            measure: Measure::Cost,
            tokens: None,
            cost: Some((cpp * 100.0) as u64),
            learned: Some(Learned::Readings),
        },
        (_, Some(h), _) if h.0 > 0 => learned(h, Learned::LimitHit),
        (_, _, Some(l)) if l.0 > 0 => learned(l, Learned::LargestBlock),
        _ => Limit { source: Source::None, measure: Measure::Cost, tokens: None, cost: None, learned: None },
    }
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
    let empty = window::minutes_to(used, amount, per_minute.unwrap_or(0.0));
    let before_reset = empty.filter(|m| now + (*m * MINUTE_MS as f64) as i64 <= b.block.end());
    (Some(used / amount * 100.0), empty, before_reset)
}

/// Used share over elapsed share of a window that ends at `resets_at`.
pub fn pace(used: f64, resets_at: i64, w: Window, now: i64) -> Option<f64> {
    let elapsed = (now - (resets_at - len(w))) as f64 / len(w) as f64;
    (elapsed > 0.0).then(|| used / 100.0 / elapsed)
}

/// Minutes until 100% at `pct_per_minute`, and the same if it comes before the reset.
pub fn to_empty(used: f64, pct_per_minute: Option<f64>, resets_at: i64, now: i64) -> (Option<f64>, Option<f64>) {
    let m = pct_per_minute.and_then(|r| window::minutes_to(used, 100.0, r));
    (m, m.filter(|m| now + (*m * MINUTE_MS as f64) as i64 <= resets_at))
}

/// Everything one provider's runway needs from the cache.
struct Local<'a> {
    db: &'a Db,
    p: Provider,
    now: i64,
    block: Option<BlockNow>,
}

impl Local<'_> {
    fn cost_between(&self, from: i64, to: i64) -> io::Result<Totals> {
        self.db.sum_between(self.p, from, to)
    }

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

    /// A gauge from a reading whose reset is ahead (case 1), or `None` to fall back.
    fn carried(&self, r: &Reading, cpp: Option<f64>, trust: Trust) -> io::Result<Option<Gauge>> {
        let since = self.cost_between(r.observed_at, self.now)?;
        let age = self.now - r.observed_at;
        let (source, used) = if since.entries == 0 && age <= trust.horizon(r.window) {
            (Source::Server, r.used_percent)
        } else if let (Some(c), true) = (cpp, age <= trust.horizon(r.window)) {
            (Source::Extrapolated, r.used_percent + since.sums.cost as f64 / c)
        } else if age <= trust.fresh_ms {
            (Source::Server, r.used_percent)
        } else {
            return Ok(None);
        };
        let cost = self.cost_between(r.resets_at - len(r.window), self.now)?.sums.cost;
        let rate = self.pct_per_minute(r.window, used, r.resets_at, cpp);
        let (empty, limit) = to_empty(used, rate, r.resets_at, self.now);
        Ok(Some(Gauge {
            window: r.window,
            source,
            used_percent: Some(used),
            cost,
            resets_at: Some(r.resets_at),
            minutes_to_limit: limit,
            minutes_to_empty: empty,
            pace: pace(used, r.resets_at, r.window, self.now),
            observed_at: Some(r.observed_at),
        }))
    }

    /// A gauge after a reading's reset has passed (case 2): the next window began with the first
    /// call after it. `None` when no call came since (no window is running) or nothing converts cost.
    fn after_reset(&self, r: &Reading, cpp: Option<(f64, Source)>) -> io::Result<Option<Option<Gauge>>> {
        let Some((c, source)) = cpp else { return Ok(None) };
        let w = len(r.window);
        let mut start = self.db.first_after(self.p, r.resets_at, self.now)?;
        while let Some(s) = start {
            if s + w > self.now {
                break;
            }
            start = self.db.first_after(self.p, s + w, self.now)?;
        }
        let Some(s) = start else { return Ok(Some(None)) };
        let resets_at = s + w;
        let cost = self.cost_between(s - 1, self.now)?.sums.cost;
        let used = cost as f64 / c;
        let rate = self.pct_per_minute(r.window, used, resets_at, Some(c));
        let (empty, limit) = to_empty(used, rate, resets_at, self.now);
        Ok(Some(Some(Gauge {
            window: r.window,
            source,
            used_percent: Some(used),
            cost,
            resets_at: Some(resets_at),
            minutes_to_limit: limit,
            minutes_to_empty: empty,
            pace: pace(used, resets_at, r.window, self.now),
            observed_at: Some(r.observed_at),
        })))
    }
}

/// The cost of the block that held each "usage limit reached" notice, up to the notice: where the
/// limit really was. The newest notice counts (plans change).
fn limit_hit(db: &Db, p: Provider, hits: &[(i64, Window)], now: i64) -> io::Result<Option<(u64, u64)>> {
    let Some(&(at, _)) = hits.iter().filter(|(at, w)| *at <= now && *w == Window::FiveHour).max_by_key(|(at, _)| *at)
    else {
        return Ok(None);
    };
    let view = db.blocks_at(p, at)?;
    Ok(view.current().map(|b| (b.totals.sums.total(), b.totals.sums.cost)))
}

pub fn compute(
    db: &Db,
    p: Provider,
    now: i64,
    cfg: &Configured,
    reported: &Reported,
    trust: Trust,
) -> io::Result<Runway> {
    let view = db.blocks_at(p, now)?;
    let block = view.current().map(|b| {
        let active = b.active(now);
        let burn = window::burn(b);
        BlockNow { block: *b, active, burn, projection: active.then(|| window::project(b, burn, now)) }
    });
    let local = Local { db, p, now, block };
    let mut cost_between = |a: i64, b: i64| Ok(db.sum_between(p, a, b)?.sums.cost);
    let cpp5 = calibrate(&reported.five, now, &mut cost_between)?;
    let cpp7 = calibrate(&reported.seven, now, &mut cost_between)?;
    let hit = limit_hit(db, p, &reported.hits, now)?;
    let limit = choose_limit(cfg, cpp5, hit, view.largest_completed(now));
    // What one percent of the 5-hour window costs: from readings, else from the local limit.
    let limit_cpp = match (limit.measure, limit.cost) {
        (Measure::Cost, Some(c)) if c > 0 => Some(c as f64 / 100.0),
        _ => None,
    };

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

    let r5 = effective(&reported.five, now).cloned();
    let five = match &r5 {
        Some(r) if r.resets_at > now => local.carried(r, cpp5, trust)?.or_else(estimate),
        Some(r) => {
            let conv = cpp5.map(|c| (c, Source::Extrapolated)).or(limit_cpp.map(|c| (c, limit.source)));
            match local.after_reset(r, conv)? {
                Some(g) => g,
                None => estimate(),
            }
        }
        None => estimate(),
    };
    let r7 = effective(&reported.seven, now).cloned();
    let seven = match &r7 {
        Some(r) if r.resets_at > now => local.carried(r, cpp7, trust)?,
        Some(r) => local.after_reset(r, cpp7.map(|c| (c, Source::Extrapolated)))?.flatten(),
        None => None,
    };
    let week = db.week(p, now)?;
    let unpriced =
        db.unpriced_between(p, now - WEEK_MS, now).into_iter().map(|m| db.state.model_name(m).to_owned()).collect();
    Ok(Runway { provider: p, now, block, week, limit, five, seven, reading_five: r5, reading_seven: r7, unpriced })
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

/// One letter per provider, for a segment that shows more than one.
pub fn letter(p: Provider) -> &'static str {
    match p {
        Provider::Claude => "C",
        Provider::Codex => "X",
    }
}

/// Labels for the windows of several providers: `5h`/`7d` for one provider, `C`, `C 7d`, `X`… for more.
pub fn labelled(runways: &[Runway], warn_at: f64) -> Vec<(String, &Gauge)> {
    let shown: Vec<(Provider, Vec<&Gauge>)> =
        runways.iter().map(|r| (r.provider, r.shown(warn_at))).filter(|(_, g)| !g.is_empty()).collect();
    let many = shown.len() > 1;
    let mut out = Vec::new();
    for (p, gauges) in shown {
        for g in gauges {
            let label = match (many, g.window) {
                (false, w) => w.label().to_owned(),
                (true, Window::FiveHour) => letter(p).to_owned(),
                (true, w) => format!("{} {}", letter(p), w.label()),
            };
            out.push((label, g));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Entry, Sums};
    use crate::window::HOUR_MS;

    fn block(costs: &[(i64, u64)]) -> Block {
        let es: Vec<Entry> = costs
            .iter()
            .map(|&(ts, c)| Entry { ts, model: 0, flags: 0, sums: Sums { output: 1, cost: c, ..Sums::default() } })
            .collect();
        window::blocks(&es)[0]
    }

    fn reading(w: Window, used: f64, resets_at: i64, observed_at: i64) -> Reading {
        Reading { provider: "codex".into(), window: w, used_percent: used, resets_at, observed_at, root: String::new() }
    }

    const D: u64 = 1_000_000_000_000; // a dollar in pico-dollars

    #[test]
    fn limits_in_order_of_evidence() {
        let none = Configured::default();
        let c = choose_limit(&Configured { cost_usd: Some(50.0), tokens: Some(9) }, Some(1.0), None, None);
        assert_eq!((c.source, c.measure, c.cost), (Source::Configured, Measure::Cost, Some(50 * D)));
        let t = choose_limit(&Configured { tokens: Some(9), ..none }, None, None, None);
        assert_eq!((t.source, t.measure), (Source::Configured, Measure::Tokens));
        // $0.30 a percent: a $30 limit, from the readings.
        let r = choose_limit(&none, Some(0.3 * D as f64), Some((1, 2)), Some((3, 4)));
        assert_eq!((r.source, r.cost, r.learned), (Source::History, Some(30 * D), Some(Learned::Readings)));
        let h = choose_limit(&none, None, Some((1_000, 20 * D)), Some((9_000, 25 * D)));
        assert_eq!((h.cost, h.learned), (Some(20 * D), Some(Learned::LimitHit)));
        let l = choose_limit(&none, None, None, Some((9_000, 25 * D)));
        assert_eq!((l.cost, l.learned), (Some(25 * D), Some(Learned::LargestBlock)));
        let tok = choose_limit(&none, None, None, Some((9_000, 0)));
        assert_eq!((tok.measure, tok.tokens), (Measure::Tokens, Some(9_000)));
        assert_eq!(choose_limit(&none, None, None, None).source, Source::None);
    }

    #[test]
    fn percent_and_warning_by_hand() {
        // $6 used between 10:00 and 11:00 ($6/h), limit $20, now 11:00, block ends 15:00.
        let s = 10 * HOUR_MS;
        let b = block(&[(s, 3 * D), (s + HOUR_MS, 3 * D)]);
        let now = s + HOUR_MS;
        let burn = window::burn(&b);
        let bn = BlockNow { block: b, active: true, burn, projection: Some(window::project(&b, burn, now)) };
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
    fn placeholders_do_not_erase_real_readings() {
        let h = HOUR_MS;
        let real = reading(Window::FiveHour, 35.0, 12 * h, 10 * h);
        let fake = reading(Window::FiveHour, 0.0, 10 * h + 5 * 60_000 + 5 * h, 10 * h + 5 * 60_000);
        let rs = [real.clone(), fake.clone()];
        assert_eq!(effective(&rs, 11 * h), Some(&real));
        // After the real window's reset a 0% reading is simply the new window.
        let later = reading(Window::FiveHour, 0.0, 13 * h + 5 * h, 13 * h);
        let rs = [real.clone(), later.clone()];
        assert_eq!(effective(&rs, 14 * h), Some(&later));
        // Readings from after now do not exist yet.
        assert_eq!(effective(std::slice::from_ref(&real), 9 * h), None);
    }

    #[test]
    fn cost_of_a_percent_by_hand() {
        let h = HOUR_MS;
        // Window 10:00-15:00, 20% at 12:00 after $8 of local use: $0.40 a percent. An older window
        // with 10% at $3 joins it: $11 / 30% = $0.3667. A 1% reading is too coarse to count.
        let rs = [
            reading(Window::FiveHour, 20.0, 15 * h, 12 * h),
            reading(Window::FiveHour, 10.0, 8 * h, 4 * h),
            reading(Window::FiveHour, 1.0, 30 * h, 26 * h),
        ];
        let mut cost = |a: i64, b: i64| -> io::Result<u64> {
            Ok(match (a, b) {
                (x, y) if x == 10 * h && y == 12 * h => 8 * D,
                (x, y) if x == 3 * h && y == 4 * h => 3 * D,
                _ => 50 * D,
            })
        };
        let cpp = calibrate(&rs[..2], 13 * h, &mut cost).unwrap().unwrap();
        assert!((cpp / D as f64 - 11.0 / 30.0).abs() < 1e-9, "{cpp}");
        let only_coarse = calibrate(&rs[2..], 40 * h, &mut cost).unwrap();
        assert_eq!(only_coarse, None);
    }

    #[test]
    fn pace_and_time_to_empty_by_hand() {
        let h = HOUR_MS;
        // 40% used 2 h into a 5 h window (40% elapsed): on pace, 1.0.
        assert_eq!(pace(40.0, 15 * h, Window::FiveHour, 12 * h), Some(1.0));
        // 60% left at 0.5% a minute: 120 minutes; before a reset 3 h away, so a warning.
        assert_eq!(to_empty(40.0, Some(0.5), 15 * h, 12 * h), (Some(120.0), Some(120.0)));
        assert_eq!(to_empty(40.0, Some(0.25), 15 * h, 12 * h), (Some(240.0), None));
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
            limit: choose_limit(&Configured::default(), None, None, None),
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
        let mut x = r.clone();
        x.provider = Provider::Codex;
        x.seven = None;
        let labels: Vec<String> = labelled(&[r, x], 70.0).into_iter().map(|(l, _)| l).collect();
        assert_eq!(labels, ["C", "C 7d", "X"]);
    }
}
