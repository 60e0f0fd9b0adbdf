//! What one percent of each window costs (pico-dollars), learned from what the readings show changing
//! while local calls happen: for each rise of `MIN_RISE` points or more between two readings of one
//! window, the local cost between them over the rise. Use elsewhere adds to a rise and not to the
//! local cost, so it only ever lowers a pair's figure: the 75th percentile of the newest pairs stands
//! above the pairs it touched. A single level says nothing (how much of it is use elsewhere is
//! unknown), and fewer than `MIN_PAIRS` pairs are not evidence: `None`.

use super::evidence::{Calibration, Rise, placeholder, same_window};
use crate::ground::evidence::Reading;
use crate::ground::tokens::Pico;
use crate::ground::window::Window;

impl Calibration {
    /// The pairs both windows' costs are learned from (`pairs`), from the main pool's readings.
    pub fn pairs(main: &[Reading], now: i64) -> Pairs {
        Pairs { five: pairs(main, Window::FiveHour, now), seven: pairs(main, Window::SevenDay, now) }
    }

    /// Learns both windows' costs from their pairs.
    pub fn learn(p: &Pairs, cost_upto: &dyn Fn(i64) -> Pico) -> Calibration {
        Calibration { five: cost_per_point(&p.five, cost_upto), seven: cost_per_point(&p.seven, cost_upto) }
    }
}

/// The rises of both windows the costs of a percent are learned from: with the calls up to the
/// newest of them, all the answer stands on. A reading that moves no anchor (the status line's,
/// at every prompt, while the share stays within 3 points) changes none of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pairs {
    five: Vec<Rise>,
    seven: Vec<Rise>,
}

impl Pairs {
    /// Whether there could be an answer: fewer than `MIN_PAIRS` pairs in both windows is none,
    /// without a look at the calls.
    pub fn telling(&self) -> bool {
        self.five.len() >= MIN_PAIRS || self.seven.len() >= MIN_PAIRS
    }

    /// The end of the newest pair: the instant the key's calls run to.
    pub fn newest(&self) -> Option<i64> {
        self.five.iter().chain(&self.seven).map(|r| r.to).max()
    }

    /// What the answer stands on: the pairs, and the calls up to the newest (`calls`: their count
    /// and cost, which moves when any call before it is added or replaced). Equal keys, equal answers.
    pub fn key(&self, calls: (u64, Pico)) -> u64 {
        // A multiply-xor fold, not a keyed hash: a few instructions a pair (xxh3 over every field of
        // every reading was 80k instructions of a warm prompt with a few hundred Codex snapshots).
        let mut acc: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut mix = |v: u64| acc = (acc ^ v).wrapping_mul(0x1000_0000_01b3).rotate_left(29);
        for (w, list) in [(1, &self.five), (2, &self.seven)] {
            mix(w);
            for r in list {
                mix(r.from as u64);
                mix(r.to as u64);
                mix(r.points.to_bits());
            }
        }
        mix(calls.0);
        mix(calls.1 as u64);
        mix((calls.1 >> 64) as u64);
        acc
    }
}

/// A rise this large or larger between two readings is a pair to learn from: shares are reported
/// to a point or so, and a one-point step would be mostly rounding.
const MIN_RISE: f64 = 3.0;
/// Fewer pairs than this are not evidence of what a percent costs (one rise may be all use elsewhere).
const MIN_PAIRS: usize = 3;
/// The newest pairs that count: plans change.
const KEEP_PAIRS: usize = 12;

/// The rises of `MIN_RISE` points or more of window `w` by `now`, each from the reading that began it
/// (the first at its level, or where a drop started learning again), by their end.
fn pairs(readings: &[Reading], w: Window, now: i64) -> Vec<Rise> {
    let mut rs: Vec<&Reading> =
        readings.iter().filter(|r| r.window == w && r.main() && r.observed_at <= now && !placeholder(r)).collect();
    rs.sort_by_key(|r| r.observed_at);
    let mut rises: Vec<Rise> = Vec::new();
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
            rises.push(Rise { from: a.observed_at, to: r.observed_at, points: rise });
            anchors[k] = r;
        }
    }
    rises.sort_by_key(|p| p.to);
    rises
}

/// The answer from the pairs: the 75th percentile of the newest `KEEP_PAIRS` with local
/// calls between their ends.
fn cost_per_point(rises: &[Rise], cost_upto: &dyn Fn(i64) -> Pico) -> Option<f64> {
    if rises.len() < MIN_PAIRS {
        return None;
    }
    // The local cost of the newest only: each end is a look-up in the ledger (a binary search of
    // the base, about 8k instructions: 24 pairs of two windows were a third of a warm prompt), and
    // the pairs of one window meet end to end, so each end is looked up once.
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
    for r in rises.iter().rev() {
        let c = cost_upto(r.to).saturating_sub(cost_upto(r.from));
        if c > 0 {
            newest.push(c as f64 / r.points);
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
    use crate::forecast::evidence::{of_window, rises};
    use crate::ground::provider::Provider;
    use crate::ground::time::HOUR_MS;

    fn reading(w: Window, used: f64, resets_at: i64, observed_at: i64) -> Reading {
        Reading::new(Provider::CODEX, w, used, resets_at, observed_at)
    }

    const D: Pico = 1_000_000_000_000;

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
        let calibrate = |rs: &[Reading], w, now| cost_per_point(&pairs(rs, w, now), &cost);
        let cpp = calibrate(&rs, Window::FiveHour, 40 * h).unwrap();
        assert!((cpp / D as f64 - 0.5).abs() < 1e-9, "{cpp}");
        // Two pairs are not evidence yet; a single level never is.
        assert_eq!(calibrate(&rs[..4], Window::FiveHour, 40 * h), None);
        assert_eq!(calibrate(&rs, Window::FiveHour, 12 * h), None, "readings after now do not exist yet");
        assert_eq!(calibrate(&rs, Window::SevenDay, 40 * h), None);
        // The rises of the second window: 10, 10, then 4 after the drop.
        let second = of_window(&rs, &rs[8]);
        let up: Vec<f64> = rises(&second).iter().map(|r| r.points).collect();
        assert_eq!(up, vec![10.0, 10.0, 4.0]);
    }

    #[test]
    fn a_reading_that_moves_no_anchor_keeps_the_key() {
        let h = HOUR_MS;
        let w5 = |used: f64, at: i64| reading(Window::FiveHour, used, 15 * h, at);
        let calls = (40, 7 * D);
        // 5% at 10:00, 9% at 11:00, 13% at 12:00: pairs of 4 points each, ending at 11:00 and 12:00.
        let rs = vec![w5(5.0, 10 * h), w5(9.0, 11 * h), w5(13.0, 12 * h)];
        let p = Calibration::pairs(&rs, 14 * h);
        assert_eq!((p.newest(), p.telling()), (Some(12 * h), false), "two pairs are too few");
        let key = p.key(calls);
        // The status line's 14% at every prompt since: within 3 points of 13%, nothing to learn.
        let mut more = rs.clone();
        more.extend([w5(14.0, 12 * h + 600_000), w5(14.0, 13 * h)]);
        assert_eq!(Calibration::pairs(&more, 14 * h).key(calls), key);
        // 16% at 13:30 is three points over 13%: a third pair, and another key.
        more.push(w5(16.0, 13 * h + h / 2));
        let p3 = Calibration::pairs(&more, 14 * h);
        assert_eq!((p3.newest(), p3.telling()), (Some(13 * h + h / 2), true));
        assert_ne!(p3.key(calls), key);
        // The same pairs over other calls: another key.
        assert_ne!(p.key((41, 7 * D)), key);
        assert_ne!(p.key((40, 7 * D + 1)), key);
    }
}
