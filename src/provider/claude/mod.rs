//! Claude Code: transcripts under `projects/` of its config dir, one `<session>.jsonl` per session
//! (and its subagents' beside it), appended to. The config dir is `CLAUDE_CONFIG_DIR` when set (a
//! comma-separated list is accepted; each entry the config dir or its `projects/`), otherwise both
//! `${XDG_CONFIG_HOME:-~/.config}/claude` and `~/.claude`. The service's readings come from the
//! status line's stdin (`payload`) and from `.claude.json` (`settings_file`).

pub mod desktop;
pub mod line;
pub mod origin;
pub mod payload;
pub mod prices;
pub mod settings_file;

use std::path::{Path, PathBuf};

use crate::ground::dirs::{config_home, home};
use crate::ground::env::Env;
use crate::ground::provider::Provider;
use crate::ground::window::Window;
use crate::provider::spec::{nothing_beside, everywhere, Lines, ReadingFile, Shape, Spec, expand};

pub const SPEC: Spec = Spec {
    provider: Provider::declare(0),
    name: "claude",
    title: "Claude Code",
    letter: "C",
    env: &["CLAUDE_CONFIG_DIR"],
    roots,
    wanted,
    descend: everywhere,
    shape: |_| Shape::Lines(reader),
    origin: origin::of,
    project_beside: nothing_beside,
    prices: prices::PRICES,
    family: prices::family,
    windows: &[Window::FiveHour, Window::SevenDay],
    learns_limit: true,
    reading_files,
    awaiting: None,
};

/// An entry of `CLAUDE_CONFIG_DIR`: the config dir, or its `projects/`.
fn projects(entry: &Path) -> PathBuf {
    let nested = entry.join("projects");
    if !nested.is_dir() && entry.file_name().is_some_and(|n| n == "projects") { entry.to_path_buf() } else { nested }
}

/// The entries of `CLAUDE_CONFIG_DIR`, when it is set (the defaults are two roots and one
/// `.claude.json` in the home).
fn given_dirs(env: &Env) -> Option<Vec<PathBuf>> {
    env.text("CLAUDE_CONFIG_DIR").map(|list| list.split(',').filter_map(|e| expand(env, e)).collect())
}

/// An entry that names `projects/` stands for the config dir above it.
fn config_dir(p: PathBuf) -> PathBuf {
    if p.file_name().is_some_and(|n| n == "projects") { p.parent().map(Path::to_path_buf).unwrap_or(p) } else { p }
}

/// The config dirs Claude Code keeps `settings.json` in: every entry of `CLAUDE_CONFIG_DIR`, else
/// `~/.claude`.
pub fn config_dirs(env: &Env) -> Vec<PathBuf> {
    match given_dirs(env) {
        Some(dirs) => dirs.into_iter().map(config_dir).collect(),
        None => home(env).map(|h| h.join(".claude")).into_iter().collect(),
    }
}

fn roots(env: &Env) -> Vec<PathBuf> {
    match given_dirs(env) {
        Some(dirs) => dirs.iter().map(|d| projects(d)).collect(),
        None => {
            let xdg = config_home(env).map(|x| x.join("claude").join("projects"));
            let dot = home(env).map(|h| h.join(".claude").join("projects"));
            xdg.into_iter().chain(dot).collect()
        }
    }
}

fn wanted(name: &[u8]) -> bool {
    name.ends_with(b".jsonl")
}

fn reader(_: &[u8]) -> Box<dyn Lines> {
    Box::new(line::Reader::default())
}

/// Where Claude Code keeps `.claude.json` (its cached usage answer is read from it): in each
/// `CLAUDE_CONFIG_DIR` entry when that is set, else in the home directory.
fn claude_json(env: &Env) -> Vec<PathBuf> {
    match given_dirs(env) {
        Some(dirs) => dirs.into_iter().map(|p| config_dir(p).join(".claude.json")).collect(),
        None => home(env).map(|h| h.join(".claude.json")).into_iter().collect(),
    }
}

/// Where Claude Desktop keeps its usage history: the file the setting names, else in the app's data
/// folder of this system alone (a missing file costs an open at every prompt).
fn desktop_history(env: &Env) -> Vec<PathBuf> {
    match env.os(DESKTOP_HISTORY) {
        Some(given) => vec![PathBuf::from(given)],
        None => crate::ground::dirs::app_data(env).map(|d| d.join("Claude").join(desktop::FILE)).into_iter().collect(),
    }
}

/// The setting that names Claude Desktop's usage history (flag, environment or config file, resolved
/// into the environment runway sees).
pub const DESKTOP_HISTORY: &str = "RUNWAY_CLAUDE_DESKTOP_HISTORY";

/// `.claude.json` first: Claude Desktop's history follows the organisation it names.
fn reading_files(env: &Env) -> Vec<ReadingFile> {
    let json = claude_json(env).into_iter().map(|path| ReadingFile {
        path,
        read: settings_file::readings,
        name: ".claude.json",
        max: settings_file::MAX_BYTES,
        follows: false,
    });
    let desktop = desktop_history(env).into_iter().map(|path| ReadingFile {
        path,
        read: desktop::readings,
        name: "Claude Desktop",
        max: desktop::MAX_BYTES,
        follows: true,
    });
    json.chain(desktop).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_dir_or_config_dir() {
        let d = tempfile::tempdir().unwrap();
        let cfg = d.path().join("cfg");
        std::fs::create_dir_all(cfg.join("projects")).unwrap();
        assert_eq!(projects(&cfg), cfg.join("projects"));
        assert_eq!(projects(&cfg.join("projects")), cfg.join("projects"));
        assert_eq!(projects(&d.path().join("none")), d.path().join("none/projects"));
    }

    #[test]
    fn roots_and_reading_files_from_the_environment() {
        let d = Env::of(&[("HOME", "/h")]);
        assert_eq!(roots(&d), [PathBuf::from("/h/.config/claude/projects"), PathBuf::from("/h/.claude/projects")]);
        assert_eq!(claude_json(&d), [PathBuf::from("/h/.claude.json")]);
        let given = Env::of(&[("HOME", "/h"), ("CLAUDE_CONFIG_DIR", "~/a, /b/projects,")]);
        assert_eq!(config_dirs(&given), [PathBuf::from("/h/a"), PathBuf::from("/b")]);
        assert_eq!(claude_json(&given), [PathBuf::from("/h/a/.claude.json"), PathBuf::from("/b/.claude.json")]);
        let paths = |e: &Env| reading_files(e).into_iter().map(|f| (f.path, f.name)).collect::<Vec<_>>();
        let app = crate::ground::dirs::app_data(&d).unwrap().join("Claude/plan-usage-history.json");
        assert_eq!(paths(&d)[1..], [(app, "Claude Desktop")]);
        let named = Env::of(&[("HOME", "/h"), (DESKTOP_HISTORY, "/x/history.json")]);
        assert_eq!(paths(&named)[1..], [(PathBuf::from("/x/history.json"), "Claude Desktop")]);
        assert!(roots(&Env::of(&[])).is_empty(), "no home, nothing named: nowhere to look");
    }
}
