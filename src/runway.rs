//! From windows to a runway: how much of the limit the current 5-hour window has used, when it resets,
//! and whether the current burn rate reaches the limit before then.

use std::io;

use crate::cache::Db;
use crate::event::{Provider, Totals};
use crate::readings::{Reading, Window};
use crate::window::{self, Block, Burn, MINUTE_MS, Projection};

/// Where the limit a percentage is measured against comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // extrapolation arrives with the forecast
pub enum Source {
    /// The tool reported the used share itself.
    Server,
    /// A server reading carried forward with local usage since.
    Extrapolated,
    /// `--limit-cost` / `--limit-tokens`.
    Configured,
    /// The largest completed block in the history.
    History,
    /// Nothing to measure against: the block's cost is shown instead.
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

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub source: Source,
    pub measure: Measure,
    pub tokens: Option<u64>,
    /// Pico-dollars.
    pub cost: Option<u64>,
}

impl Limit {
    fn amount(&self) -> Option<f64> {
        match self.measure {
            Measure::Cost => self.cost.map(|c| c as f64),
            Measure::Tokens => self.tokens.map(|t| t as f64),
        }
    }
}

/// A configured limit, from flags or the environment.
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
    /// Minutes until the limit, when the current rate reaches it before the reset.
    pub minutes_to_limit: Option<f64>,
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
    /// The local limit (configured or learned), whatever the gauges show.
    pub limit: Limit,
    /// The 5-hour window; `None` when no window is running (nothing to show).
    pub five: Option<Gauge>,
    /// The 7-day window, when its share is known.
    pub seven: Option<Gauge>,
    pub unpriced: Vec<String>,
    /// Every de-duplicated call up to `now`: zero means there is no history at all.
    pub history_entries: u64,
}

impl Runway {
    /// The windows a prompt shows, with their labels.
    pub fn shown(&self) -> Vec<(String, &Gauge)> {
        self.five.iter().map(|g| (g.window.label().to_owned(), g)).collect()
    }
}

/// What the services reported, for one provider, oldest first.
#[derive(Clone, Debug, Default)]
pub struct Reported<'a> {
    pub five: Vec<&'a Reading>,
    pub seven: Vec<&'a Reading>,
}

/// Chooses the limit: configured, else learned from the largest completed block.
pub fn choose_limit(cfg: &Configured, largest: Option<(u64, u64)>) -> Limit {
    if let Some(usd) = cfg.cost_usd.filter(|v| *v > 0.0) {
        return Limit {
            source: Source::Configured,
            measure: Measure::Cost,
            tokens: None,
            cost: Some((usd * 1e12) as u64),
        };
    }
    if let Some(t) = cfg.tokens.filter(|v| *v > 0) {
        return Limit { source: Source::Configured, measure: Measure::Tokens, tokens: Some(t), cost: None };
    }
    match largest {
        // Cost weighs models the way the service's limits do (an Opus token uses more than a Haiku
        // one); tokens are the fallback when nothing in the history has a price.
        Some((t, c)) if c > 0 => {
            Limit { source: Source::History, measure: Measure::Cost, tokens: Some(t), cost: Some(c) }
        }
        Some((t, _)) if t > 0 => {
            Limit { source: Source::History, measure: Measure::Tokens, tokens: Some(t), cost: None }
        }
        _ => Limit { source: Source::None, measure: Measure::Cost, tokens: None, cost: None },
    }
}

/// Used share, and minutes to the limit if the projection reaches it before the block ends.
pub fn measure(b: &BlockNow, limit: &Limit, now: i64) -> (Option<f64>, Option<f64>) {
    let Some(amount) = limit.amount().filter(|a| *a > 0.0) else {
        return (None, None);
    };
    if !b.active {
        return (Some(0.0), None);
    }
    let (used, projected, per_minute) = match limit.measure {
        Measure::Cost => {
            (b.block.totals.sums.cost as f64, b.projection.map(|p| p.cost), b.burn.map(|r| r.cost_per_hour / 60.0))
        }
        Measure::Tokens => {
            (b.block.totals.sums.total() as f64, b.projection.map(|p| p.tokens), b.burn.map(|r| r.tokens_per_minute))
        }
    };
    let percent = used / amount * 100.0;
    let crosses = used >= amount || projected.is_some_and(|p| p > amount);
    let to_limit = if crosses { window::minutes_to(used, amount, per_minute.unwrap_or(0.0)) } else { None };
    // Reaching it after the reset is not a warning.
    let before_reset = to_limit.filter(|m| now + (*m * MINUTE_MS as f64) as i64 <= b.block.end());
    (Some(percent), before_reset)
}

/// The newest reading whose window has not reset and that is recent enough to show as it is.
pub fn fresh<'a>(readings: &[&'a Reading], now: i64, fresh_ms: i64) -> Option<&'a Reading> {
    readings
        .iter()
        .copied()
        .filter(|r| r.resets_at > now && now - r.observed_at <= fresh_ms)
        .max_by_key(|r| r.observed_at)
}

fn server_gauge(r: &Reading, cost: u64) -> Gauge {
    Gauge {
        window: r.window,
        source: Source::Server,
        used_percent: Some(r.used_percent),
        cost,
        resets_at: Some(r.resets_at),
        minutes_to_limit: None,
        observed_at: Some(r.observed_at),
    }
}

pub fn compute(
    db: &Db,
    p: Provider,
    now: i64,
    cfg: &Configured,
    reported: &Reported,
    fresh_ms: i64,
) -> io::Result<Runway> {
    let view = db.blocks_at(p, now)?;
    let block = view.current().map(|b| {
        let active = b.active(now);
        let burn = window::burn(b);
        BlockNow { block: *b, active, burn, projection: active.then(|| window::project(b, burn, now)) }
    });
    let limit = choose_limit(cfg, view.largest_completed(now));
    let block_cost = block.filter(|b| b.active).map_or(0, |b| b.block.totals.sums.cost);
    let local = block.filter(|b| b.active).map(|b| {
        let (used_percent, minutes_to_limit) = measure(&b, &limit, now);
        Gauge {
            window: Window::FiveHour,
            source: limit.source,
            used_percent,
            cost: block_cost,
            resets_at: Some(b.block.end()),
            minutes_to_limit,
            observed_at: None,
        }
    });
    // The service's own figure wins while it is fresh and its window has not reset.
    let five = match fresh(&reported.five, now, fresh_ms) {
        Some(r) => Some(server_gauge(r, block_cost)),
        None => local,
    };
    let week = db.week(p, now)?;
    let seven = fresh(&reported.seven, now, fresh_ms).map(|r| server_gauge(r, week.sums.cost));
    let unpriced = db
        .unpriced_between(p, now - window::WEEK_MS, now)
        .into_iter()
        .map(|m| db.state.model_name(m).to_owned())
        .collect();
    Ok(Runway { provider: p, now, block, week, limit, five, seven, unpriced, history_entries: db.counted(p, now)? })
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

    #[test]
    fn configured_beats_history_and_history_prefers_cost() {
        let hist = Some((1_000, 5_000));
        let c = choose_limit(&Configured { cost_usd: Some(50.0), tokens: Some(9) }, hist);
        assert_eq!((c.source, c.measure, c.cost), (Source::Configured, Measure::Cost, Some(50_000_000_000_000)));
        let t = choose_limit(&Configured { tokens: Some(9), ..Configured::default() }, hist);
        assert_eq!((t.source, t.measure), (Source::Configured, Measure::Tokens));
        let h = choose_limit(&Configured::default(), hist);
        assert_eq!((h.source, h.measure, h.cost), (Source::History, Measure::Cost, Some(5_000)));
        let h = choose_limit(&Configured::default(), Some((1_000, 0)));
        assert_eq!((h.source, h.measure), (Source::History, Measure::Tokens));
        assert_eq!(choose_limit(&Configured::default(), None).source, Source::None);
    }

    #[test]
    fn percent_and_warning_by_hand() {
        // $6 used between 10:00 and 11:00 ($6/h), limit $20, now 11:00, block ends 15:00.
        let s = 10 * HOUR_MS;
        let b = block(&[(s, 3_000_000_000_000), (s + HOUR_MS, 3_000_000_000_000)]);
        let now = s + HOUR_MS;
        let burn = window::burn(&b);
        let bn = BlockNow { block: b, active: true, burn, projection: Some(window::project(&b, burn, now)) };
        let limit =
            Limit { source: Source::Configured, measure: Measure::Cost, tokens: None, cost: Some(20_000_000_000_000) };
        let (pct, warn) = measure(&bn, &limit, now);
        assert_eq!(pct, Some(30.0));
        // Projection $6 + 4 h x $6 = $30 > $20: the limit comes after (20 - 6) / 0.1 = 140 minutes.
        assert_eq!(warn, Some(140.0));
        // With a $40 limit the projection stays under: no warning.
        let roomy = Limit { cost: Some(40_000_000_000_000), ..limit };
        assert_eq!(measure(&bn, &roomy, now), (Some(15.0), None));
    }

    #[test]
    fn warning_only_when_the_projection_crosses() {
        // $0.50 at 10:00 and $4 at 14:00: $4.50 over 240 minutes, $1.125 per hour. At 14:00 the
        // projection to 15:00 is $5.625. Against $5 the limit comes after 0.5 / (4.5 / 240) = 26.67
        // minutes; against $5.70 it never does.
        let s = 10 * HOUR_MS;
        let b = block(&[(s, 500_000_000_000), (s + 4 * HOUR_MS, 4_000_000_000_000)]);
        let now = s + 4 * HOUR_MS;
        let burn = window::burn(&b);
        let bn = BlockNow { block: b, active: true, burn, projection: Some(window::project(&b, burn, now)) };
        let limit =
            Limit { source: Source::History, measure: Measure::Cost, tokens: None, cost: Some(5_000_000_000_000) };
        let warn = measure(&bn, &limit, now).1.unwrap();
        assert!((warn - 26.6667).abs() < 1e-3, "{warn}");
        let roomy = Limit { cost: Some(5_700_000_000_000), ..limit };
        assert_eq!(measure(&bn, &roomy, now).1, None);
        // Already over: zero minutes left.
        let tight = Limit { cost: Some(4_000_000_000_000), ..limit };
        assert_eq!(measure(&bn, &tight, now).1, Some(0.0));
    }
}
