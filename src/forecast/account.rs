//! The 5-hour window of the account when other devices work too. The window is the account's, not
//! this machine's: the block rule (`ground::block`) over every device's use together. This machine's
//! own block can begin after the account's window did (another laptop opened it at 17:00, this one
//! joined at 19:10) or be over while the account's is not, and the other way round.
//!
//! Another device's use is known by the hour only, and that is enough: a block starts on the hour,
//! so use opens a new block exactly when its hour is five hours or more after the block's start (the
//! gap rule never decides on its own: a call five hours after the last is five after the start too).
//! The one case the hours cannot tell apart, a call at the very millisecond the fifth hour begins, is
//! taken as opening a block.

use crate::ground::block::BLOCK_MS;
use crate::ground::time::{HOUR_MS, floor_hour};

/// How far back the walk starts. Past five quiet hours the rule starts afresh whatever came before,
/// so only a day of use without five quiet hours in it could put the walk out of step.
pub const SPAN_MS: i64 = 24 * HOUR_MS;

/// The start of the account's window running at `now`, from the starts of the hours with use (in
/// time order, any devices, repeats allowed): none when the last window is over.
pub fn window_start(hours: impl IntoIterator<Item = i64>, now: i64) -> Option<i64> {
    let mut start: Option<i64> = None;
    for h in hours.into_iter().take_while(|h| *h <= now) {
        if start.is_none_or(|s| h >= s + BLOCK_MS) {
            start = Some(h);
        }
    }
    start.filter(|s| now < s + BLOCK_MS)
}

/// The hours with use of this machine (its calls' times) and of the others (their hours' starts),
/// merged in time order.
pub fn merged_hours(calls: &[i64], others: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut hours: Vec<i64> = calls.iter().map(|t| floor_hour(*t)).chain(others).collect();
    hours.sort_unstable();
    hours.dedup();
    hours
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_770_894_000_000; // 2026-02-12T11:00:00Z, on the hour

    fn h(n: i64) -> i64 {
        T0 + n * HOUR_MS
    }

    #[test]
    fn another_device_opened_the_window_first() {
        // Theirs at 17, 18 and 19 (h 6-8), this machine's first call at 19:10: the window is 17-22,
        // not this machine's 19-00. At 21:59 it runs; at 22:00 it is over, and 23:48 shows none.
        let hours = merged_hours(&[h(8) + 10 * 60_000], [h(6), h(7), h(8)].into_iter());
        assert_eq!(hours, vec![h(6), h(7), h(8)]);
        assert_eq!(window_start(hours.iter().copied(), h(11) - 1), Some(h(6)));
        assert_eq!(window_start(hours.iter().copied(), h(11)), None);
        assert_eq!(window_start(hours.iter().copied(), h(12) + 48 * 60_000), None);
    }

    #[test]
    fn use_five_hours_after_the_start_opens_the_next_window() {
        // Use at 11, 14 and 16: 16 is five hours after 11, so it opens 16-21; at 17:30 that runs.
        let hours = merged_hours(&[h(3) + 1], [h(0), h(5)].into_iter());
        assert_eq!(window_start(hours.iter().copied(), h(6) + 30 * 60_000), Some(h(5)));
        // Before the 16:00 hour's use, the 11:00 window is over at 16:00 and none runs.
        assert_eq!(window_start([h(0), h(3)], h(5)), None);
        // Hours after `now` (a replay) do not exist yet.
        assert_eq!(window_start([h(0), h(7)], h(2)), Some(h(0)));
    }
}
