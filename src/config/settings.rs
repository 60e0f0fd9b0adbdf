//! Every setting, declared once: its key (the config file's and `--set`'s), its flag, its environment
//! variable (`RUNWAY_<KEY>`), its kind, its default and its help. clap's flags, the environment, the
//! config file, `runway config` and README's table are all made from this one list.

use super::kinds::{self, Kind};
use super::per_tool;

/// One setting, as the help, README and `runway config` describe it.
#[derive(Debug)]
pub struct Setting {
    pub key: &'static str,
    /// The long flag without `--`, when there is one.
    pub flag: Option<&'static str>,
    /// The flag takes no value (`--ascii`).
    pub switch: bool,
    pub value_name: &'static str,
    pub default: &'static str,
    pub help: &'static str,
    /// A TOML table is the value's `name=value,…` (see `Kind::TABLE`).
    pub table: bool,
}

impl Setting {
    pub fn env(&self) -> String {
        format!("RUNWAY_{}", self.key.to_ascii_uppercase())
    }
}

macro_rules! settings {
    ($( $key:ident : $kind:ty = $default:literal, $flag:tt, $value_name:literal, $help:literal; )*) => {
        /// Every setting's value, typed.
        #[derive(Clone, Debug)]
        pub struct Values {
            $(pub $key: <$kind as Kind>::Value,)*
        }

        pub const SETTINGS: &[Setting] = &[$(Setting {
            key: stringify!($key),
            flag: settings!(@flag $flag),
            switch: settings!(@switch $flag),
            value_name: $value_name,
            default: $default,
            help: $help,
            table: <$kind as Kind>::TABLE,
        },)*];

        impl Values {
            /// The defaults (each parses: a test checks it).
            pub fn defaults() -> Values {
                Values { $($key: <$kind as Kind>::parse($default).expect(concat!("default of ", stringify!($key))),)* }
            }

            /// The value of `key` as text (empty for an unknown key).
            pub fn show(&self, key: &str) -> String {
                match key {
                    $(stringify!($key) => <$kind as Kind>::show(&self.$key),)*
                    _ => String::new(),
                }
            }

            /// Sets `key` from its text; an unknown key or a bad value is an error, and changes nothing.
            pub fn set(&mut self, key: &str, text: &str) -> Result<(), String> {
                match key {
                    $(stringify!($key) => self.$key = <$kind as Kind>::parse(text)?,)*
                    _ => return Err(unknown(key)),
                }
                Ok(())
            }
        }
    };
    (@flag -) => { None };
    (@flag (switch $f:literal)) => { Some($f) };
    (@flag $f:literal) => { Some($f) };
    (@switch (switch $f:literal)) => { true };
    (@switch $f:tt) => { false };
}

settings! {
    now: kinds::Instant = "", "now", "RFC3339",
        "Answer as of this instant (RFC 3339); entries after it do not exist yet. Default: the clock";
    limit_cost: per_tool::DollarsPerTool = "", "limit-cost", "USD",
        "Limit of the 5-hour window in API-equivalent dollars: one for every tool (`40`), or each its own (`claude=40,codex=20`, in the config file also a table, `limit_cost = { claude = 40, codex = 20 }`; `40,codex=20` is 40 for all but Codex). Default: learned";
    limit_tokens: kinds::Tokens = "", "limit-tokens", "N",
        "Limit of the 5-hour window in tokens. Default: learned";
    premium_requests: kinds::Amount = "", -, "N",
        "GitHub Copilot's premium requests a month (your plan's: Free 50, Pro 300, Pro+ 1500): the monthly gauge's allowance. Default: the count alone";
    warn_at: kinds::Percent = "70", "warn-at", "PERCENT",
        "Used share (percent) from which a window is amber";
    danger_at: kinds::Percent = "90", "danger-at", "PERCENT",
        "Used share (percent) from which a window is red";
    color: kinds::Colouring = "auto", "color", "WHEN",
        "`auto` (colour unless `NO_COLOR` is set and not empty), `always`, `never`";
    color_ok: kinds::Colour = "green", -, "COLOUR",
        "Colour below `warn_at` (not in tmux, where the bar keeps its own): a name, `bright…`, 0-255, or `#rrggbb`";
    color_warn: kinds::Colour = "yellow", -, "COLOUR",
        "Colour from `warn_at`";
    color_danger: kinds::Colour = "red", -, "COLOUR",
        "Colour from `danger_at`, and when the limit comes before the reset";
    ascii: kinds::Bool = "false", (switch "ascii"), "",
        "Every byte ASCII: the glyphs `T-`, `!`, `X!`, `~`, `~=` instead of ↻ ⚠ ✕ ≈, ` | ` between windows, any other character spelled in ASCII or `?` (JSON: `\\u` escapes); on by itself when the locale is not UTF-8, except in the status line (Claude Code draws Unicode)";
    glyph_reset: kinds::Text = "↻", -, "TEXT",
        "Before the time to the reset";
    glyph_warning: kinds::Text = "⚠ ", -, "TEXT",
        "Before the time left when the limit comes first";
    glyph_over: kinds::Text = "✕", -, "TEXT",
        "After the share of a window at or past its limit";
    glyph_estimate: kinds::Text = "~", -, "TEXT",
        "Marks a share estimated locally";
    glyph_extrapolated: kinds::Text = "≈", -, "TEXT",
        "Marks a server reading carried forward with local usage";
    format: kinds::Format = "{label} {mark}{used} {next}", -, "TEXT",
        "One window of the segment: `{label}` `{mark}` `{used}` `{next}` (the warning, else the reset) `{reset}` `{reset_at}` (a clock time) `{warning}` `{cost}` `{pct}` (the share alone, `+` after it when a floor: empty with no limit known); empty parts and extra spaces drop out. The long form: `{label} {mark}{used} {reset} {warning}`";
    separator: kinds::Text = " · ", -, "TEXT",
        "Between windows and status-line fields (` | ` when glyphs are ASCII, unless set)";
    windows: kinds::Windows = "binding", -, "WHICH",
        "Which windows the segment shows: `binding` (each tool's one that runs out first at the present pace, or the fullest once past `warn_at`) or `all` (the long form: each window that matters)";
    providers: kinds::Providers = "claude,codex,copilot,opencode,gemini,kimi", "providers", "LIST",
        "Which tools runway shows, in this order (each only while in use), in the prompt, the status line, `status` and `report` (`status --json` keeps every tool's object): `claude`, `codex`, `copilot`, `opencode`, `gemini`, `kimi`";
    statusline_fields: kinds::Fields = "model,context,cost,5h,7d,tools", -, "LIST",
        "What `runway statusline` shows, in order: `model`, `context`, `cost`, `5h`, `7d` (Claude's), `tools` (each other tool in use, its binding window), `codex` (Codex CLI's alone), `cache` (the prompt cache's time left, when the payload has it)";
    context_health: kinds::ContextHealth = "standard", -, "PRESET",
        "A live session's context size turns amber, then red, from: `economical` (50k, 100k), `standard` (80k, 150k), `intensive` (120k, 200k), or two counts like `80k,150k`";
    notify: kinds::Channels = "shell,tmux", "notify", "LIST",
        "Where notices go when a window crosses `notify_at`: `shell` (a line above the next prompt, from the `init` hooks), `tmux` (a message on the client), `desktop` (`notify-send`, `osascript`, a toast on Windows); `off` for none";
    notify_at: kinds::NoticeLevel = "warn", -, "LEVEL",
        "The least a notice is about: `warn` (past `warn_at`), `danger` (past `danger_at`, or the limit before the reset), `limit` (reached)";
    server_fresh_mins: kinds::Whole = "30", -, "MINUTES",
        "How long a reading stands as is with use since it that no known cost of a percent (learned from the readings, a configured limit, a limit notice) counts in; then it is a floor (`40%+`), or for the 5-hour window the local estimate against the largest block when higher. Also how old a kept reading the status line shows while files are still being read";
    rescan_secs: kinds::Whole = "60", -, "SECONDS",
        "Longest time between full rescans of idle files, and between two looks at an unchanged sync folder";
    timezone: kinds::Zone = "", "timezone", "ZONE",
        "Time zone for clock times and days (an IANA name; a prompt looks it up only when it shows a clock time). Default: `TZ`, else the system's";
    sync_dir: kinds::Dir = "", -, "DIR",
        "A folder your own replication keeps in step between your machines (Syncthing, Dropbox, iCloud Drive, a shared disk, a git repository you commit and pull): each device writes its figures there (numbers only) and reads the others'. Default: none, this machine alone";
    device_name: kinds::Text = "", -, "NAME",
        "This device's name in the sync folder. Default: the host name";
    sync_projects: kinds::Bool = "false", -, "",
        "Write project names into the sync folder too (by default only numbers leave the machine)";
    claude_desktop_history: kinds::Dir = "", -, "FILE",
        "Claude Desktop's usage history (`plan-usage-history.json`), one more source of the service's readings. Default: the app's data directory on this system (`~/Library/Application Support/Claude` on macOS, `%APPDATA%\\Claude` on Windows, `~/.config/Claude` elsewhere)";
    cache_dir: kinds::Dir = "", -, "DIR",
        "Cache directory. Default: `~/.cache/runway` (Linux), `~/Library/Caches/runway` (macOS), `%LOCALAPPDATA%\\runway` (Windows)";
}

pub fn find(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// What to say of a key that is no setting: the nearest one by spelling, as clap says of a flag.
pub fn unknown(key: &str) -> String {
    // Said on a terminal: cleaned; compared in any case (`WARN_AT`).
    let key = crate::render::clean::clean(key);
    let lower = key.to_ascii_lowercase();
    let near = SETTINGS
        .iter()
        .map(|s| (strsim::jaro(&lower, s.key), s.key))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match near {
        Some((_, k)) => format!("unknown setting `{key}` (did you mean `{k}`? see `runway config`)"),
        None => format!("unknown setting `{key}` (see `runway config`)"),
    }
}

/// Variables in `vars` named like runway's that it reads neither as a setting nor as one of `also`
/// (a typo, a setting renamed), each with the nearest one it reads: for `doctor` and `config`. Not a
/// problem that stops a command, as an unknown key is: a variable left in a profile would fail every
/// `status`.
pub fn unread(vars: impl Iterator<Item = String>, also: &[String]) -> Vec<String> {
    let mut read: Vec<String> = SETTINGS.iter().map(|s| s.env()).collect();
    read.extend(also.iter().cloned());
    let mut out: Vec<String> = vars
        .filter(|v| v.starts_with("RUNWAY_") && !read.contains(v))
        .map(|v| {
            let v = crate::render::clean::clean(&v).into_owned();
            let upper = v.to_ascii_uppercase();
            // Compared without the prefix every name shares, which made any two names look alike
            // (`RUNWAY_NO_HELPR`: "did you mean RUNWAY_GLYPH_OVER?").
            let bare = |n: &str| n.strip_prefix("RUNWAY_").unwrap_or(n).to_owned();
            let near =
                read.iter().map(|r| (strsim::jaro(&bare(&upper), &bare(r)), r)).max_by(|a, b| a.0.total_cmp(&b.0));
            match near.filter(|(score, _)| *score > 0.8) {
                Some((_, r)) => format!("{v} is not read (did you mean {r}?)"),
                None => format!("{v} is not read (see `runway config`)"),
            }
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_key_gets_the_nearest_setting() {
        assert_eq!(unknown("warn_att"), "unknown setting `warn_att` (did you mean `warn_at`? see `runway config`)");
        assert_eq!(unknown("colour_ok"), "unknown setting `colour_ok` (did you mean `color_ok`? see `runway config`)");
        assert_eq!(unknown("WARN_AT"), "unknown setting `WARN_AT` (did you mean `warn_at`? see `runway config`)");
        assert!(!unknown("x\u{1b}]0;T\u{7}").contains('\u{1b}'), "cleaned");
        let vars = ["RUNWAY_COLR_DANGER", "RUNWAY_WARN_AT", "RUNWAY_FAULT", "PATH", "RUNWAY_XYZZY_QQ", "RUNWAY_notify"];
        assert_eq!(
            unread(vars.iter().map(|v| (*v).to_owned()), &["RUNWAY_FAULT".into()]),
            [
                "RUNWAY_COLR_DANGER is not read (did you mean RUNWAY_COLOR_DANGER?)",
                "RUNWAY_XYZZY_QQ is not read (see `runway config`)",
                "RUNWAY_notify is not read (did you mean RUNWAY_NOTIFY?)"
            ]
        );
        assert_eq!(unknown("bogus"), "unknown setting `bogus` (see `runway config`)");
    }

    #[test]
    fn every_setting_has_help_a_unique_key_and_a_default_that_parses() {
        let mut keys: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SETTINGS.len());
        assert!(SETTINGS.iter().all(|s| !s.help.is_empty()));
        let d = Values::defaults();
        assert_eq!((d.warn_at, d.danger_at), (70.0, 90.0));
        let mut v = d.clone();
        for s in SETTINGS {
            assert!(v.set(s.key, s.default).is_ok(), "{}", s.key);
            assert_eq!(v.show(s.key), s.default, "{} shows as its default", s.key);
        }
        assert!(v.set("nosuchkey", "1").is_err());
        assert!(v.set("warn_at", "150").is_err());
        assert_eq!(v.warn_at, 70.0, "a rejected value changes nothing");
        assert_eq!(d.context_health, (80_000, 150_000));
        assert!(v.set("context_health", "intensive").is_ok());
        assert_eq!(v.context_health, (120_000, 200_000));
        assert!(v.set("context_health", "90k,200000").is_ok());
        assert_eq!((v.context_health, v.show("context_health")), ((90_000, 200_000), "90000,200000".into()));
        assert!(v.set("context_health", "150k,80k").is_err());
        assert!(v.set("context_health", "lots").is_err());
    }
}
