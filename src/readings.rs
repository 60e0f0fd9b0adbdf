//! Quota shares reported by the services themselves, remembered between invocations.
//!
//! Claude Code hands `rate_limits` to its status-line command only; storing them here lets the shell
//! and tmux segments show the same figure. Each reading keeps its observation time and the history
//! root (the `projects/` dir of the session's transcript) it belongs to, so that two accounts with
//! two config dirs do not mix. A reading without a known root applies to every root.
//!
//! One small JSON file in the cache dir, shared by every set of roots; written through a temporary
//! file and a rename, under a lock that is tried and, when busy, given up on (another status line is
//! writing a reading of the same moment).

use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::event::Provider;

const FILE: &str = "readings.json";
const LOCK: &str = "readings.lock";
/// Readings kept per provider, window and root: enough to learn how local cost maps to a share.
const KEEP: usize = 96;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Window {
    #[serde(rename = "five_hour")]
    FiveHour,
    #[serde(rename = "seven_day")]
    SevenDay,
}

impl Window {
    pub fn label(self) -> &'static str {
        match self {
            Window::FiveHour => "5h",
            Window::SevenDay => "7d",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub provider: String,
    pub window: Window,
    pub used_percent: f64,
    /// Milliseconds since the epoch.
    pub resets_at: i64,
    pub observed_at: i64,
    /// The `projects/` dir the reading came from; empty when unknown.
    #[serde(default)]
    pub root: String,
}

impl Reading {
    pub fn provider(&self) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.name() == self.provider)
    }
}

#[derive(Debug, Default, PartialEq)]
pub struct Readings {
    pub list: Vec<Reading>,
}

fn canonical(p: &Path) -> PathBuf {
    fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

impl Readings {
    /// Reads the file; a missing or unreadable one is no readings (and a damaged one is logged).
    pub fn load(cache_dir: &Path) -> Readings {
        match fs::read(cache_dir.join(FILE)) {
            Ok(b) => match serde_json::from_slice::<Vec<Reading>>(&b) {
                Ok(list) => Readings { list },
                Err(e) => {
                    crate::log::warn(&format!("ignoring damaged {FILE}: {e}"));
                    Readings::default()
                }
            },
            Err(_) => Readings::default(),
        }
    }

    /// Adds readings (newest kept, duplicates of one moment dropped) and writes the file.
    pub fn record(cache_dir: &Path, new: &[Reading]) -> io::Result<()> {
        if new.is_empty() {
            return Ok(());
        }
        crate::cache::create_private_dir(cache_dir)?;
        let lock = OpenOptions::new().create(true).truncate(false).write(true).open(cache_dir.join(LOCK))?;
        if lock.try_lock().is_err() {
            return Ok(());
        }
        let mut r = Readings::load(cache_dir);
        for n in new {
            let same = |o: &Reading| o.provider == n.provider && o.window == n.window && o.root == n.root;
            // The same figure seen again: it still held at this later time. Only changes are kept as
            // separate readings, so the list spans more windows for learning.
            let newest = r.list.iter_mut().filter(|o| same(o)).max_by_key(|o| o.observed_at);
            match newest {
                Some(o) if o.used_percent == n.used_percent && o.resets_at == n.resets_at => {
                    o.observed_at = o.observed_at.max(n.observed_at);
                    continue;
                }
                _ => {}
            }
            if !r.list.iter().any(|o| same(o) && o.observed_at == n.observed_at) {
                r.list.push(n.clone());
            }
            let mut mine: Vec<usize> = (0..r.list.len()).filter(|&i| same(&r.list[i])).collect();
            if mine.len() > KEEP {
                mine.sort_by_key(|&i| r.list[i].observed_at);
                let drop: Vec<usize> = mine[..mine.len() - KEEP].to_vec();
                let mut i = 0;
                r.list.retain(|_| {
                    let keep = !drop.contains(&i);
                    i += 1;
                    keep
                });
            }
        }
        r.list.sort_by_key(|x| x.observed_at);
        let bytes = serde_json::to_vec(&r.list).map_err(io::Error::other)?;
        crate::cache::write_atomic(&cache_dir.join(FILE), &bytes)
    }

    /// Readings of a provider's window that apply to these roots, observed at or before `now`,
    /// oldest first.
    pub fn of(&self, p: Provider, w: Window, roots: &[PathBuf], now: i64) -> Vec<&Reading> {
        // Each distinct root is resolved once: this runs on every prompt.
        let mine: Vec<PathBuf> = roots.iter().map(|r| canonical(r)).collect();
        let mut known: Vec<(&str, bool)> = Vec::new();
        let mut out = Vec::new();
        for r in &self.list {
            if r.provider() != Some(p) || r.window != w || r.observed_at > now {
                continue;
            }
            let applies = if r.root.is_empty() {
                true
            } else if let Some((_, a)) = known.iter().find(|(k, _)| *k == r.root) {
                *a
            } else {
                let a = mine.contains(&canonical(Path::new(&r.root)));
                known.push((&r.root, a));
                a
            };
            if applies {
                out.push(r);
            }
        }
        out
    }
}

/// The `projects/` root a transcript lives under, from its path.
pub fn root_of(transcript: &Path) -> Option<PathBuf> {
    transcript.ancestors().find(|a| a.file_name().is_some_and(|n| n == "projects")).map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(window: Window, used: f64, observed_at: i64, root: &str) -> Reading {
        Reading {
            provider: "claude".into(),
            window,
            used_percent: used,
            resets_at: observed_at + 1000,
            observed_at,
            root: root.into(),
        }
    }

    #[test]
    fn record_load_and_select() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a/projects");
        fs::create_dir_all(&a).unwrap();
        let a_str = a.display().to_string();
        Readings::record(d.path(), &[r(Window::FiveHour, 10.0, 5, &a_str), r(Window::SevenDay, 40.0, 5, &a_str)])
            .unwrap();
        Readings::record(d.path(), &[r(Window::FiveHour, 12.0, 7, &a_str), r(Window::FiveHour, 12.0, 7, &a_str)])
            .unwrap();
        // The same figure again later: the reading just holds longer.
        Readings::record(d.path(), &[Reading { observed_at: 9, ..r(Window::FiveHour, 12.0, 7, &a_str) }]).unwrap();
        Readings::record(d.path(), &[r(Window::FiveHour, 99.0, 6, "/elsewhere/projects")]).unwrap();
        let all = Readings::load(d.path());
        assert_eq!(all.list.len(), 4, "a duplicate of one moment is kept once");
        let mine = all.of(Provider::Claude, Window::FiveHour, std::slice::from_ref(&a), 100);
        assert_eq!(
            mine.iter().map(|x| (x.used_percent, x.observed_at)).collect::<Vec<_>>(),
            vec![(10.0, 5), (12.0, 9)]
        );
        assert!(all.of(Provider::Claude, Window::FiveHour, std::slice::from_ref(&a), 6).len() == 1, "not after now");
        assert!(all.of(Provider::Codex, Window::FiveHour, std::slice::from_ref(&a), 100).is_empty());
        fs::write(d.path().join(FILE), b"{not json").unwrap();
        assert_eq!(Readings::load(d.path()), Readings::default());
    }

    #[test]
    fn keeps_the_newest() {
        let d = tempfile::tempdir().unwrap();
        for i in 0..(KEEP as i64 + 10) {
            Readings::record(d.path(), &[r(Window::FiveHour, i as f64, i, "")]).unwrap();
        }
        let all = Readings::load(d.path());
        assert_eq!(all.list.len(), KEEP);
        assert_eq!(all.list[0].observed_at, 10);
    }

    #[test]
    fn roots_from_transcripts() {
        assert_eq!(root_of(Path::new("/h/.claude/projects/-h-p/s.jsonl")), Some(PathBuf::from("/h/.claude/projects")));
        assert_eq!(root_of(Path::new("/h/x/s.jsonl")), None);
    }
}
