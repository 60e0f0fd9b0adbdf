//! Where a user's directories are: `HOME`, and the XDG (Linux) or Library (macOS) folders for
//! runway's cache and configuration. Nothing is guessed from the password database: without `HOME`
//! there is no home, and the caller says so.

use std::path::PathBuf;

use super::env::Env;

pub fn home(env: &Env) -> Option<PathBuf> {
    env.os("HOME").map(PathBuf::from)
}

fn xdg(env: &Env, var: &str, fallback: &str) -> Option<PathBuf> {
    env.dir(var).or_else(|| home(env).map(|h| h.join(fallback)))
}

/// `$XDG_CONFIG_HOME` or `~/.config` (the Claude Code config dir lives there too).
pub fn config_home(env: &Env) -> Option<PathBuf> {
    xdg(env, "XDG_CONFIG_HOME", ".config")
}

/// runway's cache: `RUNWAY_CACHE_DIR`, else `$XDG_CACHE_HOME/runway` or `~/.cache/runway`
/// (`~/Library/Caches/runway` on macOS); without a home, a per-user folder in the temporary
/// directory.
pub fn cache_dir(env: &Env) -> PathBuf {
    if let Some(d) = env.os("RUNWAY_CACHE_DIR") {
        return PathBuf::from(d);
    }
    let dir = if cfg!(target_os = "macos") {
        home(env).map(|h| h.join("Library/Caches/runway"))
    } else {
        xdg(env, "XDG_CACHE_HOME", ".cache").map(|c| c.join("runway"))
    };
    // Another user may have made it first: `cache::Cache` refuses a directory that is not this user's.
    dir.unwrap_or_else(|| std::env::temp_dir().join(format!("runway-{}", super::platform::euid())))
}

/// runway's config file: `RUNWAY_CONFIG`, else `~/.config/runway/config.toml`
/// (`~/Library/Application Support/runway/` on macOS).
pub fn config_file(env: &Env) -> Option<PathBuf> {
    if let Some(p) = env.os("RUNWAY_CONFIG") {
        return Some(PathBuf::from(p));
    }
    if cfg!(target_os = "macos") {
        home(env).map(|h| h.join("Library/Application Support/runway/config.toml"))
    } else {
        config_home(env).map(|c| c.join("runway/config.toml"))
    }
}
