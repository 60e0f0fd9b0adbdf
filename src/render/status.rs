//! `runway status` for people: each provider's windows, where the present rate takes them, the block
//! and the week, in words. The figures are the forecast's, the same the segment shows.

use super::words::{count, duration, usd, utc_minute};
use crate::forecast::Runway;
use crate::forecast::gauge::Gauge;
use crate::forecast::limit::{Measure, Source};
use crate::forecast::rate::HORIZON_MS;
use crate::ground::time::MINUTE_MS;
use crate::ground::tokens::Totals;
use crate::ground::window::Window;

fn totals(t: &Totals) -> String {
    let calls = if t.entries == 1 { "call" } else { "calls" };
    format!("{} {calls} · {} tokens · ${:.2}", t.entries, count(t.sums.total()), usd(t.sums.cost))
}

fn minutes(m: f64) -> String {
    duration((m * MINUTE_MS as f64) as i64)
}

fn window_name(w: Window) -> &'static str {
    match w {
        Window::FiveHour => "5 hours",
        Window::SevenDay => "7 days",
    }
}

/// The share and where it comes from.
fn share(r: &Runway, g: &Gauge) -> String {
    let Some(p) = g.used_percent else {
        return format!("${:.2} so far; no limit known yet (no completed block), so no share", usd(g.cost));
    };
    let limit = match (r.limit.cost, r.limit.tokens, r.limit.measure) {
        (Some(c), _, Measure::Cost) => format!("${:.2}", usd(c)),
        (_, Some(t), _) => format!("{} tokens", count(t)),
        _ => String::new(),
    };
    let ago = |t: Option<i64>| t.map(|t| format!(" {} ago", duration(r.now - t))).unwrap_or_default();
    let over = if g.over() { ", past the limit" } else { "" };
    match g.source {
        Source::Server => format!("{p:.0}%{over} (reported by the service{})", ago(g.observed_at)),
        Source::Extrapolated => {
            format!("≈{p:.0}%{over} (the service's reading{} plus local use since)", ago(g.observed_at))
        }
        Source::History => format!(
            "~{p:.0}% of {limit}{over} (an estimate: the limit is learned from the {})",
            r.limit.learned.map_or("history", |l| l.as_str())
        ),
        Source::Configured => format!("~{p:.0}% of {limit}{over} (configured)"),
        Source::None => String::new(),
    }
}

/// Where the present rate takes a window, in words.
fn outlook(g: &Gauge) -> Option<String> {
    if g.over() {
        return Some("the limit is reached; it resets as shown".into());
    }
    let rate = g.percent_per_hour?;
    let mut s = format!("burning {rate:.1}% of the window an hour (recent calls weigh more; idle time brings it down)");
    match (g.minutes_to_limit, g.minutes_to_empty, g.pace) {
        (Some(m), _, _) => {
            s += &format!("\n            at this rate the limit is reached in {}, before the reset", minutes(m))
        }
        (None, Some(m), Some(p)) if p > 1.0 => {
            s += &format!(
                "\n            at this rate it fills in {}, before the reset (pace {p:.1}); runway warns once that is {} away",
                minutes(m),
                minutes(HORIZON_MS as f64 / MINUTE_MS as f64)
            )
        }
        (None, _, Some(p)) if rate > 0.0 => {
            s += &format!(
                "\n            at this rate it lasts until the reset (pace {p:.2}: below 1 lasts, above 1 runs out)"
            )
        }
        _ => {}
    }
    Some(s)
}

fn gauge(r: &Runway, g: &Gauge) -> String {
    let reset = g
        .resets_at
        .map(|t| format!(" · resets in {} ({} UTC)", duration(t - r.now), &utc_minute(t)[5..]))
        .unwrap_or_default();
    let mut s = format!("  {:<9} {}{reset}\n", window_name(g.window), share(r, g));
    if let Some(o) = outlook(g) {
        s += &format!("  {:<9} {o}\n", "now");
    }
    s
}

pub fn human(r: &Runway) -> String {
    let mut out = format!("{}\n", r.provider.title());
    match &r.five {
        Some(g) => out += &gauge(r, g),
        None if r.weekly_only => out += "  5 hours   none: the service reports only a weekly window for this account\n",
        None => out += "  5 hours   no window running\n",
    }
    match &r.block {
        Some(b) if b.active => {
            out += &format!("  block     {} since {} UTC\n", totals(&b.block.totals), &utc_minute(b.block.start)[5..])
        }
        Some(b) => out += &format!("  block     none active (the last began {} UTC)\n", utc_minute(b.block.start)),
        None => {}
    }
    if let Some(g) = &r.seven {
        out += &gauge(r, g);
    }
    out += &format!("  {:<9} {}\n", "week", totals(&r.week));
    for g in &r.others {
        let reset = g.resets_at.map(|t| format!(", resets in {}", duration(t - r.now))).unwrap_or_default();
        out += &format!(
            "  {:<9} {}: {:.0}% of its {} window (reported by the service{reset})\n",
            "also",
            g.label,
            g.used_percent.unwrap_or(0.0),
            g.window.label()
        );
    }
    if !r.unpriced.is_empty() {
        out += &format!("  unpriced  {} (counted in tokens, not in cost)\n", r.unpriced.join(", "));
    }
    out
}
