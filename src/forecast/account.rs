//! The 5-hour window of the account when other devices work too. The window is the account's, not
//! this machine's: the block rule (`ground::block`) over every device's use together. This machine's
//! own block can begin after the account's window did (another laptop opened it at 17:00, this one
//! joined at 19:10) or be over while the account's is not, and the other way round.
//!
//! Another device's use is known by the hour only, and that is enough: a block starts on the hour,
//! so use opens a new block exactly when it comes five hours or more after the block's start (the
//! gap rule never decides on its own: a call five hours after the last is five after the start too).
//! The one case the hours cannot tell apart, a call at the very millisecond the fifth hour begins, is
//! taken as opening a block.

use crate::ground::block::BLOCK_MS;
use crate::ground::time::{HOUR_MS, floor_hour};

/// How far back the walk starts. Past five quiet hours the rule starts afresh whatever came before,
/// so only a day of use without five quiet hours in it could put the walk out of step.
pub const SPAN_MS: i64 = 24 * HOUR_MS;

/// The start of the account's window running at `now`, walking from `from` (on the hour): `next(x)`
/// is the time of the first use at or after `x`, on any device. Within a block nothing but its end
/// matters, so the walk asks once a block (a few questions a day), never call by call (a day of the
/// benchmark's history is 2,300 calls).
pub fn window_start(next: impl Fn(i64) -> Option<i64>, from: i64, now: i64) -> Option<i64> {
    let mut start = None;
    let mut at = from;
    while let Some(t) = next(at).filter(|t| *t <= now) {
        let s = floor_hour(t);
        start = Some(s);
        at = s + BLOCK_MS;
    }
    start.filter(|s| now < s + BLOCK_MS)
}

/// The starts of the account's windows that began at or after `from` and ended by `now`, walking as
/// `window_start` does from a day before `from` (use before `from` sets where the windows fall: a
/// walk begun at `from` put them out of step, and joined the end of one window to the start of the
/// next).
pub fn completed_starts(next: impl Fn(i64) -> Option<i64>, from: i64, now: i64) -> Vec<i64> {
    let mut out = Vec::new();
    let mut at = floor_hour(from - SPAN_MS);
    while let Some(t) = next(at).filter(|t| *t <= now) {
        let s = floor_hour(t);
        if s + BLOCK_MS > now {
            break;
        }
        if s >= from {
            out.push(s);
        }
        at = s + BLOCK_MS;
    }
    out
}

/// The first hour at or after `at` among `hours` (starts, in time order).
pub fn next_hour(hours: &[i64], at: i64) -> Option<i64> {
    hours.get(hours.partition_point(|h| *h < at)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_completed_windows_from_a_moment_fall_where_the_use_before_it_put_them() {
        // This machine at 5:10 (its window 5-10), another device's first hour 6 (where its hours
        // begin), this machine again at 10:10, 11:10, 14:40, 15:10: windows 10-15 and 15-20. Walked
        // from 6 they were 6-11 and 11-16, out of step, and 11-16 held the end of one and the start
        // of the next.
        let all = [h(5) + 10 * M, h(6), h(10) + 10 * M, h(11) + 10 * M, h(14) + 40 * M, h(15) + 10 * M];
        assert_eq!(completed_starts(at(&all), h(6), h(21)), vec![h(10), h(15)]);
        assert_eq!(completed_starts(at(&all), h(6), h(19)), vec![h(10)], "the running one left out");
    }

    const T0: i64 = 1_770_894_000_000; // 2026-02-12T11:00:00Z, on the hour
    const M: i64 = 60_000;

    fn h(n: i64) -> i64 {
        T0 + n * HOUR_MS
    }

    /// Use at these instants, as `window_start` asks for it.
    fn at(times: &[i64]) -> impl Fn(i64) -> Option<i64> + '_ {
        move |x| times.iter().copied().filter(|t| *t >= x).min()
    }

    #[test]
    fn another_device_opened_the_window_first() {
        // Theirs at 17, 18 and 19 (h 6-8), this machine's first call at 19:10: the window is 17-22,
        // not this machine's 19-00. At 21:59 it runs; at 22:00 it is over, and 23:48 shows none.
        let all = [h(6), h(7), h(8), h(8) + 10 * M];
        assert_eq!(window_start(at(&all), h(0), h(11) - 1), Some(h(6)));
        assert_eq!(window_start(at(&all), h(0), h(11)), None);
        assert_eq!(window_start(at(&all), h(0), h(12) + 48 * M), None);
    }

    #[test]
    fn use_five_hours_after_the_start_opens_the_next_window() {
        // Use at 11, 14:00:01 and 16: 16 is five hours after 11, so it opens 16-21; at 17:30 that runs.
        let all = [h(0), h(3) + 1, h(5)];
        assert_eq!(window_start(at(&all), h(0), h(6) + 30 * M), Some(h(5)));
        // Before the 16:00 hour's use, the 11:00 window is over at 16:00 and none runs.
        assert_eq!(window_start(at(&all[..2]), h(0), h(5)), None);
        // Use after `now` (a replay) does not exist yet.
        assert_eq!(window_start(at(&[h(0), h(7)]), h(0), h(2)), Some(h(0)));
    }

    #[test]
    fn the_next_hour_of_a_series() {
        let hours = [h(1), h(3), h(4)];
        assert_eq!(
            [next_hour(&hours, h(0)), next_hour(&hours, h(3)), next_hour(&hours, h(5))],
            [Some(h(1)), Some(h(3)), None]
        );
    }
}
