//! The present rate of use, and when it empties a window.
//!
//! The rate is an exponentially weighted average of recent use: each call counts with weight
//! `e^(-age/τ)`, so a call 20 minutes old counts 37%, an hour old 5%, and idle time brings the rate
//! down by itself. Early in a window there is less than τ of history to average over, so the sum is
//! divided by the weight the window has had so far, `τ·(1 - e^(-elapsed/τ))`, not by τ (otherwise the
//! first minutes of a burst would read low).
//!
//! A warning is a forecast that the limit comes soon, while work is going on (a call within `IDLE`),
//! by either of two rules:
//!
//! - the present rate reaches the limit within `HORIZON` and before the reset: quick to see a burst,
//!   and it lets go when the burst fades (a pace rarely holds for hours: further out cries wolf);
//! - once `STEADY_FROM` of the window is used, the slower of the average rates of the last 10 and 30
//!   minutes reaches the limit within `STEADY_HORIZON` and before the reset: steady work late in a
//!   window, which the present rate alone saw too late on histories it had not been tuned on.
//!
//! The constants were chosen with `benches/forecast.py` on the histories README lists, not one;
//! README gives the figures and the others tried.

use crate::ground::time::MINUTE_MS;

/// τ: a call this old counts 1/e as much as one made now.
pub const TAU_MS: i64 = 20 * MINUTE_MS;
/// Warn when the present rate reaches the limit within this long.
pub const HORIZON_MS: i64 = 45 * MINUTE_MS;
/// No call for this long: work has stopped, no warning.
pub const IDLE_MS: i64 = 10 * MINUTE_MS;
/// Calls older than this weigh less than 1/8000 and are not read.
pub const MEMORY_MS: i64 = 9 * TAU_MS;
/// The steady rule looks at a window this full or fuller (percent).
pub const STEADY_FROM: f64 = 40.0;
/// The steady rule warns when the limit comes within this long.
pub const STEADY_HORIZON_MS: i64 = 90 * MINUTE_MS;
/// The steady rule's rates: the slower of the averages over these.
const STEADY_SPANS: [i64; 2] = [10 * MINUTE_MS, 30 * MINUTE_MS];

/// The present rate, in amount per minute, of `(time, amount)` uses in a window that began at
/// `since`, at `now`.
pub fn present(uses: &[(i64, f64)], since: i64, now: i64) -> f64 {
    present_spread(uses, &[], since, now)
}

/// The present rate as `present` gives it, with `spread` uses besides: `(from, to, amount)`, an
/// amount spread evenly over a stretch of time (a reported share that rose by so much between two
/// readings: when in between it rose is not known). A stretch weighs
/// `amount / (to - from) × τ (e^(-(now-to)/τ) - e^(-(now-from)/τ))`, the integral of the weights over
/// it; as the stretch shrinks it weighs as one use at its end.
pub fn present_spread(uses: &[(i64, f64)], spread: &[(i64, i64, f64)], since: i64, now: i64) -> f64 {
    let tau = TAU_MS as f64;
    let w = |t: i64| (-((now - t) as f64) / tau).exp();
    let mut weighted: f64 = uses.iter().filter(|(t, _)| *t <= now).map(|(t, a)| a * w(*t)).sum();
    for &(from, to, amount) in spread.iter().filter(|s| s.0 <= now) {
        let to = to.min(now);
        weighted +=
            if to - from < MINUTE_MS { amount * w(to) } else { amount / (to - from) as f64 * tau * (w(to) - w(from)) };
    }
    let elapsed = (now - since).max(0) as f64;
    // At least a minute of weight: a first call at the instant it is made is not an infinite rate.
    let weight = (tau * (1.0 - (-elapsed / tau).exp())).max(MINUTE_MS as f64);
    weighted / weight * MINUTE_MS as f64
}

/// The average rate, in amount per minute, of the last `span` before `now` (the steady rule's), of
/// uses as `present_spread` takes them: a stretch counts for the part of it inside the span.
pub fn trailing(uses: &[(i64, f64)], spread: &[(i64, i64, f64)], now: i64, span: i64) -> f64 {
    let from = now - span;
    let mut sum: f64 = uses.iter().filter(|(t, _)| *t > from && *t <= now).map(|(_, a)| a).sum();
    for &(a, b, amount) in spread {
        let (a, b) = (a, b.min(now));
        sum += if b - a < MINUTE_MS {
            if b > from && b <= now { amount } else { 0.0 }
        } else {
            amount * ((b - a.max(from)).max(0) as f64 / (b - a) as f64)
        };
    }
    sum / span as f64 * MINUTE_MS as f64
}

/// The steady rule's rate: the slower of the averages of the last 10 and 30 minutes.
pub fn steady(uses: &[(i64, f64)], spread: &[(i64, i64, f64)], now: i64) -> f64 {
    STEADY_SPANS.iter().map(|&s| trailing(uses, spread, now, s)).fold(f64::INFINITY, f64::min)
}

/// Where the rates take a window: minutes until it is full, and whether that is a warning.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outlook {
    /// Used share over 100 percent per minute at the present rate; `None` when nothing is burning.
    pub minutes_to_empty: Option<f64>,
    /// Set when either rule warns (see the module comment).
    pub warning: bool,
    /// With the warning, minutes until the limit: at the present rate when that is sooner than the
    /// rule's that warned (the steady rule's slower rate may warn first: a warning of 1h13m beside a
    /// present rate that fills the window in 47 minutes read as a mistake).
    pub warn_in: Option<f64>,
    /// No call in the last `IDLE_MS`: no warning while work has stopped.
    pub idle: bool,
    /// Minutes until the limit at the steady rule's rate, once `STEADY_FROM` is used (warning or not).
    pub steady_in: Option<f64>,
    /// The present rate over the even rate that would just last until the reset.
    pub pace: Option<f64>,
}

/// The outlook of a window `used` percent full, burning `rate` percent a minute at present and
/// `steady` by the steady rule's rate, resetting at `resets_at`, whose last call was at `last_call`.
pub fn outlook(used: f64, rate: f64, steady: f64, resets_at: i64, last_call: Option<i64>, now: i64) -> Outlook {
    let left = 100.0 - used;
    let to_reset = (resets_at - now).max(0) as f64 / MINUTE_MS as f64;
    if left <= 0.0 {
        return Outlook {
            minutes_to_empty: Some(0.0),
            warning: false,
            warn_in: None,
            pace: None,
            idle: false,
            steady_in: None,
        };
    }
    let minutes_to_empty = (rate > 0.0).then(|| left / rate);
    let working = last_call.is_some_and(|t| now - t <= IDLE_MS);
    let minutes = |ms: i64| (ms as f64 / MINUTE_MS as f64).min(to_reset);
    let present = minutes_to_empty.filter(|m| *m <= minutes(HORIZON_MS));
    let steady_in = (used >= STEADY_FROM && steady > 0.0).then(|| left / steady);
    let steady = steady_in.filter(|m| *m <= minutes(STEADY_HORIZON_MS));
    let warn_in = match (present, steady) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
    .filter(|_| working)
    .map(|w| minutes_to_empty.map_or(w, |m| m.min(w)));
    let pace = (to_reset > 0.0).then(|| rate * to_reset / left);
    Outlook { minutes_to_empty, warning: warn_in.is_some(), warn_in, pace, idle: !working, steady_in }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: i64 = MINUTE_MS;

    fn approx(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn steady_work_reads_its_rate() {
        // 1% a minute for two hours, one call a minute: the weighted sum converges to 1%/min.
        let uses: Vec<(i64, f64)> = (1..=120).map(|i| (i * M, 1.0)).collect();
        let r = present(&uses, 0, 120 * M);
        // Hand sum: Σ_{k=0}^{119} e^{-k/20} = (1 - e^{-6}) / (1 - e^{-1/20}) = 20.448…; the weight is
        // 20 × (1 - e^{-6}) = 19.950… minutes: 1.0250%/min (a call at the instant counts whole).
        let expect = (1.0 - (-6.0f64).exp()) / (1.0 - (-0.05f64).exp()) / (20.0 * (1.0 - (-6.0f64).exp()));
        assert!(approx(r, expect), "{r} vs {expect}");
    }

    #[test]
    fn a_burst_then_silence_fades() {
        // 30% in one call at 10:00 in a window that began at 10:00, seen from 10:10, 10:30, 11:00.
        let uses = [(0, 30.0)];
        let at = |m: i64| present(&uses, 0, m * M);
        // 10:10: 30 e^{-1/2} / (20 (1 - e^{-1/2})) = 18.196 / 7.869 = 2.3122%/min.
        assert!(approx(at(10), 30.0 * (-0.5f64).exp() / (20.0 * (1.0 - (-0.5f64).exp()))));
        assert!(at(30) < at(10) / 2.0 && at(60) < at(30) / 2.0, "idle time brings it down");
        // After ten minutes without a call work has stopped: no warning at 10:11, even though the rate
        // alone (2.05%/min, 70% left: 34 minutes) reaches the limit within the horizon.
        let o = outlook(30.0, at(11), 0.0, 5 * 60 * M, Some(0), 11 * M);
        assert!(!o.warning && o.minutes_to_empty.unwrap() < 45.0, "work stopped over ten minutes ago: {o:?}");
        let o = outlook(30.0, at(9), 0.0, 5 * 60 * M, Some(0), 9 * M);
        assert!(o.warning && o.minutes_to_empty.unwrap() < 45.0, "{o:?}");
    }

    #[test]
    fn work_that_speeds_up_weighs_the_present() {
        // An hour at 0.2%/min, then ten minutes at 2%/min: the present rate is far above the hour's
        // average (32% / 70 min = 0.46%/min).
        let mut uses: Vec<(i64, f64)> = (1..=60).map(|i| (i * M, 0.2)).collect();
        uses.extend((61..=70).map(|i| (i * M, 2.0)));
        let r = present(&uses, 0, 70 * M);
        assert!(r > 0.9 && r < 2.0, "{r}");
        // 32% used, 68% left at that rate: the limit within the hour, with a 3h50m reset ahead.
        let o = outlook(32.0, r, 0.0, 300 * M, Some(70 * M), 70 * M);
        assert_eq!(o.warning, o.minutes_to_empty.unwrap() <= 45.0);
    }

    #[test]
    fn a_rise_between_readings_weighs_as_spread_over_the_time_between() {
        // 10 points between 10:00 and 11:00, seen at 11:00 in a window running for days: the weight
        // is 10/60 × 20 × (1 - e^{-3}) = 3.1673 over 20 minutes of weight: 0.15837%/min (9.5%/h), not
        // the 0.5%/min the same 10 points at 11:00 would read.
        let r = present_spread(&[], &[(0, 60 * M, 10.0)], -10_000 * M, 60 * M);
        let expect = 10.0 / 60.0 * 20.0 * (1.0 - (-3.0f64).exp()) / 20.0;
        assert!(approx(r, expect), "{r} vs {expect}");
        let at_once = present(&[(60 * M, 10.0)], -10_000 * M, 60 * M);
        assert!(approx(at_once, 0.5));
        // A stretch shorter than a minute is one use at its end.
        assert!(approx(present_spread(&[], &[(60 * M - 1_000, 60 * M, 10.0)], -10_000 * M, 60 * M), 0.5));
    }

    #[test]
    fn steady_work_late_in_a_window_warns_further_out() {
        // 60% used, 0.5%/min at present: 80 minutes to the limit, past the 45-minute horizon. The
        // last 10 minutes averaged 0.6%/min and the last 30 0.45%/min: the slower, 0.45, fills the
        // other 40% in 88.9 minutes, within the steady rule's 90: a warning, shown as the present
        // rate's 80 minutes, the sooner (88.9 beside a rate that fills it in 80 read as a mistake).
        let o = outlook(60.0, 0.5, 0.45, 300 * M, Some(0), 0);
        assert!(o.warning && (o.warn_in.unwrap() - 80.0).abs() < 1e-9, "{o:?}");
        assert!((o.steady_in.unwrap() - 40.0 / 0.45).abs() < 1e-9 && !o.idle, "{o:?}");
        // The present rate slower than the steady one: the steady rule's time.
        let o = outlook(60.0, 0.4, 0.45, 300 * M, Some(0), 0);
        assert!((o.warn_in.unwrap() - 40.0 / 0.45).abs() < 1e-9, "{o:?}");
        // Under 40% used the steady rule says nothing; idle, nothing warns.
        assert!(!outlook(39.0, 0.5, 0.9, 300 * M, Some(0), 0).warning);
        let idle = outlook(60.0, 0.5, 0.45, 300 * M, Some(-11 * M), 0);
        assert!(!idle.warning && idle.idle);
        assert_eq!(outlook(39.0, 0.5, 0.9, 300 * M, Some(0), 0).steady_in, None, "it looks from 40% on");
        // Both rules: the sooner.
        let o = outlook(60.0, 2.0, 0.45, 300 * M, Some(0), 0);
        assert_eq!(o.warn_in, Some(20.0));
        // The trailing averages by hand: 3% at -5 min and 6% spread over -40..-20 min. The last 10
        // minutes: 3 / 10 = 0.3%/min; the last 30: (3 + 6 × 10/20) / 30 = 0.2%/min.
        let uses = [(-5 * M, 3.0)];
        let spread = [(-40 * M, -20 * M, 6.0)];
        assert!(approx(trailing(&uses, &spread, 0, 10 * M), 0.3));
        assert!(approx(trailing(&uses, &spread, 0, 30 * M), 0.2));
        assert!(approx(steady(&uses, &spread, 0), 0.2));
    }

    #[test]
    fn the_horizon_and_the_reset() {
        // 50% used, 1%/min: empty in 50 minutes, past the 45-minute horizon: no warning yet.
        let o = outlook(50.0, 1.0, 0.0, 200 * M, Some(0), 0);
        assert_eq!((o.minutes_to_empty, o.warning), (Some(50.0), false));
        // 2%/min: 25 minutes, a warning; pace 2 × 200 / 50 = 8.
        let o = outlook(50.0, 2.0, 0.0, 200 * M, Some(0), 0);
        assert_eq!((o.minutes_to_empty, o.warning, o.pace), (Some(25.0), true, Some(8.0)));
        // The reset comes first (in 20 minutes): no warning.
        assert!(!outlook(50.0, 2.0, 0.0, 20 * M, Some(0), 0).warning);
        // Full: a state, not a countdown.
        let full = outlook(104.0, 2.0, 0.0, 20 * M, Some(0), 0);
        assert_eq!((full.minutes_to_empty, full.warning), (Some(0.0), false));
    }
}
