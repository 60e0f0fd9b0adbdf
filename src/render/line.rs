//! The Claude Code status line: fields from the settings, in order, e.g.
//!
//! ```text
//! Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻2h10m · 7d 41%
//! ```
//!
//! each left out when unknown, and the least important dropped first when the terminal is narrow.

use super::escape::{Target, paint};
use super::segment::{labelled, segment};
use super::style::Style;
use crate::forecast::Runway;
use crate::forecast::gauge::Gauge;

/// What the line shows besides the runways.
pub struct Session<'a> {
    pub model: Option<&'a str>,
    pub context_percent: Option<f64>,
    pub cost_usd: Option<f64>,
}

/// Visible width: characters outside escape sequences.
pub fn width(s: &str) -> usize {
    let mut n = 0;
    let mut esc = false;
    for c in s.chars() {
        match (esc, c) {
            (false, '\x1b') => esc = true,
            (true, 'm') => esc = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

/// The line. When it is wider than `columns`, the model goes first, then Codex, the session cost, the
/// context and the 7-day figure.
pub fn line(
    claude: &Runway,
    codex: Option<&Runway>,
    s: &Session,
    fields: &[String],
    style: &Style,
    columns: Option<usize>,
) -> String {
    let mut parts: Vec<(&str, String)> = Vec::new();
    for f in fields {
        let part = match f.as_str() {
            "model" => s.model.map(str::to_owned),
            "context" => s.context_percent.map(|c| {
                paint(&format!("ctx {}%", c.round() as i64), style.level(Some(c), false), Target::Ansi, style)
            }),
            "cost" => s.cost_usd.map(|c| format!("${c:.2}")),
            "5h" => claude.five.as_ref().map(|g| segment(&[("5h".into(), g)], claude.now, Target::Ansi, style)),
            "7d" => claude.seven.as_ref().map(|g| segment(&[("7d".into(), g)], claude.now, Target::Ansi, style)),
            // Codex's binding windows, when it has any running.
            "codex" => codex.map(|x| {
                let windows: Vec<(String, &Gauge)> = labelled(std::slice::from_ref(x), style.warn_at)
                    .into_iter()
                    .map(|(label, g)| (format!("X {label}"), g))
                    .collect();
                segment(&windows, x.now, Target::Ansi, style)
            }),
            _ => None,
        };
        if let Some(text) = part.filter(|t| !t.is_empty()) {
            parts.push((f.as_str(), text));
        }
    }
    let join =
        |parts: &[(&str, String)]| parts.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(&style.separator);
    if let Some(cols) = columns.filter(|c| *c > 0) {
        for drop in ["model", "codex", "cost", "context", "7d"] {
            if width(&join(&parts)) <= cols {
                break;
            }
            parts.retain(|(k, _)| *k != drop);
        }
    }
    join(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_ignore_escapes() {
        assert_eq!(width("\x1b[31m5h 62%\x1b[0m · x"), 10);
    }
}
