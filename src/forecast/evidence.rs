//! What the services said, sorted for the forecast: which reading counts, how long it may be trusted,
//! and what one percent of a window costs, learned from the readings themselves.

use std::borrow::Cow;

use crate::ground::evidence::{LimitHit, Reading};
use crate::ground::time::MINUTE_MS;
use crate::ground::tokens::{Pico, Sums};
use crate::ground::window::Window;

/// What the services reported and noticed, for one provider.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub readings: Vec<Reading>,
    pub hits: Vec<LimitHit>,
    /// What one percent costs, when it was learned before from the same readings and ledger (see
    /// `Calibration::key`); learned again when `None`.
    pub calibration: Option<Calibration>,
    /// Use on the user's other devices, by the hour it began (their sync files): it adds to this
    /// machine's in each window.
    pub elsewhere: Vec<(i64, u64, Sums)>,
}

/// What one percent of each window costs (pico-dollars), learned from the readings (`calibrate`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Calibration {
    pub five: Option<f64>,
    pub seven: Option<f64>,
}

impl Calibration {
    /// Learns both windows' costs from the main pool's readings.
    pub fn learn(main: &[Reading], now: i64, cost_upto: &dyn Fn(i64) -> Pico) -> Calibration {
        Calibration {
            five: calibrate(main, Window::FiveHour, now, cost_upto),
            seven: calibrate(main, Window::SevenDay, now, cost_upto),
        }
    }

    /// What the answer stands on: the readings observed by `now`, and the calls up to the newest of
    /// them (`calls`: their count and cost, which moves when any call before it is added or
    /// replaced). Equal keys, equal answers.
    pub fn key(readings: &[Reading], now: i64, calls: (u64, Pico)) -> u64 {
        // A multiply-xor fold, not a keyed hash: a few instructions a reading (xxh3 over every field
        // was 80k instructions of a warm prompt with a few hundred Codex snapshots). The bucket counts
        // by its length: readings of one provider differ in time, share or reset first.
        let mut acc: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut mix = |v: u64| acc = (acc ^ v).wrapping_mul(0x1000_0000_01b3).rotate_left(29);
        for r in readings.iter().filter(|r| r.observed_at <= now) {
            mix(r.window as u64 | (r.bucket.len() as u64) << 8);
            mix(r.used_percent.to_bits());
            mix(r.resets_at as u64);
            mix(r.observed_at as u64);
            mix(r.account);
        }
        mix(calls.0);
        mix(calls.1 as u64);
        mix((calls.1 >> 64) as u64);
        acc
    }

    /// The newest reading observed by `now`: the instant the key's calls run to.
    pub fn newest(readings: &[Reading], now: i64) -> Option<i64> {
        readings.iter().map(|r| r.observed_at).filter(|t| *t <= now).max()
    }
}

impl Evidence {
    pub fn of(&self, w: Window) -> impl Iterator<Item = &Reading> {
        self.readings.iter().filter(move |r| r.window == w)
    }
}

/// How long a reading is shown as is when there was local use since and nothing converts it to a share.
#[derive(Clone, Copy, Debug)]
pub struct Trust {
    pub fresh_ms: i64,
}

/// A snapshot with 0% and a reset a whole window away, as Codex writes when a window starts afresh
/// (or it does not know): it does not erase a real reading of a window still running when it came.
pub fn placeholder(r: &Reading) -> bool {
    r.used_percent == 0.0 && r.resets_at - r.observed_at >= r.window.len_ms() - 2 * MINUTE_MS
}

/// The reading of window `w` that counts at `now`: the newest, unless it is a placeholder over a
/// real one.
pub fn effective(readings: &[Reading], w: Window, now: i64) -> Option<&Reading> {
    let mut rs: Vec<&Reading> = readings.iter().filter(|r| r.window == w && r.observed_at <= now).collect();
    rs.sort_by_key(|r| r.observed_at);
    for (i, r) in rs.iter().enumerate().rev() {
        let over_real = placeholder(r) && rs[..i].iter().any(|o| o.used_percent > 0.0 && o.resets_at > r.observed_at);
        if !over_real {
            return Some(r);
        }
    }
    None
}

/// A rise this large or larger between two readings is a pair to learn from: shares are reported
/// to a point or so, and a one-point step would be mostly rounding.
const MIN_RISE: f64 = 3.0;
/// Fewer pairs than this are not evidence of what a percent costs (one rise may be all use elsewhere).
const MIN_PAIRS: usize = 3;
/// The newest pairs that count: plans change.
const KEEP_PAIRS: usize = 12;

fn same_window(a: &Reading, b: &Reading) -> bool {
    a.same_window(b)
}

/// The readings of `r`'s window observed at or before `r`, oldest first, placeholders left out.
pub fn of_window<'a>(readings: &'a [Reading], r: &Reading) -> Vec<&'a Reading> {
    let mut rs: Vec<&Reading> =
        readings.iter().filter(|o| same_window(o, r) && o.observed_at <= r.observed_at && !placeholder(o)).collect();
    rs.sort_by_key(|o| o.observed_at);
    rs
}

/// A sample's window began halfway between two samples that show it starting, at most this far apart.
const BRACKET_MS: i64 = 20 * MINUTE_MS;
/// Jitter allowed between a sample's time and a reset another source gave.
const JITTER_MS: i64 = 2 * MINUTE_MS;

/// The readings with their resets. A sample without one (Claude Desktop's history) joins the window
/// whose reset another reading gave, `R - length < t < R`; failing that, for the 5 hours, the one its
/// own series shows starting (a share that rose from 0, or fell, between two samples at most 20
/// minutes apart: the window began halfway between, within about 8 minutes). Samples of another
/// organisation than the one followed are left out (the one `.claude.json` names, else the newest
/// sample's): Claude Desktop and Claude Code sign in separately.
/// Without samples (the common case) the readings themselves, not a copy: Codex keeps hundreds, and
/// every prompt looks at them.
pub fn anchor(readings: &[Reading]) -> Cow<'_, [Reading]> {
    if readings.iter().all(Reading::anchored) {
        return Cow::Borrowed(readings);
    }
    let mut out: Vec<Reading> = readings.iter().filter(|r| r.anchored()).cloned().collect();
    out.extend(placed(readings));
    Cow::Owned(out)
}

/// The samples among `readings` that `anchor` places, with their resets.
pub fn placed(readings: &[Reading]) -> Vec<Reading> {
    let (anchored, samples): (Vec<&Reading>, Vec<&Reading>) = readings.iter().partition(|r| r.anchored());
    let mut out: Vec<Reading> = Vec::new();
    if samples.is_empty() {
        return out;
    }
    let named = anchored.iter().filter(|r| r.account != 0).max_by_key(|r| r.observed_at).map(|r| r.account);
    let followed = named.or_else(|| samples.iter().max_by_key(|r| r.observed_at).map(|r| r.account));
    let mine: Vec<&Reading> = samples.into_iter().filter(|s| Some(s.account) == followed).collect();
    for w in [Window::FiveHour, Window::SevenDay] {
        let mut series: Vec<&Reading> = mine.iter().copied().filter(|s| s.window == w).collect();
        series.sort_by_key(|s| s.observed_at);
        let starts: Vec<i64> = series
            .windows(2)
            .filter(|p| {
                let (a, b) = (p[0], p[1]);
                b.used_percent > 0.0
                    && (a.used_percent == 0.0 || b.used_percent < a.used_percent)
                    && b.observed_at - a.observed_at <= BRACKET_MS
            })
            .map(|p| (p[0].observed_at + p[1].observed_at) / 2)
            .collect();
        for s in series {
            let given = anchored
                .iter()
                .filter(|a| a.provider == s.provider && a.window == w && a.main())
                .filter(|a| a.resets_at - w.len_ms() - JITTER_MS < s.observed_at && s.observed_at < a.resets_at)
                .map(|a| a.resets_at)
                .max();
            let seen = || {
                let start = starts.iter().copied().filter(|t| *t <= s.observed_at).max()?;
                (w == Window::FiveHour && s.observed_at < start + w.len_ms()).then_some(start + w.len_ms())
            };
            if let Some(reset) = given.or_else(seen) {
                out.push(Reading { resets_at: reset, ..s.clone() });
            }
        }
    }
    out
}

/// A rise of a reported share: `points` more at `to` than at `from`, spread over the time between.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rise {
    pub from: i64,
    pub to: i64,
    pub points: f64,
}

/// The rises between successive readings of one window (as `of_window` gives them): the readings'
/// own trend, whatever machine caused it.
pub fn rises(rs: &[&Reading]) -> Vec<Rise> {
    rs.windows(2)
        .filter(|p| p[1].used_percent > p[0].used_percent)
        .map(|p| Rise { from: p[0].observed_at, to: p[1].observed_at, points: p[1].used_percent - p[0].used_percent })
        .collect()
}

/// The cost of one percent of window `w` (pico-dollars), from what the readings show changing while
/// local calls happen: for each rise of `MIN_RISE` points or more between two readings of one window,
/// the local cost between them over the rise. Use elsewhere adds to a rise and not to the local cost,
/// so it only ever lowers a pair's figure: the 75th percentile of the newest pairs stands above the
/// pairs it touched. A single level says nothing (how much of it is use elsewhere is unknown), and
/// fewer than `MIN_PAIRS` pairs are not evidence: `None`.
pub fn calibrate(readings: &[Reading], w: Window, now: i64, cost_upto: &dyn Fn(i64) -> Pico) -> Option<f64> {
    let mut rs: Vec<&Reading> =
        readings.iter().filter(|r| r.window == w && r.main() && r.observed_at <= now && !placeholder(r)).collect();
    rs.sort_by_key(|r| r.observed_at);
    // The rises, grouped by window as they come: (from, to, points).
    let mut rises: Vec<(i64, i64, f64)> = Vec::new();
    let mut anchors: Vec<&Reading> = Vec::new();
    for r in rs {
        let Some(k) = anchors.iter().position(|a| same_window(a, r)) else {
            anchors.push(r);
            continue;
        };
        let a = anchors[k];
        let rise = r.used_percent - a.used_percent;
        if rise < 0.0 {
            // A share that went down (a correction, a reset moved): start again from here.
            anchors[k] = r;
        } else if rise >= MIN_RISE {
            rises.push((a.observed_at, r.observed_at, rise));
            anchors[k] = r;
        }
    }
    // The local cost of the newest only: each end is a look-up in the ledger (a binary search of
    // the base, about 8k instructions: 24 pairs of two windows were a third of a warm prompt), and
    // the pairs of one window meet end to end, so each end is looked up once.
    rises.sort_by_key(|p| p.1);
    let mut cum: Vec<(i64, Pico)> = Vec::new();
    let mut cost_upto = |t: i64| match cum.iter().find(|(at, _)| *at == t) {
        Some(&(_, c)) => c,
        None => {
            let c = cost_upto(t);
            cum.push((t, c));
            c
        }
    };
    let mut newest: Vec<f64> = Vec::new();
    for &(from, to, rise) in rises.iter().rev() {
        let c = cost_upto(to).saturating_sub(cost_upto(from));
        if c > 0 {
            newest.push(c as f64 / rise);
            if newest.len() == KEEP_PAIRS {
                break;
            }
        }
    }
    (newest.len() >= MIN_PAIRS).then(|| percentile(newest, 0.75))
}

/// The `q` quantile of `v` (nearest rank).
fn percentile(mut v: Vec<f64>, q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::provider::Provider;
    use crate::ground::time::HOUR_MS;

    fn reading(w: Window, used: f64, resets_at: i64, observed_at: i64) -> Reading {
        Reading::new(Provider::CODEX, w, used, resets_at, observed_at)
    }

    const D: Pico = 1_000_000_000_000;

    #[test]
    fn placeholders_do_not_erase_real_readings() {
        let h = HOUR_MS;
        let real = reading(Window::FiveHour, 35.0, 12 * h, 10 * h);
        let fake = reading(Window::FiveHour, 0.0, 10 * h + 5 * 60_000 + 5 * h, 10 * h + 5 * 60_000);
        let rs = [real.clone(), fake.clone()];
        assert_eq!(effective(&rs, Window::FiveHour, 11 * h), Some(&real));
        // After the real window's reset a 0% reading is simply the new window.
        let later = reading(Window::FiveHour, 0.0, 13 * h + 5 * h, 13 * h);
        let rs = [real.clone(), later.clone()];
        assert_eq!(effective(&rs, Window::FiveHour, 14 * h), Some(&later));
        // Readings from after now do not exist yet.
        assert_eq!(effective(std::slice::from_ref(&real), Window::FiveHour, 9 * h), None);
        assert_eq!(effective(std::slice::from_ref(&real), Window::SevenDay, 11 * h), None);
    }

    #[test]
    fn samples_join_the_window_another_source_gave() {
        use crate::ground::evidence::account_of;
        let h = HOUR_MS;
        let m = MINUTE_MS;
        let (mine, theirs) = (account_of("org-a"), account_of("org-b"));
        let sample = |w: Window, used: f64, at: i64, acct: u64| Reading::sample(Provider::CLAUDE, w, used, at, acct);
        // `.claude.json` (org a) gave the week's reset (day 7) and an old 5-hour window (resets at 3 h).
        let mut week = Reading::new(Provider::CLAUDE, Window::SevenDay, 30.0, 7 * 24 * h, h);
        week.account = mine;
        let five = Reading::new(Provider::CLAUDE, Window::FiveHour, 10.0, 3 * h, h);
        let rs = vec![
            week.clone(),
            five,
            sample(Window::SevenDay, 34.0, 10 * h, mine),
            sample(Window::SevenDay, 90.0, 10 * h, theirs),
            // Within the old 5-hour window: its reset.
            sample(Window::FiveHour, 12.0, 2 * h, mine),
            // A new window seen starting: 0% at 10:00, 3% at 10:15 (began 10:07:30).
            sample(Window::FiveHour, 0.0, 10 * h, mine),
            sample(Window::FiveHour, 3.0, 10 * h + 15 * m, mine),
            // Long after any start it can place: no window.
            sample(Window::FiveHour, 40.0, 20 * h, mine),
        ];
        let got: Vec<(Window, f64, i64)> = anchor(&rs)
            .iter()
            .filter(|r| r.observed_at >= 2 * h)
            .map(|r| (r.window, r.used_percent, r.resets_at))
            .collect();
        let began = 10 * h + 15 * m / 2;
        assert_eq!(
            got,
            vec![
                (Window::FiveHour, 12.0, 3 * h),
                (Window::FiveHour, 3.0, began + 5 * h),
                (Window::SevenDay, 34.0, 7 * 24 * h),
            ],
            "the other organisation's 90% is not this account's; the 0% before the start has no window"
        );
        // Without `.claude.json` naming one, the newest sample's organisation is followed.
        let only =
            vec![sample(Window::FiveHour, 0.0, 10 * h, mine), sample(Window::FiveHour, 3.0, 10 * h + 15 * m, theirs)];
        assert!(anchor(&only).iter().all(|r| r.account == theirs));
    }

    #[test]
    fn cost_of_a_percent_by_hand() {
        let h = HOUR_MS;
        let w5 = |used: f64, resets: i64, at: i64| reading(Window::FiveHour, used, resets * h, at);
        // One window resetting at 15:00: 5% at 10:00, 12% at 11:00 after $2.80 of local use ($0.40 a
        // percent); 13% at 11:30 is one point, too little to learn from; 16% at 12:00, four points
        // since 11:00 after $2.00 ($0.50). The next, resetting at 30:00: 10% at 26:00, 20% at 27:00
        // after $3 ($0.30); 30% at 28:00 with nothing local (all of it elsewhere: no pair); 25% at 29:00
        // (a drop: learning starts again there); 29% at 29:30 after $8 ($2.00).
        let rs = [
            w5(5.0, 15, 10 * h),
            w5(12.0, 15, 11 * h),
            w5(13.0, 15, 11 * h + h / 2),
            w5(16.0, 15, 12 * h),
            w5(10.0, 30, 26 * h),
            w5(20.0, 30, 27 * h),
            w5(30.0, 30, 28 * h),
            w5(25.0, 30, 29 * h),
            w5(29.0, 30, 29 * h + h / 2),
        ];
        // Local use by the half hour: $2.80 in 10:00-11:00, $2 in 11:00-12:00, $3 in 26:00-27:00, $8
        // in 29:00-29:30, as the cost of everything up to an instant.
        let cost = |t: i64| -> Pico {
            let spent = [(11 * h, 28 * D / 10), (12 * h, 2 * D), (27 * h, 3 * D), (29 * h + h / 2, 8 * D)];
            spent.iter().filter(|(at, _)| *at <= t).map(|(_, c)| c).sum()
        };
        // Pairs $0.40, $0.50, $0.30, $2.00: the 75th percentile (the third of four) is $0.50.
        let cpp = calibrate(&rs, Window::FiveHour, 40 * h, &cost).unwrap();
        assert!((cpp / D as f64 - 0.5).abs() < 1e-9, "{cpp}");
        // Two pairs are not evidence yet; a single level never is.
        assert_eq!(calibrate(&rs[..4], Window::FiveHour, 40 * h, &cost), None);
        assert_eq!(calibrate(&rs, Window::FiveHour, 12 * h, &cost), None, "readings after now do not exist yet");
        assert_eq!(calibrate(&rs, Window::SevenDay, 40 * h, &cost), None);
        // The rises of the second window: 10, 10, then 4 after the drop.
        let second = of_window(&rs, &rs[8]);
        let up: Vec<f64> = rises(&second).iter().map(|r| r.points).collect();
        assert_eq!(up, vec![10.0, 10.0, 4.0]);
    }
}
