//! Every setting resolved once: a flag over `--set key=value` over `RUNWAY_<KEY>` over the config
//! file over the default. The settings are declared in `settings`; this turns their values into what
//! the layers below take (a `Style`, the forecast's settings, paths and clocks).

pub mod file;
pub mod format;
pub mod kinds;
pub mod knobs;
pub mod per_tool;
pub mod settings;

use std::path::PathBuf;

use kinds::ColorMode;
pub use knobs::Knobs;
use settings::{SETTINGS, Values};

use crate::forecast::Settings as ForecastSettings;
use crate::forecast::evidence::Trust;
use crate::forecast::limit::Configured;
use crate::ground::cache::Cache;
use crate::ground::env::Env;
use crate::ground::provider::Provider;
use crate::ground::{dirs, locale, terminal, time};
use crate::notice;
use crate::render::style::{Colors, Glyphs, Style};

/// Settings given on the command line: flags by key, then `--set` pairs in order.
#[derive(Clone, Debug, Default)]
pub struct Given {
    pub flags: Vec<(&'static str, String)>,
    pub sets: Vec<String>,
    /// `--timings`: a debugging switch, not a setting.
    pub timings: bool,
    /// Words of a prompt's command line left out as not runway's (see `cli::leniently`).
    pub left_out: Vec<String>,
}

/// Where a value came from, for `runway config`.
pub type Origins = Vec<(&'static str, String)>;

#[derive(Clone)]
pub struct Config {
    /// The instant the answer is for (`--now`), in ms.
    pub now: i64,
    /// The real clock, in ms: file ages and rescans use it even when `now` is fixed.
    pub wall_ms: i64,
    pub cache: Cache,
    pub style: Style,
    pub forecast: ForecastSettings,
    /// Each tool's dollar limit (`limit_cost`), taken into `forecast` per tool.
    pub limit_cost: per_tool::PerTool,
    pub rescan_ms: i64,
    pub timings: bool,
    pub statusline_fields: Vec<String>,
    /// Where notices go, and the least they are about.
    pub notices: notice::Settings,
    pub providers: Vec<Provider>,
    /// The width text for a person is fitted to (`status`, `report`, `demo`): the terminal's, else
    /// `COLUMNS`; none for a prompt, and for a pipe without `COLUMNS`.
    pub columns: Option<usize>,
    /// The environment, as this invocation read it once.
    pub env: Env,
    pub knobs: Knobs,
    /// This device's name as the setting gives it (else the host name: `sync::identity`).
    pub device_name: Option<String>,
    /// The sync folder, when there is one (see `sync`).
    pub sync: Option<Sync>,
    /// The settings given on the command line, as arguments again (`as_args`): the background
    /// helper a prompt starts reads what the prompt read (a hook's `--set sync_dir=…` too).
    pub args: Vec<String>,
}

impl Config {
    /// Whether this run answers for another moment than the present (`--now` a minute or more away
    /// from the real clock): a replay, which leaves what the present shares alone (the sync folder,
    /// the notices given).
    pub fn replay(&self) -> bool {
        (self.now - self.wall_ms).abs() > 60_000
    }
}

/// Where the devices meet, and what this one says of itself there.
#[derive(Clone, Debug)]
pub struct Sync {
    pub dir: std::path::PathBuf,
    pub projects: bool,
}

/// The environment runway reads: its own settings' variables, every provider's, and the base list
/// (`ground::env::BASE`). Read here once; everything below takes it as a value.
pub fn environment() -> Env {
    let names = own_names();
    let names: Vec<&str> = names.iter().map(String::as_str).chain(knobs::NAMES.iter().copied()).collect();
    // (`capture` adds the base list itself: once, at every prompt.)
    Env::capture(&names)
}

/// The variables runway reads besides the base list and its test knobs: the settings', every
/// provider's.
fn own_names() -> Vec<String> {
    let mut names: Vec<String> = SETTINGS.iter().map(|s| s.env()).collect();
    names.extend(Provider::ALL.iter().flat_map(|p| p.spec().env.iter().map(|n| (*n).to_owned())));
    names
}

/// Variables of this process named like runway's that it does not read (see `settings::unread`).
/// A test knob is read, and never offered as what a misspelt name meant.
pub fn unread() -> Vec<String> {
    let vars =
        std::env::vars_os().filter_map(|(k, _)| k.into_string().ok()).filter(|k| !knobs::NAMES.contains(&k.as_str()));
    let mut read = own_names();
    read.extend(crate::ground::env::BASE.iter().map(|n| (*n).to_owned()));
    settings::unread(vars, &read)
}

/// `RUNWAY_CONFIG`, else `config.toml` in the platform config dir (`~/.config/runway` on Linux).
pub fn config_file(env: &Env) -> Option<PathBuf> {
    dirs::config_file(env)
}

/// Resolves every setting by precedence. Returns the values, where each came from, and the problems
/// (a bad value keeps the next source down, ultimately the default).
pub fn values(g: &Given, env: &Env) -> (Values, Origins, Vec<String>) {
    let mut problems = Vec::new();
    // (key, text, where it came from, how to name it in a problem), weakest first.
    let mut given: Vec<(&'static str, String, &'static str, String)> = Vec::new();
    let named = env.is_set("RUNWAY_CONFIG");
    if let Some(path) = config_file(env) {
        let (lines, file_problems) = file::load(&path);
        if named && !path.exists() {
            problems.push(format!("RUNWAY_CONFIG names {}, which does not exist", path.display()));
        }
        problems.extend(file_problems);
        for l in lines {
            if let Some(s) = settings::find(&l.key) {
                given.push((s.key, l.text, "config file", format!("{} line {}, `{}`", path.display(), l.line, l.key)));
            }
        }
    }
    for s in SETTINGS {
        let name = s.env();
        if let Some(text) = env.text(&name).map(str::to_owned) {
            let label = format!("{name}={text:?}");
            given.push((s.key, text, "environment", label));
        }
    }
    for kv in &g.sets {
        match kv.split_once('=').map(|(k, val)| (k.trim(), val)) {
            Some((k, val)) => match settings::find(k) {
                Some(s) => given.push((s.key, val.to_owned(), "--set", format!("--set {kv}"))),
                None => problems.push(format!("--set {kv:?}: {}", settings::unknown(k))),
            },
            None => problems.push(format!("--set {kv:?}: expected KEY=VALUE (see `runway config`)")),
        }
    }
    for (key, text) in &g.flags {
        let flag = settings::find(key).and_then(|s| s.flag).unwrap_or(key);
        given.push((key, text.clone(), "flag", format!("--{flag} {text}")));
    }
    let mut v = Values::defaults();
    let mut from: Origins = SETTINGS.iter().map(|s| (s.key, "default".to_owned())).collect();
    for (key, text, origin, label) in given {
        match v.set(key, &text) {
            Ok(()) => {
                if let Some(slot) = from.iter_mut().find(|(k, _)| *k == key) {
                    slot.1 = origin.to_owned();
                }
            }
            Err(e) => problems.push(format!("{label}: {e}")),
        }
    }
    for (key, dir) in [
        ("sync_dir", &mut v.sync_dir),
        ("cache_dir", &mut v.cache_dir),
        ("claude_desktop_history", &mut v.claude_desktop_history),
    ] {
        if let Some(p) = dir.take() {
            *dir = dirs::expand(&p, env);
            if dir.is_none() {
                problems.push(format!("{key} {}: no home directory (HOME) to expand `~` from", p.display()));
            }
        }
    }
    if v.warn_at > v.danger_at {
        problems.push(format!("warn_at ({}) is above danger_at ({}): amber would never show", v.warn_at, v.danger_at));
    }
    (v, from, problems)
}

/// Where the answer goes, which decides what "auto" means for colour and glyphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// A prompt or tmux: always through a pipe, colour unless `NO_COLOR`; glyphs by the locale.
    Prompt,
    /// Claude Code's status line: colour unless `NO_COLOR`; it draws Unicode whatever the locale.
    StatusLine,
    /// A person at `status` or `doctor`: colour only on a terminal.
    Terminal,
}

/// Resolves settings into a configuration. Problems are returned with it: a bad value falls back to
/// the next source down, and the caller decides whether that is an error or a line in the log.
pub fn resolve(g: &Given, env: &Env, audience: Audience) -> (Config, Vec<String>) {
    let (v, from, mut problems) = values(g, env);
    problems.extend(g.left_out.iter().cloned());
    in_line_order(&mut problems, env);
    if audience == Audience::Terminal {
        problems.extend(zone_problem(&v.timezone, env));
    }
    let wall = time::wall_ms();
    let no_color = env.is_set("NO_COLOR");
    let color_on = match (v.color, audience) {
        (ColorMode::Always, _) => true,
        (ColorMode::Never, _) => false,
        (ColorMode::Auto, Audience::Terminal) => !no_color && std::io::IsTerminal::is_terminal(&std::io::stdout()),
        (ColorMode::Auto, _) => !no_color,
    };
    let origin = |key: &str| from.iter().find(|(k, _)| *k == key).map_or("default", |(_, o)| o.as_str());
    // ASCII glyphs when asked for, or by themselves when the locale cannot draw the others.
    let ascii = v.ascii || (origin("ascii") == "default" && audience != Audience::StatusLine && !locale::utf8(env));
    let given = |key: &str| origin(key) != "default";
    let a = Glyphs::ascii();
    // Explicit glyphs win over the ASCII set.
    let pick =
        |key: &str, mine: &String, ascii_glyph: String| if ascii && !given(key) { ascii_glyph } else { mine.clone() };
    let glyphs = Glyphs {
        reset: pick("glyph_reset", &v.glyph_reset, a.reset),
        warning: pick("glyph_warning", &v.glyph_warning, a.warning),
        over: pick("glyph_over", &v.glyph_over, a.over),
        estimate: pick("glyph_estimate", &v.glyph_estimate, a.estimate),
        extrapolated: pick("glyph_extrapolated", &v.glyph_extrapolated, a.extrapolated),
    };
    let style = Style {
        color: color_on,
        glyphs,
        colors: Colors { ok: v.color_ok.clone(), warn: v.color_warn.clone(), danger: v.color_danger.clone() },
        warn_at: v.warn_at,
        danger_at: v.danger_at,
        format: v.format.clone(),
        // Every byte ASCII where the glyphs are: the default separator is not.
        separator: if ascii && !given("separator") { " | ".into() } else { v.separator.clone() },
        all_windows: v.windows,
        zone: crate::ground::zone::Zone::named(&v.timezone, env),
        context_at: v.context_health,
        ascii,
    };
    // A prompt that shows a clock time finds the zone anyway: a name that is none is said (the
    // marker), not shown as UTC in silence. (`status` and `doctor` check every name, above.)
    if audience != Audience::Terminal && style.format.contains("{reset_at}") {
        problems.extend(style.zone.problem().map(|e| format!("timezone: {e}")));
    }
    let cfg = Config {
        now: v.now.unwrap_or(wall),
        wall_ms: wall,
        cache: crate::ground::log::cache_at(v.cache_dir.clone().unwrap_or_else(|| dirs::cache_dir(env))),
        style,
        forecast: ForecastSettings {
            // Each tool's own dollars: see `App`.
            limits: Configured { cost_usd: v.limit_cost.all, tokens: v.limit_tokens },
            trust: Trust { fresh_ms: (v.server_fresh_mins as i64).saturating_mul(60_000) },
            premium_allowance: v.premium_requests,
            // Each tool's own: see `App`.
            learn_limit: true,
        },
        limit_cost: v.limit_cost,
        rescan_ms: (v.rescan_secs as i64).saturating_mul(1000),
        timings: g.timings,
        statusline_fields: v.statusline_fields.clone(),
        notices: notice::Settings { channels: v.notify.clone(), least: v.notify_at },
        providers: v.providers,
        columns: if audience == Audience::Terminal { terminal::columns(env) } else { None },
        // The value in effect, or none: a refused one (a relative path, `~` with no home) is a
        // problem, and the app's own folder is read, not the path as given.
        env: match &v.claude_desktop_history {
            Some(p) => env.clone().with(crate::provider::claude::DESKTOP_HISTORY, p),
            None => env.clone().without(crate::provider::claude::DESKTOP_HISTORY),
        },
        knobs: Knobs::of(env),
        device_name: Some(v.device_name.clone()).filter(|n| !n.trim().is_empty()),
        args: as_args(g),
        sync: v.sync_dir.clone().map(|dir| Sync { dir, projects: v.sync_projects }),
    };
    (cfg, problems)
}

/// The settings given on the command line, as arguments that give them again (for `runway init`
/// to pass on to the prompt it installs).
pub fn as_args(g: &Given) -> Vec<String> {
    let mut out = Vec::new();
    for (key, text) in &g.flags {
        match settings::find(key) {
            Some(s) if s.switch => out.push(format!("--{}", s.flag.unwrap_or(key))),
            Some(s) => out.push(format!("--{}={text}", s.flag.unwrap_or(key))),
            None => {}
        }
    }
    out.extend(g.sets.iter().map(|kv| format!("--set={kv}")));
    out
}

/// The problems of the settings given on the command line itself (`--flag`, `--set`): `init` puts
/// them into what it installs, so they stop it, where the config file's and the environment's are
/// the installed prompt's to mark. (Only these problems' labels begin with `--`.)
pub fn command_line_problems(g: &Given, env: &Env) -> Vec<String> {
    let (v, _, problems) = values(g, env);
    let mut out: Vec<String> = problems.into_iter().filter(|p| p.starts_with("--")).collect();
    // A name given (an empty one is the system's zone, the environment's `TZ`, not this line's).
    let zone_given = g.flags.iter().any(|(k, v)| *k == "timezone" && !v.trim().is_empty())
        || g.sets
            .iter()
            .any(|kv| kv.split_once('=').is_some_and(|(k, v)| k.trim() == "timezone" && !v.trim().is_empty()));
    if zone_given {
        out.extend(zone_problem(&v.timezone, env));
    }
    out
}

/// A named zone the database does not have (a prompt checks only the name's shape, to keep the database
/// unread unless a clock time is shown).
fn zone_problem(name: &str, env: &Env) -> Option<String> {
    // With no name, the system's: a `TZ` that is none is said too (it is the setting's default).
    crate::ground::zone::zone(name.trim(), env).err().map(|e| format!("timezone: {e}"))
}

/// `runway config`: every setting, its value in effect and where that came from, and the problems
/// (a rejected value is a problem, never the value in effect). Also returns how many problems.
pub fn describe(g: &Given, env: &Env) -> (String, usize) {
    let (v, from, mut problems) = values(g, env);
    problems.extend(g.left_out.iter().cloned());
    in_line_order(&mut problems, env);
    problems.extend(zone_problem(&v.timezone, env));
    // Where runway looks, and whether the usual place holds a file yet (a path alone read as a file
    // in use); a `RUNWAY_CONFIG` that names nothing is a problem, said below.
    let usual = env.os(crate::ground::dirs::CONFIG_VAR).is_none();
    let file = config_file(env).map_or_else(
        || "(none)".to_owned(),
        |p| match std::fs::symlink_metadata(&p) {
            Err(e) if usual && e.kind() == std::io::ErrorKind::NotFound => format!("{} (none there yet)", p.display()),
            _ => p.display().to_string(),
        },
    );
    let mut out = format!("# config file: {file}\n");
    for p in &problems {
        out += &format!("# problem: {p}\n");
    }
    for v in unread() {
        out += &format!("# environment: {v}\n");
    }
    for (s, (_, origin)) in SETTINGS.iter().zip(&from) {
        // Empty, from wherever: what it stands for (`device_name = "  "` in the file is the host's).
        let meant = if v.show(s.key).trim().is_empty() { unset_means(s.key, env) } else { None };
        // A host's name and a path are outside text: cleaned before a terminal.
        let origin = meant.map_or_else(|| origin.clone(), |m| format!("{origin}: {}", crate::render::clean::clean(&m)));
        out += &format!("{} = {:?}    # {origin}\n", s.key, v.show(s.key));
    }
    (out, problems.len())
}

/// Problems in the order a person mends them: the command line's and the environment's first, then
/// the config file's by line (its values were checked after its lines were read: line 2, 4, then 3).
/// A file's problem is named `<file> line <n>`; a path or a value may hold " line " too.
fn in_line_order(problems: &mut [String], env: &Env) {
    let Some(file) = config_file(env) else { return };
    let head = format!("{} line ", file.display());
    let line = |p: &String| {
        let after = p.strip_prefix(&head).unwrap_or("");
        after.split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(0)
    };
    problems.sort_by_key(line);
}

/// What an empty default stands for where it is a place or a name found at run time: `cache_dir = ""`
/// alone did not say which folder the cache is in.
fn unset_means(key: &str, env: &Env) -> Option<String> {
    match key {
        "cache_dir" => Some(dirs::cache_dir(env).display().to_string()),
        "device_name" => crate::ground::platform::host_name().map(|h| format!("the host name, {h}")),
        _ => None,
    }
}

/// README's settings table, from `SETTINGS`.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| setting (file key) | flag | environment | default | meaning |\n|---|---|---|---|---|\n");
    for s in SETTINGS {
        let flag = match s.flag {
            Some(f) => format!("`--{f}`"),
            None => format!("`--set {}=…`", s.key),
        };
        let default = if s.default.is_empty() { String::new() } else { format!("`{}`", s.default.replace('|', "\\|")) };
        // A `|` would end the cell, in a code span too.
        out += &format!("| `{}` | {flag} | `{}` | {default} | {} |\n", s.key, s.env(), s.help.replace('|', "\\|"));
    }
    out
}
