//! The readings Claude Code hands its status line, remembered between invocations so the shell and
//! tmux segments show the same figure.
//!
//! Each reading keeps the history root (the `projects/` dir of the session's transcript, resolved)
//! it belongs to, so that two accounts with two config dirs do not mix; a reading without a known
//! root applies to every root. One small JSON file in the cache dir, shared by every set of roots;
//! written through a temporary file and a rename, under a lock that is tried and, when busy, given up
//! on (another status line is writing a reading of the same moment).

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::ground::evidence::Reading;
use crate::ground::files::{create_private_dir, write_atomic};
use crate::ground::log;
use crate::ground::provider::Provider;
use crate::ground::window::Window;

const FILE: &str = "readings.json";
const LOCK: &str = "readings.lock";
/// Readings kept per provider, window and root: enough to learn how local cost maps to a share.
const KEEP: usize = 96;

/// A reading and the root it belongs to ("" when unknown).
#[derive(Clone, Debug, PartialEq)]
pub struct Rooted {
    pub reading: Reading,
    pub root: String,
}

#[derive(Debug, Default, PartialEq)]
pub struct Readings {
    pub list: Vec<Rooted>,
    /// Figures the status line handed over that were refused as implausible, and the last reason.
    pub refused: u64,
    pub last_refused: String,
}

fn to_json(r: &Rooted) -> Value {
    let x = &r.reading;
    json!({
        "provider": x.provider.name(), "window": x.window.key(), "used_percent": x.used_percent,
        "resets_at": x.resets_at, "observed_at": x.observed_at, "root": r.root,
    })
}

fn from_json(v: &Value) -> Option<Rooted> {
    let window = [Window::FiveHour, Window::SevenDay].into_iter().find(|w| v["window"] == w.key())?;
    Some(Rooted {
        reading: Reading::new(
            Provider::from_name(v["provider"].as_str()?)?,
            window,
            v["used_percent"].as_f64()?,
            v["resets_at"].as_i64()?,
            v["observed_at"].as_i64()?,
        ),
        root: v["root"].as_str().unwrap_or("").to_owned(),
    })
}

/// A root as readings name it: resolved, so that two spellings of one directory match.
pub fn root_key(p: &Path) -> String {
    fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string()
}

impl Readings {
    /// Reads the file; a missing or unreadable one is no readings (and a damaged one is logged).
    pub fn load(cache_dir: &Path) -> Readings {
        let Ok(b) = fs::read(cache_dir.join(FILE)) else { return Readings::default() };
        match serde_json::from_slice::<Value>(&b) {
            Ok(v) if v["readings"].is_array() => Readings {
                list: v["readings"].as_array().into_iter().flatten().filter_map(from_json).collect(),
                refused: v["refused"].as_u64().unwrap_or(0),
                last_refused: v["last_refused"].as_str().unwrap_or("").to_owned(),
            },
            _ => {
                log::warn(&format!("ignoring damaged {FILE}"));
                Readings::default()
            }
        }
    }

    /// Adds readings of `root` (newest kept, duplicates of one moment dropped), counts the refused
    /// ones, and writes the file.
    pub fn record(cache_dir: &Path, new: &[Reading], refused: &[String], root: Option<&Path>) -> io::Result<()> {
        if new.is_empty() && refused.is_empty() {
            return Ok(());
        }
        create_private_dir(cache_dir)?;
        let lock =
            OpenOptions::new().create(true).truncate(false).write(true).mode(0o600).open(cache_dir.join(LOCK))?;
        if lock.try_lock().is_err() {
            return Ok(());
        }
        let root = root.map(root_key).unwrap_or_default();
        let mut r = Readings::load(cache_dir);
        r.refused += refused.len() as u64;
        if let Some(last) = refused.last() {
            r.last_refused = last.clone();
        }
        for n in new {
            let same = |o: &Rooted| o.reading.provider == n.provider && o.reading.window == n.window && o.root == root;
            // The same figure seen again: it still held at this later time. Only changes are kept as
            // separate readings, so the list spans more windows for learning.
            let newest = r.list.iter_mut().filter(|o| same(o)).max_by_key(|o| o.reading.observed_at);
            match newest {
                Some(o) if o.reading.used_percent == n.used_percent && o.reading.resets_at == n.resets_at => {
                    o.reading.observed_at = o.reading.observed_at.max(n.observed_at);
                    continue;
                }
                _ => {}
            }
            if !r.list.iter().any(|o| same(o) && o.reading.observed_at == n.observed_at) {
                r.list.push(Rooted { reading: n.clone(), root: root.clone() });
            }
            let mut mine: Vec<usize> = (0..r.list.len()).filter(|&i| same(&r.list[i])).collect();
            if mine.len() > KEEP {
                mine.sort_by_key(|&i| r.list[i].reading.observed_at);
                let drop: HashSet<usize> = mine[..mine.len() - KEEP].iter().copied().collect();
                let mut i = 0;
                r.list.retain(|_| {
                    i += 1;
                    !drop.contains(&(i - 1))
                });
            }
        }
        r.list.sort_by_key(|x| x.reading.observed_at);
        let items: Vec<Value> = r.list.iter().map(to_json).collect();
        let doc = json!({ "readings": items, "refused": r.refused, "last_refused": r.last_refused });
        let bytes = serde_json::to_vec(&doc).map_err(io::Error::other)?;
        write_atomic(&cache_dir.join(FILE), &bytes)
    }

    /// Readings of a provider that apply to these roots (as `root_key` names them), observed at or
    /// before `now`, oldest first.
    pub fn of(&self, p: Provider, roots: &HashSet<String>, now: i64) -> Vec<Reading> {
        self.list
            .iter()
            .filter(|r| r.reading.provider == p && r.reading.observed_at <= now)
            .filter(|r| r.root.is_empty() || roots.contains(&r.root))
            .map(|r| r.reading.clone())
            .collect()
    }
}

/// The keys of a set of root paths.
pub fn root_keys(paths: &[PathBuf]) -> HashSet<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(window: Window, used: f64, observed_at: i64) -> Reading {
        Reading::new(Provider::Claude, window, used, observed_at + 1000, observed_at)
    }

    #[test]
    fn record_load_and_select() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a/projects");
        fs::create_dir_all(&a).unwrap();
        Readings::record(d.path(), &[r(Window::FiveHour, 10.0, 5), r(Window::SevenDay, 40.0, 5)], &[], Some(&a))
            .unwrap();
        Readings::record(d.path(), &[r(Window::FiveHour, 12.0, 7), r(Window::FiveHour, 12.0, 7)], &[], Some(&a))
            .unwrap();
        // The same figure again later: the reading just holds longer.
        Readings::record(d.path(), &[Reading { observed_at: 9, ..r(Window::FiveHour, 12.0, 7) }], &[], Some(&a))
            .unwrap();
        Readings::record(
            d.path(),
            &[r(Window::FiveHour, 99.0, 6)],
            &["five_hour: bad".into()],
            Some(Path::new("/elsewhere/projects")),
        )
        .unwrap();
        let all = Readings::load(d.path());
        assert_eq!(all.list.len(), 4, "a duplicate of one moment is kept once");
        assert_eq!((all.refused, all.last_refused.as_str()), (1, "five_hour: bad"));
        let mine = root_keys(&[fs::canonicalize(&a).unwrap()]);
        let five: Vec<(f64, i64)> = all
            .of(Provider::Claude, &mine, 100)
            .iter()
            .filter(|x| x.window == Window::FiveHour)
            .map(|x| (x.used_percent, x.observed_at))
            .collect();
        assert_eq!(five, vec![(10.0, 5), (12.0, 9)]);
        assert_eq!(all.of(Provider::Claude, &mine, 6).len(), 2, "not after now");
        assert!(all.of(Provider::Codex, &mine, 100).is_empty());
        fs::write(d.path().join(FILE), b"{not json").unwrap();
        assert_eq!(Readings::load(d.path()), Readings::default());
    }

    #[test]
    fn keeps_the_newest() {
        let d = tempfile::tempdir().unwrap();
        for i in 0..(KEEP as i64 + 10) {
            Readings::record(d.path(), &[r(Window::FiveHour, i as f64, i)], &[], None).unwrap();
        }
        let all = Readings::load(d.path());
        assert_eq!(all.list.len(), KEEP);
        assert_eq!(all.list[0].reading.observed_at, 10);
    }
}
