//! The environment as one invocation saw it: read once, where the configuration is resolved, and
//! handed down as a value. Nothing below `config` calls `std::env::var`: a test gives a floor the
//! environment it wants, and two floors never see two different environments.

use std::ffi::OsString;
use std::path::PathBuf;

/// Every variable runway reads besides its own settings (`RUNWAY_<KEY>`, read by `config`) and the
/// tools' own (each provider names those it reads; see `provider::Spec::env`).
pub const BASE: &[&str] = &[
    "HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "XDG_DATA_HOME",
    "USERPROFILE",
    "APPDATA",
    "LOCALAPPDATA",
    "RUNWAY_CACHE_DIR",
    "RUNWAY_CONFIG",
    "NO_COLOR",
    "COLUMNS",
    "TMUX",
    "TERM",
    "TERM_PROGRAM",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    // The system's time zone: read by `zone`, not by the zone library (see there).
    "TZ",
    "TZDIR",
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    vars: Vec<(String, OsString)>,
}

impl Env {
    /// The variables named in `names` (and `BASE`), as the process has them now.
    pub fn capture(names: &[&str]) -> Env {
        let mut vars = Vec::new();
        for n in BASE.iter().chain(names) {
            if let Some(v) = std::env::var_os(n)
                && !vars.iter().any(|(k, _): &(String, OsString)| k == n)
            {
                vars.push(((*n).to_owned(), v));
            }
        }
        Env { vars }
    }

    /// An environment made of these pairs alone (tests).
    #[cfg(test)]
    pub fn of(pairs: &[(&str, &str)]) -> Env {
        Env { vars: pairs.iter().map(|(k, v)| ((*k).to_owned(), OsString::from(v))).collect() }
    }

    /// The same environment with `name` set to `value`: a setting resolved from the flags, the
    /// environment and the config file, handed to a floor that reads the environment alone.
    pub fn with(mut self, name: &str, value: &std::path::Path) -> Env {
        self.vars.retain(|(k, _)| k != name);
        self.vars.push((name.to_owned(), value.as_os_str().to_owned()));
        self
    }

    /// The same environment with `name` unset: a setting whose value was refused, which must not
    /// reach the floor that reads the environment as it was given.
    pub fn without(mut self, name: &str) -> Env {
        self.vars.retain(|(k, _)| k != name);
        self
    }

    /// A variable as it was set, empty too (an empty `TZ` is UTC, where unset is the system's zone).
    pub fn raw(&self, name: &str) -> Option<&OsString> {
        self.vars.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    pub fn os(&self, name: &str) -> Option<&OsString> {
        self.vars.iter().find(|(k, _)| k == name).map(|(_, v)| v).filter(|v| !v.is_empty())
    }

    /// A variable as text, when it is set, not blank, and valid UTF-8.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.os(name).and_then(|v| v.to_str()).filter(|v| !v.trim().is_empty())
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.os(name).is_some()
    }

    /// A variable naming a directory: an absolute path, else nothing.
    pub fn dir(&self, name: &str) -> Option<PathBuf> {
        self.os(name).map(PathBuf::from).filter(|p| p.is_absolute())
    }

    /// A whole number (a test knob).
    pub fn number(&self, name: &str) -> Option<u64> {
        self.text(name).and_then(|v| v.trim().parse().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_unset_and_dirs_are_absolute() {
        let e = Env::of(&[("HOME", "/h"), ("XDG_CACHE_HOME", "rel"), ("CODEX_HOME", "  "), ("N", "42")]);
        assert_eq!(e.dir("HOME"), Some(PathBuf::from("/h")));
        assert_eq!(e.dir("XDG_CACHE_HOME"), None, "a relative XDG dir is ignored, as the spec says");
        assert_eq!(e.text("CODEX_HOME"), None, "blank is unset");
        assert_eq!(e.number("N"), Some(42));
        assert!(!e.is_set("NO_COLOR"));
    }
}
