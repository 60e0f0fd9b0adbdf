//! Every setting, resolved once: a flag over `--set key=value` over `RUNWAY_<KEY>` over the config
//! file over the default. `SETTINGS` is the one list of them; README's table is printed from it
//! (`runway --settings-table`).

use std::collections::HashMap;
use std::path::PathBuf;

use crate::cli::Global;
use crate::render::{Colors, Glyphs, Style};
use crate::runway::Configured;

pub struct Setting {
    pub key: &'static str,
    pub default: &'static str,
    pub flag: &'static str,
    pub help: &'static str,
}

const fn s(key: &'static str, default: &'static str, flag: &'static str, help: &'static str) -> Setting {
    Setting { key, default, flag, help }
}

pub const SETTINGS: &[Setting] = &[
    s(
        "now",
        "",
        "--now",
        "Answer as of this instant (RFC 3339); entries after it do not exist yet. Default: the clock",
    ),
    s("limit_cost", "", "--limit-cost", "Limit of the 5-hour window in API-equivalent dollars. Default: learned"),
    s("limit_tokens", "", "--limit-tokens", "Limit of the 5-hour window in tokens. Default: learned"),
    s("warn_at", "70", "--warn-at", "Used share (percent) from which a window is amber"),
    s("danger_at", "90", "--danger-at", "Used share (percent) from which a window is red"),
    s("color", "auto", "--color", "`auto` (colour unless `NO_COLOR` is set and not empty), `always`, `never`"),
    s("color_ok", "green", "", "Colour below `warn_at`: a name, `bright…`, 0-255, or `#rrggbb`"),
    s("color_warn", "yellow", "", "Colour from `warn_at`"),
    s("color_danger", "red", "", "Colour from `danger_at`, and when the limit comes before the reset"),
    s("ascii", "false", "--ascii", "ASCII glyphs (`r`, `!`, `~`, `~=`) for terminals without ↻ ⚠ ≈"),
    s("glyph_reset", "↻", "", "Before the time to the reset"),
    s("glyph_warning", "⚠ ", "", "Before the time left when the limit comes first"),
    s("glyph_estimate", "~", "", "Marks a share estimated locally"),
    s("glyph_extrapolated", "≈", "", "Marks a server reading carried forward with local usage"),
    s(
        "format",
        "{label} {mark}{used} {reset} {warning}",
        "",
        "One window of the segment: `{label}` `{mark}` `{used}` `{reset}` `{warning}` `{cost}` `{pct}`; empty parts and extra spaces drop out",
    ),
    s("separator", " · ", "", "Between windows and status-line fields"),
    s(
        "providers",
        "claude,codex",
        "--providers",
        "Which tools' windows the prompt and tmux segments show, in this order: `claude`, `codex`",
    ),
    s(
        "statusline_fields",
        "model,context,cost,5h,7d,codex",
        "",
        "What `runway statusline` shows, in order: `model`, `context`, `cost`, `5h`, `7d` (Claude's), `codex`",
    ),
    s("server_fresh_mins", "30", "", "How long a reported share is shown as is, without local usage since it"),
    s("rescan_secs", "60", "", "Longest time between full rescans of idle files"),
    s("cache_dir", "", "", "Cache directory. Default: `~/.cache/runway` (Linux), `~/Library/Caches/runway` (macOS)"),
];

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
    pub statusline_fields: Vec<String>,
    pub server_fresh_ms: i64,
    pub providers: Vec<crate::event::Provider>,
}

pub fn wall_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// `RUNWAY_CONFIG`, else `config.toml` in the platform config dir (`~/.config/runway` on Linux).
pub fn config_file() -> Option<PathBuf> {
    if let Some(p) = env("RUNWAY_CONFIG") {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "runway").map(|p| p.config_dir().join("config.toml"))
}

/// The cache directory: `RUNWAY_CACHE_DIR` (or `cache_dir` in the file), else the platform cache dir.
pub fn default_cache_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "runway")
        .map(|p| p.cache_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("runway-cache"))
}

/// Parses the config file: `key = value` lines (a subset of TOML: quoted strings, numbers, booleans,
/// `#` comments). Unknown keys and bad lines are reported, not fatal.
pub fn parse_file(text: &str, problems: &mut Vec<String>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            problems.push(format!("config line {}: expected key = value", n + 1));
            continue;
        };
        let key = k.trim().to_owned();
        let v = v.trim();
        let value = if let Some(rest) = v.strip_prefix('"') {
            let mut s = String::new();
            let mut chars = rest.chars();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\\' => match chars.next() {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some(o) => s.push(o),
                        None => break,
                    },
                    c => s.push(c),
                }
            }
            if !closed {
                problems.push(format!("config line {}: unterminated string", n + 1));
                continue;
            }
            s
        } else {
            v.split('#').next().unwrap_or("").trim().to_owned()
        };
        if !SETTINGS.iter().any(|s| s.key == key) {
            problems.push(format!("config line {}: unknown setting {key:?}", n + 1));
            continue;
        }
        out.insert(key, value);
    }
    out
}

/// Resolves every setting to its raw string, by precedence, with where it came from.
fn raw_settings(g: &Global, problems: &mut Vec<String>) -> HashMap<&'static str, (String, &'static str)> {
    let file = config_file()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|t| parse_file(&t, problems))
        .unwrap_or_default();
    let mut sets: HashMap<String, String> = HashMap::new();
    for kv in &g.set {
        match kv.split_once('=') {
            Some((k, v)) if SETTINGS.iter().any(|s| s.key == k.trim()) => {
                sets.insert(k.trim().to_owned(), v.to_owned());
            }
            _ => problems.push(format!("ignoring --set {kv:?}: expected a known key=value")),
        }
    }
    let flags: HashMap<&str, Option<String>> = HashMap::from([
        ("now", g.now.clone()),
        ("limit_cost", g.limit_cost.map(|v| v.to_string())),
        ("limit_tokens", g.limit_tokens.map(|v| v.to_string())),
        ("warn_at", g.warn_at.map(|v| v.to_string())),
        ("danger_at", g.danger_at.map(|v| v.to_string())),
        ("color", g.color.map(|c| format!("{c:?}").to_ascii_lowercase())),
        ("ascii", g.ascii.then(|| "true".to_owned())),
        ("providers", g.providers.clone()),
    ]);
    let mut out = HashMap::new();
    for s in SETTINGS {
        let env_name = format!("RUNWAY_{}", s.key.to_ascii_uppercase());
        let v = flags
            .get(s.key)
            .cloned()
            .flatten()
            .map(|v| (v, "flag"))
            .or_else(|| sets.get(s.key).cloned().map(|v| (v, "--set")))
            .or_else(|| env(&env_name).map(|v| (v, "environment")))
            .or_else(|| file.get(s.key).cloned().map(|v| (v, "config file")))
            .unwrap_or_else(|| (s.default.to_owned(), "default"));
        out.insert(s.key, v);
    }
    out
}

fn typed<T: std::str::FromStr>(raw: &HashMap<&str, String>, key: &str, problems: &mut Vec<String>) -> Option<T> {
    let v = raw.get(key)?.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse() {
        Ok(x) => Some(x),
        Err(_) => {
            problems.push(format!("ignoring {key} = {v:?}: not a valid value"));
            SETTINGS.iter().find(|s| s.key == key).and_then(|s| s.default.parse().ok())
        }
    }
}

fn boolean(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
}

/// A colour as (tmux name, ANSI SGR parameters).
pub fn color(spec: &str) -> Option<(String, String)> {
    const NAMES: [&str; 8] = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];
    let s = spec.trim().to_ascii_lowercase();
    if let Some(i) = NAMES.iter().position(|n| *n == s) {
        return Some((s, (30 + i).to_string()));
    }
    if let Some(i) = s.strip_prefix("bright").and_then(|b| NAMES.iter().position(|n| *n == b)) {
        return Some((s, (90 + i).to_string()));
    }
    if s == "default" {
        return Some(("default".into(), "39".into()));
    }
    let n = s.strip_prefix("colour").or_else(|| s.strip_prefix("color")).unwrap_or(&s);
    if let Ok(n) = n.parse::<u8>() {
        return Some((format!("colour{n}"), format!("38;5;{n}")));
    }
    let hex = s.strip_prefix('#')?;
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        return Some((format!("#{hex}"), format!("38;2;{};{};{}", c(0), c(2), c(4))));
    }
    None
}

/// Resolves settings. Problems (a bad value) are returned, not fatal: prompt modes log them and go on.
pub fn resolve(g: &Global) -> (Config, Vec<String>) {
    let mut problems = Vec::new();
    let raw: HashMap<&str, String> = raw_settings(g, &mut problems).into_iter().map(|(k, (v, _))| (k, v)).collect();
    let wall = wall_ms();
    let now = match raw.get("now").filter(|v| !v.trim().is_empty()) {
        Some(v) => crate::claude::parse_ts(v.trim()).unwrap_or_else(|| {
            problems.push(format!("ignoring now = {v:?}: not RFC 3339"));
            wall
        }),
        None => wall,
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color_on = match raw["color"].trim() {
        "always" => true,
        "never" => false,
        "auto" | "" => !no_color,
        other => {
            problems.push(format!("ignoring color = {other:?}: expected auto, always or never"));
            !no_color
        }
    };
    let mut glyphs = if boolean(&raw["ascii"]) {
        Glyphs::ascii()
    } else {
        Glyphs {
            reset: raw["glyph_reset"].clone(),
            warning: raw["glyph_warning"].clone(),
            estimate: raw["glyph_estimate"].clone(),
            extrapolated: raw["glyph_extrapolated"].clone(),
        }
    };
    if boolean(&raw["ascii"]) {
        // Explicit glyphs still win over the ASCII set.
        for (key, slot) in [
            ("glyph_reset", &mut glyphs.reset),
            ("glyph_warning", &mut glyphs.warning),
            ("glyph_estimate", &mut glyphs.estimate),
            ("glyph_extrapolated", &mut glyphs.extrapolated),
        ] {
            let default = SETTINGS.iter().find(|s| s.key == key).map_or("", |s| s.default);
            if raw[key] != default {
                *slot = raw[key].clone();
            }
        }
    }
    let mut colors = Colors::default();
    for (key, slot) in
        [("color_ok", &mut colors.ok), ("color_warn", &mut colors.warn), ("color_danger", &mut colors.danger)]
    {
        match color(&raw[key]) {
            Some(c) => *slot = c,
            None => problems.push(format!("ignoring {key} = {:?}: not a colour", raw[key])),
        }
    }
    let defaults = Style::default();
    let style = Style {
        color: color_on,
        glyphs,
        colors,
        warn_at: typed(&raw, "warn_at", &mut problems).unwrap_or(defaults.warn_at),
        danger_at: typed(&raw, "danger_at", &mut problems).unwrap_or(defaults.danger_at),
        format: raw["format"].clone(),
        separator: raw["separator"].clone(),
    };
    let limits = Configured {
        cost_usd: typed(&raw, "limit_cost", &mut problems),
        tokens: typed(&raw, "limit_tokens", &mut problems),
    };
    let rescan_secs: u64 = typed(&raw, "rescan_secs", &mut problems).unwrap_or(60);
    let fresh_mins: u64 = typed(&raw, "server_fresh_mins", &mut problems).unwrap_or(30);
    let cache_dir =
        Some(raw["cache_dir"].trim()).filter(|v| !v.is_empty()).map(PathBuf::from).unwrap_or_else(default_cache_dir);
    let mut providers = Vec::new();
    for name in raw["providers"].split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match crate::event::Provider::ALL.into_iter().find(|p| p.name() == name) {
            Some(p) if !providers.contains(&p) => providers.push(p),
            Some(_) => {}
            None => problems.push(format!("ignoring provider {name:?}: expected claude or codex")),
        }
    }
    let cfg = Config {
        providers,
        now,
        wall_ms: wall,
        cache_dir,
        style,
        limits,
        rescan_ms: (rescan_secs as i64).saturating_mul(1000),
        timings: g.timings,
        statusline_fields: raw["statusline_fields"]
            .split(',')
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect(),
        server_fresh_ms: (fresh_mins as i64).saturating_mul(60_000),
    };
    (cfg, problems)
}

/// `runway config`: every setting, its value and where the value came from.
pub fn describe(g: &Global) -> String {
    let mut problems = Vec::new();
    let raw = raw_settings(g, &mut problems);
    let file = config_file().map_or_else(|| "(none)".to_owned(), |p| p.display().to_string());
    let mut out = format!("# config file: {file}\n");
    for s in SETTINGS {
        let (v, from) = &raw[s.key];
        out += &format!("{} = {:?}    # {from}\n", s.key, v);
    }
    for p in problems {
        out += &format!("# problem: {p}\n");
    }
    out
}

/// README's settings table, from `SETTINGS`.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| setting (file key) | flag | environment | default | meaning |\n|---|---|---|---|---|\n");
    for s in SETTINGS {
        let flag = if s.flag.is_empty() { format!("`--set {}=…`", s.key) } else { format!("`{}`", s.flag) };
        let default = if s.default.is_empty() { String::new() } else { format!("`{}`", s.default.replace('|', "\\|")) };
        out +=
            &format!("| `{}` | {flag} | `RUNWAY_{}` | {default} | {} |\n", s.key, s.key.to_ascii_uppercase(), s.help);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_file_subset_of_toml() {
        let mut p = Vec::new();
        let m = parse_file(
            "# comment\nwarn_at = 60\nformat = \"{label} {used} # not a comment\"\nascii = true # trailing\n[ignored]\nbogus = 1\nnope\n",
            &mut p,
        );
        assert_eq!(m["warn_at"], "60");
        assert_eq!(m["format"], "{label} {used} # not a comment");
        assert_eq!(m["ascii"], "true");
        assert!(!m.contains_key("bogus"));
        assert_eq!(p.len(), 2, "{p:?}");
    }

    #[test]
    fn colours() {
        assert_eq!(color("red"), Some(("red".into(), "31".into())));
        assert_eq!(color("brightyellow"), Some(("brightyellow".into(), "93".into())));
        assert_eq!(color("214"), Some(("colour214".into(), "38;5;214".into())));
        assert_eq!(color("colour9"), Some(("colour9".into(), "38;5;9".into())));
        assert_eq!(color("#FFaf00"), Some(("#ffaf00".into(), "38;2;255;175;0".into())));
        assert_eq!(color("mauve"), None);
        assert_eq!(color("#12345"), None);
    }

    #[test]
    fn every_setting_has_help_and_a_unique_key() {
        let mut keys: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SETTINGS.len());
        assert!(SETTINGS.iter().all(|s| !s.help.is_empty()));
        assert!(markdown_table().lines().count() == SETTINGS.len() + 2);
    }
}
