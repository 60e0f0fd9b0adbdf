//! From the ledger and the evidence to a runway: for each window (5 hours, 7 days), how full it is,
//! by whose account, when it resets, and where the present rate takes it. Pure: it reads no file and
//! sees no cache, only the ledger's answers and what the services said.
//!
//! The share, from the best evidence:
//!
//! 1. A reading the service reported, whose reset is still ahead (the newest, wherever it came from):
//!    shown as it is while nothing was used since; otherwise carried forward with the use since,
//!    converted by the known cost of one percent (from the readings' rises, a configured limit or a
//!    limit notice: `≈`); without that cost, shown as it is, and once stale as a floor (`+`), or the
//!    local estimate of its window against the largest block's guess when that is higher. The
//!    reading's reset stays the window's reset. Its level is never taken for local use: see `carried`.
//! 2. A reading whose reset has passed: that window is over; the next began at the first call at or
//!    after the reset (its hour), and it is the local estimate, as in 3 (`~`).
//! 3. No usable reading: the local 5-hour block against the configured or learned limit (`~`); with
//!    no limit known, its cost and reset.
//!
//! Where it is going: the present rate (see `rate`), from the readings' rises and the local calls
//! between them, the same for every surface.

mod account;
pub mod binding;
pub mod burn;
pub mod calibration;
pub mod carried;
pub mod evidence;
pub mod gauge;
pub mod limit;
mod local;
pub mod rate;

use burn::{Burn, Projection};
use carried::Trend;
use evidence::{AccountWindows, Calibration, Evidence, Trust, anchor, effective, main_pool, of_window, rises};
use gauge::Gauge;
use limit::{Configured, Limit};
use local::Local;

use crate::ground::block::Block;
use crate::ground::evidence::Reading;
use crate::ground::provider::Provider;
use crate::ground::time::{WEEK_MS, floor_hour};
use crate::ground::tokens::{Hourly, Pico, Totals};
use crate::ground::window::Window;
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
    /// What one percent of each window cost, as learned for this answer.
    pub calibration: Calibration,
    /// The account's windows as this answer walked or was given them (`None`: the tool learns no
    /// limit).
    pub account: Option<AccountWindows>,
    /// The end of the account's running 5-hour window, when this answer worked it out or was given it
    /// (`None`: not asked).
    pub window_end: Option<Option<i64>>,
}

/// The settings the forecast takes.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub limits: Configured,
    pub trust: Trust,
    /// Premium requests a month the plan allows (GitHub Copilot), when the user says.
    pub premium_allowance: Option<f64>,
    /// Whether the tool's 5-hour window is a service's quota whose limit its history can show (see
    /// `Spec::learns_limit`); else only a configured limit gives it a share.
    pub learn_limit: bool,
}

/// The cost of the block that held the newest "usage limit reached" notice, up to the notice: where
/// the limit really was (plans change, so the newest counts).
fn limit_hit(ledger: &Ledger, ev: &Evidence, now: i64) -> Option<(u64, Pico)> {
    let at = ev.hits.iter().filter(|h| h.at <= now && h.window == Window::FiveHour).map(|h| h.at).max()?;
    let view = ledger.blocks_at(at);
    view.current().map(|b| (b.totals.sums.total(), b.totals.sums.cost))
}

/// The least the 5-hour limit can be, from the newest reading of each window of the last week (see
/// `limit::floor_of`); a plan's older windows may have had another limit.
fn reading_floor(local: &Local, main: &[Reading], now: i64) -> Option<Pico> {
    let mut newest: Vec<&Reading> = Vec::new();
    for r in main.iter().filter(|r| r.window == Window::FiveHour && r.observed_at > now - WEEK_MS) {
        match newest.iter_mut().find(|o| o.resets_at == r.resets_at) {
            Some(o) if o.observed_at < r.observed_at => *o = r,
            Some(_) => {}
            None => newest.push(r),
        }
    }
    let under = |r: &Reading| local.all_between(r.resets_at - Window::FiveHour.len_ms() - 1, r.observed_at).sums.cost;
    newest.iter().filter_map(|r| limit::floor_of(under(r), r.used_percent)).max()
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

/// The end of the 5-hour window running at `now`: this machine's block while no other device used the
/// tool in the last day, else the account's window over every device's use (see `account`).
fn window_end(ledger: &Ledger, block: Option<&BlockNow>, elsewhere: &[Hourly], now: i64) -> Option<i64> {
    let from = floor_hour(now - account::SPAN_MS);
    let hours: Vec<i64> = elsewhere.iter().map(|(s, _, _)| *s).filter(|s| *s >= from && *s <= now).collect();
    if hours.is_empty() {
        return block.filter(|b| b.active).map(|b| b.block.end());
    }
    let next = |at: i64| {
        let mine = ledger.first_after(at - 1, now);
        let theirs = account::next_hour(&hours, at);
        mine.into_iter().chain(theirs).min()
    };
    account::window_start(next, from, now).map(|s| s + Window::FiveHour.len_ms())
}

/// What a learned limit stands on: the largest completed window (tokens, cost) and how many held
/// `MEANINGFUL_CALLS` calls or more. This machine's blocks over its history; with other devices'
/// use, the account's windows over the days their hours cover too (`account`), the larger of each:
/// a machine that does a third of the work would take its own largest block for the account's
/// limit, and call a window full that another machine shows at 44%.
fn learned_from(view: &crate::ledger::BlockView, account: AccountWindows, now: i64) -> (Option<(u64, Pico)>, usize) {
    let (largest, meaningful) = (view.largest_completed(now), view.meaningful_completed(now));
    (larger(largest, account.0), meaningful.max(account.1))
}

/// The larger of two (tokens, cost) maxima, each figure apart.
fn larger(a: Option<(u64, Pico)>, b: Option<(u64, Pico)>) -> Option<(u64, Pico)> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a.0.max(b.0), a.1.max(b.1))),
        (a, b) => a.or(b),
    }
}

/// The account's completed windows over the days the other devices' hours cover (`account`): a sum
/// over the ledger for each, which touches a page of the history each (+0.7 ms a prompt, 216 page
/// faults, with five devices' heavy weeks): kept between runs (`store::memo`).
fn account_windows(local: &Local, now: i64) -> AccountWindows {
    let hours: Vec<i64> = local.elsewhere.iter().map(|(s, _, _)| *s).filter(|s| *s <= now).collect();
    let Some(&from) = hours.first() else { return (None, 0) };
    let next = |at: i64| local.ledger.first_after(at - 1, now).into_iter().chain(account::next_hour(&hours, at)).min();
    let (mut largest, mut held) = (None, 0);
    for start in account::completed_starts(next, from, now) {
        let t = local.all_between(start - 1, start + Window::FiveHour.len_ms() - 1);
        let v = (t.sums.total(), t.sums.cost);
        largest = larger(largest, Some(v));
        held += usize::from(t.entries >= crate::ledger::MEANINGFUL_CALLS);
    }
    (largest, held)
}

pub fn compute(ledger: &Ledger, ev: &Evidence, now: i64, s: &Settings) -> Runway {
    let view = ledger.blocks_at(now);
    let block = view.current().map(|b| block_now(ledger, b, now));
    let local = Local { ledger, now, read: Default::default(), elsewhere: &ev.elsewhere };
    let readings = anchor(&ev.readings);
    let main = main_pool(&readings, now);
    let cost_upto = |t: i64| ledger.sum_between(i64::MIN, t).sums.cost;
    let calibration = ev.calibration.unwrap_or_else(|| Calibration::learn(&Calibration::pairs(&main, now), &cost_upto));
    let (cpp5, cpp7) = (calibration.five, calibration.seven);
    let account = s.learn_limit.then(|| ev.account.unwrap_or_else(|| account_windows(&local, now)));
    let limit = match account {
        Some(account) => {
            let (largest, blocks) = learned_from(&view, account, now);
            limit::choose(&s.limits, cpp5, limit_hit(ledger, ev, now), largest, blocks)
        }
        None => Limit { learnable: false, ..limit::choose(&s.limits, None, None, None, 0) },
    };
    let end5_once = std::cell::OnceCell::new();
    let end5 = || {
        *end5_once
            .get_or_init(|| ev.window_end.unwrap_or_else(|| window_end(ledger, block.as_ref(), &ev.elsewhere, now)))
    };
    // A Codex snapshot that carries the week alone: the account has no 5-hour window.
    let weekly_only =
        main.iter().max_by_key(|r| r.observed_at).is_some_and(|r| r.window == Window::SevenDay && r.alone);
    let r5 = effective(&main, Window::FiveHour, now).cloned().filter(|_| !weekly_only);
    // The window that followed a reading whose reset has passed (none: no call since).
    let after_reset = r5.as_ref().filter(|r| r.resets_at <= now).map(|r| local.next_window(r));
    // The end of the 5-hour window the gauge shows: the reading's, the one after it, or the block's.
    let shown_end = || match (&r5, after_reset) {
        (_, Some(next)) => next,
        (Some(r), None) => Some(r.resets_at),
        (None, None) => end5(),
    };
    let limit = limit
        .at_least(|| reading_floor(&local, &main, now))
        .unless_reached(|| Some(local.all_between(shown_end()? - Window::FiveHour.len_ms() - 1, now).sums));
    // What one percent of the 5-hour window is known to cost: learned from the readings' rises, else
    // a limit where 100% really is (configured, a limit notice); never a guess (the largest block, a
    // reading's floor). It carries a reading forward and gives coverage; the rate beside a reading
    // also takes the largest block's guess, as the estimate with no reading does (see `carried`).
    let known5 = cpp5.or_else(|| limit.known_per_percent());
    let trend = |r: &Reading| {
        let rs = of_window(&main, r);
        Trend::of(&rs, rises(&rs))
    };

    let estimate = |end: Option<i64>| -> Option<Gauge> { Some(local.estimate(Window::FiveHour, end?, &limit, None)) };
    let five = match &r5 {
        _ if weekly_only => None,
        Some(r) if r.resets_at > now => Some(local.carried(r, &trend(r), known5, s.trust, &limit)),
        // That window is over and no reading tells of the next: the local estimate of it, as with no
        // reading at all (against the limit, learned or guessed, as `~`).
        Some(_) => estimate(after_reset.flatten()),
        None => estimate(end5()),
    };
    // With no share to show, past the limit learned (`Gauge::beyond`): however the window was found
    // (the local block, or the one after a reading's reset).
    let five = five.map(|g| Gauge { beyond: g.used_percent.is_none() && limit.passed.is_some(), ..g });
    let r7 = effective(&main, Window::SevenDay, now).cloned();
    let seven = match &r7 {
        Some(r) if r.resets_at > now => Some(local.carried(r, &trend(r), cpp7, s.trust, &limit)),
        // A week's cost says nothing on its own: without a percent's cost, no gauge.
        Some(r) => cpp7.and_then(|c| local.after_reset(r, c)),
        None => None,
    };
    let windows = ledger.provider().spec().windows;
    let month = windows.contains(&Window::Month).then(|| local.month(s.premium_allowance));
    let five = five.filter(|_| windows.contains(&Window::FiveHour));
    let seven = seven.filter(|_| windows.contains(&Window::SevenDay));
    let mut gauges: Vec<Gauge> = five.into_iter().chain(seven).chain(month).collect();
    gauges.extend(other_allowances(&readings, now));
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
        calibration,
        account,
        window_end: end5_once.get().copied(),
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
        out.push(Gauge::reported(r).of_allowance(r));
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
