//! The segment, escaped once per target.
//!
//! Each host needs its own escaping, and getting it wrong is how prompts break: zsh wants colour
//! sequences inside `%{ %}` and `%` doubled; bash wants `\[ \]` and `\`, `$` and backquote protected
//! from its prompt expansion; tmux takes no ANSI at all but `#[fg=…]`, with `#` doubled; fish and the
//! Claude Code status line take raw ANSI; `plain` is text only.

use clap::ValueEnum;

use crate::runway::{Gauge, Source};
use crate::window::MINUTE_MS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Target {
    Zsh,
    Bash,
    Fish,
    Tmux,
    Plain,
    /// Raw ANSI (the Claude Code status line).
    #[value(skip)]
    Ansi,
}

/// How full a window is, which picks the colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Ok,
    Warn,
    Danger,
    /// No percentage to judge (no limit known).
    Neutral,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Glyphs {
    pub reset: String,
    pub warning: String,
    pub estimate: String,
    pub extrapolated: String,
}

impl Glyphs {
    pub fn unicode() -> Glyphs {
        Glyphs { reset: "↻".into(), warning: "⚠ ".into(), estimate: "~".into(), extrapolated: "≈".into() }
    }
    pub fn ascii() -> Glyphs {
        Glyphs { reset: "r".into(), warning: "!".into(), estimate: "~".into(), extrapolated: "~=".into() }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Colors {
    /// tmux colour names (`green`, `colour214`, `#ffaf00`) and the matching ANSI SGR parameters.
    pub ok: (String, String),
    pub warn: (String, String),
    pub danger: (String, String),
}

impl Default for Colors {
    fn default() -> Colors {
        Colors {
            ok: ("green".into(), "32".into()),
            warn: ("yellow".into(), "33".into()),
            danger: ("red".into(), "31".into()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    pub color: bool,
    pub glyphs: Glyphs,
    pub colors: Colors,
    /// Used share (percent) at which the segment turns amber, then red.
    pub warn_at: f64,
    pub danger_at: f64,
    /// One window: `{label} {mark}{used} {reset} {warning}` and friends (see `window_text`).
    pub format: String,
    /// Between windows, and between status-line fields.
    pub separator: String,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            color: true,
            glyphs: Glyphs::unicode(),
            colors: Colors::default(),
            warn_at: 70.0,
            danger_at: 90.0,
            format: "{label} {mark}{used} {reset} {warning}".into(),
            separator: " · ".into(),
        }
    }
}

/// `1h23m`, `45m`, `2d03h`.
pub fn duration(ms: i64) -> String {
    let m = (ms.max(0) + MINUTE_MS - 1) / MINUTE_MS; // round up: "0m" only when it is really now
    let (d, h, m) = (m / 1440, (m % 1440) / 60, m % 60);
    if d > 0 {
        format!("{d}d{h:02}h")
    } else if h > 0 {
        format!("{h}h{m:02}m")
    } else {
        format!("{m}m")
    }
}

pub fn level(percent: Option<f64>, warning: bool, style: &Style) -> Level {
    match percent {
        _ if warning => Level::Danger,
        None => Level::Neutral,
        Some(p) if p >= style.danger_at => Level::Danger,
        Some(p) if p >= style.warn_at => Level::Warn,
        Some(_) => Level::Ok,
    }
}

/// One window as plain text, from the format string, and its level. Placeholders: `{label}`, `{mark}`
/// (estimate or extrapolation glyph), `{used}` (the share, or the cost when no limit is known),
/// `{pct}`, `{cost}`, `{reset}`, `{warning}`. Empty parts and the spaces around them drop out.
pub fn window_text(label: &str, g: &Gauge, now: i64, style: &Style) -> (String, Level) {
    let gl = &style.glyphs;
    let mark = match g.source {
        Source::Server | Source::None => "",
        Source::Extrapolated => gl.extrapolated.as_str(),
        Source::Configured | Source::History => gl.estimate.as_str(),
    };
    let cost = format!("${:.2}", crate::pricing::usd(g.cost));
    let pct = g.used_percent.map(|p| format!("{}%", p.round() as i64)).unwrap_or_default();
    let used = if g.used_percent.is_some() { pct.clone() } else { cost.clone() };
    let reset = g.resets_at.map(|r| format!("{}{}", gl.reset, duration(r - now))).unwrap_or_default();
    let warning = g
        .minutes_to_limit
        .map(|m| format!("{}{}", gl.warning, duration((m * MINUTE_MS as f64) as i64)))
        .unwrap_or_default();
    let mark = if g.used_percent.is_some() { mark } else { "" };
    let text = style
        .format
        .replace("{label}", label)
        .replace("{mark}", mark)
        .replace("{used}", &used)
        .replace("{pct}", &pct)
        .replace("{cost}", &cost)
        .replace("{reset}", &reset)
        .replace("{warning}", &warning);
    let text = text.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    (text, level(g.used_percent, g.minutes_to_limit.is_some(), style))
}

/// Escapes text for the target's prompt expansion.
pub fn escape_text(s: &str, t: Target) -> String {
    match t {
        Target::Zsh => s.replace('%', "%%"),
        // Bash decodes backslashes first, then (promptvars) expands `$`, backquote and `\` once more.
        Target::Bash => s.replace('\\', r"\\\\").replace('$', r"\\$").replace('`', r"\\`"),
        Target::Tmux => s.replace('#', "##"),
        Target::Fish | Target::Plain | Target::Ansi => s.to_owned(),
    }
}

/// Wraps escaped text in the target's colour syntax.
pub fn paint(escaped: &str, lvl: Level, t: Target, style: &Style) -> String {
    let c = &style.colors;
    let (tmux, sgr) = match lvl {
        Level::Ok => (&c.ok.0, &c.ok.1),
        Level::Warn => (&c.warn.0, &c.warn.1),
        Level::Danger => (&c.danger.0, &c.danger.1),
        Level::Neutral => return escaped.to_owned(),
    };
    if !style.color {
        return escaped.to_owned();
    }
    let on = format!("\x1b[{sgr}m");
    let off = "\x1b[0m";
    match t {
        Target::Zsh => format!("%{{{on}%}}{escaped}%{{{off}%}}"),
        Target::Bash => format!("\\[{on}\\]{escaped}\\[{off}\\]"),
        Target::Tmux => format!("#[fg={tmux}]{escaped}#[fg=default]"),
        Target::Fish | Target::Ansi => format!("{on}{escaped}{off}"),
        Target::Plain => escaped.to_owned(),
    }
}

/// The segment: each window escaped and painted for the target, joined by the separator.
pub fn segment(windows: &[(String, &Gauge)], now: i64, t: Target, style: &Style) -> String {
    let parts: Vec<String> = windows
        .iter()
        .map(|(label, g)| {
            let (text, lvl) = window_text(label, g, now, style);
            paint(&escape_text(&text, t), lvl, t, style)
        })
        .collect();
    parts.join(&escape_text(&style.separator, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(83 * MINUTE_MS), "1h23m");
        assert_eq!(duration(40 * MINUTE_MS), "40m");
        assert_eq!(duration(39 * MINUTE_MS + 1), "40m", "rounds up");
        assert_eq!(duration(0), "0m");
        assert_eq!(duration(-5), "0m");
        assert_eq!(duration((2 * 1440 + 3 * 60 + 5) * MINUTE_MS), "2d03h");
    }

    #[test]
    fn escaping_per_target() {
        let s = "5h ~62% #1 $2 \\ `x`";
        assert_eq!(escape_text(s, Target::Zsh), "5h ~62%% #1 $2 \\ `x`");
        assert_eq!(escape_text(s, Target::Tmux), "5h ~62% ##1 $2 \\ `x`");
        assert_eq!(escape_text(s, Target::Bash), r"5h ~62% #1 \\$2 \\\\ \\`x\\`");
        assert_eq!(escape_text(s, Target::Plain), s);
    }

    #[test]
    fn colours_per_target() {
        let st = Style::default();
        assert_eq!(paint("a", Level::Ok, Target::Zsh, &st), "%{\x1b[32m%}a%{\x1b[0m%}");
        assert_eq!(paint("a", Level::Warn, Target::Bash, &st), "\\[\x1b[33m\\]a\\[\x1b[0m\\]");
        assert_eq!(paint("a", Level::Danger, Target::Tmux, &st), "#[fg=red]a#[fg=default]");
        assert_eq!(paint("a", Level::Ok, Target::Fish, &st), "\x1b[32ma\x1b[0m");
        assert_eq!(paint("a", Level::Ok, Target::Plain, &st), "a");
        let mono = Style { color: false, ..Style::default() };
        assert_eq!(paint("a", Level::Danger, Target::Zsh, &mono), "a");
    }

    fn gauge(used: Option<f64>, warn: Option<f64>) -> Gauge {
        Gauge {
            window: crate::readings::Window::FiveHour,
            source: Source::History,
            used_percent: used,
            cost: 4_120_000_000_000,
            resets_at: Some(83 * MINUTE_MS),
            minutes_to_limit: warn,
            minutes_to_empty: warn,
            pace: None,
            observed_at: None,
        }
    }

    #[test]
    fn format_strings() {
        let st = Style::default();
        assert_eq!(window_text("5h", &gauge(Some(62.4), None), 0, &st).0, "5h ~62% ↻1h23m");
        assert_eq!(window_text("5h", &gauge(Some(93.0), Some(40.0)), 0, &st).0, "5h ~93% ↻1h23m ⚠ 40m");
        let none = Gauge { source: Source::None, ..gauge(None, None) };
        assert_eq!(window_text("5h", &none, 0, &st).0, "5h $4.12 ↻1h23m");
        let custom = Style { format: "[{label}] {pct} left:{reset} {cost}".into(), ..Style::default() };
        assert_eq!(window_text("C", &gauge(Some(7.0), None), 0, &custom).0, "[C] 7% left:↻1h23m $4.12");
        let server = Gauge { source: Source::Server, ..gauge(Some(23.0), None) };
        assert_eq!(window_text("5h", &server, 0, &st).0, "5h 23% ↻1h23m", "no mark on the service's own figure");
    }

    #[test]
    fn segments_join_windows() {
        let st = Style { color: false, ..Style::default() };
        let (a, b) = (gauge(Some(62.0), None), gauge(Some(8.0), None));
        let s = segment(&[("C".into(), &a), ("X".into(), &b)], 0, Target::Plain, &st);
        assert_eq!(s, "C ~62% ↻1h23m · X ~8% ↻1h23m");
    }

    #[test]
    fn levels() {
        let st = Style::default();
        assert_eq!(level(Some(69.9), false, &st), Level::Ok);
        assert_eq!(level(Some(70.0), false, &st), Level::Warn);
        assert_eq!(level(Some(90.0), false, &st), Level::Danger);
        assert_eq!(level(Some(10.0), true, &st), Level::Danger);
        assert_eq!(level(None, false, &st), Level::Neutral);
    }
}
