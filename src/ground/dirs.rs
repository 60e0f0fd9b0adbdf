//! Where a user's directories are: `HOME`, and the XDG (Linux) or Library (macOS) folders for
//! runway's cache and configuration. Nothing is guessed from the password database: without `HOME`
//! there is no home, and the caller says so.

use std::path::PathBuf;

pub fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
}

fn xdg(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_absolute()).or_else(|| home().map(|h| h.join(fallback)))
}

/// `$XDG_CONFIG_HOME` or `~/.config` (the Claude Code config dir lives there too).
pub fn config_home() -> Option<PathBuf> {
    xdg("XDG_CONFIG_HOME", ".config")
}

/// runway's cache: `$XDG_CACHE_HOME/runway` or `~/.cache/runway` (`~/Library/Caches/runway` on
/// macOS); without a home, a per-user folder in the temporary directory.
pub fn cache_dir() -> PathBuf {
    let dir = if cfg!(target_os = "macos") {
        home().map(|h| h.join("Library/Caches/runway"))
    } else {
        xdg("XDG_CACHE_HOME", ".cache").map(|c| c.join("runway"))
    };
    // SAFETY: getuid has no preconditions and cannot fail.
    dir.unwrap_or_else(|| std::env::temp_dir().join(format!("runway-{}", unsafe { libc::getuid() })))
}

/// runway's config file: `~/.config/runway/config.toml` (`~/Library/Application Support/runway/`
/// on macOS).
pub fn config_file() -> Option<PathBuf> {
    if cfg!(target_os = "macos") {
        home().map(|h| h.join("Library/Application Support/runway/config.toml"))
    } else {
        config_home().map(|c| c.join("runway/config.toml"))
    }
}
