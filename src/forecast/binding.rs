//! Which of a tool's windows a segment shows: the one that binds. A segment that shows every window
//! of two tools is 60 columns (`C 41% ↻2h10m · C7d 64% ↻3d01h · X 4% ↻4h27m · X7d 26% ↻1d01h`),
//! wider than tmux's status bar, so by default each tool shows one, by this rule:
//!
//! 1. a window past the warning share (or at its limit): the fullest such;
//! 2. else the one that runs out first at the present pace (the fewest minutes until full);
//! 3. else (nothing burning) the first of the tool's windows (the 5 hours, or Copilot's month).
//!
//! The long form (`windows = all`) shows every window that matters (`Runway::shown`).

use super::Runway;
use super::gauge::Gauge;
use crate::ground::evidence::SCOPED_WEEKLY;
use crate::ground::window::Window;

impl Runway {
    /// The windows that could bind: the main pool's, and the fullest weekly per-model limit.
    fn candidates(&self) -> Vec<&Gauge> {
        let mut out: Vec<&Gauge> = self.gauges.iter().filter(|g| g.main()).collect();
        let scoped = self.others().filter(|g| g.window == Window::SevenDay && g.bucket.starts_with(SCOPED_WEEKLY));
        out.extend(scoped.max_by(|a, b| share(a).total_cmp(&share(b))));
        out
    }

    /// The window that binds (see the module comment); `None` when no window is running.
    pub fn binding(&self, warn_at: f64) -> Option<&Gauge> {
        let all = self.candidates();
        let hot = all.iter().copied().filter(|g| share(g) >= warn_at || g.over());
        if let Some(g) = hot.max_by(|a, b| share(a).total_cmp(&share(b))) {
            return Some(g);
        }
        let burning = all.iter().copied().filter(|g| g.minutes_to_empty.is_some_and(|m| m > 0.0));
        if let Some(g) =
            burning.min_by(|a, b| a.minutes_to_empty.unwrap_or(0.0).total_cmp(&b.minutes_to_empty.unwrap_or(0.0)))
        {
            return Some(g);
        }
        all.first().copied()
    }

    /// The long form: the 5-hour window, the 7-day one when it binds (closer to its limit than the
    /// 5-hour window, or past the warning share), the fullest weekly per-model limit by the same
    /// rule, and a month of premium requests.
    pub fn shown(&self, warn_at: f64) -> Vec<&Gauge> {
        let mut out: Vec<&Gauge> = self.five().into_iter().collect();
        let used5 = self.five().and_then(|g| g.used_percent);
        if let Some(s) = self.seven() {
            let used7 = s.used_percent.unwrap_or(0.0);
            if used5.is_none_or(|u| used7 > u) || used7 >= warn_at || s.minutes_to_limit.is_some() {
                out.push(s);
            }
        }
        let scoped = self.others().filter(|g| g.window == Window::SevenDay && g.bucket.starts_with(SCOPED_WEEKLY));
        if let Some(m) = scoped.max_by(|a, b| share(a).total_cmp(&share(b))) {
            let main = out.iter().filter_map(|g| g.used_percent).fold(f64::MIN, f64::max);
            if share(m) > main || share(m) >= warn_at {
                out.push(m);
            }
        }
        out.extend(self.gauge(Window::Month));
        out
    }
}

fn share(g: &Gauge) -> f64 {
    g.used_percent.unwrap_or(0.0)
}
