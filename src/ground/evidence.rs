//! What the services themselves said about a quota: a share they reported, or a limit they said
//! was reached. One type each, whether it came from a transcript, the status line or a file, and one
//! plausibility check for every figure that comes from outside.

use super::provider::Provider;
use super::time::MINUTE_MS;
use super::window::Window;

/// A window's used share as the service reported it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub provider: Provider,
    pub window: Window,
    /// 0-100 (more when a limit was overrun).
    pub used_percent: f64,
    /// Milliseconds since the epoch.
    pub resets_at: i64,
    pub observed_at: i64,
    /// The allowance the figure is about: empty for the main pool; otherwise the service's id of a
    /// separate one (Codex's `limit_id` such as `codex_bengalfox`).
    pub bucket: String,
    /// The allowance's name as the service gives it (`GPT-5.3-Codex-Spark`); may be empty.
    pub label: String,
    /// The only window of its snapshot: a Codex account whose snapshot carries the week alone has
    /// no 5-hour window at all.
    pub alone: bool,
}

impl Reading {
    /// With its names kept to a sane width (they come from outside).
    pub fn bounded(mut self) -> Reading {
        use super::text::{NAME, cap};
        if self.bucket.chars().nth(NAME).is_some() || self.label.chars().nth(NAME).is_some() {
            (self.bucket, self.label) = (cap(&self.bucket, NAME), cap(&self.label, NAME));
        }
        self
    }

    /// A reading of the main pool.
    pub fn new(provider: Provider, window: Window, used_percent: f64, resets_at: i64, observed_at: i64) -> Reading {
        Reading {
            provider,
            window,
            used_percent,
            resets_at,
            observed_at,
            bucket: String::new(),
            label: String::new(),
            alone: false,
        }
    }

    /// An organisation's spend limit (Claude Code's `rate_limits.spend_limit`): an allowance of its
    /// own, which can pass 100%.
    pub fn spend(provider: Provider, used_percent: f64, resets_at: i64, observed_at: i64) -> Reading {
        Reading {
            bucket: SPEND.into(),
            label: "spend limit".into(),
            ..Reading::new(provider, Window::Spend, used_percent, resets_at, observed_at)
        }
    }

    pub fn main(&self) -> bool {
        self.bucket.is_empty()
    }

    /// The name to show for its allowance.
    pub fn name(&self) -> &str {
        if self.label.is_empty() { &self.bucket } else { &self.label }
    }
}

/// The bucket of a spend limit.
pub const SPEND: &str = "spend_limit";

/// The bucket of a weekly per-model limit (`weekly:<model>`, Claude Code's `weekly_scoped`).
pub const SCOPED_WEEKLY: &str = "weekly:";

/// The service said a limit was reached (Claude Code's "usage limit reached" notice).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LimitHit {
    pub provider: Provider,
    pub window: Window,
    pub at: i64,
    /// When the notice named one.
    pub resets_at: Option<i64>,
}

/// A reset time as a service wrote it, in seconds since the epoch, to milliseconds. A value too
/// large to be seconds (after the year 5000) is taken for milliseconds.
pub fn reset_ms(raw: f64) -> Option<i64> {
    if !raw.is_finite() || raw <= 0.0 {
        return None;
    }
    let ms = if raw > 1e11 { raw } else { raw * 1000.0 };
    (ms < 1e15).then_some(ms as i64)
}

/// Whether a reported figure can be shown: a finite share from 0 to 1000% (a spend limit can pass
/// 100%), and a reset after its observation and at most one window length (and two minutes of clock
/// skew) later. The reason when not.
pub fn check(used_percent: f64, resets_at: i64, observed_at: i64, window: Window) -> Result<(), &'static str> {
    if !used_percent.is_finite() || !(0.0..=1000.0).contains(&used_percent) {
        return Err("share outside 0-1000%");
    }
    if resets_at <= observed_at {
        return Err("reset not after the observation");
    }
    if resets_at - observed_at > window.len_ms() + 2 * MINUTE_MS {
        return Err("reset more than a window away");
    }
    Ok(())
}

/// Of readings oldest first, which say something the others do not: of each window (one allowance,
/// one reset) the first, and the newest of each 10% of its share. Codex writes a reading with every
/// call; these are enough to answer for any instant (a `--now` replay sees the window as it stood),
/// and thinning a file's readings first keeps every one that thinning them all together would.
pub fn telling(readings: &[&Reading]) -> Vec<bool> {
    use std::collections::HashSet;
    type Instance<'a> = (Provider, &'a str, u8, i64);
    fn instance<'a>(r: &'a Reading) -> Instance<'a> {
        (r.provider, r.bucket.as_str(), r.window as u8, r.resets_at)
    }
    let mut keep = vec![false; readings.len()];
    let mut first: HashSet<Instance> = HashSet::new();
    let mut newest_of_step: HashSet<(Instance, i64)> = HashSet::new();
    for (i, r) in readings.iter().enumerate() {
        if first.insert(instance(r)) {
            keep[i] = true;
        }
    }
    for (i, r) in readings.iter().enumerate().rev() {
        let step = (r.used_percent / 10.0).floor() as i64;
        if newest_of_step.insert((instance(r), step)) {
            keep[i] = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_770_931_800_000; // 2026-02-12T21:30:00Z

    #[test]
    fn implausible_figures_are_refused() {
        let h5 = Window::FiveHour;
        assert_eq!(check(23.5, NOW + 3_600_000, NOW, h5), Ok(()));
        assert_eq!(check(140.0, NOW + 3_600_000, NOW, h5), Ok(()), "a spend limit can pass 100%");
        for used in [f64::NAN, f64::INFINITY, -0.5, 1e300, 1000.5] {
            assert!(check(used, NOW + 1, NOW, h5).is_err(), "{used}");
        }
        assert!(check(5.0, NOW, NOW, h5).is_err(), "a reset at the observation");
        assert!(check(5.0, NOW - 1, NOW, h5).is_err(), "a reset before it");
        assert!(check(5.0, NOW + 5 * 3_600_000 + 3 * 60_000, NOW, h5).is_err(), "more than a window ahead");
        assert_eq!(check(5.0, NOW + 6 * 86_400_000, NOW, Window::SevenDay), Ok(()));
    }

    #[test]
    fn seconds_and_milliseconds() {
        assert_eq!(reset_ms(1_781_290_000.0), Some(1_781_290_000_000));
        assert_eq!(reset_ms(1_781_290_000_000.0), Some(1_781_290_000_000), "milliseconds recognised");
        assert_eq!(reset_ms(1e300), None);
        assert_eq!(reset_ms(-5.0), None);
        assert_eq!(reset_ms(f64::NAN), None);
    }
}
