//! One window as shown: how full, by whose account, until when, and how the present rate ends it.

use super::burn::minutes_to;
use super::limit::Source;
use crate::ground::time::MINUTE_MS;
use crate::ground::window::Window;

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
        self.source.estimated()
    }
}

/// Used share over elapsed share of a window that ends at `resets_at`.
pub fn pace(used: f64, resets_at: i64, w: Window, now: i64) -> Option<f64> {
    let elapsed = (now - (resets_at - w.len_ms())) as f64 / w.len_ms() as f64;
    (elapsed > 0.0).then(|| used / 100.0 / elapsed)
}

/// Minutes until 100% at `pct_per_minute`, and the same if it comes before the reset.
pub fn to_empty(used: f64, pct_per_minute: Option<f64>, resets_at: i64, now: i64) -> (Option<f64>, Option<f64>) {
    let m = pct_per_minute.and_then(|r| minutes_to(used, 100.0, r));
    (m, m.filter(|m| now + (*m * MINUTE_MS as f64) as i64 <= resets_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::time::HOUR_MS;

    #[test]
    fn pace_and_time_to_empty_by_hand() {
        let h = HOUR_MS;
        // 40% used 2 h into a 5 h window (40% elapsed): on pace, 1.0.
        assert_eq!(pace(40.0, 15 * h, Window::FiveHour, 12 * h), Some(1.0));
        // 60% left at 0.5% a minute: 120 minutes; before a reset 3 h away, so a warning.
        assert_eq!(to_empty(40.0, Some(0.5), 15 * h, 12 * h), (Some(120.0), Some(120.0)));
        assert_eq!(to_empty(40.0, Some(0.25), 15 * h, 12 * h), (Some(240.0), None));
    }
}
