//! The kinds of value a setting takes: how each is parsed from a flag, the environment, `--set` or the
//! config file, and what it rejects, with a reason a person can act on.

use std::path::PathBuf;

use crate::ground::provider::Provider;
use crate::ground::time::parse_rfc3339;
use crate::notice::{Channel, Least};
use crate::render::clean::printable;
use crate::render::style::Color;

/// A kind of setting value.
pub trait Kind {
    type Value: Clone + std::fmt::Debug;
    /// A TOML table of names and values is this kind's `name=value,…` (`limit_cost = { claude = 40 }`).
    const TABLE: bool = false;
    fn parse(s: &str) -> Result<Self::Value, String>;
    /// The value as text that parses back to it.
    fn show(v: &Self::Value) -> String;
}

fn or_empty<T>(v: &Option<T>, f: impl Fn(&T) -> String) -> String {
    v.as_ref().map_or_else(String::new, f)
}

/// An instant (`--now`): empty for the clock.
pub struct Instant;
impl Kind for Instant {
    type Value = Option<i64>;
    fn show(v: &Option<i64>) -> String {
        or_empty(v, |t| crate::ground::time::rfc3339(*t))
    }
    fn parse(s: &str) -> Result<Option<i64>, String> {
        match s.trim() {
            "" => Ok(None),
            t => parse_rfc3339(t).map(Some).ok_or_else(|| "not an RFC 3339 instant (like 2026-02-12T21:30:00Z)".into()),
        }
    }
}

fn number(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("{:?} is not a number", s.trim()))?;
    if v.is_finite() { Ok(v) } else { Err(format!("{:?} is not a finite number", s.trim())) }
}

/// Empty for none, else a number above 0 and at most `max` (a larger one is a typo, not a plan).
fn positive(s: &str, max: f64, what: &str) -> Result<Option<f64>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    let v = number(s)?;
    if v > 0.0 && v <= max { Ok(Some(v)) } else { Err(format!("expected {what} above 0")) }
}

/// Which windows a segment shows: `binding` (false) or `all` (true).
pub struct Windows;
impl Kind for Windows {
    type Value = bool;
    fn show(v: &bool) -> String {
        if *v { "all".into() } else { "binding".into() }
    }
    fn parse(s: &str) -> Result<bool, String> {
        match s.trim() {
            "binding" => Ok(false),
            "all" => Ok(true),
            other => Err(format!("{other:?} is neither `binding` nor `all`")),
        }
    }
}

/// A number of requests a month, more than zero; empty for none.
pub struct Amount;
impl Kind for Amount {
    type Value = Option<f64>;
    fn show(v: &Option<f64>) -> String {
        or_empty(v, f64::to_string)
    }
    fn parse(s: &str) -> Result<Option<f64>, String> {
        positive(s, 1e7, "a number of requests")
    }
}

/// A number of tokens, more than zero; empty for none.
pub struct Tokens;
impl Kind for Tokens {
    type Value = Option<u64>;
    fn show(v: &Option<u64>) -> String {
        or_empty(v, u64::to_string)
    }
    fn parse(s: &str) -> Result<Option<u64>, String> {
        match s.trim() {
            "" => Ok(None),
            t => match t.parse::<u64>() {
                Ok(v) if v > 0 && v <= 1 << 53 => Ok(Some(v)),
                _ => Err("expected a whole number of tokens above 0".into()),
            },
        }
    }
}

/// A context size's two thresholds, amber then red: a preset (`economical` 50k/100k, `standard`
/// 80k/150k, `intensive` 120k/200k) or two counts (`80k,150k`, `80000,150000`).
pub struct ContextHealth;
pub const CONTEXT_PRESETS: [(&str, (u64, u64)); 3] =
    [("economical", (50_000, 100_000)), ("standard", (80_000, 150_000)), ("intensive", (120_000, 200_000))];
impl Kind for ContextHealth {
    type Value = (u64, u64);
    fn show(v: &(u64, u64)) -> String {
        match CONTEXT_PRESETS.iter().find(|(_, p)| p == v) {
            Some((name, _)) => (*name).to_owned(),
            None => format!("{},{}", v.0, v.1),
        }
    }
    fn parse(s: &str) -> Result<(u64, u64), String> {
        let t = s.trim();
        if let Some((_, p)) = CONTEXT_PRESETS.iter().find(|(n, _)| *n == t) {
            return Ok(*p);
        }
        let count = |x: &str| -> Option<u64> {
            let x = x.trim();
            let (digits, mul) = x.strip_suffix(['k', 'K']).map_or((x, 1), |d| (d, 1000));
            digits.parse::<u64>().ok().and_then(|n| n.checked_mul(mul)).filter(|&n| n > 0 && n <= 10_000_000)
        };
        let bad = || "expected economical, standard, intensive, or two token counts like 80k,150k".to_owned();
        let (a, b) = t.split_once(',').ok_or_else(bad)?;
        match (count(a), count(b)) {
            (Some(a), Some(b)) if a < b => Ok((a, b)),
            (Some(_), Some(_)) => Err("the amber threshold must be below the red one".into()),
            _ => Err(bad()),
        }
    }
}

/// A share, 0 to 100.
pub struct Percent;
impl Kind for Percent {
    type Value = f64;
    fn show(v: &f64) -> String {
        v.to_string()
    }
    fn parse(s: &str) -> Result<f64, String> {
        let v = number(s)?;
        if (0.0..=100.0).contains(&v) { Ok(v) } else { Err("expected a percentage from 0 to 100".into()) }
    }
}

/// A whole number (seconds, minutes).
pub struct Whole;
impl Kind for Whole {
    type Value = u64;
    fn show(v: &u64) -> String {
        v.to_string()
    }
    fn parse(s: &str) -> Result<u64, String> {
        s.trim().parse().map_err(|_| format!("{:?} is not a whole number", s.trim()))
    }
}

pub struct Bool;
impl Kind for Bool {
    type Value = bool;
    fn show(v: &bool) -> String {
        v.to_string()
    }
    fn parse(s: &str) -> Result<bool, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" | "" => Ok(false),
            _ => Err("expected true or false".into()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorMode {
    Auto,
    Always,
    Never,
}

pub struct Colouring;
impl Kind for Colouring {
    type Value = ColorMode;
    fn show(v: &ColorMode) -> String {
        match v {
            ColorMode::Auto => "auto",
            ColorMode::Always => "always",
            ColorMode::Never => "never",
        }
        .into()
    }
    fn parse(s: &str) -> Result<ColorMode, String> {
        match s.trim() {
            "auto" | "" => Ok(ColorMode::Auto),
            "always" => Ok(ColorMode::Always),
            "never" => Ok(ColorMode::Never),
            _ => Err("expected auto, always or never".into()),
        }
    }
}

pub struct Colour;
impl Kind for Colour {
    type Value = Color;
    fn show(v: &Color) -> String {
        v.tmux.clone()
    }
    fn parse(s: &str) -> Result<Color, String> {
        Color::parse(s).ok_or_else(|| "not a colour (a name, bright…, 0-255, or #rrggbb)".into())
    }
}

/// Text as given (glyphs, separators, a name), but for what a terminal would act on.
pub struct Text;
impl Kind for Text {
    type Value = String;
    fn show(v: &String) -> String {
        v.clone()
    }
    fn parse(s: &str) -> Result<String, String> {
        printable(s).map(str::to_owned)
    }
}

pub use super::format::Format;

fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').map(str::trim).filter(|n| !n.is_empty())
}

/// Providers, in order, by the names the provider table gives them.
pub struct Providers;
impl Kind for Providers {
    type Value = Vec<Provider>;
    fn show(v: &Vec<Provider>) -> String {
        v.iter().map(|p| p.name()).collect::<Vec<_>>().join(",")
    }
    fn parse(s: &str) -> Result<Vec<Provider>, String> {
        let mut out = Vec::new();
        for name in list(s) {
            let p = Provider::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
                format!("unknown provider {name:?} ({})", known.join(", "))
            })?;
            if !out.contains(&p) {
                out.push(p);
            }
        }
        // No tool at all would show nothing and look like a history that is not there.
        if out.is_empty() { Err("names no tool (leave it out for all of them)".into()) } else { Ok(out) }
    }
}

/// Where notices go: `shell`, `tmux`, `desktop`, or `off`.
pub struct Channels;
impl Kind for Channels {
    type Value = Vec<Channel>;
    fn show(v: &Vec<Channel>) -> String {
        if v.is_empty() { "off".into() } else { v.iter().map(|c| c.name()).collect::<Vec<_>>().join(",") }
    }
    fn parse(s: &str) -> Result<Vec<Channel>, String> {
        let mut out: Vec<Channel> = Vec::new();
        for c in list(s) {
            match (c, Channel::named(c)) {
                ("off" | "none", _) => {}
                (_, Some(ch)) => {
                    if !out.contains(&ch) {
                        out.push(ch);
                    }
                }
                (c, None) => return Err(format!("unknown channel {c:?} (shell, tmux, desktop, or off)")),
            }
        }
        Ok(out)
    }
}

/// The least a notice is about: `warn` (a window past `warn_at`), `danger` (past `danger_at`, or the
/// limit before the reset), `limit` (reached).
pub struct NoticeLevel;
impl Kind for NoticeLevel {
    type Value = Least;
    fn show(v: &Least) -> String {
        v.name().to_owned()
    }
    fn parse(s: &str) -> Result<Least, String> {
        Least::ALL
            .into_iter()
            .find(|l| l.name() == s.trim())
            .ok_or_else(|| format!("{:?}: expected warn, danger or limit", s.trim()))
    }
}

/// The status line's fields, in order.
pub struct Fields;
pub const FIELDS: [&str; 8] = ["model", "context", "cost", "5h", "7d", "tools", "codex", "cache"];
impl Kind for Fields {
    type Value = Vec<String>;
    fn show(v: &Vec<String>) -> String {
        v.join(",")
    }
    fn parse(s: &str) -> Result<Vec<String>, String> {
        list(s)
            .map(|f| {
                if FIELDS.contains(&f) {
                    Ok(f.to_owned())
                } else {
                    Err(format!("unknown field {f:?} ({})", FIELDS.join(", ")))
                }
            })
            .collect()
    }
}

/// A time zone (IANA name); empty for the system's.
pub struct Zone;
impl Kind for Zone {
    type Value = String;
    fn show(v: &String) -> String {
        v.clone()
    }
    // Only the shape here: the database is read when a clock time is shown (`runway config` and
    // `status` check the name in full).
    fn parse(s: &str) -> Result<String, String> {
        crate::ground::zone::plausible_zone(s).map(|_| s.trim().to_owned())
    }
}

/// A directory; empty for the default.
pub struct Dir;
impl Kind for Dir {
    type Value = Option<PathBuf>;
    fn show(v: &Option<PathBuf>) -> String {
        or_empty(v, |p| p.display().to_string())
    }
    // `~` is the home, expanded where the settings are resolved (`config::values`): a shell leaves a
    // quoted one as it is, and TOML always does. A relative path would be taken from each shell's own
    // directory, a folder of its own in every one.
    fn parse(s: &str) -> Result<Option<PathBuf>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let home = s == "~" || s.starts_with("~/") || s.starts_with("~\\");
        if s.starts_with('~') && !home {
            return Err(format!("{s:?}: only `~/` is expanded; give another user's folder in full"));
        }
        if !home && !std::path::Path::new(s).has_root() {
            return Err(format!("{s:?} is relative: give it in full, or from `~/`"));
        }
        Ok(Some(PathBuf::from(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_rejects_what_it_cannot_use() {
        assert_eq!(Percent::parse("70"), Ok(70.0));
        assert!(Percent::parse("150").is_err());
        assert!(Percent::parse("-5").is_err());
        assert!(Percent::parse("NaN").is_err());
        assert!(Tokens::parse("0").is_err());
        assert_eq!(Instant::parse("2026-02-12T21:30:00Z"), Ok(Some(1_770_931_800_000)));
        assert!(Instant::parse("yesterday").is_err());
        assert!(Colour::parse("chartreuse").is_err());
        assert_eq!(Providers::parse("codex, claude,codex"), Ok(vec![Provider::CODEX, Provider::CLAUDE]));
        assert!(Providers::parse("cursor").is_err());
        assert!(Providers::parse("").is_err() && Providers::parse(" , ,").is_err());
        assert_eq!(Providers::parse("gemini"), Ok(vec![Provider::GEMINI]));
        assert!(Fields::parse("model,weather").is_err());
        assert_eq!(Dir::parse(" ~/Sync/runway "), Ok(Some(PathBuf::from("~/Sync/runway"))));
        assert_eq!(Dir::parse(""), Ok(None));
        assert!(Dir::parse("Sync/runway").is_err(), "relative");
        assert!(Dir::parse("~other/Sync").is_err(), "another user's home");
        assert_eq!(Text::parse("» "), Ok("» ".to_owned()));
        assert!(Text::parse("\x1b[2J").is_err() && Text::parse("a\r\n").is_err() && Text::parse("\u{9b}1m").is_err());
        assert!(Format::parse("{label}\x07").is_err());
        assert_eq!(Bool::parse("yes"), Ok(true));
        assert!(Bool::parse("maybe").is_err());
    }
}
