//! What the services themselves said about a quota: a share they reported, or a limit they said
//! was reached. One type each, whether it came from a transcript, the status line or a file, and one
//! plausibility check for every figure that comes from outside.

use super::provider::Provider;
use super::time::{DAY_MS, MINUTE_MS};
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
    /// The organisation the figure is about, as a hash of its id, when the source names one (Claude
    /// Code's `.claude.json`, Claude Desktop's history); 0 when it does not.
    pub account: u64,
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
            account: 0,
        }
    }

    /// A share sampled without its reset (Claude Desktop's history): it joins the window another
    /// source gave the reset of (see `forecast::evidence::anchor`).
    pub fn sample(provider: Provider, window: Window, used_percent: f64, observed_at: i64, account: u64) -> Reading {
        Reading { account, ..Reading::new(provider, window, used_percent, 0, observed_at) }
    }

    /// Whether its reset is known (every source but a sample's).
    pub fn anchored(&self) -> bool {
        self.resets_at > 0
    }

    /// Whether a forecast at `now` looks at it: it learns from the newest pairs of readings, a day
    /// of 5-hour windows and the week before this one, so a window that ended longer ago than that
    /// teaches it nothing.
    pub fn recent(&self, now: i64) -> bool {
        let back = if self.window == Window::FiveHour { DAY_MS } else { 8 * DAY_MS };
        self.resets_at >= now.saturating_sub(back)
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

    /// Whether `other` is a reading of the same window (the same tool, kind and allowance, and the same
    /// reset: a service may move a reset by seconds between two snapshots).
    pub fn same_window(&self, other: &Reading) -> bool {
        // The names last: most readings differ in their reset, and comparing two names calls memcmp
        // (a prompt over a month of Codex rollouts spent 50 µs on it).
        (self.resets_at - other.resets_at).abs() < SAME_RESET_MS
            && self.window == other.window
            && self.provider == other.provider
            && self.bucket == other.bucket
    }

    /// The name to show for its allowance.
    pub fn name(&self) -> &str {
        if self.label.is_empty() { &self.bucket } else { &self.label }
    }
}

/// An organisation's id as readings keep it: a hash, so that no account id is stored or shown.
pub fn account_of(id: &str) -> u64 {
    super::hash::key("account", &[id.trim().as_bytes()]).max(1)
}

/// What a file of readings is told before it is read: the organisation the files before it name
/// (0 for none), and the moment a replay is for (`--now`: samples after it do not exist yet;
/// `i64::MAX` in the present).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Follow {
    pub org: u64,
    pub until: i64,
}

/// Readings closer than this in their reset are of one window.
pub const SAME_RESET_MS: i64 = 5 * MINUTE_MS;

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

/// Readings oldest first by window (one allowance, one reset give or take a few minutes): each window
/// the indices of its readings, oldest first, a figure seen twice at one moment (two files, one
/// snapshot) once. Windows in the order they were first seen.
pub fn windows(readings: &[&Reading]) -> Vec<Vec<usize>> {
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, r) in readings.iter().enumerate() {
        match members.iter().rposition(|m| readings[m[0]].same_window(r)) {
            Some(w) => {
                let p = *members[w].last().unwrap_or(&i);
                let twin = readings[p].used_percent == r.used_percent && readings[p].observed_at == r.observed_at;
                if !twin {
                    members[w].push(i);
                }
            }
            None => members.push(vec![i]),
        }
    }
    members
}

/// Of readings oldest first, which say something the others do not: of each window the first reading
/// of each whole point of share and the window's last. A replay at any past instant finds the figure
/// the newest reading at or before it gave, to the point (exactly, for Codex's whole percents; 11 of
/// 12 windows of real rollouts differed when only each 10% step was kept), and a window keeps at most
/// about a hundred. Codex writes a reading with every call, so a file's readings are thinned this way
/// as they are read, and all of them again in the store.
pub fn telling(readings: &[&Reading]) -> Vec<bool> {
    let mut keep = vec![false; readings.len()];
    for m in windows(readings) {
        let point = |k: usize| readings[m[k]].used_percent.floor();
        for k in 0..m.len() {
            keep[m[k]] = k == 0 || k + 1 == m.len() || point(k) != point(k - 1);
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
