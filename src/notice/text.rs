//! A notice in words, one line: what crossed, and when it resets.

use super::Level;
use super::due::Due;
use crate::forecast::limit::Source;
use crate::ground::time::MINUTE_MS;
use crate::render::clean::clean;
use crate::render::style::Style;
use crate::render::words::{duration, whole};

pub fn text(d: &Due, now: i64, style: &Style) -> String {
    let g = d.gauge;
    let what = if g.label.is_empty() {
        format!("{} {}", d.runway.provider.title(), g.window.label())
    } else if g.window == crate::ground::window::Window::Spend {
        format!("{} {}", d.runway.provider.title(), clean(&g.label))
    } else {
        format!("{} {} {}", d.runway.provider.title(), clean(&g.label), g.window.label())
    };
    let mark = match g.source {
        Source::Configured | Source::History => style.glyphs.estimate.as_str(),
        Source::Extrapolated => style.glyphs.extrapolated.as_str(),
        Source::Server | Source::None => "",
    };
    let used = g.used_percent.map(|p| format!("{mark}{}%", whole(p))).unwrap_or_default();
    let reset = g.resets_at.map(|t| format!("resets in {}", duration(t - now))).unwrap_or_default();
    match d.level {
        Level::Limit => format!("runway: {what} limit reached ({used}); it {reset}"),
        Level::Forecast => {
            let m = g.minutes_to_limit.map(|m| duration((m * MINUTE_MS as f64) as i64)).unwrap_or_default();
            format!("runway: {what} at {used}: at this rate the limit comes in {m}, before it {reset}")
        }
        Level::Warn | Level::Danger => format!("runway: {what} at {used}; it {reset}"),
    }
}
