//! The Claude Code status line: fields from the settings, in order, e.g.
//!
//! ```text
//! Opus 4.6 · ctx 32% · $1.84 · 5h 23% ↻2h10m · 7d 41%
//! ```
//!
//! each left out when unknown, and the least important dropped first when the terminal is narrow.

use super::clean::clean;
use super::escape::{Target, paint};
use super::fit::width;
use super::segment::{Shown, labelled, segment};
use super::style::{Level, Style};
use super::words::duration;
use crate::forecast::Runway;
use crate::forecast::gauge::Gauge;
use crate::ground::provider::Provider;
use crate::ground::window::Window;
use crate::provider::claude::payload::PromptCache;

/// What the line shows besides the runways.
pub struct Session<'a> {
    pub model: Option<&'a str>,
    pub context_percent: Option<f64>,
    /// The context's size in tokens, which its colour is judged by.
    pub context_tokens: Option<u64>,
    pub cost_usd: Option<f64>,
    pub prompt_cache: Option<PromptCache>,
}

/// The prompt cache's remaining time: green, amber in its last minute, red once cold (the next call
/// pays full price for its context).
fn cache_field(c: &PromptCache, now: i64, style: &Style) -> Option<String> {
    let cold = c.warm == Some(false) || c.expires_at.is_some_and(|t| t <= now);
    let (text, level) = match c.expires_at {
        _ if cold => ("cache cold".to_owned(), Level::Danger),
        Some(t) => {
            let left = t - now;
            let level = if left <= 60_000 { Level::Warn } else { Level::Ok };
            (format!("cache {}", duration(left)), level)
        }
        None if c.warm == Some(true) => ("cache warm".to_owned(), Level::Ok),
        None => return None,
    };
    Some(paint(&text, level, Target::Ansi, style))
}

/// Fields to leave out, in this order, when the line is wider than the terminal: what is kept longest
/// is the 5-hour gauge, then the context, the week, the other tools, the session's cost, the model.
pub const DROP_ORDER: [&str; 7] = ["cache", "model", "cost", "tools", "codex", "7d", "context"];

/// The line: the fields of the settings, in order, with the same labels the prompt uses (`5h`, `7d`
/// alone; `C`, `C7d`, `X`, `G`… with other tools beside Claude Code), narrowed to `columns`.
/// `others` are the other tools' runways: `codex` shows Codex CLI's window, `tools` each other
/// tool's (Codex's too, unless `codex` is there), each tool's binding one (or all, with `windows =
/// all`), for the tools in use.
pub fn line(
    claude: &Runway,
    others: &[Runway],
    s: &Session,
    fields: &[String],
    style: &Style,
    columns: Option<usize>,
) -> String {
    let has = |f: &str| fields.iter().any(|x| x == f);
    let codex_field: Vec<&Runway> = others.iter().filter(|r| has("codex") && r.provider == Provider::CODEX).collect();
    let tools_field: Vec<&Runway> =
        others.iter().filter(|r| has("tools") && !(has("codex") && r.provider == Provider::CODEX)).collect();
    let many = codex_field.iter().chain(&tools_field).any(|r| !windows_of(r, style).is_empty());
    let label = |p: Provider, w: Window| {
        if many {
            format!("{}{}", p.letter(), if w == Window::FiveHour { "" } else { w.label() })
        } else {
            w.label().to_owned()
        }
    };
    let seg = |rs: &[&Runway]| {
        let shown: Vec<(String, &Gauge)> = rs
            .iter()
            .flat_map(|r| windows_of(r, style).into_iter().map(|g| (label(r.provider, g.window), g)))
            .collect();
        segment(&Shown { windows: shown, many }, claude.now, Target::Ansi, style)
    };
    let one = |g: &Gauge| {
        segment(&Shown { windows: vec![(label(claude.provider, g.window), g)], many }, claude.now, Target::Ansi, style)
    };
    let mut parts: Vec<(&str, String)> = Vec::new();
    for f in fields {
        let part = match f.as_str() {
            "model" => s.model.map(|m| clean(&cap(m, style)).into_owned()),
            // One rule for a context's colour everywhere: its size in tokens (`context_health`).
            "context" => s.context_percent.map(|c| {
                let level = s.context_tokens.map_or(Level::Neutral, |t| style.context_level(t));
                // Amber or red by its size in tokens: the size says why (a red `ctx 16%` of a
                // million-token window read as a mistake).
                let size = match (level, s.context_tokens) {
                    (Level::Warn | Level::Danger, Some(t)) => format!(" ({})", super::words::count(t)),
                    _ => String::new(),
                };
                paint(&format!("ctx {}%{size}", super::words::whole(c)), level, Target::Ansi, style)
            }),
            "cost" => s.cost_usd.map(|c| format!("${c:.2}")),
            "cache" => s.prompt_cache.as_ref().and_then(|c| cache_field(c, claude.now, style)),
            "5h" => claude.five().map(one),
            "7d" => claude.seven().map(one),
            "codex" => Some(seg(&codex_field)),
            "tools" => Some(seg(&tools_field)),
            _ => None,
        };
        if let Some(text) = part.filter(|t| !t.is_empty()) {
            parts.push((f.as_str(), text));
        }
    }
    let join =
        |parts: &[(&str, String)]| parts.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(&style.separator);
    if let Some(cols) = columns.filter(|c| *c > 0) {
        for drop in DROP_ORDER {
            if width(&join(&parts)) <= cols {
                break;
            }
            parts.retain(|(k, _)| *k != drop);
        }
    }
    join(&parts)
}

/// A tool's windows as the segment would show them.
fn windows_of<'r>(r: &'r Runway, style: &Style) -> Vec<&'r Gauge> {
    labelled(std::slice::from_ref(r), style).windows.into_iter().map(|(_, g)| g).collect()
}

/// A model's display name from the payload, kept to a sane width (a name is a few words; a 900 KB
/// one is no name).
fn cap(s: &str, style: &Style) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push_str(style.ellipsis());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_cache_counts_down() {
        let s = Style { color: false, ..Style::default() };
        let c = |at: Option<i64>, warm| PromptCache { expires_at: at, warm, hit_percent: None };
        assert_eq!(cache_field(&c(Some(1_000 + 272_000), None), 1_000, &s).as_deref(), Some("cache 5m"));
        assert_eq!(cache_field(&c(Some(1_000), None), 1_000, &s).as_deref(), Some("cache cold"), "expired");
        assert_eq!(cache_field(&c(Some(99_000), Some(false)), 1_000, &s).as_deref(), Some("cache cold"));
        assert_eq!(cache_field(&c(None, Some(true)), 1_000, &s).as_deref(), Some("cache warm"));
        assert_eq!(cache_field(&c(None, None), 1_000, &s), None);
        let amber = Style::default();
        assert!(cache_field(&c(Some(31_000), None), 1_000, &amber).unwrap().starts_with("\x1b[33m"));
    }
}
