//! What is worth telling the user without being asked: a window past the warning or danger share,
//! the limit coming before the reset, the limit reached. Pure: a function of the runways.

use super::{About, Key, Least, Level};
use crate::forecast::Runway;
use crate::forecast::gauge::Gauge;

/// A notice due: the gauge it is about and how serious it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Due<'a> {
    pub runway: &'a Runway,
    pub gauge: &'a Gauge,
    pub level: Level,
}

impl Due<'_> {
    /// Names the window and level, the same in every shell (the reset to the minute: it is the
    /// window's identity).
    pub fn key(&self) -> Key {
        let about = About::Window {
            provider: self.runway.provider,
            window: self.gauge.window,
            bucket: self.gauge.bucket.clone(),
            reset_minute: self.gauge.resets_at.unwrap_or(0) / 60_000,
        };
        Key { about, level: self.level }
    }
}

/// The level a gauge has reached, if any.
pub fn level(g: &Gauge, warn_at: f64, danger_at: f64) -> Option<Level> {
    let used = g.used_percent?;
    match () {
        _ if g.over() => Some(Level::Limit),
        _ if g.minutes_to_limit.is_some() => Some(Level::Forecast),
        _ if used >= danger_at => Some(Level::Danger),
        _ if used >= warn_at => Some(Level::Warn),
        _ => None,
    }
}

/// The notices the runways call for, from `least` up: every window with a reset (the 5 hours, the
/// week, a per-model limit) at its highest level.
pub fn due(runways: &[Runway], warn_at: f64, danger_at: f64, least: Least) -> Vec<Due<'_>> {
    let mut out = Vec::new();
    for r in runways {
        for g in &r.gauges {
            if g.resets_at.is_none() {
                continue;
            }
            if let Some(level) = level(g, warn_at, danger_at).filter(|l| least.admits(*l)) {
                out.push(Due { runway: r, gauge: g, level });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::limit::Source;
    use crate::ground::window::Window;

    fn gauge(used: f64, warn: Option<f64>) -> Gauge {
        Gauge {
            used_percent: Some(used),
            minutes_to_limit: warn,
            ..Gauge::new(Window::FiveHour, Source::Server, Some(3_600_000))
        }
    }

    #[test]
    fn levels_by_share_forecast_and_limit() {
        assert_eq!(level(&gauge(69.9, None), 70.0, 90.0), None);
        assert_eq!(level(&gauge(70.0, None), 70.0, 90.0), Some(Level::Warn));
        assert_eq!(level(&gauge(90.0, None), 70.0, 90.0), Some(Level::Danger));
        assert_eq!(level(&gauge(40.0, Some(30.0)), 70.0, 90.0), Some(Level::Forecast), "the limit before the reset");
        assert_eq!(level(&gauge(100.0, None), 70.0, 90.0), Some(Level::Limit));
    }
}
