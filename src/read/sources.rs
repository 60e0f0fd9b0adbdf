//! Where transcripts live.
//!
//! Claude Code: `CLAUDE_CONFIG_DIR` when set (a comma-separated list; each entry the config dir or its
//! `projects/`), otherwise both `${XDG_CONFIG_HOME:-~/.config}/claude` and `~/.claude`. Codex CLI:
//! `CODEX_HOME` (default `~/.codex`; a comma-separated list is accepted), its `sessions/` and
//! `archived_sessions/`.

use std::path::{Path, PathBuf};

use crate::ground::dirs::{config_home, home};
use crate::ground::provider::Provider;

/// A directory transcripts of one provider are found under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    pub provider: Provider,
    pub path: PathBuf,
}

fn expand(entry: &str) -> Option<PathBuf> {
    let e = entry.trim();
    if e.is_empty() {
        return None;
    }
    match e.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => Some(home()?.join(rest.trim_start_matches('/'))),
        _ => Some(PathBuf::from(e)),
    }
}

fn claude_projects(entry: &Path) -> PathBuf {
    let nested = entry.join("projects");
    if !nested.is_dir() && entry.file_name().is_some_and(|n| n == "projects") { entry.to_path_buf() } else { nested }
}

/// Adds a root unless it is another spelling of one already there (a link, a trailing slash). Each
/// path is resolved once: this runs on every prompt.
fn push_unique(roots: &mut Vec<(Root, PathBuf)>, provider: Provider, path: PathBuf) {
    let canon = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    if !roots.iter().any(|(r, c)| r.provider == provider && *c == canon) {
        roots.push((Root { provider, path }, canon));
    }
}

fn claude_roots(roots: &mut Vec<(Root, PathBuf)>) {
    match std::env::var("CLAUDE_CONFIG_DIR") {
        Ok(list) if !list.trim().is_empty() => {
            for p in list.split(',').filter_map(expand) {
                push_unique(roots, Provider::Claude, claude_projects(&p));
            }
        }
        _ => {
            if let Some(x) = config_home() {
                push_unique(roots, Provider::Claude, x.join("claude").join("projects"));
            }
            if let Some(h) = home() {
                push_unique(roots, Provider::Claude, h.join(".claude").join("projects"));
            }
        }
    }
}

fn codex_roots(roots: &mut Vec<(Root, PathBuf)>) {
    let homes: Vec<PathBuf> = match std::env::var("CODEX_HOME") {
        Ok(list) if !list.trim().is_empty() => list.split(',').filter_map(expand).collect(),
        _ => home().map(|h| h.join(".codex")).into_iter().collect(),
    };
    for h in homes {
        push_unique(roots, Provider::Codex, h.join("sessions"));
        push_unique(roots, Provider::Codex, h.join("archived_sessions"));
    }
}

/// Where Claude Code keeps its settings file, `.claude.json` (its cached usage answer is read from
/// it): in each `CLAUDE_CONFIG_DIR` entry when that is set, else in the home directory.
pub fn claude_json_files() -> Vec<PathBuf> {
    match std::env::var("CLAUDE_CONFIG_DIR") {
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .filter_map(expand)
            .map(|p| {
                if p.file_name().is_some_and(|n| n == "projects") {
                    p.parent().map(Path::to_path_buf).unwrap_or(p)
                } else {
                    p
                }
            })
            .map(|p| p.join(".claude.json"))
            .collect(),
        _ => home().map(|h| h.join(".claude.json")).into_iter().collect(),
    }
}

/// Every root, Claude Code's first, each with its canonical path.
pub fn roots() -> Vec<(Root, PathBuf)> {
    let mut r = Vec::new();
    claude_roots(&mut r);
    codex_roots(&mut r);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_dir_or_config_dir() {
        let d = tempfile::tempdir().unwrap();
        let cfg = d.path().join("cfg");
        std::fs::create_dir_all(cfg.join("projects")).unwrap();
        assert_eq!(claude_projects(&cfg), cfg.join("projects"));
        assert_eq!(claude_projects(&cfg.join("projects")), cfg.join("projects"));
        assert_eq!(claude_projects(&d.path().join("none")), d.path().join("none/projects"));
    }
}
