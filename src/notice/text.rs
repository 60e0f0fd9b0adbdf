//! A notice in words, one line: what crossed, and when it resets.

use super::Level;
use super::due::Due;
use crate::forecast::gauge::Gauge;
use crate::ground::provider::Provider;
use crate::ground::time::MINUTE_MS;
use crate::render::clean::clean;
use crate::render::style::Style;
use crate::render::words::{duration, whole};

pub fn text(d: &Due, now: i64, style: &Style) -> String {
    said(d.runway.provider, d.gauge, d.level, now, style)
}

fn said(provider: Provider, g: &Gauge, level: Level, now: i64, style: &Style) -> String {
    let what = if g.label.is_empty() {
        format!("{} {}", provider.title(), g.window.label())
    } else if g.window == crate::ground::window::Window::Spend {
        format!("{} {}", provider.title(), clean(&g.label))
    } else {
        format!("{} {} {}", provider.title(), clean(&g.label), g.window.label())
    };
    let mark = style.glyphs.of_source(g.source);
    let used = g.used_percent.map(|p| format!("{mark}{}%", whole(p))).unwrap_or_default();
    let reset = g.resets_at.map(|t| format!("resets in {}", duration(t - now))).unwrap_or_default();
    match level {
        Level::Limit => format!("runway: {what} limit reached ({used}); it {reset}"),
        Level::Forecast => {
            let m = g.minutes_to_limit.map(|m| duration((m * MINUTE_MS as f64) as i64)).unwrap_or_default();
            let pace = if g.warned_at_steady() { "at the last half hour's pace" } else { "at this rate" };
            format!("runway: {what} at {used}: {pace} the limit comes in {m}, before it {reset}")
        }
        Level::Warn | Level::Danger => format!("runway: {what} at {used}; it {reset}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::limit::Source;
    use crate::ground::time::HOUR_MS;
    use crate::ground::window::Window;

    #[test]
    fn a_forecast_names_the_pace_its_time_comes_from() {
        let g = Gauge {
            used_percent: Some(40.0),
            minutes_to_limit: Some(28.0),
            minutes_to_empty: Some(28.2),
            ..Gauge::new(Window::FiveHour, Source::Server, Some(3 * HOUR_MS))
        };
        let say = |g: &Gauge| said(Provider::CLAUDE, g, Level::Forecast, 0, &Style::default());
        assert_eq!(
            say(&g),
            "runway: Claude Code 5h at 40%: at this rate the limit comes in 28m, before it resets in 3h00m"
        );
        // The present rate fills it in 50 minutes; the steady rule's time, 28, is the one given.
        let steady = Gauge { minutes_to_empty: Some(50.0), ..g };
        assert_eq!(
            say(&steady),
            "runway: Claude Code 5h at 40%: at the last half hour's pace the limit comes in 28m, before it resets in 3h00m"
        );
    }
}
