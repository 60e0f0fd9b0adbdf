//! What the services said, sorted for the forecast: which reading counts, how long it may be trusted,
//! and what one percent of a window costs, learned from the readings themselves.

use crate::ground::evidence::{LimitHit, Reading};
use crate::ground::time::MINUTE_MS;
use crate::ground::tokens::Pico;
use crate::ground::window::Window;

/// What the services reported and noticed, for one provider.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub readings: Vec<Reading>,
    pub hits: Vec<LimitHit>,
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

/// Cost of one percent (pico-dollars) of window `w`, from readings: local cost from the window's
/// start to each reading over its share. Only the newest reading of the last few windows counts, and
/// only shares of 3% or more, so that rounding does not dominate.
pub fn calibrate(readings: &[Reading], w: Window, now: i64, cost_between: &dyn Fn(i64, i64) -> Pico) -> Option<f64> {
    let mut newest_per_window: Vec<&Reading> = Vec::new();
    let mut rs: Vec<&Reading> =
        readings.iter().filter(|r| r.window == w && r.observed_at <= now && !placeholder(r)).collect();
    rs.sort_by_key(|r| std::cmp::Reverse(r.observed_at));
    for r in rs {
        if newest_per_window.iter().any(|o| (o.resets_at - r.resets_at).abs() < 5 * MINUTE_MS) {
            continue;
        }
        newest_per_window.push(r);
        if newest_per_window.len() == 4 {
            break;
        }
    }
    let (mut cost, mut pct) = (0f64, 0f64);
    for r in newest_per_window {
        let start = r.resets_at - r.window.len_ms();
        // A share observed outside the window it names cannot be checked against local use.
        if r.used_percent < 3.0 || r.observed_at < start || r.observed_at >= r.resets_at {
            continue;
        }
        let c = cost_between(start, r.observed_at);
        if c > 0 {
            cost += c as f64;
            pct += r.used_percent;
        }
    }
    (pct >= 3.0).then(|| cost / pct)
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
    fn cost_of_a_percent_by_hand() {
        let h = HOUR_MS;
        // Window 10:00-15:00, 20% at 12:00 after $8 of local use: $0.40 a percent. An older window
        // with 10% at $3 joins it: $11 / 30% = $0.3667. A 1% reading is too coarse to count.
        let rs = [
            reading(Window::FiveHour, 20.0, 15 * h, 12 * h),
            reading(Window::FiveHour, 10.0, 8 * h, 4 * h),
            reading(Window::FiveHour, 1.0, 30 * h, 26 * h),
        ];
        let cost = |a: i64, b: i64| -> Pico {
            match (a, b) {
                (x, y) if x == 10 * h && y == 12 * h => 8 * D,
                (x, y) if x == 3 * h && y == 4 * h => 3 * D,
                _ => 50 * D,
            }
        };
        let cpp = calibrate(&rs[..2], Window::FiveHour, 13 * h, &cost).unwrap();
        assert!((cpp / D as f64 - 11.0 / 30.0).abs() < 1e-9, "{cpp}");
        assert_eq!(calibrate(&rs[2..], Window::FiveHour, 40 * h, &cost), None);
    }
}
