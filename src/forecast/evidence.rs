//! What the services said, sorted for the forecast: which reading counts, how long it may be trusted,
//! and how the share rose (what one percent costs is `calibration`).

use std::borrow::Cow;

use crate::ground::evidence::{LimitHit, Reading};
use crate::ground::time::MINUTE_MS;
use std::rc::Rc;

use crate::ground::tokens::Hourly;
use crate::ground::window::Window;

/// What the services reported and noticed, for one provider.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub readings: Vec<Reading>,
    pub hits: Vec<LimitHit>,
    /// What one percent costs, when it was learned before from the same readings and ledger (see
    /// `calibration::Pairs::key`); learned again when `None`.
    pub calibration: Option<Calibration>,
    /// The account's largest completed window and how many held enough calls (see
    /// `forecast::account_windows`), when walked before over the same use; walked again when `None`.
    pub account: Option<AccountWindows>,
    /// The end of the account's running 5-hour window when other devices worked in the last day
    /// (`Some(None)`: none runs), when worked out before over the same use; walked again when `None`.
    pub window_end: Option<Option<i64>>,
    /// Use on the user's other devices, by the hour it began (their sync files), in time order, hours
    /// begun by the forecast's instant: it adds to this machine's in each window. Shared, not copied
    /// (see `sync::elsewhere`).
    pub elsewhere: Rc<Vec<Hourly>>,
}

/// Kept between runs in the same shape (`store::memo`).
pub use crate::store::memo::AccountWindows;

/// What one percent of each window costs (pico-dollars), learned from the readings' rises (the
/// `calibration` module).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Calibration {
    pub five: Option<f64>,
    pub seven: Option<f64>,
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

pub fn same_window(a: &Reading, b: &Reading) -> bool {
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

/// The main allowance's readings observed by `now` (of `anchor`'s): most often all of them, and then
/// not copied.
pub fn main_pool(readings: &[Reading], now: i64) -> Cow<'_, [Reading]> {
    let is_main = |r: &Reading| r.main() && r.observed_at <= now;
    match readings.iter().all(is_main) {
        true => Cow::Borrowed(readings),
        false => Cow::Owned(readings.iter().filter(|r| is_main(r)).cloned().collect()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::provider::Provider;
    use crate::ground::time::HOUR_MS;

    fn reading(w: Window, used: f64, resets_at: i64, observed_at: i64) -> Reading {
        Reading::new(Provider::CODEX, w, used, resets_at, observed_at)
    }

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
}
