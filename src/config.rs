//! Every setting, resolved once: flags over environment over defaults.

use std::path::PathBuf;

use crate::cli::{ColorMode, Global};
use crate::render::{Glyphs, Style};
use crate::runway::Configured;

pub struct Config {
    /// The instant the answer is for (`--now`), in ms.
    pub now: i64,
    /// The real clock, in ms: file ages and rescans use it even when `now` is fixed.
    pub wall_ms: i64,
    pub cache_dir: PathBuf,
    pub style: Style,
    pub limits: Configured,
    pub rescan_ms: i64,
    pub timings: bool,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse_env<T: std::str::FromStr>(name: &str, problems: &mut Vec<String>) -> Option<T> {
    let v = env(name)?;
    match v.trim().parse() {
        Ok(x) => Some(x),
        Err(_) => {
            problems.push(format!("ignoring {name}={v}: not a valid value"));
            None
        }
    }
}

pub fn wall_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The cache directory: `RUNWAY_CACHE_DIR`, else the platform cache dir (`~/.cache/runway` on Linux).
pub fn cache_dir() -> PathBuf {
    if let Some(d) = env("RUNWAY_CACHE_DIR") {
        return PathBuf::from(d);
    }
    directories::ProjectDirs::from("", "", "runway")
        .map(|p| p.cache_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("runway-cache"))
}

/// `NO_COLOR` counts when present and not empty (no-color.org).
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Resolves settings. Problems (a bad value) are returned, not fatal: prompt modes log them and go on.
pub fn resolve(g: &Global) -> (Config, Vec<String>) {
    let mut problems = Vec::new();
    let wall = wall_ms();
    let now = match g.now.clone().or_else(|| env("RUNWAY_NOW")) {
        Some(s) => crate::claude::parse_ts(s.trim()).unwrap_or_else(|| {
            problems.push(format!("ignoring --now/RUNWAY_NOW {s:?}: not RFC 3339"));
            wall
        }),
        None => wall,
    };
    let color = match g.color.unwrap_or(ColorMode::Auto) {
        ColorMode::Always => true,
        ColorMode::Never => false,
        // Never by isatty: every host (zsh `$(…)`, tmux, Claude Code) reads us through a pipe.
        ColorMode::Auto => !no_color(),
    };
    let ascii = g.ascii || env("RUNWAY_ASCII").is_some_and(|v| v != "0" && v != "false");
    let mut style = Style { color, ..Style::default() };
    if ascii {
        style.glyphs = Glyphs::ascii();
    }
    if let Some(v) = g.warn_at.or_else(|| parse_env("RUNWAY_WARN_AT", &mut problems)) {
        style.warn_at = v;
    }
    if let Some(v) = g.danger_at.or_else(|| parse_env("RUNWAY_DANGER_AT", &mut problems)) {
        style.danger_at = v;
    }
    let limits = Configured {
        cost_usd: g.limit_cost.or_else(|| parse_env("RUNWAY_LIMIT_COST", &mut problems)),
        tokens: g.limit_tokens.or_else(|| parse_env("RUNWAY_LIMIT_TOKENS", &mut problems)),
    };
    let rescan_secs: u64 = parse_env("RUNWAY_RESCAN_SECS", &mut problems).unwrap_or(60);
    let cfg = Config {
        now,
        wall_ms: wall,
        cache_dir: cache_dir(),
        style,
        limits,
        rescan_ms: (rescan_secs as i64).saturating_mul(1000),
        timings: g.timings,
    };
    (cfg, problems)
}
