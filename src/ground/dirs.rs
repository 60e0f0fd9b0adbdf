//! Where a user's directories are: the home (`HOME`; on Windows `USERPROFILE` first, as the tools
//! there take it), and each system's folders for runway's cache and configuration: XDG on Linux,
//! `~/Library` on macOS, `%LOCALAPPDATA%` and `%APPDATA%` on Windows. Nothing is guessed from the
//! password database or the registry: without a home there is none, and the caller says so.

use std::path::{Path, PathBuf};

use super::env::Env;
use super::platform::{self, System};

pub fn home(env: &Env) -> Option<PathBuf> {
    home_on(env, platform::SYSTEM)
}

fn home_on(env: &Env, sys: System) -> Option<PathBuf> {
    // Node (Claude Code) takes USERPROFILE on Windows; Git Bash sets HOME to the same folder.
    let names: &[&str] = if sys == System::Windows { &["USERPROFILE", "HOME"] } else { &["HOME"] };
    // A relative home (`HOME=.`) is no home: it would put a cache, and the tools' folders looked for,
    // in every folder the shell visits.
    names.iter().find_map(|n| env.dir(n))
}

fn xdg(env: &Env, sys: System, var: &str, fallback: &str) -> Option<PathBuf> {
    env.dir(var).or_else(|| home_on(env, sys).map(|h| h.join(fallback)))
}

/// A path setting with its `~` (alone, or before a separator) as the home; `None` without a home.
pub fn expand(p: &Path, env: &Env) -> Option<PathBuf> {
    expand_on(p, env, platform::SYSTEM)
}

fn expand_on(p: &Path, env: &Env, sys: System) -> Option<PathBuf> {
    let s = p.to_str().unwrap_or("");
    let rest = match s.strip_prefix('~') {
        Some("") => "",
        Some(r) if r.starts_with(['/', '\\']) => r.trim_start_matches(['/', '\\']),
        _ => return Some(p.to_path_buf()),
    };
    home_on(env, sys).map(|h| if rest.is_empty() { h } else { h.join(rest) })
}

/// `$XDG_CONFIG_HOME` or `~/.config` (the Claude Code config dir lives there too).
pub fn config_home(env: &Env) -> Option<PathBuf> {
    xdg(env, platform::SYSTEM, "XDG_CONFIG_HOME", ".config")
}

/// Where a desktop app keeps its data: `~/Library/Application Support` on macOS, `%APPDATA%` on
/// Windows, `$XDG_CONFIG_HOME` or `~/.config` elsewhere (Electron's `appData`).
pub fn app_data(env: &Env) -> Option<PathBuf> {
    app_data_on(env, platform::SYSTEM)
}

fn app_data_on(env: &Env, sys: System) -> Option<PathBuf> {
    match sys {
        System::MacOs => home_on(env, sys).map(|h| h.join("Library/Application Support")),
        System::Windows => xdg(env, sys, "APPDATA", r"AppData\Roaming"),
        System::Xdg => xdg(env, sys, "XDG_CONFIG_HOME", ".config"),
    }
}

/// runway's cache: `RUNWAY_CACHE_DIR`, else `$XDG_CACHE_HOME/runway` or `~/.cache/runway`
/// (`~/Library/Caches/runway` on macOS, `%LOCALAPPDATA%\runway` on Windows); without a home, a
/// per-user folder in the temporary directory.
pub fn cache_dir(env: &Env) -> PathBuf {
    cache_dir_on(env, platform::SYSTEM)
        // Another user may have made it first: `cache::Cache` refuses a directory that is not this user's.
        .unwrap_or_else(|| std::env::temp_dir().join(format!("runway-{}", platform::euid())))
}

fn cache_dir_on(env: &Env, sys: System) -> Option<PathBuf> {
    // As the setting takes it (`config::kinds::Dir`): `~/` from the home; a relative one, which would
    // be a cache of its own in every shell's directory, gives way to the default.
    if let Some(d) = env.os("RUNWAY_CACHE_DIR").and_then(|d| expand_on(Path::new(d), env, sys))
        && d.has_root()
    {
        return Some(d);
    }
    match sys {
        System::MacOs => home_on(env, sys).map(|h| h.join("Library/Caches/runway")),
        System::Windows => xdg(env, sys, "LOCALAPPDATA", r"AppData\Local").map(|d| d.join("runway")),
        System::Xdg => xdg(env, sys, "XDG_CACHE_HOME", ".cache").map(|c| c.join("runway")),
    }
}

/// The variable that names runway's config file.
pub const CONFIG_VAR: &str = "RUNWAY_CONFIG";

/// runway's config file: `RUNWAY_CONFIG`, else `~/.config/runway/config.toml`
/// (`~/Library/Application Support/runway/` on macOS, `%APPDATA%\runway\` on Windows).
pub fn config_file(env: &Env) -> Option<PathBuf> {
    config_file_on(env, platform::SYSTEM)
}

fn config_file_on(env: &Env, sys: System) -> Option<PathBuf> {
    if let Some(p) = env.os(CONFIG_VAR) {
        return Some(PathBuf::from(p));
    }
    app_data_on(env, sys).map(|d| d.join("runway").join("config.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn each_system_keeps_its_files_where_its_users_look() {
        let e = Env::of(&[("HOME", "/h"), ("USERPROFILE", "/u"), ("LOCALAPPDATA", "/l"), ("APPDATA", "/a")]);
        assert_eq!(home_on(&e, System::Windows).unwrap(), Path::new("/u"));
        assert_eq!(home_on(&e, System::Xdg).unwrap(), Path::new("/h"));
        assert_eq!(cache_dir_on(&e, System::Windows).unwrap(), Path::new("/l/runway"));
        assert_eq!(config_file_on(&e, System::Windows).unwrap(), Path::new("/a/runway/config.toml"));
        assert_eq!(cache_dir_on(&e, System::Xdg).unwrap(), Path::new("/h/.cache/runway"));
        assert_eq!(cache_dir_on(&e, System::MacOs).unwrap(), Path::new("/h/Library/Caches/runway"));
        assert_eq!(config_file_on(&e, System::Xdg).unwrap(), Path::new("/h/.config/runway/config.toml"));
        assert_eq!(
            config_file_on(&e, System::MacOs).unwrap(),
            Path::new("/h/Library/Application Support/runway/config.toml")
        );
        // A desktop app's data (Claude Desktop's): one folder on each system.
        assert_eq!(app_data_on(&e, System::Windows).unwrap(), Path::new("/a"));
        assert_eq!(app_data_on(&e, System::MacOs).unwrap(), Path::new("/h/Library/Application Support"));
        assert_eq!(app_data_on(&e, System::Xdg).unwrap(), Path::new("/h/.config"));

        // A relative home is none, on every system: the next name, or nothing.
        let relative = Env::of(&[("HOME", "."), ("USERPROFILE", "u")]);
        for sys in [System::Xdg, System::MacOs, System::Windows] {
            assert_eq!(home_on(&relative, sys), None);
        }
        let git_bash = Env::of(&[("USERPROFILE", "u"), ("HOME", "/g")]);
        assert_eq!(home_on(&git_bash, System::Windows).unwrap(), Path::new("/g"));

        // Windows without its profile's variables: the folders under the home; Git Bash's HOME alone.
        let bare = Env::of(&[("HOME", "/g")]);
        assert_eq!(cache_dir_on(&bare, System::Windows).unwrap(), Path::new(r"/g/AppData\Local/runway"));
        assert_eq!(
            config_file_on(&bare, System::Windows).unwrap(),
            Path::new(r"/g/AppData\Roaming/runway/config.toml")
        );
        // `~/` is the home; a relative cache directory is none.
        let tilde = Env::of(&[("HOME", "/h"), ("RUNWAY_CACHE_DIR", "~/c")]);
        assert_eq!(cache_dir_on(&tilde, System::Xdg).unwrap(), Path::new("/h/c"));
        let relative = Env::of(&[("HOME", "/h"), ("RUNWAY_CACHE_DIR", "c")]);
        assert_eq!(cache_dir_on(&relative, System::Xdg).unwrap(), Path::new("/h/.cache/runway"));
        assert_eq!(expand_on(Path::new("~"), &tilde, System::Xdg).unwrap(), Path::new("/h"));
        assert_eq!(expand_on(Path::new("~other/x"), &tilde, System::Xdg).unwrap(), Path::new("~other/x"));
        assert_eq!(expand_on(Path::new("~/x"), &Env::of(&[]), System::Xdg), None, "no home");
        // The overrides are every system's.
        let set = Env::of(&[("RUNWAY_CACHE_DIR", "/c"), ("RUNWAY_CONFIG", "/f.toml"), ("LOCALAPPDATA", "/l")]);
        for sys in [System::Xdg, System::MacOs, System::Windows] {
            assert_eq!(cache_dir_on(&set, sys).unwrap(), Path::new("/c"));
            assert_eq!(config_file_on(&set, sys).unwrap(), Path::new("/f.toml"));
        }
    }
}
